//! Saving and loading a trained BPE tokenizer as a small text file you can read.
//!
//! ```text
//! clinkit-bpe 1
//! pattern "'(?:[sdmt]|ll|ve|re)| ?\\p{L}+| ..."
//! special "<|endoftext|>"
//! merge 101 110  # 256: [e] + [n] -> [en]
//! merge 32 256   # 257: [ ] + [en] -> [ en]
//! ```
//!
//! The first line names the format. `pattern` (a JSON string, or `none`) is the
//! pre-split pattern. Each `special` line adds a special token (numbered after the
//! merges). Each `merge` line is one merge, in learned order: merge number `i` creates
//! token `256 + i`. Everything after `#` is a comment for people.

use std::path::Path;

use super::{Bpe, Merge, SplitPattern, TokenId};
use crate::error::{Error, Location, Result};

/// The first line of a saved tokenizer.
const HEADER: &str = "clinkit-bpe 1";

impl Bpe {
    /// The tokenizer as text in the format above.
    ///
    /// ```
    /// use clinkit::tokenize::bpe::{Bpe, TrainOptions};
    /// let bpe = Bpe::train("enen en", &TrainOptions::new(257)).unwrap();
    /// assert_eq!(bpe.to_text(), "clinkit-bpe 1\npattern none\nmerge 101 110  # 256: [e] + [n] -> [en]\n");
    /// assert_eq!(Bpe::from_text(&bpe.to_text()).unwrap(), bpe);
    /// ```
    pub fn to_text(&self) -> String {
        let mut out = format!("{HEADER}\n");
        match &self.pattern {
            Some(pattern) => out.push_str(&format!("pattern {}\n", json_string(pattern.as_str()))),
            None => out.push_str("pattern none\n"),
        }
        for (text, _) in &self.special {
            out.push_str(&format!("special {}\n", json_string(text)));
        }
        for merge in &self.merges {
            let (left, right) = merge.pair;
            let comment = format!(
                "{}: [{}] + [{}] -> [{}]",
                merge.id,
                self.token_text(left),
                self.token_text(right),
                self.token_text(merge.id)
            );
            out.push_str(&format!(
                "merge {left} {right}  # {}\n",
                comment.replace(['\n', '\r'], " ")
            ));
        }
        out
    }

    /// Reads a tokenizer from text in the format above. Errors name the line.
    pub fn from_text(text: &str) -> Result<Bpe> {
        parse(text, &Location::default())
    }

    /// Saves the tokenizer to a file (see the format above).
    pub fn save(&self, path: &Path) -> Result<()> {
        std::fs::write(path, self.to_text()).map_err(|e| Error::io(path, e))
    }

    /// Loads a tokenizer saved with [`Bpe::save`]. Errors name the file and line.
    ///
    /// ```
    /// use clinkit::tokenize::bpe::{Bpe, TrainOptions, GPT4_PATTERN};
    /// # let dir = tempfile::tempdir().unwrap();
    /// let options = TrainOptions::new(300).with_pattern(GPT4_PATTERN).with_special_tokens(&["<|end|>"]);
    /// let bpe = Bpe::train(&"Geen diabetes. ".repeat(20), &options).unwrap();
    /// let path = dir.path().join("dutch.bpe");
    /// bpe.save(&path).unwrap();
    /// assert_eq!(Bpe::load(&path).unwrap(), bpe);
    /// ```
    pub fn load(path: &Path) -> Result<Bpe> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        parse(&text, &Location::file(path))
    }
}

fn json_string(text: &str) -> String {
    serde_json::to_string(text).expect("a string always converts to JSON")
}

fn parse(text: &str, origin: &Location) -> Result<Bpe> {
    let at = |line: usize| Location {
        line: Some(line),
        ..origin.clone()
    };
    let mut lines = text.lines().enumerate().map(|(i, line)| (i + 1, line));
    match lines.next() {
        Some((_, first)) if first.trim() == HEADER => {}
        _ => {
            return Err(Error::invalid(
                at(1),
                format!("not a clinkit BPE file (its first line must be `{HEADER}`)"),
            ))
        }
    }
    let mut pattern = None;
    let mut special = Vec::new();
    let mut merges = Vec::new();
    for (number, line) in lines {
        let content = strip_comment(line).trim();
        let (keyword, rest) = content.split_once(' ').unwrap_or((content, ""));
        match keyword {
            "" => {}
            "pattern" if rest.trim() == "none" => pattern = None,
            "pattern" => {
                let source = parse_json_string(rest, at(number))?;
                let compiled = SplitPattern::new(&source).map_err(|e| relocate(e, at(number)))?;
                pattern = Some(compiled);
            }
            "special" => special.push(parse_json_string(rest, at(number))?),
            "merge" => {
                let pair = parse_pair(rest, at(number))?;
                let id = (256 + merges.len()) as TokenId;
                merges.push(Merge { pair, id });
            }
            other => {
                return Err(Error::invalid(
                    at(number),
                    format!("unknown line `{other}` (expected pattern, special or merge)"),
                ))
            }
        }
    }
    Bpe::from_merges(merges, pattern, &special).map_err(|e| relocate(e, origin.clone()))
}

/// The line without its `# comment`, unless the `#` sits inside a JSON string.
fn strip_comment(line: &str) -> &str {
    let mut in_string = false;
    let mut escaped = false;
    for (at, c) in line.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if in_string => escaped = true,
            '"' => in_string = !in_string,
            '#' if !in_string => return &line[..at],
            _ => {}
        }
    }
    line
}

fn parse_json_string(text: &str, at: Location) -> Result<String> {
    serde_json::from_str(text.trim())
        .map_err(|e| Error::invalid(at, format!("expected a JSON string: {e}")))
}

fn parse_pair(text: &str, at: Location) -> Result<(TokenId, TokenId)> {
    let numbers: Vec<&str> = text.split_whitespace().collect();
    let parsed: Option<Vec<TokenId>> = numbers.iter().map(|n| n.parse().ok()).collect();
    match parsed.as_deref() {
        Some([left, right]) => Ok((*left, *right)),
        _ => Err(Error::invalid(
            at,
            format!(
                "expected two token numbers after `merge`, found `{}`",
                text.trim()
            ),
        )),
    }
}

/// Moves an error without a file or line to `at`, keeping its field and message.
fn relocate(error: Error, at: Location) -> Error {
    match error {
        Error::Invalid { at: inner, message } => Error::invalid(
            Location {
                field: inner.field,
                ..at
            },
            message,
        ),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_the_line() {
        let error = Bpe::from_text("clinkit-bpe 1\npattern none\nmerge 1 x\n")
            .unwrap_err()
            .to_string();
        assert!(
            error.starts_with("line 3: expected two token numbers"),
            "{error}"
        );
        let error = Bpe::from_text("{}").unwrap_err().to_string();
        assert!(error.contains("not a clinkit BPE file"), "{error}");
        let error = Bpe::from_text("clinkit-bpe 1\nmerge 1 999\n")
            .unwrap_err()
            .to_string();
        assert!(error.contains("merges[0]"), "{error}");
    }

    #[test]
    fn comments_inside_strings_are_kept() {
        let bpe = Bpe::from_text("clinkit-bpe 1\nspecial \"<#>\" # a comment\n").unwrap();
        assert_eq!(bpe.special_tokens(), [("<#>".to_string(), 256)]);
    }
}
