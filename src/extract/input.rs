//! Where a batch's documents come from: a folder of files, a CSV, or a JSONL file.
//!
//! A batch first *lists* its input (cheap: names and positions, not the texts), so it knows
//! how many documents there are and which ones a shard or an earlier run already did. Each
//! worker then *loads* one document at a time, so a 100 GB input never sits in memory.
//!
//! - a folder: every `.txt`, `.md`, `.pdf` (its text layer) and `.docx` file in it and its
//!   subfolders, sorted by path; a document's id is its path inside the folder without the
//!   extension (`2024/P0001.pdf` gives `2024/P0001`);
//! - a CSV file with a header row and the columns `id` and `text` (and optionally `lang`);
//! - a JSONL file of [`Document`]s, as `clinkit synth` writes them.
//!
//! ```
//! # let dir = tempfile::tempdir().unwrap();
//! std::fs::write(dir.path().join("a.txt"), "Geen diabetes. Pt. is 67 jaar.").unwrap();
//! std::fs::write(dir.path().join("b.md"), "No diabetes, the patient is 67 years old.").unwrap();
//! let items = clinkit::extract::input::list_input(dir.path()).unwrap();
//! let ids: Vec<&str> = items.iter().map(|item| item.id.as_str()).collect();
//! assert_eq!(ids, ["a", "b"]);
//! let letter = items[0].load().unwrap();
//! assert_eq!(letter.lang, clinkit::data::Lang::Nl);
//! ```

use std::collections::HashMap;
use std::fs::File;
#[cfg(feature = "documents")]
use std::io::Read;
use std::io::{BufRead, BufReader, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::data::{parse_jsonl_line, Document, Lang};
use crate::error::{Error, Location, Result};

/// The file extensions a folder input reads.
pub const FOLDER_EXTENSIONS: [&str; 4] = ["txt", "md", "pdf", "docx"];

/// One document of the input, listed but not yet read.
#[derive(Debug, Clone, PartialEq)]
pub struct InputItem {
    /// The document's position in the whole input (0, 1, 2...): outputs keep this order.
    pub index: usize,
    /// The document's id: unique within the input.
    pub id: String,
    /// Where its text is.
    pub source: Source,
}

/// Where one document's text is.
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    /// A whole file of a folder input (`.txt`, `.md`, `.pdf`, `.docx`).
    File(PathBuf),
    /// One line of a JSONL file, starting at byte `offset`.
    JsonlLine {
        /// The JSONL file.
        path: PathBuf,
        /// The line number, from 1.
        line: usize,
        /// Where the line starts in the file, in bytes.
        offset: u64,
    },
    /// A row of a CSV file (CSV files are read whole while listing).
    CsvRow {
        /// The CSV file.
        path: PathBuf,
        /// The line number of the row, from 1 (the header is line 1).
        line: usize,
        /// The text column.
        text: String,
        /// The `lang` column, if the file has one.
        lang: Option<String>,
    },
    /// A part of the input that could not even be listed properly (such as a JSONL line
    /// that is not JSON): it becomes an error record with this reason.
    Broken(String),
}

impl Source {
    /// Where the document came from, for error records: a path, or `path:line`.
    pub fn describe(&self) -> String {
        match self {
            Source::File(path) => path.display().to_string(),
            Source::JsonlLine { path, line, .. } | Source::CsvRow { path, line, .. } => {
                format!("{}:{line}", path.display())
            }
            Source::Broken(reason) => reason.clone(),
        }
    }
}

impl InputItem {
    /// Reads the document's text (and, from JSONL, its labels are dropped: a prediction
    /// starts empty). A file that cannot be read gives an error naming it.
    pub fn load(&self) -> Result<Document> {
        match &self.source {
            Source::File(path) => {
                let text = read_file_text(path)?;
                Ok(Document::new(&self.id, guess_lang(&text), "document", text))
            }
            Source::JsonlLine { path, line, offset } => {
                let text = read_line_at(path, *offset)?;
                let document = parse_jsonl_line(&text, Location::file(path).line(*line))?;
                Ok(Document {
                    fields: Default::default(),
                    phi: Vec::new(),
                    ..document
                })
            }
            Source::CsvRow {
                path,
                line,
                text,
                lang,
            } => {
                let lang = match lang.as_deref().map(str::trim) {
                    None | Some("") => guess_lang(text),
                    Some("nl") => Lang::Nl,
                    Some("en") => Lang::En,
                    Some(other) => {
                        return Err(Error::invalid(
                            Location::file(path).line(*line).field("lang"),
                            format!("unknown language `{other}`; use nl or en"),
                        ))
                    }
                };
                Ok(Document::new(&self.id, lang, "document", text.clone()))
            }
            Source::Broken(reason) => Err(Error::Refused(reason.clone())),
        }
    }
}

/// Lists the documents of `input`: a folder, a `.csv` file or a `.jsonl` file.
///
/// Fails when the input does not exist, has an unknown kind, or two documents share an id
/// (resuming and sharding need unique ids). A single bad document does not fail the
/// listing: it is listed with [`Source::Broken`] or fails later when loaded.
pub fn list_input(input: &Path) -> Result<Vec<InputItem>> {
    let metadata = std::fs::metadata(input).map_err(|e| Error::io(input, e))?;
    let items = if metadata.is_dir() {
        list_folder(input)?
    } else {
        match extension(input).as_str() {
            "jsonl" | "ndjson" => list_jsonl(input)?,
            "csv" => list_csv(input)?,
            other => {
                return Err(Error::invalid(
                    Location::file(input),
                    format!("cannot read a `.{other}` file as a batch input; give a folder, a .csv or a .jsonl file"),
                ))
            }
        }
    };
    check_unique_ids(&items)?;
    Ok(items)
}

/// The lowercase extension of a path, or an empty text.
fn extension(path: &Path) -> String {
    path.extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default()
}

/// Fails when two items share an id, naming both places.
fn check_unique_ids(items: &[InputItem]) -> Result<()> {
    let mut seen: HashMap<&str, &InputItem> = HashMap::new();
    for item in items {
        if let Some(first) = seen.insert(&item.id, item) {
            return Err(Error::Refused(format!(
                "{}: duplicate document id `{}` (also at {}); every document needs its own id",
                item.source.describe(),
                item.id,
                first.source.describe()
            )));
        }
    }
    Ok(())
}

/// Every readable file under `folder`, sorted by path; ids are relative paths without extension.
fn list_folder(folder: &Path) -> Result<Vec<InputItem>> {
    let mut files = Vec::new();
    collect_files(folder, &mut files)?;
    files.sort();
    Ok(files
        .into_iter()
        .enumerate()
        .map(|(index, path)| {
            let relative = path
                .strip_prefix(folder)
                .unwrap_or(&path)
                .with_extension("");
            let id = relative
                .components()
                .map(|part| part.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            InputItem {
                index,
                id,
                source: Source::File(path),
            }
        })
        .collect())
}

/// Adds the files with a readable extension under `folder` to `files` (hidden ones skipped).
fn collect_files(folder: &Path, files: &mut Vec<PathBuf>) -> Result<()> {
    for entry in std::fs::read_dir(folder).map_err(|e| Error::io(folder, e))? {
        let path = entry.map_err(|e| Error::io(folder, e))?.path();
        let hidden = path
            .file_name()
            .is_some_and(|name| name.to_string_lossy().starts_with('.'));
        if hidden {
            continue;
        }
        if path.is_dir() {
            collect_files(&path, files)?;
        } else if FOLDER_EXTENSIONS.contains(&extension(&path).as_str()) {
            files.push(path);
        }
    }
    Ok(())
}

/// Just the id of a JSONL line, read without keeping the (possibly long) text.
#[derive(Deserialize)]
struct IdOnly {
    id: String,
}

/// One item per non-empty line of a JSONL file, with the byte offset of the line.
fn list_jsonl(path: &Path) -> Result<Vec<InputItem>> {
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    let mut reader = BufReader::new(file);
    let mut items = Vec::new();
    let mut offset = 0u64;
    let mut line = Vec::new();
    for line_number in 1.. {
        line.clear();
        let read = reader
            .read_until(b'\n', &mut line)
            .map_err(|e| Error::io(path, e))?;
        if read == 0 {
            break;
        }
        let start = offset;
        offset += read as u64;
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let (id, source) = match serde_json::from_slice::<IdOnly>(&line) {
            Ok(IdOnly { id }) => (
                id,
                Source::JsonlLine {
                    path: path.to_path_buf(),
                    line: line_number,
                    offset: start,
                },
            ),
            Err(e) => (
                format!("line-{line_number}"),
                Source::Broken(format!(
                    "{}:{line_number}: not a document with an `id`: {e}",
                    path.display()
                )),
            ),
        };
        items.push(InputItem {
            index: items.len(),
            id,
            source,
        });
    }
    Ok(items)
}

/// Reads one line of a file, starting at byte `offset`.
fn read_line_at(path: &Path, offset: u64) -> Result<String> {
    let mut file = File::open(path).map_err(|e| Error::io(path, e))?;
    file.seek(SeekFrom::Start(offset))
        .map_err(|e| Error::io(path, e))?;
    let mut line = String::new();
    BufReader::new(file)
        .read_line(&mut line)
        .map_err(|e| Error::io(path, e))?;
    Ok(line)
}

/// One item per row of a CSV file with the columns `id` and `text` (and maybe `lang`).
fn list_csv(path: &Path) -> Result<Vec<InputItem>> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(path)
        .map_err(|e| Error::invalid(Location::file(path), e.to_string()))?;
    let headers = reader
        .headers()
        .map_err(|e| Error::invalid(Location::file(path).line(1), e.to_string()))?
        .clone();
    let column = |name: &str| headers.iter().position(|header| header.trim() == name);
    let missing = |name: &str| {
        Error::invalid(
            Location::file(path).line(1).field(name),
            format!(
                "the CSV needs a column `{name}` (its header has: {})",
                headers.iter().collect::<Vec<_>>().join(", ")
            ),
        )
    };
    let id_column = column("id").ok_or_else(|| missing("id"))?;
    let text_column = column("text").ok_or_else(|| missing("text"))?;
    let lang_column = column("lang");
    let mut items = Vec::new();
    for row in reader.records() {
        let index = items.len();
        let item = match row {
            Ok(row) => {
                let line = row.position().map_or(index + 2, |p| p.line() as usize);
                match (row.get(id_column), row.get(text_column)) {
                    (Some(id), Some(text)) if !id.trim().is_empty() => InputItem {
                        index,
                        id: id.trim().to_string(),
                        source: Source::CsvRow {
                            path: path.to_path_buf(),
                            line,
                            text: text.to_string(),
                            lang: lang_column.and_then(|c| row.get(c)).map(str::to_string),
                        },
                    },
                    _ => broken_row(path, line, "the row has no `id` or no `text`"),
                }
            }
            Err(e) => {
                let line = e.position().map_or(index + 2, |p| p.line() as usize);
                broken_row(path, line, &e.to_string())
            }
        };
        items.push(InputItem { index, ..item });
    }
    Ok(items)
}

/// An item for a CSV row that cannot be read.
fn broken_row(path: &Path, line: usize, reason: &str) -> InputItem {
    InputItem {
        index: 0,
        id: format!("line-{line}"),
        source: Source::Broken(format!("{}:{line}: {reason}", path.display())),
    }
}

/// The text of a `.txt`, `.md`, `.pdf` or `.docx` file.
pub fn read_file_text(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let at = Location::file(path);
    match extension(path).as_str() {
        "pdf" => pdf_text(&bytes, at),
        "docx" => docx_text(&bytes, at),
        _ => String::from_utf8(bytes).map_err(|e| {
            Error::invalid(
                at,
                format!(
                    "not UTF-8 text (byte {} is invalid); save the file as UTF-8",
                    e.utf8_error().valid_up_to()
                ),
            )
        }),
    }
}

#[cfg(feature = "documents")]
fn pdf_text(bytes: &[u8], at: Location) -> Result<String> {
    // pdf-extract panics on some damaged files: a panic becomes an error for this file only.
    let result = std::panic::catch_unwind(|| pdf_extract::extract_text_from_mem(bytes));
    match result {
        Ok(Ok(text)) if !text.trim().is_empty() => Ok(text),
        Ok(Ok(_)) => Err(Error::invalid(
            at,
            "the PDF has no text layer (a scan?); run OCR first",
        )),
        Ok(Err(e)) => Err(Error::invalid(at, format!("cannot read the PDF: {e}"))),
        Err(_) => Err(Error::invalid(
            at,
            "cannot read the PDF: the file is damaged",
        )),
    }
}

#[cfg(not(feature = "documents"))]
fn pdf_text(_bytes: &[u8], at: Location) -> Result<String> {
    Err(Error::invalid(
        at,
        "reading .pdf files needs clinkit's `documents` feature",
    ))
}

#[cfg(feature = "documents")]
fn docx_text(bytes: &[u8], at: Location) -> Result<String> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| Error::invalid(at.clone(), format!("not a .docx (zip) file: {e}")))?;
    let mut xml = String::new();
    archive
        .by_name("word/document.xml")
        .map_err(|e| Error::invalid(at.clone(), format!("no word/document.xml inside: {e}")))?
        .read_to_string(&mut xml)
        .map_err(|e| Error::invalid(at, format!("cannot read word/document.xml: {e}")))?;
    Ok(docx_xml_text(&xml))
}

#[cfg(not(feature = "documents"))]
fn docx_text(_bytes: &[u8], at: Location) -> Result<String> {
    Err(Error::invalid(
        at,
        "reading .docx files needs clinkit's `documents` feature",
    ))
}

/// The text of a Word document's `word/document.xml`: the text runs (`<w:t>`), a line
/// break after each paragraph (`</w:p>`) and at `<w:br/>`, a tab at `<w:tab/>`.
///
/// ```
/// let xml = r#"<w:body><w:p><w:r><w:t>LVEF 35%</w:t></w:r></w:p><w:p><w:r><w:t xml:space="preserve">Geen &amp; DM</w:t></w:r></w:p></w:body>"#;
/// assert_eq!(clinkit::extract::input::docx_xml_text(xml), "LVEF 35%\nGeen & DM\n");
/// ```
pub fn docx_xml_text(xml: &str) -> String {
    let mut text = String::new();
    let mut rest = xml;
    let mut in_text_run = false;
    while let Some(open) = rest.find('<') {
        if in_text_run {
            text.push_str(&decode_entities(&rest[..open]));
        }
        let Some(close) = rest[open..].find('>') else {
            break;
        };
        let tag = &rest[open + 1..open + close];
        let name = tag
            .trim_start_matches('/')
            .split(|c: char| c.is_whitespace() || c == '/')
            .next()
            .unwrap_or("");
        match (name, tag.starts_with('/'), tag.ends_with('/')) {
            ("w:t", false, false) => in_text_run = true,
            ("w:t", true, _) => in_text_run = false,
            ("w:p", true, _) => text.push('\n'),
            ("w:br" | "w:cr", _, _) => text.push('\n'),
            ("w:tab", false, true) => text.push('\t'),
            _ => {}
        }
        rest = &rest[open + close + 1..];
    }
    text
}

/// Replaces the XML entities `&amp;` `&lt;` `&gt;` `&quot;` `&apos;` and `&#NN;` / `&#xNN;`.
fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let Some(semi) = after.find(';').filter(|&semi| semi <= 8) else {
            out.push('&');
            rest = after;
            continue;
        };
        let entity = &after[..semi];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity
                .strip_prefix("#x")
                .map(|hex| u32::from_str_radix(hex, 16))
                .or_else(|| entity.strip_prefix('#').map(str::parse))
                .and_then(|code| code.ok())
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &after[semi + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Dutch or English, by counting common short words of each language (the text of a file
/// does not say its language). Ties and texts without such words count as Dutch.
///
/// ```
/// use clinkit::data::Lang;
/// use clinkit::extract::input::guess_lang;
/// assert_eq!(guess_lang("De patiënt heeft geen klachten van dyspneu."), Lang::Nl);
/// assert_eq!(guess_lang("The patient has no complaints of dyspnoea."), Lang::En);
/// ```
pub fn guess_lang(text: &str) -> Lang {
    const DUTCH: [&str; 12] = [
        "de", "het", "een", "van", "en", "is", "geen", "met", "bij", "voor", "niet", "heeft",
    ];
    const ENGLISH: [&str; 12] = [
        "the", "a", "an", "of", "and", "is", "no", "with", "for", "not", "has", "was",
    ];
    let (mut dutch, mut english) = (0, 0);
    for word in text
        .split(|c: char| !c.is_alphabetic())
        .filter(|word| !word.is_empty())
        .take(2000)
    {
        let word = word.to_lowercase();
        dutch += usize::from(DUTCH.contains(&word.as_str()));
        english += usize::from(ENGLISH.contains(&word.as_str()));
    }
    if english > dutch {
        Lang::En
    } else {
        Lang::Nl
    }
}
