//! The teaching views of `clinkit::llm::inspect` on the packaged gemma-3-270m: the numbers
//! they show are the model's own (hidden states that give its logits, attention rows that
//! are probabilities, top tokens that agree with llama.cpp's reference).
#![cfg(feature = "models")]

mod common;

use std::sync::OnceLock;

use candle_core::quantized::QMatMul;
use candle_core::{Device, Module, Tensor};
use clinkit::llm::gemma3::Gemma3Config;
use clinkit::llm::gguf::GgufModelFile;
use clinkit::llm::inspect::{inspect, inspect_tokens, AttentionMap, Inspection};
use clinkit::llm::local::LocalModel;
use clinkit::llm::sample::log_softmax;
use clinkit::llm::{Backend, GenerateOptions};
use common::reference::reference;

const PROMPT: &str = "The patient has atrial fibrillation and takes";

fn model() -> &'static LocalModel {
    static MODEL: OnceLock<LocalModel> = OnceLock::new();
    MODEL.get_or_init(|| LocalModel::packaged("gemma-3-270m-q4_k_m").unwrap())
}

/// The rows of an attention map add up to 1 and are 0 wherever the layer cannot look
/// (the future; outside the window of a local layer).
fn assert_rows_are_causal_probabilities(map: &AttentionMap) {
    for (row, weights) in map.weights.iter().enumerate() {
        let sum: f64 = weights.iter().map(|&w| f64::from(w)).sum();
        assert!((sum - 1.0).abs() < 1e-4, "row {row} sums to {sum}");
        for (column, &weight) in weights.iter().enumerate() {
            if map.can_see(row, column) {
                assert!(weight >= 0.0, "row {row}, column {column}: {weight}");
            } else {
                assert_eq!(weight, 0.0, "row {row} looks at hidden column {column}");
            }
        }
    }
}

#[test]
fn norms_are_the_lengths_of_the_hidden_states() {
    let seen = inspect(model(), PROMPT, 5, 0).unwrap();
    let config = model().network().as_gemma3().unwrap().config();
    let count = seen.token_ids.len();
    assert_eq!(seen.hidden_states.len(), config.layers + 1);
    let norms = seen.hidden_norms();
    for (step, states) in seen.hidden_states.iter().enumerate() {
        assert_eq!(states.len(), count);
        for (position, vector) in states.iter().enumerate() {
            assert_eq!(vector.len(), config.hidden_size);
            let by_hand = vector.iter().map(|x| x * x).sum::<f32>().sqrt();
            let shown = norms[step][position];
            assert!(
                (shown - by_hand).abs() <= 1e-4 * by_hand.max(1.0),
                "step {step}, position {position}: {shown} vs {by_hand}"
            );
        }
    }
    let last: Vec<f32> = norms.iter().map(|step| step[count - 1]).collect();
    assert_eq!(seen.last_token_norms(), last);
    // The embedding of a token is its table row times sqrt(640); layers then add to it.
    assert!(last[config.layers] > last[0], "{last:?}");
}

/// The traced last hidden state is the real residual stream: final RMSNorm and the output
/// matrix, done here by hand, give the logits the model returned.
#[test]
fn the_last_hidden_state_gives_the_logits() {
    let seen = inspect(model(), PROMPT, 0, 0).unwrap();
    let file = GgufModelFile::open(model().path()).unwrap();
    let config = Gemma3Config::from_gguf(&file).unwrap();
    let hidden = seen.hidden_states[config.layers].last().unwrap();
    let weight = file
        .tensor("output_norm.weight")
        .unwrap()
        .dequantize(&Device::Cpu)
        .unwrap()
        .to_vec1::<f32>()
        .unwrap();
    let mean_square =
        hidden.iter().map(|&x| f64::from(x).powi(2)).sum::<f64>() / hidden.len() as f64;
    let scale = 1.0 / (mean_square + config.rms_eps).sqrt();
    let normed: Vec<f32> = hidden
        .iter()
        .zip(&weight)
        .map(|(&x, &w)| (f64::from(x) * scale) as f32 * w)
        .collect();
    let name = if file.has_tensor("output.weight") {
        "output.weight"
    } else {
        "token_embd.weight"
    };
    let output = QMatMul::from_qtensor(file.tensor(name).unwrap()).unwrap();
    let input = Tensor::from_vec(normed, (1, config.hidden_size), &Device::Cpu).unwrap();
    let mut logits = output
        .forward(&input)
        .unwrap()
        .flatten_all()
        .unwrap()
        .to_vec1::<f32>()
        .unwrap();
    if let Some(cap) = config.final_logit_softcap {
        for logit in logits.iter_mut() {
            *logit = ((f64::from(*logit) / cap).tanh() * cap) as f32;
        }
    }
    assert_eq!(logits.len(), seen.logits.len());
    let worst = logits
        .iter()
        .zip(&seen.logits)
        .map(|(a, b)| (a - b).abs())
        .fold(0.0f32, f32::max);
    assert!(worst < 0.05, "largest logit difference {worst}");
}

#[test]
fn attention_rows_are_causal_probabilities() {
    for (layer, window) in [(0, Some(512)), (5, None)] {
        let seen = inspect(model(), PROMPT, layer, 3).unwrap();
        let count = seen.token_ids.len();
        assert_eq!((seen.attention.layer, seen.attention.head), (layer, 3));
        assert_eq!(seen.attention.window, window);
        assert_eq!(seen.attention.weights.len(), count);
        assert!(seen.attention.weights.iter().all(|row| row.len() == count));
        assert_rows_are_causal_probabilities(&seen.attention);
        // The first token can only look at itself.
        assert!((seen.attention.weights[0][0] - 1.0).abs() < 1e-5);
    }
}

/// On a text longer than the 512-token window a local layer gives exactly 0 to the tokens
/// the window has left behind; a global layer in the same text still looks at them.
#[test]
fn local_layers_show_their_sliding_window() {
    let case = reference()
        .cases
        .into_iter()
        .find(|case| case.prompt_ids.len() > 600)
        .unwrap();
    let ids = &case.prompt_ids[..560]; // the window has moved 48 tokens past the start
    let last = ids.len() - 1;
    let local = inspect_tokens(model(), ids, 0, 0).unwrap();
    assert_eq!(local.attention.window, Some(512));
    assert_rows_are_causal_probabilities(&local.attention);
    let beyond_window: f32 = local.attention.weights[last][..=last - 512].iter().sum();
    assert_eq!(beyond_window, 0.0);
    let global = inspect_tokens(model(), ids, 5, 0).unwrap();
    assert_rows_are_causal_probabilities(&global.attention);
    let beyond_window: f32 = global.attention.weights[last][..=last - 512].iter().sum();
    assert!(beyond_window > 1e-3, "global layer: {beyond_window}");
}

#[test]
fn next_tokens_are_the_softmax_of_the_models_logits() {
    let seen = inspect(model(), PROMPT, 0, 0).unwrap();
    let ids = model().encode(PROMPT).unwrap();
    let network = model().network();
    let logits = network.forward(&ids, &mut network.new_cache()).unwrap();
    assert_eq!(logits, seen.logits, "tracing must not change the logits");
    let logprobs = log_softmax(&logits);
    let next = seen.next_tokens(10);
    assert_eq!(next.0.len(), 10);
    for pair in next.0.windows(2) {
        assert!(pair[0].probability >= pair[1].probability);
    }
    for token in &next.0 {
        let expected = logprobs[token.id as usize].exp();
        assert!((token.probability - expected).abs() < 1e-6);
    }
    let best = logprobs
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.total_cmp(b.1))
        .unwrap()
        .0;
    assert_eq!(next.0[0].id, best as u32);
    // The generation loop reports the same alternatives with the same probabilities.
    let options = GenerateOptions {
        max_tokens: 1,
        top_logprobs: Some(5),
        ..GenerateOptions::default()
    };
    let mut generator = LocalModel::load(model().path()).unwrap();
    let completion = generator.complete(PROMPT, &options).unwrap();
    let top = &completion.logprobs.unwrap()[0].top;
    for ((text, logprob), shown) in top.iter().zip(&next.0) {
        assert_eq!(text, &shown.text);
        assert!((logprob.exp() - shown.probability).abs() < 1e-5);
    }
}

#[test]
fn top_token_agrees_with_llama_cpp() {
    let cases: Vec<_> = reference()
        .cases
        .into_iter()
        .filter(|case| case.prompt_ids.len() <= 80)
        .collect();
    assert!(cases.len() >= 10, "{} short prompts", cases.len());
    let agree = cases
        .iter()
        .filter(|case| {
            let seen: Inspection = inspect_tokens(model(), &case.prompt_ids, 0, 0).unwrap();
            seen.next_tokens(1).0[0].id == case.argmax
        })
        .count();
    assert!(agree + 1 >= cases.len(), "{agree} of {}", cases.len());
}

#[test]
fn charts_name_the_tokens_and_layers() {
    let seen = inspect(model(), PROMPT, 5, 0).unwrap();
    let heatmap = seen.attention_heatmap();
    assert!(heatmap.as_str().starts_with("<svg"));
    assert!(heatmap.as_str().contains("fibr"), "token texts on the axes");
    assert!(heatmap.as_str().contains("&lt;bos&gt;"));
    assert!(heatmap.as_str().contains("layer 5, head 0 (global layer"));
    let norms = seen.norms_chart();
    assert!(norms.as_str().contains("layer 5 (global)"));
    assert!(norms.as_str().contains("layer 0 (local)"));
    let next = seen.next_tokens(5);
    assert!(
        next.chart()
            .as_str()
            .contains(&format!("{:?}", next.0[0].text).replace('"', "&quot;"))
            || next.chart().as_str().contains(next.0[0].text.trim())
    );
    assert_eq!(next.to_string().lines().count(), 5);
    assert!(next.html().as_str().contains("<table>"));
}

#[test]
fn a_layer_or_head_the_model_lacks_is_a_clear_error() {
    let error = inspect(model(), PROMPT, 18, 0).unwrap_err().to_string();
    assert!(error.contains("no layer 18"), "{error}");
    let error = inspect(model(), PROMPT, 0, 4).unwrap_err().to_string();
    assert!(error.contains("head 4"), "{error}");
}

/// `clinkit inspect --json` prints one JSON document with the library's numbers and writes
/// the three charts; a layer the model lacks is a user error (exit 1) that names it.
#[cfg(feature = "cli")]
#[test]
fn the_cli_prints_json_and_writes_the_charts() {
    use std::process::Command;
    let folder = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_clinkit"))
        .args([
            "inspect",
            "--json",
            "--top",
            "3",
            "--layer",
            "0",
            "--svg-dir",
        ])
        .arg(folder.path())
        .arg(PROMPT)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let seen = inspect(model(), PROMPT, 0, 0).unwrap();
    let next = seen.next_tokens(3);
    assert_eq!(json["next_tokens"][0]["id"], next.0[0].id);
    assert_eq!(json["tokens"].as_array().unwrap().len(), seen.tokens.len());
    assert_eq!(json["attention"]["window"], 512);
    let rows = json["attention"]["weights"].as_array().unwrap();
    for row in rows {
        let sum: f64 = row
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w.as_f64().unwrap())
            .sum();
        assert!((sum - 1.0).abs() < 1e-4);
    }
    for name in ["attention.svg", "norms.svg", "next-tokens.svg"] {
        let svg = std::fs::read_to_string(folder.path().join(name)).unwrap();
        assert!(svg.starts_with("<svg"), "{name}");
    }
    let output = Command::new(env!("CARGO_BIN_EXE_clinkit"))
        .args(["inspect", "--layer", "40", PROMPT])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("no layer 40"));
}
