//! The rules baseline and ConText on hand-written sentences: values, statuses and spans.

use clinkit::data::{Document, Lang};
use clinkit::extract::context::{mention_status, Status};
use clinkit::extract::rules::extract;
use clinkit::text::Span;

/// The status of the first occurrence of `word` in `text`.
fn status_of(text: &str, word: &str) -> Status {
    let start = text[..text.find(word).unwrap()].chars().count();
    mention_status(text, Span::new(start, start + word.chars().count()))
}

#[test]
fn context_statuses_in_dutch_and_english() {
    let cases = [
        ("Geen diabetes mellitus.", "diabetes", Status::Absent),
        ("DM2 uitgesloten.", "DM2", Status::Absent),
        ("Patient denies chest pain.", "chest pain", Status::Absent),
        (
            "Vader overleed aan een hartinfarct op 52-jarige leeftijd.",
            "hartinfarct",
            Status::Family,
        ),
        (
            "Mother had atrial fibrillation.",
            "atrial fibrillation",
            Status::Family,
        ),
        ("Status na CABG in 2015.", "CABG", Status::Historical),
        ("Previous MI in 2012.", "MI", Status::Historical),
        (
            "Graag uitsluiten endocarditis.",
            "endocarditis",
            Status::Hypothetical,
        ),
        ("Please rule out angina.", "angina", Status::Hypothetical),
        (
            "Klachten passend bij ?angina.",
            "angina",
            Status::Hypothetical,
        ),
        ("Bekend met hypertensie.", "hypertensie", Status::Present),
        (
            "Geen diabetes, wel hypertensie.",
            "hypertensie",
            Status::Present,
        ),
        ("No diabetes; known AF since 2019.", "AF", Status::Present),
    ];
    for (text, word, expected) in cases {
        assert_eq!(status_of(text, word), expected, "{word} in {text:?}");
    }
}

#[test]
fn a_negation_does_not_reach_into_the_next_sentence() {
    let text = "Geen dyspneu. Bekend met boezemfibrilleren.";
    assert_eq!(status_of(text, "boezemfibrilleren"), Status::Present);
}

#[test]
fn rules_find_dutch_values_with_their_evidence() {
    let text = "Geachte collega,\nGraag zien wij mw. de Vries, een 72-jarige vrouw, i.v.m. toenemende dyspneu. \
                Spoed. Voorgeschiedenis: AF, DM2. Geen hypertensie. Medicatie: metoprolol 50 mg 2dd1, apixaban 5 mg 2dd. \
                Allergieën: penicilline. Echo 2021: LVEF 45%. Echo maart 2024: LVEF 35%. NYHA klasse III. \
                RR 150/90 mmHg. NT-proBNP 1.250 ng/l. eGFR 48 ml/min. Rookt niet.";
    let letter = Document::new("nl-1", Lang::Nl, "referral", text);
    let found = extract(&letter);
    let value = |field: &str| found.fields[field].items()[0].value.clone();
    let evidence = |field: &str| {
        found
            .slice(found.fields[field].items()[0].spans[0])
            .unwrap()
            .to_string()
    };
    assert_eq!(value("age"), 72);
    assert_eq!(evidence("age"), "72");
    assert_eq!(value("sex"), "female");
    assert_eq!(evidence("sex"), "mw.");
    assert_eq!(value("urgency"), "urgent");
    assert_eq!(
        value("lvef_percent"),
        35,
        "the most recent LVEF, the last one written"
    );
    assert_eq!(value("nyha_class"), "III");
    assert_eq!(value("bp_systolic"), 150);
    assert_eq!(value("bp_diastolic"), 90);
    assert_eq!(value("ntprobnp_ng_l"), 1250, "Dutch thousands separator");
    assert_eq!(value("egfr"), 48);
    assert_eq!(value("smoking"), "never");
    assert_eq!(value("allergies"), "penicillin");
    let diagnoses: Vec<(String, String)> = found.fields["diagnoses"]
        .items()
        .iter()
        .map(|item| {
            (
                item.value["name"].as_str().unwrap().into(),
                item.value["status"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert!(
        diagnoses.contains(&("atrial fibrillation".into(), "present".into())),
        "{diagnoses:?}"
    );
    assert!(
        diagnoses.contains(&("diabetes mellitus type 2".into(), "present".into())),
        "{diagnoses:?}"
    );
    assert!(
        diagnoses.contains(&("hypertension".into(), "absent".into())),
        "{diagnoses:?}"
    );
    let metoprolol = &found.fields["medications"].items()[0];
    assert_eq!(
        metoprolol.value,
        serde_json::json!({"name": "metoprolol", "dose": 50, "unit": "mg", "frequency": "twice daily"})
    );
    assert_eq!(
        found.slice(metoprolol.spans[0]),
        Some("metoprolol 50 mg 2dd1")
    );
}

#[test]
fn rules_find_english_values() {
    let text = "Dear Dr Patel, I would be grateful if you could see Mr. John Smith, a 58-year-old man, \
                routine referral. Reason for referral: exertional chest pain. He is a former smoker. \
                BP 162/95. Ejection fraction 55%. NT-proBNP 1,031 pg/mL. Medication: bisoprolol 2.5mg od. No known drug allergies.";
    let found = extract(&Document::new("en-1", Lang::En, "referral", text));
    let value = |field: &str| found.fields[field].items()[0].value.clone();
    assert_eq!(value("age"), 58);
    assert_eq!(value("sex"), "male");
    assert_eq!(value("urgency"), "routine");
    assert_eq!(
        value("referral_reason"),
        "chest pain on exertion",
        "the canonical complaint"
    );
    let reason = &found.fields["referral_reason"].items()[0];
    assert_eq!(found.slice(reason.spans[0]), Some("exertional chest pain"));
    assert_eq!(value("smoking"), "former");
    assert_eq!(value("bp_systolic"), 162);
    assert_eq!(value("lvef_percent"), 55);
    assert_eq!(value("ntprobnp_ng_l"), 1031, "English thousands separator");
    assert_eq!(
        found.fields["medications"].items()[0].value,
        serde_json::json!({"name": "bisoprolol", "dose": 2.5, "unit": "mg", "frequency": "once daily"})
    );
    assert!(
        !found.fields.contains_key("allergies"),
        "no known allergies is no allergy"
    );
}

#[test]
fn rules_leave_unmentioned_fields_out() {
    let found = extract(&Document::new(
        "x",
        Lang::En,
        "referral",
        "Thank you for seeing this patient.",
    ));
    assert!(found.fields.is_empty(), "{:?}", found.fields);
}
