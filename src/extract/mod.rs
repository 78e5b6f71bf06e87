//! Extraction: turning a letter into the fields of a schema, each with its evidence.
//!
//! - [`context`]: is a mention present, denied, past, in the family, or hypothetical?
//! - [`rules`]: the rules baseline, regular expressions and word lists, no model.
//!   Every model must beat it to be worth its cost.

pub mod context;
pub mod rules;
