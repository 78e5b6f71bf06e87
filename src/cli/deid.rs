//! `clinkit deid`: de-identify JSONL documents (thin over [`crate::deid::run`]).

use std::path::PathBuf;

use crate::deid::{run as run_deid, Mode, RunOptions};

/// Flags of `clinkit deid`.
#[derive(Debug, clap::Args)]
pub struct DeidArgs {
    /// A JSONL file, or a folder of JSONL files.
    #[arg(long = "in", value_name = "IN.jsonl|DIR")]
    input: PathBuf,
    /// Output folder (NAME.phi.jsonl: originals with predicted PHI spans, for `clinkit
    /// eval --phi`; NAME.deid.jsonl: de-identified documents). With one input file, a
    /// `.jsonl` name here is the predictions file and `<name>.deid.jsonl` the other.
    #[arg(long, value_name = "OUT")]
    out: PathBuf,
    /// How to replace PHI: tag ([NAME-1]), pseudonymise (keyed surrogates, dates shifted
    /// per patient) or redact ([REDACTED]).
    #[arg(long, default_value = "tag", value_parser = parse_mode)]
    mode: Mode,
    /// The secret key file (created when it does not exist). Needed to pseudonymise and
    /// to write a mapping. Keep it away from the data.
    #[arg(long, value_name = "K")]
    key_file: Option<PathBuf>,
    /// Also write the reversible, encrypted mapping file for the data manager.
    #[arg(long, value_name = "M.json")]
    mapping: Option<PathBuf>,
    /// Print the summary as one JSON document.
    #[arg(long)]
    json: bool,
}

/// Reads `--mode` (clap shows the message on a usage error).
fn parse_mode(text: &str) -> Result<Mode, String> {
    text.parse()
}

/// Runs the de-identification and reports what was written.
pub fn run(args: DeidArgs) -> crate::Result<()> {
    let options = RunOptions {
        input: args.input,
        out: args.out,
        mode: args.mode,
        key_file: args.key_file,
        mapping: args.mapping,
    };
    let summary = run_deid(&options)?;
    if summary.key_created {
        if let Some(key) = &summary.key_file {
            eprintln!(
                "created key file {} (keep it secret and apart from the data)",
                key.display()
            );
        }
    }
    if args.json {
        return super::print_json(&summary);
    }
    print!("{}", summary.render_text());
    Ok(())
}
