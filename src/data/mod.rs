//! The files clinkit reads and writes: one document per line of a JSONL file.
//!
//! Gold standards (the right answers, made by a person or by the synthetic generator)
//! and predictions (what a rule or a model found) share one format, so that
//! `clinkit eval` can put them side by side:
//!
//! ```json
//! {"id": "ref-0001", "lang": "nl", "kind": "referral", "text": "...",
//!  "fields": {"age": {"value": 67, "spans": [[120, 126]]}},
//!  "phi": [{"start": 10, "end": 24, "type": "NAME"}]}
//! ```
//!
//! *JSONL* means "one JSON object per line". It is easy to append to, easy to read one
//! line at a time, and a broken line does not spoil the rest of the file.
//!
//! - [`Document`], [`FieldValue`], [`Grounded`], [`PhiSpan`]: the shapes of a line.
//! - [`read_jsonl`] and [`write_jsonl`]: files in and out, with errors that name the line and field.
//! - [`referral`]: the referral-letter schema, and a check that a document's fields follow it.

mod jsonl;
mod record;
pub mod referral;

pub use jsonl::{parse_jsonl_line, read_jsonl, read_jsonl_lines, to_jsonl_line, write_jsonl};
pub use record::{Document, FieldValue, Grounded, Lang, Part, PhiSpan, PhiType, SummaryLine};
