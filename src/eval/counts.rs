//! Counting hits and mistakes: true positives, false positives, false negatives, and
//! the precision, recall and F1 computed from them.

use std::iter::Sum;
use std::ops::{Add, AddAssign};

use serde::{Deserialize, Serialize};

/// The three numbers every extraction score is made of.
///
/// - `tp` (*true positive*): the system said it, and the gold standard says it too.
/// - `fp` (*false positive*): the system said it, but the gold standard does not (an invention).
/// - `fn_` (*false negative*): the gold standard says it, but the system missed it.
///
/// (There is no "true negative" count: "all the diagnoses the letter does not mention" is
/// not a number anyone can count.) In JSON the fields are called `tp`, `fp` and `fn`.
///
/// ```
/// use clinkit::eval::Counts;
/// // The letter mentions 4 medications; the model lists 5, of which 3 are right.
/// let counts = Counts::new(3, 2, 1);
/// assert_eq!(counts.precision(), 0.6); // 3 of the 5 it said are right
/// assert_eq!(counts.recall(), 0.75);   // it found 3 of the 4 that are there
/// assert!((counts.f1() - 2.0 / 3.0).abs() < 1e-12);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    /// Said by the system and in the gold standard.
    pub tp: usize,
    /// Said by the system, not in the gold standard.
    pub fp: usize,
    /// In the gold standard, missed by the system.
    #[serde(rename = "fn")]
    pub fn_: usize,
}

impl Counts {
    /// Counts with the given true positives, false positives and false negatives.
    pub fn new(tp: usize, fp: usize, fn_: usize) -> Self {
        Counts { tp, fp, fn_ }
    }

    /// *Precision*: of everything the system said, the share that is right,
    /// `tp / (tp + fp)`. When the system said nothing it is 0 (scikit-learn's
    /// `zero_division=0`).
    ///
    /// ```
    /// assert_eq!(clinkit::eval::Counts::new(9, 1, 5).precision(), 0.9);
    /// assert_eq!(clinkit::eval::Counts::new(0, 0, 5).precision(), 0.0);
    /// ```
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }

    /// *Recall* (sensitivity): of everything in the gold standard, the share the system
    /// found, `tp / (tp + fn)`. 0 when the gold standard has nothing.
    ///
    /// ```
    /// assert_eq!(clinkit::eval::Counts::new(9, 1, 3).recall(), 0.75);
    /// ```
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }

    /// *F1*: the harmonic mean of precision and recall, `2·tp / (2·tp + fp + fn)`. It is
    /// high only when both are high: a system that says everything (recall 1, precision
    /// low) or almost nothing (precision 1, recall low) gets a low F1.
    ///
    /// ```
    /// assert_eq!(clinkit::eval::Counts::new(1, 0, 1).f1(), 2.0 / 3.0);
    /// ```
    pub fn f1(&self) -> f64 {
        ratio(2 * self.tp, 2 * self.tp + self.fp + self.fn_)
    }

    /// The *support*: how many items the gold standard has (`tp + fn`).
    pub fn support(&self) -> usize {
        self.tp + self.fn_
    }

    /// How many items the system predicted (`tp + fp`).
    pub fn predicted(&self) -> usize {
        self.tp + self.fp
    }

    /// True when neither the gold standard nor the system has anything here.
    pub fn is_empty(&self) -> bool {
        self.tp + self.fp + self.fn_ == 0
    }

    /// Precision, recall and F1 together with the counts, ready to print or save.
    pub fn scores(&self) -> Scores {
        Scores {
            precision: self.precision(),
            recall: self.recall(),
            f1: self.f1(),
            counts: *self,
        }
    }
}

/// `top / bottom`, or 0 when `bottom` is 0.
fn ratio(top: usize, bottom: usize) -> f64 {
    if bottom == 0 {
        0.0
    } else {
        top as f64 / bottom as f64
    }
}

impl Add for Counts {
    type Output = Counts;
    fn add(self, other: Counts) -> Counts {
        Counts::new(self.tp + other.tp, self.fp + other.fp, self.fn_ + other.fn_)
    }
}

impl AddAssign for Counts {
    fn add_assign(&mut self, other: Counts) {
        *self = *self + other;
    }
}

impl Sum for Counts {
    fn sum<I: Iterator<Item = Counts>>(iter: I) -> Counts {
        iter.fold(Counts::default(), Add::add)
    }
}

impl<'a> Sum<&'a Counts> for Counts {
    fn sum<I: Iterator<Item = &'a Counts>>(iter: I) -> Counts {
        iter.copied().sum()
    }
}

/// Precision, recall and F1 with the counts they came from.
///
/// ```
/// let scores = clinkit::eval::Counts::new(3, 1, 0).scores();
/// assert_eq!(scores.precision, 0.75);
/// assert_eq!(scores.counts.tp, 3);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Scores {
    /// Share of the predictions that are right.
    pub precision: f64,
    /// Share of the gold items that were found.
    pub recall: f64,
    /// Harmonic mean of precision and recall.
    pub f1: f64,
    /// The counts behind the three numbers.
    #[serde(flatten)]
    pub counts: Counts,
}

/// The *micro average*: add up the counts of all fields (or labels) first, then compute
/// one precision, recall and F1. Fields with many items (medications) weigh more than
/// fields with one (age).
///
/// ```
/// use clinkit::eval::{micro_average, Counts};
/// let age = Counts::new(9, 1, 0);
/// let medications = Counts::new(30, 10, 20);
/// let micro = micro_average(&[age, medications]);
/// assert_eq!(micro.counts, Counts::new(39, 11, 20));
/// assert_eq!(micro.precision, 39.0 / 50.0);
/// ```
pub fn micro_average(counts: &[Counts]) -> Scores {
    counts.iter().sum::<Counts>().scores()
}

/// The *macro average*: compute precision, recall and F1 for each field (or label) on
/// its own, then take the plain mean of each. Every field weighs the same, so a rare field
/// that the system gets wrong pulls the average down as much as a common one.
///
/// As in scikit-learn, macro F1 is the mean of the per-field F1 values (not the F1 of
/// the mean precision and mean recall). Pass only the fields you want averaged: clinkit
/// leaves out fields that neither the gold standard nor the system ever filled in.
/// The `counts` of the result are the summed counts.
///
/// ```
/// use clinkit::eval::{macro_average, Counts};
/// let macro_ = macro_average(&[Counts::new(1, 0, 0), Counts::new(0, 1, 1)]);
/// assert_eq!(macro_.f1, 0.5);       // (1.0 + 0.0) / 2
/// assert_eq!(macro_.precision, 0.5);
/// ```
pub fn macro_average(counts: &[Counts]) -> Scores {
    if counts.is_empty() {
        return Scores::default();
    }
    let n = counts.len() as f64;
    let mean = |metric: fn(&Counts) -> f64| counts.iter().map(metric).sum::<f64>() / n;
    Scores {
        precision: mean(Counts::precision),
        recall: mean(Counts::recall),
        f1: mean(Counts::f1),
        counts: counts.iter().sum(),
    }
}

/// Per-label counts for a classification task, where each item gets exactly one label
/// from the gold standard and one from the system (like scikit-learn's
/// `precision_recall_fscore_support(y_true, y_pred, labels=labels)`).
///
/// For label `L`: `tp` = both say `L`; `fp` = the system says `L`, the gold standard
/// something else; `fn` = the gold standard says `L`, the system something else.
///
/// ```
/// use clinkit::eval::{label_counts, Counts};
/// let gold = ["I", "II", "II", "III"];
/// let pred = ["I", "II", "III", "III"];
/// let counts = label_counts(&gold, &pred, &["I", "II", "III"]);
/// assert_eq!(counts[1], Counts::new(1, 0, 1)); // "II": one found, one called "III"
/// assert_eq!(counts[2], Counts::new(1, 1, 0)); // "III": one right, one wrongly
/// ```
pub fn label_counts<T: PartialEq>(gold: &[T], pred: &[T], labels: &[T]) -> Vec<Counts> {
    assert_eq!(
        gold.len(),
        pred.len(),
        "label_counts needs as many predictions as gold labels"
    );
    labels
        .iter()
        .map(|label| {
            let mut counts = Counts::default();
            for (g, p) in gold.iter().zip(pred) {
                match (g == label, p == label) {
                    (true, true) => counts.tp += 1,
                    (false, true) => counts.fp += 1,
                    (true, false) => counts.fn_ += 1,
                    (false, false) => {}
                }
            }
            counts
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_computed_scores() {
        let counts = Counts::new(6, 2, 4);
        assert_eq!(counts.precision(), 0.75);
        assert_eq!(counts.recall(), 0.6);
        // 2·0.75·0.6 / 1.35 = 0.9 / 1.35 = 2/3
        assert!((counts.f1() - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(counts.support(), 10);
        assert_eq!(counts.predicted(), 8);
    }

    #[test]
    fn empty_counts_score_zero() {
        let scores = Counts::default().scores();
        assert_eq!(
            (scores.precision, scores.recall, scores.f1),
            (0.0, 0.0, 0.0)
        );
    }

    #[test]
    fn micro_and_macro_differ_as_computed_by_hand() {
        let fields = [Counts::new(8, 2, 0), Counts::new(1, 1, 3)];
        let micro = micro_average(&fields);
        assert_eq!(micro.counts, Counts::new(9, 3, 3));
        assert_eq!(micro.f1, 0.75); // 18 / 24
        let macro_ = macro_average(&fields);
        // F1: 16/18 and 2/6; mean = (8/9 + 1/3) / 2 = 11/18
        assert!((macro_.f1 - 11.0 / 18.0).abs() < 1e-12);
        assert!((macro_.precision - (0.8 + 0.5) / 2.0).abs() < 1e-12);
        assert!((macro_.recall - (1.0 + 0.25) / 2.0).abs() < 1e-12);
    }

    #[test]
    fn counts_serialise_with_fn() {
        let json = serde_json::to_string(&Counts::new(1, 2, 3)).unwrap();
        assert_eq!(json, r#"{"tp":1,"fp":2,"fn":3}"#);
    }
}
