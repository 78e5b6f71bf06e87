//! `clinkit models`: list, check and fetch models.

use std::path::PathBuf;

use crate::models::{self, FileCheck, ModelStatus};

/// Subcommands of `clinkit models`.
#[derive(Debug, clap::Subcommand)]
pub enum ModelsCommand {
    /// List the models, where they are, their sizes and whether their checksums match.
    List {
        /// The models folder (default: $CLINKIT_MODELS, else ./models, else the source tree's models/).
        #[arg(long)]
        dir: Option<PathBuf>,
        /// Print the list as one JSON document.
        #[arg(long)]
        json: bool,
    },
    /// Download a model from a model hub (needs a reachable hub; set HF_ENDPOINT for a mirror).
    Pull {
        /// A model name from `clinkit models list`, or a hub repository `owner/name` with --file.
        name: String,
        /// For a repository that is not in the catalog: the files to download.
        #[arg(long = "file")]
        files: Vec<String>,
        /// The hub revision (branch or commit) for --file downloads.
        #[arg(long, default_value = "main")]
        revision: String,
        /// The models folder to download into.
        #[arg(long)]
        dir: Option<PathBuf>,
        /// Print the result as one JSON document.
        #[arg(long)]
        json: bool,
    },
}

/// Runs a `clinkit models` subcommand.
pub fn run(command: ModelsCommand) -> crate::Result<()> {
    match command {
        ModelsCommand::List { dir, json } => list(dir.unwrap_or_else(models::models_dir), json),
        ModelsCommand::Pull {
            name,
            files,
            revision,
            dir,
            json,
        } => {
            let dir = dir.unwrap_or_else(models::models_dir);
            if files.is_empty() {
                let status =
                    models::hub::pull(&models::find(&name)?, &dir, &models::hub::endpoint())?;
                return show(&[status], json);
            }
            let dest = dir.join(name.replace('/', "--"));
            let written =
                models::hub::pull_files(&models::hub::endpoint(), &name, &revision, &files, &dest)?;
            if json {
                return super::print_json(&serde_json::json!({ "repo": name, "files": written }));
            }
            written
                .iter()
                .for_each(|path| println!("downloaded {}", path.display()));
            Ok(())
        }
    }
}

/// Checks every catalog model in `dir` and shows the result.
fn list(dir: PathBuf, json: bool) -> crate::Result<()> {
    let statuses = models::catalog()
        .iter()
        .map(|model| models::status(model, &dir))
        .collect::<crate::Result<Vec<_>>>()?;
    show(&statuses, json)
}

/// Prints model statuses as a table or as JSON.
fn show(statuses: &[ModelStatus], json: bool) -> crate::Result<()> {
    if json {
        return super::print_json(&serde_json::json!({ "models": statuses }));
    }
    println!(
        "{:<22} {:<20} {:>10}  {:<9} path",
        "model", "kind", "size", "checksum"
    );
    for status in statuses {
        println!(
            "{:<22} {:<20} {:>10}  {:<9} {}",
            status.name,
            status.kind,
            human_size(status.size),
            checksum_word(status),
            status.dir.display()
        );
        for file in status
            .files
            .iter()
            .filter(|file| file.check != FileCheck::Ok)
        {
            println!("    {:?}: {}", file.check, file.path.display());
        }
    }
    Ok(())
}

/// One word that sums up a model's files: ok, missing, or mismatch.
fn checksum_word(status: &ModelStatus) -> &'static str {
    if status.ready {
        "ok"
    } else if status
        .files
        .iter()
        .any(|file| file.check == FileCheck::Mismatch)
    {
        "MISMATCH"
    } else {
        "missing"
    }
}

/// A byte count in MB with one decimal, as people read sizes.
fn human_size(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1_000_000.0)
}
