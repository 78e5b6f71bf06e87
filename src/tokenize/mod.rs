//! Tokens: the pieces a language model reads text in.
//!
//! A language model does not read letters or words; it reads *tokens*, numbered pieces
//! of text from a fixed vocabulary (Gemma 3 has 262,144 of them). Common words are one
//! token, rare words several, and the cutting is learned from data, not from a
//! dictionary: `NT-proBNP` or `2dd1` fall apart into odd pieces, and Dutch clinical text
//! takes more tokens than English text of the same length. Tokens are what a model's
//! context window is measured in, what an API bills, and what the model generates one at
//! a time, so it pays to look at them.
//!
//! | module or item | what it is |
//! | --- | --- |
//! | [`bpe`] | byte-pair encoding written from scratch: train your own, watch it merge step by step |
//! | [`HfTokenizer`] | a real model's tokenizer, from `tokenizer.json` or a GGUF file (feature `hf-tokenizers`) |
//! | [`gguf`] | building a real tokenizer from a GGUF file's metadata, exactly as llama.cpp tokenizes (feature `hf-tokenizers`) |
//! | [`gguf_file`] | reading a GGUF file's metadata: what is inside a local model file |
//! | [`Tokens`] | tokens with where they sit in the text: `[Geen][ diabetes]`, or coloured in a notebook |
//! | [`TokenCounts`], [`ContextCheck`] | tokens per document, and "does it fit in a context window of N" |
//!
//! ```
//! use clinkit::tokenize::{bpe::{Bpe, TrainOptions, GPT4_PATTERN}, ContextCheck, TextTokenizer};
//! let corpus = "Patiënt heeft geen diabetes. Patiënt rookt niet. ".repeat(30);
//! let bpe = Bpe::train(&corpus, &TrainOptions::new(320).with_pattern(GPT4_PATTERN)).unwrap();
//! let tokens = bpe.tokenize("Patiënt heeft geen koorts.").unwrap();
//! println!("{tokens}"); // [Patiënt][ heeft][ geen][ k][o][or][ts][.] or so
//! println!("{}", ContextCheck::new(tokens.len(), 8));
//! ```

mod count;
mod display;

pub mod bpe;
pub mod gguf_file;

#[cfg(feature = "hf-tokenizers")]
pub mod gguf;
#[cfg(feature = "hf-tokenizers")]
mod hf;

pub use count::{ContextCheck, DocumentCount, TextTokenizer, TokenCounts};
pub use display::{escape_html, Token, Tokens};
#[cfg(feature = "hf-tokenizers")]
pub use hf::{HfTokenizer, Truncated};
