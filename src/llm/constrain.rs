//! Constrained decoding: the model may only write valid JSON.
//!
//! A language model writes one token at a time, and nothing stops it from writing
//! `{"lvef_percent": "about forty"` when you asked for a number, or stopping halfway
//! through a bracket. Constrained decoding fixes that *during* generation instead of
//! hoping afterwards:
//!
//! 1. A **grammar** is built from a JSON Schema (which fields, which types, which values).
//! 2. Before each token, the grammar looks at the text so far and marks every token of
//!    the vocabulary that could *never* lead to a document the schema accepts. Those
//!    tokens get probability zero (the *mask*), so the model picks among the others.
//! 3. After the model picks, the grammar is told which token came, and walks one step on.
//! 4. The end-of-text token is only allowed once the JSON is complete, so the output
//!    always parses and always validates against the schema.
//!
//! Sometimes only one continuation is possible (after `{` with a required first field,
//! the text `"nyha_class": ` must follow). Those tokens need no model at all: they are
//! *forced* ("fast-forwarded") and the model only reads them.
//!
//! The grammar engine is [llguidance](https://github.com/guidance-ai/llguidance) (the
//! library behind structured outputs in several inference servers); clinkit gives it the
//! model's vocabulary ([`ConstraintVocab`], built once per model) and wraps one
//! generation's walk in a [`JsonSchemaConstraint`], which implements
//! [`TokenConstraint`] for any backend.
//!
//! A tiny made-up vocabulary shows the whole idea without a model file:
//!
//! ```
//! use clinkit::llm::constrain::{ConstraintVocab, JsonSchemaConstraint};
//! use clinkit::llm::TokenConstraint;
//! // Token ids:        0        1    2    3     4      5    6    7    8     9
//! let vocab = ConstraintVocab::from_texts(&["<eos>", "{", "}", "\"", "age", ":", " ", "4", "2", "abc"], 0).unwrap();
//! let schema = serde_json::json!({
//!     "type": "object",
//!     "properties": {"age": {"type": "integer"}},
//!     "required": ["age"],
//! });
//! let mut json = JsonSchemaConstraint::new(&vocab, &schema).unwrap();
//! let allowed = |json: &mut JsonSchemaConstraint| {
//!     let mut allowed = vec![true; 10];
//!     json.mask(&mut allowed).unwrap();
//!     (0..10u32).filter(|&id| allowed[id as usize]).collect::<Vec<_>>()
//! };
//! assert_eq!(allowed(&mut json), [1]); // a JSON object must start with `{`
//! for token in [1, 3, 4, 3, 5, 6, 7] {  // {"age": 4
//!     json.accept(token).unwrap();
//! }
//! assert_eq!(allowed(&mut json), [2, 7, 8]); // more digits, or `}`; never `abc`
//! json.accept(2).unwrap(); // }
//! assert_eq!(allowed(&mut json), [0]); // complete: only end-of-text is left
//! json.accept(0).unwrap();
//! assert!(json.is_finished());
//! assert_eq!(json.text(), r#"{"age": 4}"#);
//! ```

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use llguidance::api::TopLevelGrammar;
use llguidance::toktrie::{TokEnv, TokRxInfo, TokTrie, TokenizerEnv};
use llguidance::{Matcher, ParserFactory};
use serde_json::Value;
use tokenizers::Tokenizer;

use super::TokenConstraint;
use crate::error::{Error, Location};
use crate::tokenize::gguf::{tokenizer_from_metadata, GgufVocab, TokenType};
use crate::tokenize::gguf_file::GgufMetadata;
use crate::Result;

/// The marker llguidance puts before a special token's name (`\xff<eos>`), so that no
/// piece of ordinary text can ever look like a special token.
const SPECIAL_TOKEN_MARKER: u8 = 0xff;

/// A model's vocabulary as the grammar engine needs it: every token's bytes, which
/// tokens end the text, and the tokenizer. Build it once per model (for Gemma's 262,144
/// tokens this takes about a second) and share it by cloning (cheap).
#[derive(Clone)]
pub struct ConstraintVocab {
    factory: Arc<ParserFactory>,
    vocab_size: usize,
}

impl ConstraintVocab {
    /// The vocabulary of a GGUF model file (its tokenizer metadata).
    ///
    /// ```no_run
    /// use clinkit::llm::constrain::ConstraintVocab;
    /// let dir = clinkit::models::ready_dir("gemma-3-270m-q4_k_m").unwrap();
    /// let vocab = ConstraintVocab::from_gguf(&dir.join("gemma-3-270m-q4_k_m.gguf")).unwrap();
    /// assert_eq!(vocab.len(), 262_144);
    /// ```
    pub fn from_gguf(path: &Path) -> Result<ConstraintVocab> {
        let metadata = GgufMetadata::read(path)?;
        ConstraintVocab::from_gguf_metadata(&metadata, path)
    }

    /// The vocabulary described by GGUF metadata already read; `path` names the file in errors.
    pub fn from_gguf_metadata(metadata: &GgufMetadata, path: &Path) -> Result<ConstraintVocab> {
        let vocab = GgufVocab::from_metadata(metadata, path)?;
        let tokenizer = tokenizer_from_metadata(metadata, path)?;
        let words = token_bytes(&vocab);
        let eos = vocab.eos.ok_or_else(|| {
            Error::invalid(
                Location::file(path).field("tokenizer.ggml.eos_token_id"),
                "the vocabulary has no end-of-text token, so a constraint could never let the text end",
            )
        })?;
        let id_of = |name: &str| {
            vocab
                .tokens
                .iter()
                .position(|t| t == name)
                .map(|id| id as u32)
        };
        let info = TokRxInfo {
            vocab_size: words.len() as u32,
            tok_eos: eos,
            tok_bos: vocab.bos,
            tok_pad: None,
            tok_unk: vocab.unk,
            tok_end_of_turn: id_of("<end_of_turn>"),
        };
        // Chat models end a turn with their own token (Gemma: <end_of_turn>); allow it as
        // an end too, so the same constraint works for base and instruction-tuned models.
        let mut ends = vec![eos];
        ends.extend(info.tok_end_of_turn.filter(|&id| id != eos));
        ConstraintVocab::build(words, info, &ends, Some(tokenizer))
    }

    /// A hand-made vocabulary, for teaching and tests: token `id` is `texts[id]`, and
    /// `texts[eos]` is the end-of-text token. Texts are cut into tokens greedily
    /// (longest token first).
    ///
    /// ```
    /// use clinkit::llm::constrain::ConstraintVocab;
    /// let vocab = ConstraintVocab::from_texts(&["<eos>", "{", "}"], 0).unwrap();
    /// assert_eq!(vocab.len(), 3);
    /// assert!(ConstraintVocab::from_texts(&["{", "}"], 5).is_err()); // no token 5
    /// ```
    pub fn from_texts(texts: &[&str], eos: u32) -> Result<ConstraintVocab> {
        let at = Location::default().field("vocabulary");
        if (eos as usize) >= texts.len() {
            return Err(Error::invalid(
                at,
                format!(
                    "the end-of-text token {eos} does not exist ({} tokens)",
                    texts.len()
                ),
            ));
        }
        let words = texts
            .iter()
            .enumerate()
            .map(|(id, text)| {
                if id == eos as usize {
                    special_bytes(text)
                } else {
                    text.as_bytes().to_vec()
                }
            })
            .collect::<Vec<_>>();
        let info = TokRxInfo::new(words.len() as u32, eos);
        ConstraintVocab::build(words, info, &[eos], None)
    }

    fn build(
        words: Vec<Vec<u8>>,
        info: TokRxInfo,
        ends: &[u32],
        tokenizer: Option<Tokenizer>,
    ) -> Result<ConstraintVocab> {
        let vocab_size = words.len();
        let trie = TokTrie::from(&info, &words).with_eos_tokens(ends);
        let env: TokEnv = Arc::new(VocabEnv { trie, tokenizer });
        let mut factory = ParserFactory::new_simple(&env).map_err(|e| {
            Error::invalid(
                Location::default().field("vocabulary"),
                format!("the grammar engine cannot use this vocabulary: {e}"),
            )
        })?;
        factory.quiet();
        Ok(ConstraintVocab {
            factory: Arc::new(factory),
            vocab_size,
        })
    }

    /// Number of tokens in the vocabulary.
    pub fn len(&self) -> usize {
        self.vocab_size
    }

    /// True for a vocabulary without tokens (never the case for a built one).
    pub fn is_empty(&self) -> bool {
        self.vocab_size == 0
    }

    /// The bytes of a token as it appears in text (empty for special tokens such as `<eos>`).
    ///
    /// ```
    /// use clinkit::llm::constrain::ConstraintVocab;
    /// let vocab = ConstraintVocab::from_texts(&["<eos>", "{\""], 0).unwrap();
    /// assert_eq!(vocab.token_text(1), "{\"");
    /// assert_eq!(vocab.token_text(0), "");
    /// ```
    pub fn token_text(&self, token: u32) -> String {
        let trie = self.factory.tok_env().tok_trie();
        String::from_utf8_lossy(&trie.decode_ext(&[token], false)).into_owned()
    }

    /// Cuts `text` into token ids the way the model's tokenizer does (greedily for a
    /// hand-made vocabulary).
    pub fn tokenize(&self, text: &str) -> Vec<u32> {
        self.factory.tok_env().tokenize(text)
    }
}

/// Every token's bytes as it appears in text, for a GGUF vocabulary, following llama.cpp's
/// rules for turning a token into text.
fn token_bytes(vocab: &GgufVocab) -> Vec<Vec<u8>> {
    let byte_level = vocab.model == "gpt2";
    vocab
        .tokens
        .iter()
        .zip(&vocab.types)
        .map(|(token, kind)| match kind {
            TokenType::Control | TokenType::Unknown | TokenType::Unused => special_bytes(token),
            TokenType::Byte => byte_token(token).unwrap_or_else(|| token.as_bytes().to_vec()),
            TokenType::UserDefined => token.as_bytes().to_vec(),
            TokenType::Normal | TokenType::Undefined if byte_level => byte_level_bytes(token),
            TokenType::Normal | TokenType::Undefined => token.replace('▁', " ").into_bytes(),
        })
        .collect()
}

/// `<eos>` becomes `\xff<eos>`: llguidance's spelling of a token that is not text.
fn special_bytes(name: &str) -> Vec<u8> {
    let mut bytes = vec![SPECIAL_TOKEN_MARKER];
    bytes.extend_from_slice(name.as_bytes());
    bytes
}

/// `<0x0A>` is the single byte 0x0A (SentencePiece's byte fallback).
fn byte_token(token: &str) -> Option<Vec<u8>> {
    let hex = token.strip_prefix("<0x")?.strip_suffix('>')?;
    u8::from_str_radix(hex, 16).ok().map(|byte| vec![byte])
}

/// GPT-2's byte-level tokens write each byte as a printable character (a space as `Ġ`):
/// bytes that are printable stand for themselves, the others were moved to 256 and up.
fn byte_level_bytes(token: &str) -> Vec<u8> {
    let printable = |byte: u32| {
        (u32::from(b'!')..=u32::from(b'~')).contains(&byte)
            || (0xA1..=0xAC).contains(&byte)
            || (0xAE..=0xFF).contains(&byte)
    };
    let moved: Vec<u8> = (0..=255u8).filter(|&b| !printable(u32::from(b))).collect();
    token
        .chars()
        .map(|c| {
            let code = c as u32;
            if code < 256 && printable(code) {
                code as u8
            } else {
                moved
                    .get((code as usize).wrapping_sub(256))
                    .copied()
                    .unwrap_or(b'?')
            }
        })
        .collect()
}

/// What llguidance asks of a tokenizer: the trie of token bytes, and a way to cut text
/// into tokens (the model's own tokenizer; greedy for a hand-made vocabulary).
struct VocabEnv {
    trie: TokTrie,
    tokenizer: Option<Tokenizer>,
}

impl TokenizerEnv for VocabEnv {
    fn tok_trie(&self) -> &TokTrie {
        &self.trie
    }

    fn tokenize_bytes(&self, bytes: &[u8]) -> Vec<u32> {
        let encoded = match (&self.tokenizer, std::str::from_utf8(bytes)) {
            (Some(tokenizer), Ok(text)) => tokenizer.encode(text, false).ok(),
            _ => None,
        };
        match encoded {
            Some(encoding) => encoding.get_ids().to_vec(),
            None => self.trie.greedy_tokenize(bytes),
        }
    }

    /// Forced tokens are only offered when the model's real tokenizer cuts the text; a
    /// greedy cut could differ from what the model saw in training.
    fn tokenize_is_canonical(&self) -> bool {
        self.tokenizer.is_some()
    }
}

/// How the JSON may be laid out. Small models waste tokens (and go astray) on free
/// whitespace, so the default is one fixed layout: `{"a": 1, "b": [2, 3]}`. In both
/// layouts the document starts at its first character (`{`, not ` {`): end the prompt
/// with the space you want before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum JsonLayout {
    /// One line, `", "` between items and `": "` after keys.
    #[default]
    Compact,
    /// Any JSON whitespace between tokens (newlines, indentation), as the model likes.
    Flexible,
}

/// Reads a JSON Schema file. Errors name the file, and the line for broken JSON.
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("age.schema.json");
/// std::fs::write(&path, "{\"type\": \"integer\"}").unwrap();
/// let schema = clinkit::llm::constrain::read_json_schema(&path).unwrap();
/// assert_eq!(schema["type"], "integer");
/// std::fs::write(&path, "{\n\"type\": }").unwrap();
/// let error = clinkit::llm::constrain::read_json_schema(&path).unwrap_err().to_string();
/// assert!(error.contains("age.schema.json:2"), "{error}");
/// ```
pub fn read_json_schema(path: &Path) -> Result<Value> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    serde_json::from_str(&text).map_err(|e| {
        Error::invalid(
            Location::file(path).line(e.line()),
            format!("not valid JSON: {e}"),
        )
    })
}

/// One generation's walk through a JSON Schema: which tokens may come next, and what
/// was written so far. Implements [`TokenConstraint`], so any backend can use it.
///
/// Make a new one for every generation (they are cheap once the [`ConstraintVocab`]
/// exists); errors for a bad schema name the schema and what is wrong.
///
/// ```
/// use clinkit::llm::constrain::{ConstraintVocab, JsonSchemaConstraint};
/// let vocab = ConstraintVocab::from_texts(&["<eos>", "{", "}"], 0).unwrap();
/// let wrong = serde_json::json!({"type": "integr"});
/// let error = JsonSchemaConstraint::new(&vocab, &wrong).err().unwrap();
/// assert!(error.to_string().contains("integr"), "{error}");
/// ```
pub struct JsonSchemaConstraint {
    matcher: Matcher,
    vocab_size: usize,
    tokens: Vec<u32>,
    factory: Arc<ParserFactory>,
    mask_time: Duration,
    masks: usize,
}

impl JsonSchemaConstraint {
    /// A constraint for `schema` (a JSON Schema as a JSON value), compact layout.
    pub fn new(vocab: &ConstraintVocab, schema: &Value) -> Result<JsonSchemaConstraint> {
        JsonSchemaConstraint::with_layout(vocab, schema, JsonLayout::Compact)
    }

    /// A constraint for the JSON Schema of a Rust type (via `schemars`).
    ///
    /// ```
    /// use clinkit::llm::constrain::{ConstraintVocab, JsonSchemaConstraint};
    /// #[derive(schemars::JsonSchema)]
    /// struct Answer { age: u8 }
    /// let vocab = ConstraintVocab::from_texts(&["<eos>", "{", "}"], 0).unwrap();
    /// assert!(JsonSchemaConstraint::for_type::<Answer>(&vocab).is_ok());
    /// ```
    pub fn for_type<T: schemars::JsonSchema>(
        vocab: &ConstraintVocab,
    ) -> Result<JsonSchemaConstraint> {
        let schema = schemars::schema_for!(T);
        JsonSchemaConstraint::new(vocab, schema.as_value())
    }

    /// A constraint for the JSON Schema in the file at `path`. Errors name the file
    /// (and the line, for broken JSON).
    pub fn from_file(vocab: &ConstraintVocab, path: &Path) -> Result<JsonSchemaConstraint> {
        let schema = read_json_schema(path)?;
        JsonSchemaConstraint::compile(vocab, &schema, JsonLayout::Compact, Location::file(path))
    }

    /// A constraint for `schema` with the given whitespace layout.
    pub fn with_layout(
        vocab: &ConstraintVocab,
        schema: &Value,
        layout: JsonLayout,
    ) -> Result<JsonSchemaConstraint> {
        let at = Location::default().field("json_schema");
        JsonSchemaConstraint::compile(vocab, schema, layout, at)
    }

    fn compile(
        vocab: &ConstraintVocab,
        schema: &Value,
        layout: JsonLayout,
        at: Location,
    ) -> Result<JsonSchemaConstraint> {
        if !schema.is_object() && !schema.is_boolean() {
            return Err(Error::invalid(
                at,
                format!(
                    "a JSON Schema is an object such as {{\"type\": \"object\"}}, found {schema}"
                ),
            ));
        }
        let grammar = TopLevelGrammar::from_json_schema(with_layout(schema, layout));
        let parser = vocab.factory.create_parser(grammar).map_err(|e| {
            Error::invalid(
                at.clone(),
                format!(
                    "this JSON Schema cannot be followed: {}",
                    first_line(&e.to_string())
                ),
            )
        })?;
        let matcher = Matcher::new(Ok(parser));
        if let Some(problem) = matcher.get_error() {
            return Err(Error::invalid(at, first_line(&problem)));
        }
        Ok(JsonSchemaConstraint {
            matcher,
            vocab_size: vocab.vocab_size,
            tokens: Vec::new(),
            factory: vocab.factory.clone(),
            mask_time: Duration::ZERO,
            masks: 0,
        })
    }

    /// The text written so far (the accepted tokens, without the end-of-text token).
    pub fn text(&self) -> String {
        let trie = self.factory.tok_env().tok_trie();
        String::from_utf8_lossy(&trie.decode_ext(&self.tokens, false)).into_owned()
    }

    /// The tokens accepted so far (forced ones included).
    pub fn tokens(&self) -> &[u32] {
        &self.tokens
    }

    /// True when the text so far is already a complete, schema-valid document (the
    /// end-of-text token would be allowed now).
    pub fn is_complete(&mut self) -> bool {
        self.matcher.is_accepting().unwrap_or(false)
    }

    /// Average time one [`TokenConstraint::mask`] call took so far, and how many calls.
    pub fn mask_cost(&self) -> (Duration, usize) {
        let average = if self.masks == 0 {
            Duration::ZERO
        } else {
            self.mask_time / self.masks as u32
        };
        (average, self.masks)
    }

    fn engine_error(&self, what: &str, detail: String) -> Error {
        Error::Refused(format!(
            "constrained decoding: {what} after {:?}: {}",
            self.text(),
            first_line(&detail)
        ))
    }
}

/// Adds llguidance's layout options (`x-guidance`) unless the schema sets its own.
fn with_layout(schema: &Value, layout: JsonLayout) -> Value {
    let mut schema = schema.clone();
    if let (JsonLayout::Compact, Value::Object(fields)) = (layout, &mut schema) {
        fields.entry("x-guidance").or_insert_with(|| {
            serde_json::json!({
                "whitespace_flexible": false,
                "item_separator": ", ",
                "key_separator": ": ",
            })
        });
    }
    schema
}

/// Sets `allowed[id] = false` wherever bit `id` of `bits` is 0 (bit `id % 32` of word
/// `id / 32`, llguidance's layout). Whole words of 0s or 1s are handled at once, which
/// is most of a 262,144-token vocabulary.
fn forbid_unset(bits: &[u32], allowed: &mut [bool]) {
    for (slots, &word) in allowed.chunks_mut(32).zip(bits) {
        match word {
            u32::MAX => {}
            0 => slots.fill(false),
            _ => {
                for (bit, slot) in slots.iter_mut().enumerate() {
                    if word & (1 << bit) == 0 {
                        *slot = false;
                    }
                }
            }
        }
    }
}

/// llguidance's messages can carry a dump of its state after the first line; a student
/// needs the first line.
fn first_line(message: &str) -> String {
    message
        .lines()
        .next()
        .unwrap_or_default()
        .trim()
        .to_string()
}

impl TokenConstraint for JsonSchemaConstraint {
    fn mask(&mut self, allowed: &mut [bool]) -> Result<()> {
        if allowed.len() < self.vocab_size {
            return Err(Error::Refused(format!(
                "constrained decoding: the model scores {} tokens but its vocabulary has {}",
                allowed.len(),
                self.vocab_size
            )));
        }
        let start = Instant::now();
        let mask = self
            .matcher
            .compute_mask_or_eos()
            .map_err(|e| self.engine_error("no token can follow", e.to_string()))?;
        // Tokens past the vocabulary (models pad their output layer) are never allowed.
        allowed[self.vocab_size..].fill(false);
        forbid_unset(mask.as_slice(), &mut allowed[..self.vocab_size]);
        self.mask_time += start.elapsed();
        self.masks += 1;
        Ok(())
    }

    fn accept(&mut self, token: u32) -> Result<()> {
        // A document that cannot go on stops the grammar by itself (the compact layout
        // after its last `}`); the end-of-text token the mask offered then is just the end.
        if self.matcher.is_stopped() && !self.matcher.is_error() && self.is_end_token(token) {
            return Ok(());
        }
        self.matcher.consume_token(token).map_err(|e| {
            let what = format!(
                "token {token} ({:?}) is not allowed",
                self.token_text(token)
            );
            self.engine_error(&what, e.to_string())
        })?;
        self.tokens.push(token);
        Ok(())
    }

    fn is_finished(&self) -> bool {
        self.matcher.is_stopped()
    }

    fn forced_tokens(&mut self) -> Result<Vec<u32>> {
        let forced = self.matcher.consume_ff_tokens();
        if let Some(problem) = self.matcher.get_error() {
            return Err(self.engine_error("forcing tokens failed", problem));
        }
        self.tokens.extend_from_slice(&forced);
        Ok(forced)
    }
}

impl JsonSchemaConstraint {
    /// The token as text; a special token by its name (`<eos>`).
    fn token_text(&self, token: u32) -> String {
        let trie = self.factory.tok_env().tok_trie();
        String::from_utf8_lossy(&trie.decode(&[token])).into_owned()
    }

    fn is_end_token(&self, token: u32) -> bool {
        let trie = self.factory.tok_env().tok_trie();
        trie.eos_tokens().contains(&token)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forbid_unset_reads_bits_low_first_and_keeps_earlier_refusals() {
        let mut allowed = vec![true; 70];
        allowed[1] = false; // refused by someone else before: stays refused
        let bits = [0b101, u32::MAX, 0];
        forbid_unset(&bits, &mut allowed);
        let open: Vec<usize> = (0..70).filter(|&id| allowed[id]).collect();
        assert_eq!(open, [0, 2].into_iter().chain(32..64).collect::<Vec<_>>());
    }

    #[test]
    fn byte_tokens_and_byte_level_tokens_become_their_bytes() {
        assert_eq!(byte_token("<0x0A>"), Some(vec![b'\n']));
        assert_eq!(byte_token("<0xZZ>"), None);
        assert_eq!(byte_level_bytes("Ġthe"), b" the");
        assert_eq!(byte_level_bytes("Ċ"), b"\n");
    }

    #[test]
    fn a_schema_that_is_not_an_object_is_refused_with_the_field_named() {
        let vocab = ConstraintVocab::from_texts(&["<eos>", "1"], 0).unwrap();
        let error = JsonSchemaConstraint::new(&vocab, &serde_json::json!([1, 2]))
            .err()
            .unwrap()
            .to_string();
        assert!(error.starts_with("field `json_schema`"), "{error}");
    }

    #[test]
    fn accepting_a_forbidden_token_is_an_error_that_names_it() {
        let vocab = ConstraintVocab::from_texts(&["<eos>", "{", "}", "x"], 0).unwrap();
        let schema = serde_json::json!({"type": "object"});
        let mut json = JsonSchemaConstraint::new(&vocab, &schema).unwrap();
        let error = json.accept(3).unwrap_err().to_string();
        assert!(error.contains("token 3 (\"x\") is not allowed"), "{error}");
    }

    #[test]
    fn the_document_starts_at_its_first_character_in_both_layouts() {
        let vocab = ConstraintVocab::from_texts(&["<eos>", "{", "}", " ", " {"], 0).unwrap();
        let schema = serde_json::json!({"type": "object"});
        for layout in [JsonLayout::Compact, JsonLayout::Flexible] {
            let mut json = JsonSchemaConstraint::with_layout(&vocab, &schema, layout).unwrap();
            assert!(json.accept(4).is_err(), "{layout:?}");
        }
        let mut json =
            JsonSchemaConstraint::with_layout(&vocab, &schema, JsonLayout::Flexible).unwrap();
        for token in [1, 3, 2] {
            json.accept(token).unwrap();
        }
        assert_eq!(json.text(), "{ }");
    }
}
