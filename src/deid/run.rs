//! De-identifying whole files and folders: what `clinkit deid` does.
//!
//! For every input JSONL file two files are written:
//!
//! - `NAME.phi.jsonl`: the **original** documents with the predicted `phi` spans (and no
//!   `fields`), to score detection with `clinkit eval --phi --gold NAME.jsonl --pred
//!   NAME.phi.jsonl`. It still holds all PHI: it never leaves the hospital;
//! - `NAME.deid.jsonl`: the de-identified documents (new text, `phi` spans on the
//!   replacements, `fields` and `parts` spans moved to the new text).
//!
//! One [`Deidentifier`] handles all files of a run, so a patient whose documents are
//! spread over several files still gets one surrogate per person and one date shift.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::data::{read_jsonl_lines, write_jsonl, Document};
use crate::deid::detector::detect;
use crate::deid::key::Key;
use crate::deid::mapping::Mapping;
use crate::deid::replace::{Deidentifier, Mode};
use crate::error::{Error, Location, Result};

/// What to de-identify, how, and where to write it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunOptions {
    /// A JSONL file, or a folder whose `*.jsonl` files are all read (not recursively).
    pub input: PathBuf,
    /// A folder for the output files, or (when `input` is one file) a `.jsonl` file
    /// name for the predictions; the de-identified file then gets `.deid.jsonl`.
    pub out: PathBuf,
    /// How to replace PHI.
    pub mode: Mode,
    /// The secret key file (created when missing); needed to pseudonymise or to write a
    /// mapping.
    pub key_file: Option<PathBuf>,
    /// Where to write the reversible mapping file, if wanted.
    pub mapping: Option<PathBuf>,
}

/// What one input file gave.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileSummary {
    /// The input file.
    pub input: PathBuf,
    /// The original documents with predicted `phi` spans.
    pub predictions: PathBuf,
    /// The de-identified documents.
    pub deidentified: PathBuf,
    /// How many documents.
    pub documents: usize,
    /// How many characters of text.
    pub characters: usize,
    /// PHI spans found, per type.
    pub phi: BTreeMap<String, usize>,
}

/// What a run did, for the terminal or `--json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunSummary {
    /// The mode used.
    pub mode: Mode,
    /// One entry per input file.
    pub files: Vec<FileSummary>,
    /// The mapping file, if one was written.
    pub mapping: Option<PathBuf>,
    /// The key file, if one was used.
    pub key_file: Option<PathBuf>,
    /// Whether the key file was created by this run.
    pub key_created: bool,
    /// The fingerprint of the key, if any.
    pub key_fingerprint: Option<String>,
    /// Seconds the run took.
    pub seconds: f64,
}

impl RunSummary {
    /// A short text report: files, documents and PHI per type (what `clinkit deid` prints).
    ///
    /// ```
    /// use clinkit::deid::{Mode, RunSummary};
    /// let summary = RunSummary {
    ///     mode: Mode::Tag, files: vec![], mapping: None, key_file: None,
    ///     key_created: false, key_fingerprint: None, seconds: 0.5,
    /// };
    /// assert_eq!(summary.render_text(), "mode tag, 0.5 s\n");
    /// ```
    pub fn render_text(&self) -> String {
        let mut out = String::new();
        for file in &self.files {
            out.push_str(&format!(
                "{}: {} documents, {} characters\n  wrote {}\n  wrote {}\n",
                file.input.display(),
                file.documents,
                file.characters,
                file.predictions.display(),
                file.deidentified.display()
            ));
            let found: Vec<String> = file.phi.iter().map(|(k, n)| format!("{k} {n}")).collect();
            out.push_str(&format!("  PHI found: {}\n", found.join(", ")));
        }
        if let Some(mapping) = &self.mapping {
            out.push_str(&format!("mapping: {}\n", mapping.display()));
        }
        let documents: usize = self.files.iter().map(|f| f.documents).sum();
        let characters: usize = self.files.iter().map(|f| f.characters).sum();
        let seconds = self.seconds.max(1e-9);
        if documents > 0 {
            out.push_str(&format!(
                "{documents} documents in {:.1} s: {:.1} documents/s, {:.2} million characters/s\n",
                self.seconds,
                documents as f64 / seconds,
                characters as f64 / seconds / 1e6
            ));
        }
        out.push_str(&format!("mode {}, {:.1} s\n", self.mode, self.seconds));
        out
    }
}

/// De-identifies a file or a folder of JSONL files (see the [module documentation](self)).
/// Stops at the first bad input line with an error that names the file, line and field.
///
/// ```
/// use clinkit::deid::{run, Mode, RunOptions};
/// let dir = tempfile::tempdir().unwrap();
/// let input = dir.path().join("letters.jsonl");
/// std::fs::write(&input, r#"{"id": "a", "lang": "nl", "kind": "referral", "text": "Mw. J. de Vries, 06-12345678."}"#).unwrap();
/// let options = RunOptions {
///     input, out: dir.path().join("out"), mode: Mode::Tag, key_file: None, mapping: None,
/// };
/// let summary = run(&options).unwrap();
/// let written = std::fs::read_to_string(&summary.files[0].deidentified).unwrap();
/// assert!(written.contains("Mw. [NAME-1], [PHONE-1]."), "{written}");
/// ```
pub fn run(options: &RunOptions) -> Result<RunSummary> {
    let started = std::time::Instant::now();
    let inputs = input_files(&options.input)?;
    let needs_key = options.mode == Mode::Pseudonymise || options.mapping.is_some();
    let (key, key_created) = match &options.key_file {
        Some(path) => {
            let (key, created) = Key::load_or_create(path)?;
            (Some(key), created)
        }
        None if needs_key => {
            return Err(Error::Refused(format!(
            "{} needs a secret key: give --key-file FILE (it is created when it does not exist)",
            if options.mode == Mode::Pseudonymise {
                "pseudonymising"
            } else {
                "writing a mapping file"
            }
        )))
        }
        None => (None, false),
    };
    let mut deidentifier = Deidentifier::new(options.mode, key.clone())?;
    let mut mapping = key.as_ref().map(|key| Mapping::new(options.mode, key));
    let single_file_out = inputs.len() == 1
        && options.input.is_file()
        && options.out.extension().is_some_and(|e| e == "jsonl");
    let mut files = Vec::new();
    for input in inputs {
        let (predictions_path, deidentified_path) = if single_file_out {
            let stem = options.out.with_extension("");
            (options.out.clone(), stem.with_extension("deid.jsonl"))
        } else {
            let stem = input
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| "documents".into());
            (
                options.out.join(format!("{stem}.phi.jsonl")),
                options.out.join(format!("{stem}.deid.jsonl")),
            )
        };
        if predictions_path == input || deidentified_path == input {
            return Err(Error::Refused(format!(
                "the output {} would overwrite the input; choose another --out",
                input.display()
            )));
        }
        let mut predictions: Vec<Document> = Vec::new();
        let mut deidentified: Vec<Document> = Vec::new();
        let mut phi_counts: BTreeMap<String, usize> = BTreeMap::new();
        let mut characters = 0;
        for (_, document) in read_jsonl_lines(&input)? {
            let document = document?;
            characters += document.char_len();
            let phi = detect(&document.text, document.lang);
            for span in &phi {
                *phi_counts
                    .entry(span.kind.as_str().to_string())
                    .or_default() += 1;
            }
            let done = deidentifier.apply(&document, &phi);
            if let (Some(mapping), Some(key)) = (&mut mapping, &key) {
                mapping.add(key, &document, &done);
            }
            let mut prediction = document;
            prediction.fields.clear();
            prediction.phi = phi;
            predictions.push(prediction);
            deidentified.push(done.document);
        }
        write_jsonl(&predictions_path, &predictions)?;
        write_jsonl(&deidentified_path, &deidentified)?;
        files.push(FileSummary {
            input,
            predictions: predictions_path,
            deidentified: deidentified_path,
            documents: predictions.len(),
            characters,
            phi: phi_counts,
        });
    }
    let mapping_path = match (&options.mapping, &mapping) {
        (Some(path), Some(mapping)) => {
            mapping.save(path)?;
            Some(path.clone())
        }
        _ => None,
    };
    Ok(RunSummary {
        mode: options.mode,
        files,
        mapping: mapping_path,
        key_file: options.key_file.clone(),
        key_created,
        key_fingerprint: key.as_ref().map(Key::fingerprint),
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// The JSONL files to read: the file itself, or the `*.jsonl` files of a folder (sorted,
/// without the `.phi.jsonl` and `.deid.jsonl` files of an earlier run).
fn input_files(input: &Path) -> Result<Vec<PathBuf>> {
    if input.is_file() {
        return Ok(vec![input.to_path_buf()]);
    }
    if !input.is_dir() {
        return Err(Error::invalid(
            Location::file(input),
            "no such file or folder",
        ));
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(input)
        .map_err(|e| Error::io(input, e))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            name.ends_with(".jsonl")
                && !name.ends_with(".phi.jsonl")
                && !name.ends_with(".deid.jsonl")
        })
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(Error::invalid(
            Location::file(input),
            "the folder holds no .jsonl files",
        ));
    }
    Ok(files)
}
