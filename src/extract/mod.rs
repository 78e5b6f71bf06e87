//! Extraction: turning a letter into the fields of a schema, each with its evidence.
//!
//! - [`context`]: is a mention present, denied, past, in the family, or hypothetical?
//! - [`rules`]: the rules baseline, regular expressions and word lists, no model.
//!   Every model must beat it to be worth its cost.
//! - [`input`]: the documents of a batch: a folder (.txt, .md, .pdf, .docx), a CSV, a JSONL file.
//! - [`batch`]: the batch runner: parallel, resumable after a kill, shardable for a cluster.
//! - [`output`]: what a batch writes: JSONL for `clinkit eval`, a CSV for an EDC, an HTML review page.

pub mod batch;
pub mod context;
pub mod input;
pub mod output;
pub mod rules;
