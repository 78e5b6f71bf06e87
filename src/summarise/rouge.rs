//! ROUGE-L: how much of a reference summary a summary says, in the same order.

use serde::{Deserialize, Serialize};

/// ROUGE-L scores of one summary against one reference.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Rouge {
    /// Length of the longest common subsequence of words, divided by the summary's length.
    pub precision: f64,
    /// The same length divided by the reference's length.
    pub recall: f64,
    /// The harmonic mean of the two (0 when both are 0).
    pub f1: f64,
}

/// The words ROUGE compares: runs of letters and digits, lower case.
///
/// ```
/// assert_eq!(clinkit::summarise::rouge_tokens("LVEF 35%, NYHA-II."), vec!["lvef", "35", "nyha", "ii"]);
/// ```
pub fn rouge_tokens(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// The length of the longest common subsequence of two word lists: the most words both
/// have in the same order, gaps allowed. Computed with the classic table where cell
/// `(i, j)` holds the answer for the first `i` words of `a` and the first `j` of `b`.
///
/// ```
/// let a = ["the", "cat", "sat", "down"];
/// let b = ["the", "dog", "sat", "down", "here"];
/// assert_eq!(clinkit::summarise::lcs_length(&a, &b), 3); // the, sat, down
/// ```
pub fn lcs_length<T: PartialEq>(a: &[T], b: &[T]) -> usize {
    // Only the previous row of the table is needed to fill the next one.
    let mut previous = vec![0usize; b.len() + 1];
    for word in a {
        let mut current = vec![0usize; b.len() + 1];
        for (j, other) in b.iter().enumerate() {
            current[j + 1] = if word == other {
                previous[j] + 1
            } else {
                current[j].max(previous[j + 1])
            };
        }
        previous = current;
    }
    previous[b.len()]
}

/// ROUGE-L of `summary` against `reference`: precision, recall and F1 of the longest
/// common subsequence of their words.
///
/// ```
/// let r = clinkit::summarise::rouge_l("LVEF 35% NYHA II", "LVEF 35%, NYHA III");
/// // words: [lvef, 35, nyha, ii] and [lvef, 35, nyha, iii]: 3 in common, in order
/// assert_eq!((r.precision, r.recall), (0.75, 0.75));
/// ```
pub fn rouge_l(summary: &str, reference: &str) -> Rouge {
    let (ours, theirs) = (rouge_tokens(summary), rouge_tokens(reference));
    let common = lcs_length(&ours, &theirs) as f64;
    let share = |n: usize| if n == 0 { 0.0 } else { common / n as f64 };
    let (precision, recall) = (share(ours.len()), share(theirs.len()));
    let f1 = if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    };
    Rouge {
        precision,
        recall,
        f1,
    }
}
