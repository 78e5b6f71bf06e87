//! `clinkit serve`: one loaded model, shared over HTTP on this machine.
//!
//! Loading a model takes seconds and memory. When several notebooks or tools want the same
//! model, it is simpler to load it once in a small server and let everyone ask it questions.
//! The server speaks the same language (the "OpenAI-compatible API") as the model servers
//! hospitals run (vLLM, llama.cpp, Ollama), so [`super::openai::OpenAiBackend`] and any
//! other OpenAI client can use it without changes:
//!
//! - `GET /v1/models` lists the one model;
//! - `POST /v1/chat/completions` answers a chat (`messages`), in Gemma's chat format;
//! - `POST /v1/completions` continues a plain `prompt`;
//! - both take `max_tokens`, `temperature` (default 1, as OpenAI's), `top_p`, `top_k`,
//!   `seed`, `repeat_penalty`, `stop`, `logprobs`/`top_logprobs`, `stream` (server-sent
//!   events) and `response_format` with a JSON Schema (the answer is constrained to it).
//!
//! **Only on this machine.** The server listens on a loopback address (127.0.0.1 or ::1)
//! and refuses any other: patient text sent to it never crosses the network. Requests are
//! answered one at a time (one model, one CPU budget).
//!
//! ```no_run
//! use clinkit::llm::local::LocalModel;
//! use clinkit::llm::serve::ModelServer;
//! let model = LocalModel::packaged("gemma-3-270m-q4_k_m")?;
//! let server = ModelServer::bind(model, "gemma-3-270m-q4_k_m", "127.0.0.1:8080".parse().unwrap())?;
//! println!("ask me at {}", server.url());
//! server.serve_forever();
//! # Ok::<(), clinkit::Error>(())
//! ```

use std::io::Read;
use std::net::SocketAddr;
use std::sync::mpsc::{channel, Receiver};

use serde_json::{json, Value};
use tiny_http::{Header, Method, Request, Response};

use super::local::LocalModel;
use super::{Backend, Completion, FinishReason, GenerateOptions, Message, Role, TokenLogprob};
use crate::error::{Error, Location};
use crate::Result;

/// A loaded model behind an OpenAI-compatible HTTP server on a loopback address.
pub struct ModelServer {
    http: tiny_http::Server,
    model: LocalModel,
    name: String,
}

/// What a client asked for, read from its JSON body.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiRequest {
    /// A chat (`/chat/completions`) or a plain prompt (`/completions`).
    pub input: ApiInput,
    /// Sampling, length, stop texts, JSON Schema.
    pub options: GenerateOptions,
    /// Send the answer piece by piece as server-sent events.
    pub stream: bool,
}

/// The text to answer: chat messages or a plain prompt.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiInput {
    /// `messages` of `/v1/chat/completions`.
    Chat(Vec<Message>),
    /// `prompt` of `/v1/completions`.
    Prompt(String),
}

impl ModelServer {
    /// Starts listening on `address` (a loopback address; port 0 picks a free port).
    /// `name` is the model name clients see in `/v1/models` and in answers.
    pub fn bind(model: LocalModel, name: &str, address: SocketAddr) -> Result<ModelServer> {
        ModelServer::check_loopback(address)?;
        let http = tiny_http::Server::http(address)
            .map_err(|e| Error::Refused(format!("cannot listen on {address}: {e}")))?;
        Ok(ModelServer {
            http,
            model,
            name: name.to_string(),
        })
    }

    /// Refuses an address other computers could reach.
    ///
    /// ```
    /// use clinkit::llm::serve::ModelServer;
    /// assert!(ModelServer::check_loopback("127.0.0.1:8080".parse().unwrap()).is_ok());
    /// let error = ModelServer::check_loopback("0.0.0.0:8080".parse().unwrap()).unwrap_err();
    /// assert!(error.to_string().contains("0.0.0.0"));
    /// ```
    pub fn check_loopback(address: SocketAddr) -> Result<()> {
        if address.ip().is_loopback() {
            return Ok(());
        }
        Err(Error::Refused(format!(
            "clinkit serve only listens on this machine (127.0.0.1 or ::1), not on {}: patient text must not be reachable from the network",
            address.ip()
        )))
    }

    /// The address it listens on (with the real port when 0 was asked for).
    pub fn address(&self) -> SocketAddr {
        self.http
            .server_addr()
            .to_ip()
            .expect("bound to an IP address")
    }

    /// The API root clients use, such as `http://127.0.0.1:8080/v1`.
    pub fn url(&self) -> String {
        format!("http://{}/v1", self.address())
    }

    /// Answers requests, one at a time, until the process ends.
    pub fn serve_forever(mut self) {
        while let Ok(request) = self.http.recv() {
            self.answer(request);
        }
    }

    /// Answers one request (errors become JSON error answers; the server goes on).
    fn answer(&mut self, request: Request) {
        let path = request.url().split('?').next().unwrap_or_default();
        let path = path.trim_end_matches('/').to_string();
        let chat = match (request.method(), path.as_str()) {
            (Method::Get, "/v1/models" | "/models") => {
                let _ = request.respond(json_response(200, &self.models()));
                return;
            }
            (Method::Post, "/v1/chat/completions" | "/chat/completions") => true,
            (Method::Post, "/v1/completions" | "/completions") => false,
            _ => {
                let message = format!("no such endpoint: {} {path}", request.method());
                let _ = request.respond(error_response(404, &message));
                return;
            }
        };
        self.answer_completion(request, chat);
    }

    fn models(&self) -> Value {
        json!({
            "object": "list",
            "data": [{"id": self.name, "object": "model", "owned_by": "clinkit"}],
        })
    }

    /// Reads a completion request, generates, and sends the answer (whole or streamed).
    fn answer_completion(&mut self, mut request: Request, chat: bool) {
        let api = read_body(&mut request).and_then(|body| parse_request(&body, chat));
        let api = match api {
            Ok(api) => api,
            Err(error) => {
                let _ = request.respond(error_response(status_of(&error), &error.to_string()));
                return;
            }
        };
        if !api.stream {
            let response = match self.run(&api.input, &api.options, &mut |_| {}) {
                Ok(completion) => json_response(200, &answer_json(&self.name, chat, &completion)),
                Err(error) => error_response(status_of(&error), &error.to_string()),
            };
            let _ = request.respond(response);
            return;
        }
        // Streaming: the generation runs here and sends each piece to a second thread,
        // which writes them to the client as server-sent events while they come.
        let (sender, receiver) = channel();
        let name = self.name.clone();
        std::thread::scope(|scope| {
            scope.spawn(move || respond_stream(request, EventReader::new(receiver)));
            let mut send = |piece: &str| {
                let _ = sender.send(event_bytes(&chunk_json(&name, chat, piece, None)));
            };
            let last = match self.run(&api.input, &api.options, &mut send) {
                Ok(completion) => chunk_json(&name, chat, "", Some(&completion)),
                Err(error) => error_json(&error.to_string()),
            };
            let _ = sender.send(event_bytes(&last));
            let _ = sender.send(b"data: [DONE]\n\n".to_vec());
            drop(sender); // the end of the answer: the writing thread sees it and finishes
        });
    }

    fn run(
        &mut self,
        input: &ApiInput,
        options: &GenerateOptions,
        on_text: &mut dyn FnMut(&str),
    ) -> Result<Completion> {
        match input {
            ApiInput::Chat(messages) => {
                let ids = self.model.chat_prompt(messages)?;
                self.model.generate_ids(&ids, options, on_text)
            }
            ApiInput::Prompt(prompt) => self.model.stream(prompt, options, on_text),
        }
    }
}

/// Sends the event stream as the HTTP answer (runs beside the generation).
fn respond_stream(request: Request, events: EventReader) {
    let header = Header::from_bytes("Content-Type", "text/event-stream").expect("a valid header");
    let response = Response::new(200.into(), vec![header], events, None, None);
    let _ = request.respond(response);
}

/// Reads what the generation sends, as the bytes of the HTTP answer.
struct EventReader {
    receiver: Receiver<Vec<u8>>,
    pending: Vec<u8>,
}

impl EventReader {
    fn new(receiver: Receiver<Vec<u8>>) -> EventReader {
        EventReader {
            receiver,
            pending: Vec::new(),
        }
    }
}

impl Read for EventReader {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        if self.pending.is_empty() {
            match self.receiver.recv() {
                Ok(bytes) => self.pending = bytes,
                Err(_) => return Ok(0), // the generation is done
            }
        }
        let n = buffer.len().min(self.pending.len());
        buffer[..n].copy_from_slice(&self.pending[..n]);
        self.pending.drain(..n);
        Ok(n)
    }
}

/// Reads an OpenAI-style request body. Errors name the field that is wrong.
///
/// ```
/// use clinkit::llm::serve::{parse_request, ApiInput};
/// let body = r#"{"messages": [{"role": "user", "content": "Hallo"}], "max_tokens": 5, "temperature": 0}"#;
/// let request = parse_request(body, true).unwrap();
/// assert_eq!(request.options.max_tokens, 5);
/// assert!(matches!(request.input, ApiInput::Chat(ref m) if m[0].content == "Hallo"));
/// let error = parse_request(r#"{"messages": "Hallo"}"#, true).unwrap_err().to_string();
/// assert!(error.contains("messages"), "{error}");
/// ```
pub fn parse_request(body: &str, chat: bool) -> Result<ApiRequest> {
    let value: Value = serde_json::from_str(body).map_err(|e| {
        Error::invalid(
            Location::file("request body").line(e.line()),
            format!("not valid JSON: {e}"),
        )
    })?;
    let input = if chat {
        ApiInput::Chat(messages_of(&value["messages"])?)
    } else {
        ApiInput::Prompt(prompt_of(&value["prompt"])?)
    };
    Ok(ApiRequest {
        input,
        options: options_of(&value)?,
        stream: value["stream"].as_bool().unwrap_or(false),
    })
}

fn read_body(request: &mut Request) -> Result<String> {
    let mut body = String::new();
    request
        .as_reader()
        .read_to_string(&mut body)
        .map_err(|e| Error::io("request body", e))?;
    Ok(body)
}

fn field_error(field: &str, message: impl Into<String>) -> Error {
    Error::invalid(Location::file("request body").field(field), message)
}

fn messages_of(value: &Value) -> Result<Vec<Message>> {
    let list = value
        .as_array()
        .filter(|list| !list.is_empty())
        .ok_or_else(|| {
            field_error(
                "messages",
                "give a non-empty list of {\"role\", \"content\"}",
            )
        })?;
    list.iter()
        .enumerate()
        .map(|(i, message)| {
            let role = match message["role"].as_str() {
                Some("system" | "developer") => Role::System,
                Some("user") => Role::User,
                Some("assistant") => Role::Assistant,
                other => {
                    return Err(field_error(
                        &format!("messages[{i}].role"),
                        format!("expected system, user or assistant, found {other:?}"),
                    ))
                }
            };
            let content = content_text(&message["content"])
                .ok_or_else(|| field_error(&format!("messages[{i}].content"), "give text"))?;
            Ok(Message { role, content })
        })
        .collect()
}

/// A message's text: a string, or a list of `{"type": "text", "text": ...}` parts.
fn content_text(value: &Value) -> Option<String> {
    if let Some(text) = value.as_str() {
        return Some(text.to_string());
    }
    let parts = value.as_array()?;
    let texts: Option<Vec<&str>> = parts.iter().map(|part| part["text"].as_str()).collect();
    texts.map(|texts| texts.concat())
}

fn prompt_of(value: &Value) -> Result<String> {
    match value {
        Value::String(prompt) => Ok(prompt.clone()),
        Value::Array(list) if list.len() == 1 && list[0].is_string() => {
            Ok(list[0].as_str().expect("checked").to_string())
        }
        _ => Err(field_error("prompt", "give the prompt as one string")),
    }
}

fn options_of(value: &Value) -> Result<GenerateOptions> {
    let defaults = GenerateOptions::default();
    let number = |name: &str| value[name].as_f64();
    let whole = |name: &str| -> Result<Option<usize>> {
        match &value[name] {
            Value::Null => Ok(None),
            v => v
                .as_u64()
                .map(|n| Some(n as usize))
                .ok_or_else(|| field_error(name, format!("expected a whole number, found {v}"))),
        }
    };
    let max_tokens = whole("max_tokens")?
        .or(whole("max_completion_tokens")?)
        .unwrap_or(defaults.max_tokens);
    let top_logprobs = match (&value["logprobs"], whole("top_logprobs")?) {
        (Value::Bool(true), n) => Some(n.unwrap_or(0)),
        (Value::Number(n), _) => n.as_u64().map(|n| n as usize),
        _ => None,
    };
    Ok(GenerateOptions {
        max_tokens,
        temperature: number("temperature").unwrap_or(1.0),
        top_k: whole("top_k")?.filter(|&k| k > 0),
        top_p: number("top_p").filter(|&p| p < 1.0),
        repeat_penalty: number("repeat_penalty").unwrap_or(1.0) as f32,
        seed: value["seed"].as_u64().unwrap_or(defaults.seed),
        stop: stops_of(&value["stop"])?,
        json_schema: schema_of(&value["response_format"])?,
        top_logprobs,
        ..defaults
    })
}

fn stops_of(value: &Value) -> Result<Vec<String>> {
    match value {
        Value::Null => Ok(Vec::new()),
        Value::String(stop) => Ok(vec![stop.clone()]),
        Value::Array(list) => list
            .iter()
            .map(|stop| {
                stop.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| field_error("stop", "give texts"))
            })
            .collect(),
        _ => Err(field_error("stop", "give a text or a list of texts")),
    }
}

/// The JSON Schema in `response_format`: `{"type": "json_schema", "json_schema": {"schema": ...}}`
/// (OpenAI, vLLM) or `{"type": "json_object", "schema": ...}` (llama.cpp); a plain
/// `json_object` means any JSON object.
fn schema_of(value: &Value) -> Result<Option<Value>> {
    match value["type"].as_str() {
        None | Some("text") => Ok(None),
        Some("json_schema") => value["json_schema"]["schema"]
            .as_object()
            .map(|schema| Some(Value::Object(schema.clone())))
            .ok_or_else(|| field_error("response_format.json_schema.schema", "give a JSON Schema")),
        Some("json_object") => Ok(Some(match &value["schema"] {
            Value::Null => json!({"type": "object"}),
            schema => schema.clone(),
        })),
        Some(other) => Err(field_error(
            "response_format.type",
            format!("expected text, json_object or json_schema, found {other}"),
        )),
    }
}

/// The whole answer, in the shape OpenAI clients read.
fn answer_json(model: &str, chat: bool, completion: &Completion) -> Value {
    let mut choice = json!({"index": 0, "finish_reason": reason(completion.finish_reason)});
    if chat {
        choice["message"] = json!({"role": "assistant", "content": completion.text});
    } else {
        choice["text"] = json!(completion.text);
    }
    if let Some(logprobs) = &completion.logprobs {
        choice["logprobs"] = logprobs_json(chat, logprobs);
    }
    json!({
        "id": "clinkit-completion",
        "object": if chat { "chat.completion" } else { "text_completion" },
        "model": model,
        "choices": [choice],
        "usage": usage_json(completion),
    })
}

/// One streamed event: a piece of text, or (with `done`) the finish reason and usage.
fn chunk_json(model: &str, chat: bool, piece: &str, done: Option<&Completion>) -> Value {
    let mut choice = json!({"index": 0, "finish_reason": Value::Null});
    if chat {
        choice["delta"] = json!({"content": piece});
    } else {
        choice["text"] = json!(piece);
    }
    let mut chunk = json!({
        "id": "clinkit-completion",
        "object": if chat { "chat.completion.chunk" } else { "text_completion" },
        "model": model,
    });
    if let Some(completion) = done {
        choice["finish_reason"] = json!(reason(completion.finish_reason));
        chunk["usage"] = usage_json(completion);
    }
    chunk["choices"] = json!([choice]);
    chunk
}

fn usage_json(completion: &Completion) -> Value {
    json!({
        "prompt_tokens": completion.prompt_tokens,
        "completion_tokens": completion.completion_tokens,
        "total_tokens": completion.prompt_tokens + completion.completion_tokens,
    })
}

fn reason(reason: FinishReason) -> &'static str {
    match reason {
        FinishReason::Stop => "stop",
        FinishReason::Length => "length",
    }
}

/// Log-probabilities in the endpoint's shape (chat: a `content` list; completions: lists
/// of tokens, their log-probabilities and `{token: logprob}` alternatives).
fn logprobs_json(chat: bool, logprobs: &[TokenLogprob]) -> Value {
    if chat {
        let content: Vec<Value> = logprobs
            .iter()
            .map(|step| {
                let top: Vec<Value> = step
                    .top
                    .iter()
                    .map(|(token, logprob)| json!({"token": token, "logprob": logprob}))
                    .collect();
                json!({"token": step.token, "logprob": step.logprob, "top_logprobs": top})
            })
            .collect();
        return json!({ "content": content });
    }
    let top: Vec<Value> = logprobs
        .iter()
        .map(|step| {
            let map: serde_json::Map<String, Value> = step
                .top
                .iter()
                .map(|(token, logprob)| (token.clone(), json!(logprob)))
                .collect();
            Value::Object(map)
        })
        .collect();
    json!({
        "tokens": logprobs.iter().map(|s| s.token.clone()).collect::<Vec<_>>(),
        "token_logprobs": logprobs.iter().map(|s| s.logprob).collect::<Vec<_>>(),
        "top_logprobs": top,
    })
}

fn error_json(message: &str) -> Value {
    json!({"error": {"message": message, "type": "invalid_request_error"}})
}

fn event_bytes(value: &Value) -> Vec<u8> {
    format!("data: {value}\n\n").into_bytes()
}

fn json_response(status: u16, value: &Value) -> Response<Box<dyn Read + Send>> {
    let bytes = value.to_string().into_bytes();
    let length = bytes.len();
    let header = Header::from_bytes("Content-Type", "application/json").expect("a valid header");
    Response::new(
        status.into(),
        vec![header],
        Box::new(std::io::Cursor::new(bytes)),
        Some(length),
        None,
    )
}

fn error_response(status: u16, message: &str) -> Response<Box<dyn Read + Send>> {
    json_response(status, &error_json(message))
}

/// Bad requests are the client's fault (400); a model that fails is the server's (500).
fn status_of(error: &Error) -> u16 {
    match error {
        Error::Invalid { .. } => 400,
        _ => 500,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_schema_styles_and_plain_json_objects_are_read() {
        let schema = json!({"type": "object", "properties": {"age": {"type": "integer"}}});
        let openai = json!({"type": "json_schema", "json_schema": {"name": "a", "schema": schema}});
        let llama = json!({"type": "json_object", "schema": schema});
        assert_eq!(schema_of(&openai).unwrap(), Some(schema.clone()));
        assert_eq!(schema_of(&llama).unwrap(), Some(schema));
        let any = schema_of(&json!({"type": "json_object"})).unwrap();
        assert_eq!(any, Some(json!({"type": "object"})));
        assert!(schema_of(&json!({"type": "xml"})).is_err());
    }

    #[test]
    fn sampling_fields_become_options() {
        let body = r#"{"prompt": "Pt.", "temperature": 0.7, "top_k": 5, "top_p": 0.9,
            "seed": 7, "stop": "\n", "logprobs": 3, "max_tokens": 9, "stream": true}"#;
        let request = parse_request(body, false).unwrap();
        assert_eq!(request.input, ApiInput::Prompt("Pt.".into()));
        let options = request.options;
        assert_eq!(
            (
                options.temperature,
                options.top_k,
                options.top_p,
                options.seed
            ),
            (0.7, Some(5), Some(0.9), 7)
        );
        assert_eq!(options.stop, vec!["\n".to_string()]);
        assert_eq!((options.top_logprobs, options.max_tokens), (Some(3), 9));
        assert!(request.stream);
        // OpenAI's default temperature is 1 (sampling), not greedy.
        let plain = parse_request(r#"{"prompt": "x"}"#, false).unwrap();
        assert_eq!(plain.options.temperature, 1.0);
    }

    #[test]
    fn wrong_fields_are_named() {
        let bad_role = r#"{"messages": [{"role": "bot", "content": "x"}]}"#;
        let error = parse_request(bad_role, true).unwrap_err().to_string();
        assert!(error.contains("messages[0].role"), "{error}");
        let bad_tokens = r#"{"prompt": "x", "max_tokens": -1}"#;
        let error = parse_request(bad_tokens, false).unwrap_err().to_string();
        assert!(error.contains("max_tokens"), "{error}");
        let error = parse_request("{", true).unwrap_err().to_string();
        assert!(error.contains("not valid JSON"), "{error}");
    }

    #[test]
    fn a_chat_answer_has_the_openai_shape() {
        let completion = Completion {
            text: "{\"age\":67}".into(),
            finish_reason: FinishReason::Stop,
            prompt_tokens: 12,
            completion_tokens: 5,
            logprobs: None,
            seconds: 0.1,
        };
        let answer = answer_json("gemma", true, &completion);
        assert_eq!(answer["choices"][0]["message"]["content"], "{\"age\":67}");
        assert_eq!(answer["choices"][0]["finish_reason"], "stop");
        assert_eq!(answer["usage"]["total_tokens"], 17);
        let chunk = chunk_json("gemma", false, "ab", None);
        assert_eq!(chunk["choices"][0]["text"], "ab");
        assert!(chunk["choices"][0]["finish_reason"].is_null());
    }
}
