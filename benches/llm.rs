//! clinkit's Gemma 3 against llama.cpp (llama-cpp-python) on the same 256-token prompt
//! (the text of the synthetic referral letters), both with 2 threads: model load seconds,
//! prefill tokens/s, greedy decode tokens/s, and the ratios clinkit / llama.cpp (above 1 =
//! clinkit faster).
//!
//! It also says how far the two agree: clinkit reads llama.cpp's greedy continuation and
//! picks its own next token at every position (teacher forcing); the share of positions
//! where both pick the same token is robust, while the length of the identical greedy
//! prefix can end at the first near tie (a logit margin inside the rounding noise of either
//! program, see tests/llm_gemma3.rs) and then says little.
//!
//! Run: `cargo bench --features models --bench llm`. Needs the packaged gemma-3-270m and
//! llama-cpp-python: `LLAMA_PYTHON`, else the project's `.venv/bin/python` when it exists,
//! else /tmp/llama/bin/python.

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

/// The referral letters' texts (not the raw JSONL lines, whose escapes and digits make an
/// unnatural prompt), one after another, cut to `PROMPT_TOKENS` tokens.
fn prompt_ids(model: &std::path::Path) -> Vec<u32> {
    let tokenizer = clinkit::tokenize::gguf::tokenizer_from_gguf(model).unwrap();
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/datasets-synthetic/referrals/test.jsonl"
    );
    let letters = clinkit::data::read_jsonl(path.as_ref()).unwrap();
    let texts: Vec<&str> = letters.iter().map(|d| d.text.as_str()).collect();
    let text = texts.join("\n\n");
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

/// Which Python runs llama-cpp-python (see the module documentation).
fn llama_python() -> String {
    if let Ok(python) = std::env::var("LLAMA_PYTHON") {
        return python;
    }
    let venv = concat!(env!("CARGO_MANIFEST_DIR"), "/.venv/bin/python");
    if std::path::Path::new(venv).exists() {
        venv.into()
    } else {
        "/tmp/llama/bin/python".into()
    }
}

/// clinkit's greedy picks along llama.cpp's greedy continuation `reference` (after the
/// prompt `ids`): at each position, the token clinkit would have chosen there.
fn picks_along(gemma: &Gemma3, ids: &[u32], reference: &[u32]) -> Vec<u32> {
    let mut cache = gemma.new_cache();
    let first = argmax(&gemma.forward(ids, &mut cache).unwrap());
    let rows = gemma
        .forward_all(&reference[..reference.len() - 1], &mut cache)
        .unwrap();
    std::iter::once(first)
        .chain(rows.iter().map(|row| argmax(row)))
        .collect()
}

fn load_average() -> String {
    let text = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    text.split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
}

fn llama_cpp_side(model: &std::path::Path, ids: &[u32]) -> Timings {
    let python = llama_python();
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
    let load_before = load_average();
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
    let gemma = Gemma3::load(&GgufModelFile::open(&model).unwrap()).unwrap();
    let picks = picks_along(&gemma, &ids, &reference.generated);
    let agree = picks
        .iter()
        .zip(&reference.generated)
        .filter(|(a, b)| a == b)
        .count();
    println!(
        "agreement: clinkit picks llama.cpp's greedy token at {agree}/{} positions of its \
         continuation; the free-running greedy texts are identical for {same} tokens (they \
         part at the first near tie, where either pick is right)",
        reference.generated.len()
    );
    println!(
        "load average before/after: {load_before} / {}",
        load_average()
    );
}
