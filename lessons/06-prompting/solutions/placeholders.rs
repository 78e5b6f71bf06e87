//! Exercise: fill a prompt template's placeholders, and refuse a broken template
//! (reference solution).

/// `template` with every `{document}` replaced by `document` and every `{schema}` by
/// `schema`. Errors (with a message that names the problem):
/// - a placeholder with another name, such as `{documnet}`;
/// - a `{` that is never closed by `}`;
/// - a template without `{document}` (the model would never see the letter).
pub fn fill(template: &str, document: &str, schema: &str) -> Result<String, String> {
    let mut filled = String::new();
    let mut saw_document = false;
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        filled.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            return Err("a `{` that is never closed".to_string());
        };
        match &after[..close] {
            "document" => {
                filled.push_str(document);
                saw_document = true;
            }
            "schema" => filled.push_str(schema),
            other => return Err(format!("unknown placeholder {{{other}}}")),
        }
        rest = &after[close + 1..];
    }
    filled.push_str(rest);
    if !saw_document {
        return Err("the template never shows the document: add {document}".to_string());
    }
    Ok(filled)
}
