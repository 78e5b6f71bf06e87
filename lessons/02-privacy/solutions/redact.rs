//! Exercise: replace PHI by its type (reference solution).

use clinkit::data::PhiSpan;

/// `text` with every span of `phi` replaced by its type in brackets, such as `[NAME]`
/// (`phi.kind.as_str()` gives `"NAME"`). The spans do not overlap, but may come in any
/// order.
pub fn redact(text: &str, phi: &[PhiSpan]) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut spans = phi.to_vec();
    spans.sort_by_key(|span| span.start);
    let mut result = String::new();
    let mut i = 0;
    for span in spans {
        while i < span.start && i < chars.len() {
            result.push(chars[i]);
            i += 1;
        }
        result.push_str(&format!("[{}]", span.kind.as_str()));
        i = span.end;
    }
    while i < chars.len() {
        result.push(chars[i]);
        i += 1;
    }
    result
}
