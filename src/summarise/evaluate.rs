//! Measuring summaries: faithfulness, coverage of the gold fields, ROUGE-L, with
//! bootstrap intervals over letters.

use serde::{Deserialize, Serialize};

use crate::data::Document;
use crate::error::{Error, Location, Result};
use crate::eval::{Bootstrap, Interval};

use super::{check_summary, rouge_l, Problem, Rouge, Summary};

/// A score with its confidence interval (none when the bootstrap is off).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    /// The score on all letters.
    pub value: f64,
    /// Where the score would plausibly lie on other letters of the same kind.
    pub interval: Option<Interval>,
}

impl std::fmt::Display for Estimate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:.3}", self.value)?;
        if let Some(interval) = self.interval {
            write!(f, " {interval}")?;
        }
        Ok(())
    }
}

/// The counts behind the scores of one letter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SummaryDocumentScore {
    /// The letter's id.
    pub id: String,
    /// How many statements the summary has.
    pub statements: usize,
    /// How many of them the letter supports.
    pub supported: usize,
    /// How many gold field values the letter has (each list item counts once).
    pub gold_items: usize,
    /// How many of those a supported statement points at.
    pub covered: usize,
    /// ROUGE-L against the letter's reference summary, when it has one.
    pub rouge: Option<Rouge>,
    /// Each unsupported statement with what is wrong with it.
    pub errors: Vec<(String, Vec<Problem>)>,
}

/// The evaluation of a set of summaries against gold letters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SummaryReport {
    /// Supported statements / all statements, over all letters.
    pub faithfulness: Estimate,
    /// Covered gold values / all gold values, over all letters.
    pub coverage: Estimate,
    /// Mean ROUGE-L F1 over the letters that have a reference summary.
    pub rouge_l_f1: Option<Estimate>,
    /// Per letter.
    pub documents: Vec<SummaryDocumentScore>,
}

impl SummaryReport {
    /// A few lines for the terminal.
    pub fn render_text(&self) -> String {
        let statements: usize = self.documents.iter().map(|d| d.statements).sum();
        let supported: usize = self.documents.iter().map(|d| d.supported).sum();
        let gold: usize = self.documents.iter().map(|d| d.gold_items).sum();
        let covered: usize = self.documents.iter().map(|d| d.covered).sum();
        let mut out = format!(
            "{} letters\nfaithfulness {} ({supported}/{statements} statements supported)\ncoverage     {} ({covered}/{gold} gold values)\n",
            self.documents.len(),
            self.faithfulness,
            self.coverage
        );
        if let Some(rouge) = &self.rouge_l_f1 {
            out.push_str(&format!("ROUGE-L F1   {rouge}\n"));
        }
        out
    }
}

/// Evaluates `summaries` against the `gold` letters (matched by id): each summary is
/// checked against the gold fields ([`check_summary`]), its coverage of the gold values
/// counted, and its words compared with the letter's reference summary (ROUGE-L).
/// Intervals come from resampling letters ([`Bootstrap`]).
///
/// A gold letter without a summary is an error that names the letter.
///
/// ```
/// use clinkit::{data, eval::Bootstrap, extract, summarise};
/// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/datasets-synthetic/referrals/dev.jsonl");
/// let gold = data::read_jsonl(path.as_ref()).unwrap();
/// let summaries: Vec<_> = gold.iter().map(|letter| summarise::template_summary(&extract::rules::extract(letter))).collect();
/// let report = summarise::evaluate_summaries(&gold, &summaries, &Bootstrap { resamples: 100, ..Bootstrap::default() }).unwrap();
/// assert!(report.faithfulness.value > 0.9 && report.coverage.value > 0.5);
/// ```
pub fn evaluate_summaries(
    gold: &[Document],
    summaries: &[Summary],
    bootstrap: &Bootstrap,
) -> Result<SummaryReport> {
    let documents = gold
        .iter()
        .map(|letter| {
            let summary = summaries
                .iter()
                .find(|s| s.id == letter.id)
                .ok_or_else(|| {
                    Error::invalid(
                        Location::default().field("id"),
                        format!("no summary for letter `{}`", letter.id),
                    )
                })?;
            Ok(score_one(letter, summary))
        })
        .collect::<Result<Vec<_>>>()?;
    let ratio = |sample: &[usize],
                 part: fn(&SummaryDocumentScore) -> usize,
                 whole: fn(&SummaryDocumentScore) -> usize| {
        let top: usize = sample.iter().map(|&i| part(&documents[i])).sum();
        let bottom: usize = sample.iter().map(|&i| whole(&documents[i])).sum();
        if bottom == 0 {
            1.0
        } else {
            top as f64 / bottom as f64
        }
    };
    let with_reference: Vec<usize> = (0..documents.len())
        .filter(|&i| documents[i].rouge.is_some())
        .collect();
    let mean_rouge = |sample: &[usize]| {
        let scores: Vec<f64> = sample
            .iter()
            .filter_map(|&i| documents[i].rouge.map(|r| r.f1))
            .collect();
        scores.iter().sum::<f64>() / scores.len().max(1) as f64
    };
    let statistics = |sample: &[usize]| {
        vec![
            ratio(sample, |d| d.supported, |d| d.statements),
            ratio(sample, |d| d.covered, |d| d.gold_items),
            mean_rouge(sample),
        ]
    };
    let all: Vec<usize> = (0..documents.len()).collect();
    let point = statistics(&all);
    let intervals = bootstrap.intervals(documents.len(), statistics);
    let estimate = |k: usize| Estimate {
        value: point[k],
        interval: intervals.get(k).copied(),
    };
    Ok(SummaryReport {
        faithfulness: estimate(0),
        coverage: estimate(1),
        rouge_l_f1: (!with_reference.is_empty()).then(|| estimate(2)),
        documents,
    })
}

/// The counts of one letter.
fn score_one(letter: &Document, summary: &Summary) -> SummaryDocumentScore {
    let mut checked = summary.clone();
    check_summary(&mut checked, letter);
    let supported: Vec<_> = checked
        .statements
        .iter()
        .filter(|s| s.is_supported())
        .collect();
    let gold_items: Vec<_> = letter.fields.values().flat_map(|v| v.items()).collect();
    let covered = gold_items
        .iter()
        .filter(|item| {
            supported.iter().any(|statement| {
                statement
                    .spans
                    .iter()
                    .any(|ours| item.spans.iter().any(|gold| ours.overlaps(gold)))
            })
        })
        .count();
    let reference: Vec<&str> = letter
        .summary
        .iter()
        .map(|line| line.text.as_str())
        .collect();
    let rouge =
        (!reference.is_empty()).then(|| rouge_l(&checked.plain_text(), &reference.join(" ")));
    SummaryDocumentScore {
        id: letter.id.clone(),
        statements: checked.statements.len(),
        supported: supported.len(),
        gold_items: gold_items.len(),
        covered,
        rouge,
        errors: checked
            .statements
            .iter()
            .filter(|s| !s.is_supported())
            .map(|s| (s.text.clone(), s.problems.clone()))
            .collect(),
    }
}
