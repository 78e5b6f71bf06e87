//! clinkit's own Gemma 3 forward pass against llama.cpp on the packaged gemma-3-270m GGUF.
//!
//! The reference (tests/fixtures/llm/gemma3_reference.json) was made once with
//! llama-cpp-python by scripts/make_llm_fixture.py: per prompt the prompt's token ids, the
//! next-token argmax, the top-10 tokens with logits, and a greedy 32-token continuation.
#![cfg(feature = "models")]

use std::path::PathBuf;

use clinkit::llm::gemma3::{Gemma3, KvCache};
use clinkit::llm::gguf::GgufModelFile;
use serde::Deserialize;

#[derive(Deserialize)]
struct Reference {
    cases: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    prompt: String,
    prompt_ids: Vec<u32>,
    argmax: u32,
    top_ids: Vec<u32>,
    top_logits: Vec<f32>,
    greedy: Vec<u32>,
}

fn reference() -> Reference {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/llm/gemma3_reference.json"
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn gemma_gguf() -> PathBuf {
    clinkit::models::models_dir().join("gemma-3-270m-q4_k_m/gemma-3-270m-q4_k_m.gguf")
}

fn load() -> Gemma3 {
    Gemma3::load(&GgufModelFile::open(&gemma_gguf()).unwrap()).unwrap()
}

fn argmax(logits: &[f32]) -> u32 {
    let best = logits
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.total_cmp(b.1))
        .unwrap();
    best.0 as u32
}

fn top_ids(logits: &[f32], k: usize) -> Vec<u32> {
    let mut ids: Vec<u32> = (0..logits.len() as u32).collect();
    ids.sort_by(|&a, &b| logits[b as usize].total_cmp(&logits[a as usize]));
    ids.truncate(k);
    ids
}

/// Greedy decoding, one token at a time (the decode path of the KV cache).
fn greedy(model: &Gemma3, cache: &mut KvCache, first: u32, steps: usize) -> Vec<u32> {
    let mut tokens = vec![first];
    while tokens.len() < steps {
        let logits = model.forward(&[*tokens.last().unwrap()], cache).unwrap();
        tokens.push(argmax(&logits));
    }
    tokens
}

#[test]
fn prompt_ids_equal_llama_cpp() {
    let tokenizer = clinkit::tokenize::gguf::tokenizer_from_gguf(&gemma_gguf()).unwrap();
    for case in reference().cases {
        let ids = tokenizer.encode(case.prompt.as_str(), true).unwrap();
        assert_eq!(
            ids.get_ids(),
            case.prompt_ids.as_slice(),
            "{:?}",
            case.prompt
        );
    }
}

#[test]
fn gemma3_matches_llama_cpp_on_next_tokens_and_greedy_continuations() {
    let reference = reference();
    assert!(reference.cases.len() >= 30);
    assert!(
        reference.cases.iter().any(|c| c.prompt_ids.len() > 600),
        "some prompts must be longer than the 512-token window"
    );
    let model = load();
    let (mut argmax_agree, mut overlap_total, mut greedy_agree, mut greedy_total) = (0, 0, 0, 0);
    let mut max_logit_error = 0f32;
    for case in &reference.cases {
        let mut cache = model.new_cache();
        // Chunked prefill: the prompt in pieces of 200 tokens exercises forward at position > 0.
        let mut logits = Vec::new();
        for chunk in case.prompt_ids.chunks(200) {
            logits = model.forward(chunk, &mut cache).unwrap();
        }
        argmax_agree += usize::from(argmax(&logits) == case.argmax);
        let ours = top_ids(&logits, 10);
        overlap_total += case.top_ids.iter().filter(|id| ours.contains(id)).count();
        for (id, expected) in case.top_ids.iter().zip(&case.top_logits) {
            max_logit_error = max_logit_error.max((logits[*id as usize] - expected).abs());
        }
        let continuation = greedy(&model, &mut cache, argmax(&logits), case.greedy.len());
        // Count agreement up to the first difference: after it the texts differ anyway.
        let agreeing = continuation
            .iter()
            .zip(&case.greedy)
            .take_while(|(a, b)| a == b)
            .count();
        greedy_agree += agreeing;
        greedy_total += case.greedy.len();
    }
    let cases = reference.cases.len();
    let mean_overlap = overlap_total as f64 / cases as f64;
    let greedy_share = greedy_agree as f64 / greedy_total as f64;
    eprintln!(
        "argmax {argmax_agree}/{cases}, top-10 overlap {mean_overlap:.2}, greedy {greedy_share:.3}, max top-10 logit error {max_logit_error:.3}"
    );
    assert!(
        argmax_agree + 1 >= cases,
        "argmax agrees on {argmax_agree}/{cases}"
    );
    assert!(mean_overlap >= 8.0, "top-10 overlap {mean_overlap}");
    assert!(
        greedy_share >= 0.9,
        "greedy continuations agree on {greedy_share}"
    );
    assert!(
        max_logit_error < 1.0,
        "top-10 logits differ by up to {max_logit_error}"
    );
}

#[test]
fn a_shared_prefix_gives_the_same_logits_as_a_fresh_run() {
    let model = load();
    let ids = &reference().cases[3].prompt_ids;
    let (prefix, rest) = ids.split_at(ids.len() / 2);
    let mut fresh = model.new_cache();
    model.forward(prefix, &mut fresh).unwrap();
    let expected = model.forward(rest, &mut fresh).unwrap();

    let mut shared = model.new_cache();
    model.forward(prefix, &mut shared).unwrap();
    model.forward(&[7, 8, 9], &mut shared).unwrap(); // a different continuation...
    shared.truncate(prefix.len()).unwrap(); // ...forgotten again
    assert_eq!(shared.len(), prefix.len());
    let reused = model.forward(rest, &mut shared).unwrap();
    let difference = expected
        .iter()
        .zip(&reused)
        .map(|(a, b)| (a - b).abs())
        .fold(0f32, f32::max);
    assert!(difference < 1e-4, "logits differ by {difference}");
}

#[test]
fn all_positions_logits_end_with_the_last_position() {
    let model = load();
    let ids = &reference().cases[0].prompt_ids;
    let rows = model.forward_all(ids, &mut model.new_cache()).unwrap();
    assert_eq!(rows.len(), ids.len());
    let last = model.forward(ids, &mut model.new_cache()).unwrap();
    assert_eq!(argmax(rows.last().unwrap()), argmax(&last));
}

#[test]
fn token_ids_outside_the_vocabulary_are_an_error() {
    let model = load();
    let error = model
        .forward(&[2, 999_999], &mut model.new_cache())
        .unwrap_err();
    assert!(error.to_string().contains("999999"), "{error}");
}

#[test]
fn unsupported_architectures_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mamba.gguf");
    let bytes = clinkit::tokenize::gguf_file::GgufMetadata::to_bytes(&[(
        "general.architecture",
        clinkit::tokenize::gguf_file::Value::String("mamba".into()),
    )]);
    std::fs::write(&path, bytes).unwrap();
    let file = GgufModelFile::open(&path).unwrap();
    let error = file.architecture().unwrap_err().to_string();
    assert!(
        error.contains("mamba") && error.contains("general.architecture"),
        "{error}"
    );
}

#[test]
#[ignore]
fn diagnose() {
    let model = load();
    for case in reference().cases.iter().take(4) {
        let ids = &case.prompt_ids;
        let fresh = model.forward(ids, &mut model.new_cache()).unwrap();
        let mut cache = model.new_cache();
        let mut chunked = Vec::new();
        for chunk in ids.chunks(50) {
            chunked = model.forward(chunk, &mut cache).unwrap();
        }
        let mut cache = model.new_cache();
        model.forward(&ids[..ids.len() - 1], &mut cache).unwrap();
        let decoded = model.forward(&ids[ids.len() - 1..], &mut cache).unwrap();
        let show = |l: &[f32]| case.top_ids.iter().take(4).map(|&i| l[i as usize]).collect::<Vec<_>>();
        eprintln!(
            "n={} ref {:?} argmax {}\n fresh {:?} argmax {}\n chunk {:?} argmax {}\n decode {:?} argmax {}",
            ids.len(),
            &case.top_logits[..4],
            case.argmax,
            show(&fresh),
            argmax(&fresh),
            show(&chunked),
            argmax(&chunked),
            show(&decoded),
            argmax(&decoded)
        );
    }
}
