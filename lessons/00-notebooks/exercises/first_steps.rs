//! Exercise: your first Rust functions.
//!
//! Replace each `todo!()` with your code, then run `clinkit lessons check 00`.

use std::path::Path;

/// A greeting for a colleague: `greeting("Dr. Jansen")` is `"Hello, Dr. Jansen!"`.
pub fn greeting(name: &str) -> String {
    todo!("build the greeting with format!")
}

/// How many letters the JSONL file at `path` holds (one letter a line), or the error
/// that reading it gave.
pub fn count_letters(path: &Path) -> clinkit::Result<usize> {
    todo!("read the file with clinkit::data::read_jsonl and count the documents")
}
