//! Exercise: fill a prompt template's placeholders, and refuse a broken template.
//!
//! A prompt template is a fixed text with holes: `{document}` is where the letter goes,
//! `{schema}` where the list of fields goes. A misspelled hole (`{documnet}`) must be an
//! error: otherwise the model gets a prompt without the letter, and answers anyway.
//! Replace the `todo!()` with your code, then run `clinkit lessons check 06`.

/// `template` with every `{document}` replaced by `document` and every `{schema}` by
/// `schema`. Errors (with a message that names the problem):
/// - a placeholder with another name, such as `{documnet}`;
/// - a `{` that is never closed by `}`;
/// - a template without `{document}` (the model would never see the letter).
///
/// `fill("Fields:\n{schema}\nLetter:\n{document}", "Pt. 67 jr.", "- age")` is
/// `Ok("Fields:\n- age\nLetter:\nPt. 67 jr.".to_string())`.
pub fn fill(template: &str, document: &str, schema: &str) -> Result<String, String> {
    todo!("fill the placeholders of the template")
}
