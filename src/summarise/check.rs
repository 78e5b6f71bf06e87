//! Is a summary faithful to its letter? Checks every statement against the letter and
//! its reference fields.

use std::sync::OnceLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::data::{Document, FieldValue};
use crate::eval::{normalize_text, numbers_match};
use crate::extract::rules;

use super::{Statement, Summary};

/// What can be wrong with a statement of a summary.
///
/// ```
/// use clinkit::summarise::Problem;
/// let p = Problem::InventedNumber { number: "53".into() };
/// assert_eq!(serde_json::to_string(&p).unwrap(), r#"{"kind":"invented_number","number":"53"}"#);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Problem {
    /// The statement points at no words of the letter at all.
    NoEvidence,
    /// An evidence span lies outside the letter (or is empty).
    EvidenceOutsideText {
        /// The span as `[start, end]`.
        span: [usize; 2],
    },
    /// A number that is neither in the letter nor a value of its reference fields.
    InventedNumber {
        /// The number as written in the statement.
        number: String,
    },
    /// A medicine that the letter does not mention.
    UnknownDrug {
        /// The medicine's name as found in the statement.
        drug: String,
    },
    /// The statement says a diagnosis is there where the letter says it is not, or the other way round.
    FlippedNegation {
        /// The diagnosis.
        diagnosis: String,
        /// Its status in the letter's reference fields, such as `absent`.
        letter: String,
        /// Its status as the statement says it, such as `present`.
        statement: String,
    },
}

/// Checks every statement of `summary` against `reference`: the letter with its reference
/// fields (gold labels, or an extraction result when there is no gold). Fills each
/// statement's `problems`; a statement with none is *supported*.
///
/// A statement is wrong when it has no evidence, when it writes a number that is not in
/// the letter, names a medicine the letter does not mention, or says the opposite of
/// the letter about a diagnosis ("DM2" where the letter says "geen DM2").
///
/// ```
/// use clinkit::data::{Document, Lang};
/// use clinkit::summarise::{check_summary, Problem, Section, Statement, Summary};
/// let letter = clinkit::extract::rules::extract(&Document::new("ex", Lang::Nl, "referral",
///     "Echo: LVEF 35%. Geen DM2."));
/// let mut summary = Summary { id: "ex".into(), lang: Lang::Nl, source: "test".into(), statements: vec![
///     Statement::new(Section::Findings, "LVEF 53%", vec![clinkit::text::Span::new(11, 13)]),
///     Statement::new(Section::History, "DM2", vec![clinkit::text::Span::new(21, 24)])] };
/// check_summary(&mut summary, &letter);
/// assert_eq!(summary.statements[0].problems, vec![Problem::InventedNumber { number: "53".into() }]);
/// assert!(matches!(summary.statements[1].problems[0], Problem::FlippedNegation { .. }));
/// ```
pub fn check_summary(summary: &mut Summary, reference: &Document) {
    let context = LetterFacts::of(reference);
    for statement in &mut summary.statements {
        statement.problems = problems_of(statement, reference, &context);
    }
}

/// What the check needs to know about the letter, computed once per letter.
struct LetterFacts {
    numbers: Vec<f64>,
    drugs: Vec<String>,
    diagnoses: Vec<(String, String)>,
}

impl LetterFacts {
    fn of(reference: &Document) -> LetterFacts {
        let mut numbers = letter_numbers(reference);
        numbers.sort_by(f64::total_cmp);
        numbers.dedup();
        let mut drugs = names(reference, "medications");
        drugs.extend(names(&rules::extract(reference), "medications"));
        let diagnoses = reference
            .fields
            .get("diagnoses")
            .map(FieldValue::items)
            .unwrap_or_default()
            .iter()
            .map(|item| (name_of(&item.value), status_of(&item.value)))
            .collect();
        LetterFacts {
            numbers,
            drugs,
            diagnoses,
        }
    }
}

fn name_of(value: &serde_json::Value) -> String {
    normalize_text(value["name"].as_str().unwrap_or_default())
}

fn status_of(value: &serde_json::Value) -> String {
    value["status"].as_str().unwrap_or("present").to_string()
}

/// The normalised names of a list field's items (medications, diagnoses).
fn names(document: &Document, field: &str) -> Vec<String> {
    document
        .fields
        .get(field)
        .map(FieldValue::items)
        .unwrap_or_default()
        .iter()
        .map(|item| name_of(&item.value))
        .collect()
}

fn problems_of(statement: &Statement, reference: &Document, facts: &LetterFacts) -> Vec<Problem> {
    let mut problems = Vec::new();
    if statement.spans.is_empty() {
        problems.push(Problem::NoEvidence);
    }
    let length = reference.char_len();
    for span in &statement.spans {
        if span.is_empty() || span.end > length {
            problems.push(Problem::EvidenceOutsideText {
                span: [span.start, span.end],
            });
        }
    }
    for (written, readings) in numbers_in(&statement.text) {
        let known = readings
            .iter()
            .any(|&n| facts.numbers.iter().any(|&m| numbers_match(m, n, 0.0)));
        if !known {
            problems.push(Problem::InventedNumber { number: written });
        }
    }
    let as_letter = Document::new(
        "statement",
        reference.lang,
        "summary",
        statement.text.clone(),
    );
    let said = rules::extract(&as_letter);
    for drug in names(&said, "medications") {
        if !facts.drugs.contains(&drug) {
            problems.push(Problem::UnknownDrug { drug });
        }
    }
    for item in said
        .fields
        .get("diagnoses")
        .map(FieldValue::items)
        .unwrap_or_default()
    {
        let (name, status) = (name_of(&item.value), status_of(&item.value));
        let in_letter = facts.diagnoses.iter().find(|(known, _)| *known == name);
        if let Some((_, letter_status)) = in_letter {
            if (letter_status == "absent") != (status == "absent") {
                problems.push(Problem::FlippedNegation {
                    diagnosis: name,
                    letter: letter_status.clone(),
                    statement: status,
                });
            }
        }
    }
    problems
}

fn number_pattern() -> &'static Regex {
    static PATTERN: OnceLock<Regex> = OnceLock::new();
    PATTERN.get_or_init(|| Regex::new(r"\d+(?:[.,]\d+)*").expect("valid number pattern"))
}

/// The numbers written in a text, each with the values it can mean. `4.870` can be four
/// thousand eight hundred and seventy (Dutch) or four point eight seven (English), so
/// both readings are kept; `2,5` is two and a half.
///
/// ```
/// let found = clinkit::summarise::numbers_in("NT-proBNP 4.870 ng/l, 2,5 mg");
/// assert_eq!(found[0], ("4.870".to_string(), vec![4870.0, 4.87]));
/// assert_eq!(found[1], ("2,5".to_string(), vec![2.5]));
/// ```
pub fn numbers_in(text: &str) -> Vec<(String, Vec<f64>)> {
    number_pattern()
        .find_iter(text)
        .map(|m| (m.as_str().to_string(), readings(m.as_str())))
        .collect()
}

/// The values a written number can mean.
fn readings(written: &str) -> Vec<f64> {
    let groups: Vec<&str> = written.split(['.', ',']).collect();
    let mut values = Vec::new();
    let thousands = groups.len() > 1 && groups[1..].iter().all(|g| g.len() == 3);
    if groups.len() == 1 || thousands {
        values.extend(groups.concat().parse::<f64>().ok());
    }
    if groups.len() == 2 {
        values.extend(format!("{}.{}", groups[0], groups[1]).parse::<f64>().ok());
    }
    values
}

/// Every value a number in the letter can mean, plus the numeric values of its reference
/// fields (an age written in words, a dose): the numbers a summary may use.
///
/// ```
/// use clinkit::data::{Document, Lang};
/// let letter = Document::new("ex", Lang::Nl, "referral", "RR 142/88, NT-proBNP 1.250");
/// let numbers = clinkit::summarise::letter_numbers(&letter);
/// assert!(numbers.contains(&142.0) && numbers.contains(&1250.0));
/// ```
pub fn letter_numbers(reference: &Document) -> Vec<f64> {
    let mut numbers: Vec<f64> = numbers_in(&reference.text)
        .into_iter()
        .flat_map(|(_, values)| values)
        .collect();
    for value in reference.fields.values() {
        for item in value.items() {
            numbers.extend(item.value.as_f64());
            numbers.extend(item.value.get("dose").and_then(|d| d.as_f64()));
        }
    }
    numbers
}
