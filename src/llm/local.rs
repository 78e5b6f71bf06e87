//! A language model that runs on this machine: a GGUF file, its own tokenizer, and
//! clinkit's readable forward pass ([`super::gemma3`], [`super::llama`]; picked by the
//! file's architecture, see [`Network`]), behind the [`Backend`] trait.
//!
//! Generating text is a loop: read the prompt once (*prefill*), then repeatedly pick a
//! next token ([`super::sample`]), show its text, and let the model read it (*decode*),
//! until the model says it is done (`<eos>`, `<end_of_turn>`), a stop text appears, or
//! `max_tokens` is reached.
//!
//! The model remembers what it read in a [`KvCache`]. When the next prompt starts with the
//! same tokens (the same instructions before another letter), only the new part is read.
//!
//! ```no_run
//! use clinkit::llm::{local::LocalModel, Backend, GenerateOptions};
//! let mut model = LocalModel::packaged("gemma-3-270m-q4_k_m")?;
//! let options = GenerateOptions { max_tokens: 20, ..GenerateOptions::default() };
//! let completion = model.complete("De patiënt werd verwezen wegens", &options)?;
//! println!("{}", completion.text);
//! # Ok::<(), clinkit::Error>(())
//! ```

use std::path::{Path, PathBuf};
use std::time::Instant;

use tokenizers::Tokenizer;

use super::constrain::{ConstraintVocab, JsonSchemaConstraint};
use super::gguf::GgufModelFile;
use super::network::Network;
use super::sample::{log_softmax, top_n, Sampler};
use super::transformer::KvCache;
use super::{
    Backend, Completion, FinishReason, GenerateOptions, Message, Role, TokenConstraint,
    TokenLogprob,
};
use crate::error::{Error, Location};
use crate::Result;

/// The packaged model clinkit runs when none is named: Gemma 3 with 270 million
/// parameters, 4-bit quantised (a base model, not instruction-tuned).
pub const DEFAULT_MODEL: &str = "gemma-3-270m-q4_k_m";

/// How many prompt tokens the model reads in one forward pass (longer prompts are read in
/// pieces, so memory for the attention scores stays small).
const PREFILL_CHUNK: usize = 512;

/// A GGUF language model loaded in this process, ready to generate text.
pub struct LocalModel {
    model: Network,
    tokenizer: Tokenizer,
    path: PathBuf,
    /// Token ids that end generation: `<eos>` and, for chat models, the end of a turn
    /// (`<end_of_turn>`, `<|im_end|>`, `<|eot_id|>`).
    end_tokens: Vec<u32>,
    bos: Option<u32>,
    /// What the cache holds: these tokens, in this order.
    cache: KvCache,
    cached_tokens: Vec<u32>,
    /// The last prompt read and the logits after it (a repeated prompt reuses them).
    last_prompt: Option<(Vec<u32>, Vec<f32>)>,
    /// The vocabulary for JSON Schema constraints, built the first time one is needed.
    constraint_vocab: Option<ConstraintVocab>,
}

/// A piece of a prompt: plain text (tokenized as text) or one special token by name.
enum Piece {
    Text(String),
    Special(&'static str),
}

/// How a chat model marks whose turn it is. Each family was trained on its own markers, and
/// a model only answers well when its prompt uses the ones it saw in training.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChatFormat {
    /// Gemma: `<start_of_turn>user\n...<end_of_turn>\n`, the answer after
    /// `<start_of_turn>model\n`. There is no system turn.
    Gemma,
    /// ChatML (Qwen 2 and 3): `<|im_start|>user\n...<|im_end|>\n`, the answer after
    /// `<|im_start|>assistant\n`.
    ChatMl,
    /// Llama 3: `<|start_header_id|>user<|end_header_id|>\n\n...<|eot_id|>`, the answer after
    /// the assistant's header.
    Llama3,
}

impl ChatFormat {
    /// The pieces of one turn (`role` says who speaks).
    fn turn(self, role: &str, content: &str) -> Vec<Piece> {
        match self {
            ChatFormat::Gemma | ChatFormat::ChatMl => {
                let (start, end) = self.turn_markers();
                vec![
                    Piece::Special(start),
                    Piece::Text(format!("{role}\n{content}")),
                    Piece::Special(end),
                    Piece::Text("\n".into()),
                ]
            }
            ChatFormat::Llama3 => vec![
                Piece::Special("<|start_header_id|>"),
                Piece::Text(role.into()),
                Piece::Special("<|end_header_id|>"),
                Piece::Text(format!("\n\n{content}")),
                Piece::Special("<|eot_id|>"),
            ],
        }
    }

    /// The start of the assistant's turn, where the model writes its answer.
    fn answer_start(self) -> Vec<Piece> {
        match self {
            ChatFormat::Gemma => vec![
                Piece::Special("<start_of_turn>"),
                Piece::Text("model\n".into()),
            ],
            ChatFormat::ChatMl => vec![
                Piece::Special("<|im_start|>"),
                Piece::Text("assistant\n".into()),
            ],
            ChatFormat::Llama3 => vec![
                Piece::Special("<|start_header_id|>"),
                Piece::Text("assistant".into()),
                Piece::Special("<|end_header_id|>"),
                Piece::Text("\n\n".into()),
            ],
        }
    }

    /// The special tokens that open and close a turn in the Gemma and ChatML formats.
    fn turn_markers(self) -> (&'static str, &'static str) {
        match self {
            ChatFormat::Gemma => ("<start_of_turn>", "<end_of_turn>"),
            _ => ("<|im_start|>", "<|im_end|>"),
        }
    }
}

/// The role names the ChatML and Llama 3 formats use.
fn role_name(role: Role) -> &'static str {
    match role {
        Role::System => "system",
        Role::User => "user",
        Role::Assistant => "assistant",
    }
}

/// Gemma's turns: `user` and `model`, with the system messages put in front of the first
/// user message (Gemma has no system turn).
fn gemma_turns(messages: &[Message]) -> Vec<(&'static str, String)> {
    let system: Vec<&str> = messages
        .iter()
        .filter(|m| m.role == Role::System)
        .map(|m| m.content.as_str())
        .collect();
    let system = system.join("\n\n");
    let mut first_user = true;
    let mut turns = Vec::new();
    for message in messages.iter().filter(|m| m.role != Role::System) {
        let mut content = message.content.trim().to_string();
        if message.role == Role::User && first_user && !system.is_empty() {
            content = format!("{}\n\n{content}", system.trim());
            first_user = false;
        }
        let speaker = if message.role == Role::Assistant {
            "model"
        } else {
            "user"
        };
        turns.push((speaker, content));
    }
    turns
}

impl LocalModel {
    /// Loads a GGUF model file and the tokenizer stored in it.
    ///
    /// Errors name the file: missing, not GGUF, or an architecture clinkit cannot run.
    pub fn load(path: &Path) -> Result<LocalModel> {
        let file = GgufModelFile::open(path)?;
        let model = Network::load(&file)?;
        let tokenizer = crate::tokenize::gguf::tokenizer_from_gguf(path)?;
        let eos = file.u32_or("tokenizer.ggml.eos_token_id", 1)?;
        let mut end_tokens = vec![eos];
        end_tokens.extend(file.u32("tokenizer.ggml.eot_token_id").ok());
        for end_of_turn in ["<end_of_turn>", "<|im_end|>", "<|eot_id|>"] {
            end_tokens.extend(tokenizer.token_to_id(end_of_turn));
        }
        let bos = start_token(&tokenizer);
        let cache = model.new_cache();
        Ok(LocalModel {
            model,
            tokenizer,
            path: path.to_path_buf(),
            end_tokens,
            bos,
            cache,
            cached_tokens: Vec::new(),
            last_prompt: None,
            constraint_vocab: None,
        })
    }

    /// Loads a model from the catalog by name (`gemma-3-270m-q4_k_m`), checking its files first.
    pub fn packaged(name: &str) -> Result<LocalModel> {
        let dir = crate::models::ready_dir(name)?;
        LocalModel::load(&gguf_in(&dir)?)
    }

    /// Loads `name_or_path`: a `.gguf` file if such a file exists, else a catalog name.
    pub fn open(name_or_path: &str) -> Result<LocalModel> {
        let path = Path::new(name_or_path);
        if path.is_file() || name_or_path.ends_with(".gguf") {
            LocalModel::load(path)
        } else {
            LocalModel::packaged(name_or_path)
        }
    }

    /// The model file this was loaded from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The tokenizer (read from the GGUF file).
    pub fn tokenizer(&self) -> &Tokenizer {
        &self.tokenizer
    }

    /// The loaded network, for teaching views (per-layer norms, attention).
    pub fn network(&self) -> &Network {
        &self.model
    }

    /// The model's vocabulary as the JSON Schema constraint needs it. Built from the GGUF
    /// file the first time it is asked for (about a second for Gemma's 262,144 tokens),
    /// then kept, so every later constrained answer starts at once.
    pub fn constraint_vocab(&mut self) -> Result<&ConstraintVocab> {
        if self.constraint_vocab.is_none() {
            self.constraint_vocab = Some(ConstraintVocab::from_gguf(&self.path)?);
        }
        Ok(self.constraint_vocab.as_ref().expect("built just above"))
    }

    /// Generates after the token ids `prompt`, following `options.json_schema` when it is
    /// set: the schema becomes a [`JsonSchemaConstraint`] for this model's vocabulary, so
    /// the answer always parses and follows the schema. (What [`Backend::chat`] and
    /// [`Backend::stream`] do after turning text into tokens.)
    pub fn generate_ids(
        &mut self,
        prompt: &[u32],
        options: &GenerateOptions,
        on_text: &mut dyn FnMut(&str),
    ) -> Result<Completion> {
        let Some(schema) = &options.json_schema else {
            return self.generate(prompt, options, None, on_text);
        };
        let mut constraint = JsonSchemaConstraint::new(self.constraint_vocab()?, schema)?;
        self.generate(prompt, options, Some(&mut constraint), on_text)
    }

    /// The token ids of `text`, starting with `<bos>` as the model expects.
    pub fn encode(&self, text: &str) -> Result<Vec<u32>> {
        self.encode_pieces(&[Piece::Text(text.to_string())])
    }

    /// How this model marks the turns of a chat, found from the special tokens its
    /// vocabulary has (see [`ChatFormat`]). A vocabulary without any of them is an error:
    /// such a model only continues plain text.
    ///
    /// ```
    /// use clinkit::llm::local::{ChatFormat, LocalModel};
    /// let qwen = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/llm/tiny-qwen2.gguf");
    /// assert_eq!(LocalModel::load(qwen.as_ref())?.chat_format()?, ChatFormat::ChatMl);
    /// # Ok::<(), clinkit::Error>(())
    /// ```
    pub fn chat_format(&self) -> Result<ChatFormat> {
        let has = |name: &str| self.tokenizer.token_to_id(name).is_some();
        if has("<start_of_turn>") {
            Ok(ChatFormat::Gemma)
        } else if has("<|im_start|>") {
            Ok(ChatFormat::ChatMl)
        } else if has("<|start_header_id|>") {
            Ok(ChatFormat::Llama3)
        } else {
            Err(self.error(
                "the vocabulary has no chat turn markers (<start_of_turn>, <|im_start|> or \
                 <|start_header_id|>), so this model cannot chat: give it a plain prompt"
                    .into(),
            ))
        }
    }

    /// The prompt for a chat, in the model's own chat format ([`LocalModel::chat_format`]),
    /// ending where the assistant's answer starts. For Gemma:
    /// `<start_of_turn>user\n...<end_of_turn>\n<start_of_turn>model\n`; Gemma has no system
    /// turn, so a system message is put in front of the first user message.
    ///
    /// ```no_run
    /// use clinkit::llm::{local::LocalModel, Message, Role};
    /// let model = LocalModel::packaged("gemma-3-270m-q4_k_m")?;
    /// let ids = model.chat_prompt(&[Message { role: Role::User, content: "Hallo".into() }])?;
    /// assert_eq!(model.tokenizer().id_to_token(ids[1]).as_deref(), Some("<start_of_turn>"));
    /// # Ok::<(), clinkit::Error>(())
    /// ```
    pub fn chat_prompt(&self, messages: &[Message]) -> Result<Vec<u32>> {
        let format = self.chat_format()?;
        let turns = match format {
            ChatFormat::Gemma => gemma_turns(messages),
            _ => messages
                .iter()
                .map(|m| (role_name(m.role), m.content.trim().to_string()))
                .collect(),
        };
        let mut pieces = Vec::new();
        for (role, content) in &turns {
            pieces.extend(format.turn(role, content));
        }
        pieces.extend(format.answer_start());
        self.encode_pieces(&pieces)
    }

    fn encode_pieces(&self, pieces: &[Piece]) -> Result<Vec<u32>> {
        let mut ids: Vec<u32> = self.bos.into_iter().collect();
        for piece in pieces {
            match piece {
                Piece::Text(text) => {
                    let encoding = self
                        .tokenizer
                        .encode(text.as_str(), false)
                        .map_err(|e| self.error(format!("cannot tokenize: {e}")))?;
                    ids.extend_from_slice(encoding.get_ids());
                }
                Piece::Special(name) => ids.push(
                    self.tokenizer
                        .token_to_id(name)
                        .ok_or_else(|| self.error(format!("the vocabulary has no token {name}")))?,
                ),
            }
        }
        Ok(ids)
    }

    fn error(&self, message: String) -> Error {
        Error::Model {
            name: self.path.display().to_string(),
            message,
        }
    }

    /// The logits after `prompt`, reusing the cached part that `prompt` starts with.
    ///
    /// The same prompt again (still in the cache) gets the logits of its first reading back.
    /// Reading its last token again, alone, would give logits a hair different: candle picks
    /// its matrix kernels by the number of positions (a 6-bit matrix times one position and
    /// times many add up in different orders), and the same prompt and seed could then give
    /// another text the second time.
    fn prefill(&mut self, prompt: &[u32]) -> Result<Vec<f32>> {
        let shared = common_prefix(&self.cached_tokens, prompt);
        if let Some((last, logits)) = &self.last_prompt {
            if last.as_slice() == prompt && shared == prompt.len() {
                let logits = logits.clone();
                self.cache.truncate(shared)?;
                self.cached_tokens.truncate(shared);
                return Ok(logits);
            }
        }
        let shared = shared.min(prompt.len() - 1);
        self.cache.truncate(shared)?;
        self.cached_tokens.truncate(shared);
        let mut logits = Vec::new();
        for chunk in prompt[shared..].chunks(PREFILL_CHUNK) {
            logits = self.model.forward(chunk, &mut self.cache)?;
            self.cached_tokens.extend_from_slice(chunk);
        }
        self.last_prompt = Some((prompt.to_vec(), logits.clone()));
        Ok(logits)
    }

    /// Lets the model read one more token; returns the logits for the token after it.
    fn decode(&mut self, token: u32) -> Result<Vec<f32>> {
        let logits = self.model.forward(&[token], &mut self.cache)?;
        self.cached_tokens.push(token);
        Ok(logits)
    }

    /// Generates after the token ids `prompt`: the loop described in the module documentation.
    ///
    /// `constraint`, when given, forbids tokens before each pick (constrained decoding, see
    /// [`TokenConstraint`]); generation also stops when it says the output is complete.
    /// `on_text` receives each new piece of text as soon as it is certain (text that might
    /// turn out to be the start of a stop sequence is held back).
    pub fn generate(
        &mut self,
        prompt: &[u32],
        options: &GenerateOptions,
        mut constraint: Option<&mut dyn TokenConstraint>,
        on_text: &mut dyn FnMut(&str),
    ) -> Result<Completion> {
        let started = Instant::now();
        if prompt.is_empty() {
            return Err(self.error("the prompt has no tokens".into()));
        }
        let mut sampler = Sampler::new(options);
        let mut logits = self.prefill(prompt)?;
        let mut history = prompt.to_vec();
        let mut generated: Vec<u32> = Vec::new();
        let mut logprobs = Vec::new();
        let mut shown = 0; // bytes of the text already given to `on_text`
        let mut finish_reason = FinishReason::Length;
        let mut text = String::new();
        let mut allowed = vec![true; logits.len()];
        while generated.len() < options.max_tokens {
            // Tokens the constraint leaves no choice about are taken without sampling.
            let forced = match constraint.as_deref_mut() {
                Some(constraint) => constraint.forced_tokens()?,
                None => Vec::new(),
            };
            for &token in forced.iter().take(options.max_tokens - generated.len()) {
                generated.push(token);
                history.push(token);
                logits = self.decode(token)?;
            }
            if !forced.is_empty() {
                text = self.decode_text(&generated)?;
                if generated.len() >= options.max_tokens {
                    break;
                }
            }
            if constraint.as_ref().is_some_and(|c| c.is_finished()) {
                finish_reason = FinishReason::Stop;
                break;
            }
            let mask = match constraint.as_deref_mut() {
                Some(constraint) => {
                    allowed.fill(true);
                    constraint.mask(&mut allowed)?;
                    Some(allowed.as_slice())
                }
                None => None,
            };
            let token = sampler.pick(&logits, &history, mask);
            if let Some(constraint) = constraint.as_deref_mut() {
                constraint.accept(token)?;
            }
            if let Some(n) = options.top_logprobs {
                logprobs.push(self.token_logprob(&logits, token, n));
            }
            if self.end_tokens.contains(&token) {
                finish_reason = FinishReason::Stop;
                break;
            }
            generated.push(token);
            history.push(token);
            text = self.decode_text(&generated)?;
            if let Some(cut) = first_stop(&text, &options.stop) {
                text.truncate(cut);
                finish_reason = FinishReason::Stop;
                break;
            }
            let safe = safe_length(&text, &options.stop);
            if safe > shown {
                on_text(&text[shown..safe]);
                shown = safe;
            }
            if generated.len() < options.max_tokens {
                logits = self.decode(token)?;
            }
        }
        if text.len() > shown {
            on_text(&text[shown..]);
        }
        Ok(Completion {
            text,
            finish_reason,
            prompt_tokens: prompt.len(),
            completion_tokens: generated.len(),
            logprobs: options.top_logprobs.map(|_| logprobs),
            seconds: started.elapsed().as_secs_f64(),
        })
    }

    /// The text of generated tokens (special tokens left out).
    fn decode_text(&self, tokens: &[u32]) -> Result<String> {
        self.tokenizer
            .decode(tokens, true)
            .map_err(|e| self.error(format!("cannot decode tokens: {e}")))
    }

    /// The chosen token's log-probability and the `n` most likely alternatives.
    fn token_logprob(&self, logits: &[f32], token: u32, n: usize) -> TokenLogprob {
        let logprobs = log_softmax(logits);
        let text = |id: u32| self.tokenizer.decode(&[id], false).unwrap_or_default();
        TokenLogprob {
            token: text(token),
            logprob: logprobs[token as usize],
            top: top_n(&logprobs, n)
                .into_iter()
                .map(|id| (text(id), logprobs[id as usize]))
                .collect(),
        }
    }
}

/// The token the tokenizer puts before every text (`<bos>`), if this vocabulary wants one
/// (`tokenizer.ggml.add_bos_token`: Gemma and Llama do, Qwen does not).
fn start_token(tokenizer: &Tokenizer) -> Option<u32> {
    let empty = tokenizer.encode("", true).ok()?;
    empty.get_ids().first().copied()
}

/// The `.gguf` file in a model folder.
fn gguf_in(dir: &Path) -> Result<PathBuf> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    let mut found: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|e| e == "gguf"))
        .collect();
    found.sort();
    found
        .into_iter()
        .next()
        .ok_or_else(|| Error::invalid(Location::file(dir), "this model folder holds no .gguf file"))
}

/// The short name of a model for reports and clients: a catalog name as it is, a GGUF
/// file's name without its folder and `.gguf`.
///
/// ```
/// use clinkit::llm::local::model_label;
/// assert_eq!(model_label("gemma-3-270m-q4_k_m"), "gemma-3-270m-q4_k_m");
/// assert_eq!(model_label("/models/qwen2.5-0.5b.gguf"), "qwen2.5-0.5b");
/// ```
pub fn model_label(name_or_path: &str) -> String {
    let file = Path::new(name_or_path)
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_else(|| name_or_path.to_string());
    file.trim_end_matches(".gguf").to_string()
}

/// How many tokens two lists share at their start.
///
/// ```
/// assert_eq!(clinkit::llm::local::common_prefix(&[2, 5, 7], &[2, 5, 9, 1]), 2);
/// ```
pub fn common_prefix(a: &[u32], b: &[u32]) -> usize {
    a.iter().zip(b).take_while(|(x, y)| x == y).count()
}

/// Where the first stop text starts in `text`, if any appears.
///
/// ```
/// let stops = vec!["\n\n".to_string(), "END".to_string()];
/// assert_eq!(clinkit::llm::local::first_stop("ja END nee\n\n", &stops), Some(3));
/// assert_eq!(clinkit::llm::local::first_stop("ja", &stops), None);
/// ```
pub fn first_stop(text: &str, stops: &[String]) -> Option<usize> {
    stops
        .iter()
        .filter(|stop| !stop.is_empty())
        .filter_map(|stop| text.find(stop.as_str()))
        .min()
}

/// How much of `text` can be shown already: not a half-decoded character at the end
/// (shown as `�` until its last byte arrives) and not an ending that may grow into a stop text.
///
/// ```
/// let stops = vec!["END".to_string()];
/// assert_eq!(clinkit::llm::local::safe_length("klaar EN", &stops), 6); // "EN" may become "END"
/// assert_eq!(clinkit::llm::local::safe_length("klaar", &stops), 5);
/// ```
pub fn safe_length(text: &str, stops: &[String]) -> usize {
    let text_end = text.trim_end_matches('\u{FFFD}').len();
    let held_back = stops
        .iter()
        .map(|stop| longest_suffix_prefix(&text[..text_end], stop))
        .max()
        .unwrap_or(0);
    text_end - held_back
}

/// The length of the longest end of `text` that is a start of `stop` (shorter than `stop`).
fn longest_suffix_prefix(text: &str, stop: &str) -> usize {
    (1..stop.len())
        .rev()
        .filter(|&n| stop.is_char_boundary(n))
        .find(|&n| text.ends_with(&stop[..n]))
        .unwrap_or(0)
}

impl Backend for LocalModel {
    fn name(&self) -> String {
        format!("candle:{}", self.model.name())
    }

    fn stream(
        &mut self,
        prompt: &str,
        options: &GenerateOptions,
        on_text: &mut dyn FnMut(&str),
    ) -> Result<Completion> {
        let ids = self.encode(prompt)?;
        self.generate_ids(&ids, options, on_text)
    }

    fn chat(&mut self, messages: &[Message], options: &GenerateOptions) -> Result<Completion> {
        let ids = self.chat_prompt(messages)?;
        self.generate_ids(&ids, options, &mut |_| {})
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_text_split_over_tokens_is_held_back() {
        let stops = vec!["</antwoord>".to_string()];
        assert_eq!(safe_length("ja</ant", &stops), 2);
        assert_eq!(safe_length("ja</b", &stops), 5);
    }

    #[test]
    fn half_characters_are_held_back() {
        assert_eq!(safe_length("caf\u{FFFD}", &[]), 3);
    }
}
