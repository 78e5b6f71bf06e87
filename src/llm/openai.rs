//! A model server as a [`Backend`]: the OpenAI-compatible HTTP API that vLLM, the llama.cpp
//! server, Ollama and `clinkit serve` all speak.
//!
//! A hospital often runs one big model on a GPU server; every intern's notebook then sends
//! its prompts there instead of loading a model itself. The API is plain JSON over HTTP:
//!
//! - `POST /v1/completions` continues a prompt (`{"prompt": "...", "max_tokens": 32}`);
//! - `POST /v1/chat/completions` answers a list of messages (the server applies the chat format);
//! - with `"stream": true` the answer comes piece by piece as server-sent events
//!   (`data: {...}` lines, then `data: [DONE]`);
//! - `response_format` asks for JSON that follows a JSON Schema.
//!
//! Every request first passes the [`EgressGuard`]: only loopback and the hosts you allowed
//! are contacted, so a typo in a URL cannot send a letter to the internet.
//!
//! ```no_run
//! use clinkit::llm::{Backend, GenerateOptions, openai::OpenAiBackend};
//! let mut server = OpenAiBackend::new("http://127.0.0.1:8080/v1").unwrap();
//! let answer = server.complete("De patiënt is", &GenerateOptions::default()).unwrap();
//! println!("{}", answer.text);
//! ```

use std::io::{BufRead, BufReader, Read};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use super::egress::EgressGuard;
use super::{Backend, Completion, FinishReason, GenerateOptions, Message, TokenLogprob};
use crate::{Error, Result};

/// The environment variable an API key is read from, unless another one is named.
pub const API_KEY_VARIABLE: &str = "CLINKIT_API_KEY";

/// How a server wants to be asked for JSON that follows a schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemaStyle {
    /// OpenAI's form, also vLLM's and Ollama's:
    /// `{"type": "json_schema", "json_schema": {"name": ..., "schema": ...}}`.
    JsonSchema,
    /// The older form llama-cpp-python's server takes: `{"type": "json_object", "schema": ...}`.
    JsonObject,
}

/// A client for an OpenAI-compatible server.
pub struct OpenAiBackend {
    /// The API root, such as `http://127.0.0.1:8080/v1` (no trailing slash).
    base_url: String,
    /// The model name sent with each request (`None`: the server's first model).
    model: Option<String>,
    /// Sent as `Authorization: Bearer ...` when set.
    api_key: Option<String>,
    /// How `response_format` is written; switches once to the other style if the server refuses.
    schema_style: SchemaStyle,
    /// Asked before every connection (it is the agent's name resolver).
    guard: EgressGuard,
    agent: ureq::Agent,
}

impl std::fmt::Debug for OpenAiBackend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the API key.
        f.debug_struct("OpenAiBackend")
            .field("base_url", &self.base_url)
            .field("model", &self.model)
            .finish_non_exhaustive()
    }
}

impl OpenAiBackend {
    /// A client for the server at `base_url` (such as `http://127.0.0.1:8080/v1`), with the
    /// egress guard of this run ([`EgressGuard::from_environment`]: loopback plus `clinkit.toml`).
    ///
    /// The API key, if the server needs one, is read from `CLINKIT_API_KEY`.
    pub fn new(base_url: &str) -> Result<Self> {
        OpenAiBackend::with_guard(base_url, EgressGuard::from_environment(&[])?)
    }

    /// A client that asks `guard` before every connection.
    ///
    /// ```
    /// use clinkit::llm::{egress::EgressGuard, openai::OpenAiBackend};
    /// let refused = OpenAiBackend::with_guard("https://api.example.com/v1", EgressGuard::loopback_only());
    /// assert!(refused.unwrap_err().to_string().contains("--allow-host api.example.com"));
    /// ```
    pub fn with_guard(base_url: &str, guard: EgressGuard) -> Result<Self> {
        let base_url = base_url.trim_end_matches('/').to_string();
        guard.check_url(&base_url)?;
        let agent = build_agent(&guard, Duration::from_secs(300));
        Ok(OpenAiBackend {
            base_url,
            guard,
            model: None,
            api_key: std::env::var(API_KEY_VARIABLE)
                .ok()
                .filter(|k| !k.is_empty()),
            schema_style: SchemaStyle::JsonSchema,
            agent,
        })
    }

    /// The same client, asking for the model `name` (see [`OpenAiBackend::models`]).
    pub fn model(mut self, name: &str) -> Self {
        self.model = Some(name.to_string());
        self
    }

    /// The same client, with the API key read from the environment variable `variable`.
    /// An unset variable is an error that names it.
    pub fn api_key_from_env(mut self, variable: &str) -> Result<Self> {
        let key = std::env::var(variable).ok().filter(|k| !k.is_empty());
        self.api_key = Some(key.ok_or_else(|| {
            Error::Refused(format!(
                "the environment variable {variable} holds no API key"
            ))
        })?);
        Ok(self)
    }

    /// The same client, giving up when the server is silent for `seconds` (default 300).
    pub fn read_timeout(mut self, seconds: u64) -> Self {
        self.agent = build_agent(&self.guard, Duration::from_secs(seconds));
        self
    }

    /// The same client, writing `response_format` in `style`.
    pub fn schema_style(mut self, style: SchemaStyle) -> Self {
        self.schema_style = style;
        self
    }

    /// The names of the models the server offers (`GET /v1/models`).
    pub fn models(&self) -> Result<Vec<String>> {
        let body = self.get("/models")?;
        let names = body["data"]
            .as_array()
            .map(|models| {
                models
                    .iter()
                    .filter_map(|m| m["id"].as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default();
        Ok(names)
    }

    /// Answers a chat, calling `on_text` with each new piece of the answer as it arrives.
    pub fn stream_chat(
        &mut self,
        messages: &[Message],
        options: &GenerateOptions,
        on_text: &mut dyn FnMut(&str),
    ) -> Result<Completion> {
        let mut body = self.request_body(options, true);
        body["messages"] = json!(messages);
        self.run("/chat/completions", body, options, Some(on_text))
    }

    /// The fields shared by both endpoints.
    fn request_body(&self, options: &GenerateOptions, chat: bool) -> Value {
        let mut body = json!({
            "max_tokens": options.max_tokens,
            "temperature": options.temperature,
            "seed": options.seed,
        });
        if let Some(model) = &self.model {
            body["model"] = json!(model);
        }
        if let Some(top_p) = options.top_p {
            body["top_p"] = json!(top_p);
        }
        if let Some(top_k) = options.top_k {
            body["top_k"] = json!(top_k); // not OpenAI's, but vLLM, llama.cpp and Ollama read it
        }
        // Always sent: llama.cpp's server defaults to 1.1, which would quietly change greedy output.
        body["repeat_penalty"] = json!(options.repeat_penalty);
        if !options.stop.is_empty() {
            body["stop"] = json!(options.stop);
        }
        if let Some(n) = options.top_logprobs {
            if chat {
                body["logprobs"] = json!(true);
                body["top_logprobs"] = json!(n);
            } else {
                body["logprobs"] = json!(n);
            }
        }
        if let Some(schema) = &options.json_schema {
            body["response_format"] = response_format(schema, self.schema_style);
        }
        body
    }

    /// Sends one request (retrying once in the other schema style if the server refuses ours)
    /// and reads the answer, streamed or whole.
    fn run(
        &mut self,
        path: &str,
        mut body: Value,
        options: &GenerateOptions,
        on_text: Option<&mut dyn FnMut(&str)>,
    ) -> Result<Completion> {
        let started = Instant::now();
        body["stream"] = json!(on_text.is_some());
        let response = match self.post(path, &body) {
            Err(HttpError::Status(code, message))
                if options.json_schema.is_some()
                    && code >= 400
                    && message.contains("response_format") =>
            {
                self.schema_style = other_style(self.schema_style);
                let schema = options.json_schema.as_ref().expect("checked above");
                body["response_format"] = response_format(schema, self.schema_style);
                self.post(path, &body)
                    .map_err(|e| e.into_error(&self.base_url, path))?
            }
            other => other.map_err(|e| e.into_error(&self.base_url, path))?,
        };
        let mut completion = match on_text {
            Some(on_text) => read_stream(response.into_reader(), on_text)?,
            None => {
                let text = response.into_string().map_err(|e| {
                    Error::Refused(format!(
                        "{}{path}: cannot read the answer: {e}",
                        self.base_url
                    ))
                })?;
                parse_answer(&text)?
            }
        };
        completion.seconds = started.elapsed().as_secs_f64();
        if options.json_schema.is_some() {
            check_is_json(&completion.text, &self.base_url)?;
        }
        Ok(completion)
    }

    fn get(&self, path: &str) -> Result<Value> {
        let url = format!("{}{path}", self.base_url);
        let mut request = self.agent.get(&url);
        if let Some(key) = &self.api_key {
            request = request.set("Authorization", &format!("Bearer {key}"));
        }
        let response = request
            .call()
            .map_err(|e| HttpError::from(e).into_error(&self.base_url, path))?;
        let text = response
            .into_string()
            .map_err(|e| Error::Refused(format!("{url}: cannot read the answer: {e}")))?;
        serde_json::from_str(&text)
            .map_err(|e| Error::Refused(format!("{url}: the answer is not JSON: {e}")))
    }

    fn post(&self, path: &str, body: &Value) -> std::result::Result<ureq::Response, HttpError> {
        let mut request = self
            .agent
            .post(&format!("{}{path}", self.base_url))
            .set("Content-Type", "application/json");
        if let Some(key) = &self.api_key {
            request = request.set("Authorization", &format!("Bearer {key}"));
        }
        request
            .send_string(&body.to_string())
            .map_err(HttpError::from)
    }
}

impl Backend for OpenAiBackend {
    fn name(&self) -> String {
        match &self.model {
            Some(model) => format!("{} ({model})", self.base_url),
            None => self.base_url.clone(),
        }
    }

    fn complete(&mut self, prompt: &str, options: &GenerateOptions) -> Result<Completion> {
        let mut body = self.request_body(options, false);
        body["prompt"] = json!(prompt);
        self.run("/completions", body, options, None)
    }

    fn stream(
        &mut self,
        prompt: &str,
        options: &GenerateOptions,
        on_text: &mut dyn FnMut(&str),
    ) -> Result<Completion> {
        let mut body = self.request_body(options, false);
        body["prompt"] = json!(prompt);
        self.run("/completions", body, options, Some(on_text))
    }

    fn chat(&mut self, messages: &[Message], options: &GenerateOptions) -> Result<Completion> {
        let mut body = self.request_body(options, true);
        body["messages"] = json!(messages);
        self.run("/chat/completions", body, options, None)
    }
}

/// An HTTP agent whose every connection (redirects are off) passes `guard`.
fn build_agent(guard: &EgressGuard, read_timeout: Duration) -> ureq::Agent {
    ureq::AgentBuilder::new()
        .resolver(guard.clone())
        .redirects(0)
        .timeout_connect(Duration::from_secs(10))
        .timeout_read(read_timeout)
        .build()
}

/// `response_format` for a JSON Schema, in the style the server takes.
///
/// ```
/// use clinkit::llm::openai::{response_format, SchemaStyle};
/// let schema = serde_json::json!({"type": "object"});
/// let format = response_format(&schema, SchemaStyle::JsonSchema);
/// assert_eq!(format["json_schema"]["schema"], schema);
/// ```
pub fn response_format(schema: &Value, style: SchemaStyle) -> Value {
    match style {
        SchemaStyle::JsonSchema => json!({
            "type": "json_schema",
            "json_schema": {"name": "answer", "schema": schema, "strict": true},
        }),
        SchemaStyle::JsonObject => json!({"type": "json_object", "schema": schema}),
    }
}

fn other_style(style: SchemaStyle) -> SchemaStyle {
    match style {
        SchemaStyle::JsonSchema => SchemaStyle::JsonObject,
        SchemaStyle::JsonObject => SchemaStyle::JsonSchema,
    }
}

/// What went wrong with one HTTP request, before it becomes an [`Error`].
enum HttpError {
    /// The server answered with an error status and this message.
    Status(u16, String),
    /// No answer: refused connection, timeout, a host the guard refused.
    Transport(String),
}

impl From<ureq::Error> for HttpError {
    fn from(error: ureq::Error) -> Self {
        match error {
            ureq::Error::Status(code, response) => {
                let body = response.into_string().unwrap_or_default();
                HttpError::Status(code, server_message(&body))
            }
            ureq::Error::Transport(transport) => HttpError::Transport(transport.to_string()),
        }
    }
}

impl HttpError {
    fn into_error(self, base_url: &str, path: &str) -> Error {
        match self {
            HttpError::Status(code, message) => Error::Refused(format!(
                "{base_url}{path}: the server answered HTTP {code}: {message}"
            )),
            HttpError::Transport(why) => Error::Refused(format!(
                "cannot reach the model server at {base_url}{path}: {why}. Is it running?"
            )),
        }
    }
}

/// The readable part of an error body: `error.message`, `detail`, or the text itself.
fn server_message(body: &str) -> String {
    let parsed: Option<Value> = serde_json::from_str(body).ok();
    let message = parsed.as_ref().and_then(|v| {
        v["error"]["message"]
            .as_str()
            .map(String::from)
            .or_else(|| v["error"].as_str().map(String::from))
            .or_else(|| (!v["detail"].is_null()).then(|| v["detail"].to_string()))
    });
    let text = message.unwrap_or_else(|| body.trim().to_string());
    text.chars().take(500).collect()
}

/// A whole (not streamed) answer of either endpoint.
fn parse_answer(text: &str) -> Result<Completion> {
    let answer: Value = serde_json::from_str(text)
        .map_err(|e| Error::Refused(format!("the model server's answer is not JSON: {e}")))?;
    let choice = &answer["choices"][0];
    if choice.is_null() {
        return Err(Error::Refused(format!(
            "the model server's answer has no choices: {}",
            server_message(text)
        )));
    }
    let text = choice["message"]["content"]
        .as_str()
        .or_else(|| choice["text"].as_str())
        .unwrap_or_default()
        .to_string();
    Ok(Completion {
        text,
        finish_reason: finish_reason(&choice["finish_reason"]),
        prompt_tokens: count(&answer["usage"]["prompt_tokens"]),
        completion_tokens: count(&answer["usage"]["completion_tokens"]),
        logprobs: logprobs(&choice["logprobs"]),
        seconds: 0.0,
    })
}

/// Reads server-sent events (`data: {...}` lines, ending with `data: [DONE]`).
///
/// Token counts come from a `usage` object if the server sends one; otherwise each event
/// with text is counted as one token (what llama.cpp and vLLM send).
fn read_stream(reader: impl Read, on_text: &mut dyn FnMut(&str)) -> Result<Completion> {
    let mut completion = Completion {
        text: String::new(),
        finish_reason: FinishReason::Stop,
        prompt_tokens: 0,
        completion_tokens: 0,
        logprobs: None,
        seconds: 0.0,
    };
    let mut pieces = 0;
    let mut usage_seen = false;
    for line in BufReader::new(reader).lines() {
        let line =
            line.map_err(|e| Error::Refused(format!("the model server's stream broke off: {e}")))?;
        let Some(data) = line.strip_prefix("data:").map(str::trim) else {
            continue; // blank lines and `event:`/`:` comment lines
        };
        if data == "[DONE]" {
            break;
        }
        let event: Value = serde_json::from_str(data).map_err(|e| {
            Error::Refused(format!("the model server sent a bad event ({e}): {data}"))
        })?;
        if !event["error"].is_null() {
            return Err(Error::Refused(format!(
                "the model server stopped: {}",
                server_message(data)
            )));
        }
        if event["usage"].is_object() {
            usage_seen = true;
            completion.prompt_tokens = count(&event["usage"]["prompt_tokens"]);
            completion.completion_tokens = count(&event["usage"]["completion_tokens"]);
        }
        let choice = &event["choices"][0];
        let piece = choice["delta"]["content"]
            .as_str()
            .or_else(|| choice["text"].as_str());
        if let Some(piece) = piece.filter(|p| !p.is_empty()) {
            pieces += 1;
            completion.text.push_str(piece);
            on_text(piece);
        }
        if choice["finish_reason"].is_string() {
            completion.finish_reason = finish_reason(&choice["finish_reason"]);
        }
        if let Some(more) = logprobs(&choice["logprobs"]) {
            completion
                .logprobs
                .get_or_insert_with(Vec::new)
                .extend(more);
        }
    }
    if !usage_seen {
        completion.completion_tokens = pieces;
    }
    Ok(completion)
}

fn finish_reason(value: &Value) -> FinishReason {
    match value.as_str() {
        Some("length") => FinishReason::Length,
        _ => FinishReason::Stop,
    }
}

fn count(value: &Value) -> usize {
    value.as_u64().unwrap_or(0) as usize
}

/// Log-probabilities in either endpoint's shape.
///
/// Chat: `{"content": [{"token", "logprob", "top_logprobs": [{"token", "logprob"}]}]}`.
/// Completions: `{"tokens": [...], "token_logprobs": [...], "top_logprobs": [{token: logprob}]}`.
fn logprobs(value: &Value) -> Option<Vec<TokenLogprob>> {
    if let Some(content) = value["content"].as_array() {
        return Some(content.iter().map(chat_logprob).collect());
    }
    let tokens = value["tokens"].as_array()?;
    let list = tokens
        .iter()
        .enumerate()
        .map(|(i, token)| TokenLogprob {
            token: token.as_str().unwrap_or_default().to_string(),
            logprob: value["token_logprobs"][i].as_f64().unwrap_or(f64::NAN) as f32,
            top: sorted_top(&value["top_logprobs"][i]),
        })
        .collect();
    Some(list)
}

fn chat_logprob(entry: &Value) -> TokenLogprob {
    let top = entry["top_logprobs"]
        .as_array()
        .map(|alternatives| {
            alternatives
                .iter()
                .map(|a| {
                    (
                        a["token"].as_str().unwrap_or_default().to_string(),
                        a["logprob"].as_f64().unwrap_or(f64::NAN) as f32,
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    TokenLogprob {
        token: entry["token"].as_str().unwrap_or_default().to_string(),
        logprob: entry["logprob"].as_f64().unwrap_or(f64::NAN) as f32,
        top,
    }
}

/// `{token: logprob}` as a list, most likely first.
fn sorted_top(map: &Value) -> Vec<(String, f32)> {
    let mut top: Vec<(String, f32)> = map
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(t, lp)| (t.clone(), lp.as_f64().unwrap_or(f64::NAN) as f32))
                .collect()
        })
        .unwrap_or_default();
    top.sort_by(|a, b| b.1.total_cmp(&a.1));
    top
}

/// A server that ignored `response_format` gives text that is not JSON: say so clearly.
fn check_is_json(text: &str, base_url: &str) -> Result<()> {
    serde_json::from_str::<Value>(text).map(|_| ()).map_err(|e| {
        Error::Refused(format!(
            "the model server at {base_url} was asked for JSON that follows a schema but sent text that is \
             not JSON ({e}); does it support `response_format` on this endpoint? (llama.cpp's does only \
             on chat). The text: {}",
            text.chars().take(200).collect::<String>()
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stream_events_are_joined_and_counted() {
        let events = "data: {\"choices\":[{\"text\":\"De \",\"finish_reason\":null}]}\n\n\
                      data: {\"choices\":[{\"text\":\"patiënt\",\"finish_reason\":\"length\"}]}\n\n\
                      data: [DONE]\n\n";
        let mut pieces = Vec::new();
        let completion =
            read_stream(events.as_bytes(), &mut |p| pieces.push(p.to_string())).unwrap();
        assert_eq!(completion.text, "De patiënt");
        assert_eq!(pieces, ["De ", "patiënt"]);
        assert_eq!(completion.completion_tokens, 2);
        assert_eq!(completion.finish_reason, FinishReason::Length);
    }

    #[test]
    fn error_bodies_give_the_server_message() {
        assert_eq!(
            server_message(r#"{"error": {"message": "model not found"}}"#),
            "model not found"
        );
        assert_eq!(server_message("plain failure\n"), "plain failure");
    }

    #[test]
    fn completion_logprobs_are_sorted() {
        let value = json!({"tokens": ["a"], "token_logprobs": [-0.5], "top_logprobs": [{"b": -2.0, "a": -0.5}]});
        let list = logprobs(&value).unwrap();
        assert_eq!(list[0].top[0], ("a".to_string(), -0.5));
        assert_eq!(list[0].top[1].0, "b");
    }
}
