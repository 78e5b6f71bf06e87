//! `clinkit eval`: compare predictions with a gold standard (thin over [`crate::eval`]).

use std::path::PathBuf;

use serde::Serialize;

use crate::eval::{compare_files, evaluate_files, Bootstrap, Comparison, EvalOptions, EvalReport};

/// Flags of `clinkit eval`.
#[derive(Debug, clap::Args)]
pub struct EvalArgs {
    /// The gold-standard JSONL file.
    #[arg(long)]
    gold: PathBuf,
    /// The predictions JSONL file.
    #[arg(long)]
    pred: PathBuf,
    /// Print the report as one JSON document.
    #[arg(long)]
    json: bool,
    /// Also write the report as a self-contained HTML page to this file.
    #[arg(long, value_name = "FILE")]
    html: Option<PathBuf>,
    /// Also write the charts (F1 per field, confusion matrices) as SVG files into this folder.
    #[arg(long, value_name = "DIR")]
    svg_dir: Option<PathBuf>,
    /// Also write the charts as PNG pictures (twice the SVG size) into this folder; needs
    /// an installed font such as DejaVu.
    #[arg(long, value_name = "DIR")]
    png_dir: Option<PathBuf>,
    /// Bootstrap resamples for the confidence intervals (0: no intervals).
    #[arg(long, default_value_t = 1000)]
    bootstrap: usize,
    /// Seed of the bootstrap: the same seed gives the same intervals.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Also score PHI spans (de-identification), per PHI type.
    #[arg(long)]
    phi: bool,
    /// How far numbers (not whole numbers) may be off, as a share of the gold value.
    #[arg(long, default_value_t = 0.01, value_name = "SHARE")]
    tolerance: f64,
    /// A second prediction file: compare it (B) with --pred (A), with a paired bootstrap.
    #[arg(long, value_name = "FILE")]
    compare: Option<PathBuf>,
}

/// What `--json` prints: the report, plus the comparison when `--compare` is given.
#[derive(Serialize)]
struct Output<'a> {
    #[serde(flatten)]
    report: &'a EvalReport,
    #[serde(skip_serializing_if = "Option::is_none")]
    comparison: Option<&'a Comparison>,
}

/// Runs the evaluation: scores, then writes the requested outputs.
pub fn run(args: EvalArgs) -> crate::Result<()> {
    if !(0.0..1.0).contains(&args.tolerance) {
        return Err(crate::Error::Refused(format!(
            "--tolerance must be at least 0 and below 1, got {}",
            args.tolerance
        )));
    }
    let options = EvalOptions {
        relative_tolerance: args.tolerance,
        bootstrap: Bootstrap {
            resamples: args.bootstrap,
            seed: args.seed,
            ..Bootstrap::default()
        },
        phi: args.phi,
        ..EvalOptions::default()
    };
    let report = evaluate_files(&args.gold, &args.pred, &options)?;
    let comparison = match &args.compare {
        Some(other) => Some(compare_files(&args.gold, &args.pred, other, &options)?),
        None => None,
    };
    for warning in &report.warnings {
        eprintln!("warning: {warning}");
    }
    if let Some(path) = &args.html {
        std::fs::write(path, report.render_html()).map_err(|e| crate::Error::io(path, e))?;
        eprintln!("wrote {}", path.display());
    }
    if let Some(folder) = &args.svg_dir {
        for path in report.save_charts(folder)? {
            eprintln!("wrote {}", path.display());
        }
    }
    if let Some(folder) = &args.png_dir {
        for path in report.save_charts_png(folder)? {
            eprintln!("wrote {}", path.display());
        }
    }
    if args.json {
        return super::print_json(&Output {
            report: &report,
            comparison: comparison.as_ref(),
        });
    }
    print!("{}", report.render_body());
    if let Some(comparison) = &comparison {
        println!("\n{}", comparison.render_text());
    }
    Ok(())
}
