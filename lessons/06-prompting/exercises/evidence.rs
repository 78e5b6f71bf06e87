//! Exercise: find the evidence for a model's answer in the letter.
//!
//! A model gives every value with a quote: the words of the letter it read the value in.
//! A quote that is nowhere in the letter means the value has no evidence, and a doctor
//! must not trust it. Positions in clinkit are counted in characters, not bytes: `ë` in
//! `patiënt` is one character but two bytes.
//! Replace the `todo!()`s with your code, then run `clinkit lessons check 06`.

/// Where `quote` first stands in `letter`, character for character, as
/// `(start, end)` character offsets (end exclusive). `None` when it is not there, or when
/// the quote is empty (or only spaces).
///
/// `quote_span("Echo: LVEF 35%.", "LVEF 35%")` is `Some((6, 14))`.
pub fn quote_span(letter: &str, quote: &str) -> Option<(usize, usize)> {
    todo!("find the quote and count characters")
}

/// The fields of an answer, given as `(field, quote)` pairs, whose quote is not in `letter`,
/// in the order of the answer.
///
/// `unsupported("Echo: LVEF 35%.", &[("lvef_percent", "LVEF 35%"), ("smoking", "rookt niet")])`
/// is `vec!["smoking".to_string()]`.
pub fn unsupported(letter: &str, answer: &[(&str, &str)]) -> Vec<String> {
    todo!("keep the fields without evidence")
}
