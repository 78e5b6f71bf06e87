//! Is system B really better than system A? A paired comparison on the same gold documents.
//!
//! When the rules baseline scores F1 0.71 and the model 0.78 on the same 60 letters, the
//! question is whether 0.07 is more than luck. Because both systems read the *same*
//! letters, we resample letters once per replicate and score both systems on that same
//! resample (a *paired bootstrap*): hard letters are hard for both, and that shared part
//! cancels out of the difference. If the 95% interval of the difference does not contain
//! 0, the difference is unlikely to be chance on letters like these.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::data::Document;
use crate::error::Result;
use crate::eval::bootstrap::Interval;
use crate::eval::counts::{micro_average, Counts};
use crate::eval::document::{fields_in, score_document, DocScore};
use crate::eval::pairing::{label, pair, read_with_lines, Source};
use crate::eval::report::{macro_over_filled, sum_fields, EvalOptions};

/// The F1 of two systems on one field (or an average) and the difference B − A.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Difference {
    /// A field name, `micro` or `macro`.
    pub name: String,
    /// F1 of system A.
    pub f1_a: f64,
    /// F1 of system B.
    pub f1_b: f64,
    /// `f1_b − f1_a`: above 0 means B is better.
    pub difference: f64,
    /// Paired bootstrap interval of the difference.
    pub interval: Option<Interval>,
}

/// The paired comparison of two systems on one gold standard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    /// Name of system A (`options.pred_name`).
    pub a: String,
    /// Name of system B (`options.other_name`).
    pub b: String,
    /// Number of gold documents.
    pub documents: usize,
    /// Micro-averaged F1 of both and the difference.
    pub micro: Difference,
    /// Macro-averaged F1 of both and the difference.
    #[serde(rename = "macro")]
    pub macro_avg: Difference,
    /// Per-field F1 of both and the differences.
    pub fields: Vec<Difference>,
    /// Share of bootstrap resamples in which B's micro F1 is higher than A's (near 1: B
    /// is almost always better; near 0.5: no clear winner). `None` without resamples.
    pub b_better_share: Option<f64>,
}

/// Compares two systems `a` and `b` on the same gold documents: F1 of each, the
/// difference B − A and its paired bootstrap interval, for the micro and macro averages
/// and for each field.
///
/// ```
/// use clinkit::data::Document;
/// use clinkit::eval::{compare, EvalOptions};
/// let letter = |age: i64| -> Document { serde_json::from_str(&format!(
///     r#"{{"id": "r{age}", "lang": "en", "kind": "referral", "text": "Age {age}.",
///         "fields": {{"age": {{"value": {age}, "spans": [[4, 6]]}}}}}}"#)).unwrap() };
/// let gold: Vec<Document> = (60..70).map(letter).collect();
/// let mut a = gold.clone();
/// for doc in &mut a[..5] { doc.fields.clear(); } // A misses half the ages
/// let b = gold.clone();                             // B finds all
/// let comparison = compare(&gold, &a, &b, &EvalOptions::default()).unwrap();
/// assert!((comparison.micro.f1_a - 2.0 / 3.0).abs() < 1e-12);
/// assert_eq!(comparison.micro.f1_b, 1.0);
/// assert!(comparison.micro.interval.unwrap().excludes_zero());
/// ```
pub fn compare(
    gold: &[Document],
    a: &[Document],
    b: &[Document],
    options: &EvalOptions,
) -> Result<Comparison> {
    let (gold_name, a_name, b_name) = (
        label(&options.gold_name),
        label(&options.pred_name),
        label(&options.other_name),
    );
    compare_sources(
        Source {
            name: &gold_name,
            documents: gold,
            lines: None,
        },
        Source {
            name: &a_name,
            documents: a,
            lines: None,
        },
        Source {
            name: &b_name,
            documents: b,
            lines: None,
        },
        options,
    )
}

/// [`compare`] on three JSONL files; errors name the file, line and field.
pub fn compare_files(gold: &Path, a: &Path, b: &Path, options: &EvalOptions) -> Result<Comparison> {
    let (gold_docs, gold_lines) = read_with_lines(gold)?;
    let (a_docs, a_lines) = read_with_lines(a)?;
    let (b_docs, b_lines) = read_with_lines(b)?;
    let options = EvalOptions {
        gold_name: gold.display().to_string(),
        pred_name: a.display().to_string(),
        other_name: b.display().to_string(),
        ..options.clone()
    };
    compare_sources(
        Source {
            name: gold,
            documents: &gold_docs,
            lines: Some(&gold_lines),
        },
        Source {
            name: a,
            documents: &a_docs,
            lines: Some(&a_lines),
        },
        Source {
            name: b,
            documents: &b_docs,
            lines: Some(&b_lines),
        },
        &options,
    )
}

fn compare_sources(
    gold: Source,
    a: Source,
    b: Source,
    options: &EvalOptions,
) -> Result<Comparison> {
    let paired_a = pair(gold, a)?;
    let paired_b = pair(gold, b)?;
    let fields = fields_in(gold.documents.iter().chain(a.documents).chain(b.documents));
    let score = |pairs: &[(&Document, Option<&Document>)]| -> Vec<DocScore> {
        pairs
            .iter()
            .map(|(g, p)| score_document(g, *p, &fields, options.scoring()).0)
            .collect()
    };
    let (scores_a, scores_b) = (score(&paired_a.pairs), score(&paired_b.pairs));
    let n = scores_a.len();
    let width = fields.len();
    // Per field F1, then micro, then macro; B − A.
    let statistics = |totals: &[Counts]| -> Vec<f64> {
        let mut values: Vec<f64> = totals.iter().map(Counts::f1).collect();
        values.push(micro_average(totals).f1);
        values.push(macro_over_filled(totals).f1);
        values
    };
    let all: Vec<usize> = (0..n).collect();
    let full_a = statistics(&sum_fields(&scores_a, &all, width));
    let full_b = statistics(&sum_fields(&scores_b, &all, width));
    let samples = options.bootstrap.samples(n);
    let differences: Vec<Vec<f64>> = samples
        .iter()
        .map(|sample| {
            let sa = statistics(&sum_fields(&scores_a, sample, width));
            let sb = statistics(&sum_fields(&scores_b, sample, width));
            sb.iter().zip(&sa).map(|(b, a)| b - a).collect()
        })
        .collect();
    let tail = (1.0 - options.bootstrap.confidence) / 2.0;
    let interval = |k: usize| -> Option<Interval> {
        if differences.is_empty() {
            return None;
        }
        let mut column: Vec<f64> = differences.iter().map(|row| row[k]).collect();
        column.sort_by(f64::total_cmp);
        Some(Interval {
            low: crate::eval::bootstrap::quantile(&column, tail),
            high: crate::eval::bootstrap::quantile(&column, 1.0 - tail),
        })
    };
    let difference = |name: &str, k: usize| Difference {
        name: name.to_string(),
        f1_a: full_a[k],
        f1_b: full_b[k],
        difference: full_b[k] - full_a[k],
        interval: interval(k),
    };
    let b_better_share = (!differences.is_empty()).then(|| {
        differences.iter().filter(|row| row[width] > 0.0).count() as f64 / differences.len() as f64
    });
    Ok(Comparison {
        a: options.pred_name.clone(),
        b: options.other_name.clone(),
        documents: n,
        micro: difference("micro", width),
        macro_avg: difference("macro", width + 1),
        fields: fields
            .iter()
            .enumerate()
            .map(|(k, (name, _))| difference(name, k))
            .collect(),
        b_better_share,
    })
}
