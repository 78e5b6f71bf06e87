//! The batch runner's promises, checked on the synthetic corpus and on damaged files:
//! rules through `clinkit extract` score as the library does, a killed run resumes with every
//! document exactly once, bad files become error records, shards cover the input exactly
//! once and merge to a single run's output, CSV and HTML carry the values.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use clinkit::data::read_jsonl;
use clinkit::eval::{evaluate, evaluate_files, EvalOptions};
use clinkit::extract::batch::{
    merge, read_records, run_batch, BatchOptions, RulesExtractor, Shard, RECORDS_DIR,
};
use clinkit::extract::output::OutputFormats;

fn corpus(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

fn clinkit() -> Command {
    Command::new(env!("CARGO_BIN_EXE_clinkit"))
}

fn rules_batch(
    input: &Path,
    out: &Path,
    shard: Shard,
    jobs: usize,
) -> clinkit::extract::batch::BatchSummary {
    let options = BatchOptions {
        shard,
        jobs,
        ..BatchOptions::new(out)
    };
    run_batch(input, &options, &|| Ok(Box::new(RulesExtractor)), &|_| {}).unwrap()
}

fn no_bootstrap() -> EvalOptions {
    let mut options = EvalOptions::default();
    options.bootstrap.resamples = 0;
    options
}

#[test]
fn clinkit_extract_with_rules_scores_as_the_library_baseline() {
    let gold_path = corpus("datasets-synthetic/referrals/test.jsonl");
    let out = tempfile::tempdir().unwrap();
    let status = clinkit()
        .args([
            "extract",
            gold_path.to_str().unwrap(),
            "--backend",
            "rules",
            "--jobs",
            "2",
            "--out",
        ])
        .arg(out.path())
        .stderr(Stdio::null())
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    let from_cli = evaluate_files(
        &gold_path,
        &out.path().join("predictions.jsonl"),
        &no_bootstrap(),
    )
    .unwrap();
    let gold = read_jsonl(&gold_path).unwrap();
    let found: Vec<_> = gold.iter().map(clinkit::extract::rules::extract).collect();
    let in_library = evaluate(&gold, &found, &no_bootstrap()).unwrap();
    assert_eq!(from_cli.micro.scores.f1, in_library.micro.scores.f1);
    assert!(
        from_cli.micro.scores.f1 > 0.5,
        "{}",
        from_cli.micro.scores.f1
    );
    assert!(from_cli.missing_predictions.is_empty());
}

/// Writes `count` referral letters of the dev split as .txt files.
fn letters_folder(dir: &Path, count: usize) -> Vec<String> {
    let letters = read_jsonl(&corpus("datasets-synthetic/referrals/dev.jsonl")).unwrap();
    std::fs::create_dir_all(dir).unwrap();
    letters
        .iter()
        .take(count)
        .map(|letter| {
            std::fs::write(dir.join(format!("{}.txt", letter.id)), &letter.text).unwrap();
            letter.id.clone()
        })
        .collect()
}

fn record_files(out: &Path) -> Vec<PathBuf> {
    match std::fs::read_dir(out.join(RECORDS_DIR)) {
        Ok(entries) => entries.map(|e| e.unwrap().path()).collect(),
        Err(_) => Vec::new(),
    }
}

#[test]
fn a_killed_run_resumes_with_every_document_exactly_once() {
    let dir = tempfile::tempdir().unwrap();
    // The six shortest patient files (5 to 20 pages): long enough to kill the run midway.
    let input = dir.path().join("patients.jsonl");
    let patients = read_jsonl(&corpus("datasets-synthetic/patients/patients.jsonl")).unwrap();
    clinkit::data::write_jsonl(&input, &patients[..6]).unwrap();
    let out = dir.path().join("out");
    let mut child = clinkit()
        .args([
            "extract",
            input.to_str().unwrap(),
            "--jobs",
            "1",
            "--format",
            "jsonl",
            "--out",
        ])
        .arg(&out)
        .stderr(Stdio::null())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    let done = |out: &Path| {
        record_files(out)
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .count()
    };
    while done(&out) < 2 {
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "no records appeared"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let at_kill = done(&out);
    assert!(
        at_kill < 6,
        "the run finished before the kill ({at_kill} records)"
    );
    assert!(
        !out.join("predictions.jsonl").exists(),
        "no join before all are done"
    );
    // Every record that exists is complete JSON (the reader fails on a half-written one).
    assert_eq!(read_records(&out.join(RECORDS_DIR)).unwrap().len(), at_kill);

    let output = clinkit()
        .args([
            "extract",
            input.to_str().unwrap(),
            "--json",
            "--format",
            "jsonl",
            "--out",
        ])
        .arg(&out)
        .output()
        .unwrap();
    let summary = common::json_of_success(&output);
    assert_eq!(summary["done_before"], at_kill);
    assert_eq!(summary["processed"], 6 - at_kill);
    assert_eq!(summary["ok"], 6);
    assert!(
        record_files(&out)
            .iter()
            .all(|p| p.extension().is_some_and(|e| e == "json")),
        "temporary files were cleaned up"
    );

    let predictions = read_jsonl(&out.join("predictions.jsonl")).unwrap();
    let ids: Vec<&str> = predictions.iter().map(|d| d.id.as_str()).collect();
    let expected: Vec<String> = (1..=6).map(|i| format!("pat-{i:04}")).collect();
    assert_eq!(ids, expected, "each document once, in input order");
    let fresh = dir.path().join("fresh");
    rules_batch(&input, &fresh, Shard::ALL, 2);
    assert_eq!(
        std::fs::read(out.join("predictions.jsonl")).unwrap(),
        std::fs::read(fresh.join("predictions.jsonl")).unwrap(),
        "a resumed run equals an uninterrupted one"
    );
}

#[test]
fn damaged_files_become_error_records_and_the_batch_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    let ids = letters_folder(&input, 3);
    std::fs::write(
        input.join("damaged.pdf"),
        b"%PDF-1.4 this is not really a pdf",
    )
    .unwrap();
    std::fs::write(input.join("corrupt.docx"), b"PK not a zip").unwrap();
    std::fs::write(input.join("latin1.txt"), b"Pati\xebnt 67 jaar").unwrap();
    std::fs::write(input.join("notes.xlsx"), b"ignored").unwrap();
    let out = dir.path().join("out");
    let summary = rules_batch(&input, &out, Shard::ALL, 2);
    assert_eq!((summary.documents, summary.ok, summary.errors), (6, 3, 3));
    let errors: BTreeMap<String, String> = std::fs::read_to_string(out.join("errors.jsonl"))
        .unwrap()
        .lines()
        .map(|line| {
            let value: serde_json::Value = serde_json::from_str(line).unwrap();
            (
                value["id"].as_str().unwrap().to_string(),
                value["error"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(errors.len(), 3, "{errors:?}");
    assert!(
        errors["damaged"].contains("damaged.pdf")
            && errors["damaged"].contains("cannot read the PDF"),
        "{errors:?}"
    );
    assert!(
        errors["corrupt"].contains("corrupt.docx") && errors["corrupt"].contains("not a .docx"),
        "{errors:?}"
    );
    assert!(
        errors["latin1"].contains("latin1.txt") && errors["latin1"].contains("not UTF-8"),
        "{errors:?}"
    );
    let ok = read_jsonl(&out.join("predictions.jsonl")).unwrap();
    assert_eq!(ok.iter().map(|d| d.id.clone()).collect::<Vec<_>>(), ids);
}

#[test]
fn a_jsonl_line_that_is_not_a_document_is_an_error_record() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    std::fs::write(
        &input,
        "{\"id\": \"a\", \"lang\": \"en\", \"kind\": \"referral\", \"text\": \"Age 67.\"}\n\
         {\"id\": \"b\", \"lang\": \"xx\", \"kind\": \"referral\", \"text\": \"Age 70.\"}\n\
         not json\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let summary = rules_batch(&input, &out, Shard::ALL, 1);
    assert_eq!((summary.ok, summary.errors), (1, 2));
    let errors = std::fs::read_to_string(out.join("errors.jsonl")).unwrap();
    assert!(errors.contains("in.jsonl:2: field `lang`"), "{errors}");
    assert!(
        errors.contains("line-3") && errors.contains("in.jsonl:3"),
        "{errors}"
    );
}

#[test]
fn shards_cover_the_input_once_and_merge_equals_a_single_run() {
    let dir = tempfile::tempdir().unwrap();
    let input = corpus("datasets-synthetic/referrals/test.jsonl");
    let single = dir.path().join("single");
    rules_batch(&input, &single, Shard::ALL, 2);
    let shard_dirs: Vec<PathBuf> = (0..3)
        .map(|i| dir.path().join(format!("shard-{i}")))
        .collect();
    let mut sizes = Vec::new();
    for (index, shard_dir) in shard_dirs.iter().enumerate() {
        let summary = rules_batch(&input, shard_dir, Shard { index, count: 3 }, 1);
        sizes.push(summary.documents);
    }
    assert_eq!(sizes.iter().sum::<usize>(), 80, "{sizes:?}");
    assert!(
        sizes.iter().all(|&size| size > 10),
        "a fair split: {sizes:?}"
    );

    let merged = dir.path().join("merged");
    let output = clinkit()
        .arg("merge")
        .args(&shard_dirs)
        .arg("--out")
        .arg(&merged)
        .arg("--json")
        .output()
        .unwrap();
    let summary = common::json_of_success(&output);
    assert_eq!(
        (summary["shards"].as_u64(), summary["documents"].as_u64()),
        (Some(3), Some(80))
    );
    for file in [
        "predictions.jsonl",
        "errors.jsonl",
        "results.csv",
        "review.html",
    ] {
        assert_eq!(
            std::fs::read(single.join(file)).unwrap(),
            std::fs::read(merged.join(file)).unwrap(),
            "{file} of the merge differs from a single run"
        );
    }

    // A missing shard and a shard given twice are refused, naming them.
    let output = clinkit()
        .arg("merge")
        .args(&shard_dirs[..2])
        .arg("--out")
        .arg(dir.path().join("m2"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("missing shards: 2/3"));
    let twice = [
        shard_dirs[0].clone(),
        shard_dirs[0].clone(),
        shard_dirs[1].clone(),
    ];
    let error = merge(&twice, &dir.path().join("m3"), &OutputFormats::default()).unwrap_err();
    assert!(
        error.to_string().contains("shard 0/3 is given twice"),
        "{error}"
    );
    // An unfinished shard is refused.
    let first_record = record_files(&shard_dirs[1])[0].clone();
    std::fs::remove_file(first_record).unwrap();
    let error = merge(
        &shard_dirs,
        &dir.path().join("m4"),
        &OutputFormats::default(),
    )
    .unwrap_err();
    assert!(error.to_string().contains("shard 1/3"), "{error}");
    assert!(error.to_string().contains("unfinished"), "{error}");
}

#[test]
fn an_output_folder_of_another_run_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let input = corpus("datasets-synthetic/referrals/test.jsonl");
    let out = dir.path().join("out");
    rules_batch(&input, &out, Shard { index: 0, count: 2 }, 1);
    let options = BatchOptions {
        shard: Shard { index: 1, count: 2 },
        ..BatchOptions::new(&out)
    };
    let error = run_batch(&input, &options, &|| Ok(Box::new(RulesExtractor)), &|_| {}).unwrap_err();
    assert!(
        error.to_string().contains("belongs to another run"),
        "{error}"
    );
}

#[test]
fn csv_input_and_the_csv_and_html_outputs_carry_the_values() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("letters.csv");
    std::fs::write(
        &input,
        "id,text\nP1,\"Mr. Jones, 67 years old. LVEF 35%. BP 142/88. Takes metoprolol 50 mg bid, furosemide 40 mg daily.\"\nP2,\"Mevrouw, 71-jarige vrouw. Geen DM2. NYHA III.\"\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let output = clinkit()
        .args(["extract", input.to_str().unwrap(), "--out"])
        .arg(&out)
        .output()
        .unwrap();
    common::assert_success(&output);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("2 ok, 0 errors") && stdout.contains("tokens 0 prompt"),
        "{stdout}"
    );

    let mut reader = csv::Reader::from_path(out.join("results.csv")).unwrap();
    let header = reader.headers().unwrap().clone();
    let rows: Vec<BTreeMap<String, String>> = reader
        .records()
        .map(|row| {
            header
                .iter()
                .zip(row.unwrap().iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect();
    assert_eq!(rows[0]["record_id"], "P1");
    assert_eq!(rows[0]["age"], "67");
    assert_eq!(rows[0]["lvef_percent"], "35");
    assert_eq!(rows[0]["bp_systolic"], "142");
    assert_eq!(rows[0]["med_1_name"], "metoprolol");
    assert_eq!(rows[0]["med_1_dose"], "50");
    assert_eq!(rows[0]["med_2_name"], "furosemide");
    assert_eq!(rows[1]["record_id"], "P2");
    assert_eq!(rows[1]["age"], "71");
    assert_eq!(rows[1]["nyha_class"], "III");
    assert_eq!(rows[1]["diagnosis_1_status"], "absent");
    assert_eq!(rows[1]["med_1_name"], "");

    let page = std::fs::read_to_string(out.join("review.html")).unwrap();
    assert!(
        page.contains("<mark data-status=\"grounded\" title=\"lvef_percent: 35\">35</mark>"),
        "{page}"
    );
    assert!(page.contains("<mark data-status=\"grounded\" title=\"nyha_class: III\">III</mark>"));
    assert!(page.contains("<select onchange=\"show(this.value)\">"));
}
