//! The `clinkit` command line: thin subcommands, each calling one library function.
//!
//! Conventions (see DESIGN.md):
//! - every command that prints results also takes `--json` and then prints exactly one
//!   JSON document on stdout; logs and progress go to stderr;
//! - exit code 0 on success, 1 on a user error (the message names file, line and field),
//!   2 on a usage error (a wrong flag; clap prints the help).

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod deid;
mod demo;
mod embed;
mod eval;
mod extract;
mod generate;
mod inspect;
mod kernel;
mod lessons;
mod models;
mod notebooks;
mod serve;
mod summarise;
mod synth;
mod tokenize;

/// Learn, then really use, language models on clinical text.
#[derive(Debug, Parser)]
#[command(name = "clinkit", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// The whole idea end to end on synthetic letters: generate, extract, evaluate, report.
    Demo(demo::DemoArgs),
    /// Generate synthetic Dutch and English clinical documents with gold labels.
    Synth(synth::SynthArgs),
    /// List, check and fetch the language models clinkit uses.
    #[command(subcommand)]
    Models(models::ModelsCommand),
    /// Compare predictions with a gold standard: precision, recall, F1 per field.
    Eval(eval::EvalArgs),
    /// De-identify Dutch and English clinical documents: find PHI, then tag, pseudonymise or redact it.
    Deid(deid::DeidArgs),
    /// Install, check and remove the "Rust (clinkit)" Jupyter kernel.
    #[command(subcommand)]
    Kernel(kernel::KernelCommand),
    /// Run notebooks headlessly on the clinkit kernel (as CI does).
    #[command(subcommand)]
    Notebooks(notebooks::NotebooksCommand),
    /// Show how a tokenizer (tokenizer.json, GGUF model, or clinkit BPE) cuts a file, and count tokens.
    Tokenize(tokenize::TokenizeArgs),
    /// Summarise referral letters; every statement points at its evidence; --eval measures them.
    Summarise(summarise::SummariseArgs),
    /// Extract schema fields from a folder, CSV or JSONL of documents (resumable, shardable).
    Extract(extract::ExtractArgs),
    /// Let a local language model (GGUF) continue a prompt or answer it as a chat.
    Generate(generate::GenerateArgs),
    /// Share a local model with notebooks and tools: an OpenAI-compatible server on this machine only.
    Serve(serve::ServeArgs),
    /// Look inside the local model while it reads a text: hidden-vector lengths per layer, one head's attention, the next tokens.
    Inspect(inspect::InspectArgs),
    /// Join the outputs of `clinkit extract --shard i/n` runs; checks for missing and duplicate shards.
    Merge(extract::MergeArgs),
    /// Sentence embeddings of documents' chunks, written as an index file (and a PCA picture).
    Embed(embed::EmbedArgs),
    /// The passages nearest in meaning to a question, from an index file or documents.
    Search(embed::SearchArgs),
    /// The course's lessons: list, show, start, check, next; assign, collect and progress for supervisors.
    #[command(subcommand)]
    Lessons(lessons::LessonsCommand),
}

/// Runs the command line and turns errors into a message and an exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Demo(args) => demo::run(args),
        Command::Synth(args) => synth::run(args),
        Command::Models(command) => models::run(command),
        Command::Eval(args) => eval::run(args),
        Command::Deid(args) => deid::run(args),
        Command::Kernel(command) => kernel::run(command),
        Command::Notebooks(command) => notebooks::run(command),
        Command::Tokenize(args) => tokenize::run(args),
        Command::Summarise(args) => summarise::run(args),
        Command::Extract(args) => extract::run(args),
        Command::Generate(args) => generate::run(args),
        Command::Serve(args) => serve::run(args),
        Command::Inspect(args) => inspect::run(args),
        Command::Merge(args) => extract::run_merge(args),
        Command::Lessons(command) => lessons::run(command),
        Command::Embed(args) => embed::run_embed(args),
        Command::Search(args) => embed::run_search(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(1)
        }
    }
}

/// Prints a value as one pretty JSON document on stdout (for `--json`).
fn print_json(value: &impl serde::Serialize) -> crate::Result<()> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| crate::Error::Refused(format!("cannot write JSON: {e}")))?;
    println!("{text}");
    Ok(())
}
