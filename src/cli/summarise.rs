//! `clinkit summarise`: grounded referral summaries, and how good they are (thin over
//! [`crate::summarise`]).

use std::path::PathBuf;

use serde::Serialize;

use crate::data::{read_jsonl, Document};
use crate::eval::{html_page, Bootstrap};
use crate::llm::egress::EgressGuard;
use crate::llm::local::LocalModel;
use crate::llm::openai::OpenAiBackend;
use crate::llm::Backend;
use crate::summarise::{
    check_summary, evaluate_summaries, model_summary, summary_html, template_summary,
    ModelSummaryOptions, Summary, SummaryReport,
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
    /// A language model on an OpenAI-compatible server (`--base-url`, `--model`). Only
    /// loopback and allowed hosts are contacted (`--allow-host`, clinkit.toml).
    Openai,
    /// The local candle model (`--model NAME|PATH`, default the packaged gemma-3-270m).
    Local,
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
    /// The server's API root for `--backend openai`, such as http://127.0.0.1:8080/v1.
    #[arg(long, required_if_eq("backend", "openai"))]
    base_url: Option<String>,
    /// The model: for `openai` the name to ask the server for (default: the server's own);
    /// for `local` a packaged model's name or a GGUF file.
    #[arg(long)]
    model: Option<String>,
    /// Also allow this (non-loopback) model server host; repeat for more.
    #[arg(long = "allow-host")]
    allow_hosts: Vec<String>,
    /// The model's context window in tokens (prompt and answer together).
    #[arg(long, default_value_t = 4096)]
    context_window: usize,
    /// The most tokens of one model answer.
    #[arg(long, default_value_t = 384)]
    answer_tokens: usize,
    /// The most lines a model may write per letter.
    #[arg(long, default_value_t = 6)]
    max_lines: usize,
    /// CPU threads of the local model.
    #[arg(long, default_value_t = 2)]
    threads: usize,
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
    /// With a model backend and `--eval`: the template's scores on the same letters.
    #[serde(skip_serializing_if = "Option::is_none")]
    template_evaluation: Option<&'a SummaryReport>,
    /// Letters the model could not summarise (they count as empty summaries).
    #[serde(skip_serializing_if = "<[Failure]>::is_empty")]
    failures: &'a [Failure],
}

/// A letter whose model summary failed, and why.
#[derive(Serialize)]
struct Failure {
    id: String,
    error: String,
}

/// Summarises every letter, checks each statement, and writes what was asked for.
pub fn run(args: SummariseArgs) -> crate::Result<()> {
    let mut model = open_backend(&args)?; // refuses a forbidden host before reading letters
    let model_name = model.as_ref().map_or_else(String::new, |m| m.name());
    let letters = read_jsonl(&args.input)?;
    let options = ModelSummaryOptions {
        max_lines: args.max_lines,
        answer_tokens: args.answer_tokens,
        context_window: args.context_window,
    };
    let mut summaries = Vec::with_capacity(letters.len());
    let mut templates = Vec::with_capacity(letters.len());
    let mut failures = Vec::new();
    for (number, letter) in letters.iter().enumerate() {
        let fields = match args.fields {
            FieldSource::Gold => letter.clone(),
            FieldSource::Rules => crate::extract::rules::extract(letter),
        };
        let checked = |mut summary: Summary| {
            check_summary(&mut summary, reference(letter, &fields));
            if args.strict {
                summary.strict()
            } else {
                summary
            }
        };
        let template = checked(template_summary(&fields));
        let Some(backend) = model.as_deref_mut() else {
            summaries.push(template);
            continue;
        };
        let summary = match model_summary(backend, &fields, &options) {
            Ok(summary) => summary,
            Err(error) => {
                eprintln!("{}: {error}", letter.id);
                failures.push(Failure {
                    id: letter.id.clone(),
                    error: error.to_string(),
                });
                empty_summary(letter, &backend.name())
            }
        };
        eprintln!(
            "[{}/{}] {}: {} lines",
            number + 1,
            letters.len(),
            letter.id,
            summary.statements.len()
        );
        summaries.push(checked(summary));
        templates.push(template);
    }
    let bootstrap = Bootstrap {
        resamples: args.bootstrap,
        seed: args.seed,
        ..Bootstrap::default()
    };
    let evaluation = if args.eval {
        Some(evaluate_summaries(&letters, &summaries, &bootstrap)?)
    } else {
        None
    };
    let template_evaluation = if args.eval && model.is_some() {
        Some(evaluate_summaries(&letters, &templates, &bootstrap)?)
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
            template_evaluation: template_evaluation.as_ref(),
            failures: &failures,
        });
    }
    for summary in &summaries {
        println!("{}\n{}", summary.id, summary.render_text());
    }
    match (&evaluation, &template_evaluation) {
        (Some(model), Some(template)) => {
            print!("{}", side_by_side(template, model, &model_name))
        }
        (Some(report), None) => print!("{}", report.render_text()),
        _ => {}
    }
    if !failures.is_empty() {
        println!(
            "{} of {} letters failed (counted as empty summaries)",
            failures.len(),
            letters.len()
        );
    }
    Ok(())
}

/// The language model, or `None` for the template. The egress guard checks the server's
/// address first, as `clinkit extract` does.
fn open_backend(args: &SummariseArgs) -> crate::Result<Option<Box<dyn Backend>>> {
    match args.backend {
        SummaryBackend::Template => Ok(None),
        SummaryBackend::Openai => {
            let url = args.base_url.as_deref().expect("clap requires --base-url");
            let guard = EgressGuard::from_environment(&args.allow_hosts)?;
            guard.check_url(url)?;
            let mut server = OpenAiBackend::with_guard(url, guard)?;
            if let Some(model) = &args.model {
                server = server.model(model);
            }
            Ok(Some(Box::new(server)))
        }
        SummaryBackend::Local => {
            crate::llm::set_threads(args.threads);
            let name = args.model.as_deref().unwrap_or(DEFAULT_LOCAL_MODEL);
            Ok(Some(Box::new(LocalModel::open(name)?)))
        }
    }
}

/// The packaged model `--backend local` uses without `--model`.
const DEFAULT_LOCAL_MODEL: &str = "gemma-3-270m-q4_k_m";

/// The summary of a letter the model failed on: no statements.
fn empty_summary(letter: &Document, source: &str) -> Summary {
    Summary {
        id: letter.id.clone(),
        lang: letter.lang,
        source: source.to_string(),
        statements: Vec::new(),
    }
}

/// The template's and the model's scores in two columns.
fn side_by_side(template: &SummaryReport, model: &SummaryReport, model_name: &str) -> String {
    let rouge = |report: &SummaryReport| {
        report
            .rouge_l_f1
            .map_or_else(|| "-".to_string(), |r| r.to_string())
    };
    let rows = [
        (
            "faithfulness",
            template.faithfulness.to_string(),
            model.faithfulness.to_string(),
        ),
        (
            "coverage",
            template.coverage.to_string(),
            model.coverage.to_string(),
        ),
        ("ROUGE-L F1", rouge(template), rouge(model)),
    ];
    let mut out = format!(
        "{} letters\n{:<14}{:<28}{}\n",
        template.documents.len(),
        "",
        "template",
        model_name
    );
    for (name, ours, theirs) in rows {
        out.push_str(&format!("{name:<14}{ours:<28}{theirs}\n"));
    }
    out
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
