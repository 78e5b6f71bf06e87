//! clinkit's Gemma 3 against llama.cpp (llama-cpp-python) on the same 256-token prompt,
//! both with 2 threads: model load seconds, prefill tokens/s, greedy decode tokens/s, and
//! the ratios clinkit / llama.cpp (above 1 = clinkit faster).
//!
//! Run: `cargo bench --features models --bench llm`. Needs the packaged gemma-3-270m and
//! llama-cpp-python (`LLAMA_PYTHON`, default /tmp/llama/bin/python).

use std::process::Command;
use std::time::Instant;

use clinkit::llm::gemma3::Gemma3;
use clinkit::llm::gguf::GgufModelFile;

const PROMPT_TOKENS: usize = 256;
const DECODE_TOKENS: usize = 64;
const THREADS: usize = 2;

struct Timings {
    load_s: f64,
    prefill_s: f64,
    decode_s: f64,
    generated: Vec<u32>,
}

fn prompt_ids(model: &std::path::Path) -> Vec<u32> {
    let tokenizer = clinkit::tokenize::gguf::tokenizer_from_gguf(model).unwrap();
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/datasets-synthetic/referrals/test.jsonl"
    );
    let text = std::fs::read_to_string(path).unwrap();
    let mut ids = tokenizer
        .encode(text.as_str(), true)
        .unwrap()
        .get_ids()
        .to_vec();
    ids.truncate(PROMPT_TOKENS);
    ids
}

fn argmax(logits: &[f32]) -> u32 {
    let best = logits.iter().enumerate().max_by(|a, b| a.1.total_cmp(b.1));
    best.map(|(id, _)| id as u32).unwrap_or(0)
}

fn clinkit_side(model: &std::path::Path, ids: &[u32]) -> Timings {
    let start = Instant::now();
    let gemma = Gemma3::load(&GgufModelFile::open(model).unwrap()).unwrap();
    let load_s = start.elapsed().as_secs_f64();
    let mut cache = gemma.new_cache();
    let start = Instant::now();
    let logits = gemma.forward(ids, &mut cache).unwrap();
    let prefill_s = start.elapsed().as_secs_f64();
    let mut generated = vec![argmax(&logits)];
    let start = Instant::now();
    for _ in 0..DECODE_TOKENS {
        let logits = gemma
            .forward(&generated[generated.len() - 1..], &mut cache)
            .unwrap();
        generated.push(argmax(&logits));
    }
    let decode_s = start.elapsed().as_secs_f64();
    Timings {
        load_s,
        prefill_s,
        decode_s,
        generated,
    }
}

fn llama_cpp_side(model: &std::path::Path, ids: &[u32]) -> Timings {
    let python = std::env::var("LLAMA_PYTHON").unwrap_or_else(|_| "/tmp/llama/bin/python".into());
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/llm_bench_llamacpp.py");
    let output = Command::new(python)
        .arg(script)
        .arg(model)
        .arg(serde_json::to_string(ids).unwrap())
        .arg(DECODE_TOKENS.to_string())
        .arg(THREADS.to_string())
        .output()
        .expect("llama-cpp-python runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let line = String::from_utf8_lossy(&output.stdout);
    let value: serde_json::Value = serde_json::from_str(line.trim()).unwrap();
    let seconds = |key: &str| value[key].as_f64().unwrap();
    let generated = value["generated"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap() as u32);
    Timings {
        load_s: seconds("load_s"),
        prefill_s: seconds("prefill_s"),
        decode_s: seconds("decode_s"),
        generated: generated.collect(),
    }
}

fn main() {
    clinkit::llm::set_threads(THREADS);
    let model = clinkit::models::models_dir().join("gemma-3-270m-q4_k_m/gemma-3-270m-q4_k_m.gguf");
    let ids = prompt_ids(&model);
    let reference = llama_cpp_side(&model, &ids);
    let ours = clinkit_side(&model, &ids);
    let prefill = |t: &Timings| ids.len() as f64 / t.prefill_s;
    let decode = |t: &Timings| DECODE_TOKENS as f64 / t.decode_s;
    println!(
        "gemma-3-270m Q4_K_M, {} prompt tokens, {DECODE_TOKENS} decoded, {THREADS} threads",
        ids.len()
    );
    println!(
        "{:<10} {:>8} {:>14} {:>13}",
        "", "load s", "prefill tok/s", "decode tok/s"
    );
    for (name, t) in [("llama.cpp", &reference), ("clinkit", &ours)] {
        println!(
            "{name:<10} {:>8.2} {:>14.1} {:>13.1}",
            t.load_s,
            prefill(t),
            decode(t)
        );
    }
    println!(
        "{:<10} {:>8.2} {:>14.2} {:>13.2}",
        "ratio",
        reference.load_s / ours.load_s,
        prefill(&ours) / prefill(&reference),
        decode(&ours) / decode(&reference)
    );
    let same = ours
        .generated
        .iter()
        .zip(&reference.generated)
        .take_while(|(a, b)| a == b)
        .count();
    println!(
        "greedy tokens identical before the first difference: {same}/{}",
        DECODE_TOKENS + 1
    );
}
