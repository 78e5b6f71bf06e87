//! De-identification (temporary header).

mod addresses;
mod ages;
mod dates;
mod detector;
mod ids;
mod institutions;
pub mod lexicon;
mod names;
mod patterns;

pub use dates::{shift_iso_date, WrittenDate};
pub use detector::{detect, detect_document};
pub use lexicon::{is_eponym, month_number, number_word_value};
