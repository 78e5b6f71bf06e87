//! De-identification: detection cases with values and spans (Dutch and English), the
//! replacement operators, the mapping file, the scores on the synthetic test split, and
//! the `clinkit deid` command.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output};

use clinkit::data::{read_jsonl, Document, Lang, PhiSpan, PhiType};
use clinkit::deid::{detect, run, Deidentifier, Key, Mapping, Mode, RunOptions, WrittenDate};
use clinkit::eval::{evaluate, EvalOptions};
use clinkit::synth::{elfproef, Rng};
use clinkit::text::{char_len, Span};

/// What `detect` found, as (text, type) pairs in text order.
fn found(text: &str, lang: Lang) -> Vec<(String, PhiType)> {
    detect(text, lang)
        .iter()
        .map(|phi| {
            (
                Span::new(phi.start, phi.end)
                    .slice(text)
                    .unwrap()
                    .to_string(),
                phi.kind,
            )
        })
        .collect()
}

/// The pairs for one type only.
fn of_type(text: &str, lang: Lang, kind: PhiType) -> Vec<String> {
    found(text, lang)
        .into_iter()
        .filter(|(_, k)| *k == kind)
        .map(|(s, _)| s)
        .collect()
}

fn pairs(list: &[(&str, PhiType)]) -> Vec<(String, PhiType)> {
    list.iter().map(|(s, k)| (s.to_string(), *k)).collect()
}

#[test]
fn dutch_letter_values_and_spans() {
    let text = "Geachte collega,\n\nHierbij verwijs ik mevrouw J. de Vries-Bakker, 67 jaar (geb. 12-03-1956, \
                BSN 111222333), wonend Kerkstraat 12, 2311 AB Leiden, tel. 071-5261234 of 06-12345678.\n\
                Zij is bekend met de ziekte van Parkinson.\n\nMet vriendelijke groet,\n\ndr. P. van den Berg, huisarts";
    use PhiType::*;
    assert_eq!(
        found(text, Lang::Nl),
        pairs(&[
            ("J. de Vries-Bakker", Name),
            ("67", Age),
            ("12-03-1956", Date),
            ("111222333", Bsn),
            ("Kerkstraat 12", Address),
            ("2311 AB", Postcode),
            ("Leiden", Address),
            ("071-5261234", Phone),
            ("06-12345678", Phone),
            ("P. van den Berg", Name),
        ])
    );
    // Spans are characters, not bytes: check one after a multi-byte character.
    let text = "Patiënt: dhr. Müller, geb. 3 maart 1948";
    let phi = detect(text, Lang::Nl);
    assert_eq!(
        phi,
        [
            PhiSpan {
                start: 14,
                end: 20,
                kind: Name
            },
            PhiSpan {
                start: 27,
                end: 39,
                kind: Date
            },
        ]
    );
}

#[test]
fn english_letter_values_and_spans() {
    let text = "Dear Dr O'Brien,\n\nRe: Mrs Sarah Smith-Jones, DOB 3rd March 1948, NHS no. 999 123 4567\n\
                14 Station Road, Oxford, OX1 2JD. Tel: 020 7946 0018, mobile 07700 900123, \
                email s.smithjones@example.co.uk, see https://www.practice.example.nhs.uk/referrals.\n\
                This 76-year-old lady has Graves' disease and a Holter monitor showed AF.\n\n\
                Kind regards,\n\nDr Anna Clarke, General Practitioner\nElm Tree Surgery";
    use PhiType::*;
    assert_eq!(
        found(text, Lang::En),
        pairs(&[
            ("O'Brien", Name),
            ("Sarah Smith-Jones", Name),
            ("3rd March 1948", Date),
            ("999 123 4567", Id),
            ("14 Station Road", Address),
            ("Oxford", Address),
            ("OX1 2JD", Postcode),
            ("020 7946 0018", Phone),
            ("07700 900123", Phone),
            ("s.smithjones@example.co.uk", Email),
            ("https://www.practice.example.nhs.uk/referrals", Url),
            ("76", Age),
            ("Anna Clarke", Name),
            ("Elm Tree Surgery", Institution),
        ])
    );
}

/// Letters written by hand for this test, in styles the synthetic generator does not use.
#[test]
fn letters_unlike_the_synthetic_ones() {
    use PhiType::*;
    let text = "Geachte heer Van Dam,\n\nOp 3 maart jl. zag ik uw patiënt, de heer P.J. (Piet) de Boer, 78 jaar, \
                op de SEH van het Rijnstate Ziekenhuis in Arnhem.\nVoorgeschiedenis: 2015 CABG, ziekte van \
                Bechterew, M. Parkinson, Holter zonder afwijkingen. Echtgenote (Marja) vertelt dat hij \
                benauwd is. Controle bij dr. Jansen-Smit of bij A. El Amrani.\nHij woont aan de Lange \
                Nieuwstraat 45bis in Utrecht, tel 030-2345678.\n\nMet collegiale groet,\n\n\
                Dr. M.C. van der Linden-de Wit\nAIOS Cardiologie, UMC Utrecht";
    assert_eq!(
        found(text, Lang::Nl),
        pairs(&[
            ("Van Dam", Name),
            ("3 maart", Date),
            ("P.J. (Piet) de Boer", Name),
            ("78", Age),
            ("Rijnstate Ziekenhuis", Institution),
            ("Arnhem", Address),
            ("Marja", Name),
            ("Jansen-Smit", Name),
            ("A. El Amrani", Name),
            ("Lange Nieuwstraat 45bis", Address),
            ("Utrecht", Address),
            ("030-2345678", Phone),
            ("M.C. van der Linden-de Wit", Name),
            ("UMC Utrecht", Institution),
        ])
    );
    let text = "Thank you for referring Mr John O'Connor (hospital number RX1234567), whom I saw in the \
                Heart Failure Clinic at St Mary's Hospital on 4 June. His wife Mary attended. He lives at \
                17 Queen's Road, Reading RG1 4AZ. Review by Sister Jones.";
    assert_eq!(
        found(text, Lang::En),
        pairs(&[
            ("John O'Connor", Name),
            ("RX1234567", Id),
            ("St Mary's Hospital", Institution),
            ("4 June", Date),
            ("Mary", Name),
            ("17 Queen's Road", Address),
            ("Reading", Address),
            ("RG1 4AZ", Postcode),
            ("Jones", Name),
        ])
    );
}

#[test]
fn eponyms_are_not_names() {
    for (text, lang) in [
        (
            "Bekend met de ziekte van Parkinson, M. Bechterew? Nee.",
            Lang::Nl,
        ),
        (
            "Holter-registratie: geen ritmestoornissen. Graves in de VG.",
            Lang::Nl,
        ),
        (
            "Syndroom van Brugada uitgesloten; ziekte van Crohn bekend.",
            Lang::Nl,
        ),
        (
            "Known Wolff-Parkinson-White syndrome and Addison's disease.",
            Lang::En,
        ),
        (
            "A Holter monitor and Doppler study were normal. Graves' disease.",
            Lang::En,
        ),
    ] {
        let names = of_type(text, lang, PhiType::Name);
        assert!(
            names.iter().all(|n| ![
                "Parkinson",
                "Holter",
                "Graves",
                "Brugada",
                "Crohn",
                "Addison",
                "Doppler"
            ]
            .iter()
            .any(|e| n.contains(e))),
            "{text}: {names:?}"
        );
    }
    // A person who happens to carry an eponym as surname, with a title, is a name.
    assert_eq!(
        of_type("Gezien door dr. Parkinson.", Lang::Nl, PhiType::Name),
        ["Parkinson"]
    );
}

#[test]
fn bsn_needs_the_elfproef() {
    assert!(elfproef("111222333"));
    assert!(!elfproef("123456789"));
    // A 9-digit number that fails the elfproef is not a BSN, even after "BSN".
    assert!(of_type("BSN 123456789", Lang::Nl, PhiType::Bsn).is_empty());
    // An 8-digit number is never a BSN.
    assert!(of_type("BSN 12345678", Lang::Nl, PhiType::Bsn).is_empty());
    // Written with spaces or dots, it passes as it should.
    assert_eq!(
        of_type("BSN: 111 222 333", Lang::Nl, PhiType::Bsn),
        ["111 222 333"]
    );
    assert_eq!(
        of_type("BSN 1112.22.333", Lang::Nl, PhiType::Bsn),
        ["1112.22.333"]
    );
    // A lab order number that passes by chance stays an identifier.
    let lab = "Aanvraagnummer: 111222333";
    assert_eq!(found(lab, Lang::Nl), pairs(&[("111222333", PhiType::Id)]));
}

#[test]
fn phone_formats() {
    let text = "tel. +31 71 526 1234, +31 (0)71 526 1234, +31 6 1234 5678, 06-12345678, 06 1234 5678, \
                071-5261234, 071 526 12 34, (071) 526 12 34, 0715261234. Geen telefoon: 0,5-1,0 mmol/l, \
                01-05-2021 14:00, AGB 01493067.";
    assert_eq!(
        of_type(text, Lang::Nl, PhiType::Phone),
        [
            "+31 71 526 1234",
            "+31 (0)71 526 1234",
            "+31 6 1234 5678",
            "06-12345678",
            "06 1234 5678",
            "071-5261234",
            "071 526 12 34",
            "(071) 526 12 34",
            "0715261234"
        ]
    );
}

#[test]
fn dates_in_many_formats_but_not_years() {
    let text =
        "Gezien 12-5-2021, 14/04/2021, 27.08.2021, 2021-08-27, 8 januari 1951, 3 aug. 2022, \
                december 2017. Rookte tot 2006; s/p CABG (2013); RR 140/90; eGFR 60 ml/min/1,73m2.";
    assert_eq!(
        of_type(text, Lang::Nl, PhiType::Date),
        [
            "12-5-2021",
            "14/04/2021",
            "27.08.2021",
            "2021-08-27",
            "8 januari 1951",
            "3 aug. 2022",
            "december 2017"
        ]
    );
    let text = "Seen November 3, 2019 and 16 Sep 2024; American 4/23/2020.";
    assert_eq!(
        of_type(text, Lang::En, PhiType::Date),
        ["November 3, 2019", "16 Sep 2024", "4/23/2020"]
    );
}

#[test]
fn ages_of_patients_and_relatives_but_not_durations() {
    let text =
        "Een 67-jarige man; vader overleed op 52-jarige leeftijd, moeder is zevenentachtigjarig, \
                een zevenenzeventigjarige tante. Sinds 3 jaar klachten, rookt 20 pakjaren.";
    assert_eq!(
        of_type(text, Lang::Nl, PhiType::Age),
        ["67", "52", "zevenentachtig", "zevenenzeventig"]
    );
    let text = "This 84-year-old man, 71yo, brother died aged 49, uncle MI at age 60; 20 pack-years, 2 years ago.";
    assert_eq!(
        of_type(text, Lang::En, PhiType::Age),
        ["84", "71", "49", "60"]
    );
}

/// A patient with two documents: a referral and a later letter.
fn patient_documents() -> Vec<Document> {
    let mut first = Document::new(
        "p1-a",
        Lang::Nl,
        "referral",
        "Betreft: mevr. E. Gelbeek, geb. 02-01-1953, BSN 111222333.\nGezien op 5 maart 2024.",
    );
    first.patient_id = Some("P1".into());
    let mut second = Document::new(
        "p1-b",
        Lang::Nl,
        "letter",
        "Patiënt: Gelbeek, E., geb. 2 januari 1953\nControle 15-03-2024. Mevrouw Gelbeek voelt zich goed.",
    );
    second.patient_id = Some("P1".into());
    vec![first, second]
}

#[test]
fn pseudonyms_are_consistent_within_and_across_a_patients_documents() {
    let key = Key::from_secret(b"test key");
    let mut deidentifier = Deidentifier::new(Mode::Pseudonymise, Some(key.clone())).unwrap();
    let done: Vec<_> = patient_documents()
        .iter()
        .map(|d| deidentifier.run(d))
        .collect();
    let names: Vec<&str> = done
        .iter()
        .flat_map(|d| &d.replacements)
        .filter(|r| r.kind == PhiType::Name)
        .map(|r| r.new_text.as_str())
        .collect();
    assert_eq!(names.len(), 3, "{names:?}");
    // "E. Gelbeek", "Gelbeek, E." and "Gelbeek" share one surrogate surname and initial.
    let surname = names[2].rsplit(' ').next().unwrap();
    assert!(
        names[0].ends_with(surname) && names[1].starts_with(surname),
        "{names:?}"
    );
    let initial = &names[0][..2];
    assert!(names[1].contains(initial), "{names:?}");
    for d in &done {
        assert!(!d.document.text.contains("Gelbeek"), "{}", d.document.text);
    }
    // Reproducible with the same key, different with another.
    let mut again = Deidentifier::new(Mode::Pseudonymise, Some(key)).unwrap();
    assert_eq!(
        again.run(&patient_documents()[0]).document,
        done[0].document
    );
    let mut other =
        Deidentifier::new(Mode::Pseudonymise, Some(Key::from_secret(b"other"))).unwrap();
    assert_ne!(
        other.run(&patient_documents()[0]).document.text,
        done[0].document.text
    );

    // Tags are consistent too: one number per person and per date.
    let mut tagger = Deidentifier::new(Mode::Tag, None).unwrap();
    let tagged: Vec<String> = patient_documents()
        .iter()
        .map(|d| tagger.run(d).document.text)
        .collect();
    assert!(
        tagged[0].starts_with("Betreft: mevr. [NAME-1], geb. [DATE-1]"),
        "{}",
        tagged[0]
    );
    assert!(
        tagged[1].starts_with("Patiënt: [NAME-1], geb. [DATE-1]"),
        "{}",
        tagged[1]
    );
    assert!(
        tagged[1].contains("Mevrouw [NAME-1] voelt"),
        "{}",
        tagged[1]
    );
}

#[test]
fn date_shifting_keeps_intervals_and_formats() {
    let key = Key::from_secret(b"shift");
    let mut deidentifier = Deidentifier::new(Mode::Pseudonymise, Some(key)).unwrap();
    let documents = patient_documents();
    let shift = deidentifier.date_shift("P1");
    assert_ne!(shift, 0);
    let mut before = Vec::new();
    let mut after = Vec::new();
    for document in &documents {
        for r in deidentifier.run(document).replacements {
            if r.kind == PhiType::Date {
                let old = WrittenDate::parse(&r.original_text, false).unwrap();
                let new = WrittenDate::parse(&r.new_text, false).unwrap();
                assert_eq!(new.day_number() - old.day_number(), shift, "{r:?}");
                // Same format: the same characters are digits, letters stay letters.
                let shape = |s: &str| s.chars().map(|c| c.is_ascii_digit()).collect::<Vec<_>>();
                if old.text.chars().all(|c| !c.is_alphabetic()) {
                    assert_eq!(shape(&old.text), shape(&new.text), "{r:?}");
                }
                before.push(old.day_number());
                after.push(new.day_number());
            }
        }
    }
    assert_eq!(before.len(), 4);
    let intervals = |days: &[i64]| days.windows(2).map(|w| w[1] - w[0]).collect::<Vec<_>>();
    assert_eq!(intervals(&before), intervals(&after));
}

#[test]
fn the_mapping_file_reverses_the_pseudonymisation() {
    let dir = tempfile::tempdir().unwrap();
    let key = Key::from_secret(b"data manager");
    let mut deidentifier = Deidentifier::new(Mode::Pseudonymise, Some(key.clone())).unwrap();
    let mut mapping = Mapping::new(Mode::Pseudonymise, &key);
    let originals = read_jsonl(Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/datasets-synthetic/referrals/dev.jsonl"
    )))
    .unwrap();
    let mut done = Vec::new();
    for document in &originals {
        let result = deidentifier.run(document);
        mapping.add(&key, document, &result);
        done.push(result.document);
    }
    let path = dir.path().join("mapping.json");
    mapping.save(&path).unwrap();
    let saved = std::fs::read_to_string(&path).unwrap();
    assert!(
        !saved.contains(&originals[0].phi_text(0)),
        "the mapping holds no plain PHI"
    );
    let loaded = Mapping::load(&path).unwrap();
    for (original, deidentified) in originals.iter().zip(&done) {
        let back = loaded.restore(&key, deidentified).unwrap();
        assert_eq!(back.text, original.text);
        assert_eq!(back.fields, original.fields, "field spans move back too");
        assert_eq!(
            back.summary, original.summary,
            "summary spans move back too"
        );
        // In the pseudonymised letter a findings line still points at the same numbers.
        for (moved, line) in deidentified.summary.iter().zip(&original.summary) {
            if line.section == "findings" {
                let now: Vec<_> = moved.spans.iter().map(|s| deidentified.slice(*s)).collect();
                let then: Vec<_> = line.spans.iter().map(|s| original.slice(*s)).collect();
                assert_eq!(now, then, "{}", original.id);
            }
        }
    }
    let wrong = loaded.restore(&Key::from_secret(b"guess"), &done[0]);
    assert!(wrong.unwrap_err().to_string().contains("not the key"));
}

/// The text of a document's first PHI span (for checks).
trait PhiText {
    fn phi_text(&self, index: usize) -> String;
}

impl PhiText for Document {
    fn phi_text(&self, index: usize) -> String {
        self.slice(self.phi[index].span()).unwrap().to_string()
    }
}

#[test]
fn detection_meets_the_targets_on_the_test_split() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/datasets-synthetic/referrals/test.jsonl"
    );
    let gold = read_jsonl(path.as_ref()).unwrap();
    let predictions: Vec<Document> = gold
        .iter()
        .map(|document| {
            let mut prediction = document.clone();
            prediction.fields.clear();
            prediction.phi = detect(&document.text, document.lang);
            prediction
        })
        .collect();
    let options = EvalOptions {
        phi: true,
        bootstrap: clinkit::eval::Bootstrap {
            resamples: 0,
            ..Default::default()
        },
        ..Default::default()
    };
    let report = evaluate(&gold, &predictions, &options).unwrap();
    let table = report.phi.expect("PHI scores were asked for");
    println!("PHI detection on the test split (strict: exact start and end)");
    println!(
        "{:<12} {:>9} {:>9} {:>9}",
        "type", "precision", "recall", "F1"
    );
    let mut rows = BTreeMap::new();
    for row in &table.rows {
        println!(
            "{:<12} {:>9.3} {:>9.3} {:>9.3}",
            row.name, row.strict.precision, row.strict.recall, row.strict.f1
        );
        rows.insert(row.name.clone(), row.strict);
    }
    let micro = &table.micro.strict;
    println!(
        "{:<12} {:>9.3} {:>9.3} {:>9.3}",
        "micro", micro.precision, micro.recall, micro.f1
    );
    for (kind, target) in [
        ("BSN", 0.99),
        ("PHONE", 0.99),
        ("EMAIL", 0.99),
        ("POSTCODE", 0.99),
        ("DATE", 0.99),
        ("NAME", 0.95),
        ("ADDRESS", 0.95),
    ] {
        let recall = rows[kind].recall;
        assert!(
            recall >= target,
            "{kind}: recall {recall:.3} below {target}"
        );
    }
    assert!(
        micro.precision >= 0.9,
        "precision {:.3} below 0.9",
        micro.precision
    );
}

#[test]
fn arbitrary_text_never_panics_and_spans_fit() {
    let pieces = [
        "dhr. ",
        "Mw. ",
        "Dr ",
        "J.",
        "H.J. ",
        "van ",
        "de ",
        "'t ",
        "Jansen",
        "Gelbeek, E.",
        "é",
        "ë",
        "ü",
        "€",
        "😀",
        "\n",
        "\u{c}",
        " ",
        "  ",
        ",",
        ".",
        ":",
        "(",
        ")",
        "|",
        "-",
        "/",
        "12",
        "3",
        "06-",
        "+31 ",
        "+44 (0)",
        "2333",
        " ZA",
        "YO9 5JT",
        "BSN ",
        "111222333",
        "januari ",
        "May ",
        "2021",
        "@",
        "www.",
        "https://",
        ".nl",
        "jarige",
        "-year-old",
        "Kerkstraat ",
        "Road",
        "Hospital",
        "Ziekenhuis ",
        "Met vriendelijke groet,\n",
        "ziekte van Parkinson",
        "Ä",
        "ß",
        "ﬁ",
        "\t",
    ];
    let mut rng = Rng::new(2024);
    let key = Key::from_secret(b"fuzz");
    for round in 0..400 {
        let length = rng.range(0, 60) as usize;
        let text: String = (0..length).map(|_| *rng.pick(&pieces)).collect();
        let lang = if round % 2 == 0 { Lang::Nl } else { Lang::En };
        let phi = detect(&text, lang);
        let total = char_len(&text);
        let mut previous_end = 0;
        for span in &phi {
            assert!(
                span.start < span.end && span.end <= total,
                "{text:?}: {span:?}"
            );
            assert!(span.start >= previous_end, "overlap in {text:?}: {phi:?}");
            assert!(span.span().slice(&text).is_some());
            previous_end = span.end;
        }
        let document = Document::new(format!("f{round}"), lang, "referral", text.clone());
        for mode in [Mode::Tag, Mode::Pseudonymise, Mode::Redact] {
            let mut d = Deidentifier::new(mode, Some(key.clone())).unwrap();
            let done = d.apply(&document, &phi);
            for r in &done.replacements {
                assert_eq!(
                    r.replaced.slice(&done.document.text),
                    Some(r.new_text.as_str())
                );
            }
        }
    }
}

fn clinkit(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_clinkit"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn cli_bad_input_line_names_file_line_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("letters.jsonl");
    std::fs::write(
        &input,
        "{\"id\": \"a\", \"lang\": \"nl\", \"kind\": \"referral\", \"text\": \"Mw. Jansen.\"}\n\
         {\"id\": \"b\", \"lang\": \"nl\", \"kind\": \"referral\", \"text\": 42}\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let output = clinkit(&[
        "deid",
        "--in",
        input.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("letters.jsonl:2: field `text`"), "{stderr}");
}

#[test]
fn cli_pseudonymises_writes_a_mapping_and_its_predictions_score() {
    let dir = tempfile::tempdir().unwrap();
    let gold = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/datasets-synthetic/referrals/dev.jsonl"
    );
    let out = dir.path().join("out");
    let key = dir.path().join("secret.key");
    let mapping = dir.path().join("mapping.json");
    let output = clinkit(&[
        "deid",
        "--in",
        gold,
        "--out",
        out.to_str().unwrap(),
        "--mode",
        "pseudonymise",
        "--key-file",
        key.to_str().unwrap(),
        "--mapping",
        mapping.to_str().unwrap(),
        "--json",
    ]);
    let summary = common::json_of_success(&output);
    assert_eq!(summary["files"][0]["documents"], 80);
    assert_eq!(summary["key_created"], true);
    let predictions = out.join("dev.phi.jsonl");
    let deidentified = read_jsonl(&out.join("dev.deid.jsonl")).unwrap();
    let originals = read_jsonl(gold.as_ref()).unwrap();
    // Names are gone from the de-identified text; the mapping brings them back.
    let name = originals[0]
        .phi
        .iter()
        .find(|p| p.kind == PhiType::Name)
        .unwrap();
    let name = originals[0].slice(name.span()).unwrap();
    assert!(!deidentified[0].text.contains(name));
    let key = Key::load(&key).unwrap();
    let back = Mapping::load(&mapping)
        .unwrap()
        .restore(&key, &deidentified[0])
        .unwrap();
    assert_eq!(back.text, originals[0].text);

    let eval = clinkit(&[
        "eval",
        "--phi",
        "--json",
        "--bootstrap",
        "0",
        "--gold",
        gold,
        "--pred",
        predictions.to_str().unwrap(),
    ]);
    let report = common::json_of_success(&eval);
    let recall = report["phi"]["micro"]["strict"]["recall"].as_f64().unwrap();
    assert!(recall > 0.95, "{recall}");

    // Pseudonymising without a key is a user error (exit 1) that says what to do.
    let output = clinkit(&[
        "deid",
        "--in",
        gold,
        "--out",
        out.to_str().unwrap(),
        "--mode",
        "pseudonymise",
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--key-file"));
}

#[test]
fn run_writes_both_files_for_a_folder() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    for name in ["a", "b"] {
        std::fs::write(
            input.join(format!("{name}.jsonl")),
            format!("{{\"id\": \"{name}\", \"lang\": \"en\", \"kind\": \"referral\", \"text\": \"Dear Dr Smith, re Mr J. Brown.\"}}\n"),
        )
        .unwrap();
    }
    let summary = run(&RunOptions {
        input,
        out: dir.path().join("out"),
        mode: Mode::Redact,
        key_file: None,
        mapping: None,
    })
    .unwrap();
    assert_eq!(summary.files.len(), 2);
    let text = std::fs::read_to_string(&summary.files[1].deidentified).unwrap();
    assert!(
        text.contains("Dear Dr [REDACTED], re Mr [REDACTED]."),
        "{text}"
    );
}
