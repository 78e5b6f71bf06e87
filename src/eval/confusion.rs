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
//!
//! *Weighted kappa* is for categories that have an order, such as NYHA class
//! I < II < III < IV. Calling a class III patient "II" is a smaller mistake than calling
//! them "I", but plain kappa counts both as the same full disagreement. Weighted kappa
//! gives each pair of classes a disagreement weight that grows with their distance:
//! *linear* weights count a two-class miss twice as badly as a one-class miss,
//! *quadratic* weights four times as badly (so near misses hardly count). Then
//! `kappa = 1 − (weighted disagreement observed) / (weighted disagreement expected by chance)`.
//! See [`KappaWeights`] and [`weighted_cohen_kappa`].

use serde::{Deserialize, Serialize};

/// The label used when a document has no value for a categorical field.
pub const NOT_MENTIONED: &str = "(none)";

/// The categorical fields whose answers have an order (lowest first in the schema), so
/// that the report also gives their weighted kappas. Only `nyha_class` (I < II < III < IV):
/// `urgency` has two answers, where weighted and plain kappa are the same, and `smoking`
/// (current, former, never) or `sex` are not steps on one scale.
///
/// ```
/// assert_eq!(clinkit::eval::ORDERED_FIELDS, ["nyha_class"]);
/// ```
pub const ORDERED_FIELDS: [&str; 1] = ["nyha_class"];

/// How much each disagreement between two ordered categories counts in a weighted kappa.
/// For categories number `i` and `j` in their order (0, 1, 2, ...) the disagreement
/// weight is 0 on agreement and otherwise:
///
/// | weights | weight of `(i, j)` | NYHA I vs II | I vs III | I vs IV |
/// | --- | --- | --- | --- | --- |
/// | `Unweighted` | 1 | 1 | 1 | 1 |
/// | `Linear` | `abs(i − j)` | 1 | 2 | 3 |
/// | `Quadratic` | `(i − j)²` | 1 | 4 | 9 |
///
/// (scikit-learn's `cohen_kappa_score(weights=None / "linear" / "quadratic")`.) Quadratic
/// weighted kappa is the one most often reported for ordinal scales; it is close to the
/// intraclass correlation.
///
/// ```
/// use clinkit::eval::KappaWeights;
/// assert_eq!(KappaWeights::Linear.weight(0, 2), 2.0);
/// assert_eq!(KappaWeights::Quadratic.weight(3, 1), 4.0);
/// assert_eq!(KappaWeights::Unweighted.weight(2, 2), 0.0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum KappaWeights {
    /// Every disagreement counts fully: plain Cohen's kappa.
    Unweighted,
    /// A disagreement counts by how many steps apart the two categories are.
    Linear,
    /// A disagreement counts by the square of the steps apart.
    Quadratic,
}

impl KappaWeights {
    /// The disagreement weight of categories number `i` and `j` (0 when `i == j`).
    ///
    /// ```
    /// assert_eq!(clinkit::eval::KappaWeights::Linear.weight(3, 0), 3.0);
    /// ```
    pub fn weight(self, i: usize, j: usize) -> f64 {
        let steps = i.abs_diff(j) as f64;
        match self {
            KappaWeights::Unweighted => f64::from(u8::from(i != j)),
            KappaWeights::Linear => steps,
            KappaWeights::Quadratic => steps * steps,
        }
    }
}

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

    /// Weighted Cohen's kappa, taking the order of [`labels`](ConfusionMatrix::labels) as
    /// the order of the categories: `1 − Σ w·observed / Σ w·expected`, where `w` is the
    /// disagreement weight of each cell ([`KappaWeights::weight`]) and `expected` is
    /// what two raters with these label frequencies would fill in by chance.
    /// `KappaWeights::Unweighted` gives plain [`kappa`](ConfusionMatrix::kappa). `None`
    /// when undefined (no pairs, or no disagreement is possible by chance).
    ///
    /// ```
    /// use clinkit::eval::{ConfusionMatrix, KappaWeights};
    /// // 5 patients; gold (rows) and prediction (columns) over NYHA I, II, III.
    /// let mut m = ConfusionMatrix::new("nyha_class", &["I", "II", "III"]);
    /// m.counts = vec![vec![1, 1, 0], vec![0, 1, 1], vec![0, 0, 1]];
    /// // Both misses are one class off: linear Σ w·observed = 2; rows 2, 2, 1 and columns
    /// // 1, 2, 2 give Σ w·expected = 22/5; kappa = 1 − 2 / 4.4 = 6/11.
    /// let linear = m.weighted_kappa(KappaWeights::Linear).unwrap();
    /// assert!((linear - 6.0 / 11.0).abs() < 1e-12);
    /// // Quadratic: 1 − 2 / 6.4 = 11/16; plain kappa only 7/17 (0.41).
    /// let quadratic = m.weighted_kappa(KappaWeights::Quadratic).unwrap();
    /// assert!((quadratic - 11.0 / 16.0).abs() < 1e-12);
    /// ```
    pub fn weighted_kappa(&self, weights: KappaWeights) -> Option<f64> {
        let total = self.total();
        if total == 0 {
            return None;
        }
        let k = self.labels.len();
        let rows: Vec<f64> = self
            .counts
            .iter()
            .map(|row| row.iter().sum::<usize>() as f64)
            .collect();
        let columns: Vec<f64> = (0..k)
            .map(|j| self.counts.iter().map(|row| row[j]).sum::<usize>() as f64)
            .collect();
        let (mut observed, mut expected) = (0.0, 0.0);
        for (i, (row, row_total)) in self.counts.iter().zip(&rows).enumerate() {
            for (j, (&count, column_total)) in row.iter().zip(&columns).enumerate() {
                let w = weights.weight(i, j);
                observed += w * count as f64;
                expected += w * row_total * column_total / total as f64;
            }
        }
        if expected.abs() < 1e-12 {
            return None;
        }
        Some(1.0 - observed / expected)
    }

    /// The matrix with only the rows and columns of `labels`, in that order: pairs in
    /// which either side has another label are left out. A label the matrix does not
    /// have gets an empty row and column.
    ///
    /// ```
    /// use clinkit::eval::ConfusionMatrix;
    /// let m = ConfusionMatrix::from_labels("nyha_class", &["II", "(none)", "I"], &["II", "I", "I"], &[]);
    /// let graded = m.restricted(&["I", "II", "III", "IV"]);
    /// assert_eq!(graded.total(), 2); // the pair (none, I) is left out
    /// assert_eq!(graded.counts[1], vec![0, 1, 0, 0]);
    /// ```
    pub fn restricted(&self, labels: &[&str]) -> ConfusionMatrix {
        let index: Vec<Option<usize>> = labels
            .iter()
            .map(|label| self.labels.iter().position(|l| l == label))
            .collect();
        let mut matrix = ConfusionMatrix::new(self.field.clone(), labels);
        for (g, gi) in index.iter().enumerate() {
            for (p, pi) in index.iter().enumerate() {
                if let (Some(gi), Some(pi)) = (gi, pi) {
                    matrix.counts[g][p] = self.counts[*gi][*pi];
                }
            }
        }
        matrix
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

/// Weighted Cohen's kappa between two raters who each gave one ordered category to the
/// same items, with `order` listing the categories from lowest to highest. Pairs in which
/// either label is not in `order` (such as [`NOT_MENTIONED`]) are left out, as
/// scikit-learn's `cohen_kappa_score(a, b, labels=order, weights=...)` does. `None` when
/// it is undefined. See [`KappaWeights`] for the weights.
///
/// ```
/// use clinkit::eval::{cohen_kappa, weighted_cohen_kappa, KappaWeights};
/// let order = ["I", "II", "III", "IV"];
/// let gold = ["I", "II", "II", "III", "I"];
/// let pred = ["I", "II", "III", "III", "II"]; // two misses, both one class off
/// let linear = weighted_cohen_kappa(&gold, &pred, &order, KappaWeights::Linear).unwrap();
/// let quadratic = weighted_cohen_kappa(&gold, &pred, &order, KappaWeights::Quadratic).unwrap();
/// assert!((linear - 6.0 / 11.0).abs() < 1e-12);
/// assert!((quadratic - 0.6875).abs() < 1e-12);
/// assert!(cohen_kappa(&gold, &pred).unwrap() < linear); // plain kappa: 0.41
/// ```
pub fn weighted_cohen_kappa<S: AsRef<str>>(
    a: &[S],
    b: &[S],
    order: &[&str],
    weights: KappaWeights,
) -> Option<f64> {
    ConfusionMatrix::from_labels("", a, b, order)
        .restricted(order)
        .weighted_kappa(weights)
}

/// Weighted kappas of a field whose categories have an order (see [`ORDERED_FIELDS`]),
/// computed on the items where both sides gave one of the ordered categories.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderedAgreement {
    /// The categories, lowest first.
    pub order: Vec<String>,
    /// Items where both gave one of these categories (the others are left out).
    pub n: usize,
    /// Kappa with linear weights (`null` in JSON when undefined).
    pub linear: Option<f64>,
    /// Kappa with quadratic weights (`null` in JSON when undefined).
    pub quadratic: Option<f64>,
}

impl OrderedAgreement {
    /// The weighted kappas of `matrix` restricted to the categories in `order`.
    ///
    /// ```
    /// use clinkit::eval::{ConfusionMatrix, OrderedAgreement};
    /// let m = ConfusionMatrix::from_labels("nyha_class", &["I", "III", "(none)"], &["II", "III", "IV"], &[]);
    /// let ordered = OrderedAgreement::from_matrix(&m, &["I", "II", "III", "IV"]);
    /// assert_eq!(ordered.n, 2);
    /// assert_eq!(ordered.linear, Some(0.5)); // one step off; by chance 2 steps: 1 − 1/2
    /// ```
    pub fn from_matrix(matrix: &ConfusionMatrix, order: &[&str]) -> Self {
        let graded = matrix.restricted(order);
        OrderedAgreement {
            order: graded.labels.clone(),
            n: graded.total(),
            linear: graded.weighted_kappa(KappaWeights::Linear),
            quadratic: graded.weighted_kappa(KappaWeights::Quadratic),
        }
    }
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
    /// For a field with ordered categories: its weighted kappas (absent otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ordered: Option<OrderedAgreement>,
}

impl Agreement {
    /// The agreement read off a confusion matrix (unweighted: no `ordered` part).
    ///
    /// ```
    /// use clinkit::eval::{Agreement, ConfusionMatrix};
    /// let m = ConfusionMatrix::from_labels("sex", &["male", "female"], &["male", "male"], &[]);
    /// let agreement = Agreement::from_matrix(&m);
    /// assert_eq!((agreement.observed, agreement.n), (0.5, 2));
    /// assert_eq!(agreement.kappa, Some(0.0));
    /// ```
    pub fn from_matrix(matrix: &ConfusionMatrix) -> Self {
        Agreement {
            field: matrix.field.clone(),
            kappa: matrix.kappa(),
            observed: matrix.observed_agreement(),
            n: matrix.total(),
            ordered: None,
        }
    }

    /// The agreement of a field whose categories have the order `order` (lowest first):
    /// plain kappa over all pairs as in [`from_matrix`](Agreement::from_matrix), plus the
    /// weighted kappas over the pairs where both gave an ordered category.
    ///
    /// ```
    /// use clinkit::eval::{Agreement, ConfusionMatrix};
    /// let m = ConfusionMatrix::from_labels("nyha_class", &["I", "III", "(none)"], &["II", "III", "(none)"], &[]);
    /// let agreement = Agreement::from_ordered_matrix(&m, &["I", "II", "III", "IV"]);
    /// assert_eq!(agreement.n, 3);
    /// assert_eq!(agreement.ordered.unwrap().n, 2);
    /// ```
    pub fn from_ordered_matrix(matrix: &ConfusionMatrix, order: &[&str]) -> Self {
        Agreement {
            ordered: Some(OrderedAgreement::from_matrix(matrix, order)),
            ..Agreement::from_matrix(matrix)
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
    fn weighted_kappa_edge_cases() {
        let order = ["I", "II", "III", "IV"];
        let linear = KappaWeights::Linear;
        // Perfect agreement is 1 whatever the weights.
        assert_eq!(
            weighted_cohen_kappa(&["I", "IV"], &["I", "IV"], &order, linear),
            Some(1.0)
        );
        // Everyone "II" on both sides: no disagreement possible by chance, undefined.
        assert_eq!(
            weighted_cohen_kappa(&["II", "II"], &["II", "II"], &order, linear),
            None
        );
        // Only pairs outside the order: nothing left, undefined.
        assert_eq!(
            weighted_cohen_kappa(&["(none)"], &["I"], &order, linear),
            None
        );
        // Two categories: every weighting gives plain kappa.
        let (a, b) = (["I", "I", "II", "II", "I"], ["I", "II", "II", "I", "I"]);
        let plain = cohen_kappa(&a, &b).unwrap();
        for weights in [
            KappaWeights::Unweighted,
            KappaWeights::Linear,
            KappaWeights::Quadratic,
        ] {
            let weighted = weighted_cohen_kappa(&a, &b, &["I", "II"], weights).unwrap();
            assert!((weighted - plain).abs() < 1e-12, "{weights:?}");
        }
    }

    #[test]
    fn unweighted_is_plain_kappa_and_restricted_keeps_order() {
        let m = ConfusionMatrix::from_labels(
            "nyha_class",
            &["I", "II", "IV", "III", "(none)", "II"],
            &["II", "II", "III", "III", "I", "(none)"],
            &[],
        );
        let plain = m.kappa().unwrap();
        let unweighted = m.weighted_kappa(KappaWeights::Unweighted).unwrap();
        assert!((plain - unweighted).abs() < 1e-12);
        let graded = m.restricted(&["I", "II", "III", "IV", "V"]);
        assert_eq!(graded.labels, ["I", "II", "III", "IV", "V"]);
        assert_eq!(graded.total(), 4);
        assert_eq!(graded.counts[3], vec![0, 0, 1, 0, 0]); // IV called III
        assert_eq!(graded.counts[4], vec![0; 5]);
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
