//! `clinkit demo`: the main job on the embedded defaults, end to end.
//!
//! 1. write the synthetic corpus (the same seed as `datasets-synthetic/`, so the same letters);
//! 2. de-identify the test letters (keyed pseudonyms, shifted dates) and measure how much
//!    of the gold PHI was found;
//! 3. extract the referral schema from the de-identified letters with the rules baseline;
//! 4. evaluate it against the gold labels, with bootstrap confidence intervals;
//! 5. write one HTML report (metrics, charts, mistakes) and the data files, and print a
//!    short summary with where they are.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

use crate::data::{read_jsonl, write_jsonl, Document};
use crate::deid::{detect_document, Deidentifier, Key, Mode};
use crate::eval::{escape_html, evaluate, html_page, Bootstrap, EvalOptions, EvalReport};
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

/// One system's headline scores, as printed by `--json`.
#[derive(Debug, serde::Serialize)]
struct SystemSummary {
    name: String,
    micro_precision: f64,
    micro_recall: f64,
    micro_f1: f64,
    micro_f1_interval: Option<[f64; 2]>,
}

/// What the demo made, as printed by `--json`.
#[derive(Debug, serde::Serialize)]
struct Summary {
    letters: usize,
    /// Share of the gold PHI spans that de-identification found (any type, overlap).
    phi_recall: f64,
    /// Share of the found PHI spans that are gold PHI (any type, overlap).
    phi_precision: f64,
    systems: Vec<SystemSummary>,
    report: PathBuf,
    files: Vec<PathBuf>,
    seconds: f64,
}

/// Runs the demo and prints a short summary with where the files are.
pub fn run(args: DemoArgs) -> crate::Result<()> {
    let started = Instant::now();
    let config = demo_config(args.seed, args.quick);
    let data_dir = args.out.join("data");
    let resamples = if args.quick { 200 } else { 1000 };

    let spinner = step(&format!(
        "Writing {} synthetic referral letters and {} patient files",
        config.referrals, config.patients
    ));
    write_corpus(&config, &data_dir)?;
    let letters = read_jsonl(&data_dir.join("referrals").join("test.jsonl"))?;
    spinner.finish();

    let (deidentified, phi_report) = deidentify(&letters, args.seed)?;
    let deidentified_path = args.out.join("letters-deidentified.jsonl");
    write_jsonl(&deidentified_path, &deidentified)?;

    let bar = bar(deidentified.len(), "Extracting with the rules baseline");
    let predictions: Vec<Document> = deidentified
        .iter()
        .map(|letter| {
            bar.inc(1);
            rules::extract(letter)
        })
        .collect();
    bar.finish();
    let predictions_path = args.out.join("predictions-rules.jsonl");
    write_jsonl(&predictions_path, &predictions)?;

    let spinner = step(&format!(
        "Evaluating against the gold labels ({resamples} bootstrap resamples)"
    ));
    let options = EvalOptions {
        bootstrap: Bootstrap {
            resamples,
            seed: args.seed,
            ..Bootstrap::default()
        },
        gold_name: "gold (synthetic test split, de-identified)".into(),
        pred_name: "rules baseline".into(),
        ..EvalOptions::default()
    };
    let rules_report = evaluate(&deidentified, &predictions, &options)?;
    spinner.finish();

    let systems = vec![("rules baseline", &rules_report)];
    let report_path = args.out.join("report.html");
    let html = render_report(&letters, &phi_report, &systems);
    std::fs::write(&report_path, html).map_err(|e| crate::Error::io(&report_path, e))?;
    let evaluation_path = args.out.join("evaluation-rules.json");
    std::fs::write(&evaluation_path, rules_report.to_json())
        .map_err(|e| crate::Error::io(&evaluation_path, e))?;
    let mut files = vec![deidentified_path, predictions_path, evaluation_path];
    files.extend(rules_report.save_charts(&args.out.join("charts"))?);

    let phi_any = phi_report
        .phi
        .as_ref()
        .and_then(|table| table.any_type.clone())
        .ok_or_else(|| crate::Error::Refused("the PHI evaluation had no rows".into()))?;
    let summary = Summary {
        letters: letters.len(),
        phi_recall: phi_any.lenient.recall,
        phi_precision: phi_any.lenient.precision,
        systems: systems
            .iter()
            .map(|(name, report)| system_summary(name, report))
            .collect(),
        report: report_path,
        files,
        seconds: started.elapsed().as_secs_f64(),
    };
    if args.json {
        return super::print_json(&summary);
    }
    print_summary(&summary);
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

/// Replaces the PHI in the letters by keyed pseudonyms (ages under 90 stay, so the age
/// can still be extracted; dates shift per patient, keeping intervals), and scores how
/// much of the gold PHI the detector found. The key is made from the seed: fine for a
/// demo on fake letters, never for real ones (`clinkit deid --key-file` keeps a secret key).
fn deidentify(letters: &[Document], seed: u64) -> crate::Result<(Vec<Document>, EvalReport)> {
    let bar = bar(letters.len(), "De-identifying (keyed pseudonyms)");
    let key = Key::from_secret(format!("clinkit demo {seed}").as_bytes());
    let mut deidentifier = Deidentifier::new(Mode::Pseudonymise, Some(key))?;
    let mut found = Vec::with_capacity(letters.len());
    let mut deidentified = Vec::with_capacity(letters.len());
    for letter in letters {
        let mut detected = letter.clone();
        detected.phi = detect_document(letter);
        deidentified.push(deidentifier.apply(letter, &detected.phi).document);
        found.push(detected);
        bar.inc(1);
    }
    bar.finish();
    let options = EvalOptions {
        phi: true,
        bootstrap: Bootstrap {
            resamples: 0,
            ..Bootstrap::default()
        },
        gold_name: "gold PHI".into(),
        pred_name: "clinkit deid".into(),
        ..EvalOptions::default()
    };
    Ok((deidentified, evaluate(letters, &found, &options)?))
}

fn system_summary(name: &str, report: &EvalReport) -> SystemSummary {
    SystemSummary {
        name: name.to_string(),
        micro_precision: report.micro.scores.precision,
        micro_recall: report.micro.scores.recall,
        micro_f1: report.micro.scores.f1,
        micro_f1_interval: report.micro.f1_interval.map(|i| [i.low, i.high]),
    }
}

/// The one HTML page of the demo: what was done, the headline table, then each system's
/// full evaluation (fields, charts, mistakes with the letter text around them).
fn render_report(
    letters: &[Document],
    phi_report: &EvalReport,
    systems: &[(&str, &EvalReport)],
) -> String {
    let mut body = format!(
        "<h1>clinkit demo</h1><p>{} synthetic referral letters (test split): de-identified, then \
         the referral schema extracted and compared with the gold labels.</p>",
        letters.len()
    );
    body.push_str("<h2>Headline</h2><table><tr><th>system</th><th>P</th><th>R</th><th>F1</th><th>F1 95% CI</th></tr>");
    for (name, report) in systems {
        let s = system_summary(name, report);
        let interval = s
            .micro_f1_interval
            .map(|[low, high]| format!("{low:.3}–{high:.3}"))
            .unwrap_or_default();
        body.push_str(&format!(
            "<tr><td>{}</td><td class=\"num\">{:.3}</td><td class=\"num\">{:.3}</td><td class=\"num\">{:.3}</td><td class=\"num\">{interval}</td></tr>",
            escape_html(name),
            s.micro_precision,
            s.micro_recall,
            s.micro_f1
        ));
    }
    body.push_str("</table>");
    body.push_str("<h2>De-identification</h2>");
    body.push_str(&phi_report.render_html_section());
    for (name, report) in systems {
        body.push_str(&format!("<h2>{}</h2>", escape_html(name)));
        body.push_str(&report.render_html_section());
    }
    html_page("clinkit demo", &body)
}

/// A spinner on stderr for a step without a count; it shows the seconds it took.
fn step(what: &str) -> ProgressBar {
    let spinner = ProgressBar::new_spinner().with_message(what.to_string());
    spinner.set_style(
        ProgressStyle::with_template("{spinner} {msg} [{elapsed}]").expect("a valid template"),
    );
    spinner.enable_steady_tick(Duration::from_millis(100));
    spinner
}

/// A progress bar on stderr for `total` items, with the rate and the time left.
pub(super) fn bar(total: usize, what: &str) -> ProgressBar {
    let bar = ProgressBar::new(total as u64).with_message(what.to_string());
    bar.set_style(
        ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} {per_sec} eta {eta}")
            .expect("a valid template"),
    );
    bar
}

/// The terminal summary: one line per system, the PHI figure and where the files are.
fn print_summary(summary: &Summary) {
    println!(
        "clinkit demo: {} synthetic test letters in {:.0} s",
        summary.letters, summary.seconds
    );
    println!(
        "  de-identification found {:.1}% of the gold PHI (precision {:.1}%)",
        100.0 * summary.phi_recall,
        100.0 * summary.phi_precision
    );
    for system in &summary.systems {
        let interval = system
            .micro_f1_interval
            .map(|[low, high]| format!(" (95% CI {low:.3}-{high:.3})"))
            .unwrap_or_default();
        println!(
            "  {:<16} micro precision {:.3}, recall {:.3}, F1 {:.3}{interval}",
            system.name, system.micro_precision, system.micro_recall, system.micro_f1
        );
    }
    println!("Report: {}", summary.report.display());
    println!("Files:");
    for path in &summary.files {
        println!("  {}", path.display());
    }
}
