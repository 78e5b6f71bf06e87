//! The files a batch writes at the end, from its per-document records.
//!
//! - `predictions.jsonl`: one [`Document`] a line in the gold format of DESIGN.md, so
//!   `clinkit eval --gold G.jsonl --pred OUT/predictions.jsonl` scores it; `errors.jsonl`:
//!   one `{"id", "source", "error"}` a line for the documents that failed.
//! - `results.csv`: a flat table for an EDC (Castor, REDCap): one row a document, see
//!   [`csv_table`] for the column names.
//! - `review.html`: one self-contained page where a doctor sees each value highlighted in
//!   the letter and can show only the values of one evidence status.
//!
//! Every file is written atomically (temporary file, then rename).

use std::path::{Path, PathBuf};
use std::str::FromStr;

use serde_json::Value;

use crate::data::{referral, to_jsonl_line, Document, FieldValue, Grounded};
use crate::error::{Error, Result};
use crate::eval::{display_value, html_page};
use crate::extract::batch::{write_atomically, DocumentRecord};
use crate::extract::grounding::FieldGrounding;
use crate::text::{escape_html, CharIndex, Span};

/// The JSONL file of predictions.
pub const PREDICTIONS_FILE: &str = "predictions.jsonl";
/// The JSONL file of error records.
pub const ERRORS_FILE: &str = "errors.jsonl";
/// The flat CSV for an EDC.
pub const CSV_FILE: &str = "results.csv";
/// The HTML review page.
pub const REVIEW_FILE: &str = "review.html";
/// The review page shows at most this many documents (a page of 200,000 patient files
/// would not open); the others are in the JSONL and CSV.
pub const REVIEW_LIMIT: usize = 200;

/// Which output files to write.
///
/// ```
/// use clinkit::extract::output::OutputFormats;
/// let formats: OutputFormats = "jsonl,csv".parse().unwrap();
/// assert!(formats.jsonl && formats.csv && !formats.html);
/// assert!("xlsx".parse::<OutputFormats>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutputFormats {
    /// `predictions.jsonl` and `errors.jsonl`.
    pub jsonl: bool,
    /// `results.csv`.
    pub csv: bool,
    /// `review.html`.
    pub html: bool,
}

impl Default for OutputFormats {
    /// All three.
    fn default() -> Self {
        OutputFormats {
            jsonl: true,
            csv: true,
            html: true,
        }
    }
}

impl FromStr for OutputFormats {
    type Err = String;

    fn from_str(text: &str) -> std::result::Result<Self, Self::Err> {
        let mut formats = OutputFormats {
            jsonl: false,
            csv: false,
            html: false,
        };
        for word in text.split(',').map(str::trim) {
            match word {
                "jsonl" => formats.jsonl = true,
                "csv" => formats.csv = true,
                "html" => formats.html = true,
                other => {
                    return Err(format!(
                        "unknown output format `{other}`; use jsonl, csv, html (comma-separated)"
                    ))
                }
            }
        }
        Ok(formats)
    }
}

/// Writes the chosen output files for `records` (already in input order) into `out`,
/// and returns their paths.
pub fn write_outputs(
    records: &[DocumentRecord],
    out: &Path,
    formats: &OutputFormats,
) -> Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    let ok: Vec<&Document> = records.iter().filter_map(|r| r.document.as_ref()).collect();
    if formats.jsonl {
        let lines: String = ok
            .iter()
            .map(|document| to_jsonl_line(document) + "\n")
            .collect();
        written.push(write_file(out, PREDICTIONS_FILE, lines.as_bytes())?);
        let errors: String = records
            .iter()
            .filter(|r| !r.is_ok())
            .map(|r| {
                let line = serde_json::json!({"id": r.id, "source": r.source, "error": r.error});
                line.to_string() + "\n"
            })
            .collect();
        written.push(write_file(out, ERRORS_FILE, errors.as_bytes())?);
    }
    if formats.csv {
        written.push(write_file(out, CSV_FILE, csv_table(&ok)?.as_bytes())?);
    }
    if formats.html {
        written.push(write_file(
            out,
            REVIEW_FILE,
            review_page(records).as_bytes(),
        )?);
    }
    Ok(written)
}

fn write_file(out: &Path, name: &str, bytes: &[u8]) -> Result<PathBuf> {
    let path = out.join(name);
    write_atomically(&path, bytes)?;
    Ok(path)
}

/// The short prefix of a list field's columns (`med_1_name` reads better than
/// `medications_1_name`).
fn column_prefix(field: &str) -> &str {
    match field {
        "medications" => "med",
        "diagnoses" => "diagnosis",
        "allergies" => "allergy",
        other => other,
    }
}

/// One CSV column: its name, and where its value comes from.
#[derive(Debug, Clone)]
struct Column {
    name: String,
    field: String,
    /// For list fields: the item number (0-based).
    item: Option<usize>,
    /// For object values: the key.
    key: Option<String>,
}

/// The flat table of predictions as CSV text, one row per document, for an EDC import.
///
/// Columns, in this order:
/// - `record_id`: the patient id when the document has one, else the document id;
/// - every single-value field of the referral schema (`age`, `sex`, `referral_reason`,
///   `urgency`, `lvef_percent`, `nyha_class`, `smoking`, `bp_systolic`, `bp_diastolic`,
///   `ntprobnp_ng_l`, `egfr`), always, empty when not found;
/// - list fields flattened, numbered from 1, as many as the longest list in the batch:
///   `diagnosis_1_name`, `diagnosis_1_status`, ...; `med_1_name`, `med_1_dose`,
///   `med_1_unit`, `med_1_frequency`, ...; `allergy_1`, ...;
/// - fields of another schema after these, by name (objects as `field_key`, lists as
///   `field_1_key` or `field_1`).
///
/// Numbers are written as in JSON (`1250`, `4.5`), missing values as empty cells.
///
/// ```
/// use clinkit::data::{Document, Lang};
/// let letter = Document::new("ref-1", Lang::En, "referral", "Age 67. Takes metoprolol 50 mg bid.");
/// let found = clinkit::extract::rules::extract(&letter);
/// let csv = clinkit::extract::output::csv_table(&[&found]).unwrap();
/// let header = csv.lines().next().unwrap();
/// assert!(header.starts_with("record_id,age,sex,"));
/// assert!(header.contains("med_1_name,med_1_dose,med_1_unit,med_1_frequency"));
/// assert!(csv.lines().nth(1).unwrap().starts_with("ref-1,67,"));
/// ```
pub fn csv_table(documents: &[&Document]) -> Result<String> {
    let columns = csv_columns(documents);
    let mut writer = csv::Writer::from_writer(Vec::new());
    let header: Vec<&str> = std::iter::once("record_id")
        .chain(columns.iter().map(|c| c.name.as_str()))
        .collect();
    let fail = |e: csv::Error| Error::Refused(format!("cannot write CSV: {e}"));
    writer.write_record(&header).map_err(fail)?;
    for document in documents {
        let record_id = document.patient_id.as_deref().unwrap_or(&document.id);
        let row: Vec<String> = std::iter::once(record_id.to_string())
            .chain(columns.iter().map(|column| cell(document, column)))
            .collect();
        writer.write_record(&row).map_err(fail)?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| Error::Refused(format!("cannot write CSV: {e}")))?;
    Ok(String::from_utf8(bytes).expect("CSV of UTF-8 texts is UTF-8"))
}

/// The columns for a batch: the referral schema's single fields, then list fields, then others.
fn csv_columns(documents: &[&Document]) -> Vec<Column> {
    let mut names: Vec<String> = referral::FIELDS
        .iter()
        .map(|spec| spec.name.to_string())
        .collect();
    let mut others: Vec<String> = documents
        .iter()
        .flat_map(|d| d.fields.keys())
        .filter(|name| referral::field_spec(name).is_none())
        .cloned()
        .collect();
    others.sort();
    others.dedup();
    names.extend(others);
    let mut columns = Vec::new();
    for name in names {
        let values: Vec<&FieldValue> = documents
            .iter()
            .filter_map(|d| d.fields.get(&name))
            .collect();
        let is_list = referral::field_spec(&name).map_or_else(
            || values.iter().any(|v| matches!(v, FieldValue::Many(_))),
            |spec| spec.kind.is_list(),
        );
        let keys = object_keys(values.iter().flat_map(|v| v.items()));
        if !is_list {
            let single = |key: Option<String>| Column {
                name: key.as_ref().map_or(name.clone(), |k| format!("{name}_{k}")),
                field: name.clone(),
                item: None,
                key,
            };
            if keys.is_empty() {
                columns.push(single(None));
            } else {
                columns.extend(keys.into_iter().map(|k| single(Some(k))));
            }
            continue;
        }
        let longest = values.iter().map(|v| v.items().len()).max().unwrap_or(0);
        let prefix = column_prefix(&name);
        for item in 0..longest {
            let numbered = format!("{prefix}_{}", item + 1);
            if keys.is_empty() {
                columns.push(Column {
                    name: numbered.clone(),
                    field: name.clone(),
                    item: Some(item),
                    key: None,
                });
            }
            for key in &keys {
                columns.push(Column {
                    name: format!("{numbered}_{key}"),
                    field: name.clone(),
                    item: Some(item),
                    key: Some(key.clone()),
                });
            }
        }
    }
    columns
}

/// The keys of object values, in the order first seen (`name, dose, unit, frequency`).
fn object_keys<'a>(items: impl Iterator<Item = &'a Grounded>) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    for item in items {
        if let Value::Object(object) = &item.value {
            for key in object.keys() {
                if !keys.contains(key) {
                    keys.push(key.clone());
                }
            }
        }
    }
    keys
}

/// The text of one cell.
fn cell(document: &Document, column: &Column) -> String {
    let Some(value) = document.fields.get(&column.field) else {
        return String::new();
    };
    let item = match (value, column.item) {
        (FieldValue::One(one), None) => Some(one),
        (FieldValue::Many(many), Some(index)) => many.get(index),
        (FieldValue::One(one), Some(0)) => Some(one),
        (FieldValue::Many(many), None) => many.first(),
        _ => None,
    };
    let Some(item) = item else {
        return String::new();
    };
    let value = match &column.key {
        Some(key) => item.value.get(key).unwrap_or(&Value::Null),
        None => &item.value,
    };
    match value {
        Value::Null => String::new(),
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// How well a value's evidence is anchored in the text, for the review page.
///
/// ```
/// use clinkit::extract::output::evidence_status;
/// use clinkit::data::Grounded;
/// use clinkit::text::Span;
/// let text = "LVEF 35%";
/// assert_eq!(evidence_status(text, &Grounded::new(35.into(), vec![Span::new(5, 7)])), "grounded");
/// assert_eq!(evidence_status(text, &Grounded::new(35.into(), vec![])), "no_evidence");
/// ```
pub fn evidence_status(text: &str, item: &Grounded) -> &'static str {
    let length = crate::text::char_len(text);
    if item.spans.is_empty() {
        "no_evidence"
    } else if item
        .spans
        .iter()
        .all(|span| span.start < span.end && span.end <= length)
    {
        "grounded"
    } else {
        "outside_text"
    }
}

/// Script of the review page: show only the rows and highlights of the chosen status.
const REVIEW_SCRIPT: &str = "function show(s){document.querySelectorAll('[data-status]').forEach(function(e){var on=s==='all'||e.dataset.status===s;if(e.tagName==='TR'){e.style.display=on?'':'none'}else{e.classList.toggle('off',!on)}})}";

/// Extra style of the review page.
const REVIEW_STYLE: &str = "<style>mark.off{background:none}mark[data-status=no_evidence],tr[data-status=no_evidence] td,tr[data-status=not_found] td{background:#fdd}mark[data-status=fuzzy],tr[data-status=fuzzy] td{background:#ffd8a8}.text{font-family:monospace;white-space:pre-wrap;border:1px solid #ccc;padding:1em;max-height:40em;overflow:auto}.error{color:#a00}</style>";

/// The self-contained HTML review page: for each document a table of the values (field,
/// value, evidence, status) and the text with the evidence highlighted (hover a highlight
/// to see its field and value). A selector at the top shows one status only.
///
/// For a language model's records the statuses are the grounding's: `exact`, `fuzzy`
/// (orange) and `not_found` (red: a value the model gave whose quote is not in the text;
/// it was left out of the results, and is shown here so a doctor sees what was dropped).
/// For the rules: `grounded`, `no_evidence`, `outside_text`.
///
/// ```
/// use clinkit::data::{Document, Lang};
/// use clinkit::extract::batch::DocumentRecord;
/// let letter = Document::new("ref-1", Lang::En, "referral", "LVEF 35%.");
/// let record = DocumentRecord { index: 0, id: "ref-1".into(), source: "a.txt".into(),
///     backend: "rules".into(), document: Some(clinkit::extract::rules::extract(&letter)),
///     error: None, seconds: 0.0, prompt_tokens: 0, completion_tokens: 0, grounding: vec![] };
/// let page = clinkit::extract::output::review_page(&[record]);
/// assert!(page.contains("LVEF <mark data-status=\"grounded\" title=\"lvef_percent: 35\">35</mark>%."));
/// ```
pub fn review_page(records: &[DocumentRecord]) -> String {
    let mut body = String::from(REVIEW_STYLE);
    body.push_str(&format!(
        "<script>{REVIEW_SCRIPT}</script><h1>Extraction review</h1>"
    ));
    body.push_str(&format!(
        "<p>{} documents, {} failed. Show: <select onchange=\"show(this.value)\">\
         <option value=\"all\">all values</option><option value=\"grounded\">grounded</option>\
         <option value=\"no_evidence\">no evidence</option><option value=\"outside_text\">evidence outside the text</option>\
         <option value=\"exact\">model: exact quote</option><option value=\"fuzzy\">model: fuzzy quote</option>\
         <option value=\"not_found\">model: quote not found (dropped)</option></select></p>",
        records.len(),
        records.iter().filter(|r| !r.is_ok()).count()
    ));
    if records.len() > REVIEW_LIMIT {
        body.push_str(&format!(
            "<p class=\"warn\">Showing the first {REVIEW_LIMIT} documents; all are in predictions.jsonl and results.csv.</p>"
        ));
    }
    for record in records.iter().take(REVIEW_LIMIT) {
        body.push_str(&review_section(record));
    }
    html_page("clinkit extraction review", &body)
}

/// One document's part of the review page.
fn review_section(record: &DocumentRecord) -> String {
    let mut html = format!("<h2>{}</h2>", escape_html(&record.id));
    let Some(document) = &record.document else {
        return html
            + &format!(
                "<p class=\"error\">failed: {}</p>",
                escape_html(record.error.as_deref().unwrap_or("unknown error"))
            );
    };
    let index = CharIndex::new(&document.text);
    let rows = if record.grounding.is_empty() {
        field_rows(document)
    } else {
        grounding_rows(&record.grounding)
    };
    let mut marks: Vec<(Span, String, &'static str)> = Vec::new();
    html.push_str("<table><tr><th>field</th><th>value</th><th>evidence</th><th>status</th></tr>");
    for row in rows {
        let evidence: Vec<&str> = row.spans.iter().filter_map(|s| index.slice(*s)).collect();
        let evidence = if evidence.is_empty() {
            row.quote.clone()
        } else {
            evidence.join(" | ")
        };
        html.push_str(&format!(
            "<tr data-status=\"{status}\"><td>{}</td><td>{}</td><td>{}</td><td>{status}</td></tr>",
            escape_html(&row.field),
            escape_html(&row.value),
            escape_html(&evidence),
            status = row.status
        ));
        for span in &row.spans {
            marks.push((*span, format!("{}: {}", row.field, row.value), row.status));
        }
    }
    html.push_str("</table>");
    html.push_str(&format!(
        "<div class=\"text\">{}</div>",
        highlighted_text(&index, marks)
    ));
    html
}

/// One line of a document's table on the review page.
struct ReviewRow {
    field: String,
    value: String,
    spans: Vec<Span>,
    /// What the model quoted (shown when no span was found).
    quote: String,
    status: &'static str,
}

/// Rows from the document's fields (the rules: evidence checked against the text).
fn field_rows(document: &Document) -> Vec<ReviewRow> {
    let mut rows = Vec::new();
    for (name, value) in &document.fields {
        for item in value.items() {
            rows.push(ReviewRow {
                field: name.clone(),
                value: display_value(&item.value),
                spans: item.spans.clone(),
                quote: String::new(),
                status: evidence_status(&document.text, item),
            });
        }
    }
    rows
}

/// Rows from a model's grounding: every value it gave, the dropped ones included.
fn grounding_rows(grounding: &[FieldGrounding]) -> Vec<ReviewRow> {
    grounding
        .iter()
        .map(|finding| ReviewRow {
            field: finding.field.clone(),
            value: display_value(&finding.value),
            spans: finding.span.into_iter().collect(),
            quote: finding.quote.clone(),
            status: finding.status.as_str(),
        })
        .collect()
}

/// The text as HTML with `<mark>` around each span (a span that overlaps an earlier one is
/// left out of the highlighting; it is still in the table).
fn highlighted_text(index: &CharIndex, mut marks: Vec<(Span, String, &'static str)>) -> String {
    marks.sort_by_key(|(span, _, _)| (span.start, std::cmp::Reverse(span.end)));
    let mut html = String::new();
    let mut at = 0;
    let length = index.char_len();
    for (span, title, status) in marks {
        if span.start < at || span.end > length || span.is_empty() {
            continue;
        }
        html.push_str(&escape_html(
            index.slice(Span::new(at, span.start)).unwrap_or(""),
        ));
        html.push_str(&format!(
            "<mark data-status=\"{status}\" title=\"{}\">{}</mark>",
            escape_html(&title),
            escape_html(index.slice(span).unwrap_or(""))
        ));
        at = span.end;
    }
    html.push_str(&escape_html(
        index.slice(Span::new(at, length)).unwrap_or(""),
    ));
    html
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::Lang;
    use crate::extract::grounding::Alignment;

    fn finding(field: &str, value: Value, quote: &str, span: Option<Span>) -> FieldGrounding {
        FieldGrounding {
            field: field.into(),
            value,
            quote: quote.into(),
            status: if span.is_some() {
                Alignment::Exact
            } else {
                Alignment::NotFound
            },
            span,
            similarity: if span.is_some() { 1.0 } else { 0.0 },
            date: None,
        }
    }

    #[test]
    fn model_records_show_grounding_statuses_and_dropped_values() {
        let text = "Leeftijd 67 jaar. LVEF 35%.";
        let mut letter = Document::new("ref-1", Lang::Nl, "referral", text);
        letter.fields.insert(
            "age".into(),
            FieldValue::One(Grounded::new(serde_json::json!(67), vec![Span::new(9, 11)])),
        );
        let record = DocumentRecord {
            index: 0,
            id: "ref-1".into(),
            source: "a.jsonl:1".into(),
            backend: "llm candle:gemma".into(),
            document: Some(letter),
            error: None,
            seconds: 0.0,
            prompt_tokens: 10,
            completion_tokens: 5,
            grounding: vec![
                finding("age", serde_json::json!(67), "67", Some(Span::new(9, 11))),
                finding("nyha_class", serde_json::json!("III"), "NYHA III", None),
            ],
        };
        let page = review_page(&[record]);
        assert!(
            page.contains("Leeftijd <mark data-status=\"exact\" title=\"age: 67\">67</mark> jaar.")
        );
        assert!(page.contains(
            "<tr data-status=\"not_found\"><td>nyha_class</td><td>III</td><td>NYHA III</td><td>not_found</td></tr>"
        ));
        assert!(page.contains("<option value=\"not_found\">"));
    }
}
