//! Splitting a text into sentences, keeping where each one stands.

use crate::text::Span;

/// Words with a full stop that do not end a sentence (`dr.`, `pt.`, `e.g.`...), lowercase.
const ABBREVIATIONS: [&str; 24] = [
    "dr", "drs", "dhr", "mw", "mevr", "mr", "mrs", "ms", "pt", "prof", "st", "e.g", "i.e", "o.a",
    "z.n", "i.v.m", "a.s", "evt", "ca", "resp", "vs", "nr", "tel", "jl",
];

/// Splits `text` into sentences and gives the [`Span`] (character offsets) of each.
///
/// A sentence ends at `.`, `!` or `?` followed by white space, or at a line break.
/// Abbreviations such as `dr.` or `pt.` and numbers such as `2.5` do not end a sentence.
/// Leading and trailing white space is left out of the spans.
///
/// ```
/// use clinkit::text::sentences;
/// let text = "Pt. is 67 jaar. Geen diabetes.\nLVEF 35%";
/// let pieces: Vec<&str> = sentences(text).iter().map(|span| span.slice(text).unwrap()).collect();
/// assert_eq!(pieces, ["Pt. is 67 jaar.", "Geen diabetes.", "LVEF 35%"]);
/// ```
pub fn sentences(text: &str) -> Vec<Span> {
    let chars: Vec<char> = text.chars().collect();
    let mut spans = Vec::new();
    let mut start = 0;
    for index in 0..chars.len() {
        if ends_sentence(&chars, index) {
            push_trimmed(&chars, start, index + 1, &mut spans);
            start = index + 1;
        }
    }
    push_trimmed(&chars, start, chars.len(), &mut spans);
    spans
}

/// True when the character at `index` closes a sentence.
fn ends_sentence(chars: &[char], index: usize) -> bool {
    let here = chars[index];
    if here == '\n' || here == '\u{c}' {
        return true;
    }
    let next_is_space = chars.get(index + 1).is_none_or(|c| c.is_whitespace());
    match here {
        '!' | '?' => next_is_space,
        '.' => next_is_space && !is_abbreviation(chars, index),
        _ => false,
    }
}

/// True when the word ending in the full stop at `dot` is a known abbreviation or a
/// single letter (an initial such as the `J.` in `J. de Vries`).
fn is_abbreviation(chars: &[char], dot: usize) -> bool {
    let word_start = chars[..dot]
        .iter()
        .rposition(|c| c.is_whitespace() || *c == '(')
        .map_or(0, |position| position + 1);
    let word: String = chars[word_start..dot]
        .iter()
        .collect::<String>()
        .to_lowercase();
    word.chars().count() == 1 && word.chars().all(char::is_alphabetic)
        || ABBREVIATIONS.contains(&word.as_str())
}

/// Adds the span `start..end` without its leading and trailing white space, if any text is left.
fn push_trimmed(chars: &[char], mut start: usize, mut end: usize, spans: &mut Vec<Span>) {
    while start < end && chars[start].is_whitespace() {
        start += 1;
    }
    while end > start && chars[end - 1].is_whitespace() {
        end -= 1;
    }
    if start < end {
        spans.push(Span::new(start, end));
    }
}
