//! `clinkit demo`: the main job on the embedded defaults, end to end.
//!
//! 1. write the synthetic corpus (the same seed as `datasets-synthetic/`, so the same letters);
//! 2. de-identify the test letters (keyed pseudonyms, shifted dates) and measure how much
//!    of the gold PHI was found;
//! 3. extract the referral schema from the de-identified letters with the rules baseline;
//! 4. extract it from the first few letters with the local language model (constrained
//!    JSON, every value grounded in the letter), through the same batch runner as
//!    `clinkit extract --backend local` (it is slow on a CPU: about half a minute a letter);
//! 5. evaluate both against the gold labels, with bootstrap confidence intervals (the
//!    model and the rules also on the same few letters, so they can be compared);
//! 6. write one HTML report (metrics, charts, mistakes, the model's review page with the
//!    evidence highlighted) and the data files, and print a short summary with where they are.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

use crate::data::{read_jsonl, write_jsonl, Document};
use crate::deid::{detect_document, Deidentifier, Key, Mode};
use crate::eval::{escape_html, evaluate, html_page, Bootstrap, EvalOptions, EvalReport};
use crate::extract::batch::{run_batch, BatchOptions, BatchSummary, Progress};
use crate::extract::llm::LlmOptions;
use crate::extract::rules;
use crate::extract::schema::ExtractionSchema;
use crate::llm::local::DEFAULT_MODEL;
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
    /// How many test letters the local language model reads (default 8, 1 with `--quick`;
    /// 0 skips the model). It runs on the CPU: about half a minute a letter.
    #[arg(long)]
    model_letters: Option<usize>,
    /// The local model: a GGUF file or a packaged model name.
    #[arg(long, default_value = DEFAULT_MODEL)]
    model: String,
    /// CPU threads for the model.
    #[arg(long, default_value_t = 2)]
    threads: usize,
    /// Print the summary as one JSON document.
    #[arg(long)]
    json: bool,
}

/// What the local model's run did, as printed by `--json`.
#[derive(Debug, serde::Serialize)]
struct ModelRun {
    model: String,
    letters: usize,
    ok: usize,
    errors: usize,
    seconds_per_letter: f64,
    prompt_tokens: usize,
    completion_tokens: usize,
    /// The gold labels of the letters the model read (for `clinkit eval`).
    gold: PathBuf,
    predictions: PathBuf,
    review_page: PathBuf,
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
    model: Option<ModelRun>,
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
    let evaluate_system = |gold: &[Document], predicted: &[Document], name: &str| {
        let options = EvalOptions {
            bootstrap: Bootstrap {
                resamples,
                seed: args.seed,
                ..Bootstrap::default()
            },
            gold_name: "gold (synthetic test split, de-identified)".into(),
            pred_name: name.into(),
            ..EvalOptions::default()
        };
        evaluate(gold, predicted, &options)
    };
    let rules_report = evaluate_system(&deidentified, &predictions, "rules baseline")?;
    spinner.finish();
    let mut systems = vec![("rules baseline".to_string(), rules_report)];

    let model_letters = args
        .model_letters
        .unwrap_or(if args.quick { 1 } else { 8 })
        .min(deidentified.len());
    let mut model_run = None;
    if model_letters > 0 {
        let sample = &deidentified[..model_letters];
        let (run, model_predictions) = extract_with_model(sample, &args)?;
        let spinner = step("Evaluating the model and the rules on the same letters");
        let same_letters = format!("rules baseline, same {model_letters} letters");
        let rules_same = evaluate_system(sample, &predictions[..model_letters], &same_letters)?;
        let model_name = format!("local model ({})", run.model);
        let model_report = evaluate_system(sample, &model_predictions, &model_name)?;
        spinner.finish();
        systems.push((same_letters, rules_same));
        systems.push((model_name, model_report));
        model_run = Some(run);
    }

    let report_path = args.out.join("report.html");
    let html = render_report(&letters, &phi_report, &systems, model_run.as_ref());
    std::fs::write(&report_path, html).map_err(|e| crate::Error::io(&report_path, e))?;
    let evaluation_path = args.out.join("evaluation-rules.json");
    std::fs::write(&evaluation_path, systems[0].1.to_json())
        .map_err(|e| crate::Error::io(&evaluation_path, e))?;
    let mut files = vec![deidentified_path, predictions_path, evaluation_path];
    files.extend(systems[0].1.save_charts(&args.out.join("charts"))?);
    if let Some(run) = &model_run {
        files.extend([
            run.gold.clone(),
            run.predictions.clone(),
            run.review_page.clone(),
        ]);
    }

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
        model: model_run,
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

/// Extracts the referral schema from `sample` with the local model through the batch
/// runner (`clinkit extract --backend local`), into OUT/model/. Letters whose answer
/// failed become error records and count as empty predictions.
fn extract_with_model(
    sample: &[Document],
    args: &DemoArgs,
) -> crate::Result<(ModelRun, Vec<Document>)> {
    crate::llm::set_threads(args.threads);
    let gold_path = args.out.join("model-gold.jsonl");
    write_jsonl(&gold_path, sample)?;
    // The model sees only the text: no gold labels in its input.
    let unlabelled: Vec<Document> = sample
        .iter()
        .map(|letter| Document::new(&letter.id, letter.lang, &letter.kind, &letter.text))
        .collect();
    let input_path = args.out.join("model-input.jsonl");
    write_jsonl(&input_path, &unlabelled)?;
    let out = args.out.join("model");
    let options = LlmOptions {
        answer_tokens: 400,
        ..LlmOptions::default()
    };
    let model = args.model.clone();
    let make = move || -> crate::Result<Box<dyn crate::extract::batch::Extractor>> {
        let extractor =
            super::extract::local_extractor(&model, &ExtractionSchema::referral(), options)?;
        Ok(Box::new(extractor))
    };
    let bar = bar(
        sample.len(),
        "Extracting with the local model (constrained JSON)",
    );
    let on_progress = |event: Progress| {
        if let Progress::Finished { .. } = event {
            bar.inc(1);
        }
    };
    let summary = run_batch(&input_path, &BatchOptions::new(&out), &make, &on_progress)?;
    bar.finish();
    let predictions_path = out.join("predictions.jsonl");
    let predictions = read_jsonl(&predictions_path)?;
    Ok((
        model_run(
            args,
            &summary,
            gold_path,
            predictions_path,
            out.join("review.html"),
        ),
        predictions,
    ))
}

fn model_run(
    args: &DemoArgs,
    summary: &BatchSummary,
    gold: PathBuf,
    predictions: PathBuf,
    review_page: PathBuf,
) -> ModelRun {
    ModelRun {
        model: crate::llm::local::model_label(&args.model),
        letters: summary.documents,
        ok: summary.ok,
        errors: summary.errors,
        seconds_per_letter: summary.mean_seconds_per_document,
        prompt_tokens: summary.prompt_tokens,
        completion_tokens: summary.completion_tokens,
        gold,
        predictions,
        review_page,
    }
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
    systems: &[(String, EvalReport)],
    model_run: Option<&ModelRun>,
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
    if let Some(run) = model_run {
        body.push_str(&model_paragraph(run));
    }
    body.push_str("<h2>De-identification</h2>");
    body.push_str(&phi_report.render_html_section());
    for (name, report) in systems {
        body.push_str(&format!("<h2>{}</h2>", escape_html(name)));
        body.push_str(&report.render_html_section());
    }
    html_page("clinkit demo", &body)
}

/// What the model run did, with a link to its review page (each value highlighted in the letter).
fn model_paragraph(run: &ModelRun) -> String {
    format!(
        "<h2>The local language model</h2><p>{} read the first {} letters ({} answered, {} failed          and count as empty), {:.0} s a letter, {} prompt and {} generated tokens. Its answers          were constrained to the schema's JSON; every value's quote was looked up in the letter.          A small base model extracts poorly: compare it with the rules on the same letters above.          <a href=\"model/review.html\">Review page: every value highlighted in its letter</a>.</p>",
        escape_html(&run.model),
        run.letters,
        run.ok,
        run.errors,
        run.seconds_per_letter,
        run.prompt_tokens,
        run.completion_tokens
    )
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
    let width = summary
        .systems
        .iter()
        .map(|system| system.name.chars().count())
        .max()
        .unwrap_or(0);
    for system in &summary.systems {
        let interval = system
            .micro_f1_interval
            .map(|[low, high]| format!(" (95% CI {low:.3}-{high:.3})"))
            .unwrap_or_default();
        println!(
            "  {:<width$}  micro precision {:.3}, recall {:.3}, F1 {:.3}{interval}",
            system.name, system.micro_precision, system.micro_recall, system.micro_f1
        );
    }
    if let Some(run) = &summary.model {
        println!(
            "  local model {} on {} letters: {} answered, {} failed, {:.0} s a letter",
            run.model, run.letters, run.ok, run.errors, run.seconds_per_letter
        );
        println!("  review page: {}", run.review_page.display());
    }
    println!("Report: {}", summary.report.display());
    println!("Files:");
    for path in &summary.files {
        println!("  {}", path.display());
    }
}
