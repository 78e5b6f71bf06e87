//! Putting each prediction next to its gold document, by `id`.
//!
//! Rules (chosen so that a mistake in a file can never make a score look better):
//!
//! - a prediction whose `id` is not in the gold file is an **error** (it names the
//!   prediction file, line and id): it usually means the wrong pair of files;
//! - a gold document without a prediction counts as an **empty prediction** (everything
//!   in it is missed), with a warning: a system that crashed on a letter must pay for it;
//! - an `id` that appears twice in one file is an error;
//! - every referral document is checked against the referral schema first, so a bad value
//!   is reported as `gold.jsonl:7: field ...` instead of silently scoring as wrong;
//! - when a prediction's text differs from the gold text there is a warning, because its
//!   spans then point into another text.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::data::referral::validate;
use crate::data::{read_jsonl_lines, Document};
use crate::error::{Error, Location, Result};

/// The documents of one file together with the file's name and their line numbers, so
/// errors can say where a document came from.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Source<'a> {
    /// The file (or a label such as `gold` when the documents came from memory).
    pub name: &'a Path,
    /// The documents.
    pub documents: &'a [Document],
    /// The line of each document; `None` means document `i` is on line `i + 1`.
    pub lines: Option<&'a [usize]>,
}

impl<'a> Source<'a> {
    /// Where document number `index` came from.
    pub fn location(&self, index: usize) -> Location {
        let line = self
            .lines
            .and_then(|lines| lines.get(index).copied())
            .unwrap_or(index + 1);
        Location::file(self.name).line(line)
    }

    /// Checks the schema of every referral and that no id appears twice; gives the
    /// position of each id.
    fn index(&self) -> Result<HashMap<&'a str, usize>> {
        let mut positions = HashMap::new();
        for (index, document) in self.documents.iter().enumerate() {
            let at = self.location(index);
            if document.kind == "referral" {
                validate(document, &at)?;
            }
            if let Some(first) = positions.insert(document.id.as_str(), index) {
                return Err(Error::invalid(
                    at.field("id"),
                    format!(
                        "document id `{}` appears twice (first at {})",
                        document.id,
                        self.location(first)
                    ),
                ));
            }
        }
        Ok(positions)
    }
}

/// Gold documents, each with its prediction (if there is one).
#[derive(Debug)]
pub(crate) struct Paired<'a> {
    /// `(gold, prediction)` in gold-file order.
    pub pairs: Vec<(&'a Document, Option<&'a Document>)>,
    /// Ids of gold documents without a prediction.
    pub missing: Vec<String>,
    /// Things the user should know, for stderr.
    pub warnings: Vec<String>,
}

/// Pairs gold and predicted documents by id (rules in the module documentation).
pub(crate) fn pair<'a>(gold: Source<'a>, pred: Source<'a>) -> Result<Paired<'a>> {
    let gold_index = gold.index()?;
    let pred_index = pred.index()?;
    for (index, document) in pred.documents.iter().enumerate() {
        if !gold_index.contains_key(document.id.as_str()) {
            return Err(Error::invalid(
                pred.location(index).field("id"),
                format!(
                    "document `{}` is not in the gold file {}",
                    document.id,
                    gold.name.display()
                ),
            ));
        }
    }
    let mut paired = Paired {
        pairs: Vec::new(),
        missing: Vec::new(),
        warnings: Vec::new(),
    };
    let mut other_text = Vec::new();
    for document in gold.documents {
        let prediction = pred_index
            .get(document.id.as_str())
            .map(|&i| &pred.documents[i]);
        match prediction {
            None => paired.missing.push(document.id.clone()),
            Some(p) if p.text != document.text => other_text.push(document.id.clone()),
            Some(_) => {}
        }
        paired.pairs.push((document, prediction));
    }
    if !paired.missing.is_empty() {
        paired.warnings.push(format!(
            "{}: no prediction for {} of {} gold documents ({}); they count as empty predictions",
            pred.name.display(),
            paired.missing.len(),
            gold.documents.len(),
            list_some(&paired.missing)
        ));
    }
    if !other_text.is_empty() {
        paired.warnings.push(format!(
            "{}: the text of {} documents differs from the gold text ({}); their spans may point at other words",
            pred.name.display(),
            other_text.len(),
            list_some(&other_text)
        ));
    }
    Ok(paired)
}

/// The first few ids of a list, with "and N more".
fn list_some(ids: &[String]) -> String {
    const SHOWN: usize = 5;
    let mut text = ids
        .iter()
        .take(SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if ids.len() > SHOWN {
        text.push_str(&format!(" and {} more", ids.len() - SHOWN));
    }
    text
}

/// Reads a JSONL file and keeps each document's line number (for error messages).
pub(crate) fn read_with_lines(path: &Path) -> Result<(Vec<Document>, Vec<usize>)> {
    let mut documents = Vec::new();
    let mut lines = Vec::new();
    for (line, document) in read_jsonl_lines(path)? {
        documents.push(document?);
        lines.push(line);
    }
    Ok((documents, lines))
}

/// A file name as a path, for documents that came from memory.
pub(crate) fn label(name: &str) -> PathBuf {
    PathBuf::from(name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::Lang;

    fn doc(id: &str) -> Document {
        Document::new(id, Lang::En, "referral", "text")
    }

    #[test]
    fn unknown_prediction_id_is_an_error_with_file_line_and_field() {
        let gold = [doc("a")];
        let pred = [doc("a"), doc("zzz")];
        let error = pair(
            Source {
                name: Path::new("gold.jsonl"),
                documents: &gold,
                lines: None,
            },
            Source {
                name: Path::new("pred.jsonl"),
                documents: &pred,
                lines: Some(&[1, 3]),
            },
        )
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            "pred.jsonl:3: field `id`: document `zzz` is not in the gold file gold.jsonl"
        );
    }

    #[test]
    fn missing_predictions_are_counted_with_a_warning() {
        let gold = [doc("a"), doc("b")];
        let pred = [doc("b")];
        let paired = pair(
            Source {
                name: Path::new("g"),
                documents: &gold,
                lines: None,
            },
            Source {
                name: Path::new("p"),
                documents: &pred,
                lines: None,
            },
        )
        .unwrap();
        assert_eq!(paired.missing, ["a"]);
        assert!(paired.pairs[0].1.is_none());
        assert_eq!(paired.pairs[1].1.unwrap().id, "b");
        assert!(
            paired.warnings[0].contains("no prediction for 1 of 2 gold documents (a)"),
            "{:?}",
            paired.warnings
        );
    }

    #[test]
    fn duplicate_ids_are_an_error() {
        let gold = [doc("a"), doc("a")];
        let error = pair(
            Source {
                name: Path::new("g.jsonl"),
                documents: &gold,
                lines: None,
            },
            Source {
                name: Path::new("p.jsonl"),
                documents: &[],
                lines: None,
            },
        )
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            "g.jsonl:2: field `id`: document id `a` appears twice (first at g.jsonl:1)"
        );
    }
}
