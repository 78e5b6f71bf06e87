//! Language-model summaries against a real llama.cpp server (llama-cpp-python's
//! `llama_cpp.server`, installed into .venv by scripts/setup) running the packaged
//! gemma-3-270m on 127.0.0.1. A 270M base model summarises poorly, so the server tests check
//! structure and the safety net, not quality: the answers parse, every line's evidence lies
//! inside its letter, `--strict` leaves no unsupported line, and the CLI prints template and
//! model scores side by side. Hand-written answers show that the check catches an invented
//! number and a dropped negation.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::server::LlamaServer;

use clinkit::data::{read_jsonl, Document};
use clinkit::summarise::{
    check_summary, model_summary, summary_from_answer, ModelSummaryOptions, Problem, Section,
};

/// The first `n` letters of the synthetic test split, with their gold fields (what the
/// prompt shows) and reference summaries.
fn letters(n: usize) -> Vec<Document> {
    let path = corpus();
    read_jsonl(&path).unwrap().into_iter().take(n).collect()
}

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("datasets-synthetic/referrals/test.jsonl")
}

/// Small answers keep the tests fast: at most two lines.
fn small() -> ModelSummaryOptions {
    ModelSummaryOptions {
        max_lines: 2,
        answer_tokens: 160,
        context_window: 4096,
    }
}

/// One server for both: starting one and generating are slow on a small CPU.
#[test]
fn the_models_lines_parse_point_into_the_letter_and_strict_keeps_only_supported_ones() {
    let server = LlamaServer::start(4096, false);
    let mut client = server.client();
    for letter in letters(1) {
        let mut summary = model_summary(&mut client, &letter, &small())
            .unwrap_or_else(|e| panic!("{}: {e}\n{}", letter.id, server.log_text()));
        assert_eq!(summary.id, letter.id);
        assert!(summary.source.starts_with("http://127.0.0.1:"));
        assert!(
            (1..=2).contains(&summary.statements.len()),
            "{}: {:?}",
            letter.id,
            summary.statements
        );
        check_summary(&mut summary, &letter);
        for statement in &summary.statements {
            assert!(!statement.text.trim().is_empty());
            for span in &statement.spans {
                assert!(
                    !span.is_empty() && letter.slice(*span).is_some(),
                    "{}: {span:?} outside the letter",
                    letter.id
                );
            }
            if statement.spans.is_empty() {
                assert!(statement.problems.contains(&Problem::NoEvidence));
            }
        }
        eprintln!("{}\n{}", letter.id, summary.render_text());
        let strict = summary.clone().strict();
        assert!(strict.statements.iter().all(|s| s.is_supported()));
        let unsupported = summary
            .statements
            .iter()
            .filter(|s| !s.is_supported())
            .count();
        assert_eq!(
            strict.statements.len() + unsupported,
            summary.statements.len()
        );
    }
    cli_prints_template_and_model_side_by_side_and_strict_drops_unsupported_lines(&server);
}

/// A hand-written model answer for the first Dutch test letter: one faithful line, one
/// with an invented number, one that drops the letter's "geen".
#[test]
fn an_invented_number_and_a_dropped_negation_in_a_model_answer_are_flagged() {
    // A Dutch letter with an LVEF and a denied diagnosis whose words the ConText rules
    // read as that diagnosis when they stand alone ("DM2", not "geen DM2").
    let said_alone = |letter: &Document, item: &clinkit::data::Grounded| {
        let words = letter.slice(item.spans[0]).unwrap();
        let alone = Document::new("s", letter.lang, "summary", format!("Bekend met {words}."));
        let found = clinkit::extract::rules::extract(&alone);
        found.fields.get("diagnoses").is_some_and(|d| {
            d.items().iter().any(|said| {
                said.value["name"] == item.value["name"] && said.value["status"] == "present"
            })
        })
    };
    let denied_in = |letter: &Document| -> Option<clinkit::data::Grounded> {
        let diagnoses = letter.fields.get("diagnoses")?.items();
        diagnoses
            .iter()
            .find(|d| d.value["status"] == "absent" && said_alone(letter, d))
            .cloned()
    };
    let letter = letters(80)
        .into_iter()
        .find(|l| {
            l.lang == clinkit::data::Lang::Nl
                && l.fields.contains_key("lvef_percent")
                && denied_in(l).is_some()
        })
        .expect("a Dutch test letter with an LVEF and a denied diagnosis");
    let lvef = &letter.fields["lvef_percent"].items()[0];
    let lvef_words = letter.slice(lvef.spans[0]).unwrap();
    let denied = denied_in(&letter).unwrap();
    let denied_words = letter.slice(denied.spans[0]).unwrap();
    let invented = lvef.value.as_i64().unwrap() + 17;
    let answer = serde_json::json!({"lines": [
        {"section": "findings", "text": format!("LVEF {}%", lvef.value), "quote": lvef_words},
        {"section": "findings", "text": format!("LVEF {invented}%"), "quote": lvef_words},
        {"section": "history", "text": format!("Bekend met {denied_words}."), "quote": denied_words}
    ]})
    .to_string();
    let mut summary = summary_from_answer(&answer, &letter, "hand-written").unwrap();
    check_summary(&mut summary, &letter);
    let problems: Vec<&[Problem]> = summary
        .statements
        .iter()
        .map(|s| s.problems.as_slice())
        .collect();
    // Sorted by section: history first.
    assert!(
        matches!(problems[0], [Problem::FlippedNegation { letter, statement, .. }]
            if letter == "absent" && statement == "present"),
        "{problems:?}"
    );
    assert_eq!(problems[1], []);
    assert_eq!(
        problems[2],
        [Problem::InventedNumber {
            number: invented.to_string()
        }]
    );
    assert_eq!(summary.statements[1].spans, lvef.spans[..1]);
    assert_eq!(summary.clone().strict().statements.len(), 1);
}

#[test]
fn answers_that_are_not_the_schema_are_errors_naming_letter_and_line() {
    let letter = &letters(1)[0];
    for (answer, expected) in [
        ("LVEF 35%", "the summary is not the expected JSON"),
        (
            r#"{"lines": [{"text": "LVEF 35%"}]}"#,
            "missing field `section`",
        ),
        (
            r#"{"lines": [{"section": "who", "text": "x", "quote": ""}, {"section": "plan", "text": "x", "quote": ""}]}"#,
            "line 2 has the unknown section `plan`",
        ),
    ] {
        let error = summary_from_answer(answer, letter, "hand-written")
            .unwrap_err()
            .to_string();
        assert!(
            error.contains(&letter.id) && error.contains(expected),
            "{error}"
        );
    }
    // A line whose words are nowhere in the letter has no evidence.
    let answer =
        r#"{"lines": [{"section": "who", "text": "Zwanger, 23 weken", "quote": "zwangerschap"}]}"#;
    let mut summary = summary_from_answer(answer, letter, "hand-written").unwrap();
    assert_eq!(summary.statements[0].section, Section::Who);
    assert!(summary.statements[0].spans.is_empty());
    check_summary(&mut summary, letter);
    assert!(summary.statements[0]
        .problems
        .contains(&Problem::NoEvidence));
}

fn clinkit() -> Command {
    Command::new(env!("CARGO_BIN_EXE_clinkit"))
}

#[test]
fn the_cli_refuses_a_model_server_that_was_not_allowed() {
    let output = clinkit()
        .arg("summarise")
        .arg(corpus())
        .args([
            "--backend",
            "openai",
            "--base-url",
            "http://203.0.113.7:8080/v1",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("203.0.113.7"), "{stderr}");
    assert!(output.stdout.is_empty());
}

/// `clinkit summarise --backend openai --strict --eval --json` on one letter.
fn cli_prints_template_and_model_side_by_side_and_strict_drops_unsupported_lines(
    server: &LlamaServer,
) {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("one.jsonl");
    clinkit::data::write_jsonl(&input, &letters(1)).unwrap();
    let output = clinkit()
        .arg("summarise")
        .arg(&input)
        .args(["--backend", "openai", "--base-url", &server.url])
        .args([
            "--fields",
            "gold",
            "--strict",
            "--eval",
            "--bootstrap",
            "200",
        ])
        .args(["--max-lines", "2", "--answer-tokens", "160", "--json"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let summaries = value["summaries"].as_array().unwrap();
    assert_eq!(summaries.len(), 1);
    for summary in summaries {
        assert!(summary["source"]
            .as_str()
            .unwrap()
            .starts_with("http://127.0.0.1:"));
        for statement in summary["statements"].as_array().unwrap() {
            assert_eq!(statement["problems"], serde_json::json!([]), "{statement}");
        }
    }
    for report in [&value["evaluation"], &value["template_evaluation"]] {
        for score in ["faithfulness", "coverage", "rouge_l_f1"] {
            let estimate = &report[score];
            let point = estimate["value"].as_f64().unwrap();
            assert!((0.0..=1.0).contains(&point), "{score}: {estimate}");
            assert!(estimate["interval"]["low"].as_f64().unwrap() <= point);
        }
    }
    // In strict mode every statement left is supported; the template is faithful by design.
    assert_eq!(value["evaluation"]["faithfulness"]["value"], 1.0);
    assert_eq!(value["template_evaluation"]["faithfulness"]["value"], 1.0);
}
