//! Language models: a model reads tokens and gives, for every possible next token, a
//! probability. Generating text is asking that question again and again.
//!
//! Everything that can generate text in clinkit is a [`Backend`]: the local candle model
//! (in-process, from a GGUF file) and a hospital's model server (OpenAI-compatible HTTP).
//! Code that extracts or summarises only talks to the trait, so an intern can swap a local
//! model for a server by changing one line.
//!
//! ```
//! use clinkit::llm::{GenerateOptions, Message, Role};
//! let options = GenerateOptions { max_tokens: 32, ..GenerateOptions::default() };
//! assert_eq!(options.temperature, 0.0); // greedy: always the most likely token
//! let question = Message { role: Role::User, content: "Hoe oud is de patiënt?".into() };
//! assert_eq!(question.role, Role::User);
//! ```

#[cfg(feature = "models")]
pub mod activation;
#[cfg(feature = "models")]
pub mod constrain;
#[cfg(feature = "models")]
pub mod gemma3;
#[cfg(feature = "models")]
pub mod gguf;
#[cfg(feature = "models")]
pub mod inspect;
#[cfg(feature = "models")]
pub mod llama;
#[cfg(feature = "models")]
pub mod local;
#[cfg(feature = "models")]
pub mod network;
#[cfg(feature = "models")]
pub mod q8;
pub mod sample;
#[cfg(feature = "serve")]
pub mod serve;
#[cfg(feature = "models")]
pub mod transformer;

use serde::{Deserialize, Serialize};

/// Sets how many CPU threads the local models use (call it once, before loading a model).
///
/// candle would otherwise guess from the machine (on a 2-vCPU virtual machine it may guess 1).
///
/// ```
/// clinkit::llm::set_threads(2);
/// ```
#[cfg(feature = "models")]
pub fn set_threads(threads: usize) {
    // candle's quantized matmuls read CANDLE_NUM_THREADS once, when they first run; its
    // other kernels use rayon's global pool, which can be built once (a second call keeps
    // the first pool). Its float matrix products read RAYON_NUM_THREADS at every call and,
    // when it is not set, work the count out from files under /sys and /proc each time:
    // about a tenth of the time of picking a token after a long prompt.
    for key in ["CANDLE_NUM_THREADS", "RAYON_NUM_THREADS"] {
        if std::env::var_os(key).is_none() {
            set_environment(key, &threads.max(1).to_string());
        }
    }
    let _ = rayon::ThreadPoolBuilder::new()
        .num_threads(threads.max(1))
        .build_global();
}

#[cfg(feature = "models")]
fn set_environment(key: &str, value: &str) {
    std::env::set_var(key, value);
}

use crate::Result;

pub mod egress;
#[cfg(feature = "http")]
pub mod openai;

/// Who says a message in a chat: the instructions (`System`), the person (`User`), or the model (`Assistant`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Instructions that frame the whole conversation.
    System,
    /// What the person asks.
    User,
    /// What the model answered.
    Assistant,
}

/// One message of a chat.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    /// Who says it.
    pub role: Role,
    /// What is said.
    pub content: String,
}

/// How to pick tokens and when to stop.
///
/// The defaults are greedy decoding (temperature 0: always the most likely token), which is
/// what extraction wants: the same letter gives the same answer every time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct GenerateOptions {
    /// Stop after this many new tokens.
    pub max_tokens: usize,
    /// 0 = greedy. Higher values flatten the probabilities (more surprising text).
    pub temperature: f64,
    /// Only sample among the `k` most likely tokens (`None` = all).
    pub top_k: Option<usize>,
    /// Only sample among the most likely tokens whose probabilities add up to `p` (`None` = all).
    pub top_p: Option<f64>,
    /// Values above 1 make tokens that already appeared less likely (1 = off).
    pub repeat_penalty: f32,
    /// How many recent tokens the repetition penalty looks at.
    pub repeat_last_n: usize,
    /// The random seed: the same seed and prompt give the same text.
    pub seed: u64,
    /// Stop as soon as the text contains one of these (the stop text is not returned).
    pub stop: Vec<String>,
    /// Only allow output that is valid JSON for this JSON Schema.
    pub json_schema: Option<serde_json::Value>,
    /// Also return, for every generated token, the log-probabilities of this many top alternatives.
    pub top_logprobs: Option<usize>,
}

impl Default for GenerateOptions {
    fn default() -> Self {
        GenerateOptions {
            max_tokens: 256,
            temperature: 0.0,
            top_k: None,
            top_p: None,
            repeat_penalty: 1.0,
            repeat_last_n: 64,
            seed: 42,
            stop: Vec::new(),
            json_schema: None,
            top_logprobs: None,
        }
    }
}

/// One generated token with its log-probability (for teaching: how sure was the model?).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TokenLogprob {
    /// The token's text.
    pub token: String,
    /// Natural log of its probability (0 = certain, -2.3 = 10%).
    pub logprob: f32,
    /// The most likely alternatives at that position, most likely first.
    pub top: Vec<(String, f32)>,
}

/// Why generation stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FinishReason {
    /// The model produced its end-of-text token, a stop text, or a complete JSON document.
    Stop,
    /// `max_tokens` was reached.
    Length,
}

/// What a backend returns: the text and how much work it took.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Completion {
    /// The generated text (without the prompt).
    pub text: String,
    /// Why it stopped.
    pub finish_reason: FinishReason,
    /// Tokens in the prompt.
    pub prompt_tokens: usize,
    /// Tokens generated.
    pub completion_tokens: usize,
    /// Per-token log-probabilities, when asked for with `top_logprobs`.
    pub logprobs: Option<Vec<TokenLogprob>>,
    /// Wall-clock seconds spent.
    pub seconds: f64,
}

/// Anything that generates text: a local model or a model server.
pub trait Backend: Send {
    /// A short name for reports, such as `candle:gemma-3-270m` or `http://127.0.0.1:8080`.
    fn name(&self) -> String;

    /// Continues `prompt` (plain text completion, no chat template).
    fn complete(&mut self, prompt: &str, options: &GenerateOptions) -> Result<Completion> {
        self.stream(prompt, options, &mut |_| {})
    }

    /// Continues `prompt` and calls `on_text` with each new piece of text as soon as it exists.
    fn stream(
        &mut self,
        prompt: &str,
        options: &GenerateOptions,
        on_text: &mut dyn FnMut(&str),
    ) -> Result<Completion>;

    /// Answers a chat (the backend applies its model's chat format).
    fn chat(&mut self, messages: &[Message], options: &GenerateOptions) -> Result<Completion>;
}

/// Restricts which token may come next: the heart of constrained decoding.
///
/// Before each token is sampled, the backend asks the constraint which tokens are still
/// allowed (for JSON: only those that keep the text a valid start of a schema-valid
/// document) and sets the others' probability to zero. After sampling it tells the
/// constraint which token was chosen.
pub trait TokenConstraint: Send {
    /// Sets `allowed[id] = false` for every token id that may not come next.
    fn mask(&mut self, allowed: &mut [bool]) -> Result<()>;
    /// Records that `token` was chosen.
    fn accept(&mut self, token: u32) -> Result<()>;
    /// True once the output is complete (for JSON: the document is closed).
    fn is_finished(&self) -> bool;
    /// Tokens that are the only possible continuation now (after `{` with one required
    /// field, its name must follow), already recorded as accepted: the backend appends
    /// them to the output and lets the model read them, without sampling. Call it after
    /// [`TokenConstraint::accept`] (and once before the first token). The default forces nothing.
    fn forced_tokens(&mut self) -> Result<Vec<u32>> {
        Ok(Vec::new())
    }
}
