//! The batch runner: extraction over thousands of documents that loses nothing.
//!
//! A batch over 200,000 patient files runs for days, on a laptop that goes to sleep or a
//! cluster that cancels jobs. So the runner is built to be killed at any moment:
//!
//! 1. **One file per finished document.** Each document's result (or error) is written to
//!    `OUT/documents/<name>.json`: first to a temporary file, flushed to disk (`fsync`),
//!    then *renamed* into place. A rename is atomic: after a kill the file is either
//!    absent or complete, never half-written.
//! 2. **A rerun skips what is done.** At start the runner reads `OUT/documents/` and skips
//!    every document that has a result. Leftover temporary files of a killed run are
//!    deleted. Documents whose record is an *error* are tried again (the cause, such as a
//!    model server that was down, may be gone).
//! 3. **One final join.** Only when all documents have a record are the outputs
//!    (`predictions.jsonl`, `errors.jsonl`, the CSV and the review page) written, from the
//!    records and in input order, each again via a temporary file and a rename. A kill
//!    during the join is harmless: the next run writes them again.
//!
//! No document can appear twice: there is one record file per document id, and the join
//! reads each once. A document that fails (a damaged PDF, a bad JSONL line, a model that
//! answers nonsense) becomes an error record with the reason and the batch goes on; only a
//! failure to *write* results (disk full, no permission) stops the batch, with the path.
//!
//! **Shards.** `--shard i/n` takes the documents whose id hashes to `i` (SHA-256 of the id,
//! first 8 bytes as a number, modulo `n`), so the `n` tasks of a cluster job array cover
//! every document exactly once, whatever order they run in. [`merge`] joins their outputs.
//!
//! ```
//! use clinkit::extract::batch::{run_batch, BatchOptions, RulesExtractor};
//! # let dir = tempfile::tempdir().unwrap();
//! # let input = dir.path().join("letters");
//! std::fs::create_dir(&input).unwrap();
//! std::fs::write(input.join("a.txt"), "Pt. is 67 jaar. LVEF 35%.").unwrap();
//! let out = dir.path().join("out");
//! let options = BatchOptions::new(&out);
//! let summary = run_batch(&input, &options, &|| Ok(Box::new(RulesExtractor)), &|_| {}).unwrap();
//! assert_eq!((summary.ok, summary.errors), (1, 0));
//! // A rerun does nothing new: the document is done.
//! let again = run_batch(&input, &options, &|| Ok(Box::new(RulesExtractor)), &|_| {}).unwrap();
//! assert_eq!((again.done_before, again.processed), (1, 0));
//! ```

use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::data::Document;
use crate::error::{Error, Result};
use crate::extract::grounding::FieldGrounding;
use crate::extract::input::{list_input, InputItem};
use crate::extract::output::{write_outputs, OutputFormats};

/// The folder inside `--out` with one record file per document.
pub const RECORDS_DIR: &str = "documents";
/// The file inside `--out` that says which input and shard the folder belongs to.
pub const RUN_FILE: &str = "run.json";
/// The file inside `--out` with the counts and timings of the finished batch.
pub const SUMMARY_FILE: &str = "summary.json";

/// One part of a batch split into `count` parts: documents whose id hashes to `index`.
///
/// ```
/// use clinkit::extract::batch::Shard;
/// let shard: Shard = "1/4".parse().unwrap();
/// assert_eq!((shard.index, shard.count), (1, 4));
/// assert!("4/4".parse::<Shard>().is_err()); // shards count from 0
/// let owners: usize = (0..4).map(|i| Shard { index: i, count: 4 })
///     .filter(|shard| shard.contains("ref-0001")).count();
/// assert_eq!(owners, 1); // every id belongs to exactly one shard
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    /// Which part, from 0.
    pub index: usize,
    /// How many parts.
    pub count: usize,
}

impl Shard {
    /// The whole input as one shard.
    pub const ALL: Shard = Shard { index: 0, count: 1 };

    /// True when the document with this id belongs to this shard.
    pub fn contains(&self, id: &str) -> bool {
        shard_of(id, self.count) == self.index
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl FromStr for Shard {
    type Err = String;

    fn from_str(text: &str) -> std::result::Result<Self, Self::Err> {
        let usage = || format!("a shard is written i/n with 0 <= i < n, such as 0/4; got `{text}`");
        let (index, count) = text.split_once('/').ok_or_else(usage)?;
        let index: usize = index.trim().parse().map_err(|_| usage())?;
        let count: usize = count.trim().parse().map_err(|_| usage())?;
        if count == 0 || index >= count {
            return Err(usage());
        }
        Ok(Shard { index, count })
    }
}

/// The shard (0 to `count - 1`) a document id belongs to: the first 8 bytes of the id's
/// SHA-256 as a number, modulo `count`. The same on every machine and every run.
///
/// ```
/// assert_eq!(clinkit::extract::batch::shard_of("anything", 1), 0);
/// ```
pub fn shard_of(id: &str, count: usize) -> usize {
    let digest = Sha256::digest(id.as_bytes());
    let first: [u8; 8] = digest[..8].try_into().expect("SHA-256 has 32 bytes");
    (u64::from_be_bytes(first) % count.max(1) as u64) as usize
}

/// What an extractor found in one document, and what it cost.
#[derive(Debug, Clone, PartialEq)]
pub struct Extracted {
    /// The document with its predicted `fields`.
    pub document: Document,
    /// Tokens in the prompts (0 for the rules).
    pub prompt_tokens: usize,
    /// Tokens generated (0 for the rules).
    pub completion_tokens: usize,
    /// For a model: every value it gave with its grounding status, including the values
    /// without evidence (flagged, not in `document.fields`). Empty for the rules.
    pub grounding: Vec<FieldGrounding>,
}

/// Anything that turns one document into predicted fields: the rules, or a language model
/// pipeline. The batch runner gives every worker thread its own extractor.
pub trait Extractor: Send {
    /// A short name for reports, such as `rules`.
    fn name(&self) -> String;
    /// Extracts the fields of one document.
    fn extract(&mut self, document: &Document) -> Result<Extracted>;
}

/// The rules baseline ([`crate::extract::rules::extract`]) as an [`Extractor`].
#[derive(Debug, Clone, Copy, Default)]
pub struct RulesExtractor;

impl Extractor for RulesExtractor {
    fn name(&self) -> String {
        "rules".into()
    }

    fn extract(&mut self, document: &Document) -> Result<Extracted> {
        Ok(Extracted {
            document: crate::extract::rules::extract(document),
            prompt_tokens: 0,
            completion_tokens: 0,
            grounding: Vec::new(),
        })
    }
}

/// The result of one document: what was found, or why it failed, and what it cost.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentRecord {
    /// The document's position in the whole input (outputs keep this order).
    pub index: usize,
    /// The document's id.
    pub id: String,
    /// Where it came from: a path, or `path:line`.
    pub source: String,
    /// The extractor that ran, such as `rules`.
    pub backend: String,
    /// The document with its predicted fields; `None` when it failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<Document>,
    /// Why it failed; `None` when it did not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Wall-clock seconds spent on the document (reading and extracting).
    pub seconds: f64,
    /// Tokens in the prompts.
    pub prompt_tokens: usize,
    /// Tokens generated.
    pub completion_tokens: usize,
    /// Every value a model gave, with its grounding status (see [`Extracted::grounding`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub grounding: Vec<FieldGrounding>,
}

impl DocumentRecord {
    /// True when the document was extracted (not an error record).
    pub fn is_ok(&self) -> bool {
        self.document.is_some()
    }
}

/// Which input and shard an output folder belongs to (`OUT/run.json`), so a rerun with a
/// different input or shard cannot mix results, and `clinkit merge` can check shards.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunInfo {
    /// The input, as given (absolute path).
    pub input: String,
    /// The shard of this run.
    pub shard: Shard,
    /// How many documents the whole input has.
    pub input_documents: usize,
    /// How many of them belong to this shard.
    pub shard_documents: usize,
}

/// Settings of a batch run.
#[derive(Debug, Clone)]
pub struct BatchOptions {
    /// The output folder.
    pub out: PathBuf,
    /// Which part of the input to do.
    pub shard: Shard,
    /// How many documents to work on at the same time.
    pub jobs: usize,
    /// Which output files to write at the end.
    pub formats: OutputFormats,
}

impl BatchOptions {
    /// One shard, one job, all output formats, into `out`.
    pub fn new(out: impl Into<PathBuf>) -> Self {
        BatchOptions {
            out: out.into(),
            shard: Shard::ALL,
            jobs: 1,
            formats: OutputFormats::default(),
        }
    }
}

/// What the progress callback is told after each document.
#[derive(Debug, Clone, PartialEq)]
pub enum Progress {
    /// The batch starts: this many documents to do now (the others were done before).
    Start {
        /// Documents to process in this run.
        todo: usize,
        /// Documents of the shard already done by an earlier run.
        done_before: usize,
    },
    /// One document finished (ok or error).
    Finished {
        /// Its id.
        id: String,
        /// True when it failed.
        failed: bool,
    },
}

/// Counts and timings of a batch, printed at the end and saved as `OUT/summary.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BatchSummary {
    /// The extractor, such as `rules`.
    pub backend: String,
    /// The shard of this run.
    pub shard: Shard,
    /// Documents of the shard.
    pub documents: usize,
    /// Documents done by an earlier run and skipped.
    pub done_before: usize,
    /// Documents processed in this run.
    pub processed: usize,
    /// Documents with a result (this run and earlier).
    pub ok: usize,
    /// Documents that failed (error records).
    pub errors: usize,
    /// Wall-clock seconds of this run.
    pub seconds: f64,
    /// Documents per second in this run.
    pub documents_per_second: f64,
    /// Mean seconds per document over all records.
    pub mean_seconds_per_document: f64,
    /// The slowest document's seconds.
    pub max_seconds_per_document: f64,
    /// Prompt tokens over all records.
    pub prompt_tokens: usize,
    /// Generated tokens over all records.
    pub completion_tokens: usize,
    /// The files written.
    pub outputs: Vec<PathBuf>,
}

/// A function that makes one extractor (called once per worker thread).
pub type MakeExtractor<'a> = dyn Fn() -> Result<Box<dyn Extractor>> + Sync + 'a;

/// Runs extraction over every document of `input` that belongs to `options.shard` and has
/// no result in `options.out` yet, then writes the outputs. See the module text for the
/// guarantees. `progress` is called from the worker threads.
pub fn run_batch(
    input: &Path,
    options: &BatchOptions,
    make_extractor: &MakeExtractor,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<BatchSummary> {
    let started = Instant::now();
    let items = list_input(input)?;
    let input_documents = items.len();
    let mine: Vec<InputItem> = items
        .into_iter()
        .filter(|item| options.shard.contains(&item.id))
        .collect();
    let run = RunInfo {
        input: absolute(input).display().to_string(),
        shard: options.shard,
        input_documents,
        shard_documents: mine.len(),
    };
    prepare_out(&options.out, &run)?;
    let records_dir = options.out.join(RECORDS_DIR);
    let earlier = read_records(&records_dir)?;
    let todo: Vec<&InputItem> = mine
        .iter()
        .filter(|item| !earlier.get(&item.id).is_some_and(DocumentRecord::is_ok))
        .collect();
    let done_before = mine.len() - todo.len();
    progress(Progress::Start {
        todo: todo.len(),
        done_before,
    });
    let backend = process_all(&todo, &records_dir, options.jobs, make_extractor, progress)?;
    let run_seconds = started.elapsed().as_secs_f64();
    let records = read_records(&records_dir)?;
    let mut mine_records: Vec<DocumentRecord> = mine
        .iter()
        .filter_map(|item| records.get(&item.id).cloned())
        .collect();
    mine_records.sort_by_key(|record| record.index);
    let backend = backend
        .or_else(|| mine_records.first().map(|r| r.backend.clone()))
        .unwrap_or_else(|| "none".into());
    let outputs = write_outputs(&mine_records, &options.out, &options.formats)?;
    let summary = summarize(
        &mine_records,
        backend,
        options.shard,
        done_before,
        todo.len(),
        run_seconds,
        outputs,
    );
    write_json_atomically(&options.out.join(SUMMARY_FILE), &summary)?;
    Ok(summary)
}

/// The absolute form of a path (unchanged when that fails).
fn absolute(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

/// Creates the output folder, checks that it belongs to this input and shard (or is new),
/// and deletes temporary files left by a killed run.
fn prepare_out(out: &Path, run: &RunInfo) -> Result<()> {
    let records_dir = out.join(RECORDS_DIR);
    std::fs::create_dir_all(&records_dir).map_err(|e| Error::io(&records_dir, e))?;
    let run_file = out.join(RUN_FILE);
    if run_file.exists() {
        let earlier = read_run_info(out)?;
        if earlier.input != run.input || earlier.shard != run.shard {
            return Err(Error::Refused(format!(
                "{} belongs to another run (input {}, shard {}); this run has input {}, shard {}: use another --out folder",
                out.display(),
                earlier.input,
                earlier.shard,
                run.input,
                run.shard
            )));
        }
    }
    write_json_atomically(&run_file, run)?;
    for entry in std::fs::read_dir(&records_dir).map_err(|e| Error::io(&records_dir, e))? {
        let path = entry.map_err(|e| Error::io(&records_dir, e))?.path();
        if path.extension().is_some_and(|e| e == "tmp") {
            std::fs::remove_file(&path).map_err(|e| Error::io(&path, e))?;
        }
    }
    Ok(())
}

/// Reads `OUT/run.json`.
pub fn read_run_info(out: &Path) -> Result<RunInfo> {
    read_json(&out.join(RUN_FILE))
}

/// Reads a JSON file into a value, with an error naming the file.
fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    serde_json::from_str(&text).map_err(|e| {
        Error::invalid(
            crate::error::Location::file(path).line(e.line()),
            e.to_string(),
        )
    })
}

/// Reads every record of a records folder, by document id. A record file that cannot be
/// read (it cannot be half-written, but a person may have edited it) is an error naming it.
pub fn read_records(records_dir: &Path) -> Result<HashMap<String, DocumentRecord>> {
    let mut records = HashMap::new();
    if !records_dir.exists() {
        return Ok(records);
    }
    for entry in std::fs::read_dir(records_dir).map_err(|e| Error::io(records_dir, e))? {
        let path = entry.map_err(|e| Error::io(records_dir, e))?.path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let record: DocumentRecord = read_json(&path)?;
        if record_file_name(&record.id) != path.file_name().unwrap_or_default().to_string_lossy() {
            return Err(Error::Refused(format!(
                "{}: holds document `{}`, whose record belongs in {}",
                path.display(),
                record.id,
                record_file_name(&record.id)
            )));
        }
        records.insert(record.id.clone(), record);
    }
    Ok(records)
}

/// The record file name of a document id: a readable part (letters, digits, `-`, `_`)
/// and 12 hex digits of the id's SHA-256, so different ids never share a file.
///
/// ```
/// use clinkit::extract::batch::record_file_name;
/// assert!(record_file_name("2024/P 0001").starts_with("2024_P_0001-"));
/// assert_ne!(record_file_name("a/b"), record_file_name("a_b"));
/// ```
pub fn record_file_name(id: &str) -> String {
    let readable: String = id
        .chars()
        .take(60)
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let digest = Sha256::digest(id.as_bytes());
    let hex: String = digest[..6].iter().map(|b| format!("{b:02x}")).collect();
    format!("{readable}-{hex}.json")
}

/// Runs the extractors on `todo` with `jobs` worker threads; each finished document is
/// written at once. Returns the extractor's name (if any document ran).
fn process_all(
    todo: &[&InputItem],
    records_dir: &Path,
    jobs: usize,
    make_extractor: &MakeExtractor,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<Option<String>> {
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let first_error: Mutex<Option<Error>> = Mutex::new(None);
    let name: Mutex<Option<String>> = Mutex::new(None);
    let workers = jobs.clamp(1, todo.len().max(1));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                let result = (|| -> Result<()> {
                    let mut extractor = make_extractor()?;
                    *name.lock().expect("no panics while locked") = Some(extractor.name());
                    while !stop.load(Ordering::SeqCst) {
                        let Some(item) = todo.get(next.fetch_add(1, Ordering::SeqCst)) else {
                            break;
                        };
                        let record = process_one(item, extractor.as_mut());
                        write_record(records_dir, &record)?;
                        progress(Progress::Finished {
                            id: record.id.clone(),
                            failed: !record.is_ok(),
                        });
                    }
                    Ok(())
                })();
                if let Err(error) = result {
                    stop.store(true, Ordering::SeqCst);
                    first_error
                        .lock()
                        .expect("no panics while locked")
                        .get_or_insert(error);
                }
            });
        }
    });
    match first_error.into_inner().expect("no panics while locked") {
        Some(error) => Err(error),
        None => Ok(name.into_inner().expect("no panics while locked")),
    }
}

/// Reads and extracts one document. Any failure, even a panic inside the extractor,
/// becomes an error record with the reason.
pub fn process_one(item: &InputItem, extractor: &mut dyn Extractor) -> DocumentRecord {
    let started = Instant::now();
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let document = item.load()?;
        extractor.extract(&document)
    }));
    let outcome = match outcome {
        Ok(result) => result.map_err(|error| error.to_string()),
        Err(panic) => Err(format!("the extractor crashed: {}", panic_message(&panic))),
    };
    let (document, error, prompt_tokens, completion_tokens, grounding) = match outcome {
        Ok(found) => (
            Some(found.document),
            None,
            found.prompt_tokens,
            found.completion_tokens,
            found.grounding,
        ),
        Err(reason) => (None, Some(reason), 0, 0, Vec::new()),
    };
    DocumentRecord {
        index: item.index,
        id: item.id.clone(),
        source: item.source.describe(),
        backend: extractor.name(),
        document,
        error,
        seconds: started.elapsed().as_secs_f64(),
        prompt_tokens,
        completion_tokens,
        grounding,
    }
}

/// The text of a panic's payload.
fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into())
}

/// Writes one record file atomically (temporary file, fsync, rename, fsync the folder).
pub fn write_record(records_dir: &Path, record: &DocumentRecord) -> Result<()> {
    let path = records_dir.join(record_file_name(&record.id));
    let bytes = serde_json::to_vec(record).expect("a record always serialises");
    write_atomically(&path, &bytes)
}

/// Writes `bytes` to `path` so that after a crash the file is either the old one or the
/// complete new one: write a temporary file next to it, flush it to disk, rename it.
/// On failure (disk full, no permission) the temporary file is removed and the error names
/// the path.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let file_name = path.file_name().unwrap_or_default().to_string_lossy();
    let temporary = path.with_file_name(format!(".{file_name}.{}.tmp", std::process::id()));
    let written = (|| -> std::io::Result<()> {
        let mut file = File::create(&temporary)?;
        file.write_all(bytes)?;
        file.sync_all()
    })();
    if let Err(error) = written {
        let _ = std::fs::remove_file(&temporary);
        return Err(Error::io(path, error));
    }
    std::fs::rename(&temporary, path).map_err(|e| {
        let _ = std::fs::remove_file(&temporary);
        Error::io(path, e)
    })?;
    if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        // Make the rename itself durable (a no-op where folders cannot be opened).
        if let Ok(folder) = File::open(folder) {
            let _ = folder.sync_all();
        }
    }
    Ok(())
}

/// Writes a value as pretty JSON, atomically.
pub fn write_json_atomically(path: &Path, value: &impl Serialize) -> Result<()> {
    let mut bytes = serde_json::to_vec_pretty(value).expect("always serialises");
    bytes.push(b'\n');
    write_atomically(path, &bytes)
}

/// Adds up the records of a batch.
fn summarize(
    records: &[DocumentRecord],
    backend: String,
    shard: Shard,
    done_before: usize,
    processed: usize,
    seconds: f64,
    outputs: Vec<PathBuf>,
) -> BatchSummary {
    let ok = records.iter().filter(|r| r.is_ok()).count();
    let total_seconds: f64 = records.iter().map(|r| r.seconds).sum();
    BatchSummary {
        backend,
        shard,
        documents: records.len(),
        done_before,
        processed,
        ok,
        errors: records.len() - ok,
        seconds,
        documents_per_second: if seconds > 0.0 {
            processed as f64 / seconds
        } else {
            0.0
        },
        mean_seconds_per_document: total_seconds / records.len().max(1) as f64,
        max_seconds_per_document: records.iter().map(|r| r.seconds).fold(0.0, f64::max),
        prompt_tokens: records.iter().map(|r| r.prompt_tokens).sum(),
        completion_tokens: records.iter().map(|r| r.completion_tokens).sum(),
        outputs,
    }
}

/// What [`merge`] found and wrote.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MergeSummary {
    /// How many shards were joined.
    pub shards: usize,
    /// Documents in the joined output.
    pub documents: usize,
    /// Of which with a result.
    pub ok: usize,
    /// Of which error records.
    pub errors: usize,
    /// Prompt tokens over all documents.
    pub prompt_tokens: usize,
    /// Generated tokens over all documents.
    pub completion_tokens: usize,
    /// The files written.
    pub outputs: Vec<PathBuf>,
}

/// Joins the output folders of the shards `0/n` ... `(n-1)/n` of one input into `out`, with
/// the same files a single run writes (byte for byte the same outputs).
///
/// Refuses, naming the folders, when shards come from different inputs, a shard is
/// missing or given twice, a shard is unfinished (documents without a record), or one
/// document appears in two shards.
pub fn merge(shard_dirs: &[PathBuf], out: &Path, formats: &OutputFormats) -> Result<MergeSummary> {
    let shards = check_shards(shard_dirs)?;
    let mut by_id: BTreeMap<String, (DocumentRecord, &Path)> = BTreeMap::new();
    for (dir, run) in shard_dirs.iter().zip(&shards) {
        let records = read_records(&dir.join(RECORDS_DIR))?;
        let finished = records.len();
        if finished < run.shard_documents {
            return Err(Error::Refused(format!(
                "shard {} ({}) is unfinished: {finished} of {} documents have a record; rerun it (same command) before merging",
                run.shard,
                dir.display(),
                run.shard_documents
            )));
        }
        for (id, record) in records {
            if let Some((_, other)) = by_id.get(&id) {
                return Err(Error::Refused(format!(
                    "document `{id}` is in two shards: {} and {}",
                    other.display(),
                    dir.display()
                )));
            }
            by_id.insert(id, (record, dir.as_path()));
        }
    }
    let mut records: Vec<DocumentRecord> = by_id.into_values().map(|(record, _)| record).collect();
    records.sort_by_key(|record| record.index);
    std::fs::create_dir_all(out).map_err(|e| Error::io(out, e))?;
    let outputs = write_outputs(&records, out, formats)?;
    let ok = records.iter().filter(|r| r.is_ok()).count();
    let summary = MergeSummary {
        shards: shards.len(),
        documents: records.len(),
        ok,
        errors: records.len() - ok,
        prompt_tokens: records.iter().map(|r| r.prompt_tokens).sum(),
        completion_tokens: records.iter().map(|r| r.completion_tokens).sum(),
        outputs,
    };
    write_json_atomically(&out.join(SUMMARY_FILE), &summary)?;
    Ok(summary)
}

/// Reads each shard folder's `run.json` and checks that together they are shards 0 to
/// n-1 of one input, each once.
fn check_shards(shard_dirs: &[PathBuf]) -> Result<Vec<RunInfo>> {
    let first_dir = shard_dirs
        .first()
        .ok_or_else(|| Error::Refused("give the output folders of the shards to merge".into()))?;
    let runs: Vec<RunInfo> = shard_dirs
        .iter()
        .map(|dir| read_run_info(dir))
        .collect::<Result<_>>()?;
    let first = &runs[0];
    let count = first.shard.count;
    let mut seen: Vec<Option<&Path>> = vec![None; count];
    for (dir, run) in shard_dirs.iter().zip(&runs) {
        if run.input != first.input || run.shard.count != count {
            return Err(Error::Refused(format!(
                "{} is shard {} of {}, but {} is shard {} of {}: they are not parts of one run",
                dir.display(),
                run.shard,
                run.input,
                first_dir.display(),
                first.shard,
                first.input
            )));
        }
        if let Some(other) = seen[run.shard.index].replace(dir) {
            return Err(Error::Refused(format!(
                "shard {} is given twice: {} and {}",
                run.shard,
                other.display(),
                dir.display()
            )));
        }
    }
    let missing: Vec<String> = (0..count)
        .filter(|&index| seen[index].is_none())
        .map(|index| format!("{index}/{count}"))
        .collect();
    if !missing.is_empty() {
        return Err(Error::Refused(format!(
            "missing shards: {} (of {count}); run them before merging",
            missing.join(", ")
        )));
    }
    Ok(runs)
}
