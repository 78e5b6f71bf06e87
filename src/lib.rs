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
//! | [`models`] | where the packaged models live on disk and whether their files are intact |
//! | [`error`] | errors that say what went wrong and where (file, line, field) |
//!
//! A first taste: read the committed synthetic referral letters and look at one.
//!
//! ```
//! let letters = clinkit::data::read_jsonl(
//!     std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/datasets-synthetic/referrals/dev.jsonl")),
//! ).unwrap();
//! assert!(!letters.is_empty());
//! println!("{} letters, the first one is {} characters long", letters.len(), letters[0].char_len());
//! ```

pub mod data;
pub mod error;
pub mod eval;
pub mod extract;
pub mod models;
pub mod synth;
pub mod text;

#[cfg(feature = "cli")]
pub mod cli;

pub use error::{Error, Result};
