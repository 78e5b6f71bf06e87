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
use crate::extract::context::{mention_status, Status};
use crate::text::{byte_to_char, char_to_byte, Span};

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
    put("age", patient_age(text));
    put("sex", first_choice(text, &patterns().sex));
    put("urgency", first_choice(text, &patterns().urgency));
    put("referral_reason", referral_reason(text));
    put("lvef_percent", newest_number(text, &patterns().lvef));
    put("nyha_class", nyha_class(text));
    put("smoking", first_choice(text, &patterns().smoking));
    let (systolic, diastolic) = blood_pressure(text);
    put("bp_systolic", systolic);
    put("bp_diastolic", diastolic);
    put("ntprobnp_ng_l", newest_number(text, &patterns().ntprobnp));
    put("egfr", newest_number(text, &patterns().egfr));
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
    english_thousands: Regex,
    year: Regex,
}

fn patterns() -> &'static Patterns {
    static PATTERNS: OnceLock<Patterns> = OnceLock::new();
    PATTERNS.get_or_init(|| Patterns {
        age: regex(r"(?i)\b(\d{1,3})[- ]?(?:jarige|jaar oud|jaar\)|jr\b|j\.|years? old|year-old|yo\b|y/o|y\))|(?i)\b(?:leeftijd|age|aged)[: ]+(\d{1,3})\b"),
        sex: vec![
            (regex(r"(?i)\b(?:(?:dhr|mr)\b\.?|(?:de heer|meneer|man|male|gentleman|he)\b)"), "male"),
            (regex(r"(?i)\b(?:(?:mw|mevr|mrs|ms)\b\.?|(?:mevrouw|vrouw|miss|female|woman|lady|she)\b)"), "female"),
        ],
        urgency: vec![
            (regex(r"(?i)\b(?:niet spoed|geen spoed|regulier|reguliere|routine|non-urgent|not urgent)\b"), "routine"),
            (regex(r"(?i)\b(?:spoed|spoedig|urgent|urgently|z\.s\.m\.?|asap|semi-urgent)\b"), "urgent"),
        ],
        reason: regex(r"(?i)(?:reden (?:van )?verwijzing|verwijsreden|vraagstelling|verwezen (?:i\.v\.m\.|wegens|vanwege)|i\.v\.m\.|reason for referral|referred (?:for|because of|with)|question)\s*:?\s*([^.\n]{3,120})"),
        lvef: regex(r"(?i)\b(?:lvef|ef|ejectiefractie|ejection fraction|linkerventrikel ejectiefractie)\b\D{0,20}?(\d{1,2})\s?%"),
        nyha: regex(r"(?i)\bnyha(?:[- ]?(?:klasse|class|functional class))?\s*:?\s*\b(IV|III|II|I|[1-4])\b"),
        smoking: vec![
            (regex(r"(?i)\b(?:nooit gerookt|niet-roker|niet roker|rookt niet|never smoked|non-smoker|never smoker|nonsmoker|lifelong non-smoker)\b"), "never"),
            (regex(r"(?i)\b(?:gestopt met roken|ex-roker|voormalig roker|rookte|gestopt|former smoker|ex-smoker|quit smoking|stopped smoking|previously smoked|gave up smoking)\b"), "former"),
            (regex(r"(?i)\b(?:rookt|roker|smoker|smokes|current smoker|still smoking|actively smoking)\b"), "current"),
        ],
        blood_pressure: regex(r"(?i)\b(?:rr|bp|tensie|bloeddruk|blood pressure|ta)\b\D{0,15}?(\d{2,3})\s?/\s?(\d{2,3})"),
        ntprobnp: regex(r"(?i)\bnt-?\s?pro-?\s?bnp\b\D{0,15}?(\d{1,3}(?:\.\d{3})+|\d+(?:[.,]\d+)?)\s*(?:ng/l|pg/ml)"),
        egfr: regex(r"(?i)\b(?:e?gfr|mdrd|ckd-epi)\b\D{0,15}?(\d+(?:[.,]\d+)?)"),
        dutch_thousands: regex(r"^\d{1,3}(?:\.\d{3})+$"),
        english_thousands: regex(r"^[1-9]\d{0,2}(?:,\d{3})+$"),
        year: regex(r"\b(?:19|20)\d{2}\b"),
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
    Some(FieldValue::One(Grounded::new(
        value,
        vec![char_span(text, group.start(), group.end())],
    )))
}

/// Reads a number as written in a letter: `1.250` (Dutch thousands), `1,250` (English
/// thousands), `4,5` (Dutch decimal), `4.5`, `0,125`.
///
/// A comma followed by exactly three digits after a number that does not start with 0 is
/// read as a thousands separator: lab values such as NT-proBNP are written that way in
/// English letters, and Dutch letters rarely give three decimals.
fn parse_number(written: &str) -> Option<f64> {
    let plain = if patterns().dutch_thousands.is_match(written) {
        written.replace('.', "")
    } else if patterns().english_thousands.is_match(written) {
        written.replace(',', "")
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

/// The patient's age: the first age mention that is not about a relative
/// ("vader overleed op 52-jarige leeftijd" is the father's age).
fn patient_age(text: &str) -> Option<FieldValue> {
    patterns().age.captures_iter(text).find_map(|captures| {
        let group = captures.iter().skip(1).flatten().next()?;
        let span = char_span(text, group.start(), group.end());
        (mention_status(text, span) != Status::Family)
            .then(|| number_field(text, &captures))
            .flatten()
    })
}

/// The number of the most recent match of `pattern`, by the year written closest to it:
/// the last year between the previous match and this one ("nu (12/06/2021) LVEF 38%"),
/// or else the first year after it, before the next match ("LVEF 38% (juni 2021)").
/// Without years, the first match wins. This follows the conflict rule of the gold
/// labels: the most recent dated value counts.
fn newest_number(text: &str, pattern: &Regex) -> Option<FieldValue> {
    let all: Vec<Captures> = pattern.captures_iter(text).collect();
    let year_of = |index: usize| {
        let whole = all[index].get(0).expect("group 0");
        let previous_end = index
            .checked_sub(1)
            .map_or(0, |i| all[i].get(0).expect("group 0").end());
        let next_start = all
            .get(index + 1)
            .map_or(text.len(), |next| next.get(0).expect("group 0").start());
        let before = tail_chars(&text[previous_end..whole.start()], 60);
        let after = head_chars(&text[whole.end()..next_start], 40);
        let years = |window: &str| {
            patterns()
                .year
                .find_iter(window)
                .filter_map(|y| y.as_str().parse::<u32>().ok())
                .collect::<Vec<_>>()
        };
        years(before)
            .last()
            .copied()
            .or_else(|| years(after).first().copied())
    };
    let newest = (0..all.len()).max_by_key(|&index| (year_of(index), std::cmp::Reverse(index)))?;
    number_field(text, &all[newest])
}

/// The last `count` characters of `text`.
fn tail_chars(text: &str, count: usize) -> &str {
    let skip = text.chars().count().saturating_sub(count);
    &text[char_to_byte(text, skip).expect("inside text")..]
}

/// The first `count` characters of `text`.
fn head_chars(text: &str, count: usize) -> &str {
    &text[..char_to_byte(text, count).unwrap_or(text.len())]
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

/// The reason for referral: the first complaint from the word list that is not denied,
/// otherwise the words after a heading such as "Reden van verwijzing:".
fn referral_reason(text: &str) -> Option<FieldValue> {
    let complaint = lexicon::reason_mentions(text)
        .into_iter()
        .find(|(_, span)| mention_status(text, *span) == Status::Present);
    if let Some((reason, span)) = complaint {
        return Some(FieldValue::One(Grounded::new(json!(reason), vec![span])));
    }
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
