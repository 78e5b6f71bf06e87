//! `clinkit extract` and `clinkit merge`: batch extraction (thin over [`crate::extract::batch`]).

use std::path::PathBuf;
use std::sync::Mutex;

use indicatif::{ProgressBar, ProgressStyle};

use crate::extract::batch::{
    merge, run_batch, BatchOptions, BatchSummary, Extractor, Progress, RulesExtractor, Shard,
};
use crate::extract::llm::{LlmExtractor, LlmOptions};
use crate::extract::output::OutputFormats;
use crate::extract::schema::ExtractionSchema;
use crate::llm::egress::EgressGuard;
use crate::llm::local::{LocalModel, DEFAULT_MODEL};
use crate::llm::openai::OpenAiBackend;
use crate::prompt::TokenCounter;
use crate::tokenize::HfTokenizer;

/// Which extractor reads the documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum BackendKind {
    /// The rules baseline: regular expressions and word lists, no model.
    Rules,
    /// A language model on this machine (`--model NAME|FILE.gguf`, default the packaged
    /// gemma-3-270m), with its answers constrained to the schema's JSON. Nothing leaves the machine.
    Local,
    /// A language model on an OpenAI-compatible server (`--base-url`, `--model`): llama.cpp,
    /// vLLM, Ollama. Only loopback and allowed hosts are contacted (`--allow-host`, clinkit.toml).
    Openai,
}

/// Flags of `clinkit extract`.
#[derive(Debug, clap::Args)]
pub struct ExtractArgs {
    /// A folder of .txt/.md/.pdf/.docx files, a CSV with `id` and `text` columns, or a JSONL file.
    input: PathBuf,
    /// The output folder (one record file per document in OUT/documents/, then the joined outputs).
    #[arg(long)]
    out: PathBuf,
    /// Which extractor to run.
    #[arg(long, value_enum, default_value_t = BackendKind::Rules)]
    backend: BackendKind,
    /// The server's API root for `--backend openai`, such as http://127.0.0.1:8080/v1.
    #[arg(long, required_if_eq("backend", "openai"))]
    base_url: Option<String>,
    /// `--backend local`: a GGUF file or a packaged model name (default gemma-3-270m-q4_k_m).
    /// `--backend openai`: the model name to ask the server for (default: the server's own).
    #[arg(long)]
    model: Option<String>,
    /// CPU threads per document job for `--backend local`.
    #[arg(long, default_value_t = 2)]
    threads: usize,
    /// A JSON Schema file of the fields to extract (default: the referral schema, schemas/referral.schema.json).
    #[arg(long)]
    schema: Option<PathBuf>,
    /// Also allow this (non-loopback) model server host; repeat for more.
    #[arg(long = "allow-host")]
    allow_hosts: Vec<String>,
    /// The model's context window in tokens (prompt and answer together).
    #[arg(long, default_value_t = 4096)]
    context_window: usize,
    /// The most tokens of one answer.
    #[arg(long, default_value_t = 512)]
    answer_tokens: usize,
    /// Only the documents of shard i of n (0 <= i < n), by a hash of the document id.
    #[arg(long, default_value = "0/1", value_parser = parse_shard)]
    shard: Shard,
    /// How many documents to work on at the same time.
    #[arg(long, default_value_t = 1)]
    jobs: usize,
    /// Output files: any of jsonl, csv, html, comma-separated.
    #[arg(long, default_value = "jsonl,csv,html", value_parser = parse_formats)]
    format: OutputFormats,
    /// Print the summary as one JSON document.
    #[arg(long)]
    json: bool,
}

/// Flags of `clinkit merge`.
#[derive(Debug, clap::Args)]
pub struct MergeArgs {
    /// The output folders of the shards (`clinkit extract --shard i/n --out DIR`).
    #[arg(required = true)]
    shards: Vec<PathBuf>,
    /// Where to write the joined outputs.
    #[arg(long)]
    out: PathBuf,
    /// Output files: any of jsonl, csv, html, comma-separated.
    #[arg(long, default_value = "jsonl,csv,html", value_parser = parse_formats)]
    format: OutputFormats,
    /// Print the summary as one JSON document.
    #[arg(long)]
    json: bool,
}

fn parse_shard(text: &str) -> Result<Shard, String> {
    text.parse()
}

fn parse_formats(text: &str) -> Result<OutputFormats, String> {
    text.parse()
}

/// The extraction pipeline over a local model (a GGUF file or packaged name), counting
/// tokens with the model's own tokenizer; the schema is enforced by constrained decoding.
pub(super) fn local_extractor(
    model: &str,
    schema: &ExtractionSchema,
    options: LlmOptions,
) -> crate::Result<LlmExtractor> {
    let local = LocalModel::open(model)?;
    let tokenizer = HfTokenizer::new(local.tokenizer().clone(), model);
    let extractor = LlmExtractor::new(Box::new(local), schema.clone());
    Ok(extractor
        .with_counter(TokenCounter::Tokenizer(Box::new(tokenizer)))
        .with_options(options))
}

/// Runs the batch with a progress bar on stderr, then prints the summary.
pub fn run(args: ExtractArgs) -> crate::Result<()> {
    let options = BatchOptions {
        out: args.out.clone(),
        shard: args.shard,
        jobs: args.jobs.max(1),
        formats: args.format,
    };
    let schema = match &args.schema {
        Some(path) => ExtractionSchema::from_file(path)?,
        None => ExtractionSchema::referral(),
    };
    let guard = EgressGuard::from_environment(&args.allow_hosts)?;
    if let Some(url) = &args.base_url {
        guard.check_url(url)?; // refuse before reading any document
    }
    let llm_options = LlmOptions {
        context_window: args.context_window,
        answer_tokens: args.answer_tokens,
        ..LlmOptions::default()
    };
    if args.backend == BackendKind::Local {
        crate::llm::set_threads(args.threads);
    }
    let (backend, base_url, model) = (args.backend, args.base_url.clone(), args.model.clone());
    let make = move || -> crate::Result<Box<dyn Extractor>> {
        match backend {
            BackendKind::Rules => Ok(Box::new(RulesExtractor)),
            BackendKind::Local => {
                let name = model.as_deref().unwrap_or(DEFAULT_MODEL);
                Ok(Box::new(local_extractor(name, &schema, llm_options)?))
            }
            BackendKind::Openai => {
                let url = base_url.as_deref().expect("clap requires --base-url");
                let mut server = OpenAiBackend::with_guard(url, guard.clone())?;
                if let Some(model) = &model {
                    server = server.model(model);
                }
                let extractor = LlmExtractor::new(Box::new(server), schema.clone());
                Ok(Box::new(extractor.with_options(llm_options)))
            }
        }
    };
    let bar: Mutex<Option<ProgressBar>> = Mutex::new(None);
    let on_progress = |event: Progress| {
        let mut bar = bar.lock().expect("no panics while locked");
        match event {
            Progress::Start { todo, done_before } => {
                if done_before > 0 {
                    eprintln!("{done_before} documents already done (resuming)");
                }
                *bar = Some(progress_bar(todo));
            }
            Progress::Finished { id, failed } => {
                if let Some(bar) = bar.as_ref() {
                    if failed {
                        bar.println(format!("error in document {id} (see errors.jsonl)"));
                    }
                    bar.inc(1);
                }
            }
        }
    };
    let summary = run_batch(&args.input, &options, &make, &on_progress)?;
    if let Some(bar) = bar.into_inner().expect("no panics while locked") {
        bar.finish_and_clear();
    }
    if args.json {
        return super::print_json(&summary);
    }
    print_summary(&summary);
    Ok(())
}

/// A progress bar on stderr with rate and time left.
fn progress_bar(total: usize) -> ProgressBar {
    let bar = ProgressBar::new(total as u64);
    bar.set_style(
        ProgressStyle::with_template(
            "extract [{bar:30}] {pos}/{len} documents, {per_sec}, {elapsed} elapsed, eta {eta}",
        )
        .expect("a valid template"),
    );
    bar
}

/// The end-of-run report: counts, time and tokens per document, files written.
fn print_summary(summary: &BatchSummary) {
    println!(
        "{} documents in shard {} ({} done before, {} processed now): {} ok, {} errors",
        summary.documents,
        summary.shard,
        summary.done_before,
        summary.processed,
        summary.ok,
        summary.errors
    );
    println!(
        "backend {}: {:.1} s, {:.1} documents/s; per document {:.3} s mean, {:.3} s max; tokens {} prompt, {} generated",
        summary.backend,
        summary.seconds,
        summary.documents_per_second,
        summary.mean_seconds_per_document,
        summary.max_seconds_per_document,
        summary.prompt_tokens,
        summary.completion_tokens
    );
    for path in &summary.outputs {
        println!("wrote {}", path.display());
    }
}

/// Joins shard outputs, refusing when a shard is missing, unfinished or duplicated.
pub fn run_merge(args: MergeArgs) -> crate::Result<()> {
    let summary = merge(&args.shards, &args.out, &args.format)?;
    if args.json {
        return super::print_json(&summary);
    }
    println!(
        "merged {} shards: {} documents, {} ok, {} errors",
        summary.shards, summary.documents, summary.ok, summary.errors
    );
    for path in &summary.outputs {
        println!("wrote {}", path.display());
    }
    Ok(())
}
