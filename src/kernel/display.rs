//! How clinkit's values look: as HTML in a notebook, as plain text in a terminal.
//!
//! In a Jupyter notebook on the clinkit kernel, the value of a cell's last line is shown
//! by its `evcxr_display` method if its type has one: evcxr reads what the method prints
//! between `EVCXR_BEGIN_CONTENT text/html` and `EVCXR_END_CONTENT` and shows it as HTML.
//! This module holds those methods for clinkit's types, in one place:
//!
//! | a cell ending in | shows |
//! | --- | --- |
//! | a [`Document`] | its text with PHI (coloured by type) and the evidence of its fields (underlined, field name beside it), then a table of its fields |
//! | [`show_fields`]`(&doc)` | only the table: field, value, evidence in its context |
//! | [`show_text`]`(&doc)` | only the highlighted text, all of it |
//! | an [`EvalReport`] | precision, recall and F1 per field with intervals, and the F1 chart |
//! | a chart ([`Svg`](crate::eval::Svg)) | the picture (its own `evcxr_display`) |
//! | [`Html`] | any HTML you made yourself |
//!
//! Outside a notebook the same values print as plain text with `println!("{doc}")`
//! (`{doc:.200}` shows only the first 200 characters of the text). All text from documents
//! is escaped with [`escape_html`], so a letter containing `<b>` shows those characters.
//!
//! ```
//! use clinkit::data::{Document, Lang};
//! let letter = Document::new("ex-1", Lang::Nl, "referral", "Graag zien wij deze 67-jarige man. LVEF 35%.");
//! let found = clinkit::extract::rules::extract(&letter);
//! let html = clinkit::kernel::display::document_html(&found, None);
//! assert!(html.contains("<table"));
//! assert!(html.contains("lvef_percent"));
//! let text = found.to_string();
//! assert!(text.contains("age"));
//! ```

use std::collections::BTreeSet;
use std::fmt::{self, Write};

use crate::data::{Document, PhiType};
use crate::eval::{display_value, escape_html, EvalReport, Snippet};
use crate::text::{CharIndex, Span};

/// How many characters of a document's text the notebook view shows before it stops
/// (a 200-page patient file would make a notebook slow); [`show_text`] shows everything.
pub const MAX_CHARS: usize = 20_000;

/// Characters of context shown on each side of evidence in the fields table.
const CONTEXT_CHARS: usize = 30;

/// A piece of HTML that shows as HTML in a notebook (and as its source elsewhere).
///
/// ```
/// use clinkit::kernel::Html;
/// let table = Html::new("<b>bold</b>");
/// assert_eq!(table.as_str(), "<b>bold</b>");
/// assert_eq!(
///     table.evcxr_content(),
///     "EVCXR_BEGIN_CONTENT text/html\n<b>bold</b>\nEVCXR_END_CONTENT"
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Html(String);

impl Html {
    /// Wraps HTML text. Escape any text from documents yourself with [`escape_html`].
    pub fn new(html: impl Into<String>) -> Self {
        Html(html.into())
    }

    /// The HTML text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// What evcxr reads to show the HTML: the text between the two marker lines.
    pub fn evcxr_content(&self) -> String {
        evcxr_html(&self.0)
    }

    /// Shows the HTML in a notebook: evcxr calls this for the value of a cell.
    pub fn evcxr_display(&self) {
        println!("{}", self.evcxr_content());
    }
}

impl fmt::Display for Html {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Wraps HTML in evcxr's display protocol.
fn evcxr_html(html: &str) -> String {
    format!(
        "EVCXR_BEGIN_CONTENT text/html\n{}\nEVCXR_END_CONTENT",
        html.trim_end()
    )
}

/// Shows any value that has a `Debug` form the way evcxr itself does: `{:?}` as plain text.
///
/// Why it exists: evcxr shows a cell's last value by first compiling
/// `(value).evcxr_display();`. When the type has no such method, that compile fails and
/// evcxr compiles the cell a second time with `{:?}` instead: about a second lost on every
/// cell that ends in a number, a `Vec` or a `String`. With this trait in the kernel's prelude
/// the first compile already works. Types with their own `evcxr_display` (a
/// [`Document`], an [`EvalReport`], [`Html`]) keep theirs: a type's own method wins over a
/// trait's. (evcxr's `:fmt` setting no longer changes how such values look; write
/// `println!("{value:#?}")` for the long form.)
///
/// ```
/// use clinkit::kernel::prelude::*;
/// let shown = clinkit::kernel::display::debug_content(&vec![1, 2]);
/// assert_eq!(shown, "EVCXR_BEGIN_CONTENT text/plain\n[1, 2]\nEVCXR_END_CONTENT\n");
/// 42.evcxr_display(); // what evcxr compiles for a cell ending in `42`
/// ```
pub trait ShowDebug {
    /// Prints the value's `{:?}` form in evcxr's display protocol.
    fn evcxr_display(&self);
}

impl<T: fmt::Debug + ?Sized> ShowDebug for T {
    fn evcxr_display(&self) {
        use std::io::Write;
        // Like evcxr's own fallback: one write of the whole block to the locked stdout.
        let _ = std::io::stdout()
            .lock()
            .write_all(debug_content(self).as_bytes());
    }
}

/// The `{:?}` form of `value` between evcxr's plain-text markers (see [`ShowDebug`]).
pub fn debug_content<T: fmt::Debug + ?Sized>(value: &T) -> String {
    format!("EVCXR_BEGIN_CONTENT text/plain\n{value:?}\nEVCXR_END_CONTENT\n")
}

/// HTML for notebooks that show HTML, and plain text for those that do not (a terminal
/// `jupyter console`, a text-only viewer): evcxr sends both, the viewer picks one.
fn evcxr_html_and_text(html: &str, text: &str) -> String {
    format!(
        "EVCXR_BEGIN_CONTENT text/plain\n{}\nEVCXR_END_CONTENT\n{}",
        text.trim_end(),
        evcxr_html(html)
    )
}

/// The background colour of each PHI type (light, so the text stays readable).
fn phi_colour(kind: PhiType) -> &'static str {
    match kind {
        PhiType::Name => "#ffd6d6",
        PhiType::Date => "#ffe8c2",
        PhiType::Age => "#fff3a8",
        PhiType::Bsn => "#e6d3ff",
        PhiType::Id => "#ecd9f7",
        PhiType::Address => "#cdeccd",
        PhiType::Postcode => "#dcf2c4",
        PhiType::Phone => "#c9ecf0",
        PhiType::Email => "#d5e5ff",
        PhiType::Url => "#dde3ea",
        PhiType::Institution => "#f6d5ea",
    }
}

/// The colour of evidence underlines and field labels.
const EVIDENCE: &str = "#1f6feb";

/// One highlighted stretch of text: PHI or the evidence of a field value.
#[derive(Debug, Clone)]
enum Mark {
    Phi(PhiType),
    Evidence { field: String, value: String },
}

impl Mark {
    /// The small label after the marked text, and its colour.
    fn label(&self) -> (String, &'static str) {
        match self {
            Mark::Phi(kind) => (kind.as_str().to_string(), "#a33"),
            Mark::Evidence { field, .. } => (field.clone(), EVIDENCE),
        }
    }

    fn title(&self) -> String {
        match self {
            Mark::Phi(kind) => format!("PHI: {}", kind.as_str()),
            Mark::Evidence { field, value } => format!("{field} = {value}"),
        }
    }
}

/// Every PHI span and every evidence span of `doc`, with what it marks.
fn marks(doc: &Document) -> Vec<(Span, Mark)> {
    let mut marks: Vec<(Span, Mark)> = doc
        .phi
        .iter()
        .map(|phi| (phi.span(), Mark::Phi(phi.kind)))
        .collect();
    for (field, value) in &doc.fields {
        for item in value.items() {
            for span in &item.spans {
                let value = display_value(&item.value);
                marks.push((
                    *span,
                    Mark::Evidence {
                        field: field.clone(),
                        value,
                    },
                ));
            }
        }
    }
    marks.retain(|(span, _)| span.start < span.end);
    marks
}

/// The text of `doc` as HTML, PHI coloured by type and evidence underlined with its field
/// name beside it; hovering shows what a piece is. Overlapping marks (an age that is both
/// PHI and the evidence for `age`) show both. With `limit`, only the first `limit`
/// characters are shown, followed by a note of how many were left out.
///
/// ```
/// use clinkit::data::{Document, Lang, PhiSpan, PhiType};
/// let mut doc = Document::new("n1", Lang::En, "note", "Seen by Dr <Smith>.");
/// doc.phi.push(PhiSpan { start: 11, end: 18, kind: PhiType::Name });
/// let html = clinkit::kernel::display::text_html(&doc, None);
/// assert!(html.contains("&lt;Smith&gt;</mark>"));
/// assert!(html.contains("title=\"PHI: NAME\""));
/// ```
pub fn text_html(doc: &Document, limit: Option<usize>) -> String {
    let index = CharIndex::new(&doc.text);
    let total = index.char_len();
    let shown = limit.map_or(total, |limit| limit.min(total));
    let marks = marks(doc);
    let mut cuts: BTreeSet<usize> = [0, shown].into_iter().collect();
    for (span, _) in &marks {
        cuts.extend([span.start.min(shown), span.end.min(shown)]);
    }
    let cuts: Vec<usize> = cuts.into_iter().collect();
    let mut out = String::from(
        "<div style=\"white-space: pre-wrap; font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 13px; line-height: 1.7; border: 1px solid #ddd; padding: 8px; max-height: 480px; overflow-y: auto\">",
    );
    for pair in cuts.windows(2) {
        let (from, to) = (pair[0], pair[1]);
        let piece = index.slice(Span::new(from, to)).unwrap_or_default();
        let active: Vec<&Mark> = marks
            .iter()
            .filter(|(span, _)| span.start <= from && to <= span.end)
            .map(|(_, mark)| mark)
            .collect();
        if active.is_empty() {
            out.push_str(&escape_html(piece));
        } else {
            let background = active
                .iter()
                .find_map(|mark| match mark {
                    Mark::Phi(kind) => Some(phi_colour(*kind)),
                    Mark::Evidence { .. } => None,
                })
                .unwrap_or("#e8f0fe");
            let underline = if active.iter().any(|m| matches!(m, Mark::Evidence { .. })) {
                format!("; border-bottom: 2px solid {EVIDENCE}")
            } else {
                String::new()
            };
            let title: Vec<String> = active.iter().map(|mark| mark.title()).collect();
            let _ = write!(
                out,
                "<mark style=\"background: {background}; padding: 0 1px{underline}\" title=\"{}\">{}</mark>",
                escape_html(&title.join("; ")),
                escape_html(piece)
            );
        }
        // Labels of the marks that end here, in small letters after the text they mark.
        let ending: BTreeSet<(String, &str)> = marks
            .iter()
            .filter(|(span, _)| span.end == to && span.start < to && to <= shown)
            .map(|(_, mark)| mark.label())
            .collect();
        for (label, colour) in ending {
            let _ = write!(
                out,
                "<sub style=\"color: {colour}; font-size: 9px; font-family: sans-serif\">{}</sub>",
                escape_html(&label)
            );
        }
    }
    out.push_str("</div>");
    if shown < total {
        let _ = write!(
            out,
            "<p style=\"color: #666\">… {} more characters not shown; <code>show_text(&amp;doc)</code> shows all of them.</p>",
            total - shown
        );
    }
    out
}

/// A legend for the PHI types that occur in `doc`, and for evidence.
fn legend(doc: &Document) -> String {
    let kinds: BTreeSet<PhiType> = doc.phi.iter().map(|phi| phi.kind).collect();
    let mut out =
        String::from("<div style=\"font-family: sans-serif; font-size: 12px; margin: 4px 0\">");
    for kind in kinds {
        let _ = write!(
            out,
            "<span style=\"background: {}; padding: 0 4px; margin-right: 6px\">{}</span>",
            phi_colour(kind),
            kind.as_str()
        );
    }
    if !doc.fields.is_empty() {
        let _ = write!(
            out,
            "<span style=\"border-bottom: 2px solid {EVIDENCE}; margin-right: 6px\">evidence</span><span style=\"color: #666\">(hover for the value)</span>"
        );
    }
    out.push_str("</div>");
    out
}

/// The fields of `doc` as an HTML table: field, value, and each evidence span in a
/// little of its context (the evidence highlighted), with its character offsets.
///
/// ```
/// use clinkit::data::{Document, Lang};
/// let letter = Document::new("ex-1", Lang::Nl, "referral", "Deze 67-jarige man heeft geen diabetes.");
/// let html = clinkit::kernel::display::fields_html(&clinkit::extract::rules::extract(&letter));
/// assert!(html.contains("<td>age</td><td>67</td>"));
/// assert!(html.contains("<mark"));
/// ```
pub fn fields_html(doc: &Document) -> String {
    if doc.fields.is_empty() {
        return "<p style=\"color: #666\">No fields.</p>".to_string();
    }
    let mut out = String::from(
        "<table style=\"border-collapse: collapse; font-size: 13px\"><thead><tr><th style=\"text-align: left\">field</th><th style=\"text-align: left\">value</th><th style=\"text-align: left\">evidence</th></tr></thead><tbody>",
    );
    for (field, value) in &doc.fields {
        for item in value.items() {
            let evidence: Vec<String> = item
                .spans
                .iter()
                .map(|span| {
                    let snippet = Snippet::around(&doc.text, *span, CONTEXT_CHARS);
                    format!(
                        "<span style=\"color: #555\">{}</span><mark style=\"background: #e8f0fe; border-bottom: 2px solid {EVIDENCE}\">{}</mark><span style=\"color: #555\">{}</span> <span style=\"color: #999; font-size: 11px\">[{}, {})</span>",
                        escape_html(&snippet.before),
                        escape_html(&snippet.focus),
                        escape_html(&snippet.after),
                        span.start,
                        span.end
                    )
                })
                .collect();
            let evidence = if evidence.is_empty() {
                "<span style=\"color: #a33\">no evidence</span>".to_string()
            } else {
                evidence.join("<br>")
            };
            let _ = write!(
                out,
                "<tr style=\"border-top: 1px solid #ddd\"><td>{}</td><td>{}</td><td style=\"text-align: left\">{evidence}</td></tr>",
                escape_html(field),
                escape_html(&display_value(&item.value))
            );
        }
    }
    out.push_str("</tbody></table>");
    out
}

/// A whole document for a notebook: a header line (id, language, kind, length), a legend,
/// the highlighted text (at most `limit` characters), and the fields table if it has fields.
pub fn document_html(doc: &Document, limit: Option<usize>) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<div style=\"font-family: sans-serif\"><b>{}</b> <span style=\"color: #666\">({}, {}{}, {} characters, {} PHI spans, {} fields)</span></div>",
        escape_html(&doc.id),
        doc.lang.code(),
        escape_html(&doc.kind),
        doc.patient_id
            .as_deref()
            .map(|p| format!(", patient {}", escape_html(p)))
            .unwrap_or_default(),
        doc.char_len(),
        doc.phi.len(),
        doc.fields.len()
    );
    out.push_str(&legend(doc));
    out.push_str(&text_html(doc, limit));
    if !doc.fields.is_empty() {
        out.push_str(&fields_html(doc));
    }
    out
}

/// The highlighted text of a document, all of it (the document view stops after
/// [`MAX_CHARS`] characters).
///
/// ```
/// use clinkit::data::{Document, Lang};
/// let doc = Document::new("n1", Lang::En, "note", "x".repeat(30_000));
/// assert!(clinkit::kernel::show_text(&doc).as_str().len() > 30_000);
/// ```
pub fn show_text(doc: &Document) -> Html {
    Html(legend(doc) + &text_html(doc, None))
}

/// Only the fields table of a document (see [`fields_html`]).
pub fn show_fields(doc: &Document) -> Html {
    Html(fields_html(doc))
}

impl Document {
    /// Shows the document in a notebook (see [`document_html`]): evcxr calls this when a
    /// cell ends with a document.
    pub fn evcxr_display(&self) {
        let html = document_html(self, Some(MAX_CHARS));
        let text = format!("{self:.MAX_CHARS$}");
        println!("{}", evcxr_html_and_text(&html, &text));
    }
}

/// Plain text for terminals: a header line, the text (`{:.N}` keeps the first N
/// characters), then the PHI spans and the fields, each with its evidence.
///
/// ```
/// use clinkit::data::{Document, Lang};
/// let letter = Document::new("ex-1", Lang::Nl, "referral", "Deze 67-jarige man.");
/// let found = clinkit::extract::rules::extract(&letter);
/// let shown = format!("{found:.4}");
/// assert!(shown.starts_with("ex-1 (nl, referral, 19 characters)\nDeze…\n"), "{shown}");
/// assert!(shown.contains("\nfields:\n"), "{shown}");
/// assert!(shown.contains("67"), "{shown}");
/// ```
impl fmt::Display for Document {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{} ({}, {}, {} characters)",
            self.id,
            self.lang.code(),
            self.kind,
            self.char_len()
        )?;
        match f.precision() {
            Some(limit) if limit < self.char_len() => {
                let head: String = self.text.chars().take(limit).collect();
                writeln!(f, "{head}…")?;
            }
            _ => writeln!(f, "{}", self.text)?,
        }
        let quoted = |span: Span| {
            format!(
                "{:?} [{}, {})",
                self.slice(span).unwrap_or("?"),
                span.start,
                span.end
            )
        };
        if !self.phi.is_empty() {
            writeln!(f, "PHI:")?;
            let width = self
                .phi
                .iter()
                .map(|p| p.kind.as_str().len())
                .max()
                .unwrap_or(0);
            for phi in &self.phi {
                writeln!(f, "  {:width$}  {}", phi.kind.as_str(), quoted(phi.span()))?;
            }
        }
        if !self.fields.is_empty() {
            writeln!(f, "fields:")?;
            let width = self
                .fields
                .keys()
                .map(|k| k.chars().count())
                .max()
                .unwrap_or(0);
            for (field, value) in &self.fields {
                for item in value.items() {
                    let evidence: Vec<String> = item.spans.iter().map(|s| quoted(*s)).collect();
                    let evidence = if evidence.is_empty() {
                        "(no evidence)".to_string()
                    } else {
                        evidence.join(", ")
                    };
                    writeln!(
                        f,
                        "  {field:width$}  {}  {evidence}",
                        display_value(&item.value)
                    )?;
                }
            }
        }
        Ok(())
    }
}

/// The scores as a compact HTML table, one row per field plus the micro and macro
/// averages, with F1's confidence interval.
pub fn report_html(report: &EvalReport) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<div style=\"font-family: sans-serif\"><b>Evaluation</b> <span style=\"color: #666\">({} documents{})</span></div>",
        report.documents,
        if (report.gold.as_str(), report.pred.as_str()) == ("gold", "predictions") {
            String::new() // the labels `evaluate` gives documents that came from no file
        } else {
            format!(
                "; gold {}, predictions {}",
                escape_html(&report.gold),
                escape_html(&report.pred)
            )
        }
    );
    for warning in &report.warnings {
        let _ = write!(
            out,
            "<p style=\"color: #a33\">warning: {}</p>",
            escape_html(warning)
        );
    }
    out.push_str("<table style=\"border-collapse: collapse; font-size: 13px\"><thead><tr><th style=\"text-align: left\">field</th><th>P</th><th>R</th><th>F1</th><th>F1 interval</th><th>TP</th><th>FP</th><th>FN</th></tr></thead><tbody>");
    let row = |out: &mut String,
               name: &str,
               scores: &crate::eval::Scores,
               interval: Option<crate::eval::Interval>,
               bold: bool| {
        let (open, close) = if bold { ("<b>", "</b>") } else { ("", "") };
        let interval = interval
            .map(|i| format!("{:.2}–{:.2}", i.low, i.high))
            .unwrap_or_default();
        let _ = write!(
            out,
            "<tr style=\"border-top: 1px solid #ddd\"><td style=\"text-align: left\">{open}{}{close}</td><td>{:.2}</td><td>{:.2}</td><td>{open}{:.2}{close}</td><td>{interval}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape_html(name),
            scores.precision,
            scores.recall,
            scores.f1,
            scores.counts.tp,
            scores.counts.fp,
            scores.counts.fn_
        );
    };
    for field in &report.fields {
        row(
            &mut out,
            &field.field,
            &field.scores,
            field.f1_interval,
            false,
        );
    }
    row(
        &mut out,
        "micro average",
        &report.micro.scores,
        report.micro.f1_interval,
        true,
    );
    row(
        &mut out,
        "macro average",
        &report.macro_avg.scores,
        report.macro_avg.f1_interval,
        true,
    );
    out.push_str("</tbody></table>");
    out
}

impl EvalReport {
    /// Shows the report in a notebook: the table of [`report_html`] and the F1 chart.
    /// (The full report with every mistake is [`render_html`](EvalReport::render_html),
    /// a page of its own.)
    pub fn evcxr_display(&self) {
        let html = report_html(self) + self.f1_chart().as_str();
        println!("{}", evcxr_html_and_text(&html, &self.render_text()));
    }
}

/// Plain text for terminals: the same as [`render_text`](EvalReport::render_text).
impl fmt::Display for EvalReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render_text())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::{FieldValue, Grounded, Lang, PhiSpan};

    #[test]
    fn debug_content_is_evcxrs_own_plain_text_block() {
        assert_eq!(
            debug_content("a \"quoted\" text"),
            "EVCXR_BEGIN_CONTENT text/plain\n\"a \\\"quoted\\\" text\"\nEVCXR_END_CONTENT\n"
        );
        assert_eq!(
            debug_content(&Some(0.5)),
            "EVCXR_BEGIN_CONTENT text/plain\nSome(0.5)\nEVCXR_END_CONTENT\n"
        );
    }

    fn letter() -> Document {
        let mut doc = Document::new("t1", Lang::Nl, "referral", "Mevr. <Jansen>, 67 jaar.");
        doc.phi.push(PhiSpan {
            start: 6,
            end: 14,
            kind: PhiType::Name,
        });
        doc.phi.push(PhiSpan {
            start: 16,
            end: 18,
            kind: PhiType::Age,
        });
        doc.fields.insert(
            "age".into(),
            FieldValue::One(Grounded::new(
                serde_json::json!(67),
                vec![Span::new(16, 23)],
            )),
        );
        doc
    }

    #[test]
    fn overlapping_phi_and_evidence_show_both() {
        let html = text_html(&letter(), None);
        // `67` is PHI (AGE) and the start of the evidence for `age` ("67 jaar").
        assert!(
            html.contains("title=\"PHI: AGE; age = 67\">67</mark>"),
            "{html}"
        );
        assert!(html.contains("title=\"age = 67\"> jaar</mark>"), "{html}");
        // Each label once, after the end of its span.
        assert_eq!(html.matches(">AGE</sub>").count(), 1);
        assert_eq!(html.matches(">age</sub>").count(), 1);
        assert!(html.contains("&lt;Jansen&gt;</mark>"));
    }

    #[test]
    fn a_long_text_is_cut_with_a_note() {
        let html = text_html(&letter(), Some(10));
        assert!(html.contains("14 more characters not shown"), "{html}");
        assert!(!html.contains("jaar"));
        assert!(
            !html.contains(">NAME</sub>"),
            "a label for a span cut off is not shown"
        );
    }

    #[test]
    fn spans_past_the_end_of_the_text_do_not_break_the_view() {
        let mut doc = letter();
        doc.phi.push(PhiSpan {
            start: 20,
            end: 500,
            kind: PhiType::Date,
        });
        let html = text_html(&doc, None);
        assert!(html.ends_with("</div>"));
    }

    #[test]
    fn notebooks_get_html_and_plain_text() {
        let shown = evcxr_html_and_text("<b>x</b>", "x\n");
        assert_eq!(
            shown,
            "EVCXR_BEGIN_CONTENT text/plain\nx\nEVCXR_END_CONTENT\nEVCXR_BEGIN_CONTENT text/html\n<b>x</b>\nEVCXR_END_CONTENT"
        );
    }

    #[test]
    fn plain_text_lists_phi_and_fields() {
        let text = letter().to_string();
        assert!(
            text.contains("PHI:\n  NAME  \"<Jansen>\" [6, 14)\n  AGE   \"67\" [16, 18)\n"),
            "{text}"
        );
        assert!(
            text.contains("fields:\n  age  67  \"67 jaar\" [16, 23)\n"),
            "{text}"
        );
    }
}
