//! `clinkit embed` and `clinkit search`: sentence embeddings of a folder of documents, and
//! the passages nearest to a question (thin over [`crate::embed`]).

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::embed::bert::{set_threads, SentenceEncoder};
use crate::embed::index::{Hit, VectorIndex};
use crate::embed::pca::{pca_points, scatter_chart};
use crate::extract::input::list_input;

/// Flags shared by both commands: which model, and how finely documents are cut.
#[derive(Debug, clap::Args)]
pub struct ModelArgs {
    /// A packaged model name (see `clinkit models list`) or a sentence-transformers folder.
    #[arg(long, default_value = "all-minilm-l6-v2")]
    model: String,
    /// Chunks hold whole sentences, up to this many characters (a longer sentence is a chunk
    /// of its own; the model reads at most 256 tokens of it).
    #[arg(long, default_value_t = 400)]
    max_chars: usize,
    /// Texts embedded together in one step.
    #[arg(long, default_value_t = 32)]
    batch_size: usize,
    /// CPU threads for the matrix multiplications (default: all cores).
    #[arg(long)]
    threads: Option<usize>,
}

/// Flags of `clinkit embed`.
#[derive(Debug, clap::Args)]
pub struct EmbedArgs {
    /// The documents: a folder (.txt, .md, .pdf, .docx), a .csv or a .jsonl file.
    input: PathBuf,
    /// The index file to write: JSONL, one chunk with its span, text and vector per line.
    #[arg(long, short)]
    out: PathBuf,
    #[command(flatten)]
    model: ModelArgs,
    /// Also draw every chunk on a 2-D PCA picture, one colour per document
    /// (SVG; PNG when the name ends in .png).
    #[arg(long, value_name = "FILE")]
    plot: Option<PathBuf>,
    /// Print one JSON document on stdout.
    #[arg(long)]
    json: bool,
}

/// Flags of `clinkit search`.
#[derive(Debug, clap::Args)]
pub struct SearchArgs {
    /// The question or phrase to look for.
    query: String,
    /// An index file written by `clinkit embed`.
    #[arg(long, conflicts_with = "input", required_unless_present = "input")]
    index: Option<PathBuf>,
    /// Or documents to embed on the fly: a folder, a .csv or a .jsonl file.
    #[arg(long = "in", value_name = "INPUT")]
    input: Option<PathBuf>,
    /// How many passages to show.
    #[arg(short, long, default_value_t = 5)]
    k: usize,
    #[command(flatten)]
    model: ModelArgs,
    /// Print one JSON document on stdout.
    #[arg(long)]
    json: bool,
}

/// What `clinkit embed --json` prints.
#[derive(Serialize)]
struct EmbedSummary {
    documents: usize,
    chunks: usize,
    dimension: usize,
    seconds: f64,
    index: PathBuf,
    #[serde(skip_serializing_if = "Option::is_none")]
    plot: Option<PathBuf>,
    explained_variance: Option<[f64; 2]>,
    errors: Vec<DocumentError>,
}

/// A document that could not be read or embedded; the others go on.
#[derive(Serialize)]
struct DocumentError {
    document: String,
    source: String,
    error: String,
}

/// Embeds every document's chunks, writes the index (and the picture), prints a summary.
pub fn run_embed(args: EmbedArgs) -> crate::Result<()> {
    let started = std::time::Instant::now();
    let encoder = load_encoder(&args.model)?;
    let dimension = encoder.dimension();
    let (index, documents, errors) = embed_input(&args.input, encoder, args.model.max_chars)?;
    index.save_jsonl(&args.out)?;
    let explained_variance = match &args.plot {
        Some(path) => Some(save_plot(&index, path)?),
        None => None,
    };
    let summary = EmbedSummary {
        documents,
        chunks: index.len(),
        dimension,
        seconds: started.elapsed().as_secs_f64(),
        index: args.out.clone(),
        plot: args.plot.clone(),
        explained_variance,
        errors,
    };
    if args.json {
        return super::print_json(&summary);
    }
    println!(
        "{} chunks of {} documents embedded ({} numbers each) in {:.1} s: {}",
        summary.chunks,
        summary.documents,
        summary.dimension,
        summary.seconds,
        summary.index.display()
    );
    if let (Some(plot), Some([first, second])) = (&summary.plot, summary.explained_variance) {
        println!(
            "picture: {} (the two directions show {:.0}% and {:.0}% of the spread)",
            plot.display(),
            first * 100.0,
            second * 100.0
        );
    }
    print_errors(&summary.errors);
    Ok(())
}

/// Finds the passages nearest to the query in an index file or in documents.
pub fn run_search(args: SearchArgs) -> crate::Result<()> {
    let encoder = load_encoder(&args.model)?;
    let (index, errors) = match (&args.index, &args.input) {
        (Some(path), _) => (VectorIndex::load_jsonl(path, encoder)?, Vec::new()),
        (None, input) => {
            let input = input.as_deref().ok_or_else(|| {
                crate::Error::Refused("give --index FILE or --in DOCUMENTS".into())
            })?;
            let (index, _, errors) = embed_input(input, encoder, args.model.max_chars)?;
            (index, errors)
        }
    };
    let hits = index.search(&args.query, args.k)?;
    if args.json {
        return super::print_json(&hits);
    }
    print_hits(&hits);
    print_errors(&errors);
    Ok(())
}

/// The encoder named by the flags: a folder if it is one, else a packaged model name.
fn load_encoder(args: &ModelArgs) -> crate::Result<SentenceEncoder> {
    if let Some(threads) = args.threads {
        set_threads(threads);
    }
    Ok(SentenceEncoder::open(&args.model)?.with_batch_size(args.batch_size))
}

/// Reads every document of `input` and adds its chunks to a new index. A document that
/// fails is reported and skipped. Returns the index, how many documents made it, the errors.
fn embed_input(
    input: &Path,
    encoder: SentenceEncoder,
    max_chars: usize,
) -> crate::Result<(VectorIndex, usize, Vec<DocumentError>)> {
    let items = list_input(input)?;
    let bar = super::demo::bar(items.len(), "embed");
    let mut index = VectorIndex::new(encoder);
    let mut errors = Vec::new();
    for item in &items {
        let added = item
            .load()
            .and_then(|document| index.add(&document.id, &document.text, max_chars));
        if let Err(error) = added {
            bar.println(format!("error in {}: {error}", item.source.describe()));
            errors.push(DocumentError {
                document: item.id.clone(),
                source: item.source.describe(),
                error: error.to_string(),
            });
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    let documents = items.len() - errors.len();
    Ok((index, documents, errors))
}

/// Up to this many documents get their own colour and legend line in the picture.
const MAX_LEGEND_DOCUMENTS: usize = 8;

/// Draws the chunks on a PCA picture coloured by document; returns the explained variance.
fn save_plot(index: &VectorIndex, path: &Path) -> crate::Result<[f64; 2]> {
    let documents: Vec<String> = index.documents().map(str::to_string).collect();
    let mut distinct = documents.clone();
    distinct.dedup();
    // One colour per document while a legend can tell them apart; beyond that, one colour.
    let groups = if distinct.len() <= MAX_LEGEND_DOCUMENTS {
        documents
    } else {
        vec![String::new(); documents.len()]
    };
    let labels: Vec<String> = Vec::new();
    let (pca, points) = pca_points(index.vectors(), &groups, &labels)?;
    let explained = pca.explained_variance_ratio();
    let chart = scatter_chart("Chunks by meaning (PCA)", &points, explained);
    let is_png = path
        .extension()
        .is_some_and(|ext| ext.eq_ignore_ascii_case("png"));
    if is_png {
        chart.save_png(path)?;
    } else {
        chart.save(path)?;
    }
    Ok(explained)
}

/// One block per hit: rank, score, document and span, then the passage.
fn print_hits(hits: &[Hit]) {
    if hits.is_empty() {
        println!("no passages: the index is empty");
    }
    for (rank, hit) in hits.iter().enumerate() {
        println!(
            "{}. {:.3}  {} [{}..{}]",
            rank + 1,
            hit.score,
            hit.document,
            hit.span.start,
            hit.span.end
        );
        println!("   {}", hit.text.replace('\n', " "));
    }
}

/// The documents that failed, on stderr.
fn print_errors(errors: &[DocumentError]) {
    if !errors.is_empty() {
        eprintln!("{} documents could not be embedded:", errors.len());
        for error in errors {
            eprintln!("  {}: {}", error.source, error.error);
        }
    }
}
