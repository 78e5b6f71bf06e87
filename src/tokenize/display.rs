//! Showing tokens: `[Geen][ diabetes]` in a terminal, coloured boxes in a notebook.

use std::fmt;

use serde::Serialize;

pub use crate::text::escape_html;
use crate::text::{CharIndex, Span};

/// One token: its number, its text in the vocabulary, and where it sits in the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Token {
    /// The token's number in the vocabulary (what the model really sees).
    pub id: u32,
    /// The token as the vocabulary writes it: `▁diabetes` (SentencePiece marks a space
    /// with `▁`), `Ġdiabetes` (GPT-2 does it with `Ġ`), `<0xC3>` for a single byte,
    /// `<bos>` for a special token.
    pub piece: String,
    /// The characters of the text this token covers (empty for an added special token
    /// such as `<bos>`). Tokens that are pieces of one character share its span.
    pub span: Span,
    /// True for special tokens (begin of text, end of turn, ...), which are not text.
    pub special: bool,
}

/// A text and its tokens, ready to print or to show in a notebook.
///
/// `Display` writes each token in brackets, as the text it covers: `[Geen][ diabetes]`
/// (newlines and tabs written as `\n` and `\t`; special tokens and byte pieces by their
/// vocabulary name, such as `[<bos>]` or `[<0xF0>]`). In a notebook the value shows as
/// coloured boxes with the token number on hover.
///
/// ```
/// use clinkit::text::Span;
/// use clinkit::tokenize::{Token, Tokens};
/// let tokens = Tokens::new("Geen diabetes", vec![
///     Token { id: 2, piece: "<bos>".into(), span: Span::new(0, 0), special: true },
///     Token { id: 7, piece: "Geen".into(), span: Span::new(0, 4), special: false },
///     Token { id: 9, piece: "▁diabetes".into(), span: Span::new(4, 13), special: false },
/// ]);
/// assert_eq!(tokens.to_string(), "[<bos>][Geen][ diabetes]");
/// assert_eq!(tokens.len(), 3);
/// assert_eq!(tokens.ids(), [2, 7, 9]);
/// assert!(tokens.to_html().contains("title=\"9 ▁diabetes\""));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Tokens {
    text: String,
    tokens: Vec<Token>,
}

/// Background colours for neighbouring tokens (light, so the text stays readable).
const COLOURS: [&str; 6] = [
    "#ffe58f", "#b7eb8f", "#91caff", "#ffadd2", "#d3adf7", "#87e8de",
];

impl Tokens {
    /// Puts a text and its tokens together.
    pub fn new(text: impl Into<String>, tokens: Vec<Token>) -> Tokens {
        Tokens {
            text: text.into(),
            tokens,
        }
    }

    /// The text that was tokenized.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The tokens, in order.
    pub fn tokens(&self) -> &[Token] {
        &self.tokens
    }

    /// How many tokens there are (what counts for a context window and for the bill).
    pub fn len(&self) -> usize {
        self.tokens.len()
    }

    /// True when there are no tokens (an empty text without special tokens).
    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty()
    }

    /// The token numbers, in order.
    pub fn ids(&self) -> Vec<u32> {
        self.tokens.iter().map(|token| token.id).collect()
    }

    /// What to show for token `index`: the text it covers, or its vocabulary name when
    /// it covers no text of its own (a special token, or one byte of a character).
    ///
    /// ```
    /// use clinkit::text::Span;
    /// use clinkit::tokenize::{Token, Tokens};
    /// // `🫀` is not in this vocabulary: it is written as four byte tokens.
    /// let bytes = ["<0xF0>", "<0x9F>", "<0xAB>", "<0x80>"];
    /// let tokens: Vec<Token> = bytes.iter().enumerate().map(|(i, piece)| Token {
    ///     id: 240 + i as u32, piece: piece.to_string(), span: Span::new(0, 1), special: false,
    /// }).collect();
    /// let tokens = Tokens::new("🫀", tokens);
    /// assert_eq!(tokens.label(0), "<0xF0>");
    /// assert_eq!(tokens.to_string(), "[<0xF0>][<0x9F>][<0xAB>][<0x80>]");
    /// ```
    pub fn label(&self, index: usize) -> String {
        let index_of_chars = CharIndex::new(&self.text);
        self.label_with(&index_of_chars, index)
    }

    fn label_with(&self, chars: &CharIndex, index: usize) -> String {
        let token = &self.tokens[index];
        let shares_span = |other: Option<&Token>| other.is_some_and(|o| o.span == token.span);
        let shared = shares_span(index.checked_sub(1).and_then(|i| self.tokens.get(i)))
            || shares_span(self.tokens.get(index + 1));
        if token.special || token.span.is_empty() || shared {
            return token.piece.clone();
        }
        chars
            .slice(token.span)
            .map_or_else(|| token.piece.clone(), str::to_string)
    }

    fn labels(&self) -> Vec<String> {
        let chars = CharIndex::new(&self.text);
        (0..self.tokens.len())
            .map(|index| self.label_with(&chars, index))
            .collect()
    }

    /// The tokens as coloured HTML boxes (the token number and vocabulary piece show when
    /// you hover), with text escaped so `<` and `&` in a letter show as themselves.
    pub fn to_html(&self) -> String {
        let mut html = String::from(
            "<div style=\"font-family:monospace;line-height:1.9;white-space:pre-wrap\">",
        );
        for (index, (token, label)) in self.tokens.iter().zip(self.labels()).enumerate() {
            let colour = if token.special {
                "#d9d9d9"
            } else {
                COLOURS[index % COLOURS.len()]
            };
            let shown = escape_html(&label)
                .replace('\n', "\u{21b5}\n")
                .replace('\t', "\u{2192}\t");
            html.push_str(&format!(
                "<span title=\"{} {}\" style=\"background:{colour};border-radius:3px;\
                 padding:1px 0;margin-right:1px\">{shown}</span>",
                token.id,
                escape_html(&token.piece)
            ));
        }
        html.push_str(&format!(
            "<div style=\"color:#666;font-size:smaller\">{} tokens, {} characters</div></div>",
            self.len(),
            crate::text::char_len(&self.text)
        ));
        html
    }

    /// The text evcxr reads to show rich output: `EVCXR_BEGIN_CONTENT text/html`, the
    /// HTML, `EVCXR_END_CONTENT`.
    pub fn evcxr_content(&self) -> String {
        format!(
            "EVCXR_BEGIN_CONTENT text/html\n{}\nEVCXR_END_CONTENT",
            self.to_html()
        )
    }

    /// Shows the tokens as coloured boxes in a notebook (evcxr calls this for a cell's value).
    pub fn evcxr_display(&self) {
        println!("{}", self.evcxr_content());
    }
}

impl fmt::Display for Tokens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for label in self.labels() {
            write!(f, "[{}]", visible_whitespace(&label))?;
        }
        Ok(())
    }
}

/// Newlines, tabs and carriage returns written as `\n`, `\t`, `\r` (one line per text).
fn visible_whitespace(text: &str) -> String {
    text.replace('\n', "\\n")
        .replace('\t', "\\t")
        .replace('\r', "\\r")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_escapes_the_text_and_marks_newlines() {
        let tokens = Tokens::new(
            "<b>\n",
            vec![
                Token {
                    id: 1,
                    piece: "<b>".into(),
                    span: Span::new(0, 3),
                    special: false,
                },
                Token {
                    id: 2,
                    piece: "\n".into(),
                    span: Span::new(3, 4),
                    special: false,
                },
            ],
        );
        let html = tokens.to_html();
        assert!(html.contains(">&lt;b&gt;</span>"), "{html}");
        assert!(html.contains("\u{21b5}\n</span>"), "{html}");
        assert!(!html.contains("<b>"), "{html}");
        assert_eq!(tokens.to_string(), "[<b>][\\n]");
    }
}
