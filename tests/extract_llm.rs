//! The language-model extraction pipeline against a real llama.cpp server
//! (llama-cpp-python's `llama_cpp.server`, installed into .venv by scripts/setup) running the
//! packaged gemma-3-270m on 127.0.0.1. A 270M base model extracts poorly, so these tests check
//! structure, not accuracy: the server's JSON follows the schema, every value has a grounding
//! status whose span slices back to its quote, values without evidence stay out of the
//! fields, token counts are recorded, bad output becomes an error record, and the CLI works.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::server::LlamaServer;

use clinkit::data::{read_jsonl, Document};
use clinkit::extract::batch::{run_batch, BatchOptions, DocumentRecord, Extractor, RECORDS_DIR};
use clinkit::extract::grounding::Alignment;
use clinkit::extract::llm::{LlmExtractor, LlmOptions};
use clinkit::extract::schema::ExtractionSchema;

/// The first `n` letters of the synthetic test split, without their gold labels.
fn letters(n: usize) -> Vec<Document> {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("datasets-synthetic/referrals/test.jsonl");
    read_jsonl(&path)
        .unwrap()
        .into_iter()
        .take(n)
        .map(|gold| {
            let mut letter = Document::new(gold.id, gold.lang, gold.kind, gold.text);
            letter.parts = gold.parts;
            letter
        })
        .collect()
}

/// An intern's own schema file: three required fields, short quotes (keeps answers short).
fn small_schema_file(dir: &Path) -> PathBuf {
    let field = |value_type: serde_json::Value, description: &str| {
        serde_json::json!({
            "description": description,
            "type": "object",
            "properties": {"value": value_type, "quote": {"type": "string", "maxLength": 40}},
            "required": ["value", "quote"],
            "additionalProperties": false
        })
    };
    let schema = serde_json::json!({
        "type": "object",
        "properties": {
            "age": field(serde_json::json!({"type": "integer"}), "The patient's age in years (jaar, years)."),
            "sex": field(serde_json::json!({"enum": ["male", "female", "other"]}), "The patient's sex (man, vrouw)."),
            "lvef_percent": field(serde_json::json!({"type": "integer"}), "Ejection fraction in percent (LVEF, echo).")
        },
        "required": ["age", "sex", "lvef_percent"],
        "additionalProperties": false
    });
    let path = dir.join("small.schema.json");
    std::fs::write(&path, serde_json::to_string_pretty(&schema).unwrap()).unwrap();
    path
}

fn write_input(dir: &Path, documents: &[Document]) -> PathBuf {
    let path = dir.join("letters.jsonl");
    clinkit::data::write_jsonl(&path, documents).unwrap();
    path
}

fn records(out: &Path) -> Vec<DocumentRecord> {
    let mut records: Vec<DocumentRecord> =
        clinkit::extract::batch::read_records(&out.join(RECORDS_DIR))
            .unwrap()
            .into_values()
            .collect();
    records.sort_by_key(|r| r.index);
    records
}

/// Every value has a status; exact ones slice back to the quote, fuzzy ones to similar
/// text; not-found ones have no span and are not among the document's fields.
fn check_grounding(record: &DocumentRecord, schema: &ExtractionSchema) {
    let document = record.document.as_ref().expect("an ok record");
    assert!(
        !record.grounding.is_empty(),
        "the model gave values: {record:?}"
    );
    for finding in &record.grounding {
        assert!(schema.field(&finding.field).is_some(), "{finding:?}");
        match finding.status {
            Alignment::Exact => {
                assert_eq!(
                    document.slice(finding.span.unwrap()),
                    Some(finding.quote.trim())
                );
                assert_eq!(finding.similarity, 1.0);
            }
            Alignment::Fuzzy => {
                let found = document.slice(finding.span.unwrap()).unwrap();
                assert!(
                    !found.is_empty() && finding.similarity >= 0.8,
                    "{finding:?}"
                );
            }
            Alignment::NotFound => {
                assert_eq!(finding.span, None, "{finding:?}");
                let kept = document.fields.get(&finding.field).is_some_and(|value| {
                    value
                        .items()
                        .iter()
                        .any(|item| item.value == finding.value && item.spans.is_empty())
                });
                assert!(!kept, "a value without evidence was kept: {finding:?}");
            }
        }
    }
    for (name, value) in &document.fields {
        for item in value.items() {
            assert_eq!(
                item.spans.len(),
                1,
                "{name}: every kept value has its evidence"
            );
        }
    }
}

#[test]
fn pipeline_against_llama_cpp_grounds_values_counts_tokens_and_records_bad_output() {
    let server = LlamaServer::start(2048, false);
    let dir = tempfile::tempdir().unwrap();
    let input = write_input(dir.path(), &letters(2));
    let schema = ExtractionSchema::from_file(&small_schema_file(dir.path())).unwrap();
    let options = LlmOptions {
        context_window: 2048,
        answer_tokens: 200,
        ..LlmOptions::default()
    };

    // 1. An intern's schema: every record ok, grounded, with the server's token counts.
    let out = dir.path().join("small");
    let make = || -> clinkit::Result<Box<dyn Extractor>> {
        Ok(Box::new(
            LlmExtractor::new(Box::new(server.client()), schema.clone()).with_options(options),
        ))
    };
    let summary = run_batch(&input, &BatchOptions::new(&out), &make, &|_| {}).unwrap();
    assert_eq!((summary.ok, summary.errors), (2, 0), "{:?}", records(&out));
    for record in records(&out) {
        check_grounding(&record, &schema);
        let fields: Vec<&str> = record.grounding.iter().map(|g| g.field.as_str()).collect();
        assert_eq!(
            fields,
            ["age", "sex", "lvef_percent"],
            "required fields, in schema order"
        );
        // A letter of ~1,000 characters plus template, example and schema: hundreds of tokens.
        assert!(
            record.prompt_tokens > 300 && record.prompt_tokens < 2048,
            "{}",
            record.prompt_tokens
        );
        assert!(
            record.completion_tokens > 10 && record.completion_tokens <= 200,
            "{}",
            record.completion_tokens
        );
        assert!(
            record.backend.starts_with("llm http://127.0.0.1:"),
            "{}",
            record.backend
        );
    }
    assert_eq!(
        summary.prompt_tokens,
        records(&out).iter().map(|r| r.prompt_tokens).sum::<usize>()
    );

    // 2. (The full referral schema is not run here: up to 300 constrained tokens take minutes
    //    on a loaded 2-core machine. One letter is written for the command-line step.)
    let one_dir = dir.path().join("one");
    std::fs::create_dir(&one_dir).unwrap();
    write_input(&one_dir, &letters(1));

    // 3. Bad output: an answer cut off after 8 tokens is not JSON. Each document becomes an
    //    error record naming the window, and the batch goes on to the next document.
    let out = dir.path().join("cut");
    let make = || -> clinkit::Result<Box<dyn Extractor>> {
        let extractor = LlmExtractor::new(Box::new(server.client()), schema.clone());
        Ok(Box::new(extractor.with_options(LlmOptions {
            answer_tokens: 8,
            ..options
        })))
    };
    let summary = run_batch(&input, &BatchOptions::new(&out), &make, &|_| {}).unwrap();
    assert_eq!((summary.ok, summary.errors), (0, 2));
    for record in records(&out) {
        let error = record.error.unwrap();
        assert!(
            error.starts_with("window 1: ") && error.contains("not JSON"),
            "{error}"
        );
    }
    let errors = std::fs::read_to_string(out.join("errors.jsonl")).unwrap();
    assert_eq!(errors.lines().count(), 2);

    // 4. The same through the command line (one server for all steps: the machine has 2 cores).
    cli_extract_with_the_openai_backend(&server, dir.path());
}

fn clinkit() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_clinkit"));
    command.env("CLINKIT_MODELS", clinkit::models::models_dir());
    command
}

/// `clinkit extract --backend openai --schema FILE --json` on one letter.
fn cli_extract_with_the_openai_backend(server: &LlamaServer, dir: &Path) {
    let input = dir.join("one/letters.jsonl");
    let schema = small_schema_file(dir);
    let out = dir.join("cli");
    let output = clinkit()
        .arg("extract")
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .args(["--backend", "openai", "--base-url", &server.url, "--schema"])
        .arg(&schema)
        .args([
            "--context-window",
            "2048",
            "--answer-tokens",
            "200",
            "--json",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let summary: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("one JSON document");
    assert_eq!(summary["ok"], 1, "{summary}");
    assert!(
        summary["prompt_tokens"].as_u64().unwrap() > 300,
        "{summary}"
    );
    assert!(
        summary["completion_tokens"].as_u64().unwrap() > 10,
        "{summary}"
    );
    let record = &records(&out)[0];
    assert_eq!(record.grounding.len(), 3);
}

/// `clinkit extract --backend local`: the same pipeline on the model in this process, its
/// answers constrained to the schema (no server; nothing leaves the machine).
#[test]
fn cli_extract_with_the_local_backend_follows_the_schema() {
    let dir = tempfile::tempdir().unwrap();
    let input = write_input(dir.path(), &letters(1));
    let schema_path = small_schema_file(dir.path());
    let out = dir.path().join("local");
    let output = clinkit()
        .arg("extract")
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .args(["--backend", "local", "--schema"])
        .arg(&schema_path)
        .args([
            "--context-window",
            "2048",
            "--answer-tokens",
            "120",
            "--json",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let summary: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("one JSON document");
    assert_eq!(summary["ok"], 1, "{summary}");
    assert!(
        summary["backend"].as_str().unwrap().contains("candle:"),
        "{summary}"
    );
    // Counted with the model's own tokenizer: the letter alone is hundreds of tokens.
    assert!(
        summary["prompt_tokens"].as_u64().unwrap() > 300,
        "{summary}"
    );
    let record = &records(&out)[0];
    let schema = ExtractionSchema::from_file(&schema_path).unwrap();
    check_grounding(record, &schema);
    assert_eq!(
        record.grounding.len(),
        3,
        "one status per field: {record:?}"
    );
}

#[test]
fn cli_refuses_other_hosts_bad_schemas_and_a_missing_url() {
    let dir = tempfile::tempdir().unwrap();
    let input = write_input(dir.path(), &letters(1));
    let run = |args: &[&str]| {
        let output = clinkit()
            .arg("extract")
            .arg(&input)
            .arg("--out")
            .arg(dir.path().join("out"))
            .args(args)
            .output()
            .unwrap();
        (
            output.status.code(),
            String::from_utf8_lossy(&output.stderr).to_string(),
        )
    };
    let (code, stderr) = run(&[
        "--backend",
        "openai",
        "--base-url",
        "https://api.example.com/v1",
    ]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("--allow-host api.example.com"), "{stderr}");

    let (code, stderr) = run(&["--backend", "openai"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("--base-url"), "{stderr}");

    let bad = dir.path().join("bad.schema.json");
    std::fs::write(
        &bad,
        "{\"type\": \"object\",\n \"properties\": {\"age\": {\"type\": \"integer\"}}}",
    )
    .unwrap();
    let with_schema = |schema: &Path| {
        run(&[
            "--backend",
            "openai",
            "--base-url",
            "http://127.0.0.1:9/v1",
            "--schema",
            schema.to_str().unwrap(),
        ])
    };
    let (code, stderr) = with_schema(&bad);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("bad.schema.json: field `properties.age`"),
        "{stderr}"
    );
    std::fs::write(&bad, "{\"type\": \"object\",\n \"properties\": }").unwrap();
    let (code, stderr) = with_schema(&bad);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("bad.schema.json:2: not valid JSON"),
        "{stderr}"
    );
}
