//! The report as one self-contained HTML page (no scripts, no links to other files).

use std::fmt::Write;

use crate::eval::analysis::group_errors;
use crate::eval::counts::Scores;
use crate::eval::report::{EvalReport, SpanTable};
use crate::eval::terminal::{interval, kappa_text, num, weighted_cells, weighted_notes};
pub use crate::text::escape_html;

/// The page's style sheet: plain, readable, printable.
/// The style sheet of clinkit's HTML reports (tables, marks, error classes).
pub const HTML_STYLE: &str =
    "body{font-family:system-ui,sans-serif;margin:2em;max-width:70em;color:#222}\
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px}\
td.n{text-align:right;font-variant-numeric:tabular-nums}th{background:#eef}\
mark{background:#ffe08a}.snippet{font-family:monospace;white-space:pre-wrap}\
.FN{color:#a00}.FP{color:#06a}.ATTR{color:#850}details{margin:.5em 0}.warn{color:#a60}";

fn cell(text: &str) -> String {
    format!("<td>{}</td>", escape_html(text))
}

fn number(text: &str) -> String {
    format!("<td class=\"n\">{}</td>", escape_html(text))
}

fn header(names: &[&str]) -> String {
    let cells: String = names
        .iter()
        .map(|n| format!("<th>{}</th>", escape_html(n)))
        .collect();
    format!("<tr>{cells}</tr>")
}

fn score_row(name: &str, scores: &Scores, ci: Option<crate::eval::Interval>) -> String {
    format!(
        "<tr>{}{}{}{}{}{}{}{}</tr>",
        cell(name),
        number(&num(scores.precision)),
        number(&num(scores.recall)),
        number(&num(scores.f1)),
        number(&interval(ci)),
        number(&scores.counts.tp.to_string()),
        number(&scores.counts.fp.to_string()),
        number(&scores.counts.fn_.to_string())
    )
}

fn span_table(out: &mut String, title: &str, data: &SpanTable) {
    let _ = write!(out, "<h2>{}</h2><table>", escape_html(title));
    out.push_str(&header(&[
        "",
        "strict P",
        "strict R",
        "strict F1",
        "lenient P",
        "lenient R",
        "lenient F1",
    ]));
    for row in data
        .rows
        .iter()
        .chain(std::iter::once(&data.micro))
        .chain(data.any_type.iter())
    {
        let (strict_f1, lenient_f1) = (num(row.strict.f1), num(row.lenient.f1));
        let _ = write!(
            out,
            "<tr>{}{}{}{}{}{}{}</tr>",
            cell(&row.name),
            number(&num(row.strict.precision)),
            number(&num(row.strict.recall)),
            number(&strict_f1),
            number(&num(row.lenient.precision)),
            number(&num(row.lenient.recall)),
            number(&lenient_f1)
        );
    }
    out.push_str("</table>");
    if data.strict_f1_interval.is_some() {
        let _ = write!(
            out,
            "<p>Micro F1 intervals: strict {}, lenient {}.</p>",
            interval(data.strict_f1_interval),
            interval(data.lenient_f1_interval)
        );
    }
}

impl EvalReport {
    /// The report as one self-contained HTML page: the tables of
    /// [`render_text`](EvalReport::render_text), the charts as inline SVG, and *every*
    /// mistake with its snippet (the span highlighted), grouped by field and context.
    /// All text from the documents is escaped.
    ///
    /// ```
    /// let report = clinkit::eval::evaluate(&[], &[], &Default::default()).unwrap();
    /// let html = report.render_html();
    /// assert!(html.starts_with("<!DOCTYPE html>"));
    /// assert!(html.contains("<svg"));
    /// ```
    pub fn render_html(&self) -> String {
        html_page(
            "clinkit eval",
            &format!("<h1>Evaluation</h1>{}", self.render_html_section()),
        )
    }

    /// The report as a piece of HTML (headings from `<h2>` down) to put inside a larger
    /// page, such as the one `clinkit demo` writes. Style it with [`HTML_STYLE`].
    ///
    /// ```
    /// let report = clinkit::eval::evaluate(&[], &[], &Default::default()).unwrap();
    /// let section = report.render_html_section();
    /// assert!(section.starts_with("<p>0 documents."));
    /// assert!(!section.contains("<body>"));
    /// ```
    pub fn render_html_section(&self) -> String {
        let mut out = String::new();
        let _ = write!(
            out,
            "<p>{} documents. Gold: <code>{}</code>. Predictions: <code>{}</code>.</p>",
            self.documents,
            escape_html(&self.gold),
            escape_html(&self.pred)
        );
        for warning in &self.warnings {
            let _ = write!(
                out,
                "<p class=\"warn\">warning: {}</p>",
                escape_html(warning)
            );
        }
        let confidence = (self.options.bootstrap.confidence * 100.0).round();
        out.push_str("<h2>Fields</h2><p>TP = right, FP = predicted but not in gold, FN = in gold but missed.</p><table>");
        out.push_str(&header(&[
            "field",
            "P",
            "R",
            "F1",
            &format!("F1 {confidence}% CI"),
            "TP",
            "FP",
            "FN",
        ]));
        for row in &self.fields {
            out.push_str(&score_row(&row.field, &row.scores, row.f1_interval));
        }
        out.push_str(&score_row(
            "micro",
            &self.micro.scores,
            self.micro.f1_interval,
        ));
        out.push_str(&score_row(
            "macro",
            &self.macro_avg.scores,
            self.macro_avg.f1_interval,
        ));
        out.push_str("</table>");
        if self.options.bootstrap.resamples > 0 {
            let _ = write!(
                out,
                "<p>Intervals: {} bootstrap resamples of documents, seed {}.</p>",
                self.options.bootstrap.resamples, self.options.bootstrap.seed
            );
        }
        out.push_str(self.f1_chart().as_str());
        if !self.attributes.is_empty() {
            out.push_str("<h2>Medication details</h2><p>On medications found by name.</p><table>");
            out.push_str(&header(&["attribute", "right", "total", "accuracy"]));
            for a in &self.attributes {
                let _ = write!(
                    out,
                    "<tr>{}{}{}{}</tr>",
                    cell(&format!("{}.{}", a.field, a.attribute)),
                    number(&a.correct.to_string()),
                    number(&a.total.to_string()),
                    number(&num(a.accuracy))
                );
            }
            out.push_str("</table>");
        }
        span_table(&mut out, "Evidence spans per field", &self.evidence);
        if let Some(phi) = &self.phi {
            span_table(&mut out, "PHI spans per type (type must match)", phi);
        }
        if !self.agreement.is_empty() {
            out.push_str("<h2>Agreement and confusion</h2><table>");
            out.push_str(&header(&[
                "field",
                "Cohen's kappa",
                "agreement",
                "n",
                "linear weighted",
                "quadratic weighted",
            ]));
            for a in &self.agreement {
                let [linear, quadratic] = weighted_cells(a);
                let _ = write!(
                    out,
                    "<tr>{}{}{}{}{}{}</tr>",
                    cell(&a.field),
                    number(&kappa_text(a.kappa)),
                    number(&num(a.observed)),
                    number(&a.n.to_string()),
                    number(&linear),
                    number(&quadratic)
                );
            }
            out.push_str("</table>");
            for note in weighted_notes(&self.agreement) {
                let _ = write!(out, "<p>{}</p>", escape_html(&note));
            }
            for (_, chart) in self.confusion_charts() {
                out.push_str(chart.as_str());
            }
        }
        self.html_errors(&mut out);
        out
    }

    fn html_errors(&self, out: &mut String) {
        out.push_str("<h2>Mistakes</h2>");
        if self.errors.is_empty() {
            out.push_str("<p>No mistakes.</p>");
            return;
        }
        out.push_str("<p>FN = in gold, missed; FP = predicted, not in gold; ATTR = right item, wrong detail.</p>");
        for (group, members) in group_errors(&self.errors) {
            let _ = write!(
                out,
                "<details open><summary><b>{}</b>: {} FN, {} FP, {} ATTR</summary><table>",
                escape_html(&group.group),
                group.false_negatives,
                group.false_positives,
                group.wrong_attributes
            );
            out.push_str(&header(&["", "document", "value", "note", "text"]));
            for error in members {
                let snippet = error
                    .snippet
                    .as_ref()
                    .map(|s| {
                        format!(
                            "{}<mark>{}</mark>{}",
                            escape_html(&s.before),
                            escape_html(&s.focus),
                            escape_html(&s.after)
                        )
                    })
                    .unwrap_or_default();
                let _ = write!(
                    out,
                    "<tr><td class=\"{tag}\">{tag}</td>{}{}{}<td class=\"snippet\">{snippet}</td></tr>",
                    cell(&error.id),
                    cell(&error.value),
                    cell(error.note.as_deref().unwrap_or("")),
                    tag = error.kind.tag()
                );
            }
            out.push_str("</table></details>");
        }
    }
}

/// A complete, self-contained HTML page with clinkit's report style around `body`.
///
/// ```
/// let page = clinkit::eval::html_page("demo", "<h1>Hello</h1>");
/// assert!(page.starts_with("<!DOCTYPE html>") && page.contains("<h1>Hello</h1>"));
/// ```
pub fn html_page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{}</title><style>{HTML_STYLE}</style></head><body>{body}</body></html>\n",
        escape_html(title)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_everything_risky() {
        assert_eq!(
            escape_html("a < b && c > \"d\""),
            "a &lt; b &amp;&amp; c &gt; &quot;d&quot;"
        );
        assert_eq!(escape_html("één"), "één");
    }
}
