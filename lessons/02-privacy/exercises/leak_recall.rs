//! Exercise: recall, the way privacy needs it.
//!
//! A de-identifier that finds "Jansen" in "mw. A. Jansen-de Vries" has found *something*,
//! but "de Vries" is still in the text: the patient can be recognised. For privacy, a
//! piece of PHI counts as hidden only when every one of its characters is covered by
//! what the de-identifier found. Spans are `clinkit::text::Span { start, end }`, counted
//! in characters, `end` not included.
//! Replace each `todo!()` with your code, then run `clinkit lessons check 02`.

use clinkit::text::Span;

/// True when every character of `gold` (the positions `gold.start..gold.end`) lies inside
/// at least one span of `found`.
///
/// `is_hidden(Span::new(7, 13), &[Span::new(5, 10), Span::new(10, 14)])` is `true`.
pub fn is_hidden(gold: Span, found: &[Span]) -> bool {
    todo!("is every character of gold covered?")
}

/// The share of gold PHI spans that are hidden. 1.0 when there is no gold PHI (nothing
/// could leak).
pub fn leak_recall(gold: &[Span], found: &[Span]) -> f64 {
    todo!("the share of gold spans fully hidden")
}
