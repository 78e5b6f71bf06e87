//! `clinkit generate`: let a local language model continue a prompt (or answer it as a chat).

use std::io::{Read, Write};
use std::path::PathBuf;

use crate::error::{Error, Result};
use crate::llm::local::LocalModel;
use crate::llm::{Backend, GenerateOptions, Message, Role};

/// Arguments of `clinkit generate`.
#[derive(Debug, clap::Args)]
pub struct GenerateArgs {
    /// A GGUF file, or a model name from `clinkit models list`.
    #[arg(long, default_value = crate::llm::local::DEFAULT_MODEL)]
    pub model: String,
    /// The prompt text (else `--prompt-file`, else standard input).
    #[arg(long, conflicts_with = "prompt_file")]
    pub prompt: Option<String>,
    /// A file holding the prompt.
    #[arg(long, value_name = "PATH")]
    pub prompt_file: Option<PathBuf>,
    /// Stop after this many new tokens.
    #[arg(long, default_value_t = 128)]
    pub max_tokens: usize,
    /// 0 = greedy (always the most likely token).
    #[arg(long, default_value_t = 0.0)]
    pub temperature: f64,
    /// Sample only among the k most likely tokens.
    #[arg(long)]
    pub top_k: Option<usize>,
    /// Sample only among the most likely tokens that together have probability p.
    #[arg(long)]
    pub top_p: Option<f64>,
    /// Above 1 makes recently seen tokens less likely.
    #[arg(long, default_value_t = 1.0)]
    pub repeat_penalty: f32,
    /// The random seed (same seed, same text).
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Stop when this text appears (may be given several times).
    #[arg(long)]
    pub stop: Vec<String>,
    /// Treat the prompt as a user message in the model's chat format.
    #[arg(long)]
    pub chat: bool,
    /// Print the text as it is generated.
    #[arg(long, conflicts_with = "json")]
    pub stream: bool,
    /// Print the completion as one JSON document.
    #[arg(long)]
    pub json: bool,
    /// CPU threads to use.
    #[arg(long, default_value_t = 2)]
    pub threads: usize,
    /// Only allow output that is valid JSON for the JSON Schema in this file (constrained decoding).
    #[arg(long, value_name = "FILE")]
    pub json_schema: Option<PathBuf>,
}

/// Runs `clinkit generate`.
pub fn run(args: GenerateArgs) -> Result<()> {
    let prompt = read_prompt(&args)?;
    let json_schema = match &args.json_schema {
        Some(path) => Some(crate::llm::constrain::read_json_schema(path)?),
        None => None,
    };
    crate::llm::set_threads(args.threads);
    let mut model = LocalModel::open(&args.model)?;
    let options = GenerateOptions {
        max_tokens: args.max_tokens,
        temperature: args.temperature,
        top_k: args.top_k,
        top_p: args.top_p,
        repeat_penalty: args.repeat_penalty,
        seed: args.seed,
        stop: args.stop.clone(),
        json_schema,
        ..GenerateOptions::default()
    };
    let mut stdout = std::io::stdout();
    let mut show = |piece: &str| {
        if args.stream {
            let _ = stdout.write_all(piece.as_bytes());
            let _ = stdout.flush();
        }
    };
    let completion = if args.chat {
        let ids = model.chat_prompt(&[Message {
            role: Role::User,
            content: prompt,
        }])?;
        model.generate_ids(&ids, &options, &mut show)?
    } else {
        model.stream(&prompt, &options, &mut show)?
    };
    if args.json {
        let json = serde_json::to_string_pretty(&completion)
            .map_err(|e| Error::invalid(Default::default(), e.to_string()))?;
        println!("{json}");
    } else if args.stream {
        println!();
    } else {
        println!("{}", completion.text);
    }
    eprintln!(
        "{} prompt tokens, {} generated in {:.2} s",
        completion.prompt_tokens, completion.completion_tokens, completion.seconds
    );
    Ok(())
}

fn read_prompt(args: &GenerateArgs) -> Result<String> {
    if let Some(prompt) = &args.prompt {
        return Ok(prompt.clone());
    }
    if let Some(path) = &args.prompt_file {
        return std::fs::read_to_string(path).map_err(|e| Error::io(path, e));
    }
    let mut prompt = String::new();
    std::io::stdin()
        .read_to_string(&mut prompt)
        .map_err(|e| Error::io("<stdin>", e))?;
    Ok(prompt)
}
