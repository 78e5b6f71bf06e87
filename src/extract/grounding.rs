//! Grounding: finding the evidence for an extracted value in the source text.
//!
//! A language model that says "LVEF 35%" may have read it in the letter, or made it up.
//! So every value a model gives comes with a *quote*: the words of the letter it read it
//! in. Grounding looks for that quote in the letter and says how well it was found:
//!
//! - [`Alignment::Exact`]: the quote stands in the text character for character;
//! - [`Alignment::Fuzzy`]: it stands there after *normalising* both texts (lower case, one
//!   space for every run of white space, accents removed: `Ëchocardiografie` matches
//!   `echocardiografie`), or with a few typing differences (at most [`MAX_EDIT_FRACTION`]
//!   of its characters changed, inserted or deleted, for quotes of at least
//!   [`MIN_EDIT_QUOTE_CHARS`] characters, and never in a digit: `LVEF 55%` does not match
//!   `LVEF 35%`); an edited match is widened to whole words;
//! - [`Alignment::NotFound`]: no such place. The value has no evidence, so it is flagged and
//!   never silently kept.
//!
//! The evidence is a [`Span`] of character offsets into the original text, so
//! `span.slice(text)` gives back the words a doctor can check.
//!
//! ```
//! use clinkit::extract::grounding::{ground, Alignment};
//! let letter = "Echo: LVEF 35%. Geen diabetes.";
//! let found = ground(letter, "LVEF 35%");
//! assert_eq!(found.status, Alignment::Exact);
//! assert_eq!(found.span.unwrap().slice(letter), Some("LVEF 35%"));
//! assert_eq!(ground(letter, "lvef  35%").status, Alignment::Fuzzy);
//! assert_eq!(ground(letter, "NYHA III").status, Alignment::NotFound);
//! ```
//!
//! **Why 20%?** Models copy quotes with small slips: a changed inflection (`hartfalen` /
//! `hartfaal`), a dropped hyphen, an OCR error in a scanned letter. One slip in five
//! characters still points unambiguously at the place in a letter, while two slips in a
//! short quote can already turn one word into another. Short quotes (a number such as
//! `67`) get no edits at all, because `57` is one edit away from `67` and means something
//! else entirely.

use serde::{Deserialize, Serialize};
use unicode_normalization::char::{decompose_canonical, is_combining_mark};

use crate::text::{byte_to_char, Span};

/// The most characters of a quote that may differ (changed, inserted, deleted), as a
/// fraction of the quote's normalised length, for a match to count as fuzzy.
pub const MAX_EDIT_FRACTION: f64 = 0.2;

/// Quotes shorter than this (after normalising) must match exactly after normalising:
/// for them a single edit can change the meaning (`67` and `57`).
pub const MIN_EDIT_QUOTE_CHARS: usize = 5;

/// How well a quote was found in the text.
///
/// ```
/// use clinkit::extract::grounding::Alignment;
/// assert_eq!(serde_json::to_string(&Alignment::NotFound).unwrap(), "\"not_found\"");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Alignment {
    /// Found character for character.
    Exact,
    /// Found after normalising case, white space and accents, or with a few edits.
    Fuzzy,
    /// Not found: the value has no evidence in the text.
    NotFound,
}

impl Alignment {
    /// The name used in files: `exact`, `fuzzy` or `not_found`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Alignment::Exact => "exact",
            Alignment::Fuzzy => "fuzzy",
            Alignment::NotFound => "not_found",
        }
    }
}

/// Where a quote was found and how well.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// Exact, fuzzy or not found.
    pub status: Alignment,
    /// The place in the text (character offsets); `None` when not found.
    pub span: Option<Span>,
    /// 1.0 for an exact or normalised match, `1 - edits / quote length` for an edited one, 0 when not found.
    pub similarity: f64,
}

impl Evidence {
    /// The answer for a quote that is nowhere in the text.
    pub fn not_found() -> Evidence {
        Evidence {
            status: Alignment::NotFound,
            span: None,
            similarity: 0.0,
        }
    }
}

/// The grounding of one extracted value, as written in a batch record: which field, what
/// value, the model's quote, where it was found and how well, and the date of the document
/// part it stands in. Records list every value, including the flagged `not_found` ones.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldGrounding {
    /// The field, such as `lvef_percent`.
    pub field: String,
    /// The value the model gave.
    pub value: serde_json::Value,
    /// The words the model said it read the value in.
    pub quote: String,
    /// Exact, fuzzy or not found.
    pub status: Alignment,
    /// Where the quote stands in the document (character offsets), when found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub span: Option<Span>,
    /// How similar the found text is to the quote (see [`Evidence::similarity`]).
    pub similarity: f64,
    /// The date of the document part the evidence stands in (`YYYY-MM-DD`), if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
}

/// Looks for `quote` in the whole of `text`: exactly, then normalised, then with a few edits.
///
/// ```
/// use clinkit::extract::grounding::{ground, Alignment};
/// let letter = "Mevr. de Boer, 67 jr, heeft een ejectiefractie van 35 procent.";
/// let found = ground(letter, "ejectiefractie van 35 procnet"); // two letters swapped
/// assert_eq!(found.status, Alignment::Fuzzy);
/// assert_eq!(ground(letter, "ejectiefractie van 36 procent").status, Alignment::NotFound); // a digit differs
/// assert_eq!(found.span.unwrap().slice(letter), Some("ejectiefractie van 35 procent"));
/// ```
pub fn ground(text: &str, quote: &str) -> Evidence {
    let whole = Span::new(0, crate::text::char_len(text));
    ground_in(text, quote, &[whole])
}

/// Looks for `quote` only inside `regions` of `text` (for example the chunks a model was
/// shown: its evidence must come from what it read). Spans are offsets into the whole `text`.
/// An exact match in any region beats a fuzzy one; the first region wins among equals.
///
/// ```
/// use clinkit::extract::grounding::{ground_in, Alignment};
/// use clinkit::text::Span;
/// let file = "2019: LVEF 55%. 2024: LVEF 35%.";
/// let found = ground_in(file, "LVEF 35%", &[Span::new(16, 31)]);
/// assert_eq!(found.span, Some(Span::new(22, 30)));
/// assert_eq!(ground_in(file, "LVEF 55%", &[Span::new(16, 31)]).status, Alignment::NotFound);
/// ```
pub fn ground_in(text: &str, quote: &str, regions: &[Span]) -> Evidence {
    let quote = quote.trim();
    if quote.is_empty() {
        return Evidence::not_found();
    }
    let pieces: Vec<(Span, &str)> = regions
        .iter()
        .filter_map(|region| region.slice(text).map(|piece| (*region, piece)))
        .collect();
    let exact = pieces.iter().find_map(|(region, piece)| {
        exact_match(piece, quote).map(|span| span.shifted(region.start))
    });
    if let Some(span) = exact {
        return Evidence {
            status: Alignment::Exact,
            span: Some(span),
            similarity: 1.0,
        };
    }
    let folded_quote = Folded::new(quote);
    let mut best = Evidence::not_found();
    for (region, piece) in &pieces {
        if let Some((span, similarity)) = fuzzy_match(piece, &folded_quote) {
            if similarity > best.similarity {
                best = Evidence {
                    status: Alignment::Fuzzy,
                    span: Some(span.shifted(region.start)),
                    similarity,
                };
            }
        }
    }
    best
}

/// The first place `quote` stands in `text`, character for character.
fn exact_match(text: &str, quote: &str) -> Option<Span> {
    let byte = text.find(quote)?;
    let start = byte_to_char(text, byte)?;
    Some(Span::new(start, start + crate::text::char_len(quote)))
}

/// The best normalised or edited match of `quote` in `text`, with its similarity.
fn fuzzy_match(text: &str, quote: &Folded) -> Option<(Span, f64)> {
    if quote.chars.is_empty() {
        return None;
    }
    let folded = Folded::new(text);
    if let Some(start) = find_chars(&folded.chars, &quote.chars) {
        return Some((folded.original_span(start, start + quote.chars.len()), 1.0));
    }
    if quote.chars.len() < MIN_EDIT_QUOTE_CHARS {
        return None;
    }
    let max_edits = (quote.chars.len() as f64 * MAX_EDIT_FRACTION).floor() as usize;
    let (edits, start, end) = closest_substring(&folded.chars, &quote.chars)?;
    if edits > max_edits || digits(&folded.chars[start..end]) != digits(&quote.chars) {
        return None;
    }
    let (start, end) = trim_spaces(&folded.chars, start, end);
    let (start, end) = whole_words(&folded.chars, start, end);
    let similarity = 1.0 - edits as f64 / quote.chars.len() as f64;
    Some((folded.original_span(start, end), similarity))
}

/// A text in normal form (lower case, accents removed, white space runs as one space),
/// remembering for every normalised character which original character it came from.
struct Folded {
    /// The normalised characters.
    chars: Vec<char>,
    /// For each normalised character, the position of its original character.
    origin: Vec<usize>,
}

impl Folded {
    fn new(text: &str) -> Folded {
        let mut folded = Folded {
            chars: Vec::new(),
            origin: Vec::new(),
        };
        for (position, character) in text.chars().enumerate() {
            if character.is_whitespace() {
                if folded.chars.last().is_some_and(|last| *last != ' ') {
                    folded.push(' ', position);
                }
                continue;
            }
            decompose_canonical(character, |part| {
                if !is_combining_mark(part) {
                    for lower in part.to_lowercase() {
                        folded.push(lower, position);
                    }
                }
            });
        }
        if folded.chars.last() == Some(&' ') {
            folded.chars.pop();
            folded.origin.pop();
        }
        folded
    }

    fn push(&mut self, character: char, origin: usize) {
        self.chars.push(character);
        self.origin.push(origin);
    }

    /// The original span covered by normalised characters `start..end` (end exclusive, non-empty).
    fn original_span(&self, start: usize, end: usize) -> Span {
        Span::new(self.origin[start], self.origin[end - 1] + 1)
    }
}

/// The first position where `needle` stands in `haystack`.
fn find_chars(haystack: &[char], needle: &[char]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

/// The substring of `text` with the fewest edits (changes, insertions, deletions) to
/// `pattern`: Sellers' algorithm, the edit-distance table where a match may start anywhere.
/// Returns (edits, start, end) of the first best substring, or `None` for an empty text.
fn closest_substring(text: &[char], pattern: &[char]) -> Option<(usize, usize, usize)> {
    let m = pattern.len();
    // Column for "no text read yet": matching i pattern characters costs i deletions.
    let mut previous: Vec<(usize, usize)> = (0..=m).map(|i| (i, 0)).collect();
    let mut best: Option<(usize, usize, usize)> = None;
    for j in 1..=text.len() {
        let mut current = vec![(0, j); m + 1];
        for i in 1..=m {
            let (diagonal, diagonal_start) = previous[i - 1];
            let change = diagonal + usize::from(pattern[i - 1] != text[j - 1]);
            let skip_pattern = current[i - 1].0 + 1;
            let skip_text = previous[i].0 + 1;
            current[i] = if change <= skip_pattern && change <= skip_text {
                (change, diagonal_start)
            } else if skip_pattern <= skip_text {
                (skip_pattern, current[i - 1].1)
            } else {
                (skip_text, previous[i].1)
            };
        }
        let (edits, start) = current[m];
        // Fewer edits win; with as many edits, a match that just grew by one character
        // replaces the shorter one (`pian` matches `pain` rather than `pa`).
        let better =
            best.is_none_or(|(fewest, _, end)| edits < fewest || (edits == fewest && end + 1 == j));
        if better {
            best = Some((edits, start, j));
        }
        previous = current;
    }
    best.filter(|(_, start, end)| start < end)
}

/// The digits of a text, in order: an edited match must keep every number as it is.
fn digits(chars: &[char]) -> Vec<char> {
    chars.iter().copied().filter(char::is_ascii_digit).collect()
}

/// `start..end` grown to whole words, so evidence never ends in the middle of a word.
fn whole_words(chars: &[char], mut start: usize, mut end: usize) -> (usize, usize) {
    while start > 0 && chars[start - 1].is_alphanumeric() && chars[start].is_alphanumeric() {
        start -= 1;
    }
    while end < chars.len() && chars[end - 1].is_alphanumeric() && chars[end].is_alphanumeric() {
        end += 1;
    }
    (start, end)
}

/// `start..end` without spaces at either end.
fn trim_spaces(chars: &[char], mut start: usize, mut end: usize) -> (usize, usize) {
    while start + 1 < end && chars[start] == ' ' {
        start += 1;
    }
    while end > start + 1 && chars[end - 1] == ' ' {
        end -= 1;
    }
    (start, end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_keeps_the_origin_of_every_character() {
        let folded = Folded::new("  Ëen\t\n ß ");
        assert_eq!(folded.chars.iter().collect::<String>(), "een ß");
        assert_eq!(folded.origin, vec![2, 3, 4, 5, 8]);
    }

    #[test]
    fn closest_substring_counts_edits() {
        let text: Vec<char> = "de lvef is 35 procent".chars().collect();
        let pattern: Vec<char> = "lvef os 35".chars().collect();
        let (edits, start, end) = closest_substring(&text, &pattern).unwrap();
        assert_eq!(edits, 1);
        assert_eq!(text[start..end].iter().collect::<String>(), "lvef is 35");
    }
}
