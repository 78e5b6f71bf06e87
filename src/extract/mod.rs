//! Extraction: turning a letter into the fields of a schema, each with its evidence.
//!
//! - [`context`]: is a mention present, denied, past, in the family, or hypothetical?
//! - [`grounding`]: where in the text is the evidence for a value (exact, fuzzy, not found)?
//! - [`rules`]: the rules baseline, regular expressions and word lists, no model.
//!   Every model must beat it to be worth its cost.
//! - [`schema`]: the fields to extract, as Rust types and JSON Schema files (`schemas/`).
//! - [`llm`]: extraction with a language model: retrieve, prompt, parse, ground, merge by date.
//! - [`input`]: the documents of a batch: a folder (.txt, .md, .pdf, .docx), a CSV, a JSONL file.
//! - [`batch`]: the batch runner: parallel, resumable after a kill, shardable for a cluster.
//! - [`output`]: what a batch writes: JSONL for `clinkit eval`, a CSV for an EDC, an HTML review page.

pub mod batch;
pub mod context;
pub mod grounding;
pub mod input;
pub mod llm;
pub mod output;
pub mod rules;
pub mod schema;
