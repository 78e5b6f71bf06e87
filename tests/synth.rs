//! Tests of the synthetic corpus generator and of the committed corpus in `datasets-synthetic/`.
//!
//! To regenerate the committed corpus after changing the generator:
//! `cargo test --test synth -- --ignored regenerate_committed_corpus`
//! (the same as `cargo run --release -- synth --seed 42 --out datasets-synthetic`).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Instant;

use clinkit::data::referral::validate;
use clinkit::data::{read_jsonl, Document, FieldValue, Lang, PhiType};
use clinkit::error::Location;
use clinkit::synth::{
    elfproef, generate_patient_file, generate_referral, generate_referrals, patient_pages,
    referral_templates, write_corpus, Difficulty, SynthConfig,
};
use regex::Regex;

fn committed_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("datasets-synthetic")
}

const FILES: [&str; 4] = [
    "referrals/train.jsonl",
    "referrals/dev.jsonl",
    "referrals/test.jsonl",
    "patients/patients.jsonl",
];

/// Every document of the committed corpus, with the file it came from (read once).
fn committed() -> &'static Vec<(String, Document)> {
    static CORPUS: OnceLock<Vec<(String, Document)>> = OnceLock::new();
    CORPUS.get_or_init(|| {
        let mut all = Vec::new();
        for file in FILES {
            let documents =
                read_jsonl(&committed_dir().join(file)).unwrap_or_else(|e| panic!("{e}"));
            all.extend(documents.into_iter().map(|d| (file.to_string(), d)));
        }
        all
    })
}

/// Slices a text by character offsets in constant time, and insists the span is non-empty
/// and inside the text.
struct Slicer<'a>(clinkit::text::CharIndex<'a>);

impl<'a> Slicer<'a> {
    fn new(text: &'a str) -> Self {
        Slicer(clinkit::text::CharIndex::new(text))
    }

    fn slice(&self, span: clinkit::text::Span) -> &'a str {
        assert!(span.start < span.end, "empty span {span:?}");
        self.0
            .slice(span)
            .unwrap_or_else(|| panic!("span {span:?} outside the text"))
    }
}

fn digits(text: &str) -> String {
    text.chars().filter(char::is_ascii_digit).collect()
}

/// A number as written in a letter (`1.250`, `1,250`, `47,6`) read back, given the language.
fn written_number(text: &str, lang: Lang) -> f64 {
    let cleaned = match lang {
        // Dutch: dot for thousands, comma for decimals.
        Lang::Nl => text.replace('.', "").replace(',', "."),
        // English: comma for thousands.
        Lang::En => text.replace(',', ""),
    };
    cleaned
        .parse()
        .unwrap_or_else(|_| panic!("not a number: {text:?}"))
}

#[test]
fn regenerating_with_the_default_config_gives_the_committed_corpus_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let summary = write_corpus(&SynthConfig::default(), dir.path()).unwrap();
    assert_eq!(summary.files.len(), FILES.len());
    for file in FILES {
        let fresh = std::fs::read(dir.path().join(file)).unwrap();
        let committed = std::fs::read(committed_dir().join(file)).unwrap();
        assert!(
            fresh == committed,
            "{file} differs from the committed corpus: regenerate it with \
             `cargo test --test synth -- --ignored regenerate_committed_corpus`"
        );
    }
}

#[test]
fn the_committed_corpus_has_the_documented_size() {
    let counts: Vec<usize> = FILES
        .iter()
        .map(|file| committed().iter().filter(|(f, _)| f == file).count())
        .collect();
    assert_eq!(counts, [240, 80, 80, 20]);
    let bytes: u64 = FILES
        .iter()
        .map(|f| std::fs::metadata(committed_dir().join(f)).unwrap().len())
        .sum();
    assert!(bytes < 15_000_000, "corpus is {bytes} bytes");
    let pages: Vec<usize> = committed()
        .iter()
        .filter(|(_, d)| d.kind == "patient_file")
        .map(|(_, d)| d.text.matches('\u{c}').count() + 1)
        .collect();
    assert_eq!(pages, patient_pages(&SynthConfig::default()));
    assert!(pages.iter().filter(|p| **p == 200).count() >= 2);
    assert!(pages.iter().any(|p| *p <= 10));
}

#[test]
fn every_document_passes_the_schema_check() {
    for (file, document) in committed() {
        validate(document, &Location::file(file))
            .unwrap_or_else(|e| panic!("{}: {e}", document.id));
    }
}

#[test]
fn every_gold_span_points_at_its_evidence() {
    for (_, document) in committed() {
        let slicer = Slicer::new(&document.text);
        for (name, value) in &document.fields {
            for item in value.items() {
                assert!(
                    !item.spans.is_empty(),
                    "{} {name}: a value without evidence",
                    document.id
                );
                for span in &item.spans {
                    let evidence = slicer.slice(*span);
                    assert!(
                        !evidence.trim().is_empty(),
                        "{} {name}: empty evidence",
                        document.id
                    );
                    check_evidence(document, name, &item.value, evidence);
                }
            }
        }
    }
}

/// What the evidence of a field must look like.
fn check_evidence(document: &Document, name: &str, value: &serde_json::Value, evidence: &str) {
    let id = &document.id;
    match name {
        "age" => {
            let spelled_out = evidence.chars().all(|c| c.is_alphabetic() || c == '-');
            let same_number = value.as_i64().map(|n| n.to_string()) == Some(digits(evidence));
            assert!(same_number || spelled_out, "{id} age {value}: {evidence:?}");
        }
        "lvef_percent" | "bp_systolic" | "bp_diastolic" => {
            assert_eq!(evidence, value.to_string(), "{id} {name}");
        }
        "ntprobnp_ng_l" | "egfr" => {
            assert_eq!(
                written_number(evidence, document.lang),
                value.as_f64().unwrap(),
                "{id} {name}: {evidence:?}"
            );
        }
        "nyha_class" => {
            let roman = ["I", "II", "III", "IV"];
            let as_roman = evidence
                .parse::<usize>()
                .map(|n| roman[n - 1])
                .unwrap_or(evidence);
            assert_eq!(as_roman, value.as_str().unwrap(), "{id} nyha");
        }
        "medications" => {
            if let Some(dose) = value.get("dose").and_then(|d| d.as_f64()) {
                let written = match document.lang {
                    Lang::Nl => format!("{dose}").replace('.', ","),
                    Lang::En => format!("{dose}"),
                };
                assert!(
                    evidence.contains(&written),
                    "{id}: dose {dose} not in {evidence:?}"
                );
            }
        }
        _ => {}
    }
}

#[test]
fn every_phi_span_is_the_kind_it_says() {
    let dutch_postcode = Regex::new(r"^\d{4} ?[A-Z]{2}$").unwrap();
    let british_postcode = Regex::new(r"^[A-Z]{1,2}\d{1,2} \d[A-Z]{2}$").unwrap();
    for (_, document) in committed() {
        let id = &document.id;
        let slicer = Slicer::new(&document.text);
        let mut previous_end = 0;
        for phi in &document.phi {
            let text = slicer.slice(phi.span());
            assert!(!text.trim().is_empty(), "{id}: empty PHI");
            assert!(
                phi.start >= previous_end,
                "{id}: PHI spans overlap at {}",
                phi.start
            );
            previous_end = phi.end;
            match phi.kind {
                PhiType::Bsn => {
                    let number: String = text.chars().filter(|c| *c != ' ' && *c != '.').collect();
                    assert!(
                        number.len() == 9 && number.chars().all(|c| c.is_ascii_digit()),
                        "{id}: BSN {text:?}"
                    );
                    assert!(elfproef(text), "{id}: BSN {text:?} fails the elfproef");
                }
                PhiType::Postcode => match document.lang {
                    Lang::Nl => assert!(dutch_postcode.is_match(text), "{id}: postcode {text:?}"),
                    Lang::En => assert!(british_postcode.is_match(text), "{id}: postcode {text:?}"),
                },
                PhiType::Email => assert!(
                    text.contains('@') && !text.contains(' '),
                    "{id}: e-mail {text:?}"
                ),
                PhiType::Url => assert!(
                    text.starts_with("www.") || text.starts_with("https://"),
                    "{id}: URL {text:?}"
                ),
                PhiType::Phone => assert!(digits(text).len() >= 10, "{id}: phone {text:?}"),
                PhiType::Date => assert!(
                    text.chars().any(|c| c.is_ascii_digit()),
                    "{id}: date {text:?}"
                ),
                PhiType::Name | PhiType::Institution | PhiType::Address => {
                    assert!(
                        text.chars().next().unwrap().is_alphanumeric(),
                        "{id}: {:?} {text:?}",
                        phi.kind
                    )
                }
                PhiType::Age | PhiType::Id => {}
            }
        }
    }
}

#[test]
fn the_corpus_has_every_label_and_both_languages() {
    let mut statuses = BTreeSet::new();
    let mut phi_types = BTreeSet::new();
    let mut fields = BTreeSet::new();
    let mut langs = BTreeSet::new();
    for (_, document) in committed() {
        langs.insert(document.lang);
        fields.extend(document.fields.keys().cloned());
        phi_types.extend(document.phi.iter().map(|phi| phi.kind));
        if let Some(FieldValue::Many(items)) = document.fields.get("diagnoses") {
            statuses.extend(
                items
                    .iter()
                    .map(|item| item.value["status"].as_str().unwrap().to_string()),
            );
        }
    }
    assert_eq!(langs.len(), 2);
    assert_eq!(statuses.len(), 5, "{statuses:?}");
    assert_eq!(phi_types.len(), PhiType::ALL.len(), "{phi_types:?}");
    let schema: BTreeSet<String> = clinkit::data::referral::FIELDS
        .iter()
        .map(|f| f.name.to_string())
        .collect();
    assert_eq!(fields, schema);
}

#[test]
fn the_referrals_use_every_template_and_every_difficulty() {
    let config = SynthConfig::default();
    let letters: Vec<_> = (0..config.referrals)
        .map(|index| generate_referral(config.seed, index))
        .collect();
    let templates: BTreeSet<&str> = letters.iter().map(|letter| letter.template).collect();
    assert_eq!(templates, referral_templates().into_iter().collect());
    for prefix in ["nl-", "en-"] {
        assert!(templates.iter().filter(|t| t.starts_with(prefix)).count() >= 4);
    }
    let difficulties: BTreeSet<Difficulty> = letters
        .iter()
        .flat_map(|letter| letter.difficulties.iter().copied())
        .collect();
    assert_eq!(difficulties.len(), 11, "{difficulties:?}");
    // The letters in the committed files are the generated ones.
    let committed_letters: Vec<&Document> = committed()
        .iter()
        .filter(|(_, d)| d.kind == "referral")
        .map(|(_, d)| d)
        .collect();
    assert!(letters
        .iter()
        .zip(committed_letters)
        .all(|(letter, committed)| letter.document == *committed));
}

#[test]
fn negations_are_labelled_absent_on_the_diagnosis_words() {
    let letters: Vec<_> = (0..200).map(|index| generate_referral(42, index)).collect();
    let negated = letters
        .iter()
        .filter(|l| l.difficulties.contains(&Difficulty::Negation))
        .count();
    assert!(negated > 30, "only {negated} letters with a negation");
    let cue = Regex::new(r"(?i)(geen|geen aanwijzingen voor|niet bekend met|no|no history of|no evidence of|no known|denies)\s*$").unwrap();
    let after =
        Regex::new(r"^(: neg\.|: nee|: negative|: no| uitgesloten| has been excluded| bekend)")
            .unwrap();
    for letter in &letters {
        let document = &letter.document;
        let Some(FieldValue::Many(items)) = document.fields.get("diagnoses") else {
            continue;
        };
        for item in items.iter().filter(|item| item.value["status"] == "absent") {
            let span = item.spans[0];
            let before: String = document.text.chars().take(span.start).collect();
            let rest: String = document.text.chars().skip(span.end).take(20).collect();
            assert!(
                cue.is_match(&before) || after.is_match(&rest),
                "{}: no negation around {:?}",
                document.id,
                document.slice(span)
            );
        }
    }
}

#[test]
fn a_value_measured_twice_keeps_only_the_latest() {
    let lvef = Regex::new(r"(?i)(?:lvef|\bef|ejectiefractie|ejection fraction)\D{0,25}?(\d{1,2})\s?(?:%|procent|per cent)").unwrap();
    let mut seen_older_different = 0;
    for (_, document) in committed() {
        let Some(gold) = document.fields.get("lvef_percent") else {
            continue;
        };
        let gold = &gold.items()[0];
        let slicer = Slicer::new(&document.text);
        let mentions: Vec<regex::Captures> = lvef.captures_iter(&document.text).collect();
        let gold_text = gold.value.to_string();
        if mentions.iter().any(|m| m[1] != *gold_text) {
            seen_older_different += 1;
        }
        // The spans point only at mentions of the gold value.
        for span in &gold.spans {
            assert_eq!(slicer.slice(*span), gold.value.to_string());
        }
    }
    assert!(
        seen_older_different >= 20,
        "only {seen_older_different} documents with an older, different LVEF"
    );
}

#[test]
fn the_same_seed_gives_the_same_documents_and_another_seed_others() {
    assert_eq!(generate_referrals(7, 12), generate_referrals(7, 12));
    assert_ne!(generate_referrals(7, 12), generate_referrals(8, 12));
    assert_eq!(
        generate_patient_file(7, 1, 9),
        generate_patient_file(7, 1, 9)
    );
    assert_ne!(
        generate_patient_file(7, 1, 9).text,
        generate_patient_file(8, 1, 9).text
    );
    let first = generate_referrals(3, 10);
    assert!(
        first.iter().step_by(2).all(|d| d.lang == Lang::Nl)
            && first.iter().skip(1).step_by(2).all(|d| d.lang == Lang::En)
    );
    assert_eq!(first[9].id, "ref-0010");
}

/// The reason for referral as the summary writes it, per language (the gold value is the
/// canonical English name).
fn reason_in_summary(reason: &str, lang: Lang) -> &'static [&'static str] {
    match (reason, lang) {
        ("palpitations", Lang::Nl) => &["hartkloppingen"],
        ("chest pain on exertion", Lang::Nl) => &["pijn op de borst bij inspanning"],
        ("dyspnoea on exertion", Lang::Nl) => &["kortademigheid bij inspanning"],
        ("heart murmur", Lang::Nl) => &["souffle"],
        ("ankle oedema", Lang::Nl) => &["enkeloedeem"],
        ("abnormal ecg", Lang::Nl) => &["afwijkend ECG"],
        ("dizziness", Lang::Nl) => &["duizeligheid"],
        ("preoperative assessment", Lang::Nl) => &["preoperatieve beoordeling"],
        ("fatigue", Lang::Nl) => &["moeheid"],
        ("shortness of breath on exertion", _) | ("dyspnoea on exertion", _) => {
            &["shortness of breath on exertion"]
        }
        ("heart murmur", _) => &["heart murmur"],
        ("ankle oedema", _) => &["ankle swelling"],
        ("abnormal ecg", _) => &["abnormal ECG"],
        _ => &[],
    }
}

#[test]
fn every_referral_has_a_reference_summary_with_its_age_and_reason_in_its_language() {
    let referrals: Vec<&Document> = committed()
        .iter()
        .filter(|(file, _)| file.starts_with("referrals/"))
        .map(|(_, d)| d)
        .collect();
    for letter in referrals {
        assert!(!letter.summary.is_empty(), "{} has no summary", letter.id);
        let who = &letter.summary[0];
        let all: String = letter
            .summary
            .iter()
            .map(|l| l.text.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        if let Some(age) = letter.fields.get("age") {
            assert_eq!(who.section, "who", "{}", letter.id);
            let age = age.items()[0].value.to_string();
            assert!(
                who.text.contains(&age),
                "{}: {:?} lacks age {age}",
                letter.id,
                who.text
            );
        }
        if let Some(reason) = letter.fields.get("referral_reason") {
            let name = reason.items()[0].value.as_str().unwrap();
            let words = reason_in_summary(name, letter.lang);
            let expected: Vec<&str> = if words.is_empty() {
                vec![name]
            } else {
                words.to_vec()
            };
            assert!(
                expected.iter().any(|w| who.text.contains(w)),
                "{}: {:?} lacks the reason {name}",
                letter.id,
                who.text
            );
        }
        // Dutch letters get Dutch summaries, English ones English.
        const DUTCH: [&str; 10] = [
            " jaar",
            "verwezen",
            "Geen ",
            "VG:",
            "Medicatie",
            "Med:",
            "Vraag",
            "Graag",
            "Rookt",
            "roken",
        ];
        const ENGLISH: [&str; 10] = [
            "year",
            "referral",
            "No ",
            "PMH",
            "Medication",
            "DHx",
            "Query",
            "Please",
            "smok",
            "referred",
        ];
        let (ours, theirs) = match letter.lang {
            Lang::Nl => (DUTCH, ENGLISH),
            Lang::En => (ENGLISH, DUTCH),
        };
        assert!(ours.iter().any(|w| all.contains(w)), "{}: {all}", letter.id);
        assert!(
            !theirs.iter().any(|w| all.contains(w)),
            "{}: {all}",
            letter.id
        );
        // Every line is backed by gold evidence inside the letter.
        for line in &letter.summary {
            assert!(clinkit::summarise::Section::parse(&line.section).is_some());
            assert!(!line.spans.is_empty(), "{}: {:?}", letter.id, line.text);
            assert!(line.spans.iter().all(|s| letter.slice(*s).is_some()));
        }
    }
}

#[test]
fn the_reference_summary_is_not_the_template_and_stays_the_same_for_a_seed() {
    let first = generate_referrals(7, 6);
    assert_eq!(first, generate_referrals(7, 6));
    for letter in &first {
        let template = clinkit::summarise::template_summary(letter).plain_text();
        let reference: Vec<&str> = letter.summary.iter().map(|l| l.text.as_str()).collect();
        let rouge = clinkit::summarise::rouge_l(&template, &reference.join(" "));
        assert!(
            rouge.f1 < 0.9,
            "{}: the reference copies the template ({rouge:?})",
            letter.id
        );
    }
    // The summary has its own random stream: the letters equal those written without one.
    let letter = generate_referral(7, 3).document;
    let mut rng = clinkit::synth::Rng::for_item(7, "summary", 3);
    assert_eq!(
        clinkit::synth::reference_summary(&letter, &mut rng),
        letter.summary
    );
}

#[test]
fn a_200_page_file_has_200_pages_and_valid_spans() {
    let started = Instant::now();
    let document = generate_patient_file(42, 4, 200);
    let took = started.elapsed();
    assert!(took.as_secs_f64() < 5.0, "a 200-page file took {took:?}");
    let pages: Vec<&str> = document.text.split('\u{c}').collect();
    assert_eq!(pages.len(), 200);
    for (number, page) in pages.iter().enumerate() {
        let length = page.chars().count();
        assert!(
            (1500..=3100).contains(&length),
            "page {} has {length} characters",
            number + 1
        );
    }
    assert_eq!(document.kind, "patient_file");
    assert_eq!(document.patient_id.as_deref(), Some("P0005"));
    // Parts are in date order, inside the text, and do not overlap.
    assert!(document.parts.len() > 50);
    for pair in document.parts.windows(2) {
        assert!(pair[0].date <= pair[1].date);
        assert!(pair[0].span.end <= pair[1].span.start);
    }
    // Every span can be read back (the same check as reading the JSONL file).
    let line = clinkit::data::to_jsonl_line(&document);
    let again = clinkit::data::parse_jsonl_line(&line, Location::default()).unwrap();
    validate(&again, &Location::default()).unwrap();
    let slicer = Slicer::new(&document.text);
    for (name, value) in &document.fields {
        for item in value.items() {
            for span in &item.spans {
                check_evidence(&document, name, &item.value, slicer.slice(*span));
            }
        }
    }
}

#[test]
fn patient_files_take_the_latest_values_and_the_latest_medication_list() {
    for (_, document) in committed().iter().filter(|(_, d)| d.kind == "patient_file") {
        assert!(
            !document.fields.contains_key("urgency")
                && !document.fields.contains_key("referral_reason")
        );
        // All medicines of the gold list stand in one part: the latest that lists medicines.
        if let Some(medications) = document.fields.get("medications") {
            let parts: BTreeSet<usize> = medications
                .items()
                .iter()
                .flat_map(|item| item.spans.iter())
                .map(|span| {
                    document
                        .parts
                        .iter()
                        .position(|p| p.span.start <= span.start && span.end <= p.span.end)
                        .unwrap()
                })
                .collect();
            assert_eq!(
                parts.len(),
                1,
                "{}: medicines from several parts",
                document.id
            );
        }
        // The gold LVEF is the one of the latest echo in the file (or a later letter quoting it).
        if let Some(lvef) = document.fields.get("lvef_percent") {
            if let Some(last_echo) = document.parts.iter().rev().find(|p| p.kind == "echo") {
                let span = lvef.items()[0].spans.last().unwrap();
                assert!(
                    span.start >= last_echo.span.start,
                    "{}: gold LVEF before the last echo",
                    document.id
                );
            }
        }
    }
}

#[test]
fn tiny_and_empty_configs_still_write_valid_files() {
    for (referrals, patients, max_pages) in [(0, 0, 200), (3, 1, 1), (5, 3, 2), (1, 2, 0)] {
        let dir = tempfile::tempdir().unwrap();
        let config = SynthConfig {
            seed: 1,
            referrals,
            patients,
            max_pages,
        };
        let summary = write_corpus(&config, dir.path()).unwrap();
        let total: usize = summary.files.iter().map(|(_, n)| *n).sum();
        assert_eq!(total, referrals + patients);
        let files = read_jsonl(&dir.path().join("patients/patients.jsonl")).unwrap();
        for (file, pages) in files.iter().zip(patient_pages(&config)) {
            assert_eq!(file.text.matches('\u{c}').count() + 1, pages.max(1));
            validate(file, &Location::default()).unwrap();
        }
    }
}

#[test]
fn bsn_check_accepts_only_valid_numbers() {
    assert!(elfproef("111222333"));
    assert!(elfproef("1112.22.333"));
    assert!(!elfproef("111222334"));
    assert!(!elfproef("000000000"));
    assert!(!elfproef("11122233"));
    assert!(!elfproef("11122233a"));
}

/// Writes the committed corpus. Run after changing the generator, then commit the files.
#[test]
#[ignore]
fn regenerate_committed_corpus() {
    let summary = write_corpus(&SynthConfig::default(), &committed_dir()).unwrap();
    for (path, documents) in summary.files {
        println!("{documents:>5} documents  {}", path.display());
    }
}
