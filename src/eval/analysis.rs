//! Error analysis: the mistakes themselves, with the words of the letter around them.
//!
//! A score says *how often* a system is wrong; only the mistakes say *why*. Reading twenty
//! false negatives for "diagnoses (absent)" quickly shows whether the model ignores
//! "geen", or whether the gold standard is wrong. Each [`ErrorCase`] names the document,
//! the field, the value and a [`Snippet`] of the text around the evidence, and errors are
//! grouped by field and, for diagnoses, by their status (the *context*: absent = negated,
//! family, historical, hypothetical, present).

use serde::{Deserialize, Serialize};

use crate::text::Span;

/// What kind of mistake.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// In the gold standard, missed by the system.
    FalseNegative,
    /// Said by the system, not in the gold standard.
    FalsePositive,
    /// The right item (such as a medication) with a wrong detail (such as its dose).
    WrongAttribute,
}

impl ErrorKind {
    /// A short tag for tables: `FN`, `FP` or `ATTR`.
    pub fn tag(&self) -> &'static str {
        match self {
            ErrorKind::FalseNegative => "FN",
            ErrorKind::FalsePositive => "FP",
            ErrorKind::WrongAttribute => "ATTR",
        }
    }
}

/// A piece of text around a span: `before`, the span itself (`focus`), and `after`.
/// Line breaks are shown as spaces; `…` marks text that was cut off.
///
/// ```
/// use clinkit::eval::Snippet;
/// use clinkit::text::Span;
/// let text = "Voorgeschiedenis: geen diabetes mellitus, wel hypertensie.";
/// let s = Snippet::around(text, Span::new(23, 31), 10);
/// assert_eq!(s.focus, "diabetes");
/// assert_eq!(s.to_string(), "…nis: geen [diabetes] mellitus,…");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snippet {
    /// Text before the span (up to the chosen width), starting with `…` if cut.
    pub before: String,
    /// The text of the span.
    pub focus: String,
    /// Text after the span (up to the chosen width), ending with `…` if cut.
    pub after: String,
}

impl Snippet {
    /// The snippet of `text` around `span`, with up to `width` characters on each side.
    /// Works in characters, so it never cuts a letter such as `ë` in half; a span outside
    /// the text is clipped to it.
    pub fn around(text: &str, span: Span, width: usize) -> Snippet {
        let chars: Vec<char> = text.chars().collect();
        let end = span.end.min(chars.len());
        let start = span.start.min(end);
        let from = start.saturating_sub(width);
        let to = (end + width).min(chars.len());
        let flat = |piece: &[char]| -> String {
            piece
                .iter()
                .map(|&c| if c.is_whitespace() { ' ' } else { c })
                .collect()
        };
        let mut before = flat(&chars[from..start]);
        if from > 0 {
            before.insert(0, '…');
        }
        let mut after = flat(&chars[end..to]);
        if to < chars.len() {
            after.push('…');
        }
        Snippet {
            before,
            focus: flat(&chars[start..end]),
            after,
        }
    }
}

impl std::fmt::Display for Snippet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}[{}]{}", self.before, self.focus, self.after)
    }
}

/// One mistake of the system on one document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorCase {
    /// The document's id.
    pub id: String,
    /// The field (such as `diagnoses`) or, for PHI, `phi`.
    pub field: String,
    /// Missed, invented, or right item with a wrong detail.
    pub kind: ErrorKind,
    /// The value as text, such as `diabetes mellitus type 2 (absent)`.
    pub value: String,
    /// The context used for grouping: the diagnosis status (gold status for a miss,
    /// predicted status for an invention), the PHI type, or the medication attribute.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<String>,
    /// A hint, such as `gold says absent, predicted present`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Where in the text it is (the evidence span; for a value without evidence, the
    /// first place its words appear).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub span: Option<Span>,
    /// The text around `span`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snippet: Option<Snippet>,
}

impl ErrorCase {
    /// The group the error is listed under: the field, with the context in brackets
    /// when there is one, such as `diagnoses (absent)` or `phi (NAME)`.
    ///
    /// ```
    /// use clinkit::eval::{ErrorCase, ErrorKind};
    /// let e = ErrorCase { id: "ref-1".into(), field: "diagnoses".into(), kind: ErrorKind::FalseNegative,
    ///     value: "diabetes (absent)".into(), context: Some("absent".into()), note: None, span: None, snippet: None };
    /// assert_eq!(e.group(), "diagnoses (absent)");
    /// ```
    pub fn group(&self) -> String {
        match &self.context {
            Some(context) => format!("{} ({context})", self.field),
            None => self.field.clone(),
        }
    }
}

/// One group of errors with its counts, in the order groups are shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorGroup {
    /// The group name (see [`ErrorCase::group`]).
    pub group: String,
    /// False negatives in the group.
    pub false_negatives: usize,
    /// False positives in the group.
    pub false_positives: usize,
    /// Wrong details in the group.
    pub wrong_attributes: usize,
}

/// Groups errors (keeping their order: first by the order in which each group first
/// appears) and counts each kind in each group.
///
/// ```
/// use clinkit::eval::{group_errors, ErrorCase, ErrorKind};
/// let error = |field: &str, kind| ErrorCase { id: "a".into(), field: field.into(), kind,
///     value: String::new(), context: None, note: None, span: None, snippet: None };
/// let errors = [error("age", ErrorKind::FalsePositive), error("smoking", ErrorKind::FalseNegative),
///               error("age", ErrorKind::FalseNegative)];
/// let groups = group_errors(&errors);
/// assert_eq!(groups.len(), 2);
/// assert_eq!((groups[0].0.group.as_str(), groups[0].0.false_positives, groups[0].0.false_negatives), ("age", 1, 1));
/// assert_eq!(groups[0].1.len(), 2);
/// ```
pub fn group_errors(errors: &[ErrorCase]) -> Vec<(ErrorGroup, Vec<&ErrorCase>)> {
    let mut groups: Vec<(ErrorGroup, Vec<&ErrorCase>)> = Vec::new();
    for error in errors {
        let name = error.group();
        let index = match groups.iter().position(|(g, _)| g.group == name) {
            Some(index) => index,
            None => {
                groups.push((
                    ErrorGroup {
                        group: name,
                        false_negatives: 0,
                        false_positives: 0,
                        wrong_attributes: 0,
                    },
                    Vec::new(),
                ));
                groups.len() - 1
            }
        };
        let (group, members) = &mut groups[index];
        match error.kind {
            ErrorKind::FalseNegative => group.false_negatives += 1,
            ErrorKind::FalsePositive => group.false_positives += 1,
            ErrorKind::WrongAttribute => group.wrong_attributes += 1,
        }
        members.push(error);
    }
    groups
}

/// The first place `needle` appears in `text`, ignoring case, as a character span.
///
/// ```
/// use clinkit::text::Span;
/// assert_eq!(clinkit::eval::find_mention("Geen Diabetes.", "diabetes"), Some(Span::new(5, 13)));
/// assert_eq!(clinkit::eval::find_mention("één", "x"), None);
/// ```
pub fn find_mention(text: &str, needle: &str) -> Option<Span> {
    let fold = |c: char| c.to_lowercase().next().unwrap_or(c);
    let haystack: Vec<char> = text.chars().map(fold).collect();
    let needle: Vec<char> = needle.trim().chars().map(fold).collect();
    if needle.is_empty() || needle.len() > haystack.len() {
        return None;
    }
    (0..=haystack.len() - needle.len())
        .find(|&start| haystack[start..start + needle.len()] == needle[..])
        .map(|start| Span::new(start, start + needle.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippet_is_char_safe_and_flattens_lines() {
        let text = "ééé\nabc\ndéf";
        let s = Snippet::around(text, Span::new(4, 7), 2);
        assert_eq!(s.before, "…é ");
        assert_eq!(s.focus, "abc");
        assert_eq!(s.after, " d…");
    }

    #[test]
    fn snippet_at_the_edges_has_no_ellipsis() {
        let s = Snippet::around("abc", Span::new(0, 3), 40);
        assert_eq!(s.to_string(), "[abc]");
        let s = Snippet::around("abc", Span::new(2, 99), 1);
        assert_eq!(s.to_string(), "…b[c]");
    }
}
