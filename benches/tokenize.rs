//! Tokenizer throughput on the synthetic referral corpus: clinkit's from-scratch BPE and
//! the tokenizer clinkit builds from the Gemma 3 GGUF, against the `tokenizers` crate
//! loading a `tokenizer.json` (the same Gemma vocabulary saved as JSON, and all-MiniLM's
//! WordPiece file).
//!
//! Run with `cargo bench --bench tokenize`. Every tokenizer encodes the same letters one
//! at a time on one thread; the best of a few rounds is reported. Nothing here is a test:
//! the figures are printed, with ratios, for the reader to judge on their machine.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use clinkit::data::{read_jsonl, Document};
use clinkit::tokenize::bpe::{Bpe, TrainOptions, GPT4_PATTERN};
use clinkit::tokenize::{gguf, HfTokenizer};

const ROUNDS: usize = 7;

/// The letters to encode and the letters to train our BPE on.
fn corpus() -> (Vec<Document>, Vec<Document>, String) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("datasets-synthetic/referrals");
    let read = |name: &str| {
        read_jsonl(&dir.join(name))
            .ok()
            .filter(|docs| !docs.is_empty())
    };
    match (
        read("train.jsonl"),
        read("test.jsonl").or_else(|| read("dev.jsonl")),
    ) {
        (Some(train), Some(test)) => (train, test, "synthetic referrals".to_string()),
        _ => {
            // No synthetic corpus yet: fall back to this crate's own sources as text.
            let text = include_str!("../src/tokenize/bpe/mod.rs");
            let doc = |id: &str| Document::new(id, clinkit::data::Lang::En, "text", text);
            (
                vec![doc("train")],
                vec![doc("test")],
                "src/tokenize/bpe/mod.rs (fallback)".to_string(),
            )
        }
    }
}

/// A tokenizer under test: its name and a function that encodes one letter.
type Candidate<'a> = (&'a str, Box<dyn Fn(&str) -> usize + 'a>);

struct Measurement {
    name: String,
    seconds: f64,
    tokens: usize,
}

/// Encodes every letter with every candidate, `ROUNDS` times in turn (so that a busy
/// moment on a shared machine hits all candidates alike), and keeps each one's fastest round.
fn measure(letters: &[Document], candidates: &[Candidate]) -> Vec<Measurement> {
    let mut best = vec![Duration::MAX; candidates.len()];
    let mut tokens = vec![0; candidates.len()];
    for _ in 0..ROUNDS {
        for (i, (_, encode)) in candidates.iter().enumerate() {
            let start = Instant::now();
            tokens[i] = letters.iter().map(|letter| encode(&letter.text)).sum();
            best[i] = best[i].min(start.elapsed());
        }
    }
    candidates
        .iter()
        .zip(best.iter().zip(tokens))
        .map(|((name, _), (time, tokens))| Measurement {
            name: name.to_string(),
            seconds: time.as_secs_f64(),
            tokens,
        })
        .collect()
}

fn timed<T>(what: &str, work: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let value = work();
    println!("{what:<58} {:>8.2} s", start.elapsed().as_secs_f64());
    value
}

fn model_file(name: &str, file: &str) -> PathBuf {
    clinkit::models::ready_dir(name)
        .unwrap_or_else(|e| panic!("{e}"))
        .join(file)
}

fn main() {
    let (train, test, source) = corpus();
    let bytes: usize = test.iter().map(|letter| letter.text.len()).sum();
    let train_text: String = train
        .iter()
        .map(|l| l.text.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    println!(
        "corpus: {source}; encoding {} letters, {:.2} MB; BPE trained on {} letters, {:.2} MB",
        test.len(),
        bytes as f64 / 1e6,
        train.len(),
        train_text.len() as f64 / 1e6
    );
    println!("one thread, one letter at a time, best of {ROUNDS} rounds\n");

    let bpe = timed("train clinkit BPE (vocab 1024, GPT-4 pre-split)", || {
        Bpe::train(
            &train_text,
            &TrainOptions::new(1024).with_pattern(GPT4_PATTERN),
        )
        .unwrap()
    });
    let gemma_gguf = model_file("gemma-3-270m-q4_k_m", "gemma-3-270m-q4_k_m.gguf");
    let from_gguf = timed(
        "build Gemma 3 tokenizer from GGUF metadata (clinkit)",
        || gguf::tokenizer_from_gguf(&gemma_gguf).unwrap(),
    );
    let dir = tempfile::tempdir().unwrap();
    let gemma_json = dir.path().join("gemma3-tokenizer.json");
    from_gguf.save(&gemma_json, false).unwrap();
    let from_json = timed(
        "load the same vocabulary from tokenizer.json (tokenizers)",
        || tokenizers::Tokenizer::from_file(&gemma_json).unwrap(),
    );
    let minilm = timed(
        "load all-MiniLM tokenizer.json (tokenizers, WordPiece)",
        || HfTokenizer::from_file(&model_file("all-minilm-l6-v2", "tokenizer.json")).unwrap(),
    );
    println!();

    let same = test.iter().all(|letter| {
        from_gguf
            .encode(letter.text.as_str(), true)
            .unwrap()
            .get_ids()
            == from_json
                .encode(letter.text.as_str(), true)
                .unwrap()
                .get_ids()
    });
    assert!(same, "the JSON round trip changed the Gemma token ids");

    let gemma_wrapper = HfTokenizer::new(from_gguf.clone(), "gemma");
    let candidates: Vec<Candidate> = vec![
        (
            "clinkit BPE, 1024 tokens (from scratch)",
            Box::new(|text| bpe.encode(text).len()),
        ),
        (
            "Gemma 3 from GGUF (clinkit-built tokenizers::Tokenizer)",
            Box::new(|text| from_gguf.encode(text, true).unwrap().len()),
        ),
        (
            "Gemma 3 from GGUF, with char spans (clinkit Tokens)",
            Box::new(|text| gemma_wrapper.tokenize(text).unwrap().len()),
        ),
        (
            "Gemma 3 tokenizer.json (tokenizers)",
            Box::new(|text| from_json.encode(text, true).unwrap().len()),
        ),
        (
            "all-MiniLM tokenizer.json (tokenizers, WordPiece)",
            Box::new(|text| minilm.inner().encode(text, true).unwrap().len()),
        ),
    ];
    let results = measure(&test, &candidates);
    let reference = &results[3];
    println!(
        "{:<58} {:>8} {:>12} {:>9} {:>14}",
        "tokenizer", "MB/s", "tokens/s", "tokens", "vs Gemma JSON"
    );
    for result in &results {
        let mb_per_s = bytes as f64 / 1e6 / result.seconds;
        let tokens_per_s = result.tokens as f64 / result.seconds;
        println!(
            "{:<58} {mb_per_s:>8.2} {tokens_per_s:>12.0} {:>9} {:>13.2}x",
            result.name,
            result.tokens,
            reference.seconds / result.seconds
        );
    }
    println!(
        "\n(ratio > 1: faster than the tokenizers crate on Gemma's tokenizer.json; characters per token: clinkit BPE {:.2}, Gemma {:.2}, MiniLM {:.2})",
        chars_per_token(&test, results[0].tokens),
        chars_per_token(&test, results[1].tokens),
        chars_per_token(&test, results[4].tokens)
    );
}

fn chars_per_token(letters: &[Document], tokens: usize) -> f64 {
    let chars: usize = letters.iter().map(Document::char_len).sum();
    chars as f64 / tokens.max(1) as f64
}
