//! # clinkit
//!
//! Small, heavily documented building blocks for using language models on clinical
//! text, plus the tools that run them over real folders of documents.
//!
//! Each folder of `src/` is one idea you meet in the course:
//!
//! | module | the idea |
//! | --- | --- |
//! | [`text`] | a document is text; a [`text::Span`] points at a piece of it by character offsets |
//! | [`data`] | the JSONL files we read and write: gold labels, predictions, PHI spans |
//! | [`synth`] | fake but realistic Dutch and English clinical documents, with the right answers |
//! | [`extract`] | turning a letter into schema fields with evidence: the rules baseline, ConText |
//! | [`deid`] | finding names, dates, BSNs and other PHI in Dutch and English letters, and replacing them (tags, keyed pseudonyms, shifted dates) |
//! | [`summarise`] | referral summaries whose every statement points at its evidence; faithfulness, coverage, ROUGE-L |
//! | [`eval`] | precision, recall, F1, confidence intervals, error analysis, charts |
//! | [`tokenize`] | tokens, the pieces a model reads: BPE from scratch, real tokenizers, counts per document |
//! | [`kernel`] | the "Rust (clinkit)" Jupyter kernel, rich display of clinkit's values in notebooks, running notebooks headlessly |
//! | [`models`] | where the packaged models live on disk and whether their files are intact |
//! | [`error`] | errors that say what went wrong and where (file, line, field) |
//!
//! A first taste: read the committed synthetic referral letters, let the rules baseline
//! read them, and see how often it is right.
//!
//! ```
//! use clinkit::{data, eval, extract};
//! let path = concat!(env!("CARGO_MANIFEST_DIR"), "/datasets-synthetic/referrals/dev.jsonl");
//! let letters = data::read_jsonl(path.as_ref()).unwrap();
//! assert_eq!(letters.len(), 80);
//! let found: Vec<_> = letters.iter().map(extract::rules::extract).collect();
//! let report = eval::evaluate(&letters, &found, &eval::EvalOptions::default()).unwrap();
//! println!("rules baseline: micro F1 {:.2}", report.micro.scores.f1);
//! assert!(report.micro.scores.f1 > 0.5);
//! ```

pub mod course;
pub mod data;
pub mod deid;
pub mod embed;
pub mod error;
pub mod eval;
pub mod extract;
pub mod kernel;
pub mod llm;
pub mod models;
pub mod prompt;
pub mod summarise;
pub mod synth;
pub mod text;
pub mod tokenize;

#[cfg(feature = "cli")]
pub mod cli;

pub use error::{Error, Result};
