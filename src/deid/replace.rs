//! Replacing PHI: tags, pseudonyms or redaction, with every span kept track of.
//!
//! Three ways to hide a piece of PHI, each with its use:
//!
//! | mode | `mevr. E. Gelbeek, geb. 8 januari 1951` becomes | good for |
//! | --- | --- | --- |
//! | [`Mode::Tag`] | `mevr. [NAME-1], geb. [DATE-1]` | reading what was removed; the same person keeps the same number |
//! | [`Mode::Pseudonymise`] | `mevr. K. Bakker, geb. 23 februari 1951` | text that still reads naturally (for a language model); intervals between dates kept |
//! | [`Mode::Redact`] | `mevr. [REDACTED], geb. [REDACTED]` | the least information left |
//!
//! Replacing changes the length of the text, so every character offset after a
//! replacement moves. A [`Deidentified`] document therefore lists each
//! [`Replacement`] with its span in the original *and* in the new text, and the
//! document's `fields` and `parts` spans are moved along.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::data::{Document, PhiSpan, PhiType};
use crate::deid::dates::{shift_iso_date, WrittenDate};
use crate::deid::detector::detect;
use crate::deid::key::Key;
use crate::deid::surrogate::{NameShape, Surrogates};
use crate::error::{Error, Result};
use crate::text::{CharIndex, Span};

/// How PHI is replaced (see the [module documentation](self) for examples).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// `[NAME-1]`, `[DATE-2]`: the type and a number per distinct value and patient.
    #[default]
    Tag,
    /// Realistic surrogates chosen with a secret key; dates shifted per patient.
    Pseudonymise,
    /// `[REDACTED]` for everything.
    Redact,
}

impl std::str::FromStr for Mode {
    type Err = String;

    /// Reads `tag`, `pseudonymise` (or `pseudonymize`) or `redact`.
    ///
    /// ```
    /// use clinkit::deid::Mode;
    /// assert_eq!("pseudonymize".parse::<Mode>(), Ok(Mode::Pseudonymise));
    /// assert!("hide".parse::<Mode>().is_err());
    /// ```
    fn from_str(text: &str) -> std::result::Result<Self, Self::Err> {
        match text.to_lowercase().as_str() {
            "tag" => Ok(Mode::Tag),
            "pseudonymise" | "pseudonymize" | "pseudo" => Ok(Mode::Pseudonymise),
            "redact" => Ok(Mode::Redact),
            other => Err(format!(
                "unknown mode `{other}`: use tag, pseudonymise or redact"
            )),
        }
    }
}

impl std::fmt::Display for Mode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Mode::Tag => "tag",
            Mode::Pseudonymise => "pseudonymise",
            Mode::Redact => "redact",
        })
    }
}

/// One piece of PHI that was replaced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Replacement {
    /// What kind of PHI it was.
    #[serde(rename = "type")]
    pub kind: PhiType,
    /// Where it stood in the original text (characters).
    pub original: Span,
    /// Where its replacement stands in the new text (characters).
    pub replaced: Span,
    /// The original words (keep these inside the hospital).
    pub original_text: String,
    /// What was written instead.
    pub new_text: String,
}

/// A de-identified document together with what was replaced in it.
#[derive(Debug, Clone, PartialEq)]
pub struct Deidentified {
    /// The new document: new text, `phi` spans pointing at the replacements, `fields`,
    /// `summary` and `parts` spans moved to the new text, part dates shifted or removed.
    pub document: Document,
    /// Every replacement, in text order.
    pub replacements: Vec<Replacement>,
}

/// What one patient (or one document without a patient) has seen so far.
#[derive(Debug, Default)]
struct Patient {
    surrogates: Surrogates,
    /// Tag numbers by type and normalised value.
    tags: HashMap<(PhiType, String), usize>,
    /// The last tag number used per type.
    counts: HashMap<PhiType, usize>,
}

/// Replaces PHI in documents, consistently within a document and across all documents
/// of one patient (documents with the same `patient_id`; a document without one is its
/// own patient).
///
/// ```
/// use clinkit::data::{Document, Lang};
/// use clinkit::deid::{Deidentifier, Key, Mode};
/// let letter = Document::new("a", Lang::Nl, "referral",
///     "Betreft: mevr. E. Gelbeek, geb. 8 januari 1951. Mevrouw Gelbeek is 73 jaar.");
///
/// let mut tagger = Deidentifier::new(Mode::Tag, None).unwrap();
/// let tagged = tagger.run(&letter);
/// assert_eq!(tagged.document.text,
///     "Betreft: mevr. [NAME-1], geb. [DATE-1]. Mevrouw [NAME-1] is [AGE-1] jaar.");
///
/// let key = Key::from_secret(b"secret of the data manager");
/// let mut pseudonymiser = Deidentifier::new(Mode::Pseudonymise, Some(key)).unwrap();
/// let fake = pseudonymiser.run(&letter);
/// assert!(!fake.document.text.contains("Gelbeek"));
/// assert!(fake.document.text.ends_with("is 73 jaar."), "ages under 90 stay");
/// println!("{}", fake.document.text);
/// ```
#[derive(Debug)]
pub struct Deidentifier {
    mode: Mode,
    key: Option<Key>,
    patients: HashMap<String, Patient>,
}

impl Deidentifier {
    /// A de-identifier for `mode`. Pseudonymising needs a key (see [`Key`]); tagging and
    /// redacting do not (a key is still needed to write a [`Mapping`](crate::deid::Mapping)).
    ///
    /// ```
    /// use clinkit::deid::{Deidentifier, Mode};
    /// assert!(Deidentifier::new(Mode::Redact, None).is_ok());
    /// let error = Deidentifier::new(Mode::Pseudonymise, None).unwrap_err();
    /// assert!(error.to_string().contains("--key-file"));
    /// ```
    pub fn new(mode: Mode, key: Option<Key>) -> Result<Self> {
        if mode == Mode::Pseudonymise && key.is_none() {
            return Err(Error::Refused(
                "pseudonymising needs a secret key: give --key-file FILE (it is created when it does not exist)"
                    .into(),
            ));
        }
        Ok(Deidentifier {
            mode,
            key,
            patients: HashMap::new(),
        })
    }

    /// The mode.
    ///
    /// ```
    /// use clinkit::deid::{Deidentifier, Mode};
    /// assert_eq!(Deidentifier::new(Mode::Tag, None).unwrap().mode(), Mode::Tag);
    /// ```
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// The key, if any.
    ///
    /// ```
    /// use clinkit::deid::{Deidentifier, Mode};
    /// assert!(Deidentifier::new(Mode::Tag, None).unwrap().key().is_none());
    /// ```
    pub fn key(&self) -> Option<&Key> {
        self.key.as_ref()
    }

    /// The number of days every date of `patient` moves in [`Mode::Pseudonymise`]:
    /// between 14 and 378 days, earlier or later, fixed by the key; 0 without a key.
    ///
    /// ```
    /// use clinkit::deid::{Deidentifier, Key, Mode};
    /// let d = Deidentifier::new(Mode::Pseudonymise, Some(Key::from_secret(b"k"))).unwrap();
    /// let days = d.date_shift("P0001");
    /// assert!((14..=378).contains(&days.abs()));
    /// assert_eq!(days, d.date_shift("P0001"));
    /// ```
    pub fn date_shift(&self, patient: &str) -> i64 {
        let Some(key) = &self.key else {
            return 0;
        };
        let n = key.number("date-shift", patient);
        let days = 14 + (n % 365) as i64;
        if (n >> 63) == 1 {
            -days
        } else {
            days
        }
    }

    /// Finds the PHI of a document ([`detect`]) and replaces it.
    ///
    /// ```
    /// use clinkit::data::{Document, Lang};
    /// use clinkit::deid::{Deidentifier, Mode};
    /// let letter = Document::new("a", Lang::En, "referral", "Seen by Dr J. Brown on 3/4/2024.");
    /// let done = Deidentifier::new(Mode::Redact, None).unwrap().run(&letter);
    /// assert_eq!(done.document.text, "Seen by Dr [REDACTED] on [REDACTED].");
    /// assert_eq!(done.replacements[0].original_text, "J. Brown");
    /// ```
    pub fn run(&mut self, document: &Document) -> Deidentified {
        let phi = detect(&document.text, document.lang);
        self.apply(document, &phi)
    }

    /// Replaces the given PHI spans (character offsets into `document.text`, as in a gold
    /// or prediction file). Overlapping spans: the first one wins, the others are skipped.
    ///
    /// ```
    /// use clinkit::data::{Document, Lang, PhiSpan, PhiType};
    /// use clinkit::deid::{Deidentifier, Mode};
    /// let letter = Document::new("a", Lang::Nl, "referral", "Mw. Jansen belde.");
    /// let phi = [PhiSpan { start: 4, end: 10, kind: PhiType::Name }];
    /// let done = Deidentifier::new(Mode::Tag, None).unwrap().apply(&letter, &phi);
    /// assert_eq!(done.document.text, "Mw. [NAME-1] belde.");
    /// assert_eq!(done.document.phi[0].end, 12, "spans point into the new text");
    /// ```
    pub fn apply(&mut self, document: &Document, phi: &[PhiSpan]) -> Deidentified {
        let patient_id = document
            .patient_id
            .clone()
            .unwrap_or_else(|| format!("document:{}", document.id));
        let shift = self.date_shift(&patient_id);
        let month_first = prefers_month_first(&document.text, document.lang);
        let index = CharIndex::new(&document.text);
        let mut spans: Vec<PhiSpan> = phi
            .iter()
            .copied()
            .filter(|p| p.start < p.end && p.end <= index.char_len())
            .collect();
        spans.sort_by_key(|p| (p.start, std::cmp::Reverse(p.end)));

        let patient = self.patients.entry(patient_id).or_default();
        let mut text = String::with_capacity(document.text.len());
        let mut replacements = Vec::with_capacity(spans.len());
        let (mut done, mut new_len) = (0usize, 0usize);
        for phi in spans {
            if phi.start < done {
                continue;
            }
            let between = index
                .slice(Span::new(done, phi.start))
                .expect("spans were checked against the text");
            text.push_str(between);
            new_len += phi.start - done;
            let original = index.slice(phi.span()).expect("checked").to_string();
            let new_text = match (self.mode, &self.key) {
                (Mode::Redact, _) => "[REDACTED]".to_string(),
                (Mode::Tag, _) | (Mode::Pseudonymise, None) => {
                    let number = tag_number(patient, phi.kind, &original, month_first);
                    format!("[{}-{number}]", phi.kind.as_str())
                }
                (Mode::Pseudonymise, Some(key)) => patient.surrogates.surrogate(
                    key,
                    phi.kind,
                    &original,
                    document.lang,
                    shift,
                    month_first,
                ),
            };
            let length = new_text.chars().count();
            text.push_str(&new_text);
            replacements.push(Replacement {
                kind: phi.kind,
                original: phi.span(),
                replaced: Span::new(new_len, new_len + length),
                original_text: original,
                new_text,
            });
            new_len += length;
            done = phi.end;
        }
        text.push_str(
            index
                .slice(Span::new(done, index.char_len()))
                .expect("the end of the text"),
        );

        let mut new = document.clone();
        new.text = text;
        new.phi = replacements
            .iter()
            .map(|r| PhiSpan {
                start: r.replaced.start,
                end: r.replaced.end,
                kind: r.kind,
            })
            .collect();
        let moved = |span: Span| move_span(span, &replacements, Side::Original);
        for value in new.fields.values_mut() {
            for_each_span(value, |span| *span = moved(*span));
        }
        for span in new.summary.iter_mut().flat_map(|line| &mut line.spans) {
            *span = moved(*span);
        }
        for part in &mut new.parts {
            part.span = moved(part.span);
            part.date = match self.mode {
                Mode::Pseudonymise => part.date.as_deref().and_then(|d| shift_iso_date(d, shift)),
                Mode::Tag | Mode::Redact => None,
            };
        }
        Deidentified {
            document: new,
            replacements,
        }
    }
}

/// The tag number of a value for a patient: the same value (the same surname, the same
/// calendar date, the same digits) keeps its number.
fn tag_number(patient: &mut Patient, kind: PhiType, original: &str, month_first: bool) -> usize {
    let normal = match kind {
        PhiType::Name => NameShape::parse(original).core.to_lowercase(),
        PhiType::Date => WrittenDate::parse(original, month_first)
            .map(|d| d.day_number().to_string())
            .unwrap_or_else(|| original.to_lowercase()),
        _ => original
            .chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect(),
    };
    if let Some(number) = patient.tags.get(&(kind, normal.clone())) {
        return *number;
    }
    let count = patient.counts.entry(kind).or_default();
    *count += 1;
    patient.tags.insert((kind, normal), *count);
    *count
}

/// Does the document write ambiguous numeric dates month first (American)?
pub(crate) fn prefers_month_first(text: &str, lang: crate::data::Lang) -> bool {
    crate::deid::dates::prefers_month_first(text, lang)
}

/// Which text a span's offsets point into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Side {
    /// The original text (move to the new one).
    Original,
    /// The de-identified text (move back to the original).
    Replaced,
}

/// Moves a span from one side of the replacements to the other. A span that starts or
/// ends inside a replaced piece grows to cover the whole piece.
pub(crate) fn move_span(span: Span, replacements: &[Replacement], from: Side) -> Span {
    let sides = |r: &Replacement| match from {
        Side::Original => (r.original, r.replaced),
        Side::Replaced => (r.replaced, r.original),
    };
    let position = |at: usize, is_start: bool| -> usize {
        // The last replacement that starts before `at`; the text after it is unchanged.
        let count = replacements.partition_point(|r| sides(r).0.start < at);
        let Some(last) = count.checked_sub(1).map(|i| &replacements[i]) else {
            return at;
        };
        let (source, target) = sides(last);
        if at < source.end {
            // Inside a replaced piece: snap outwards.
            return if is_start { target.start } else { target.end };
        }
        target.end + (at - source.end)
    };
    let start = position(span.start, true);
    Span::new(start, position(span.end, false).max(start))
}

/// Calls `f` on every span of a field value.
pub(crate) fn for_each_span(value: &mut crate::data::FieldValue, mut f: impl FnMut(&mut Span)) {
    match value {
        crate::data::FieldValue::One(one) => one.spans.iter_mut().for_each(&mut f),
        crate::data::FieldValue::Many(many) => many
            .iter_mut()
            .flat_map(|item| item.spans.iter_mut())
            .for_each(&mut f),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn replacement(original: (usize, usize), replaced: (usize, usize)) -> Replacement {
        Replacement {
            kind: PhiType::Name,
            original: Span::new(original.0, original.1),
            replaced: Span::new(replaced.0, replaced.1),
            original_text: String::new(),
            new_text: String::new(),
        }
    }

    #[test]
    fn spans_move_with_the_replacements() {
        // "ab NAME cd" (NAME at 3..7) became "ab [NAME-1] cd" (3..11).
        let replacements = [replacement((3, 7), (3, 11))];
        let moved = |s, e| move_span(Span::new(s, e), &replacements, Side::Original);
        assert_eq!(moved(0, 2), Span::new(0, 2));
        assert_eq!(moved(8, 10), Span::new(12, 14));
        assert_eq!(moved(4, 9), Span::new(3, 13), "inside a replacement: grow");
        let back = move_span(Span::new(12, 14), &replacements, Side::Replaced);
        assert_eq!(back, Span::new(8, 10));
    }
}
