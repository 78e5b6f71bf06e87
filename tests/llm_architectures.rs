//! clinkit's Llama, Qwen 2 and Qwen 3 forward passes against llama.cpp.
//!
//! No model of these families is packaged, so scripts/fixtures/make_architecture_fixtures.py
//! built tiny random-weight GGUF files (tests/fixtures/llm/tiny-{llama,qwen2,qwen3}.gguf,
//! a few hundred KiB each, with a real byte-level BPE vocabulary) and recorded llama.cpp's
//! (llama-cpp-python 0.3.36) prompt ids, full next-token logits and greedy continuations
//! in tests/fixtures/llm/architectures_reference.json. Random weights are enough: a network
//! computes the same numbers on any weights, so agreement here means every step agrees.
#![cfg(feature = "models")]

mod common;

use std::collections::BTreeMap;
use std::path::PathBuf;

use clinkit::llm::gguf::{Architecture, GgufModelFile};
use clinkit::llm::local::LocalModel;
use clinkit::llm::network::Network;
use clinkit::llm::transformer::Trace;
use clinkit::llm::{Backend, GenerateOptions};
use serde::Deserialize;

#[derive(Deserialize)]
struct Reference {
    models: BTreeMap<String, Model>,
}

#[derive(Deserialize)]
struct Model {
    file: String,
    architecture: String,
    cases: Vec<Case>,
}

/// One prompt: llama.cpp's token ids, its logits after the prompt, its greedy
/// continuation, and at each step of that continuation the gap between its best and
/// second-best token.
#[derive(Deserialize)]
struct Case {
    prompt: String,
    prompt_ids: Vec<u32>,
    logits: Vec<f32>,
    greedy: Vec<u32>,
    greedy_margins: Vec<f32>,
}

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/llm")
        .join(name)
}

fn reference() -> Reference {
    let text = std::fs::read_to_string(fixture("architectures_reference.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn argmax(logits: &[f32]) -> u32 {
    let best = logits
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.total_cmp(b.1))
        .unwrap();
    best.0 as u32
}

fn largest_difference(a: &[f32], b: &[f32]) -> f32 {
    assert_eq!(a.len(), b.len());
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs())
        .fold(0f32, f32::max)
}

/// How far clinkit's logits may land from llama.cpp's (logits here spread over ±15 with a
/// standard deviation of 4). Both round activations the same way (to 8-bit blocks before
/// Q8_0 products, to 16-bit floats before F16 products) but sum in different orders, so
/// now and then one activation lands on the other side of a rounding step; that moves
/// logits by up to ~0.1 (measured; most prompts agree within 0.001). A wrong norm, bias,
/// RoPE pairing or activation function moves them by whole units.
const LOGIT_TOLERANCE: f32 = 0.15;

fn load(model: &Model) -> LocalModel {
    LocalModel::load(&fixture(&model.file)).unwrap()
}

fn network_of(model: &Model) -> Network {
    Network::load(&GgufModelFile::open(&fixture(&model.file)).unwrap()).unwrap()
}

#[test]
fn the_fixture_has_all_three_architectures() {
    let reference = reference();
    let names: Vec<&str> = reference.models.keys().map(String::as_str).collect();
    assert_eq!(names, ["llama", "qwen2", "qwen3"]);
    for (name, model) in &reference.models {
        assert_eq!(&model.architecture, name);
        let expected = Architecture::from_gguf_name(name).unwrap();
        assert_eq!(load(model).network().architecture(), expected);
        assert!(model.cases.iter().any(|c| c.prompt_ids.len() > 300));
    }
}

#[test]
fn prompt_ids_equal_llama_cpp() {
    for model in reference().models.values() {
        let local = load(model);
        for case in &model.cases {
            let ids = local.encode(&case.prompt).unwrap();
            assert_eq!(ids, case.prompt_ids, "{}: {:?}", model.file, case.prompt);
        }
    }
}

/// The prompt read in chunks of 64 tokens (positions > 0 in every chunk but the first).
#[test]
fn next_token_logits_equal_llama_cpp() {
    for model in reference().models.values() {
        let network = network_of(model);
        for case in &model.cases {
            let mut cache = network.new_cache();
            let mut logits = Vec::new();
            for chunk in case.prompt_ids.chunks(64) {
                logits = network.forward(chunk, &mut cache).unwrap();
            }
            let difference = largest_difference(&logits, &case.logits);
            eprintln!(
                "{} ({} tokens): largest logit difference {difference:.4}",
                model.file,
                case.prompt_ids.len()
            );
            assert!(
                difference < LOGIT_TOLERANCE,
                "{}: logits differ by {difference} after {:?}",
                model.file,
                case.prompt
            );
            assert_eq!(argmax(&logits), argmax(&case.logits), "{}", model.file);
        }
    }
}

/// clinkit's own greedy continuation, one decode step at a time, equals llama.cpp's token
/// for token. (A step where llama.cpp's best two tokens are closer than the tolerance
/// could go either way; the fixture's generator reports how many there are.)
#[test]
fn greedy_continuations_equal_llama_cpp() {
    let (mut steps, mut near_ties) = (0, 0);
    for model in reference().models.values() {
        let network = network_of(model);
        for case in &model.cases {
            let mut cache = network.new_cache();
            let mut logits = network.forward(&case.prompt_ids, &mut cache).unwrap();
            for (step, &expected) in case.greedy.iter().enumerate() {
                let picked = argmax(&logits);
                steps += 1;
                if case.greedy_margins[step] < LOGIT_TOLERANCE {
                    near_ties += 1;
                    if picked != expected {
                        break; // a legitimate fork: the rest would continue another text
                    }
                }
                assert_eq!(picked, expected, "{} step {step}", model.file);
                logits = network.forward(&[picked], &mut cache).unwrap();
            }
        }
    }
    eprintln!("{steps} greedy steps, {near_ties} of them near ties");
    assert!(near_ties * 10 < steps);
}

/// How far reading a prompt in one pass may land from reading it one token at a time.
/// Both paths round activations the same way but sum in different orders (a product over
/// many rows or over one), so now and then an activation lands on the other side of a
/// rounding step; later positions read that position's cached keys and values, so the
/// difference carries forward (measured: qwen3 up to 0.32 from its 13th position on; llama
/// and qwen2 within 0.001 at 90% of positions, 0.08 at most).
const PATH_TOLERANCE: f32 = 0.5;

/// Reading a prompt in one pass gives the same logits, position by position, as reading
/// it one token at a time through the cache (the decode path, with no mask).
#[test]
fn chunked_prefill_equals_token_by_token_decode() {
    for model in reference().models.values() {
        let network = network_of(model);
        let ids = &model.cases[2].prompt_ids;
        let together = network.forward_all(ids, &mut network.new_cache()).unwrap();
        let mut cache = network.new_cache();
        for (position, (&token, row)) in ids.iter().zip(&together).enumerate() {
            let single = network.forward(&[token], &mut cache).unwrap();
            let difference = largest_difference(row, &single);
            assert!(
                difference < PATH_TOLERANCE,
                "{} position {position}: {difference}",
                model.file
            );
            let mut sorted = row.clone();
            sorted.sort_by(|a, b| b.total_cmp(a));
            if sorted[0] - sorted[1] > PATH_TOLERANCE {
                assert_eq!(argmax(row), argmax(&single), "{} {position}", model.file);
            }
        }
    }
}

/// The whole local backend (tokenizer, prefill, greedy sampling, stop at end-of-text,
/// decoding to text) gives the text of llama.cpp's continuation.
#[test]
fn local_backend_completes_like_llama_cpp() {
    let options = GenerateOptions {
        max_tokens: 12,
        ..GenerateOptions::default()
    };
    for model in reference().models.values() {
        let mut local = load(model);
        let case = &model.cases[1];
        let completion = local.complete(&case.prompt, &options).unwrap();
        let end = local.tokenizer().token_to_id("<|endoftext|>").unwrap();
        let expected: Vec<u32> = case.greedy[..12]
            .iter()
            .copied()
            .take_while(|&t| t != end)
            .collect();
        let expected_text = local.tokenizer().decode(&expected, true).unwrap();
        assert_eq!(completion.text, expected_text, "{}", model.file);
        assert_eq!(completion.prompt_tokens, case.prompt_ids.len());
    }
}

#[test]
fn unsupported_architectures_are_refused_naming_file_and_architecture() {
    let dir = tempfile::tempdir().unwrap();
    let path = common::gguf_of_architecture(dir.path(), "tiny-mamba.gguf", "mamba");
    let error = LocalModel::load(&path).err().unwrap().to_string();
    assert!(
        error.contains("tiny-mamba.gguf")
            && error.contains("mamba`")
            && error.contains("general.architecture"),
        "{error}"
    );
}

/// The teaching trace works for these networks too: one hidden state per layer plus the
/// embeddings, and the kept head's causal attention rows each add up to 1.
#[test]
fn traced_forward_records_every_layer_and_one_head() {
    for model in reference().models.values() {
        let network = network_of(model);
        let ids = &model.cases[0].prompt_ids;
        let mut trace = Trace::keeping_attention(1, 1);
        let logits = network
            .forward_traced(ids, &mut network.new_cache(), &mut trace)
            .unwrap();
        let plain = network.forward(ids, &mut network.new_cache()).unwrap();
        assert_eq!(logits, plain, "{}", model.file);
        let layers = if model.architecture == "qwen2" { 2 } else { 3 };
        assert_eq!(trace.hidden_states.len(), layers + 1, "{}", model.file);
        assert_eq!(trace.attention.len(), ids.len());
        for (row, weights) in trace.attention.iter().enumerate() {
            let sum: f32 = weights.iter().sum();
            assert!((sum - 1.0).abs() < 1e-4, "{} row {row}: {sum}", model.file);
            assert!(weights[row + 1..].iter().all(|&w| w == 0.0)); // not the future
        }
        let mut no_such_head = Trace::keeping_attention(0, 99);
        let error = network
            .forward_traced(ids, &mut network.new_cache(), &mut no_such_head)
            .unwrap_err();
        assert!(error.to_string().contains("head 99"), "{error}");
    }
}

#[test]
fn qwen_chats_in_chatml() {
    use clinkit::llm::local::ChatFormat;
    use clinkit::llm::{Message, Role};
    let model = LocalModel::load(&fixture("tiny-qwen2.gguf")).unwrap();
    assert_eq!(model.chat_format().unwrap(), ChatFormat::ChatMl);
    let messages = [
        Message {
            role: Role::System,
            content: "Be brief.".into(),
        },
        Message {
            role: Role::User,
            content: "Hi".into(),
        },
    ];
    let ids = model.chat_prompt(&messages).unwrap();
    let text = model.tokenizer().decode(&ids, false).unwrap();
    assert_eq!(
        text,
        "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n"
    );
}
