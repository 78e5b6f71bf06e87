//! `clinkit eval`: compare predictions with a gold standard (placeholder, being written).

use std::path::PathBuf;

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
}

/// Runs the evaluation.
pub fn run(args: EvalArgs) -> crate::Result<()> {
    let _ = (args.gold, args.pred, args.json);
    Err(crate::Error::Refused("clinkit eval is being written".into()))
}
