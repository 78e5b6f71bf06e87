//! From the evidence recorded while writing to the gold `fields` of a document.
//!
//! The rules (also in DATASHEET.md):
//! - **Measurements and other single values** (age, sex, LVEF, blood pressure, NT-proBNP,
//!   eGFR, NYHA class, smoking, urgency, reason): the value with the **latest date** wins.
//!   A value written with a date ("echo 12-01-2024: LVEF 35%") has that date; a value
//!   without one counts as measured on the date of the letter (or part) it stands in.
//!   The spans point at every mention of the winning value on that date, and at nothing else.
//! - **Diagnoses and allergies**: one item per name; the status (for a diagnosis) and the
//!   spans come from the latest part of the file that mentions it.
//! - **Medications**: the medicines of the latest part that lists medicines (the regimen
//!   current at the last document); medicines stopped earlier are not gold.

use std::collections::BTreeMap;

use crate::data::{FieldValue, Grounded};
use crate::text::Span;

use super::date::Date;
use super::writer::{Evidence, Field};

const SINGLE_FIELDS: [Field; 11] = [
    Field::Age,
    Field::Sex,
    Field::ReferralReason,
    Field::Urgency,
    Field::Lvef,
    Field::Nyha,
    Field::Smoking,
    Field::BpSystolic,
    Field::BpDiastolic,
    Field::NtProBnp,
    Field::Egfr,
];

/// The gold fields of a document from its evidence. `part_dates[i]` is the date of part `i`.
/// For a patient file (`patient_level`), `urgency` and `referral_reason` are left out: they
/// describe one letter, not the patient.
pub(crate) fn resolve(
    evidence: &[Evidence],
    part_dates: &[Date],
    patient_level: bool,
) -> BTreeMap<String, FieldValue> {
    let mut fields = BTreeMap::new();
    for field in SINGLE_FIELDS {
        if patient_level && matches!(field, Field::Urgency | Field::ReferralReason) {
            continue;
        }
        if let Some(grounded) = latest_single(evidence, field, part_dates) {
            fields.insert(field.name().to_string(), FieldValue::One(grounded));
        }
    }
    for field in [Field::Diagnosis, Field::Allergy] {
        let items = latest_per_name(evidence, field);
        if !items.is_empty() {
            fields.insert(field.name().to_string(), FieldValue::Many(items));
        }
    }
    let medications = latest_list(evidence, Field::Medication);
    if !medications.is_empty() {
        fields.insert(
            Field::Medication.name().to_string(),
            FieldValue::Many(medications),
        );
    }
    fields
}

/// The value with the latest date, with the spans of its mentions on that date.
fn latest_single(evidence: &[Evidence], field: Field, part_dates: &[Date]) -> Option<Grounded> {
    let date_of = |e: &Evidence| e.date.unwrap_or(part_dates[e.part]);
    let mentions: Vec<&Evidence> = evidence.iter().filter(|e| e.field == field).collect();
    let latest = mentions.iter().map(|e| date_of(e)).max()?;
    let winners: Vec<&&Evidence> = mentions.iter().filter(|e| date_of(e) == latest).collect();
    let value = winners[0].value.clone();
    debug_assert!(
        winners.iter().all(|e| e.value == value),
        "two different values of {} on {}: {:?}",
        field.name(),
        latest.iso(),
        winners.iter().map(|e| &e.value).collect::<Vec<_>>()
    );
    Some(Grounded::new(
        value,
        sorted_spans(winners.iter().map(|e| e.span)),
    ))
}

/// One item per name, from the latest part that mentions the name.
fn latest_per_name(evidence: &[Evidence], field: Field) -> Vec<Grounded> {
    let mut by_name: BTreeMap<&str, Vec<&Evidence>> = BTreeMap::new();
    for e in evidence.iter().filter(|e| e.field == field) {
        by_name.entry(e.key.as_str()).or_default().push(e);
    }
    let mut items: Vec<Grounded> = by_name
        .into_values()
        .map(|mentions| {
            let last_part = mentions
                .iter()
                .map(|e| e.part)
                .max()
                .expect("at least one mention");
            let in_part: Vec<&&Evidence> =
                mentions.iter().filter(|e| e.part == last_part).collect();
            let value = in_part[0].value.clone();
            debug_assert!(
                in_part.iter().all(|e| e.value == value),
                "conflicting {} in one part: {value}",
                field.name()
            );
            Grounded::new(value, sorted_spans(in_part.iter().map(|e| e.span)))
        })
        .collect();
    items.sort_by_key(|item| item.spans[0]);
    items
}

/// The items of the latest part that has any item of this list field.
fn latest_list(evidence: &[Evidence], field: Field) -> Vec<Grounded> {
    let Some(last_part) = evidence
        .iter()
        .filter(|e| e.field == field)
        .map(|e| e.part)
        .max()
    else {
        return Vec::new();
    };
    let in_part: Vec<Evidence> = evidence
        .iter()
        .filter(|e| e.field == field && e.part == last_part)
        .cloned()
        .collect();
    latest_per_name(&in_part, field)
}

fn sorted_spans(spans: impl Iterator<Item = Span>) -> Vec<Span> {
    let mut spans: Vec<Span> = spans.collect();
    spans.sort();
    spans.dedup();
    spans
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn mention(
        field: Field,
        value: i64,
        start: usize,
        date: Option<Date>,
        part: usize,
    ) -> Evidence {
        Evidence {
            field,
            key: String::new(),
            value: json!(value),
            span: Span::new(start, start + 2),
            date,
            part,
        }
    }

    #[test]
    fn the_latest_dated_value_wins() {
        let letter = Date::new(2024, 3, 1);
        let evidence = vec![
            mention(Field::Lvef, 55, 10, Some(Date::new(2019, 5, 1)), 0),
            mention(Field::Lvef, 35, 40, Some(Date::new(2024, 1, 12)), 0),
            mention(Field::Age, 67, 0, None, 0),
            mention(Field::Age, 67, 80, None, 0),
        ];
        let fields = resolve(&evidence, &[letter], false);
        let lvef = &fields["lvef_percent"].items()[0];
        assert_eq!(lvef.value, json!(35));
        assert_eq!(lvef.spans, vec![Span::new(40, 42)]);
        assert_eq!(fields["age"].items()[0].spans.len(), 2);
    }

    #[test]
    fn an_undated_value_counts_on_the_letter_date() {
        let letter = Date::new(2024, 3, 1);
        let evidence = vec![
            mention(Field::Egfr, 62, 10, Some(Date::new(2022, 5, 1)), 0),
            mention(Field::Egfr, 48, 40, None, 0),
        ];
        let fields = resolve(&evidence, &[letter], false);
        assert_eq!(fields["egfr"].items()[0].value, json!(48));
    }
}
