//! `clinkit demo`: the main job on the embedded defaults, end to end.
//!
//! 1. write the synthetic corpus (the same seed as `datasets-synthetic/`, so the same letters);
//! 2. run the rules baseline over the test referral letters;
//! 3. evaluate it against the gold labels, with confidence intervals;
//! 4. write the predictions, the evaluation as JSON and HTML, and the charts, and say where.
//!
//! Later steps of the course (de-identification, the local language model with constrained
//! output) join this command as their building blocks land.

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::data::{read_jsonl, write_jsonl, Document};
use crate::eval::{evaluate, Bootstrap, EvalOptions, EvalReport};
use crate::extract::rules;
use crate::synth::{write_corpus, SynthConfig};

/// Flags of `clinkit demo`.
#[derive(Debug, clap::Args)]
pub struct DemoArgs {
    /// The folder for everything the demo writes.
    #[arg(long, default_value = "clinkit-demo")]
    out: PathBuf,
    /// A smaller run that finishes in seconds: fewer letters, fewer resamples.
    #[arg(long)]
    quick: bool,
    /// The seed of the synthetic corpus and of the bootstrap.
    #[arg(long, default_value_t = SynthConfig::default().seed)]
    seed: u64,
    /// Print the summary as one JSON document.
    #[arg(long)]
    json: bool,
}

/// What the demo made, as printed by `--json`.
#[derive(Debug, serde::Serialize)]
struct Summary {
    letters: usize,
    micro_precision: f64,
    micro_recall: f64,
    micro_f1: f64,
    micro_f1_interval: Option<[f64; 2]>,
    files: Vec<PathBuf>,
}

/// Runs the demo and prints a short summary with where the files are.
pub fn run(args: DemoArgs) -> crate::Result<()> {
    let started = Instant::now();
    let config = demo_config(args.seed, args.quick);
    let data_dir = args.out.join("data");
    step(
        started,
        &format!(
            "writing {} synthetic referral letters and {} patient files",
            config.referrals, config.patients
        ),
    );
    write_corpus(&config, &data_dir)?;
    let gold = read_jsonl(&data_dir.join("referrals").join("test.jsonl"))?;

    step(
        started,
        &format!(
            "extracting the referral schema from {} test letters with the rules baseline",
            gold.len()
        ),
    );
    let predictions: Vec<Document> = gold.iter().map(rules::extract).collect();
    let predictions_path = args.out.join("predictions-rules.jsonl");
    write_jsonl(&predictions_path, &predictions)?;

    step(
        started,
        "evaluating against the gold labels (bootstrap confidence intervals)",
    );
    let options = EvalOptions {
        bootstrap: Bootstrap {
            resamples: if args.quick { 200 } else { 1000 },
            seed: args.seed,
            ..Bootstrap::default()
        },
        gold_name: "gold (synthetic test split)".into(),
        pred_name: "rules baseline".into(),
        ..EvalOptions::default()
    };
    let report = evaluate(&gold, &predictions, &options)?;
    let mut files = write_report(&report, &args.out)?;
    files.insert(0, predictions_path);
    step(started, "done");

    let summary = Summary {
        letters: gold.len(),
        micro_precision: report.micro.scores.precision,
        micro_recall: report.micro.scores.recall,
        micro_f1: report.micro.scores.f1,
        micro_f1_interval: report
            .micro
            .f1_interval
            .as_ref()
            .map(|interval| [interval.low, interval.high]),
        files,
    };
    if args.json {
        return super::print_json(&summary);
    }
    print_summary(&report, &summary);
    Ok(())
}

/// The corpus the demo writes: the committed corpus's settings, or a small one for `--quick`.
fn demo_config(seed: u64, quick: bool) -> SynthConfig {
    let full = SynthConfig {
        seed,
        ..SynthConfig::default()
    };
    if quick {
        SynthConfig {
            referrals: 100,
            patients: 2,
            max_pages: 10,
            ..full
        }
    } else {
        full
    }
}

/// Writes the evaluation as JSON and HTML and the charts as SVG; returns the paths.
fn write_report(report: &EvalReport, out: &Path) -> crate::Result<Vec<PathBuf>> {
    let json_path = out.join("evaluation.json");
    std::fs::write(&json_path, report.to_json()).map_err(|e| crate::Error::io(&json_path, e))?;
    let html_path = out.join("report.html");
    std::fs::write(&html_path, report.render_html())
        .map_err(|e| crate::Error::io(&html_path, e))?;
    let mut files = vec![json_path, html_path];
    files.extend(report.save_charts(&out.join("charts"))?);
    Ok(files)
}

/// One progress line on stderr, with the seconds since the start.
fn step(started: Instant, what: &str) {
    eprintln!("[{:>5.1}s] {what}", started.elapsed().as_secs_f64());
}

/// The terminal summary: the scores per field, the headline figure and the files.
fn print_summary(report: &EvalReport, summary: &Summary) {
    println!("{}", report.render_text());
    let interval = summary
        .micro_f1_interval
        .map(|[low, high]| format!(" (95% CI {low:.3}-{high:.3})"))
        .unwrap_or_default();
    println!(
        "Rules baseline on {} synthetic test letters: micro precision {:.3}, recall {:.3}, F1 {:.3}{interval}",
        summary.letters, summary.micro_precision, summary.micro_recall, summary.micro_f1
    );
    println!("Files:");
    for path in &summary.files {
        println!("  {}", path.display());
    }
}
