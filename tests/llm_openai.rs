//! `OpenAiBackend` against a real llama.cpp server (llama-cpp-python's `llama_cpp.server`)
//! running the packaged gemma-3-270m on 127.0.0.1. `scripts/setup` installs the server into
//! the project's .venv; without it these tests fail and say so.

mod common;

use clinkit::llm::egress::EgressGuard;
use clinkit::llm::openai::OpenAiBackend;
use clinkit::llm::{Backend, FinishReason, GenerateOptions, Message, Role};
use common::server::{free_port, LlamaServer};
use serde_json::json;

fn greedy(max_tokens: usize) -> GenerateOptions {
    GenerateOptions {
        max_tokens,
        ..GenerateOptions::default()
    }
}

#[test]
fn completions_whole_and_streamed_agree() {
    let server = LlamaServer::start(1024, true);
    let mut client = server.client();
    assert_eq!(client.models().unwrap().len(), 1);

    let prompt = "The capital of France is";
    let whole = client.complete(prompt, &greedy(8)).unwrap();
    assert!(!whole.text.is_empty());
    assert_eq!(whole.completion_tokens, 8);
    assert_eq!(whole.finish_reason, FinishReason::Length);
    assert!(whole.prompt_tokens >= 5, "{whole:?}");
    // what llama-cpp-python gives in-process (Llama.create_completion, greedy, repeat_penalty 1)
    assert_eq!(whole.text, " the capital of the country of France.");

    let mut pieces = Vec::new();
    let streamed = client
        .stream(prompt, &greedy(8), &mut |piece| {
            pieces.push(piece.to_string())
        })
        .unwrap();
    assert!(pieces.len() > 1, "{pieces:?}");
    assert_eq!(pieces.concat(), streamed.text);
    assert_eq!(
        streamed.text, whole.text,
        "greedy: streamed and whole answers are the same"
    );
    assert_eq!(streamed.finish_reason, FinishReason::Length);
}

#[test]
fn stop_sequences_and_logprobs() {
    let server = LlamaServer::start(1024, true);
    let mut client = server.client();
    let options = GenerateOptions {
        max_tokens: 24,
        stop: vec![".".into()],
        top_logprobs: Some(3),
        ..GenerateOptions::default()
    };
    let answer = client
        .complete("Paris is the capital of", &options)
        .unwrap();
    assert!(!answer.text.contains('.'), "{answer:?}");
    let logprobs = answer.logprobs.expect("logprobs asked for");
    assert!(!logprobs.is_empty());
    for token in &logprobs {
        assert!(token.logprob <= 0.0, "{token:?}");
        assert!(!token.top.is_empty() && token.top.len() <= 3, "{token:?}");
        // greedy: the chosen token is the most likely one
        assert!((token.top[0].1 - token.logprob).abs() < 1e-3, "{token:?}");
    }
}

#[test]
fn chat_and_streamed_chat() {
    let server = LlamaServer::start(1024, true);
    let mut client = server.client();
    let messages = [Message {
        role: Role::User,
        content: "Name one organ of the human body.".into(),
    }];
    let answer = client.chat(&messages, &greedy(12)).unwrap();
    // The server wrapped the message in Gemma's chat turns (<start_of_turn>user ...).
    assert!(answer.prompt_tokens > 12, "{answer:?}");
    assert!(answer.completion_tokens <= 12, "{answer:?}");

    let mut pieces = String::new();
    let streamed = client
        .stream_chat(&messages, &greedy(12), &mut |piece| pieces.push_str(piece))
        .unwrap();
    assert_eq!(pieces, streamed.text);
    assert_eq!(streamed.text, answer.text);
}

#[test]
fn chat_with_a_json_schema_gives_valid_json() {
    let server = LlamaServer::start(1024, true);
    let mut client = server.client();
    let schema = json!({
        "type": "object",
        "properties": {
            "age": {"type": "integer"},
            "urgency": {"type": "string", "enum": ["routine", "urgent"]}
        },
        "required": ["age", "urgency"]
    });
    let messages = [Message {
        role: Role::User,
        content:
            "Urgent referral of a 67-year-old man with chest pain. Give age and urgency as JSON."
                .into(),
    }];
    let options = GenerateOptions {
        max_tokens: 40,
        json_schema: Some(schema),
        ..GenerateOptions::default()
    };
    let answer = client.chat(&messages, &options).unwrap();
    let value: serde_json::Value = serde_json::from_str(&answer.text).unwrap();
    assert!(value["age"].is_i64(), "{value}");
    assert!(
        ["routine", "urgent"].contains(&value["urgency"].as_str().unwrap()),
        "{value}"
    );
}

#[test]
fn server_errors_name_status_and_message() {
    let server = LlamaServer::start(1024, true);
    let mut client = server.client();
    let options = GenerateOptions {
        max_tokens: 100_000,
        ..GenerateOptions::default()
    };
    // A prompt far longer than the context of 1,024 tokens.
    let error = client
        .complete(&"patiënt ".repeat(3000), &options)
        .unwrap_err()
        .to_string();
    assert!(error.contains("HTTP 400"), "{error}");
    assert!(error.contains("context"), "{error}");
}

#[test]
fn a_stopped_server_is_a_clear_error() {
    let port = free_port();
    let mut client = OpenAiBackend::with_guard(
        &format!("http://127.0.0.1:{port}/v1"),
        EgressGuard::loopback_only(),
    )
    .unwrap();
    let error = client.complete("x", &greedy(1)).unwrap_err().to_string();
    assert!(error.contains("cannot reach the model server"), "{error}");
    assert!(error.contains(&port.to_string()), "{error}");
}

#[test]
fn hosts_outside_the_guard_are_never_contacted() {
    let error = OpenAiBackend::with_guard("http://10.1.2.3:8000/v1", EgressGuard::loopback_only())
        .unwrap_err()
        .to_string();
    assert!(error.contains("refusing to contact `10.1.2.3`"), "{error}");
    assert!(error.contains("--allow-host 10.1.2.3"), "{error}");
}
