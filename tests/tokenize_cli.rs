//! `clinkit tokenize` as a user meets it: tokens and counts, JSON, and errors that name the file.
#![cfg(feature = "cli")]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use clinkit::tokenize::gguf_file::{GgufMetadata, Value};

fn clinkit(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_clinkit"))
        .args(args)
        .output()
        .unwrap()
}

fn stdout(output: &Output) -> String {
    assert!(
        output.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn json(output: &Output) -> serde_json::Value {
    serde_json::from_str(&stdout(output)).expect("--json prints exactly one JSON document")
}

fn user_error(output: &Output) -> String {
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    String::from_utf8(output.stderr.clone()).unwrap()
}

fn models() -> PathBuf {
    clinkit::models::models_dir()
}

fn gemma() -> String {
    let path = models().join("gemma-3-270m-q4_k_m/gemma-3-270m-q4_k_m.gguf");
    path.to_str().unwrap().to_string()
}

fn minilm() -> String {
    let path = models().join("all-minilm-l6-v2/tokenizer.json");
    path.to_str().unwrap().to_string()
}

fn write(dir: &Path, name: &str, content: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    path.to_str().unwrap().to_string()
}

#[test]
fn a_text_file_is_shown_as_gemma_tokens_with_a_count() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "letter.txt", "Geen diabetes.\n".as_bytes());
    let out = stdout(&clinkit(&[
        "tokenize",
        &file,
        "--gguf",
        &gemma(),
        "--window",
        "4",
    ]));
    assert!(
        out.contains("== letter.txt (6 tokens)\n[<bos>][Ge][en][ diabetes][.][\\n]\n"),
        "{out}"
    );
    assert!(out.contains("0 of 1 documents fit in 4 tokens"), "{out}");
}

#[test]
fn json_has_ids_and_character_spans() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "note.txt", "Patiënt: geen AF".as_bytes());
    let value = json(&clinkit(&[
        "tokenize",
        &file,
        "--tokenizer",
        &minilm(),
        "--json",
    ]));
    let document = &value["documents"][0];
    let pieces: Vec<&str> = document["pieces"]
        .as_array()
        .unwrap()
        .iter()
        .map(|piece| piece["piece"].as_str().unwrap())
        .collect();
    assert_eq!(
        pieces,
        ["[CLS]", "patient", ":", "gee", "##n", "af", "[SEP]"]
    );
    assert_eq!(document["pieces"][1]["span"], serde_json::json!([0, 7]));
    assert_eq!(document["tokens"], 7);
    assert_eq!(value["total_tokens"], 7);
}

#[test]
fn a_jsonl_file_is_counted_per_document() {
    let corpus =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("datasets-synthetic/referrals/dev.jsonl");
    let value = json(&clinkit(&[
        "tokenize",
        corpus.to_str().unwrap(),
        "--model",
        "all-minilm-l6-v2",
        "--counts-only",
        "--window",
        "512",
        "--json",
    ]));
    let documents = value["documents"].as_array().unwrap();
    assert_eq!(documents.len(), 80);
    let sum: u64 = documents
        .iter()
        .map(|d| d["tokens"].as_u64().unwrap())
        .sum();
    assert_eq!(value["total_tokens"].as_u64(), Some(sum));
    assert!(documents.iter().all(|d| d.get("pieces").is_none()));
    assert!(documents.iter().all(|d| d["fits"].is_boolean()));
}

#[test]
fn a_saved_clinkit_bpe_can_be_used() {
    use clinkit::tokenize::bpe::{Bpe, TrainOptions};
    let dir = tempfile::tempdir().unwrap();
    let bpe = Bpe::train(&"geen diabetes ".repeat(30), &TrainOptions::new(270)).unwrap();
    let model = dir.path().join("tiny.bpe");
    bpe.save(&model).unwrap();
    let file = write(dir.path(), "t.txt", b"geen diabetes");
    let value = json(&clinkit(&[
        "tokenize",
        &file,
        "--bpe",
        model.to_str().unwrap(),
        "--json",
    ]));
    assert_eq!(
        value["total_tokens"].as_u64(),
        Some(bpe.encode("geen diabetes").len() as u64)
    );
}

#[test]
fn a_missing_file_is_named() {
    let message = user_error(&clinkit(&[
        "tokenize",
        "no-such-letter.txt",
        "--gguf",
        &gemma(),
    ]));
    assert!(message.contains("no-such-letter.txt"), "{message}");
}

#[test]
fn a_file_that_is_not_gguf_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "t.txt", b"tekst");
    let fake = write(dir.path(), "model.gguf", b"{\"not\": \"gguf\"}");
    let message = user_error(&clinkit(&["tokenize", &file, "--gguf", &fake]));
    assert!(message.contains("model.gguf: not a GGUF file"), "{message}");
}

#[test]
fn an_unsupported_tokenizer_type_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "t.txt", b"tekst");
    let bytes = GgufMetadata::to_bytes(&[
        ("tokenizer.ggml.model", Value::String("rwkv".into())),
        (
            "tokenizer.ggml.tokens",
            Value::Array(vec![Value::String("a".into())]),
        ),
    ]);
    let model = write(dir.path(), "rwkv.gguf", &bytes);
    let message = user_error(&clinkit(&["tokenize", &file, "--gguf", &model]));
    assert!(
        message.contains(
            "rwkv.gguf: field `tokenizer.ggml.model`: tokenizer type `rwkv` is not supported"
        ),
        "{message}"
    );
}

#[test]
fn a_tokenizer_source_is_required() {
    let output = clinkit(&["tokenize", "x.txt"]);
    assert_eq!(output.status.code(), Some(2));
}
