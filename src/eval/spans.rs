//! Span-level scores: did the system point at the right words?
//!
//! Besides *what* the answer is, clinkit checks *where* it came from: the evidence
//! spans of each field, and the PHI spans a de-identifier must find. Two ways of
//! counting, as in the i2b2 and n2c2 shared tasks:
//!
//! - **strict**: a predicted span counts only if it has exactly the gold start and end;
//! - **lenient**: a predicted span counts if it shares at least one character with a gold
//!   span ("Jansen" for gold "mevr. Jansen").
//!
//! In both, spans pair one-to-one ([`max_matching`](crate::eval::max_matching)): one long
//! predicted span over two gold names finds one of them, not both. Repeated and empty
//! spans are dropped first. Lenient is always at least as high as strict; a big gap means
//! the system finds the right place but cuts it off at the wrong words.

use serde::{Deserialize, Serialize};

use crate::eval::counts::{Counts, Scores};
use crate::eval::matching::Matching;
use crate::text::Span;

/// Strict and lenient counts for one set of spans.
///
/// ```
/// use clinkit::eval::{span_counts, Counts};
/// use clinkit::text::Span;
/// let gold = [Span::new(10, 22)];              // "mevr. Jansen"
/// let pred = [Span::new(16, 22), Span::new(40, 45)]; // "Jansen" and something else
/// let counts = span_counts(&gold, &pred);
/// assert_eq!(counts.strict, Counts::new(0, 2, 1));
/// assert_eq!(counts.lenient, Counts::new(1, 1, 0));
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpanCounts {
    /// Exact start and end.
    pub strict: Counts,
    /// At least one shared character.
    pub lenient: Counts,
}

impl std::ops::Add for SpanCounts {
    type Output = SpanCounts;
    fn add(self, other: SpanCounts) -> SpanCounts {
        SpanCounts {
            strict: self.strict + other.strict,
            lenient: self.lenient + other.lenient,
        }
    }
}

impl std::ops::AddAssign for SpanCounts {
    fn add_assign(&mut self, other: SpanCounts) {
        *self = *self + other;
    }
}

/// Counts strict and lenient matches between gold and predicted spans (see the module
/// documentation for the rules).
pub fn span_counts(gold: &[Span], pred: &[Span]) -> SpanCounts {
    let (gold, pred) = (clean(gold), clean(pred));
    SpanCounts {
        strict: Matching::new(gold.len(), pred.len(), |g, p| gold[g] == pred[p]).counts(),
        lenient: lenient_matching(&gold, &pred).counts(),
    }
}

/// The one-to-one lenient pairing of (already cleaned) spans, so callers can list what
/// was missed or invented.
pub(crate) fn lenient_matching(gold: &[Span], pred: &[Span]) -> Matching {
    Matching::new(gold.len(), pred.len(), |g, p| gold[g].overlaps(&pred[p]))
}

/// Sorted, without repeats and without empty spans.
pub(crate) fn clean(spans: &[Span]) -> Vec<Span> {
    let mut spans: Vec<Span> = spans.iter().copied().filter(|s| !s.is_empty()).collect();
    spans.sort_unstable();
    spans.dedup();
    spans
}

/// Strict and lenient scores of one row of a span table (one field or one PHI type).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpanRow {
    /// The field or PHI type, such as `medications` or `NAME`.
    pub name: String,
    /// Exact-boundary scores.
    pub strict: Scores,
    /// Overlap scores.
    pub lenient: Scores,
}

impl SpanRow {
    /// A row from summed counts.
    pub fn new(name: impl Into<String>, counts: SpanCounts) -> Self {
        SpanRow {
            name: name.into(),
            strict: counts.strict.scores(),
            lenient: counts.lenient.scores(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_computed_strict_and_lenient() {
        // gold: [0,5) [10,15) [20,25); pred: [0,5) exact, [12,18) overlaps, [30,31) nothing.
        let gold = [Span::new(0, 5), Span::new(10, 15), Span::new(20, 25)];
        let pred = [Span::new(0, 5), Span::new(12, 18), Span::new(30, 31)];
        let counts = span_counts(&gold, &pred);
        assert_eq!(counts.strict, Counts::new(1, 2, 2));
        assert_eq!(counts.lenient, Counts::new(2, 1, 1));
        assert_eq!(counts.lenient.precision(), 2.0 / 3.0);
    }

    #[test]
    fn one_long_span_finds_only_one_gold_span() {
        let gold = [Span::new(0, 3), Span::new(4, 10)];
        let pred = [Span::new(0, 10)];
        assert_eq!(span_counts(&gold, &pred).lenient, Counts::new(1, 0, 1));
    }

    #[test]
    fn repeats_and_empty_spans_are_dropped() {
        let gold = [Span::new(0, 3), Span::new(0, 3), Span::new(5, 5)];
        let pred = [Span::new(0, 3)];
        assert_eq!(span_counts(&gold, &pred).strict, Counts::new(1, 0, 0));
    }

    #[test]
    fn touching_spans_do_not_overlap() {
        let counts = span_counts(&[Span::new(0, 5)], &[Span::new(5, 9)]);
        assert_eq!(counts.lenient, Counts::new(0, 1, 1));
    }
}
