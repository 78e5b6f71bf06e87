//! `clinkit summarise`: grounded referral summaries, and how good they are (thin over
//! [`crate::summarise`]).

use std::path::PathBuf;

use serde::Serialize;

use crate::data::{read_jsonl, Document};
use crate::eval::{html_page, Bootstrap};
use crate::summarise::{
    check_summary, evaluate_summaries, summary_html, template_summary, Summary, SummaryReport,
};

/// Where the fields that fill the template come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum FieldSource {
    /// The rules baseline reads each letter (works on any letter).
    Rules,
    /// The gold fields stored in the file (synthetic or annotated letters).
    Gold,
}

/// Who writes the summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum SummaryBackend {
    /// Fixed sentences filled from the fields: deterministic and faithful.
    Template,
}

/// Flags of `clinkit summarise`.
#[derive(Debug, clap::Args)]
pub struct SummariseArgs {
    /// The letters: a JSONL file of documents.
    input: PathBuf,
    /// Who writes the summaries.
    #[arg(long, value_enum, default_value = "template")]
    backend: SummaryBackend,
    /// Where the extracted fields come from.
    #[arg(long, value_enum, default_value = "rules")]
    fields: FieldSource,
    /// Drop the statements the check does not support.
    #[arg(long)]
    strict: bool,
    /// Also write a self-contained HTML page: summaries beside letters, evidence on hover.
    #[arg(long, value_name = "FILE")]
    html: Option<PathBuf>,
    /// Evaluate against the gold fields and reference summaries in INPUT: faithfulness,
    /// coverage, ROUGE-L, with bootstrap intervals.
    #[arg(long)]
    eval: bool,
    /// Bootstrap resamples for the intervals (0: no intervals).
    #[arg(long, default_value_t = 1000)]
    bootstrap: usize,
    /// Seed of the bootstrap.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Print one JSON document on stdout.
    #[arg(long)]
    json: bool,
}

/// What `--json` prints.
#[derive(Serialize)]
struct Output<'a> {
    summaries: &'a [Summary],
    #[serde(skip_serializing_if = "Option::is_none")]
    evaluation: Option<&'a SummaryReport>,
}

/// Summarises every letter, checks each statement, and writes what was asked for.
pub fn run(args: SummariseArgs) -> crate::Result<()> {
    let letters = read_jsonl(&args.input)?;
    let mut summaries = Vec::with_capacity(letters.len());
    for letter in &letters {
        let fields = match args.fields {
            FieldSource::Gold => letter.clone(),
            FieldSource::Rules => crate::extract::rules::extract(letter),
        };
        let mut summary = match args.backend {
            SummaryBackend::Template => template_summary(&fields),
        };
        check_summary(&mut summary, reference(letter, &fields));
        summaries.push(if args.strict {
            summary.strict()
        } else {
            summary
        });
    }
    let evaluation = if args.eval {
        let bootstrap = Bootstrap {
            resamples: args.bootstrap,
            seed: args.seed,
            ..Bootstrap::default()
        };
        Some(evaluate_summaries(&letters, &summaries, &bootstrap)?)
    } else {
        None
    };
    if let Some(path) = &args.html {
        write_html(path, &letters, &summaries)?;
        eprintln!("wrote {}", path.display());
    }
    if args.json {
        return super::print_json(&Output {
            summaries: &summaries,
            evaluation: evaluation.as_ref(),
        });
    }
    for summary in &summaries {
        println!("{}\n{}", summary.id, summary.render_text());
    }
    if let Some(report) = &evaluation {
        print!("{}", report.render_text());
    }
    Ok(())
}

/// The fields a summary is checked against: the letter's gold fields when it has them,
/// otherwise what was extracted.
fn reference<'a>(letter: &'a Document, extracted: &'a Document) -> &'a Document {
    if letter.fields.is_empty() {
        extracted
    } else {
        letter
    }
}

fn write_html(path: &PathBuf, letters: &[Document], summaries: &[Summary]) -> crate::Result<()> {
    let body: String = letters
        .iter()
        .zip(summaries)
        .map(|(letter, summary)| summary_html(letter, summary))
        .collect();
    std::fs::write(path, html_page("clinkit summaries", &body))
        .map_err(|e| crate::Error::io(path, e))
}
