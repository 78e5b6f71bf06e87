//! Scoring one gold document against its prediction: counts for the totals, and the
//! details (mistakes, medication attributes, category pairs) for the error analysis.

use serde_json::Value;

use crate::data::referral::{FieldKind, FIELDS};
use crate::data::{Document, FieldValue, PhiType};
use crate::eval::analysis::{find_mention, ErrorCase, ErrorKind, Snippet};
use crate::eval::confusion::NOT_MENTIONED;
use crate::eval::counts::Counts;
use crate::eval::fields::{
    display_value, match_field, medication_attributes, mention_text, AttributeCheck,
};
use crate::eval::matching::Matching;
use crate::eval::normalize::normalize_text;
use crate::eval::spans::{clean, lenient_matching, span_counts, SpanCounts};
use crate::text::Span;

/// A field to score: its name and, for schema fields, its kind.
pub(crate) type FieldDef = (String, Option<FieldKind>);

/// The counts of one document, the unit the bootstrap resamples.
#[derive(Debug, Clone, Default)]
pub(crate) struct DocScore {
    /// One entry per scored field.
    pub fields: Vec<Counts>,
    /// Evidence spans, one entry per scored field.
    pub evidence: Vec<SpanCounts>,
    /// PHI spans: one entry per [`PhiType::ALL`], then one for "any type". Empty when
    /// PHI is not scored.
    pub phi: Vec<SpanCounts>,
}

/// The details of one document for the error analysis and the agreement tables.
#[derive(Debug, Clone, Default)]
pub(crate) struct DocDetails {
    pub errors: Vec<ErrorCase>,
    /// `(field, check)` for each attribute of each name-matched medication.
    pub attributes: Vec<(String, AttributeCheck)>,
    /// `(field, gold label, predicted label)` for categorical fields and diagnosis statuses.
    pub categories: Vec<(String, String, String)>,
}

/// Settings the per-document scoring needs.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Scoring {
    pub relative_tolerance: f64,
    pub phi: bool,
    pub snippet_width: usize,
}

/// The fields to score: schema fields (in schema order) that any document has, then any
/// other field names, sorted.
pub(crate) fn fields_in<'a>(documents: impl Iterator<Item = &'a Document>) -> Vec<FieldDef> {
    let mut seen = std::collections::BTreeSet::new();
    for document in documents {
        seen.extend(document.fields.keys().cloned());
    }
    let mut fields: Vec<FieldDef> = FIELDS
        .iter()
        .filter(|spec| seen.contains(spec.name))
        .map(|spec| (spec.name.to_string(), Some(spec.kind)))
        .collect();
    for name in seen {
        if !fields.iter().any(|(known, _)| *known == name) {
            fields.push((name, None));
        }
    }
    fields
}

/// Scores one document. `pred` is `None` when the prediction is missing (an empty prediction).
pub(crate) fn score_document(
    gold: &Document,
    pred: Option<&Document>,
    fields: &[FieldDef],
    scoring: Scoring,
) -> (DocScore, DocDetails) {
    let mut score = DocScore::default();
    let mut details = DocDetails::default();
    let pred_text = pred.map(|p| p.text.as_str()).unwrap_or(&gold.text);
    for (name, kind) in fields {
        let gold_value = gold.fields.get(name);
        let pred_value = pred.and_then(|p| p.fields.get(name));
        let matching = match_field(*kind, gold_value, pred_value, scoring.relative_tolerance);
        score.fields.push(matching.counts());
        score
            .evidence
            .push(span_counts(&spans_of(gold_value), &spans_of(pred_value)));
        let items =
            |value: Option<&FieldValue>| value.map(|v| v.items().to_vec()).unwrap_or_default();
        let (gold_items, pred_items) = (items(gold_value), items(pred_value));
        let site = Site {
            id: &gold.id,
            field: name,
            gold_text: &gold.text,
            pred_text,
            width: scoring.snippet_width,
        };
        let mut errors = field_errors(&site, *kind, &matching, &gold_items, &pred_items);
        if *kind == Some(FieldKind::Medications) {
            for &(g, p) in &matching.pairs {
                for check in medication_attributes(
                    &gold_items[g].value,
                    &pred_items[p].value,
                    scoring.relative_tolerance,
                ) {
                    if !check.correct {
                        let spans = if pred_items[p].spans.is_empty() {
                            &gold_items[g].spans
                        } else {
                            &pred_items[p].spans
                        };
                        let mut case = site.case(
                            ErrorKind::WrongAttribute,
                            &pred_items[p].value,
                            spans,
                            !pred_items[p].spans.is_empty(),
                        );
                        case.value = mention_text(&gold_items[g].value).unwrap_or_default();
                        case.context = Some(check.attribute.to_string());
                        case.note = Some(format!(
                            "gold {}, predicted {}",
                            or_nothing(&check.gold),
                            or_nothing(&check.pred)
                        ));
                        errors.push(case);
                    }
                    details.attributes.push((name.clone(), check));
                }
            }
        }
        details.errors.append(&mut errors);
        details
            .categories
            .extend(categories(name, *kind, &gold_items, &pred_items));
    }
    if scoring.phi {
        score_phi(gold, pred, scoring.snippet_width, &mut score, &mut details);
    }
    (score, details)
}

/// `(nothing)` for an empty attribute.
fn or_nothing(text: &str) -> &str {
    if text.is_empty() {
        "(nothing)"
    } else {
        text
    }
}

/// All evidence spans of a field.
fn spans_of(value: Option<&FieldValue>) -> Vec<Span> {
    value
        .map(|v| {
            v.items()
                .iter()
                .flat_map(|item| item.spans.iter().copied())
                .collect()
        })
        .unwrap_or_default()
}

/// Where an error happened: enough to build an [`ErrorCase`] with a snippet.
struct Site<'a> {
    id: &'a str,
    field: &'a str,
    gold_text: &'a str,
    pred_text: &'a str,
    width: usize,
}

impl Site<'_> {
    /// An error for `value`, located at its first evidence span (in the predicted text for
    /// a predicted value) or, without evidence, at the first mention of its words in the
    /// gold text.
    fn case(
        &self,
        kind: ErrorKind,
        value: &Value,
        spans: &[Span],
        in_pred_text: bool,
    ) -> ErrorCase {
        let (span, text) = match spans.first() {
            Some(span) => (
                Some(*span),
                if in_pred_text {
                    self.pred_text
                } else {
                    self.gold_text
                },
            ),
            None => (
                mention_text(value).and_then(|words| find_mention(self.gold_text, &words)),
                self.gold_text,
            ),
        };
        ErrorCase {
            id: self.id.to_string(),
            field: self.field.to_string(),
            kind,
            value: display_value(value),
            context: None,
            note: None,
            span,
            snippet: span.map(|span| Snippet::around(text, span, self.width)),
        }
    }
}

/// False negatives and false positives of one field, with hints for the two common
/// confusions: a wrong single value, and a diagnosis with the right name and wrong status.
fn field_errors(
    site: &Site,
    kind: Option<FieldKind>,
    matching: &Matching,
    gold: &[crate::data::Grounded],
    pred: &[crate::data::Grounded],
) -> Vec<ErrorCase> {
    let status = |value: &Value| {
        value
            .get("status")
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    let name = |value: &Value| {
        value
            .get("name")
            .and_then(Value::as_str)
            .map(normalize_text)
    };
    let is_list = kind.is_some_and(|k| k.is_list());
    let mut errors = Vec::new();
    for &g in &matching.missed {
        let mut case = site.case(
            ErrorKind::FalseNegative,
            &gold[g].value,
            &gold[g].spans,
            false,
        );
        case.context = status(&gold[g].value);
        if kind == Some(FieldKind::Diagnoses) {
            if let Some(p) = matching
                .spurious
                .iter()
                .find(|&&p| name(&pred[p].value) == name(&gold[g].value))
            {
                case.note = Some(format!(
                    "right name, wrong status: predicted {}",
                    status(&pred[*p].value).unwrap_or_default()
                ));
            }
        } else if !is_list {
            if let Some(&p) = matching.spurious.first() {
                case.note = Some(format!("predicted {}", display_value(&pred[p].value)));
            }
        }
        errors.push(case);
    }
    for &p in &matching.spurious {
        let mut case = site.case(
            ErrorKind::FalsePositive,
            &pred[p].value,
            &pred[p].spans,
            true,
        );
        case.context = status(&pred[p].value);
        if kind == Some(FieldKind::Diagnoses) {
            if let Some(g) = matching
                .missed
                .iter()
                .find(|&&g| name(&gold[g].value) == name(&pred[p].value))
            {
                case.note = Some(format!(
                    "right name, wrong status: gold says {}",
                    status(&gold[*g].value).unwrap_or_default()
                ));
            }
        } else if !is_list {
            if let Some(&g) = matching.missed.first() {
                case.note = Some(format!("gold says {}", display_value(&gold[g].value)));
            }
        }
        errors.push(case);
    }
    errors
}

/// Label pairs for the confusion matrices: the value of a categorical field (or
/// `(none)`), and the statuses of diagnoses paired on their name.
fn categories(
    field: &str,
    kind: Option<FieldKind>,
    gold: &[crate::data::Grounded],
    pred: &[crate::data::Grounded],
) -> Vec<(String, String, String)> {
    let label = |items: &[crate::data::Grounded]| {
        items
            .first()
            .and_then(|item| item.value.as_str())
            .map(str::to_string)
            .unwrap_or_else(|| NOT_MENTIONED.to_string())
    };
    match kind {
        Some(FieldKind::Choice(_)) => vec![(field.to_string(), label(gold), label(pred))],
        Some(FieldKind::Diagnoses) => {
            let name = |item: &crate::data::Grounded| {
                item.value
                    .get("name")
                    .and_then(Value::as_str)
                    .map(normalize_text)
            };
            let status = |item: &crate::data::Grounded| {
                item.value
                    .get("status")
                    .and_then(Value::as_str)
                    .unwrap_or(NOT_MENTIONED)
                    .to_string()
            };
            let matching = Matching::new(gold.len(), pred.len(), |g, p| {
                name(&gold[g]).is_some() && name(&gold[g]) == name(&pred[p])
            });
            matching
                .pairs
                .iter()
                .map(|&(g, p)| {
                    (
                        format!("{field}.status"),
                        status(&gold[g]),
                        status(&pred[p]),
                    )
                })
                .collect()
        }
        _ => Vec::new(),
    }
}

/// PHI spans by type (type must match), then regardless of type; errors from the
/// lenient pairing (a gold PHI span no prediction touches is a leak).
fn score_phi(
    gold: &Document,
    pred: Option<&Document>,
    width: usize,
    score: &mut DocScore,
    details: &mut DocDetails,
) {
    let pred_phi = pred.map(|p| p.phi.as_slice()).unwrap_or(&[]);
    let pred_text = pred.map(|p| p.text.as_str()).unwrap_or(&gold.text);
    for kind in PhiType::ALL {
        let of_kind = |phi: &[crate::data::PhiSpan]| -> Vec<Span> {
            phi.iter()
                .filter(|p| p.kind == kind)
                .map(|p| p.span())
                .collect()
        };
        let (gold_spans, pred_spans) = (clean(&of_kind(&gold.phi)), clean(&of_kind(pred_phi)));
        score.phi.push(span_counts(&gold_spans, &pred_spans));
        let matching = lenient_matching(&gold_spans, &pred_spans);
        let case = |error: ErrorKind, span: Span, text: &str| ErrorCase {
            id: gold.id.clone(),
            field: "phi".to_string(),
            kind: error,
            value: span.slice(text).unwrap_or_default().to_string(),
            context: Some(kind.as_str().to_string()),
            note: None,
            span: Some(span),
            snippet: Some(Snippet::around(text, span, width)),
        };
        for &g in &matching.missed {
            let mut error = case(ErrorKind::FalseNegative, gold_spans[g], &gold.text);
            if let Some(other) = pred_phi
                .iter()
                .find(|p| p.kind != kind && p.span().overlaps(&gold_spans[g]))
            {
                error.note = Some(format!("found, but as {}", other.kind.as_str()));
            }
            details.errors.push(error);
        }
        for &p in &matching.spurious {
            let mut error = case(ErrorKind::FalsePositive, pred_spans[p], pred_text);
            if let Some(other) = gold
                .phi
                .iter()
                .find(|g| g.kind != kind && g.span().overlaps(&pred_spans[p]))
            {
                error.note = Some(format!("gold says {}", other.kind.as_str()));
            }
            details.errors.push(error);
        }
    }
    let all =
        |phi: &[crate::data::PhiSpan]| -> Vec<Span> { phi.iter().map(|p| p.span()).collect() };
    score.phi.push(span_counts(&all(&gold.phi), &all(pred_phi)));
}
