//! The report as plain text for the terminal: aligned tables, then the mistakes.

use std::fmt::Write;

use crate::eval::analysis::group_errors;
use crate::eval::bootstrap::Interval;
use crate::eval::confusion::Agreement;
use crate::eval::counts::Scores;
use crate::eval::report::{EvalReport, SpanTable};

/// How many mistakes of each group the terminal shows (JSON and HTML show all).
pub(crate) const EXAMPLES_PER_GROUP: usize = 5;

/// Lines up the columns of a table: the first column left-aligned, the others right-aligned.
pub(crate) fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let columns = header.len();
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (k, cell) in row.iter().enumerate().take(columns) {
            widths[k] = widths[k].max(cell.chars().count());
        }
    }
    let line = |cells: Vec<&str>| -> String {
        let mut out = String::new();
        for (k, cell) in cells.iter().enumerate() {
            let pad = widths[k].saturating_sub(cell.chars().count());
            if k == 0 {
                out.push_str(cell);
                out.push_str(&" ".repeat(pad));
            } else {
                out.push_str("  ");
                out.push_str(&" ".repeat(pad));
                out.push_str(cell);
            }
        }
        out.trim_end().to_string()
    };
    let mut out = line(header.to_vec());
    out.push('\n');
    out.push_str(&"-".repeat(widths.iter().sum::<usize>() + 2 * (columns - 1)));
    out.push('\n');
    for row in rows {
        out.push_str(&line(row.iter().map(String::as_str).collect()));
        out.push('\n');
    }
    out
}

/// A score with three decimals.
pub(crate) fn num(value: f64) -> String {
    format!("{value:.3}")
}

/// A kappa with three decimals, or `undefined`.
pub(crate) fn kappa_text(value: Option<f64>) -> String {
    value.map(num).unwrap_or_else(|| "undefined".into())
}

/// The linear and quadratic weighted kappa cells of an agreement row (`-` when the
/// field's categories have no order).
pub(crate) fn weighted_cells(agreement: &Agreement) -> [String; 2] {
    match &agreement.ordered {
        Some(o) => [kappa_text(o.linear), kappa_text(o.quadratic)],
        None => ["-".into(), "-".into()],
    }
}

/// The note under the agreement table that says what the weighted kappas are computed on.
pub(crate) fn weighted_notes(agreements: &[Agreement]) -> Vec<String> {
    agreements
        .iter()
        .filter_map(|a| {
            let o = a.ordered.as_ref()?;
            Some(format!(
                "{}: weighted kappas use the order {} (a near miss counts as part agreement), \
                 on the {} {} where both gave a class",
                a.field,
                o.order.join(" < "),
                o.n,
                if o.n == 1 { "pair" } else { "pairs" }
            ))
        })
        .collect()
}

/// An interval as `[0.812, 0.901]`, or `-` without one.
pub(crate) fn interval(value: Option<Interval>) -> String {
    value.map(|i| i.to_string()).unwrap_or_else(|| "-".into())
}

/// The cells of a scores row: P, R, F1, CI, TP, FP, FN.
fn score_cells(name: &str, scores: &Scores, ci: Option<Interval>) -> Vec<String> {
    vec![
        name.to_string(),
        num(scores.precision),
        num(scores.recall),
        num(scores.f1),
        interval(ci),
        scores.counts.tp.to_string(),
        scores.counts.fp.to_string(),
        scores.counts.fn_.to_string(),
    ]
}

fn span_section(out: &mut String, title: &str, table_data: &SpanTable) {
    let _ = writeln!(out, "\n{title}");
    let rows: Vec<Vec<String>> = table_data
        .rows
        .iter()
        .chain(std::iter::once(&table_data.micro))
        .chain(table_data.any_type.iter())
        .map(|row| {
            vec![
                row.name.clone(),
                num(row.strict.precision),
                num(row.strict.recall),
                num(row.strict.f1),
                num(row.lenient.precision),
                num(row.lenient.recall),
                num(row.lenient.f1),
            ]
        })
        .collect();
    out.push_str(&table(
        &["", "strict P", "R", "F1", "lenient P", "R", "F1"],
        &rows,
    ));
    if table_data.strict_f1_interval.is_some() {
        let _ = writeln!(
            out,
            "(micro F1 intervals: strict {}, lenient {})",
            interval(table_data.strict_f1_interval),
            interval(table_data.lenient_f1_interval)
        );
    }
}

impl EvalReport {
    /// The report as text for the terminal: per-field table with intervals, averages,
    /// medication attributes, evidence and PHI spans, kappas, and the first mistakes of
    /// each group with their snippets.
    ///
    /// ```
    /// let report = clinkit::eval::evaluate(&[], &[], &Default::default()).unwrap();
    /// assert!(report.render_text().contains("0 documents"));
    /// ```
    pub fn render_text(&self) -> String {
        let mut out = self.render_body();
        for warning in &self.warnings {
            let _ = writeln!(out, "\nwarning: {warning}");
        }
        out
    }

    /// [`render_text`](EvalReport::render_text) without the warnings (the command line
    /// prints those on stderr).
    pub(crate) fn render_body(&self) -> String {
        let mut out = String::new();
        let confidence = (self.options.bootstrap.confidence * 100.0).round();
        let _ = writeln!(
            out,
            "clinkit eval: {} documents, gold {}, predictions {}",
            self.documents, self.gold, self.pred
        );
        if !self.missing_predictions.is_empty() {
            let _ = writeln!(
                out,
                "({} gold documents had no prediction and count as empty)",
                self.missing_predictions.len()
            );
        }
        let _ = writeln!(
            out,
            "\nFields (TP = right, FP = predicted but not in gold, FN = in gold but missed)"
        );
        let mut rows: Vec<Vec<String>> = self
            .fields
            .iter()
            .map(|row| score_cells(&row.field, &row.scores, row.f1_interval))
            .collect();
        rows.push(score_cells(
            "micro",
            &self.micro.scores,
            self.micro.f1_interval,
        ));
        rows.push(score_cells(
            "macro",
            &self.macro_avg.scores,
            self.macro_avg.f1_interval,
        ));
        let ci_header = format!("F1 {confidence}% CI");
        out.push_str(&table(
            &["field", "P", "R", "F1", &ci_header, "TP", "FP", "FN"],
            &rows,
        ));
        if self.options.bootstrap.resamples > 0 {
            let _ = writeln!(
                out,
                "(intervals: {} bootstrap resamples of documents, seed {})",
                self.options.bootstrap.resamples, self.options.bootstrap.seed
            );
        }
        if !self.attributes.is_empty() {
            let _ = writeln!(out, "\nMedication details (on medications found by name)");
            let rows: Vec<Vec<String>> = self
                .attributes
                .iter()
                .map(|a| {
                    vec![
                        format!("{}.{}", a.field, a.attribute),
                        format!("{}/{}", a.correct, a.total),
                        num(a.accuracy),
                    ]
                })
                .collect();
            out.push_str(&table(&["attribute", "right", "accuracy"], &rows));
        }
        span_section(&mut out, "Evidence spans per field", &self.evidence);
        if let Some(phi) = &self.phi {
            span_section(&mut out, "PHI spans per type (type must match)", phi);
        }
        if !self.agreement.is_empty() {
            let _ = writeln!(out, "\nAgreement, gold vs predictions (Cohen's kappa; (none) = not mentioned counts as a label)");
            let rows: Vec<Vec<String>> = self
                .agreement
                .iter()
                .map(|a| {
                    let [linear, quadratic] = weighted_cells(a);
                    vec![
                        a.field.clone(),
                        kappa_text(a.kappa),
                        num(a.observed),
                        a.n.to_string(),
                        linear,
                        quadratic,
                    ]
                })
                .collect();
            out.push_str(&table(
                &["field", "kappa", "agreement", "n", "linear", "quadratic"],
                &rows,
            ));
            for note in weighted_notes(&self.agreement) {
                let _ = writeln!(out, "{note}");
            }
        }
        self.render_errors(&mut out);
        out
    }

    fn render_errors(&self, out: &mut String) {
        if self.errors.is_empty() {
            let _ = writeln!(out, "\nNo mistakes.");
            return;
        }
        let _ = writeln!(
            out,
            "\nMistakes by field and context (FN missed, FP invented, ATTR wrong detail)"
        );
        for (group, members) in group_errors(&self.errors) {
            let _ = writeln!(
                out,
                "\n{}: {} FN, {} FP{}",
                group.group,
                group.false_negatives,
                group.false_positives,
                if group.wrong_attributes > 0 {
                    format!(", {} ATTR", group.wrong_attributes)
                } else {
                    String::new()
                }
            );
            for error in members.iter().take(EXAMPLES_PER_GROUP) {
                let _ = write!(
                    out,
                    "  {:<4} {}  {}",
                    error.kind.tag(),
                    error.id,
                    error.value
                );
                if let Some(note) = &error.note {
                    let _ = write!(out, "  ({note})");
                }
                let _ = writeln!(out);
                if let Some(snippet) = &error.snippet {
                    let _ = writeln!(out, "       {snippet}");
                }
            }
            if members.len() > EXAMPLES_PER_GROUP {
                let _ = writeln!(
                    out,
                    "  ... and {} more (see --json or --html)",
                    members.len() - EXAMPLES_PER_GROUP
                );
            }
        }
    }
}

impl crate::eval::Comparison {
    /// The comparison as text: F1 of A and B, the difference B − A and its interval, for
    /// the averages and each field.
    ///
    /// ```
    /// let c = clinkit::eval::compare(&[], &[], &[], &Default::default()).unwrap();
    /// assert!(c.render_text().contains("B − A"));
    /// ```
    pub fn render_text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "Paired comparison on {} documents: A = {}, B = {}",
            self.documents, self.a, self.b
        );
        let rows: Vec<Vec<String>> = self
            .fields
            .iter()
            .chain([&self.micro, &self.macro_avg])
            .map(|d| {
                vec![
                    d.name.clone(),
                    num(d.f1_a),
                    num(d.f1_b),
                    format!("{:+.3}", d.difference),
                    interval(d.interval),
                ]
            })
            .collect();
        out.push_str(&table(
            &["field", "F1 A", "F1 B", "B − A", "interval of B − A"],
            &rows,
        ));
        if let Some(share) = self.b_better_share {
            let _ = writeln!(
                out,
                "B has the higher micro F1 in {:.1}% of the bootstrap resamples.",
                share * 100.0
            );
        }
        if let Some(i) = self.micro.interval {
            let verdict = if i.excludes_zero() {
                "the interval of the micro F1 difference excludes 0: unlikely to be chance on documents like these"
            } else {
                "the interval of the micro F1 difference contains 0: no clear difference"
            };
            let _ = writeln!(out, "{verdict}.");
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_aligns_columns() {
        let text = table(&["a", "bb"], &[vec!["xyz".into(), "1".into()]]);
        assert_eq!(text, "a    bb\n-------\nxyz   1\n");
    }
}
