//! The template summary: fixed sentences filled from an extraction result.

use serde_json::Value;

use crate::data::{Document, Grounded, Lang};
use crate::text::Span;

use super::{Section, Statement, Summary};

/// Writes the summary of a letter from its extracted fields (gold labels, or what the
/// rules baseline found), in the letter's language. Words that depend on the language
/// (the reason, a diagnosis, a medicine) are quoted from the letter's own evidence, and
/// numbers come from the field values, so every statement carries the spans it was
/// built from. The same fields always give the same summary.
///
/// ```
/// use clinkit::data::{Document, Lang};
/// let letter = Document::new("ex-1", Lang::En, "referral",
///     "Dear colleague, this 71-year-old woman has LVEF 35% and no history of AF.");
/// let found = clinkit::extract::rules::extract(&letter);
/// let summary = clinkit::summarise::template_summary(&found);
/// assert_eq!(summary.render_text(),
///     "Patient: 71-year-old woman\nHistory: no AF\nFindings: LVEF 35%\n");
/// ```
pub fn template_summary(extracted: &Document) -> Summary {
    let mut statements = Vec::new();
    statements.extend(who_and_why(extracted));
    statements.extend(history(extracted));
    statements.extend(medication(extracted));
    statements.extend(findings(extracted));
    statements.extend(questions(extracted));
    Summary {
        id: extracted.id.clone(),
        lang: extracted.lang,
        source: "template".to_string(),
        statements,
    }
}

/// The items of a field, empty when the field is missing.
fn items<'a>(document: &'a Document, field: &str) -> &'a [Grounded] {
    document
        .fields
        .get(field)
        .map_or(&[], |value| value.items())
}

/// The single value of a field, if it is there.
fn single<'a>(document: &'a Document, field: &str) -> Option<&'a Grounded> {
    items(document, field).first()
}

/// The letter's own words for an item: the text of its first evidence span.
fn quote<'a>(document: &'a Document, item: &Grounded) -> Option<&'a str> {
    let span = item.spans.first()?;
    document.slice(*span).map(str::trim)
}

/// A number as a doctor writes it: `35`, or `2,5` in Dutch and `2.5` in English.
pub(super) fn format_number(value: &Value, lang: Lang) -> String {
    let Some(number) = value.as_f64() else {
        return value.as_str().unwrap_or_default().to_string();
    };
    if number.fract() == 0.0 {
        format!("{}", number as i64)
    } else if lang == Lang::Nl {
        format!("{number}").replace('.', ",")
    } else {
        format!("{number}")
    }
}

/// "67-jarige man, verwezen wegens pijn op de borst (spoed)".
fn who_and_why(doc: &Document) -> Option<Statement> {
    let nl = doc.lang == Lang::Nl;
    let mut spans: Vec<Span> = Vec::new();
    let mut take = |item: &Grounded| spans.extend(item.spans.iter().copied());
    let person = match (single(doc, "sex").and_then(|s| s.value.as_str()), nl) {
        (Some("male"), _) => "man",
        (Some("female"), true) => "vrouw",
        (Some("female"), false) => "woman",
        (_, true) => "patiënt",
        (_, false) => "patient",
    };
    single(doc, "sex").map(&mut take);
    let mut text = match single(doc, "age") {
        Some(age) => {
            take(age);
            let years = format_number(&age.value, doc.lang);
            if nl {
                format!("{years}-jarige {person}")
            } else {
                format!("{years}-year-old {person}")
            }
        }
        None => capitalised(person),
    };
    if let Some(reason) = single(doc, "referral_reason") {
        if let Some(words) = quote(doc, reason) {
            take(reason);
            text.push_str(if nl {
                ", verwezen wegens "
            } else {
                ", referred for "
            });
            text.push_str(words);
        }
    }
    if let Some(urgency) = single(doc, "urgency") {
        take(urgency);
        let word = match (urgency.value.as_str(), nl) {
            (Some("urgent"), true) => "spoed",
            (Some("urgent"), false) => "urgent",
            (_, true) => "regulier",
            (_, false) => "routine",
        };
        text.push_str(&format!(" ({word})"));
    }
    if spans.is_empty() {
        return None;
    }
    spans.sort();
    Some(Statement::new(Section::Who, text, spans))
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// One statement per diagnosis (not the questions), allergy and smoking.
fn history(doc: &Document) -> Vec<Statement> {
    let nl = doc.lang == Lang::Nl;
    let mut out = Vec::new();
    for item in items(doc, "diagnoses") {
        let Some(words) = quote(doc, item) else {
            continue;
        };
        let text = match (item.value["status"].as_str(), nl) {
            (Some("hypothetical"), _) => continue,
            (Some("absent"), true) => format!("geen {words}"),
            (Some("absent"), false) => format!("no {words}"),
            (Some("historical"), true) => format!("status na {words}"),
            (Some("historical"), false) => format!("previous {words}"),
            (Some("family"), true) => format!("familieanamnese: {words}"),
            (Some("family"), false) => format!("family history: {words}"),
            _ => words.to_string(),
        };
        out.push(Statement::new(Section::History, text, item.spans.clone()));
    }
    for item in items(doc, "allergies") {
        if let Some(words) = quote(doc, item) {
            let label = if nl { "allergie" } else { "allergy" };
            out.push(Statement::new(
                Section::History,
                format!("{label}: {words}"),
                item.spans.clone(),
            ));
        }
    }
    if let Some(item) = single(doc, "smoking") {
        if let Some(words) = quote(doc, item) {
            let label = if nl { "roken" } else { "smoking" };
            out.push(Statement::new(
                Section::History,
                format!("{label}: {words}"),
                item.spans.clone(),
            ));
        }
    }
    out
}

/// One statement per medicine, in the letter's own words ("Plavix 75 mg 1-0-0").
fn medication(doc: &Document) -> Vec<Statement> {
    items(doc, "medications")
        .iter()
        .filter_map(|item| {
            let words = quote(doc, item)?;
            Some(Statement::new(
                Section::Medication,
                words,
                item.spans.clone(),
            ))
        })
        .collect()
}

/// LVEF, NYHA, blood pressure, NT-proBNP and eGFR, with units.
fn findings(doc: &Document) -> Vec<Statement> {
    let nl = doc.lang == Lang::Nl;
    let number = |item: &Grounded| format_number(&item.value, doc.lang);
    let mut out = Vec::new();
    if let Some(item) = single(doc, "lvef_percent") {
        out.push(Statement::new(
            Section::Findings,
            format!("LVEF {}%", number(item)),
            item.spans.clone(),
        ));
    }
    if let Some(item) = single(doc, "nyha_class") {
        out.push(Statement::new(
            Section::Findings,
            format!("NYHA {}", number(item)),
            item.spans.clone(),
        ));
    }
    if let (Some(high), Some(low)) = (single(doc, "bp_systolic"), single(doc, "bp_diastolic")) {
        let mut spans: Vec<Span> = high.spans.iter().chain(&low.spans).copied().collect();
        spans.sort();
        let label = if nl { "RR" } else { "BP" };
        out.push(Statement::new(
            Section::Findings,
            format!("{label} {}/{} mmHg", number(high), number(low)),
            spans,
        ));
    }
    if let Some(item) = single(doc, "ntprobnp_ng_l") {
        let unit = if nl { "ng/l" } else { "ng/L" };
        out.push(Statement::new(
            Section::Findings,
            format!("NT-proBNP {} {unit}", number(item)),
            item.spans.clone(),
        ));
    }
    if let Some(item) = single(doc, "egfr") {
        out.push(Statement::new(
            Section::Findings,
            format!("eGFR {}", number(item)),
            item.spans.clone(),
        ));
    }
    out
}

/// The referrer's questions: the diagnoses to rule out.
fn questions(doc: &Document) -> Vec<Statement> {
    let nl = doc.lang == Lang::Nl;
    items(doc, "diagnoses")
        .iter()
        .filter(|item| item.value["status"] == "hypothetical")
        .filter_map(|item| {
            let words = quote(doc, item)?;
            let text = if nl {
                format!("uitsluiten {words}")
            } else {
                format!("rule out {words}")
            };
            Some(Statement::new(Section::Questions, text, item.spans.clone()))
        })
        .collect()
}
