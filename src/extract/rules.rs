//! The rules baseline: regular expressions and word lists, no model at all.
//!
//! Before trusting a language model with a task, find out how far simple rules get.
//! Rules are fast, never make things up, and every answer points at the words it came
//! from. They fail on phrasing nobody wrote a rule for. A model is only worth its cost
//! where it beats them, so every evaluation in the course puts the two side by side.
//!
//! ```
//! use clinkit::data::{Document, Lang};
//! let letter = Document::new("ex-1", Lang::Nl, "referral",
//!     "Graag zien wij deze 67-jarige man. Echo: LVEF 35%. RR 142/88 mmHg. Geen DM2.");
//! let found = clinkit::extract::rules::extract(&letter);
//! assert_eq!(found.fields["age"].items()[0].value, 67);
//! assert_eq!(found.fields["lvef_percent"].items()[0].value, 35);
//! assert_eq!(found.fields["bp_systolic"].items()[0].value, 142);
//! let diabetes = &found.fields["diagnoses"].items()[0];
//! assert_eq!(diabetes.value["status"], "absent");
//! assert_eq!(found.slice(diabetes.spans[0]), Some("DM2"));
//! ```

use std::collections::BTreeMap;
use std::sync::OnceLock;

use regex::{Captures, Regex};
use serde_json::{json, Value};

use crate::data::{Document, FieldValue, Grounded};
use crate::extract::context::mention_status;
use crate::text::{byte_to_char, Span};

mod lexicon;

/// Finds the referral-schema fields in a document with rules, and returns a copy of the
/// document (same id, language and text) whose `fields` hold what was found, each value
/// with the span of its evidence. Gold labels of the input are not copied.
pub fn extract(document: &Document) -> Document {
    let text = document.text.as_str();
    let mut fields = BTreeMap::new();
    let mut put = |name: &str, value: Option<FieldValue>| {
        if let Some(value) = value {
            fields.insert(name.to_string(), value);
        }
    };
    put("age", first_number(text, &patterns().age));
    put("sex", first_choice(text, &patterns().sex));
    put("urgency", first_choice(text, &patterns().urgency));
    put("referral_reason", referral_reason(text));
    put("lvef_percent", last_number(text, &patterns().lvef));
    put("nyha_class", nyha_class(text));
    put("smoking", first_choice(text, &patterns().smoking));
    let (systolic, diastolic) = blood_pressure(text);
    put("bp_systolic", systolic);
    put("bp_diastolic", diastolic);
    put("ntprobnp_ng_l", last_number(text, &patterns().ntprobnp));
    put("egfr", last_number(text, &patterns().egfr));
    put("diagnoses", non_empty(diagnoses(text)));
    put("medications", non_empty(lexicon::medications(text)));
    put("allergies", non_empty(lexicon::allergies(text)));
    Document {
        fields,
        phi: Vec::new(),
        ..document.clone()
    }
}

/// The regular expressions of the baseline, compiled once.
struct Patterns {
    age: Regex,
    sex: Vec<(Regex, &'static str)>,
    urgency: Vec<(Regex, &'static str)>,
    reason: Regex,
    lvef: Regex,
    nyha: Regex,
    smoking: Vec<(Regex, &'static str)>,
    blood_pressure: Regex,
    ntprobnp: Regex,
    egfr: Regex,
    dutch_thousands: Regex,
}

fn patterns() -> &'static Patterns {
    static PATTERNS: OnceLock<Patterns> = OnceLock::new();
    PATTERNS.get_or_init(|| Patterns {
        age: regex(r"(?i)\b(\d{1,3})[- ]?(?:jarige|jaar oud|jr\b|years? old|year-old|yo\b|y/o)|(?i)\b(?:leeftijd|age|aged)[: ]+(\d{1,3})\b"),
        sex: vec![
            (regex(r"(?i)\b(?:(?:dhr|mr)\b\.?|(?:de heer|meneer|man|male|gentleman|he)\b)"), "male"),
            (regex(r"(?i)\b(?:(?:mw|mevr|mrs|ms)\b\.?|(?:mevrouw|vrouw|miss|female|woman|lady|she)\b)"), "female"),
        ],
        urgency: vec![
            (regex(r"(?i)\b(?:niet spoed|geen spoed|regulier|reguliere|routine|non-urgent|not urgent)\b"), "routine"),
            (regex(r"(?i)\b(?:spoed|spoedig|urgent|urgently|z\.s\.m\.?|asap|semi-urgent)\b"), "urgent"),
        ],
        reason: regex(r"(?i)(?:reden (?:van )?verwijzing|verwijsreden|vraagstelling|reason for referral|referred (?:for|because of|with))\s*:?\s*([^.\n]{3,120})"),
        lvef: regex(r"(?i)\b(?:lvef|ef|ejectiefractie|ejection fraction|linkerventrikel ejectiefractie)\b\D{0,20}?(\d{1,2})\s?%"),
        nyha: regex(r"(?i)\bnyha(?:[- ]?(?:klasse|class|functional class))?\s*:?\s*\b(IV|III|II|I|[1-4])\b"),
        smoking: vec![
            (regex(r"(?i)\b(?:nooit gerookt|niet-roker|niet roker|rookt niet|never smoked|non-smoker|never smoker|nonsmoker)\b"), "never"),
            (regex(r"(?i)\b(?:gestopt met roken|ex-roker|voormalig roker|gestopt|former smoker|ex-smoker|quit smoking|stopped smoking|previously smoked)\b"), "former"),
            (regex(r"(?i)\b(?:rookt|roker|smoker|smokes|current smoker|smoking)\b"), "current"),
        ],
        blood_pressure: regex(r"(?i)\b(?:rr|bp|tensie|bloeddruk|blood pressure|ta)\b\D{0,15}?(\d{2,3})\s?/\s?(\d{2,3})"),
        ntprobnp: regex(r"(?i)\bnt-?\s?pro-?\s?bnp\b\D{0,15}?(\d{1,3}(?:\.\d{3})+|\d+(?:[.,]\d+)?)\s*(?:ng/l|pg/ml)"),
        egfr: regex(r"(?i)\b(?:e?gfr|mdrd|ckd-epi)\b\D{0,15}?(\d+(?:[.,]\d+)?)"),
        dutch_thousands: regex(r"^\d{1,3}(?:\.\d{3})+$"),
    })
}

/// Compiles a pattern written in this file (a bad pattern is a bug, caught by the tests).
fn regex(pattern: &str) -> Regex {
    Regex::new(pattern).expect("the rules' patterns are valid")
}

/// The character span of a regular-expression match (regex works in bytes).
fn char_span(text: &str, start_byte: usize, end_byte: usize) -> Span {
    let start = byte_to_char(text, start_byte).expect("regex matches on char boundaries");
    Span::new(start, start + text[start_byte..end_byte].chars().count())
}

/// One value with the span of the first capture group that matched.
fn grounded_group(text: &str, captures: &Captures, value: Value) -> Option<FieldValue> {
    let group = captures.iter().skip(1).flatten().next()?;
    Some(FieldValue::One(Grounded::new(value, vec![char_span(text, group.start(), group.end())])))
}

/// Reads a number as written in a letter: `1.250` (Dutch thousands), `4,5` (Dutch decimal), `4.5`.
fn parse_number(written: &str) -> Option<f64> {
    let plain = if patterns().dutch_thousands.is_match(written) {
        written.replace('.', "")
    } else {
        written.replace(',', ".")
    };
    plain.parse().ok()
}

/// A number as JSON: a whole number stays whole (`67`, not `67.0`).
fn number_value(number: f64) -> Value {
    if number.fract() == 0.0 && number.abs() < 1e15 {
        json!(number as i64)
    } else {
        json!(number)
    }
}

/// The number of the first match of `pattern`.
fn first_number(text: &str, pattern: &Regex) -> Option<FieldValue> {
    let captures = pattern.captures(text)?;
    number_field(text, &captures)
}

/// The number of the last match of `pattern`: letters tend to end with the newest value.
fn last_number(text: &str, pattern: &Regex) -> Option<FieldValue> {
    let captures = pattern.captures_iter(text).last()?;
    number_field(text, &captures)
}

fn number_field(text: &str, captures: &Captures) -> Option<FieldValue> {
    let group = captures.iter().skip(1).flatten().next()?;
    let number = parse_number(group.as_str())?;
    grounded_group(text, captures, number_value(number))
}

/// The choice of the earliest match among several (pattern, value) pairs, with the matched
/// words as evidence. The first pair wins when two match at the same place.
fn first_choice(text: &str, choices: &[(Regex, &'static str)]) -> Option<FieldValue> {
    let (found, value) = choices
        .iter()
        .filter_map(|(pattern, value)| pattern.find(text).map(|found| (found, *value)))
        .min_by_key(|(found, _)| found.start())?;
    let span = char_span(text, found.start(), found.end());
    Some(FieldValue::One(Grounded::new(json!(value), vec![span])))
}

/// The reason for referral after a heading such as "Reden van verwijzing:".
fn referral_reason(text: &str) -> Option<FieldValue> {
    let captures = patterns().reason.captures(text)?;
    let group = captures.get(1)?;
    let reason = group.as_str().trim();
    let start = group.start() + (group.as_str().len() - group.as_str().trim_start().len());
    let span = char_span(text, start, start + reason.len());
    Some(FieldValue::One(Grounded::new(json!(reason), vec![span])))
}

/// The NYHA class, written as a Roman or an Arabic numeral, as a Roman numeral.
fn nyha_class(text: &str) -> Option<FieldValue> {
    let captures = patterns().nyha.captures_iter(text).last()?;
    let roman = match &captures[1] {
        "1" => "I",
        "2" => "II",
        "3" => "III",
        "4" => "IV",
        other => return grounded_group(text, &captures, json!(other.to_uppercase())),
    };
    grounded_group(text, &captures, json!(roman))
}

/// Systolic and diastolic blood pressure from the last `RR 142/88` style mention.
fn blood_pressure(text: &str) -> (Option<FieldValue>, Option<FieldValue>) {
    let Some(captures) = patterns().blood_pressure.captures_iter(text).last() else {
        return (None, None);
    };
    let one = |index: usize| {
        let group = captures.get(index)?;
        let number: i64 = group.as_str().parse().ok()?;
        let span = char_span(text, group.start(), group.end());
        Some(FieldValue::One(Grounded::new(json!(number), vec![span])))
    };
    (one(1), one(2))
}

/// Every diagnosis of the word list, with its status from the words around it (ConText).
/// The same (name, status) pair found twice is kept once, with both spans.
fn diagnoses(text: &str) -> Vec<Grounded> {
    let mut found: Vec<Grounded> = Vec::new();
    for (name, span) in lexicon::diagnosis_mentions(text) {
        let status = mention_status(text, span);
        let value = json!({"name": name, "status": status.as_str()});
        match found.iter_mut().find(|item| item.value == value) {
            Some(item) => item.spans.push(span),
            None => found.push(Grounded::new(value, vec![span])),
        }
    }
    found
}

/// A list field, or nothing when the list is empty.
fn non_empty(items: Vec<Grounded>) -> Option<FieldValue> {
    (!items.is_empty()).then_some(FieldValue::Many(items))
}
