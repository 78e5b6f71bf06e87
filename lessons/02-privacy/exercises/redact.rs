//! Exercise: replace PHI by its type.
//!
//! A detector gives spans: where each piece of PHI starts and ends, counted in characters,
//! and what kind it is. Replacing them by `[NAME]`, `[DATE]`, ... keeps the letter readable
//! for research while the person behind it disappears. Careful: `ë` in "Patiënt" is one
//! character but two bytes, so cut by characters, never by byte positions.
//! Replace the `todo!()` with your code, then run `clinkit lessons check 02`.

use clinkit::data::PhiSpan;

/// `text` with every span of `phi` replaced by its type in brackets, such as `[NAME]`
/// (`phi.kind.as_str()` gives `"NAME"`). The spans do not overlap, but may come in any
/// order.
///
/// `"Patiënt Jansen, BSN 123456782."` with a NAME span 8..14 and a BSN span 20..29 becomes
/// `"Patiënt [NAME], BSN [BSN]."`.
pub fn redact(text: &str, phi: &[PhiSpan]) -> String {
    todo!("replace each span by its type")
}
