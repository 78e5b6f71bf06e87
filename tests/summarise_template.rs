//! The template summary on the committed test split: faithful by construction, with a
//! measured coverage; corrupted summaries are caught; ROUGE-L by hand.

use clinkit::data::{read_jsonl, Document};
use clinkit::eval::Bootstrap;
use clinkit::extract::rules;
use clinkit::summarise::{
    check_summary, evaluate_summaries, rouge_l, template_summary, Problem, Summary,
};

fn split(name: &str) -> Vec<Document> {
    let path = format!(
        "{}/datasets-synthetic/referrals/{name}.jsonl",
        env!("CARGO_MANIFEST_DIR")
    );
    read_jsonl(path.as_ref()).unwrap()
}

fn quick() -> Bootstrap {
    Bootstrap {
        resamples: 200,
        ..Bootstrap::default()
    }
}

#[test]
fn template_from_gold_fields_is_faithful_and_covers_every_gold_value() {
    let gold = split("test");
    let summaries: Vec<Summary> = gold.iter().map(template_summary).collect();
    let report = evaluate_summaries(&gold, &summaries, &quick()).unwrap();
    assert_eq!(report.faithfulness.value, 1.0);
    assert_eq!(report.coverage.value, 1.0);
    let statements: usize = report.documents.iter().map(|d| d.statements).sum();
    let gold_values: usize = report.documents.iter().map(|d| d.gold_items).sum();
    assert_eq!((statements, gold_values), (986, 1237));
}

#[test]
fn template_from_the_rules_baseline_inherits_its_mistakes_and_the_check_finds_them() {
    let gold = split("test");
    let summaries: Vec<Summary> = gold
        .iter()
        .map(|letter| template_summary(&rules::extract(letter)))
        .collect();
    let report = evaluate_summaries(&gold, &summaries, &quick()).unwrap();
    let supported: usize = report.documents.iter().map(|d| d.supported).sum();
    let statements: usize = report.documents.iter().map(|d| d.statements).sum();
    let covered: usize = report.documents.iter().map(|d| d.covered).sum();
    assert_eq!((supported, statements), (932, 947));
    assert_eq!(covered, 1114);
    let interval = report.faithfulness.interval.unwrap();
    assert!(interval.low < 0.984 && 0.984 < interval.high, "{interval}");
    // ref-0328: the rules read "AF" as present where the letter denies it.
    let letter = report
        .documents
        .iter()
        .find(|d| d.id == "ref-0328")
        .unwrap();
    assert_eq!(letter.errors[0].0, "AF");
    assert_eq!(
        letter.errors[0].1,
        vec![Problem::FlippedNegation {
            diagnosis: "atrial fibrillation".into(),
            letter: "absent".into(),
            statement: "present".into()
        }]
    );
}

#[test]
fn an_invented_number_and_a_dropped_negation_are_caught() {
    let gold = split("test");
    // ref-0322 (English): "no myocardial infarction", eGFR 73.
    let letter = gold.iter().find(|d| d.id == "ref-0322").unwrap();
    let mut summary = template_summary(letter);
    for statement in &mut summary.statements {
        if statement.text == "eGFR 73" {
            statement.text = "eGFR 37".into();
        }
        if statement.text == "no myocardial infarction" {
            statement.text = "myocardial infarction".into();
        }
    }
    check_summary(&mut summary, letter);
    let problems: Vec<(&str, &Vec<Problem>)> = summary
        .statements
        .iter()
        .filter(|s| !s.is_supported())
        .map(|s| (s.text.as_str(), &s.problems))
        .collect();
    assert_eq!(
        problems,
        vec![
            (
                "myocardial infarction",
                &vec![Problem::FlippedNegation {
                    diagnosis: "myocardial infarction".into(),
                    letter: "absent".into(),
                    statement: "present".into()
                }]
            ),
            (
                "eGFR 37",
                &vec![Problem::InventedNumber {
                    number: "37".into()
                }]
            ),
        ]
    );
    let strict = summary.clone().strict();
    assert_eq!(strict.statements.len(), summary.statements.len() - 2);
    let report = evaluate_summaries(std::slice::from_ref(letter), &[summary], &quick()).unwrap();
    assert_eq!(
        report.documents[0].supported,
        report.documents[0].statements - 2
    );
}

#[test]
fn a_drug_that_is_not_in_the_letter_and_a_statement_without_evidence_are_caught() {
    let gold = split("test");
    let letter = &gold[0]; // ref-0321: Plavix and amlodipine, no metoprolol
    let mut summary = template_summary(letter);
    summary.statements.push(clinkit::summarise::Statement::new(
        clinkit::summarise::Section::Medication,
        "metoprolol 50 mg",
        vec![],
    ));
    check_summary(&mut summary, letter);
    let last = summary.statements.last().unwrap();
    assert_eq!(
        last.problems,
        vec![
            Problem::NoEvidence,
            Problem::UnknownDrug {
                drug: "metoprolol".into()
            }
        ]
    );
    assert!(summary.render_text().contains("[?] metoprolol 50 mg"));
}

#[test]
fn rouge_l_on_small_examples_by_hand() {
    // summary: [no, diabetes, lvef, 35] reference: [lvef, 35, no, diabetes, mellitus]
    // LCS = 2 ([no, diabetes] or [lvef, 35]): P = 2/4, R = 2/5, F1 = 2*0.5*0.4/0.9 = 4/9.
    let r = rouge_l("no diabetes, LVEF 35%", "LVEF 35%; no diabetes mellitus");
    assert_eq!((r.precision, r.recall), (0.5, 0.4));
    assert!((r.f1 - 4.0 / 9.0).abs() < 1e-12);
    // identical texts: 1, 1, 1; nothing in common or empty: 0.
    assert_eq!(rouge_l("RR 142/88", "rr 142 88").f1, 1.0);
    assert_eq!(rouge_l("AF", "HF").f1, 0.0);
    assert_eq!(rouge_l("", "HF").f1, 0.0);
    // a b c d e vs a x c y e: LCS a c e = 3, P = R = F1 = 3/5
    let r = rouge_l("a b c d e", "a x c y e");
    assert_eq!((r.precision, r.recall), (0.6, 0.6));
    assert!((r.f1 - 0.6).abs() < 1e-12);
}
