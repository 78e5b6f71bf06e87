//! Exercise: find the evidence for a model's answer in the letter (reference solution).

/// Where `quote` first stands in `letter`, character for character, as
/// `(start, end)` character offsets (end exclusive). `None` when it is not there, or when
/// the quote is empty (or only spaces).
pub fn quote_span(letter: &str, quote: &str) -> Option<(usize, usize)> {
    if quote.trim().is_empty() {
        return None;
    }
    let byte = letter.find(quote)?;
    let start = letter[..byte].chars().count();
    Some((start, start + quote.chars().count()))
}

/// The fields of an answer, given as `(field, quote)` pairs, whose quote is not in `letter`,
/// in the order of the answer.
pub fn unsupported(letter: &str, answer: &[(&str, &str)]) -> Vec<String> {
    answer
        .iter()
        .filter(|(_, quote)| quote_span(letter, quote).is_none())
        .map(|(field, _)| field.to_string())
        .collect()
}
