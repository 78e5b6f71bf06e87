//! `clinkit embed` and `clinkit search` on a small folder of letters, with the packaged
//! all-MiniLM-L6-v2.
#![cfg(feature = "cli")]

use std::path::Path;
use std::process::{Command, Output};

use clinkit::embed::index::IndexRecord;

const HEART: &str = "Echocardiografie: verminderde linkerventrikelfunctie, LVEF 35%. \
Geen klepafwijkingen. Patiënt rookt niet.";
const LUNG: &str = "Longfunctie: FEV1 62% van voorspeld. Bekend met COPD GOLD 2. \
Gebruikt tiotropium inhalator.";
const ALLERGY: &str = "Allergies: penicillin (rash). Family history: father had a myocardial \
infarction at 55.";

fn clinkit(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_clinkit"))
        .args(args)
        .output()
        .expect("clinkit runs")
}

fn letters(folder: &Path) {
    std::fs::write(folder.join("heart.txt"), HEART).unwrap();
    std::fs::write(folder.join("lung.txt"), LUNG).unwrap();
    std::fs::write(folder.join("allergy.txt"), ALLERGY).unwrap();
    // Not a PDF at all: this one fails, the others go on.
    std::fs::write(folder.join("broken.pdf"), "this is not a pdf").unwrap();
}

fn read_index(path: &Path) -> Vec<IndexRecord> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

#[test]
fn embed_writes_chunks_with_spans_vectors_and_a_picture_and_search_finds_them() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("letters");
    std::fs::create_dir(&folder).unwrap();
    letters(&folder);
    let index = dir.path().join("index.jsonl");
    let plot = dir.path().join("chunks.svg");
    let out = clinkit(&[
        "embed",
        folder.to_str().unwrap(),
        "--out",
        index.to_str().unwrap(),
        "--max-chars",
        "80",
        "--plot",
        plot.to_str().unwrap(),
        "--json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["documents"], 3);
    assert_eq!(summary["dimension"], 384);
    let errors = summary["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1);
    assert!(errors[0]["source"]
        .as_str()
        .unwrap()
        .ends_with("broken.pdf"));

    let records = read_index(&index);
    assert_eq!(summary["chunks"], records.len());
    for record in &records {
        let text = match record.document.as_str() {
            "heart" => HEART,
            "lung" => LUNG,
            "allergy" => ALLERGY,
            other => panic!("unexpected document {other}"),
        };
        let chunk: String = text
            .chars()
            .skip(record.start)
            .take(record.end - record.start)
            .collect();
        assert_eq!(chunk, record.text);
        let length: f32 = record.vector.iter().map(|x| x * x).sum::<f32>().sqrt();
        assert!((length - 1.0).abs() < 1e-4, "unit vectors, got {length}");
    }
    // Whole sentences up to 80 characters: the heart letter is cut in two.
    assert_eq!(records.iter().filter(|r| r.document == "heart").count(), 2);
    let svg = std::fs::read_to_string(&plot).unwrap();
    assert!(svg.starts_with("<svg") && svg.contains("heart") && svg.contains("% of spread"));

    let out = clinkit(&[
        "search",
        "ejection fraction of the heart",
        "--index",
        index.to_str().unwrap(),
        "-k",
        "2",
        "--json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let hits: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(hits.as_array().unwrap().len(), 2);
    assert_eq!(hits[0]["document"], "heart");
    assert!(hits[0]["text"].as_str().unwrap().contains("LVEF 35%"));
    assert!(hits[0]["score"].as_f64() > hits[1]["score"].as_f64());

    // Searching the documents directly gives the same best passage.
    let out = clinkit(&[
        "search",
        "penicillin allergy",
        "--in",
        folder.to_str().unwrap(),
        "-k",
        "1",
    ]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with("1. ") && text.contains("allergy [0..") && text.contains("penicillin"),
        "{text}"
    );
}

#[test]
fn an_index_from_another_model_names_the_line_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index.jsonl");
    let good = serde_json::json!({"document": "a", "start": 0, "end": 3, "text": "abc", "vector": vec![0.0f32; 384]});
    let short = serde_json::json!({"document": "b", "start": 0, "end": 3, "text": "abc", "vector": [0.1, 0.2]});
    std::fs::write(&index, format!("{good}\n{short}\n")).unwrap();
    let out = clinkit(&["search", "anything", "--index", index.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let message = String::from_utf8_lossy(&out.stderr);
    assert!(
        message.contains("index.jsonl:2") && message.contains("vector") && message.contains("384"),
        "{message}"
    );

    std::fs::write(&index, "{\"document\": \"a\"}\n").unwrap();
    let out = clinkit(&["search", "anything", "--index", index.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("index.jsonl:1"));
}

#[test]
fn search_needs_an_index_or_documents() {
    let out = clinkit(&["search", "anything"]);
    assert_eq!(out.status.code(), Some(2));
}
