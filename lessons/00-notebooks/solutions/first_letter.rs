//! Exercise: find one letter among many (reference solution).

use clinkit::data::Document;

/// The language (`"nl"` or `"en"`) of the letter with this `id`, or `None`.
pub fn language_of(letters: &[Document], id: &str) -> Option<String> {
    letters
        .iter()
        .find(|letter| letter.id == id)
        .map(|letter| letter.lang.code().to_string())
}
