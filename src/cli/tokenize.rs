//! `clinkit tokenize`: show how a model's tokenizer cuts a file, and count the tokens.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::data::{self, Document, Lang};
use crate::error::{Error, Result};
use crate::tokenize::bpe::Bpe;
use crate::tokenize::{HfTokenizer, TextTokenizer, Token, TokenCounts, Tokens};

/// Arguments of `clinkit tokenize`.
#[derive(Debug, clap::Args)]
#[command(group(
    clap::ArgGroup::new("source")
        .required(true)
        .args(["tokenizer", "gguf", "model", "bpe"])
))]
pub struct TokenizeArgs {
    /// A text file, or a JSONL file of documents (one per line, as `clinkit synth` writes).
    pub file: PathBuf,
    /// A Hugging Face `tokenizer.json` file.
    #[arg(long, value_name = "PATH")]
    pub tokenizer: Option<PathBuf>,
    /// A GGUF model file: its built-in tokenizer is used (no other file needed).
    #[arg(long, value_name = "PATH")]
    pub gguf: Option<PathBuf>,
    /// A model clinkit knows by name (see `clinkit models list`).
    #[arg(long, value_name = "NAME")]
    pub model: Option<String>,
    /// A BPE tokenizer trained and saved with clinkit (`Bpe::save`).
    #[arg(long, value_name = "PATH")]
    pub bpe: Option<PathBuf>,
    /// Check every document against a context window of this many tokens.
    #[arg(long, value_name = "TOKENS")]
    pub window: Option<usize>,
    /// Do not add the model's special tokens (such as `<bos>`) around each text.
    #[arg(long)]
    pub no_special: bool,
    /// Print only the counts, not the tokens.
    #[arg(long)]
    pub counts_only: bool,
    /// Print the result as one JSON document.
    #[arg(long)]
    pub json: bool,
}

/// One document in the JSON output: its count and (unless `--counts-only`) its tokens.
#[derive(Serialize)]
struct DocumentOutput<'a> {
    id: &'a str,
    chars: usize,
    tokens: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    fits: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pieces: Option<Vec<Token>>,
}

#[derive(Serialize)]
struct Output<'a> {
    file: String,
    tokenizer: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    window: Option<usize>,
    total_tokens: usize,
    total_chars: usize,
    documents: Vec<DocumentOutput<'a>>,
}

/// Runs `clinkit tokenize`.
pub fn run(args: TokenizeArgs) -> Result<()> {
    let documents = read_documents(&args.file)?;
    let tokenizer = load_tokenizer(&args)?;
    let counts = TokenCounts::of(tokenizer.as_ref(), &documents, args.window)?;
    let tokens = if args.counts_only {
        Vec::new()
    } else {
        documents
            .iter()
            .map(|document| tokenizer.tokenize(&document.text))
            .collect::<Result<Vec<_>>>()?
    };
    if args.json {
        let output = Output {
            file: args.file.display().to_string(),
            tokenizer: &counts.tokenizer,
            window: counts.window,
            total_tokens: counts.total_tokens(),
            total_chars: counts.total_chars(),
            documents: counts
                .documents
                .iter()
                .enumerate()
                .map(|(i, count)| DocumentOutput {
                    id: &count.id,
                    chars: count.chars,
                    tokens: count.tokens,
                    fits: count.fits,
                    pieces: tokens.get(i).map(|t| t.tokens().to_vec()),
                })
                .collect(),
        };
        return super::print_json(&output);
    }
    match print_text(&documents, &tokens, &counts) {
        // `clinkit tokenize ... | head` closes the pipe early: not an error.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Error::Refused(format!("cannot write to stdout: {e}"))),
        Ok(()) => Ok(()),
    }
}

/// Each document's tokens (`[Geen][ diabetes]`), then the table of counts.
fn print_text(
    documents: &[Document],
    tokens: &[Tokens],
    counts: &TokenCounts,
) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    for (document, tokens) in documents.iter().zip(tokens) {
        writeln!(out, "== {} ({} tokens)", document.id, tokens.len())?;
        writeln!(out, "{tokens}")?;
    }
    write!(out, "{counts}")?;
    out.flush()
}

/// A JSONL file's documents, or a text file as one document named after the file.
fn read_documents(path: &Path) -> Result<Vec<Document>> {
    if path.extension().is_some_and(|ext| ext == "jsonl") {
        return data::read_jsonl(path);
    }
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    let id = path
        .file_name()
        .map_or_else(|| "text".to_string(), |n| n.to_string_lossy().into_owned());
    Ok(vec![Document::new(id, Lang::Nl, "text", text)])
}

fn load_tokenizer(args: &TokenizeArgs) -> Result<Box<dyn TextTokenizer>> {
    let hf = if let Some(path) = &args.tokenizer {
        HfTokenizer::from_file(path)?
    } else if let Some(path) = &args.gguf {
        HfTokenizer::from_gguf(path)?
    } else if let Some(name) = &args.model {
        HfTokenizer::for_model(name)?
    } else if let Some(path) = &args.bpe {
        return Ok(Box::new(Bpe::load(path)?));
    } else {
        unreachable!("clap requires one tokenizer source");
    };
    Ok(Box::new(hf.add_special(!args.no_special)))
}
