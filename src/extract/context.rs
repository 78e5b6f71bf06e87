//! Context of a mention: is a diagnosis present, denied, past, in the family, or only a question?
//!
//! "Geen diabetes" mentions diabetes, but the patient does *not* have it. A rule or a model
//! that only looks for the word gets this wrong. The ConText algorithm (Harkema et al., 2009)
//! fixes much of it with *trigger words*: a trigger such as `geen` / `no` changes the status
//! of the mentions that follow it in the same sentence, until a *terminator* such as
//! `maar` / `but` ends its scope. Some triggers look backwards instead (`... uitgesloten`,
//! `... ruled out`).
//!
//! ```
//! use clinkit::extract::context::{mention_status, Status};
//! use clinkit::text::Span;
//! let text = "Geen diabetes, wel hypertensie.";
//! assert_eq!(mention_status(text, Span::new(5, 13)), Status::Absent);   // diabetes
//! assert_eq!(mention_status(text, Span::new(19, 30)), Status::Present); // hypertensie
//! ```

use std::sync::OnceLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::text::{char_to_byte, sentences, Span};

/// How a condition is mentioned (the `status` of a diagnosis in the referral schema).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// The patient has it now.
    Present,
    /// The text says the patient does not have it ("geen", "denies", "ruled out").
    Absent,
    /// The patient had it in the past ("status na", "previous").
    Historical,
    /// A relative has or had it ("vader", "mother").
    Family,
    /// It is a question or a possibility ("uitsluiten", "rule out", "?").
    Hypothetical,
}

impl Status {
    /// The lowercase word used in JSON, such as `"absent"`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Status::Present => "present",
            Status::Absent => "absent",
            Status::Historical => "historical",
            Status::Family => "family",
            Status::Hypothetical => "hypothetical",
        }
    }
}

/// Triggers that look *forward*: they change the mentions after them (Dutch and English,
/// because Dutch letters use English abbreviations too).
const FORWARD_TRIGGERS: [(Status, &str); 4] = [
    (
        Status::Absent,
        r"geen|niet|zonder|nooit|ontkent|geen aanwijzingen voor|no|not|denies|denied|without|never|negative for|no evidence of|no history of|free of",
    ),
    (
        Status::Family,
        r"vader|moeder|broer|zus|zuster|zoon|dochter|oom|tante|opa|oma|familie|familiair|familiaire belasting|father|mother|brother|sister|son|daughter|uncle|aunt|grandfather|grandmother|family history|fh",
    ),
    (
        Status::Hypothetical,
        r"\?|verdenking|verdacht voor|mogelijk|mogelijke|eventueel|evt\.?|dd|differentiaal ?diagnose|graag uitsluiten|uitsluiten van|rule out|r/o|possible|possibly|suspected|suspicion of|query|consider|differential",
    ),
    (
        Status::Historical,
        r"status na|st\.? ?na|s/p|eerder|eerdere|in het verleden|voorheen|doorgemaakt|doorgemaakte|status post|previous|previously|prior|past|old|history of|hx of",
    ),
];

/// Triggers that look *backward*: they change the mention right before them.
const BACKWARD_TRIGGERS: [(Status, &str); 3] = [
    (
        Status::Absent,
        r"uitgesloten|negatief|neg\.?|ruled out|excluded|negative|not found",
    ),
    (
        Status::Hypothetical,
        r"uitsluiten|\?|to be ruled out|to rule out|suspected",
    ),
    (
        Status::Historical,
        r"in het verleden|in the past|\(oud\)|\(old\)",
    ),
];

/// A forward trigger reaches at most this many words ahead.
const SCOPE_WORDS: usize = 8;

/// Words that end a trigger's scope: "geen diabetes, *wel* hypertensie".
const TERMINATORS: &str = r"maar|echter|wel|but|however|although";

/// The status of the mention at `mention` (character offsets into `text`), from the
/// trigger words around it in its sentence.
///
/// When several triggers apply, the first of absent, family, hypothetical, historical wins.
///
/// ```
/// use clinkit::extract::context::{mention_status, Status};
/// use clinkit::text::Span;
/// let text = "Father had an MI at 52.";
/// assert_eq!(mention_status(text, Span::new(14, 16)), Status::Family);
/// ```
pub fn mention_status(text: &str, mention: Span) -> Status {
    let (before, after) = sentence_around(text, mention);
    let before = before.to_lowercase();
    let after = after.to_lowercase();
    let before_in_scope = after_last_terminator(&before);
    let after_in_scope = before_first_terminator(&after);
    let rules = compiled_rules();
    let found: Vec<Status> = rules
        .forward
        .iter()
        .filter(|(_, pattern)| pattern.is_match(before_in_scope))
        .chain(
            rules
                .backward
                .iter()
                .filter(|(_, pattern)| pattern.is_match(after_in_scope)),
        )
        .map(|(status, _)| *status)
        .collect();
    [
        Status::Absent,
        Status::Family,
        Status::Hypothetical,
        Status::Historical,
    ]
    .into_iter()
    .find(|status| found.contains(status))
    .unwrap_or(Status::Present)
}

/// How far around a mention we look for its sentence, in characters. Looking only nearby
/// keeps this fast on a 200-page patient file.
const SENTENCE_REACH: usize = 400;

/// The text of the mention's sentence before and after the mention.
fn sentence_around(text: &str, mention: Span) -> (String, String) {
    let window_start = mention.start.saturating_sub(SENTENCE_REACH);
    let from = char_to_byte(text, window_start).unwrap_or(text.len());
    let to = char_to_byte(text, mention.end + SENTENCE_REACH).unwrap_or(text.len());
    let window: Vec<char> = text[from..to].chars().collect();
    let local = Span::new(
        mention.start - window_start,
        (mention.end - window_start).min(window.len()),
    );
    let window_text: String = window.iter().collect();
    let sentence = sentences(&window_text)
        .into_iter()
        .find(|sentence| sentence.start <= local.start && local.end <= sentence.end)
        .unwrap_or(local);
    let before = window[sentence.start..local.start].iter().collect();
    let after = window[local.end.min(sentence.end)..sentence.end]
        .iter()
        .collect();
    (before, after)
}

/// The part of `before` after its last terminator word, and at most [`SCOPE_WORDS`] words
/// (plus the trigger itself, which may be three words long) back from the mention.
fn after_last_terminator(before: &str) -> &str {
    let from_terminator = match compiled_rules().terminator.find_iter(before).last() {
        Some(found) => &before[found.end()..],
        None => before,
    };
    let word_starts: Vec<usize> = from_terminator
        .char_indices()
        .filter(|(index, c)| {
            !c.is_whitespace()
                && (*index == 0 || from_terminator[..*index].ends_with(char::is_whitespace))
        })
        .map(|(index, _)| index)
        .collect();
    let keep = SCOPE_WORDS + 3;
    match word_starts.len().checked_sub(keep) {
        Some(first) if first > 0 => &from_terminator[word_starts[first]..],
        _ => from_terminator,
    }
}

/// The part of `after` before its first terminator word.
fn before_first_terminator(after: &str) -> &str {
    match compiled_rules().terminator.find(after) {
        Some(found) => &after[..found.start()],
        None => after,
    }
}

/// The trigger lists turned into regular expressions, built once.
struct Rules {
    forward: Vec<(Status, Regex)>,
    backward: Vec<(Status, Regex)>,
    terminator: Regex,
}

fn compiled_rules() -> &'static Rules {
    static RULES: OnceLock<Rules> = OnceLock::new();
    RULES.get_or_init(|| Rules {
        forward: FORWARD_TRIGGERS
            .iter()
            .map(|(status, words)| (*status, whole_words(words)))
            .collect(),
        backward: BACKWARD_TRIGGERS
            .iter()
            .map(|(status, words)| {
                (
                    *status,
                    Regex::new(&format!(r"^\W*(?:{words})")).expect("valid trigger pattern"),
                )
            })
            .collect(),
        terminator: Regex::new(&format!(r"{}|;", whole_words(TERMINATORS).as_str()))
            .expect("valid terminators"),
    })
}

/// A regular expression that finds any of `words` as whole words (not inside another word).
fn whole_words(words: &str) -> Regex {
    Regex::new(&format!(r"(?:^|[^\w])(?:{words})(?:[^\w]|$)")).expect("valid trigger pattern")
}
