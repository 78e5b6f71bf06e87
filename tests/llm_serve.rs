//! `clinkit serve` end to end: the real binary on a loopback port, asked by clinkit's own
//! OpenAI client (the one tested against llama.cpp's server) and by plain HTTP requests.
//! Greedy answers must equal the in-process model's, JSON Schemas must be followed,
//! streamed pieces must add up to the whole answer, and bad requests get a 400 naming the field.

#![cfg(all(feature = "serve", feature = "http"))]

mod common;

use std::path::Path;

use common::server::{gemma_gguf, LlamaServer};

use clinkit::llm::local::LocalModel;
use clinkit::llm::{Backend, FinishReason, GenerateOptions, Message, Role};

const PROMPT: &str = "De patiënt werd verwezen naar de cardioloog wegens";

fn greedy(max_tokens: usize) -> GenerateOptions {
    GenerateOptions {
        max_tokens,
        ..GenerateOptions::default()
    }
}

#[test]
fn clinkit_serve_answers_like_the_local_model() {
    let server = LlamaServer::start_clinkit_serve(Path::new(env!("CARGO_BIN_EXE_clinkit")));
    let mut client = server.client();
    assert_eq!(client.models().unwrap(), vec!["gemma-3-270m-q4_k_m"]);

    // 1. Greedy completion over HTTP equals the same model in this process.
    let over_http = client.complete(PROMPT, &greedy(12)).unwrap();
    let mut local = LocalModel::load(&gemma_gguf()).unwrap();
    let in_process = local.complete(PROMPT, &greedy(12)).unwrap();
    assert_eq!(over_http.text, in_process.text);
    assert_eq!(over_http.completion_tokens, in_process.completion_tokens);
    assert_eq!(over_http.prompt_tokens, in_process.prompt_tokens);
    assert_eq!(over_http.finish_reason, FinishReason::Length);

    // 2. Streaming: the pieces add up to the same text.
    let mut pieces = Vec::new();
    let streamed = client
        .stream(PROMPT, &greedy(12), &mut |piece| {
            pieces.push(piece.to_string())
        })
        .unwrap();
    assert!(pieces.len() > 1, "{pieces:?}");
    assert_eq!(pieces.concat(), in_process.text);
    assert_eq!(streamed.text, in_process.text);
    assert_eq!(streamed.completion_tokens, in_process.completion_tokens);

    // 3. A chat with a JSON Schema: the answer follows it.
    let schema = serde_json::json!({
        "type": "object",
        "properties": {"age": {"type": "integer", "minimum": 0, "maximum": 120}},
        "required": ["age"],
        "additionalProperties": false
    });
    let options = GenerateOptions {
        max_tokens: 20,
        json_schema: Some(schema),
        ..GenerateOptions::default()
    };
    let messages = [Message {
        role: Role::User,
        content: "Mevrouw is 67 jaar. Geef de leeftijd als JSON.".into(),
    }];
    let answer = client.chat(&messages, &options).unwrap();
    let value: serde_json::Value = serde_json::from_str(&answer.text).unwrap();
    let age = value["age"].as_i64().unwrap();
    assert!((0..=120).contains(&age), "{value}");

    // 4. Bad requests: 400 with the field named; unknown paths 404.
    let url = format!("{}/chat/completions", server.url);
    let error = ureq::post(&url)
        .set("Content-Type", "application/json")
        .send_string(r#"{"messages": [{"role": "bot", "content": "x"}]}"#)
        .unwrap_err();
    match error {
        ureq::Error::Status(code, response) => {
            assert_eq!(code, 400);
            let body = response.into_string().unwrap();
            assert!(body.contains("messages[0].role"), "{body}");
        }
        other => panic!("expected a 400 answer, got {other}"),
    }
    let missing = ureq::get(&format!("{}/embeddings", server.url)).call();
    assert!(matches!(missing, Err(ureq::Error::Status(404, _))));
}

#[test]
fn clinkit_serve_refuses_addresses_other_computers_can_reach() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_clinkit"))
        .args(["serve", "--host", "0.0.0.0", "--port", "0"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("0.0.0.0"), "{stderr}");
    assert!(stderr.contains("127.0.0.1"), "{stderr}");
}
