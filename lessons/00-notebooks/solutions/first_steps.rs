//! Exercise: your first Rust functions (reference solution).

use std::path::Path;

/// A greeting for a colleague: `greeting("Dr. Jansen")` is `"Hello, Dr. Jansen!"`.
pub fn greeting(name: &str) -> String {
    format!("Hello, {name}!")
}

/// How many letters the JSONL file at `path` holds, or the error that reading it gave.
pub fn count_letters(path: &Path) -> clinkit::Result<usize> {
    let letters = clinkit::data::read_jsonl(path)?;
    Ok(letters.len())
}
