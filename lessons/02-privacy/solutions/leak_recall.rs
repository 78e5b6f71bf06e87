//! Exercise: recall, the way privacy needs it (reference solution).

use clinkit::text::Span;

/// True when every character of `gold` (the positions `gold.start..gold.end`) lies inside
/// at least one span of `found`.
pub fn is_hidden(gold: Span, found: &[Span]) -> bool {
    (gold.start..gold.end).all(|c| found.iter().any(|f| f.start <= c && c < f.end))
}

/// The share of gold PHI spans that are hidden. 1.0 when there is no gold PHI (nothing
/// could leak).
pub fn leak_recall(gold: &[Span], found: &[Span]) -> f64 {
    if gold.is_empty() {
        return 1.0;
    }
    let hidden = gold.iter().filter(|&&g| is_hidden(g, found)).count();
    hidden as f64 / gold.len() as f64
}
