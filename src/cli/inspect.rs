//! `clinkit inspect`: look inside the local language model while it reads a text: the
//! length of the hidden vector after each layer, one head's attention, the next tokens.

use std::path::PathBuf;

use crate::error::Result;
use crate::llm::inspect::inspect;
use crate::llm::local::LocalModel;

/// Arguments of `clinkit inspect`.
#[derive(Debug, clap::Args)]
pub struct InspectArgs {
    /// The text the model reads (about 30 tokens make a readable attention heatmap).
    pub text: String,
    /// A GGUF file, or a model name from `clinkit models list`.
    #[arg(long, default_value = "gemma-3-270m-q4_k_m")]
    pub model: String,
    /// The layer whose attention to show, counted from 0 (5 is Gemma 3's first global layer).
    #[arg(long, default_value_t = 5)]
    pub layer: usize,
    /// The attention head in that layer, counted from 0.
    #[arg(long, default_value_t = 0)]
    pub head: usize,
    /// How many of the most likely next tokens to list (at most 50).
    #[arg(long, default_value_t = 10)]
    pub top: usize,
    /// Write `attention.svg`, `norms.svg` and `next-tokens.svg` into this folder.
    #[arg(long, value_name = "DIR")]
    pub svg_dir: Option<PathBuf>,
    /// Print everything as one JSON document.
    #[arg(long)]
    pub json: bool,
    /// CPU threads to use.
    #[arg(long, default_value_t = 2)]
    pub threads: usize,
}

/// Runs `clinkit inspect`.
pub fn run(args: InspectArgs) -> Result<()> {
    crate::llm::set_threads(args.threads);
    let model = LocalModel::open(&args.model)?;
    let seen = inspect(&model, &args.text, args.layer, args.head)?;
    let next = seen.next_tokens(args.top);
    if let Some(dir) = &args.svg_dir {
        let charts = [
            ("attention", seen.attention_heatmap()),
            ("norms", seen.norms_chart()),
            ("next-tokens", next.chart()),
        ];
        for (name, chart) in charts {
            let path = dir.join(format!("{name}.svg"));
            chart.save(&path)?;
            eprintln!("wrote {}", path.display());
        }
    }
    if args.json {
        return super::print_json(&serde_json::json!({
            "tokens": seen.tokens,
            "token_ids": seen.token_ids,
            "steps": seen.step_names(),
            "last_token_norms": seen.last_token_norms(),
            "attention": seen.attention,
            "next_tokens": next,
        }));
    }
    println!("tokens: {:?}", seen.tokens);
    println!("\nlength of the last token's hidden vector:");
    for (step, norm) in seen.step_names().iter().zip(seen.last_token_norms()) {
        println!("  {step:<18} {norm:>10.1}");
    }
    println!("\nmost likely next tokens:\n{next}");
    Ok(())
}
