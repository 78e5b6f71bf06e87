//! `clinkit synth`: write the synthetic corpus.

use std::path::PathBuf;

use crate::synth::{write_corpus, SynthConfig};

/// Flags of `clinkit synth`.
#[derive(Debug, clap::Args)]
pub struct SynthArgs {
    /// The random seed: the same seed always gives the same corpus, byte for byte.
    #[arg(long, default_value_t = SynthConfig::default().seed)]
    seed: u64,
    /// The folder to write `referrals/` and `patients/` into.
    #[arg(long, default_value = "synthetic")]
    out: PathBuf,
    /// How many referral letters (half Dutch, half English).
    #[arg(long, default_value_t = SynthConfig::default().referrals)]
    referrals: usize,
    /// How many multi-document patient files.
    #[arg(long, default_value_t = SynthConfig::default().patients)]
    patients: usize,
    /// The number of pages of the longest patient files.
    #[arg(long, default_value_t = SynthConfig::default().max_pages)]
    max_pages: usize,
    /// Print the list of written files as JSON.
    #[arg(long)]
    json: bool,
}

/// Writes the corpus and says where it went.
pub fn run(args: SynthArgs) -> crate::Result<()> {
    let config = SynthConfig {
        seed: args.seed,
        referrals: args.referrals,
        patients: args.patients,
        max_pages: args.max_pages,
    };
    let summary = write_corpus(&config, &args.out)?;
    if args.json {
        let files: Vec<_> = summary
            .files
            .iter()
            .map(|(path, documents)| serde_json::json!({"path": path, "documents": documents}))
            .collect();
        return super::print_json(&serde_json::json!({ "seed": args.seed, "files": files }));
    }
    for (path, documents) in &summary.files {
        println!("{documents:>6} documents  {}", path.display());
    }
    Ok(())
}
