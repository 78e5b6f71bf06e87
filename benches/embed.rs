//! Sentence-embedding throughput: clinkit's own BERT encoder against sentence-transformers
//! (torch, CPU), on the same 2,000 short Dutch clinical sentences, batch 32, 2 threads.
//!
//! Run with `cargo bench --bench embed --features models`. The anchor needs a Python with
//! sentence-transformers; point `CLINKIT_ST_PYTHON` at it:
//!
//! ```text
//! python3 -m venv /tmp/st && /tmp/st/bin/pip install torch sentence-transformers
//! CLINKIT_ST_PYTHON=/tmp/st/bin/python cargo bench --bench embed --features models
//! ```
//!
//! Without it only clinkit's figure is printed. `CLINKIT_BENCH_THREADS` changes the thread
//! count (default 2). Nothing here is a test: figures depend on the machine and its load.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use clinkit::data::{read_jsonl, Lang};
use clinkit::embed::bert::{set_threads, SentenceEncoder};

const SENTENCES: usize = 2000;
const BATCH: usize = 32;

/// Short Dutch sentences (4 to 30 words) from the synthetic referral letters, without repeats.
fn corpus() -> Vec<String> {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("datasets-synthetic/referrals/train.jsonl");
    let letters = read_jsonl(&path).expect("datasets-synthetic/referrals/train.jsonl");
    let mut seen = std::collections::HashSet::new();
    let mut sentences = Vec::new();
    for letter in letters.iter().filter(|l| l.lang == Lang::Nl) {
        for span in clinkit::text::sentences(&letter.text) {
            let sentence = span.slice(&letter.text).unwrap_or("").trim().to_string();
            let words = sentence.split_whitespace().count();
            if (4..=30).contains(&words) && seen.insert(sentence.clone()) {
                sentences.push(sentence);
            }
        }
    }
    sentences.truncate(SENTENCES);
    sentences
}

const ANCHOR: &str = r#"
import sys, time, torch
from sentence_transformers import SentenceTransformer
torch.set_num_threads(int(sys.argv[3]))
sentences = open(sys.argv[2], encoding="utf-8").read().split("\n")
model = SentenceTransformer(sys.argv[1], device="cpu")
model.encode(sentences[:64], batch_size=32)
start = time.perf_counter()
model.encode(sentences, batch_size=32)
print(len(sentences) / (time.perf_counter() - start))
"#;

/// sentence-transformers' sentences per second, or why it could not run.
fn anchor(sentences: &[String], threads: usize) -> Result<f64, String> {
    let python = std::env::var("CLINKIT_ST_PYTHON").map_err(|_| {
        "CLINKIT_ST_PYTHON is not set; install the anchor with \
         `python3 -m venv /tmp/st && /tmp/st/bin/pip install torch sentence-transformers` \
         and set CLINKIT_ST_PYTHON=/tmp/st/bin/python"
            .to_string()
    })?;
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let file = dir.path().join("sentences.txt");
    std::fs::write(&file, sentences.join("\n")).map_err(|e| e.to_string())?;
    let model = clinkit::models::ready_dir("all-minilm-l6-v2").map_err(|e| e.to_string())?;
    let output = Command::new(&python)
        .args(["-c", ANCHOR])
        .arg(&model)
        .arg(&file)
        .arg(threads.to_string())
        .output()
        .map_err(|e| format!("{python}: {e}"))?;
    if !output.status.success() {
        return Err(String::from_utf8_lossy(&output.stderr).to_string());
    }
    String::from_utf8_lossy(&output.stdout)
        .trim()
        .parse()
        .map_err(|e| format!("unexpected output from {python}: {e}"))
}

fn main() {
    let threads: usize = std::env::var("CLINKIT_BENCH_THREADS")
        .ok()
        .and_then(|t| t.parse().ok())
        .unwrap_or(2);
    set_threads(threads);
    let sentences = corpus();
    println!(
        "all-MiniLM-L6-v2, {} short Dutch clinical sentences, batch {BATCH}, {threads} threads",
        sentences.len()
    );
    let encoder = SentenceEncoder::for_model("all-minilm-l6-v2")
        .expect("the packaged all-minilm-l6-v2 (run scripts/setup)")
        .with_batch_size(BATCH);
    encoder.embed(&sentences[..64]).expect("warm-up");
    let start = Instant::now();
    let vectors = encoder.embed(&sentences).expect("embed");
    let ours = sentences.len() as f64 / start.elapsed().as_secs_f64();
    assert_eq!(vectors.len(), sentences.len());
    println!("clinkit (candle, own BERT):        {ours:8.1} sentences/s");
    match anchor(&sentences, threads) {
        Ok(theirs) => {
            println!("sentence-transformers (torch CPU): {theirs:8.1} sentences/s");
            println!(
                "ratio clinkit / sentence-transformers: {:.2}x",
                ours / theirs
            );
        }
        Err(why) => println!("sentence-transformers not run: {why}"),
    }
}
