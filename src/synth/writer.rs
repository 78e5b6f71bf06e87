//! Writing a synthetic letter piece by piece while keeping track of where every label stands.
//!
//! The generator never searches its own output for the words it labelled: it records
//! each span *while writing*, so the spans are right by construction.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::data::{Lang, PhiSpan, PhiType};
use crate::text::Span;

use super::date::Date;
use super::rng::Rng;
use super::Difficulty;

/// A field of the referral schema that a piece of evidence supports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Field {
    Age,
    Sex,
    ReferralReason,
    Urgency,
    Diagnosis,
    Medication,
    Allergy,
    Lvef,
    Nyha,
    Smoking,
    BpSystolic,
    BpDiastolic,
    NtProBnp,
    Egfr,
}

impl Field {
    /// The field's name in the schema.
    pub fn name(self) -> &'static str {
        match self {
            Field::Age => "age",
            Field::Sex => "sex",
            Field::ReferralReason => "referral_reason",
            Field::Urgency => "urgency",
            Field::Diagnosis => "diagnoses",
            Field::Medication => "medications",
            Field::Allergy => "allergies",
            Field::Lvef => "lvef_percent",
            Field::Nyha => "nyha_class",
            Field::Smoking => "smoking",
            Field::BpSystolic => "bp_systolic",
            Field::BpDiastolic => "bp_diastolic",
            Field::NtProBnp => "ntprobnp_ng_l",
            Field::Egfr => "egfr",
        }
    }
}

/// One piece of evidence: this span of the text supports this value of this field.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Evidence {
    pub field: Field,
    /// For list fields, what the item is about (the diagnosis or medicine name); else empty.
    pub key: String,
    pub value: Value,
    pub span: Span,
    /// The date the value was measured, when the text gives one; otherwise the part's date counts.
    pub date: Option<Date>,
    /// Which part of a patient file the evidence is in (0 for a single letter).
    pub part: usize,
}

/// A piece of text with the PHI and the evidence found in it (spans relative to its start).
#[derive(Debug, Clone, Default)]
pub(crate) struct Text {
    pub text: String,
    pub chars: usize,
    pub phi: Vec<PhiSpan>,
    pub evidence: Vec<Evidence>,
}

impl Text {
    /// Appends `piece` and returns where it landed.
    pub fn push(&mut self, piece: &str) -> Span {
        let start = self.chars;
        self.text.push_str(piece);
        self.chars += piece.chars().count();
        Span::new(start, self.chars)
    }

    /// Appends another text, moving its spans along.
    pub fn append(&mut self, other: Text) {
        let offset = self.chars;
        self.text.push_str(&other.text);
        self.chars += other.chars;
        self.phi.extend(other.phi.into_iter().map(|phi| PhiSpan {
            start: phi.start + offset,
            end: phi.end + offset,
            kind: phi.kind,
        }));
        self.evidence
            .extend(other.evidence.into_iter().map(|mut evidence| {
                evidence.span = evidence.span.shifted(offset);
                evidence
            }));
    }
}

/// Writes a document as a list of blocks (paragraphs, sections, table rows) that a
/// page layout can place; records PHI and evidence spans on the way; adds typos.
pub(crate) struct Writer<'r> {
    pub rng: &'r mut Rng,
    pub lang: Lang,
    /// Chance, per thousand eligible words of running text, of a typo.
    pub typo_per_mille: u32,
    /// Chance, in percent, that a diagnosis or medicine name gets a typo.
    pub evidence_typo_percent: u32,
    current: Text,
    blocks: Vec<Text>,
    pub difficulties: BTreeSet<Difficulty>,
}

impl<'r> Writer<'r> {
    pub fn new(rng: &'r mut Rng, lang: Lang) -> Self {
        Writer {
            rng,
            lang,
            typo_per_mille: 0,
            evidence_typo_percent: 0,
            current: Text::default(),
            blocks: Vec::new(),
            difficulties: BTreeSet::new(),
        }
    }

    /// True for a Dutch letter.
    pub fn nl(&self) -> bool {
        self.lang == Lang::Nl
    }

    /// Picks the Dutch or the English text.
    pub fn tr<'t>(&self, dutch: &'t str, english: &'t str) -> &'t str {
        if self.nl() {
            dutch
        } else {
            english
        }
    }

    /// Records that the letter has a difficulty.
    pub fn mark(&mut self, difficulty: Difficulty) {
        self.difficulties.insert(difficulty);
    }

    /// Writes text exactly as given.
    pub fn push(&mut self, piece: &str) -> Span {
        self.current.push(piece)
    }

    /// Writes one of several texts exactly as given.
    pub fn push_one_of(&mut self, options: &[&str]) {
        let choice = options[self.rng.below(options.len())];
        self.current.push(choice);
    }

    /// Writes one of several running texts (with the odd typo for a sloppy writer).
    pub fn prose_one_of(&mut self, options: &[&str]) {
        let choice = options[self.rng.below(options.len())];
        self.prose(choice);
    }

    /// True when the block written so far ends with `suffix`.
    pub fn ends_with(&self, suffix: &str) -> bool {
        self.current.text.ends_with(suffix)
    }

    /// Ends a sentence: a full stop (unless the text already ends with one) and a space.
    pub fn end_sentence(&mut self) {
        if !(self.ends_with(".") || self.ends_with("?")) {
            self.current.push(".");
        }
        self.current.push(" ");
    }

    /// Writes text and a line break.
    pub fn line(&mut self, piece: &str) {
        self.current.push(piece);
        self.current.push("\n");
    }

    /// Writes running text, where a sloppy writer makes the odd typo.
    pub fn prose(&mut self, piece: &str) {
        if self.typo_per_mille == 0 {
            self.current.push(piece);
            return;
        }
        let mut out = String::with_capacity(piece.len() + 4);
        for (index, word) in piece.split(' ').enumerate() {
            if index > 0 {
                out.push(' ');
            }
            if typo_eligible(word) && self.rng.below(1000) < self.typo_per_mille as usize {
                out.push_str(&typo(word, self.rng));
                self.difficulties.insert(Difficulty::Typo);
            } else {
                out.push_str(word);
            }
        }
        self.current.push(&out);
    }

    /// A name of a diagnosis or medicine as written, possibly with a typo (the gold value
    /// stays canonical, the span covers the misspelt word).
    pub fn evidence_surface(&mut self, surface: &str) -> String {
        let long_enough = surface.chars().filter(|c| c.is_alphabetic()).count() >= 6;
        if long_enough
            && self.evidence_typo_percent > 0
            && self.rng.chance(self.evidence_typo_percent)
        {
            self.difficulties.insert(Difficulty::TypoInEvidence);
            // Misspell the longest word of the name.
            let longest = surface
                .split(' ')
                .max_by_key(|word| word.chars().count())
                .unwrap_or(surface);
            if typo_eligible(longest) {
                return surface.replacen(longest, &typo(longest, self.rng), 1);
            }
        }
        surface.to_string()
    }

    /// Writes a piece of PHI.
    pub fn phi(&mut self, piece: &str, kind: PhiType) -> Span {
        let span = self.current.push(piece);
        self.current.phi.push(PhiSpan {
            start: span.start,
            end: span.end,
            kind,
        });
        span
    }

    /// Writes the evidence for a field value.
    pub fn evidence(
        &mut self,
        piece: &str,
        field: Field,
        key: &str,
        value: Value,
        date: Option<Date>,
    ) -> Span {
        let span = self.current.push(piece);
        self.record(span, field, key, value, date);
        span
    }

    /// Records evidence for text that is already written.
    pub fn record(
        &mut self,
        span: Span,
        field: Field,
        key: &str,
        value: Value,
        date: Option<Date>,
    ) {
        self.current.evidence.push(Evidence {
            field,
            key: key.to_string(),
            value,
            span,
            date,
            part: 0,
        });
    }

    /// Writes text that is both PHI and evidence (the patient's age).
    pub fn phi_evidence(&mut self, piece: &str, kind: PhiType, field: Field, value: Value) -> Span {
        let span = self.phi(piece, kind);
        self.record(span, field, "", value, None);
        span
    }

    /// Ends the current block: the page layout may break the page after it.
    pub fn end_block(&mut self) {
        if !self.current.text.is_empty() {
            self.blocks.push(std::mem::take(&mut self.current));
        }
    }

    /// All blocks written.
    pub fn finish(mut self) -> (Vec<Text>, BTreeSet<Difficulty>) {
        self.end_block();
        (self.blocks, self.difficulties)
    }
}

/// Words that change the meaning of a sentence (negation, family, history, doubt):
/// a typo there could change the gold label, so they are always written correctly.
const PROTECTED: [&str; 24] = [
    "geen",
    "niet",
    "nooit",
    "zonder",
    "ontkent",
    "uitgesloten",
    "uitsluiten",
    "verdenking",
    "mogelijk",
    "status",
    "vader",
    "moeder",
    "broer",
    "familie",
    "denies",
    "without",
    "excluded",
    "previous",
    "history",
    "father",
    "mother",
    "brother",
    "sister",
    "possible",
];

/// True for a plain word of at least six letters that is not a meaning-changing cue.
fn typo_eligible(word: &str) -> bool {
    word.chars().count() >= 6
        && word.chars().all(char::is_alphabetic)
        && word.chars().next().is_some_and(char::is_lowercase)
        && !PROTECTED.contains(&word.to_lowercase().as_str())
}

/// A deterministic slip of the keyboard: two letters swapped, one dropped, or one doubled.
pub(crate) fn typo(word: &str, rng: &mut Rng) -> String {
    let mut chars: Vec<char> = word.chars().collect();
    if chars.len() < 4 {
        return word.to_string();
    }
    // Never the first letter: people rarely get that wrong.
    let at = 1 + rng.below(chars.len() - 2);
    match rng.below(3) {
        0 if chars[at] != chars[at + 1] => chars.swap(at, at + 1),
        1 => {
            chars.remove(at);
        }
        _ => chars.insert(at, chars[at]),
    }
    let misspelt: String = chars.into_iter().collect();
    if misspelt == word {
        format!("{word}{}", word.chars().last().unwrap_or('e'))
    } else {
        misspelt
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_follow_characters_not_bytes() {
        let mut rng = Rng::new(1);
        let mut writer = Writer::new(&mut rng, Lang::Nl);
        writer.push("Één ");
        writer.phi("mw. Ëlsa", PhiType::Name);
        let (blocks, _) = writer.finish();
        let mut all = Text::default();
        all.push("café ");
        all.append(blocks.into_iter().next().unwrap());
        let phi = all.phi[0];
        assert_eq!(
            Span::new(phi.start, phi.end).slice(&all.text),
            Some("mw. Ëlsa")
        );
    }

    #[test]
    fn typos_change_the_word() {
        let mut rng = Rng::new(3);
        for _ in 0..100 {
            let word = typo("boezemfibrilleren", &mut rng);
            assert_ne!(word, "boezemfibrilleren");
            assert!(word.starts_with('b'));
        }
    }
}
