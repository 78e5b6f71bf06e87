//! The `clinkit` command as a user meets it: the demo, and errors for bad input.

use std::path::Path;
use std::process::{Command, Output};

fn clinkit(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_clinkit"))
        .args(args)
        .output()
        .unwrap()
}

fn json_stdout(output: &Output) -> serde_json::Value {
    assert!(
        output.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("--json prints exactly one JSON document")
}

fn path_str(path: &Path) -> &str {
    path.to_str().unwrap()
}

#[test]
fn quick_demo_writes_its_files_and_its_numbers_match_clinkit_eval() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("demo");
    let summary = json_stdout(&clinkit(&[
        "demo",
        "--quick",
        "--json",
        "--out",
        path_str(&out),
    ]));
    assert_eq!(summary["letters"], 20);
    for file in summary["files"].as_array().unwrap() {
        assert!(
            Path::new(file.as_str().unwrap()).is_file(),
            "{file} was not written"
        );
    }
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("<html") && html.contains("lvef_percent"));

    // The demo extracts from de-identified letters; their gold spans moved with the text.
    let gold = out.join("letters-deidentified.jsonl");
    let pred = out.join("predictions-rules.jsonl");
    let report = json_stdout(&clinkit(&[
        "eval",
        "--json",
        "--bootstrap",
        "200",
        "--gold",
        path_str(&gold),
        "--pred",
        path_str(&pred),
    ]));
    let micro = &report["micro"];
    let rules = &summary["systems"][0];
    assert_eq!(rules["name"], "rules baseline");
    assert_eq!(rules["micro_f1"], micro["f1"]);
    assert_eq!(rules["micro_precision"], micro["precision"]);
    assert_eq!(rules["micro_recall"], micro["recall"]);
    assert_eq!(rules["micro_f1_interval"][0], micro["f1_interval"]["low"]);
    assert!(html.contains(&format!("{:.3}", micro["f1"].as_f64().unwrap())));
    // The letters the extractor saw carry no gold name any more.
    let deidentified = std::fs::read_to_string(&gold).unwrap();
    let original = std::fs::read_to_string(out.join("data/referrals/test.jsonl")).unwrap();
    let first: serde_json::Value = serde_json::from_str(original.lines().next().unwrap()).unwrap();
    let text = first["text"].as_str().unwrap();
    for phi in first["phi"].as_array().unwrap() {
        if phi["type"] == "NAME" {
            let (start, end) = (
                phi["start"].as_u64().unwrap() as usize,
                phi["end"].as_u64().unwrap() as usize,
            );
            let name: String = text.chars().skip(start).take(end - start).collect();
            assert!(
                !deidentified.contains(&name),
                "{name} is still in the de-identified letters"
            );
        }
    }
    // The local model read the first letter (constrained JSON, grounded); its numbers are
    // what `clinkit eval` says of its predictions on that letter's gold.
    let model = &summary["model"];
    assert_eq!(model["letters"], 1, "{model}");
    assert_eq!(
        model["ok"].as_u64().unwrap() + model["errors"].as_u64().unwrap(),
        1
    );
    assert!(Path::new(model["review_page"].as_str().unwrap()).is_file());
    assert!(html.contains("model/review.html"));
    let model_eval = json_stdout(&clinkit(&[
        "eval",
        "--json",
        "--bootstrap",
        "200",
        "--gold",
        model["gold"].as_str().unwrap(),
        "--pred",
        model["predictions"].as_str().unwrap(),
    ]));
    let systems = summary["systems"].as_array().unwrap();
    assert_eq!(
        systems.len(),
        3,
        "rules, rules on the model's letters, model"
    );
    assert!(systems[2]["name"]
        .as_str()
        .unwrap()
        .contains("gemma-3-270m"));
    assert_eq!(systems[2]["micro_f1"], model_eval["micro"]["f1"]);
    assert_eq!(systems[2]["micro_recall"], model_eval["micro"]["recall"]);

    let phi_recall = summary["phi_recall"].as_f64().unwrap();
    assert!((0.9..=1.0).contains(&phi_recall), "PHI recall {phi_recall}");
    let f1 = micro["f1"].as_f64().unwrap();
    assert!((0.6..0.99).contains(&f1), "micro F1 {f1}");
}

#[test]
fn synth_json_lists_the_files_it_wrote() {
    let dir = tempfile::tempdir().unwrap();
    let listing = json_stdout(&clinkit(&[
        "synth",
        "--json",
        "--referrals",
        "10",
        "--patients",
        "1",
        "--max-pages",
        "3",
        "--out",
        path_str(dir.path()),
    ]));
    let files = listing["files"].as_array().unwrap();
    let counted: u64 = files
        .iter()
        .map(|file| file["documents"].as_u64().unwrap())
        .sum();
    assert_eq!(counted, 11);
    assert!(dir.path().join("referrals/train.jsonl").is_file());
    assert!(dir.path().join("patients/patients.jsonl").is_file());
}

#[test]
fn synth_into_a_file_instead_of_a_folder_names_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("not-a-folder");
    std::fs::write(&blocker, "x").unwrap();
    let output = clinkit(&[
        "synth",
        "--referrals",
        "5",
        "--patients",
        "0",
        "--out",
        path_str(&blocker),
    ]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("not-a-folder"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn eval_with_a_missing_file_names_it() {
    let output = clinkit(&[
        "eval",
        "--gold",
        "no/such/gold.jsonl",
        "--pred",
        "no/such/pred.jsonl",
    ]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("no/such/gold.jsonl"), "{stderr}");
}

#[test]
fn eval_with_an_unknown_field_names_file_line_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let gold = dir.path().join("gold.jsonl");
    let good = r#"{"id": "a", "lang": "en", "kind": "referral", "text": "Age 67.", "fields": {"age": {"value": 67, "spans": [[4, 6]]}}}"#;
    let bad = r#"{"id": "b", "lang": "en", "kind": "referral", "text": "Size 44.", "fields": {"shoe_size": {"value": 44, "spans": [[5, 7]]}}}"#;
    std::fs::write(&gold, format!("{good}\n{bad}\n")).unwrap();
    let output = clinkit(&["eval", "--gold", path_str(&gold), "--pred", path_str(&gold)]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("gold.jsonl:2: field `fields.shoe_size`: unknown field"),
        "{stderr}"
    );
}

#[test]
fn unknown_subcommand_is_a_usage_error() {
    assert_eq!(clinkit(&["frobnicate"]).status.code(), Some(2));
}
