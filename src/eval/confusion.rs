//! Confusion matrices and Cohen's kappa: how two label-givers agree on categories.
//!
//! For a field with a few possible answers (sex, urgency, NYHA class, smoking, the status
//! of a diagnosis) a *confusion matrix* shows every pair of answers: row = what the gold
//! standard (or annotator A) said, column = what the system (or annotator B) said. The
//! diagonal holds the agreements; everything else shows *which* mix-ups happen
//! ("former" smokers called "current" is a different problem from "never" called "current").
//!
//! *Cohen's kappa* turns the matrix into one number that corrects for agreement by chance:
//! if 90% of letters say "routine", two raters who always answer "routine" agree 90% of
//! the time without reading anything. `kappa = (observed − expected) / (1 − expected)`:
//! 1 is perfect agreement, 0 is no better than chance, below 0 is worse than chance.
//! Rough reading (Landis & Koch): above 0.8 almost perfect, 0.6–0.8 substantial.

use serde::{Deserialize, Serialize};

/// The label used when a document has no value for a categorical field.
pub const NOT_MENTIONED: &str = "(none)";

/// Counts of (gold label, predicted label) pairs.
///
/// ```
/// use clinkit::eval::ConfusionMatrix;
/// let gold = ["current", "former", "never", "former"];
/// let pred = ["current", "current", "never", "former"];
/// let matrix = ConfusionMatrix::from_labels("smoking", &gold, &pred, &["current", "former", "never"]);
/// assert_eq!(matrix.counts[1], vec![1, 1, 0]); // gold "former": once "current", once "former"
/// assert_eq!(matrix.observed_agreement(), 0.75);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfusionMatrix {
    /// The field the labels belong to.
    pub field: String,
    /// The labels, in the order of rows and columns.
    pub labels: Vec<String>,
    /// `counts[gold][pred]`: how often gold said `labels[gold]` and the prediction `labels[pred]`.
    pub counts: Vec<Vec<usize>>,
}

impl ConfusionMatrix {
    /// An empty matrix over `labels`.
    pub fn new(field: impl Into<String>, labels: &[&str]) -> Self {
        ConfusionMatrix {
            field: field.into(),
            labels: labels.iter().map(|l| l.to_string()).collect(),
            counts: vec![vec![0; labels.len()]; labels.len()],
        }
    }

    /// A matrix from two equally long lists of labels. `labels` gives the order; a label
    /// that is not in it is added at the end.
    pub fn from_labels<S: AsRef<str>>(
        field: &str,
        gold: &[S],
        pred: &[S],
        labels: &[&str],
    ) -> Self {
        assert_eq!(
            gold.len(),
            pred.len(),
            "a confusion matrix needs as many predictions as gold labels"
        );
        let mut matrix = ConfusionMatrix::new(field, labels);
        for (g, p) in gold.iter().zip(pred) {
            matrix.add(g.as_ref(), p.as_ref());
        }
        matrix
    }

    /// Counts one (gold, predicted) pair, adding unknown labels at the end.
    pub fn add(&mut self, gold: &str, pred: &str) {
        let g = self.index_of(gold);
        let p = self.index_of(pred);
        self.counts[g][p] += 1;
    }

    fn index_of(&mut self, label: &str) -> usize {
        if let Some(index) = self.labels.iter().position(|l| l == label) {
            return index;
        }
        self.labels.push(label.to_string());
        for row in &mut self.counts {
            row.push(0);
        }
        self.counts.push(vec![0; self.labels.len()]);
        self.labels.len() - 1
    }

    /// Adds the counts of another matrix over the same field (labels are merged).
    pub fn merge(&mut self, other: &ConfusionMatrix) {
        for (g, row) in other.counts.iter().enumerate() {
            for (p, &count) in row.iter().enumerate() {
                let (gi, pi) = (
                    self.index_of(&other.labels[g]),
                    self.index_of(&other.labels[p]),
                );
                self.counts[gi][pi] += count;
            }
        }
    }

    /// How many pairs were counted.
    pub fn total(&self) -> usize {
        self.counts.iter().flatten().sum()
    }

    /// The share of pairs on the diagonal (both said the same). 0 for an empty matrix.
    pub fn observed_agreement(&self) -> f64 {
        let total = self.total();
        if total == 0 {
            return 0.0;
        }
        let agree: usize = (0..self.labels.len()).map(|i| self.counts[i][i]).sum();
        agree as f64 / total as f64
    }

    /// The agreement two raters would reach by chance, each keeping their own label
    /// frequencies: the sum over labels of (row share × column share).
    pub fn expected_agreement(&self) -> f64 {
        let total = self.total() as f64;
        if total == 0.0 {
            return 0.0;
        }
        (0..self.labels.len())
            .map(|k| {
                let row: usize = self.counts[k].iter().sum();
                let column: usize = self.counts.iter().map(|r| r[k]).sum();
                (row as f64 / total) * (column as f64 / total)
            })
            .sum()
    }

    /// Cohen's kappa, or `None` when it is undefined (no pairs, or both raters used one
    /// and the same label for everything, so chance agreement is already 1).
    ///
    /// ```
    /// use clinkit::eval::ConfusionMatrix;
    /// // 10 letters; both say "urgent" for 2, "routine" for 6; they disagree on 2.
    /// let mut m = ConfusionMatrix::new("urgency", &["routine", "urgent"]);
    /// m.counts = vec![vec![6, 1], vec![1, 2]];
    /// // observed 0.8; expected 0.7·0.7 + 0.3·0.3 = 0.58; kappa = 0.22 / 0.42
    /// assert!((m.kappa().unwrap() - 0.22 / 0.42).abs() < 1e-12);
    /// ```
    pub fn kappa(&self) -> Option<f64> {
        if self.total() == 0 {
            return None;
        }
        let expected = self.expected_agreement();
        if (1.0 - expected).abs() < 1e-12 {
            return None;
        }
        Some((self.observed_agreement() - expected) / (1.0 - expected))
    }
}

/// Cohen's kappa between two raters who each gave one label to the same items
/// (scikit-learn's `cohen_kappa_score`). `None` when it is undefined.
///
/// ```
/// let a = ["I", "II", "II", "III", "I"];
/// let b = ["I", "II", "III", "III", "II"];
/// let kappa = clinkit::eval::cohen_kappa(&a, &b).unwrap();
/// assert!((kappa - 0.4117647058823529).abs() < 1e-12); // (0.6 − 0.32) / 0.68
/// ```
pub fn cohen_kappa<S: AsRef<str>>(a: &[S], b: &[S]) -> Option<f64> {
    ConfusionMatrix::from_labels("", a, b, &[]).kappa()
}

/// Agreement on one categorical field: Cohen's kappa and the plain share of agreement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Agreement {
    /// The field, such as `smoking` or `diagnoses.status`.
    pub field: String,
    /// Cohen's kappa (`null` in JSON when undefined).
    pub kappa: Option<f64>,
    /// The share of items both gave the same label.
    pub observed: f64,
    /// How many items were compared.
    pub n: usize,
}

impl Agreement {
    /// The agreement read off a confusion matrix.
    pub fn from_matrix(matrix: &ConfusionMatrix) -> Self {
        Agreement {
            field: matrix.field.clone(),
            kappa: matrix.kappa(),
            observed: matrix.observed_agreement(),
            n: matrix.total(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn perfect_and_chance_agreement() {
        assert_eq!(cohen_kappa(&["a", "b", "a"], &["a", "b", "a"]), Some(1.0));
        // Both always "a": chance agreement is 1, kappa undefined.
        assert_eq!(cohen_kappa(&["a", "a"], &["a", "a"]), None);
        // Exactly opposite on a balanced set: kappa −1.
        assert_eq!(cohen_kappa(&["a", "b"], &["b", "a"]), Some(-1.0));
        assert_eq!(cohen_kappa::<&str>(&[], &[]), None);
    }

    #[test]
    fn unknown_labels_are_added_and_merge_adds_counts() {
        let mut m = ConfusionMatrix::from_labels("sex", &["male"], &["female"], &["male"]);
        assert_eq!(m.labels, ["male", "female"]);
        assert_eq!(m.counts, vec![vec![0, 1], vec![0, 0]]);
        let other = ConfusionMatrix::from_labels("sex", &["other"], &["other"], &[]);
        m.merge(&other);
        assert_eq!(m.labels, ["male", "female", "other"]);
        assert_eq!(m.total(), 2);
        assert_eq!(m.counts[2][2], 1);
    }
}
