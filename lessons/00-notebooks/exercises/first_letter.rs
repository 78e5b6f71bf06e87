//! Exercise: find one letter among many.
//!
//! Replace the `todo!()` with your code, then run `clinkit lessons check 00`.

use clinkit::data::Document;

/// The language (`"nl"` or `"en"`) of the letter with this `id`, or `None` when no
/// letter has that id.
pub fn language_of(letters: &[Document], id: &str) -> Option<String> {
    todo!("find the letter, then turn its language into text")
}
