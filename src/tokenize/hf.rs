//! Real model tokenizers: a thin wrapper over Hugging Face's `tokenizers` crate.
//!
//! A model only understands the token numbers it was trained with, so to count tokens
//! for a model, or to feed it text, you need *its* tokenizer. It comes as a
//! `tokenizer.json` file next to the weights, or inside a GGUF file (see [`super::gguf`]).
//! [`HfTokenizer`] loads either and gives clinkit's [`Tokens`]: numbers with character
//! spans into your text, ready to show.

use std::collections::HashSet;
use std::path::Path;

use crate::error::{Error, Location, Result};
use crate::text::{char_to_byte, Span};
use crate::tokenize::{TextTokenizer, Token, Tokens};

/// A real model's tokenizer, from a `tokenizer.json` or a GGUF file.
///
/// By default special tokens written *in the text* (such as `<start_of_turn>` or `[CLS]`)
/// are read as plain text, so a letter that happens to contain `<eos>` cannot end a prompt
/// early; the tokenizer still adds the model's own begin-of-text token (see
/// [`HfTokenizer::add_special`]).
///
/// ```
/// use clinkit::tokenize::HfTokenizer;
/// let dir = clinkit::models::models_dir().join("all-minilm-l6-v2");
/// let tokenizer = HfTokenizer::from_file(&dir.join("tokenizer.json")).unwrap();
/// let tokens = tokenizer.tokenize("Geen diabetes").unwrap();
/// // Shown as the text each token covers; the vocabulary pieces are gee, ##n, diabetes.
/// assert_eq!(tokens.to_string(), "[[CLS]][Gee][n][diabetes][[SEP]]");
/// assert_eq!(tokenizer.count("Geen diabetes").unwrap(), 5);
/// ```
#[derive(Clone)]
pub struct HfTokenizer {
    inner: tokenizers::Tokenizer,
    name: String,
    add_special: bool,
    /// The numbers of special added tokens (`<bos>`, `[CLS]`), to mark them in [`Tokens`].
    special_ids: HashSet<u32>,
}

impl std::fmt::Debug for HfTokenizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HfTokenizer")
            .field("name", &self.name)
            .field("vocab_size", &self.vocab_size())
            .field("add_special", &self.add_special)
            .finish()
    }
}

impl HfTokenizer {
    /// Wraps a `tokenizers::Tokenizer` you already have; `name` is used in reports.
    pub fn new(inner: tokenizers::Tokenizer, name: impl Into<String>) -> HfTokenizer {
        let special_ids = inner
            .get_added_tokens_decoder()
            .into_iter()
            .filter(|(_, token)| token.special)
            .map(|(id, _)| id)
            .collect();
        HfTokenizer {
            inner,
            name: name.into(),
            add_special: true,
            special_ids,
        }
    }

    /// Loads a `tokenizer.json` file. Errors name the file.
    ///
    /// Padding and truncation settings in the file are switched off, so that counts are
    /// the true length of the text (all-MiniLM's file pads every text to 128 tokens).
    pub fn from_file(path: &Path) -> Result<HfTokenizer> {
        let json = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        let mut inner: tokenizers::Tokenizer = json.parse().map_err(|e| {
            Error::invalid(
                Location::file(path),
                format!("not a tokenizer.json file: {e}"),
            )
        })?;
        // Count every token of the text: no padding up to a fixed length, no cutting off.
        inner.with_padding(None);
        inner
            .with_truncation(None)
            .map_err(|e| Error::invalid(Location::file(path), e.to_string()))?;
        inner.set_encode_special_tokens(true);
        Ok(HfTokenizer::new(inner, file_name(path)))
    }

    /// Builds the tokenizer stored in a GGUF model file (see [`super::gguf`]).
    pub fn from_gguf(path: &Path) -> Result<HfTokenizer> {
        let inner = super::gguf::tokenizer_from_gguf(path)?;
        Ok(HfTokenizer::new(inner, file_name(path)))
    }

    /// Loads the tokenizer of a model clinkit knows by name (see `clinkit models list`):
    /// its `tokenizer.json`, or else the tokenizer inside its GGUF file.
    pub fn for_model(name: &str) -> Result<HfTokenizer> {
        let dir = crate::models::ready_dir(name)?;
        let json = dir.join("tokenizer.json");
        if json.is_file() {
            return HfTokenizer::from_file(&json).map(|t| t.named(name));
        }
        let spec = crate::models::find(name)?;
        let gguf = spec
            .files
            .iter()
            .find(|file| file.path.ends_with(".gguf"))
            .ok_or_else(|| Error::Model {
                name: name.to_string(),
                message: "has neither a tokenizer.json nor a GGUF file".to_string(),
            })?;
        HfTokenizer::from_gguf(&dir.join(&gguf.path)).map(|t| t.named(name))
    }

    fn named(mut self, name: &str) -> HfTokenizer {
        self.name = name.to_string();
        self
    }

    /// Whether to add the model's own special tokens (`<bos>`, `[CLS]` ... `[SEP]`) around
    /// the text, as the model expects when it reads it. On by default.
    pub fn add_special(mut self, add: bool) -> HfTokenizer {
        self.add_special = add;
        self
    }

    /// Whether special tokens written in the text (`<start_of_turn>`) become special
    /// tokens. Off by default: only chat templates built by code should turn this on.
    pub fn parse_special(mut self, parse: bool) -> HfTokenizer {
        self.inner.set_encode_special_tokens(!parse);
        self
    }

    /// The `tokenizers::Tokenizer` inside, for everything this wrapper does not do.
    pub fn inner(&self) -> &tokenizers::Tokenizer {
        &self.inner
    }

    /// How many tokens the vocabulary has (special tokens included).
    pub fn vocab_size(&self) -> usize {
        self.inner.get_vocab_size(true)
    }

    /// The token numbers of `text`.
    pub fn ids(&self, text: &str) -> Result<Vec<u32>> {
        Ok(self.encode(text)?.get_ids().to_vec())
    }

    fn encode(&self, text: &str) -> Result<tokenizers::Encoding> {
        self.inner
            .encode_char_offsets(text, self.add_special)
            .map_err(|e| Error::Refused(format!("{}: cannot tokenize: {e}", self.name)))
    }

    /// Turns token numbers back into text (special tokens left out).
    pub fn decode(&self, ids: &[u32]) -> Result<String> {
        self.inner
            .decode(ids, true)
            .map_err(|e| Error::Refused(format!("{}: cannot decode: {e}", self.name)))
    }

    /// Keeps the longest beginning of `text` whose tokens fit in `budget` tokens (special
    /// tokens included), cut at a token boundary. Use it to make a letter fit in what is
    /// left of a model's context window after the instructions.
    ///
    /// ```
    /// use clinkit::tokenize::HfTokenizer;
    /// let dir = clinkit::models::models_dir().join("all-minilm-l6-v2");
    /// let tokenizer = HfTokenizer::from_file(&dir.join("tokenizer.json")).unwrap();
    /// // [CLS] gee ##n diabetes , we ##l hyper ##tens ##ie . [SEP]: 12 tokens
    /// let cut = tokenizer.truncate("Geen diabetes, wel hypertensie.", 5).unwrap();
    /// assert_eq!(cut.text, "Geen diabetes"); // [CLS] gee ##n diabetes [SEP]
    /// assert_eq!((cut.tokens, cut.original_tokens), (5, 12));
    /// ```
    pub fn truncate(&self, text: &str, budget: usize) -> Result<Truncated> {
        let tokens = self.tokenize(text)?;
        let original_tokens = tokens.len();
        let mut keep = budget.min(original_tokens);
        loop {
            let end_char = cut_point(&tokens, keep);
            let end_byte = char_to_byte(text, end_char).unwrap_or(text.len());
            let kept = &text[..end_byte];
            let count = self.count(kept)?;
            if count <= budget || keep == 0 {
                return Ok(Truncated {
                    text: kept.to_string(),
                    tokens: count,
                    original_tokens,
                });
            }
            keep -= 1;
        }
    }
}

/// Where to cut the text so that the first `keep` tokens stay: at the start of the
/// first ordinary token that does not (or at the end when every ordinary token stays).
fn cut_point(tokens: &Tokens, keep: usize) -> usize {
    let all = tokens.tokens();
    all.iter()
        .skip(keep)
        .find(|token| !token.special)
        .map(|token| token.span.start)
        .unwrap_or_else(|| crate::text::char_len(tokens.text()))
}

/// The beginning of a text that fits a token budget (see [`HfTokenizer::truncate`]).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Truncated {
    /// The text that was kept.
    pub text: String,
    /// How many tokens the kept text takes.
    pub tokens: usize,
    /// How many tokens the whole text took.
    pub original_tokens: usize,
}

impl TextTokenizer for HfTokenizer {
    fn name(&self) -> String {
        self.name.clone()
    }

    fn tokenize(&self, text: &str) -> Result<Tokens> {
        HfTokenizer::tokenize(self, text)
    }

    fn count(&self, text: &str) -> Result<usize> {
        HfTokenizer::count(self, text)
    }
}

impl HfTokenizer {
    /// The tokens of `text` with where each sits in the text, ready to show.
    pub fn tokenize(&self, text: &str) -> Result<Tokens> {
        let encoding = self.encode(text)?;
        let special = encoding.get_special_tokens_mask();
        let tokens = encoding
            .get_ids()
            .iter()
            .zip(encoding.get_tokens())
            .zip(encoding.get_offsets())
            .enumerate()
            .map(|(i, ((&id, piece), &(start, end)))| Token {
                id,
                piece: piece.clone(),
                span: Span::new(start, end),
                special: special.get(i) == Some(&1) || self.special_ids.contains(&id),
            })
            .collect();
        Ok(Tokens::new(text, tokens))
    }

    /// How many tokens `text` takes (special tokens included, as the model sees it).
    pub fn count(&self, text: &str) -> Result<usize> {
        Ok(self.encode(text)?.len())
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}
