//! A real tokenizer built from a GGUF file alone, so any local model runs with no other file.
//!
//! A GGUF model carries its tokenizer in its metadata (see [`super::gguf_file`]):
//!
//! | key | what it holds |
//! | --- | --- |
//! | `tokenizer.ggml.model` | the kind of tokenizer: `llama` (SentencePiece) or `gpt2` (byte-level BPE) |
//! | `tokenizer.ggml.tokens` | every token's text, by number |
//! | `tokenizer.ggml.scores` | `llama`: a score per token; higher merges first |
//! | `tokenizer.ggml.token_type` | normal, control (`<bos>`), user-defined (`<b>`, runs of spaces), byte (`<0x41>`) ... |
//! | `tokenizer.ggml.merges` | `gpt2`: the merges, as `"a b"`, in learned order |
//! | `tokenizer.ggml.bos_token_id`, `add_bos_token`, `add_space_prefix`, `pre` | how a text is started and pre-split |
//!
//! We turn these into a [`tokenizers::Tokenizer`] (Hugging Face's), so the rest of
//! clinkit treats a GGUF tokenizer like any `tokenizer.json`. The goal is to give exactly
//! the token numbers llama.cpp gives, and `tests/tokenize_gguf.rs` checks that on the
//! packaged Gemma 3 model against numbers produced by llama.cpp itself.
//!
//! **How llama.cpp tokenizes a `llama` (SentencePiece) vocabulary**, and how we copy it:
//!
//! 1. Control tokens (`<bos>`, `<start_of_turn>`; only when asked to read special tokens)
//!    and user-defined tokens (Gemma's `<b>`, `\n`, runs of spaces or tabs; always) are cut
//!    out of the raw text first. We register them as *added tokens*, matched on the raw
//!    text; control tokens are "special" and only matched when special tokens are read.
//! 2. Each remaining piece gets a space in front if `add_space_prefix` is true (Llama 2
//!    does this; Gemma does not), and every space becomes `▁`.
//! 3. The piece starts as single characters. Repeatedly, of all neighbouring pairs whose
//!    glued text is a token, the pair whose token has the **highest score** is glued
//!    (leftmost first on a tie). A character that is not a token is written as its
//!    UTF-8 bytes, `<0xE2>` and so on ("byte fallback").
//!
//! Hugging Face's BPE model applies *merges* in rank order instead of scores. We derive
//! the merges from the scores: every way to cut a token in two tokens is a merge, ranked
//! by the token's score. That gives llama.cpp's result, except for two corner cases we
//! accept: two different merges with exactly equal scores competing in one word (Gemma's
//! normal tokens all have different scores), and added tokens that overlap each other.
//!
//! `gpt2` vocabularies (Qwen, Llama 3, GPT-2) use byte-level BPE: the text is pre-split
//! with the regular expression named by `tokenizer.ggml.pre`, each byte is written as a
//! printable character (a space as `Ġ`), and the merges are applied in order.
//!
//! ```no_run
//! use clinkit::tokenize::gguf::tokenizer_from_gguf;
//! let dir = clinkit::models::ready_dir("gemma-3-270m-q4_k_m").unwrap();
//! let tokenizer = tokenizer_from_gguf(&dir.join("gemma-3-270m-q4_k_m.gguf")).unwrap();
//! let encoding = tokenizer.encode("Geen diabetes.", true).unwrap();
//! println!("{:?}", encoding.get_tokens()); // ["<bos>", "Ge", "en", "▁diabetes", "."]
//! ```

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::path::Path;

use tokenizers::decoders::byte_fallback::ByteFallback;
use tokenizers::decoders::byte_level::ByteLevel;
use tokenizers::decoders::fuse::Fuse;
use tokenizers::decoders::sequence::Sequence as DecoderSequence;
use tokenizers::decoders::strip::Strip;
use tokenizers::models::bpe::{Vocab, BPE};
use tokenizers::normalizers::{Prepend, Replace, Sequence as NormalizerSequence};
use tokenizers::pre_tokenizers::sequence::Sequence as PreTokenizerSequence;
use tokenizers::pre_tokenizers::split::{Split, SplitPattern};
use tokenizers::processors::template::TemplateProcessing;
use tokenizers::{
    AddedToken, DecoderWrapper, NormalizerWrapper, PreTokenizerWrapper, SplitDelimiterBehavior,
    Tokenizer,
};

use super::gguf_file::{GgufMetadata, Value};
use crate::error::{Error, Location, Result};

/// What a token is, as `tokenizer.ggml.token_type` says (llama.cpp's numbering).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenType {
    /// 1: an ordinary piece of text.
    Normal,
    /// 2: the "unknown" token.
    Unknown,
    /// 3: a control token such as `<bos>` or `<end_of_turn>`: never plain text.
    Control,
    /// 4: a user-defined token, always cut out of the text first (`<b>`, `\n\n`).
    UserDefined,
    /// 5: a reserved token that is not used.
    Unused,
    /// 6: a single byte, written `<0x41>`.
    Byte,
    /// 0 or anything else.
    Undefined,
}

impl TokenType {
    /// The type for llama.cpp's number.
    ///
    /// ```
    /// use clinkit::tokenize::gguf::TokenType;
    /// assert_eq!(TokenType::from_code(3), TokenType::Control);
    /// assert_eq!(TokenType::from_code(42), TokenType::Undefined);
    /// ```
    pub fn from_code(code: i64) -> TokenType {
        match code {
            1 => TokenType::Normal,
            2 => TokenType::Unknown,
            3 => TokenType::Control,
            4 => TokenType::UserDefined,
            5 => TokenType::Unused,
            6 => TokenType::Byte,
            _ => TokenType::Undefined,
        }
    }
}

/// The tokenizer part of a GGUF file's metadata, read and checked.
#[derive(Debug, Clone)]
pub struct GgufVocab {
    /// `tokenizer.ggml.model`: `llama` or `gpt2`.
    pub model: String,
    /// `tokenizer.ggml.pre`: the name of the pre-split rule (`gpt2` vocabularies).
    pub pre: Option<String>,
    /// Every token's text, by number.
    pub tokens: Vec<String>,
    /// Every token's score (0 when the file has none).
    pub scores: Vec<f32>,
    /// Every token's type (normal when the file has none).
    pub types: Vec<TokenType>,
    /// `gpt2`: the merges as `"left right"`, in order.
    pub merges: Vec<String>,
    /// The begin-of-text token.
    pub bos: Option<u32>,
    /// The end-of-text token.
    pub eos: Option<u32>,
    /// The unknown token.
    pub unk: Option<u32>,
    /// Whether a text starts with the begin-of-text token.
    pub add_bos: bool,
    /// Whether a text ends with the end-of-text token.
    pub add_eos: bool,
    /// Whether a space is put before the text (SentencePiece's "dummy prefix").
    pub add_space_prefix: bool,
}

const KEY_MODEL: &str = "tokenizer.ggml.model";
const KEY_TOKENS: &str = "tokenizer.ggml.tokens";

impl GgufVocab {
    /// Reads the tokenizer keys. `path` names the file in error messages.
    pub fn from_metadata(metadata: &GgufMetadata, path: &Path) -> Result<GgufVocab> {
        let at = |key: &str| Location::file(path).field(key);
        let model = metadata
            .get_str(KEY_MODEL)
            .ok_or_else(|| {
                Error::invalid(
                    at(KEY_MODEL),
                    "this GGUF file has no tokenizer (the key is missing or not text)",
                )
            })?
            .to_string();
        let is_llama = model == "llama";
        let tokens = string_array(metadata, KEY_TOKENS, path)?;
        let n = tokens.len();
        let scores = number_array(metadata, "tokenizer.ggml.scores", n, path)?
            .unwrap_or_else(|| vec![0.0; n])
            .into_iter()
            .map(|score| score as f32)
            .collect();
        let types = number_array(metadata, "tokenizer.ggml.token_type", n, path)?
            .map(|codes| {
                codes
                    .into_iter()
                    .map(|code| TokenType::from_code(code as i64))
                    .collect()
            })
            .unwrap_or_else(|| vec![TokenType::Normal; n]);
        let merges = match metadata.get("tokenizer.ggml.merges") {
            Some(_) => string_array(metadata, "tokenizer.ggml.merges", path)?,
            None => Vec::new(),
        };
        let id = |key: &str, default: Option<u32>| -> Result<Option<u32>> {
            let key = format!("tokenizer.ggml.{key}");
            match metadata.get_u64(&key) {
                Some(id) if (id as usize) < n => Ok(Some(id as u32)),
                Some(id) => Err(Error::invalid(
                    at(&key),
                    format!("token {id} does not exist (the vocabulary has {n} tokens)"),
                )),
                None => Ok(default.filter(|&id| (id as usize) < n)),
            }
        };
        let flag = |key: &str, default: bool| {
            metadata
                .get_bool(&format!("tokenizer.ggml.{key}"))
                .unwrap_or(default)
        };
        // llama.cpp's defaults when a key is missing.
        let (bos_default, eos_default, unk_default) = if is_llama {
            (Some(1), Some(2), Some(0))
        } else {
            (Some(11), Some(11), None)
        };
        Ok(GgufVocab {
            pre: metadata.get_str("tokenizer.ggml.pre").map(str::to_string),
            bos: id("bos_token_id", bos_default)?,
            eos: id("eos_token_id", eos_default)?,
            unk: id("unknown_token_id", unk_default)?,
            add_bos: flag("add_bos_token", is_llama),
            add_eos: flag("add_eos_token", false),
            add_space_prefix: flag("add_space_prefix", is_llama),
            model,
            tokens,
            scores,
            types,
            merges,
        })
    }
}

fn string_array(metadata: &GgufMetadata, key: &str, path: &Path) -> Result<Vec<String>> {
    let wrong = || Error::invalid(Location::file(path).field(key), "expected an array of text");
    let items = metadata.get_array(key).ok_or_else(wrong)?;
    items
        .iter()
        .map(|item| match item {
            Value::String(text) => Ok(text.clone()),
            _ => Err(wrong()),
        })
        .collect()
}

/// An array of numbers with one number per token, or `None` if the key is absent.
fn number_array(
    metadata: &GgufMetadata,
    key: &str,
    tokens: usize,
    path: &Path,
) -> Result<Option<Vec<f64>>> {
    let Some(value) = metadata.get(key) else {
        return Ok(None);
    };
    let wrong = |message: String| Error::invalid(Location::file(path).field(key), message);
    let Value::Array(items) = value else {
        return Err(wrong(format!(
            "expected an array, found {}",
            value.type_name()
        )));
    };
    if items.len() < tokens {
        return Err(wrong(format!("{} values for {tokens} tokens", items.len())));
    }
    items
        .iter()
        .take(tokens)
        .map(|item| {
            item.as_f64()
                .ok_or_else(|| wrong(format!("expected numbers, found {}", item.type_name())))
        })
        .collect::<Result<Vec<f64>>>()
        .map(Some)
}

/// Reads a GGUF file's metadata and builds its tokenizer.
///
/// Errors name the file: not a GGUF file, no tokenizer in it, or a kind of tokenizer
/// clinkit cannot build.
pub fn tokenizer_from_gguf(path: &Path) -> Result<Tokenizer> {
    let metadata = GgufMetadata::read(path)?;
    tokenizer_from_metadata(&metadata, path)
}

/// Builds the tokenizer described by GGUF metadata. `path` names the file in errors.
///
/// ```
/// use clinkit::tokenize::gguf::tokenizer_from_metadata;
/// use clinkit::tokenize::gguf_file::{GgufMetadata, Value};
/// let strings = |items: &[&str]| Value::Array(items.iter().map(|s| Value::String(s.to_string())).collect());
/// // A tiny SentencePiece vocabulary: "▁" marks a space; higher scores merge first.
/// let tokens = ["<unk>", "<s>", "</s>", "▁", "g", "e", "n", "▁g", "▁ge", "en"];
/// let scores = [0.0, 0.0, 0.0, -10.0, -10.0, -10.0, -10.0, -1.0, -2.0, -3.0];
/// let bytes = GgufMetadata::to_bytes(&[
///     ("tokenizer.ggml.model", Value::String("llama".into())),
///     ("tokenizer.ggml.tokens", strings(&tokens)),
///     ("tokenizer.ggml.scores", Value::Array(scores.map(Value::F32).to_vec())),
///     ("tokenizer.ggml.token_type", Value::Array([2, 3, 3, 1, 1, 1, 1, 1, 1, 1].map(Value::I32).to_vec())),
/// ]);
/// let metadata = GgufMetadata::from_bytes(&bytes).unwrap();
/// let tokenizer = tokenizer_from_metadata(&metadata, "tiny.gguf".as_ref()).unwrap();
/// // Llama-style: <s> first, and a space before the text ("▁geen").
/// let encoding = tokenizer.encode("geen", true).unwrap();
/// assert_eq!(encoding.get_tokens(), ["<s>", "▁ge", "en"]);
/// assert_eq!(encoding.get_ids(), [1, 8, 9]);
/// ```
pub fn tokenizer_from_metadata(metadata: &GgufMetadata, path: &Path) -> Result<Tokenizer> {
    let vocab = GgufVocab::from_metadata(metadata, path)?;
    match vocab.model.as_str() {
        "llama" => sentencepiece_tokenizer(&vocab, path),
        "gpt2" => byte_level_tokenizer(&vocab, path),
        other => Err(Error::invalid(
            Location::file(path).field(KEY_MODEL),
            format!(
                "tokenizer type `{other}` is not supported; clinkit builds `llama` (SentencePiece) and `gpt2` (byte-level BPE) tokenizers"
            ),
        )),
    }
}

/// The token → number table. llama.cpp keeps the last number when a text repeats.
fn vocab_map(vocab: &GgufVocab) -> Vocab {
    vocab
        .tokens
        .iter()
        .enumerate()
        .map(|(id, token)| (token.clone(), id as u32))
        .collect()
}

/// SentencePiece merges from scores: every cut of a token into two tokens, ranked by the
/// score of the whole token (highest first; on equal scores, lower token number first).
///
/// ```
/// use clinkit::tokenize::gguf::merges_from_scores;
/// let tokens = ["a", "b", "c", "ab", "bc", "abc"].map(String::from);
/// let scores = [0.0, 0.0, 0.0, -1.0, -3.0, -2.0];
/// let merges = merges_from_scores(&tokens, &scores);
/// let expected = [("a", "b"), ("a", "bc"), ("ab", "c"), ("b", "c")];
/// assert_eq!(merges, expected.map(|(l, r)| (l.to_string(), r.to_string())));
/// ```
pub fn merges_from_scores(tokens: &[String], scores: &[f32]) -> Vec<(String, String)> {
    let ids: TokenIds = tokens
        .iter()
        .enumerate()
        .map(|(id, token)| (token.as_str(), id))
        .collect();
    let mut by_score: Vec<usize> = (0..tokens.len()).collect();
    by_score.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]).then(a.cmp(&b)));
    let mut merges = Vec::new();
    for id in by_score {
        let mut cuts = two_token_cuts(&tokens[id], &ids);
        cuts.sort_unstable();
        merges.extend(
            cuts.into_iter()
                .map(|(l, r)| (tokens[l].clone(), tokens[r].clone())),
        );
    }
    merges
}

/// Token text → number, with a simple fast hash (FNV-1a): Rust's default hash resists
/// attacks on web servers but is slow for the million lookups of a 262,144-token
/// vocabulary.
type TokenIds<'a> = HashMap<&'a str, usize, BuildHasherDefault<Fnv>>;

/// The FNV-1a hash: for each byte, xor it in and multiply by a large prime.
#[derive(Default)]
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut hash = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &byte in bytes {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
        self.0 = hash;
    }
}

/// Every way to cut `token` into a left and a right part that are both tokens.
fn two_token_cuts(token: &str, ids: &TokenIds) -> Vec<(usize, usize)> {
    token
        .char_indices()
        .skip(1)
        .filter_map(|(cut, _)| {
            let left = ids.get(&token[..cut])?;
            let right = ids.get(&token[cut..])?;
            Some((*left, *right))
        })
        .collect()
}

/// Control and user-defined tokens as added tokens, matched on the raw text. Control
/// (and unknown) tokens are "special": read only when special tokens are asked for.
fn added_tokens(vocab: &GgufVocab) -> Vec<AddedToken> {
    vocab
        .tokens
        .iter()
        .zip(&vocab.types)
        .filter_map(|(token, kind)| {
            let special = match kind {
                TokenType::Control | TokenType::Unknown => true,
                TokenType::UserDefined => false,
                _ => return None,
            };
            Some(AddedToken::from(token.clone(), special).normalized(false))
        })
        .collect()
}

fn sentencepiece_tokenizer(vocab: &GgufVocab, path: &Path) -> Result<Tokenizer> {
    let merges = merges_from_scores(&vocab.tokens, &vocab.scores);
    let has_byte_tokens = vocab.types.contains(&TokenType::Byte);
    let mut builder = BPE::builder()
        .vocab_and_merges(vocab_map(vocab), merges)
        .byte_fallback(has_byte_tokens);
    if let Some(unk) = vocab.unk {
        builder = builder.unk_token(vocab.tokens[unk as usize].clone());
    }
    let model = builder.build().map_err(|e| build_error(path, e))?;
    let mut tokenizer = Tokenizer::new(model);

    let mut normalizers: Vec<NormalizerWrapper> = Vec::new();
    if vocab.add_space_prefix {
        normalizers.push(Prepend::new("▁".to_string()).into());
    }
    normalizers.push(
        Replace::new(" ", "▁")
            .map_err(|e| build_error(path, e))?
            .into(),
    );
    tokenizer
        .with_normalizer(Some(NormalizerSequence::new(normalizers)))
        .map_err(|e| build_error(path, e))?;

    let mut decoders: Vec<DecoderWrapper> = vec![
        Replace::new("▁", " ")
            .map_err(|e| build_error(path, e))?
            .into(),
        ByteFallback::new().into(),
        Fuse::new().into(),
    ];
    if vocab.add_space_prefix {
        decoders.push(Strip::new(' ', 1, 0).into());
    }
    tokenizer.with_decoder(Some(DecoderSequence::new(decoders)));
    finish(tokenizer, vocab, path)
}

/// Pre-split regular expressions of llama.cpp's byte-level BPE tokenizers, by
/// `tokenizer.ggml.pre`. (`ignore_merges`: a pre-split piece that is a whole token is
/// taken as it is, as Llama 3 does.)
fn pre_split_rule(pre: &str) -> Option<(&'static str, bool)> {
    const GPT2: &str = r"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)";
    const LLAMA3: &str = r"(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";
    const QWEN2: &str = r"(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";
    match pre {
        "gpt-2" | "gpt2" => Some((GPT2, false)),
        "llama-bpe" | "llama3" => Some((LLAMA3, true)),
        "qwen2" => Some((QWEN2, false)),
        _ => None,
    }
}

/// The `pre` names [`tokenizer_from_gguf`] understands for `gpt2` vocabularies.
pub const SUPPORTED_PRE: [&str; 5] = ["gpt-2", "gpt2", "llama-bpe", "llama3", "qwen2"];

fn byte_level_tokenizer(vocab: &GgufVocab, path: &Path) -> Result<Tokenizer> {
    let pre = vocab.pre.as_deref().unwrap_or("gpt-2");
    let (pattern, ignore_merges) = pre_split_rule(pre).ok_or_else(|| {
        Error::invalid(
            Location::file(path).field("tokenizer.ggml.pre"),
            format!(
                "pre-split rule `{pre}` is not supported; supported: {}",
                SUPPORTED_PRE.join(", ")
            ),
        )
    })?;
    let merges = vocab
        .merges
        .iter()
        .enumerate()
        .map(|(i, merge)| split_merge(merge, i, path))
        .collect::<Result<Vec<_>>>()?;
    let model = BPE::builder()
        .vocab_and_merges(vocab_map(vocab), merges)
        .ignore_merges(ignore_merges)
        .build()
        .map_err(|e| build_error(path, e))?;
    let mut tokenizer = Tokenizer::new(model);
    let split = Split::new(
        SplitPattern::Regex(pattern.to_string()),
        SplitDelimiterBehavior::Isolated,
        false,
    )
    .map_err(|e| build_error(path, e))?;
    let pre_tokenizers: Vec<PreTokenizerWrapper> =
        vec![split.into(), ByteLevel::new(false, false, false).into()];
    tokenizer.with_pre_tokenizer(Some(PreTokenizerSequence::new(pre_tokenizers)));
    tokenizer.with_decoder(Some(ByteLevel::new(false, false, false)));
    finish(tokenizer, vocab, path)
}

/// Cuts a merge `"left right"` at the first space after its first character, as llama.cpp does.
fn split_merge(merge: &str, index: usize, path: &Path) -> Result<(String, String)> {
    let cut = merge
        .char_indices()
        .skip(1)
        .find(|&(_, c)| c == ' ')
        .map(|(at, _)| at)
        .ok_or_else(|| {
            Error::invalid(
                Location::file(path).field(format!("tokenizer.ggml.merges[{index}]")),
                format!("merge {merge:?} has no space between its two tokens"),
            )
        })?;
    Ok((merge[..cut].to_string(), merge[cut + 1..].to_string()))
}

/// Adds the added tokens and the begin/end-of-text template; special tokens in the text
/// are read as plain text unless asked for (see [`super::HfTokenizer::parse_special`]).
fn finish(mut tokenizer: Tokenizer, vocab: &GgufVocab, path: &Path) -> Result<Tokenizer> {
    let added = added_tokens(vocab);
    let (special, ordinary): (Vec<AddedToken>, Vec<AddedToken>) =
        added.into_iter().partition(|token| token.special);
    tokenizer
        .add_tokens(ordinary)
        .map_err(|e| build_error(path, e))?;
    tokenizer
        .add_special_tokens(special)
        .map_err(|e| build_error(path, e))?;
    tokenizer.set_encode_special_tokens(true);
    if let Some(template) = template(vocab, path)? {
        tokenizer.with_post_processor(Some(template));
    }
    Ok(tokenizer)
}

/// `<bos> $A` (and `$A <eos>`) as the model wants it, or `None` for neither.
fn template(vocab: &GgufVocab, path: &Path) -> Result<Option<TemplateProcessing>> {
    let bos = vocab.bos.filter(|_| vocab.add_bos);
    let eos = vocab.eos.filter(|_| vocab.add_eos);
    if bos.is_none() && eos.is_none() {
        return Ok(None);
    }
    let name = |id: u32| vocab.tokens[id as usize].clone();
    let mut single = Vec::new();
    let mut pair = Vec::new();
    let mut specials = Vec::new();
    if let Some(bos) = bos {
        single.push(name(bos));
        pair.push(name(bos));
        specials.push((name(bos), bos));
    }
    single.push("$A".to_string());
    pair.push("$A".to_string());
    if let Some(bos) = bos {
        pair.push(format!("{}:1", name(bos)));
    }
    pair.push("$B:1".to_string());
    if let Some(eos) = eos {
        single.push(name(eos));
        pair.push(format!("{}:1", name(eos)));
        specials.push((name(eos), eos));
    }
    specials.dedup();
    TemplateProcessing::builder()
        .try_single(single)
        .and_then(|builder| builder.try_pair(pair))
        .map_err(|e| build_error(path, e))?
        .special_tokens(specials)
        .build()
        .map(Some)
        .map_err(|e| build_error(path, e))
}

fn build_error(path: &Path, error: impl std::fmt::Display) -> Error {
    Error::invalid(
        Location::file(path),
        format!("cannot build the tokenizer: {error}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(items: &[&str]) -> Value {
        Value::Array(items.iter().map(|s| Value::String(s.to_string())).collect())
    }

    #[test]
    fn an_unknown_tokenizer_type_is_refused_by_name() {
        let bytes = GgufMetadata::to_bytes(&[
            ("tokenizer.ggml.model", Value::String("bert".into())),
            ("tokenizer.ggml.tokens", strings(&["[CLS]"])),
        ]);
        let metadata = GgufMetadata::from_bytes(&bytes).unwrap();
        let error = tokenizer_from_metadata(&metadata, Path::new("m.gguf"))
            .unwrap_err()
            .to_string();
        assert!(
            error.starts_with("m.gguf: field `tokenizer.ggml.model`: tokenizer type `bert`"),
            "{error}"
        );
    }

    #[test]
    fn a_gpt2_vocabulary_applies_its_merges() {
        // Byte-level: "Ġ" is a space. Merges: "h e", "he y", "Ġ he".
        let tokens = ["h", "e", "y", "Ġ", "he", "hey", "Ġhe", "<|end|>"];
        let bytes = GgufMetadata::to_bytes(&[
            ("tokenizer.ggml.model", Value::String("gpt2".into())),
            ("tokenizer.ggml.pre", Value::String("gpt-2".into())),
            ("tokenizer.ggml.tokens", strings(&tokens)),
            (
                "tokenizer.ggml.token_type",
                Value::Array([1, 1, 1, 1, 1, 1, 1, 3].map(Value::I32).to_vec()),
            ),
            ("tokenizer.ggml.merges", strings(&["h e", "he y", "Ġ he"])),
        ]);
        let metadata = GgufMetadata::from_bytes(&bytes).unwrap();
        let tokenizer = tokenizer_from_metadata(&metadata, Path::new("t.gguf")).unwrap();
        let encoding = tokenizer.encode("hey he", false).unwrap();
        assert_eq!(encoding.get_ids(), [5, 6]);
        assert_eq!(tokenizer.decode(&[5, 6], false).unwrap(), "hey he");
    }

    #[test]
    fn an_unknown_pre_split_rule_is_refused() {
        let bytes = GgufMetadata::to_bytes(&[
            ("tokenizer.ggml.model", Value::String("gpt2".into())),
            ("tokenizer.ggml.pre", Value::String("martian".into())),
            ("tokenizer.ggml.tokens", strings(&["a"])),
        ]);
        let metadata = GgufMetadata::from_bytes(&bytes).unwrap();
        let error = tokenizer_from_metadata(&metadata, Path::new("t.gguf"))
            .unwrap_err()
            .to_string();
        assert!(error.contains("`martian` is not supported"), "{error}");
    }

    #[test]
    fn a_space_prefix_and_byte_fallback_work_like_llama2() {
        let mut tokens: Vec<String> = vec!["<unk>".into(), "<s>".into(), "</s>".into()];
        tokens.extend((0..=255).map(|b| format!("<0x{b:02X}>")));
        tokens.extend(["▁", "a", "▁a"].map(String::from));
        let n = tokens.len();
        let mut types = vec![Value::I32(2), Value::I32(3), Value::I32(3)];
        types.extend((0..256).map(|_| Value::I32(6)));
        types.extend([1, 1, 1].map(Value::I32));
        let scores = (0..n).map(|i| Value::F32(-(i as f32))).collect();
        let token_values = tokens.iter().map(|t| Value::String(t.clone())).collect();
        let bytes = GgufMetadata::to_bytes(&[
            ("tokenizer.ggml.model", Value::String("llama".into())),
            ("tokenizer.ggml.tokens", Value::Array(token_values)),
            ("tokenizer.ggml.scores", Value::Array(scores)),
            ("tokenizer.ggml.token_type", Value::Array(types)),
        ]);
        let metadata = GgufMetadata::from_bytes(&bytes).unwrap();
        let tokenizer = tokenizer_from_metadata(&metadata, Path::new("t.gguf")).unwrap();
        let encoding = tokenizer.encode("a é", true).unwrap();
        let a = n as u32 - 1;
        let space = n as u32 - 3;
        // <s> ▁a ▁ then é as the bytes C3 A9.
        assert_eq!(encoding.get_ids(), [1, a, space, 3 + 0xC3, 3 + 0xA9]);
        let decoded = tokenizer.decode(encoding.get_ids(), true).unwrap();
        assert_eq!(decoded, "a é");
    }
}
