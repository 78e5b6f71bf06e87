//! Reading and writing JSONL files, one [`Document`] per line.

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::Path;

use crate::data::Document;
use crate::error::{Error, Location, Result};
use crate::text::{char_len, Span};

/// Reads every document of a JSONL file. Stops at the first bad line with an error
/// that names the file, the line and the field.
///
/// Empty lines are skipped. Spans are checked: each must lie inside the document's text.
///
/// ```
/// # let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("bad.jsonl");
/// std::fs::write(&path, "{\"id\": \"a\", \"lang\": \"xx\", \"kind\": \"referral\", \"text\": \"\"}\n").unwrap();
/// let error = clinkit::data::read_jsonl(&path).unwrap_err().to_string();
/// assert!(error.contains("bad.jsonl:1: field `lang`"), "{error}");
/// ```
pub fn read_jsonl(path: &Path) -> Result<Vec<Document>> {
    read_jsonl_lines(path)?
        .map(|(_, document)| document)
        .collect()
}

/// Reads a JSONL file one line at a time: gives `(line number, document or error)` for
/// every non-empty line, so a batch job can report a bad line and go on with the rest.
///
/// Fails at once only when the file itself cannot be opened.
pub fn read_jsonl_lines(path: &Path) -> Result<impl Iterator<Item = (usize, Result<Document>)>> {
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    let path = path.to_path_buf();
    let lines = BufReader::new(file).lines().enumerate();
    Ok(lines.filter_map(move |(index, line)| {
        let line_number = index + 1;
        let at = Location::file(&path).line(line_number);
        match line {
            Err(e) => Some((
                line_number,
                Err(Error::invalid(at, format!("cannot read line: {e}"))),
            )),
            Ok(text) if text.trim().is_empty() => None,
            Ok(text) => Some((line_number, parse_jsonl_line(&text, at))),
        }
    }))
}

/// Parses one JSONL line into a [`Document`] and checks its spans. `at` says where the
/// line came from, for the error message.
///
/// ```
/// use clinkit::error::Location;
/// let line = r#"{"id": "a", "lang": "en", "kind": "referral", "text": "Age 67.", "phi": [{"start": 4, "end": 99, "type": "AGE"}]}"#;
/// let error = clinkit::data::parse_jsonl_line(line, Location::file("gold.jsonl").line(3)).unwrap_err();
/// assert_eq!(error.to_string(), "gold.jsonl:3: field `phi[0]`: span [4, 99] runs past the end of the text (7 characters)");
/// ```
pub fn parse_jsonl_line(line: &str, at: Location) -> Result<Document> {
    let mut deserializer = serde_json::Deserializer::from_str(line);
    let document: Document = serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
        let field = e.path().to_string();
        let at = if field == "." {
            at.clone()
        } else {
            at.clone().field(field)
        };
        Error::invalid(at, e.into_inner().to_string())
    })?;
    check_spans(&document, &at)?;
    Ok(document)
}

/// Checks that every span of a document lies inside its text.
fn check_spans(document: &Document, at: &Location) -> Result<()> {
    let length = char_len(&document.text);
    let check = |span: Span, field: String| -> Result<()> {
        if span.start > span.end {
            return Err(Error::invalid(
                at.clone().field(field),
                format!("span [{}, {}] ends before it starts", span.start, span.end),
            ));
        }
        if span.end > length {
            return Err(Error::invalid(
                at.clone().field(field),
                format!(
                    "span [{}, {}] runs past the end of the text ({length} characters)",
                    span.start, span.end
                ),
            ));
        }
        Ok(())
    };
    for (name, value) in &document.fields {
        for (item_index, item) in value.items().iter().enumerate() {
            for (span_index, span) in item.spans.iter().enumerate() {
                let field = match value {
                    crate::data::FieldValue::One(_) => format!("fields.{name}.spans[{span_index}]"),
                    crate::data::FieldValue::Many(_) => {
                        format!("fields.{name}[{item_index}].spans[{span_index}]")
                    }
                };
                check(*span, field)?;
            }
        }
    }
    for (index, phi) in document.phi.iter().enumerate() {
        check(phi.span(), format!("phi[{index}]"))?;
    }
    for (index, part) in document.parts.iter().enumerate() {
        check(part.span, format!("parts[{index}].span"))?;
    }
    Ok(())
}

/// One document as one line of JSON (no newline at the end).
pub fn to_jsonl_line(document: &Document) -> String {
    serde_json::to_string(document).expect("a Document always serialises to JSON")
}

/// Writes documents to a JSONL file, one per line, replacing the file.
///
/// The file is first written under a temporary name and then renamed, so a crash
/// never leaves a half-written file behind.
pub fn write_jsonl<'a>(
    path: &Path,
    documents: impl IntoIterator<Item = &'a Document>,
) -> Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    }
    let temporary = path.with_extension("jsonl.partial");
    let file = File::create(&temporary).map_err(|e| Error::io(&temporary, e))?;
    let mut out = BufWriter::new(file);
    for document in documents {
        writeln!(out, "{}", to_jsonl_line(document)).map_err(|e| Error::io(&temporary, e))?;
    }
    out.flush().map_err(|e| Error::io(&temporary, e))?;
    drop(out);
    std::fs::rename(&temporary, path).map_err(|e| Error::io(path, e))
}
