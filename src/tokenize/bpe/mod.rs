//! Byte-pair encoding (BPE) written from scratch, small enough to read in one sitting.
//!
//! This is how GPT-style models cut text into tokens. The idea fits in three sentences:
//!
//! 1. Start from the 256 possible bytes: every text is a list of bytes, so every text
//!    can be written with these 256 "tokens" (UTF-8 writes `ë` as two bytes, an emoji
//!    as four).
//! 2. **Training**: count which two neighbouring tokens occur together most often in a
//!    corpus (say `e` followed by `n`), give that pair a new token number (256), and
//!    replace the pair everywhere. Repeat until the vocabulary has the size you want.
//!    Each step is one *merge*.
//! 3. **Encoding** new text: start from its bytes and apply the merges in the order
//!    they were learned. **Decoding**: replace every token by its bytes.
//!
//! Frequent words end up as one token; rare words (a drug name, `NT-proBNP`) are cut
//! into several pieces, and nothing is ever "unknown", because the bytes are always
//! there. Before training, text is usually cut into word-like pieces by a regular
//! expression (a [`SplitPattern`]) so merges never glue the end of one word to the
//! start of the next.
//!
//! ```
//! use clinkit::tokenize::bpe::{Bpe, TrainOptions};
//! let corpus = "geen diabetes, geen hypertensie, geen allergieën. ".repeat(20);
//! let bpe = Bpe::train(&corpus, &TrainOptions::new(300)).unwrap();
//! let ids = bpe.encode("geen diabetes");
//! assert!(ids.len() < "geen diabetes".len()); // fewer tokens than bytes
//! assert_eq!(bpe.decode(&ids), "geen diabetes"); // and back again
//! println!("{}", bpe.tokens("geen diabetes")); // [geen diabetes] or similar pieces
//! ```
//!
//! The design follows Andrej Karpathy's [minbpe](https://github.com/karpathy/minbpe):
//! a plain list of merges, byte-level, optional GPT-style pre-split and special tokens.

use std::collections::HashMap;
use std::fmt::Write as _;

use regex::Regex;

use crate::error::Result;
use crate::text::{byte_to_char, Span};
use crate::tokenize::{Token, Tokens};

mod file;
mod pattern;
mod trace;
mod train;

pub use pattern::{SplitPattern, GPT2_PATTERN, GPT4_PATTERN};
pub use trace::{EncodeTrace, TraceStep};
pub use train::{TrainOptions, TrainStep, Training};

/// A token's number. Numbers 0 to 255 are the bytes themselves.
pub type TokenId = u32;

/// One learned merge: the two tokens `pair` that become the new token `id`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Merge {
    /// The left and right token that are glued together.
    pub pair: (TokenId, TokenId),
    /// The new token's number (256 for the first merge, 257 for the second, ...).
    pub id: TokenId,
}

/// A trained byte-level BPE tokenizer: its merges, pre-split pattern and special tokens.
///
/// Make one with [`Bpe::train`], or [`Bpe::load`] a saved one. See the
/// [module documentation](self) for the idea.
#[derive(Debug, Clone)]
pub struct Bpe {
    /// The merges in the order they were learned.
    merges: Vec<Merge>,
    /// The rank (position in `merges`) of every pair, for encoding.
    rank_of_pair: HashMap<(TokenId, TokenId), usize>,
    /// The bytes of every ordinary token: 256 single bytes, then one per merge.
    bytes_of_token: Vec<Vec<u8>>,
    /// The pre-split pattern, if any.
    pattern: Option<SplitPattern>,
    /// Special tokens such as `<|endoftext|>`, numbered after the merges.
    special: Vec<(String, TokenId)>,
    /// Finds special tokens in text (longest first).
    special_finder: Option<Regex>,
}

/// Two tokenizers are equal when they have the same merges, pattern and special tokens.
impl PartialEq for Bpe {
    fn eq(&self, other: &Self) -> bool {
        self.merges == other.merges
            && self.pattern == other.pattern
            && self.special == other.special
    }
}

impl Bpe {
    /// A tokenizer from merges (in learned order), an optional pattern and special tokens.
    ///
    /// Merge number `i` must create token `256 + i` from tokens that exist before it;
    /// special tokens get the numbers after the last merge, in the order given.
    ///
    /// ```
    /// use clinkit::tokenize::bpe::{Bpe, Merge};
    /// // One merge: bytes 'h' (104) and 'i' (105) become token 256.
    /// let bpe = Bpe::from_merges(vec![Merge { pair: (104, 105), id: 256 }], None, &[]).unwrap();
    /// assert_eq!(bpe.encode("hihi!"), [256, 256, 33]);
    /// ```
    pub fn from_merges(
        merges: Vec<Merge>,
        pattern: Option<SplitPattern>,
        special_tokens: &[String],
    ) -> Result<Bpe> {
        let mut bytes_of_token: Vec<Vec<u8>> = (0..=255u8).map(|byte| vec![byte]).collect();
        let mut rank_of_pair = HashMap::new();
        for (rank, merge) in merges.iter().enumerate() {
            check_merge(merge, rank, bytes_of_token.len())?;
            let mut bytes = bytes_of_token[merge.pair.0 as usize].clone();
            bytes.extend_from_slice(&bytes_of_token[merge.pair.1 as usize]);
            bytes_of_token.push(bytes);
            rank_of_pair.entry(merge.pair).or_insert(rank);
        }
        let first_special = bytes_of_token.len() as TokenId;
        let special: Vec<(String, TokenId)> = special_tokens
            .iter()
            .enumerate()
            .map(|(i, text)| (text.clone(), first_special + i as TokenId))
            .collect();
        Ok(Bpe {
            merges,
            rank_of_pair,
            bytes_of_token,
            pattern,
            special_finder: special_finder(&special)?,
            special,
        })
    }

    /// The learned merges, in order.
    pub fn merges(&self) -> &[Merge] {
        &self.merges
    }

    /// The pre-split pattern, if the tokenizer has one.
    pub fn pattern(&self) -> Option<&SplitPattern> {
        self.pattern.as_ref()
    }

    /// The special tokens and their numbers.
    pub fn special_tokens(&self) -> &[(String, TokenId)] {
        &self.special
    }

    /// How many different tokens there are: 256 bytes + merges + special tokens.
    ///
    /// ```
    /// use clinkit::tokenize::bpe::{Bpe, TrainOptions};
    /// let bpe = Bpe::train("aaabdaaabac", &TrainOptions::new(258)).unwrap();
    /// assert_eq!(bpe.vocab_size(), 258);
    /// ```
    pub fn vocab_size(&self) -> usize {
        self.bytes_of_token.len() + self.special.len()
    }

    /// The bytes a token stands for (`None` for a special token or an unknown number).
    pub fn token_bytes(&self, id: TokenId) -> Option<&[u8]> {
        self.bytes_of_token.get(id as usize).map(Vec::as_slice)
    }

    /// A token written for people: its text, or `<0xE2>` for bytes that are not text on
    /// their own, or the special token's name.
    ///
    /// ```
    /// use clinkit::tokenize::bpe::Bpe;
    /// let bpe = Bpe::from_merges(vec![], None, &["<|end|>".to_string()]).unwrap();
    /// assert_eq!(bpe.token_text(104), "h");
    /// assert_eq!(bpe.token_text(0xE2), "<0xE2>"); // the first byte of `€`
    /// assert_eq!(bpe.token_text(256), "<|end|>");
    /// ```
    pub fn token_text(&self, id: TokenId) -> String {
        if let Some(bytes) = self.token_bytes(id) {
            return readable_bytes(bytes);
        }
        self.special
            .iter()
            .find(|(_, special_id)| *special_id == id)
            .map(|(text, _)| text.clone())
            .unwrap_or_else(|| format!("<unknown {id}>"))
    }

    /// Turns text into token numbers. Special tokens written in the text (such as
    /// `<|endoftext|>`) become their own number.
    pub fn encode(&self, text: &str) -> Vec<TokenId> {
        let mut ids = Vec::new();
        let mut cache = HashMap::new();
        for (piece, special) in self.split_special(text) {
            match special {
                Some(id) => ids.push(id),
                None => self.encode_pieces(piece.as_bytes(), &mut cache, &mut ids),
            }
        }
        ids
    }

    /// Turns text into token numbers, reading special tokens as ordinary text.
    pub fn encode_ordinary(&self, text: &str) -> Vec<TokenId> {
        self.encode_bytes(text.as_bytes())
    }

    /// Turns any bytes (also bytes that are not valid UTF-8) into token numbers.
    ///
    /// ```
    /// use clinkit::tokenize::bpe::Bpe;
    /// let bpe = Bpe::from_merges(vec![], None, &[]).unwrap();
    /// assert_eq!(bpe.encode_bytes(&[0xff, 0x41]), [255, 65]);
    /// assert_eq!(bpe.decode_bytes(&[255, 65]), [0xff, 0x41]);
    /// ```
    pub fn encode_bytes(&self, bytes: &[u8]) -> Vec<TokenId> {
        let mut ids = Vec::new();
        self.encode_pieces(bytes, &mut HashMap::new(), &mut ids);
        ids
    }

    /// Splits bytes with the pattern and encodes each piece (each distinct piece once).
    fn encode_pieces<'a>(
        &self,
        bytes: &'a [u8],
        cache: &mut HashMap<&'a [u8], Vec<TokenId>>,
        ids: &mut Vec<TokenId>,
    ) {
        for piece in self.pre_split(bytes) {
            let piece_ids = cache
                .entry(piece)
                .or_insert_with(|| self.encode_piece(piece));
            ids.extend_from_slice(piece_ids);
        }
    }

    /// The heart of encoding: start from bytes, apply the earliest-learned merge that
    /// fits anywhere, repeat until no merge fits.
    fn encode_piece(&self, piece: &[u8]) -> Vec<TokenId> {
        let mut ids: Vec<TokenId> = piece.iter().map(|&byte| byte.into()).collect();
        while let Some(merge) = self.first_merge_in(&ids) {
            ids = merge_pair(&ids, merge.pair, merge.id);
        }
        ids
    }

    /// Of all neighbouring pairs in `ids`, the one whose merge was learned first.
    fn first_merge_in(&self, ids: &[TokenId]) -> Option<Merge> {
        ids.windows(2)
            .filter_map(|pair| self.rank_of_pair.get(&(pair[0], pair[1])))
            .min()
            .map(|&rank| self.merges[rank])
    }

    /// Pieces of bytes after the pre-split pattern (the whole input without a pattern).
    fn pre_split<'a>(&self, bytes: &'a [u8]) -> Vec<&'a [u8]> {
        match &self.pattern {
            Some(pattern) => pattern.split(bytes),
            None if bytes.is_empty() => Vec::new(),
            None => vec![bytes],
        }
    }

    /// Cuts text around special tokens: `(piece, Some(id))` for a special token,
    /// `(piece, None)` for ordinary text.
    fn split_special<'a>(&self, text: &'a str) -> Vec<(&'a str, Option<TokenId>)> {
        let Some(finder) = &self.special_finder else {
            return vec![(text, None)];
        };
        let mut parts = Vec::new();
        let mut at = 0;
        for found in finder.find_iter(text) {
            if found.start() > at {
                parts.push((&text[at..found.start()], None));
            }
            parts.push((found.as_str(), self.special_id(found.as_str())));
            at = found.end();
        }
        if at < text.len() {
            parts.push((&text[at..], None));
        }
        parts
    }

    fn special_id(&self, text: &str) -> Option<TokenId> {
        self.special
            .iter()
            .find(|(special, _)| special == text)
            .map(|(_, id)| *id)
    }

    /// Turns token numbers back into bytes. Unknown numbers are skipped.
    pub fn decode_bytes(&self, ids: &[TokenId]) -> Vec<u8> {
        let mut bytes = Vec::new();
        for &id in ids {
            match self.token_bytes(id) {
                Some(token) => bytes.extend_from_slice(token),
                None => {
                    if let Some(text) = self.special_text(id) {
                        bytes.extend_from_slice(text.as_bytes());
                    }
                }
            }
        }
        bytes
    }

    /// Turns token numbers back into text. Bytes that do not form valid UTF-8 (a token
    /// list cut in the middle of a character) become `�`.
    pub fn decode(&self, ids: &[TokenId]) -> String {
        String::from_utf8_lossy(&self.decode_bytes(ids)).into_owned()
    }

    fn special_text(&self, id: TokenId) -> Option<&str> {
        self.special
            .iter()
            .find(|(_, special_id)| *special_id == id)
            .map(|(text, _)| text.as_str())
    }

    /// The tokens of `text` with where each one sits in the text, ready to show
    /// (`println!("{}", ...)` in a terminal, coloured in a notebook).
    ///
    /// ```
    /// use clinkit::tokenize::bpe::{Bpe, Merge};
    /// let merges = vec![Merge { pair: (b'e' as u32, b'e' as u32), id: 256 }];
    /// let bpe = Bpe::from_merges(merges, None, &[]).unwrap();
    /// let tokens = bpe.tokens("geen");
    /// assert_eq!(tokens.to_string(), "[g][ee][n]");
    /// assert_eq!(tokens.len(), 3);
    /// ```
    pub fn tokens(&self, text: &str) -> Tokens {
        let ids = self.encode(text);
        let mut tokens = Vec::with_capacity(ids.len());
        let mut byte_at = 0;
        for id in ids {
            let len = self
                .token_bytes(id)
                .map_or_else(|| self.special_text(id).map_or(0, str::len), <[u8]>::len);
            let span = char_span_of_bytes(text, byte_at, byte_at + len);
            tokens.push(Token {
                id,
                piece: self.token_text(id),
                span,
                special: self.token_bytes(id).is_none(),
            });
            byte_at += len;
        }
        Tokens::new(text, tokens)
    }

    /// Shows, step by step, how `text` becomes tokens: the bytes, then each merge.
    /// See [`EncodeTrace`].
    pub fn trace(&self, text: &str) -> EncodeTrace {
        trace::trace(self, text)
    }

    /// A readable list of all merges, one a line: `256: [e] + [n] -> [en]`.
    ///
    /// ```
    /// use clinkit::tokenize::bpe::{Bpe, TrainOptions};
    /// let bpe = Bpe::train("enen en", &TrainOptions::new(257)).unwrap();
    /// assert_eq!(bpe.merges_text(), "256: [e] + [n] -> [en]\n");
    /// ```
    pub fn merges_text(&self) -> String {
        let mut out = String::new();
        for merge in &self.merges {
            let _ = writeln!(
                out,
                "{}: [{}] + [{}] -> [{}]",
                merge.id,
                self.token_text(merge.pair.0),
                self.token_text(merge.pair.1),
                self.token_text(merge.id)
            );
        }
        out
    }
}

/// Replaces every occurrence of `pair` in `ids` (left to right) by `new_id`.
///
/// ```
/// use clinkit::tokenize::bpe::merge_pair;
/// assert_eq!(merge_pair(&[1, 2, 3, 1, 2], (1, 2), 9), [9, 3, 9]);
/// assert_eq!(merge_pair(&[1, 1, 1], (1, 1), 9), [9, 1]);
/// ```
pub fn merge_pair(ids: &[TokenId], pair: (TokenId, TokenId), new_id: TokenId) -> Vec<TokenId> {
    let mut merged = Vec::with_capacity(ids.len());
    let mut i = 0;
    while i < ids.len() {
        if i + 1 < ids.len() && (ids[i], ids[i + 1]) == pair {
            merged.push(new_id);
            i += 2;
        } else {
            merged.push(ids[i]);
            i += 1;
        }
    }
    merged
}

/// Bytes as text where they are valid UTF-8, and as `<0xNN>` where they are not.
///
/// ```
/// use clinkit::tokenize::bpe::readable_bytes;
/// assert_eq!(readable_bytes("ë".as_bytes()), "ë");
/// assert_eq!(readable_bytes(&[0xC3]), "<0xC3>");
/// assert_eq!(readable_bytes(&[b'a', 0xC3]), "a<0xC3>");
/// ```
pub fn readable_bytes(bytes: &[u8]) -> String {
    let mut out = String::new();
    for chunk in bytes.utf8_chunks() {
        out.push_str(chunk.valid());
        for byte in chunk.invalid() {
            let _ = write!(out, "<0x{byte:02X}>");
        }
    }
    out
}

/// The characters touched by bytes `start..end` of `text`, as a character span.
fn char_span_of_bytes(text: &str, start: usize, end: usize) -> Span {
    let floor = |mut at: usize| {
        at = at.min(text.len());
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        at
    };
    let ceil = |mut at: usize| {
        at = at.min(text.len());
        while !text.is_char_boundary(at) {
            at += 1;
        }
        at
    };
    let start_char = byte_to_char(text, floor(start)).unwrap_or(0);
    let end_char = byte_to_char(text, ceil(end)).unwrap_or(start_char);
    Span::new(start_char, end_char)
}

fn check_merge(merge: &Merge, rank: usize, known: usize) -> Result<()> {
    let expected = (256 + rank) as TokenId;
    let (left, right) = merge.pair;
    if merge.id != expected || left as usize >= known || right as usize >= known {
        return Err(crate::Error::invalid(
            crate::error::Location::default().field(format!("merges[{rank}]")),
            format!(
                "merge {left} + {right} -> {} must create token {expected} from tokens below it",
                merge.id
            ),
        ));
    }
    Ok(())
}

/// A regex that finds special tokens, longest first (so `<|end|>` does not hide
/// `<|end|>x` when both exist).
fn special_finder(special: &[(String, TokenId)]) -> Result<Option<Regex>> {
    if special.is_empty() {
        return Ok(None);
    }
    let mut texts: Vec<&str> = special.iter().map(|(text, _)| text.as_str()).collect();
    texts.sort_by_key(|text| std::cmp::Reverse(text.len()));
    let alternatives: Vec<String> = texts.iter().map(|text| regex::escape(text)).collect();
    Regex::new(&alternatives.join("|")).map(Some).map_err(|e| {
        crate::Error::invalid(
            crate::error::Location::default().field("special_tokens"),
            e.to_string(),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn special_tokens_are_found_and_decoded() {
        let specials = ["<|end|>".to_string()];
        let bpe = Bpe::from_merges(vec![], None, &specials).unwrap();
        let ids = bpe.encode("a<|end|>b");
        assert_eq!(ids, [97, 256, 98]);
        assert_eq!(bpe.decode(&ids), "a<|end|>b");
        assert_eq!(bpe.encode_ordinary("<|end|>").len(), 7);
    }

    #[test]
    fn a_merge_that_points_forward_is_refused() {
        let error = Bpe::from_merges(
            vec![Merge {
                pair: (1, 300),
                id: 256,
            }],
            None,
            &[],
        )
        .unwrap_err()
        .to_string();
        assert!(error.contains("merges[0]"), "{error}");
    }

    #[test]
    fn spans_cover_whole_characters() {
        let bpe = Bpe::from_merges(vec![], None, &[]).unwrap();
        let tokens = bpe.tokens("aë");
        let spans: Vec<Span> = tokens.tokens().iter().map(|token| token.span).collect();
        assert_eq!(spans, [Span::new(0, 1), Span::new(1, 2), Span::new(1, 2)]);
        assert_eq!(tokens.to_string(), "[a][<0xC3>][<0xAB>]");
    }
}
