//! Putting document text safely into HTML pages (reports, review pages, notebooks).

/// Makes text safe to put inside HTML: `<`, `>`, `&`, `"` and `'` become entities, so a
/// letter that contains `<b>` shows those characters instead of making text bold.
///
/// ```
/// assert_eq!(clinkit::text::escape_html("<script>&\"'"), "&lt;script&gt;&amp;&quot;&#39;");
/// ```
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
    out
}
