//! [`evaluate`]: everything `clinkit eval` computes, in one [`EvalReport`].

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::data::referral::FieldKind;
use crate::data::{Document, PhiType};
use crate::error::Result;
use crate::eval::analysis::ErrorCase;
use crate::eval::bootstrap::{Bootstrap, Interval};
use crate::eval::confusion::{Agreement, ConfusionMatrix, NOT_MENTIONED, ORDERED_FIELDS};
use crate::eval::counts::{macro_average, micro_average, Counts, Scores};
use crate::eval::document::{fields_in, score_document, DocDetails, DocScore, FieldDef, Scoring};
use crate::eval::pairing::{label, pair, read_with_lines, Source};
use crate::eval::spans::{SpanCounts, SpanRow};

/// The choices behind an evaluation. `EvalOptions::default()` is what `clinkit eval` uses.
///
/// ```
/// let options = clinkit::eval::EvalOptions { phi: true, ..Default::default() };
/// assert_eq!(options.relative_tolerance, 0.01);
/// assert_eq!(options.bootstrap.resamples, 1000);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvalOptions {
    /// How far a number (not a whole number) may be from the gold number, as a share of
    /// it: 0.01 accepts 1% off. Whole-number fields are always exact.
    pub relative_tolerance: f64,
    /// Confidence intervals: resamples, seed, confidence (0 resamples: no intervals).
    pub bootstrap: Bootstrap,
    /// Also score PHI spans (for de-identification output).
    pub phi: bool,
    /// Characters of text shown on each side of a mistake.
    pub snippet_width: usize,
    /// How to call the gold file in messages (the file name, when read from a file).
    pub gold_name: String,
    /// How to call the prediction file in messages.
    pub pred_name: String,
    /// How to call the second system in a [`compare`](crate::eval::compare).
    pub other_name: String,
}

impl Default for EvalOptions {
    fn default() -> Self {
        EvalOptions {
            relative_tolerance: 0.01,
            bootstrap: Bootstrap::default(),
            phi: false,
            snippet_width: 40,
            gold_name: "gold".into(),
            pred_name: "predictions".into(),
            other_name: "other".into(),
        }
    }
}

impl EvalOptions {
    pub(crate) fn scoring(&self) -> Scoring {
        Scoring {
            relative_tolerance: self.relative_tolerance,
            phi: self.phi,
            snippet_width: self.snippet_width,
        }
    }
}

/// Scores of one field, with the bootstrap interval of its F1.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldRow {
    /// The field name.
    pub field: String,
    /// How values are compared (see [`values_match`](crate::eval::values_match)).
    pub rule: String,
    /// Precision, recall, F1 and counts.
    #[serde(flatten)]
    pub scores: Scores,
    /// 95% (or the chosen) confidence interval of F1.
    pub f1_interval: Option<Interval>,
}

/// A micro or macro average with the interval of its F1.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Average {
    /// Precision, recall, F1 and the summed counts.
    #[serde(flatten)]
    pub scores: Scores,
    /// Confidence interval of F1.
    pub f1_interval: Option<Interval>,
}

/// Accuracy of one attribute (dose, unit, frequency) over the medications that were
/// found (paired on their name).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttributeRow {
    /// The list field, `medications`.
    pub field: String,
    /// `dose`, `unit` or `frequency`.
    pub attribute: String,
    /// Found medications with this attribute right.
    pub correct: usize,
    /// Found medications where gold or prediction has this attribute.
    pub total: usize,
    /// `correct / total` (0 when `total` is 0).
    pub accuracy: f64,
}

/// A table of span scores (evidence per field, or PHI per type) with its micro average.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpanTable {
    /// One row per field or PHI type that gold or prediction has.
    pub rows: Vec<SpanRow>,
    /// All rows together (micro average).
    pub micro: SpanRow,
    /// Confidence interval of the strict micro F1.
    pub strict_f1_interval: Option<Interval>,
    /// Confidence interval of the lenient micro F1.
    pub lenient_f1_interval: Option<Interval>,
    /// For PHI: all spans regardless of type (a name tagged as a date is still removed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub any_type: Option<SpanRow>,
}

/// Everything an evaluation found. Serialises to the JSON of `clinkit eval --json`;
/// [`render_text`](EvalReport::render_text) and [`render_html`](EvalReport::render_html)
/// show it to a person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvalReport {
    /// The gold file (or its label).
    pub gold: String,
    /// The prediction file (or its label).
    pub pred: String,
    /// Number of gold documents scored.
    pub documents: usize,
    /// Gold documents that had no prediction (scored as empty predictions).
    pub missing_predictions: Vec<String>,
    /// The options used.
    pub options: EvalOptions,
    /// Per-field scores, in schema order.
    pub fields: Vec<FieldRow>,
    /// Micro average over the fields.
    pub micro: Average,
    /// Macro average over the fields that gold or prediction ever filled in.
    #[serde(rename = "macro")]
    pub macro_avg: Average,
    /// Medication dose, unit and frequency accuracy.
    pub attributes: Vec<AttributeRow>,
    /// Evidence-span scores per field.
    pub evidence: SpanTable,
    /// PHI-span scores per type (only with `phi: true`).
    pub phi: Option<SpanTable>,
    /// Cohen's kappa per categorical field (gold and prediction as two raters), with
    /// linear and quadratic weighted kappas for ordered fields ([`ORDERED_FIELDS`]).
    pub agreement: Vec<Agreement>,
    /// Confusion matrices of the categorical fields and of diagnosis status.
    pub confusion: Vec<ConfusionMatrix>,
    /// Every mistake, with its snippet.
    pub errors: Vec<ErrorCase>,
    /// Warnings (also worth printing on stderr).
    pub warnings: Vec<String>,
}

/// Scores predictions against a gold standard: the library side of `clinkit eval`.
///
/// Documents are paired by `id` (see the rules in
/// [`pairing`](crate::eval#pairing-documents)); fields are compared by the rules of
/// [`values_match`](crate::eval::values_match); spans strictly and leniently
/// ([`span_counts`](crate::eval::span_counts)); intervals come from a seeded bootstrap
/// over documents.
///
/// ```
/// use clinkit::data::{Document, FieldValue, Grounded, Lang};
/// use clinkit::eval::{evaluate, Counts, EvalOptions};
/// use clinkit::text::Span;
/// use serde_json::json;
/// let letter = |status: &str| {
///     let mut doc = Document::new("r1", Lang::Nl, "referral", "Man, 67 jaar. Geen diabetes.");
///     doc.fields.insert("age".into(), FieldValue::One(Grounded::new(json!(67), vec![Span::new(5, 7)])));
///     let diabetes = Grounded::new(json!({"name": "diabetes", "status": status}), vec![Span::new(19, 27)]);
///     doc.fields.insert("diagnoses".into(), FieldValue::Many(vec![diabetes]));
///     doc
/// };
/// let (gold, pred) = (letter("absent"), letter("present"));
/// let report = evaluate(&[gold], &[pred], &EvalOptions::default()).unwrap();
/// assert_eq!(report.field("age").unwrap().scores.f1, 1.0);       // age right
/// assert_eq!(report.field("diagnoses").unwrap().scores.f1, 0.0); // present instead of absent
/// assert_eq!(report.micro.scores.counts, Counts::new(1, 1, 1));
/// let missed = report.errors.iter().find(|e| e.kind == clinkit::eval::ErrorKind::FalseNegative).unwrap();
/// assert_eq!(missed.value, "diabetes (absent)");
/// assert_eq!(missed.note.as_deref(), Some("right name, wrong status: predicted present"));
/// println!("{}", report.render_text());
/// ```
pub fn evaluate(gold: &[Document], pred: &[Document], options: &EvalOptions) -> Result<EvalReport> {
    let gold_name = label(&options.gold_name);
    let pred_name = label(&options.pred_name);
    evaluate_sources(
        Source {
            name: &gold_name,
            documents: gold,
            lines: None,
        },
        Source {
            name: &pred_name,
            documents: pred,
            lines: None,
        },
        options,
    )
}

/// [`evaluate`] on two JSONL files. Errors name the file, line and field; the file names
/// replace `gold_name` and `pred_name` of the options.
pub fn evaluate_files(gold: &Path, pred: &Path, options: &EvalOptions) -> Result<EvalReport> {
    let (gold_docs, gold_lines) = read_with_lines(gold)?;
    let (pred_docs, pred_lines) = read_with_lines(pred)?;
    let options = EvalOptions {
        gold_name: gold.display().to_string(),
        pred_name: pred.display().to_string(),
        ..options.clone()
    };
    evaluate_sources(
        Source {
            name: gold,
            documents: &gold_docs,
            lines: Some(&gold_lines),
        },
        Source {
            name: pred,
            documents: &pred_docs,
            lines: Some(&pred_lines),
        },
        &options,
    )
}

pub(crate) fn evaluate_sources(
    gold: Source,
    pred: Source,
    options: &EvalOptions,
) -> Result<EvalReport> {
    let paired = pair(gold, pred)?;
    let fields = fields_in(gold.documents.iter().chain(pred.documents));
    let (scores, details): (Vec<DocScore>, Vec<DocDetails>) = paired
        .pairs
        .iter()
        .map(|(g, p)| score_document(g, *p, &fields, options.scoring()))
        .unzip();
    let mut report = summarise(&fields, &scores, options);
    report.gold = options.gold_name.clone();
    report.pred = options.pred_name.clone();
    report.missing_predictions = paired.missing;
    report.warnings = paired.warnings;
    add_details(&mut report, &fields, details);
    Ok(report)
}

/// The field-level statistics one bootstrap replicate (or the full data) gives:
/// per-field F1, then micro F1 and macro F1.
pub(crate) fn field_statistics(total: &[Counts]) -> Vec<f64> {
    let mut values: Vec<f64> = total.iter().map(Counts::f1).collect();
    values.push(micro_average(total).f1);
    values.push(macro_over_filled(total).f1);
    values
}

/// Macro average over the fields that have any count.
pub(crate) fn macro_over_filled(total: &[Counts]) -> Scores {
    let filled: Vec<Counts> = total.iter().copied().filter(|c| !c.is_empty()).collect();
    macro_average(&filled)
}

/// Sums per-document counts over a (re)sample of documents.
pub(crate) fn sum_fields(scores: &[DocScore], sample: &[usize], width: usize) -> Vec<Counts> {
    let mut total = vec![Counts::default(); width];
    for &d in sample {
        for (sum, counts) in total.iter_mut().zip(&scores[d].fields) {
            *sum += *counts;
        }
    }
    total
}

fn sum_spans(rows: impl Iterator<Item = Vec<SpanCounts>>, width: usize) -> Vec<SpanCounts> {
    let mut total = vec![SpanCounts::default(); width];
    for row in rows {
        for (sum, counts) in total.iter_mut().zip(row) {
            *sum += counts;
        }
    }
    total
}

/// The counting part of the report: tables, averages and their intervals.
fn summarise(fields: &[FieldDef], scores: &[DocScore], options: &EvalOptions) -> EvalReport {
    let n = scores.len();
    let all: Vec<usize> = (0..n).collect();
    let width = fields.len();
    let total = sum_fields(scores, &all, width);
    let field_intervals = options.bootstrap.intervals(n, |sample| {
        field_statistics(&sum_fields(scores, sample, width))
    });
    let interval = |k: usize| field_intervals.get(k).copied();
    let rows = fields
        .iter()
        .zip(&total)
        .enumerate()
        .map(|(k, ((name, kind), counts))| FieldRow {
            field: name.clone(),
            rule: rule_name(*kind).to_string(),
            scores: counts.scores(),
            f1_interval: interval(k),
        })
        .collect();
    let evidence = span_table(
        fields.iter().map(|(name, _)| name.clone()).collect(),
        |sample| sum_spans(sample.iter().map(|&d| scores[d].evidence.clone()), width),
        n,
        &options.bootstrap,
        false,
    );
    let phi = options.phi.then(|| {
        let names = PhiType::ALL
            .iter()
            .map(|t| t.as_str().to_string())
            .collect();
        span_table(
            names,
            |sample| {
                sum_spans(
                    sample.iter().map(|&d| scores[d].phi.clone()),
                    PhiType::ALL.len() + 1,
                )
            },
            n,
            &options.bootstrap,
            true,
        )
    });
    EvalReport {
        gold: String::new(),
        pred: String::new(),
        documents: n,
        missing_predictions: Vec::new(),
        options: options.clone(),
        fields: rows,
        micro: Average {
            scores: micro_average(&total),
            f1_interval: interval(width),
        },
        macro_avg: Average {
            scores: macro_over_filled(&total),
            f1_interval: interval(width + 1),
        },
        attributes: Vec::new(),
        evidence,
        phi,
        agreement: Vec::new(),
        confusion: Vec::new(),
        errors: Vec::new(),
        warnings: Vec::new(),
    }
}

/// A span table from per-row sums; `with_any` means the sums have one extra last entry,
/// "any type", that is not part of the micro average.
fn span_table(
    names: Vec<String>,
    sum: impl Fn(&[usize]) -> Vec<SpanCounts>,
    n: usize,
    bootstrap: &Bootstrap,
    with_any: bool,
) -> SpanTable {
    let rows_of = |totals: &[SpanCounts]| -> SpanCounts {
        totals
            .iter()
            .take(names.len())
            .fold(SpanCounts::default(), |a, b| a + *b)
    };
    let all: Vec<usize> = (0..n).collect();
    let totals = sum(&all);
    let micro = rows_of(&totals);
    let intervals = bootstrap.intervals(n, |sample| {
        let micro = rows_of(&sum(sample));
        vec![micro.strict.f1(), micro.lenient.f1()]
    });
    SpanTable {
        rows: names
            .iter()
            .zip(&totals)
            .filter(|(_, counts)| !(counts.strict.is_empty() && counts.lenient.is_empty()))
            .map(|(name, counts)| SpanRow::new(name.clone(), *counts))
            .collect(),
        micro: SpanRow::new("micro", micro),
        strict_f1_interval: intervals.first().copied(),
        lenient_f1_interval: intervals.get(1).copied(),
        any_type: with_any.then(|| SpanRow::new("any type", totals[names.len()])),
    }
}

/// Errors, attribute accuracy, confusion matrices and kappas from the per-document details.
fn add_details(report: &mut EvalReport, fields: &[FieldDef], details: Vec<DocDetails>) {
    let mut matrices: Vec<ConfusionMatrix> = Vec::new();
    // The ordered fields and their categories, lowest first (as listed in the schema).
    let mut orders: Vec<(&str, &[&str])> = Vec::new();
    for (name, kind) in fields {
        match kind {
            Some(FieldKind::Choice(options)) => {
                let mut labels: Vec<&str> = options.to_vec();
                labels.push(NOT_MENTIONED);
                matrices.push(ConfusionMatrix::new(name.clone(), &labels));
                if ORDERED_FIELDS.contains(&name.as_str()) {
                    orders.push((name.as_str(), options));
                }
            }
            Some(FieldKind::Diagnoses) => {
                matrices.push(ConfusionMatrix::new(
                    format!("{name}.status"),
                    &crate::data::referral::DIAGNOSIS_STATUSES,
                ));
            }
            _ => {}
        }
    }
    for detail in details {
        report.errors.extend(detail.errors);
        for (field, gold, pred) in detail.categories {
            if let Some(matrix) = matrices.iter_mut().find(|m| m.field == field) {
                matrix.add(&gold, &pred);
            }
        }
        for (field, check) in detail.attributes {
            let row = match report
                .attributes
                .iter()
                .position(|r| r.field == field && r.attribute == check.attribute)
            {
                Some(index) => &mut report.attributes[index],
                None => {
                    report.attributes.push(AttributeRow {
                        field: field.clone(),
                        attribute: check.attribute.to_string(),
                        correct: 0,
                        total: 0,
                        accuracy: 0.0,
                    });
                    report.attributes.last_mut().expect("just pushed")
                }
            };
            row.total += 1;
            row.correct += usize::from(check.correct);
        }
    }
    for row in &mut report.attributes {
        row.accuracy = if row.total == 0 {
            0.0
        } else {
            row.correct as f64 / row.total as f64
        };
    }
    let order = ["dose", "unit", "frequency"];
    report.attributes.sort_by_key(|row| {
        order
            .iter()
            .position(|a| *a == row.attribute)
            .unwrap_or(order.len())
    });
    sort_errors(&mut report.errors, fields);
    report.agreement = matrices
        .iter()
        .map(
            |m| match orders.iter().find(|(field, _)| *field == m.field) {
                Some((_, order)) => Agreement::from_ordered_matrix(m, order),
                None => Agreement::from_matrix(m),
            },
        )
        .collect();
    report.confusion = matrices;
}

/// Puts errors in the order a reader expects: fields in schema order (PHI last), then by
/// context (diagnosis statuses, PHI types and medication attributes in their usual order),
/// keeping document order inside a group.
fn sort_errors(errors: &mut [ErrorCase], fields: &[FieldDef]) {
    let contexts: Vec<&str> = crate::data::referral::DIAGNOSIS_STATUSES
        .iter()
        .copied()
        .chain(PhiType::ALL.iter().map(PhiType::as_str))
        .chain(["dose", "unit", "frequency"])
        .collect();
    errors.sort_by_key(|error| {
        let field = fields
            .iter()
            .position(|(name, _)| *name == error.field)
            .unwrap_or(fields.len());
        let context = match &error.context {
            None => 0,
            Some(context) => {
                1 + contexts
                    .iter()
                    .position(|c| c == context)
                    .unwrap_or(contexts.len())
            }
        };
        (field, context)
    });
}

/// A short description of how a field kind is compared.
pub(crate) fn rule_name(kind: Option<FieldKind>) -> &'static str {
    match kind {
        Some(FieldKind::Integer) => "exact number",
        Some(FieldKind::Number) => "number within tolerance",
        Some(FieldKind::Choice(_)) => "category",
        Some(FieldKind::Text) => "normalised text",
        Some(FieldKind::TextList) => "set of normalised texts",
        Some(FieldKind::Diagnoses) => "set of (name, status)",
        Some(FieldKind::Medications) => "set of names",
        None => "JSON value",
    }
}

impl EvalReport {
    /// The report as pretty JSON (what `clinkit eval --json` prints).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("an EvalReport always serialises to JSON")
    }

    /// The row of one field, if it was scored.
    ///
    /// ```
    /// # let report = clinkit::eval::evaluate(&[], &[], &Default::default()).unwrap();
    /// assert!(report.field("age").is_none()); // nothing to score in no documents
    /// ```
    pub fn field(&self, name: &str) -> Option<&FieldRow> {
        self.fields.iter().find(|row| row.field == name)
    }

    /// The confusion matrix of a categorical field (or `diagnoses.status`).
    pub fn confusion_matrix(&self, field: &str) -> Option<&ConfusionMatrix> {
        self.confusion.iter().find(|m| m.field == field)
    }
}
