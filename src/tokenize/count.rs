//! Counting tokens per document, and whether a document fits in a model's context window.

use std::fmt;

use serde::Serialize;

use crate::data::Document;
use crate::error::Result;
use crate::tokenize::display::escape_html;
use crate::tokenize::Tokens;

/// Anything that cuts text into tokens: clinkit's own [`crate::tokenize::bpe::Bpe`], and
/// (with the `hf-tokenizers` feature) real model tokenizers.
///
/// ```
/// use clinkit::tokenize::{bpe::Bpe, TextTokenizer};
/// let bytes_only = Bpe::from_merges(vec![], None, &[]).unwrap();
/// assert_eq!(bytes_only.count("één").unwrap(), 5); // five UTF-8 bytes
/// ```
pub trait TextTokenizer {
    /// A short name for reports, such as `gemma-3-270m-q4_k_m.gguf`.
    fn name(&self) -> String;

    /// The tokens of `text`, with where each sits in the text.
    fn tokenize(&self, text: &str) -> Result<Tokens>;

    /// How many tokens `text` takes.
    fn count(&self, text: &str) -> Result<usize> {
        Ok(self.tokenize(text)?.len())
    }
}

impl TextTokenizer for crate::tokenize::bpe::Bpe {
    fn name(&self) -> String {
        format!("clinkit BPE ({} tokens)", self.vocab_size())
    }

    fn tokenize(&self, text: &str) -> Result<Tokens> {
        Ok(self.tokens(text))
    }

    fn count(&self, text: &str) -> Result<usize> {
        Ok(self.encode(text).len())
    }
}

/// Whether a number of tokens fits in a context window (the most tokens a model reads
/// at once, prompt and answer together).
///
/// ```
/// use clinkit::tokenize::ContextCheck;
/// let check = ContextCheck::new(3_200, 4_096);
/// assert!(check.fits);
/// assert_eq!(check.to_string(), "3200 tokens: fits in a context window of 4096 (896 to spare)");
/// let check = ContextCheck::new(5_000, 4_096);
/// assert_eq!(check.to_string(), "5000 tokens: does not fit in a context window of 4096 (904 too many)");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ContextCheck {
    /// The number of tokens.
    pub tokens: usize,
    /// The context window, in tokens.
    pub window: usize,
    /// True when `tokens <= window`.
    pub fits: bool,
}

impl ContextCheck {
    /// Checks `tokens` against a context window of `window` tokens.
    pub fn new(tokens: usize, window: usize) -> ContextCheck {
        ContextCheck {
            tokens,
            window,
            fits: tokens <= window,
        }
    }
}

impl fmt::Display for ContextCheck {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.fits {
            write!(
                f,
                "{} tokens: fits in a context window of {} ({} to spare)",
                self.tokens,
                self.window,
                self.window - self.tokens
            )
        } else {
            write!(
                f,
                "{} tokens: does not fit in a context window of {} ({} too many)",
                self.tokens,
                self.window,
                self.tokens - self.window
            )
        }
    }
}

/// The token count of one document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocumentCount {
    /// The document's id.
    pub id: String,
    /// Its length in characters.
    pub chars: usize,
    /// Its length in tokens.
    pub tokens: usize,
    /// Whether it fits in the context window, if one was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fits: Option<bool>,
}

/// Token counts for a set of documents, with totals. Prints as a table; shows as an HTML
/// table in a notebook.
///
/// ```
/// use clinkit::data::{Document, Lang};
/// use clinkit::tokenize::{bpe::Bpe, TokenCounts};
/// let bytes_only = Bpe::from_merges(vec![], None, &[]).unwrap();
/// let letters = [
///     Document::new("a", Lang::Nl, "referral", "Geen diabetes."),
///     Document::new("b", Lang::Nl, "referral", "Bekend met AF."),
/// ];
/// let counts = TokenCounts::of(&bytes_only, &letters, Some(14)).unwrap();
/// assert_eq!(counts.total_tokens(), 28);
/// assert_eq!(counts.fitting(), Some(2));
/// assert!(counts.to_string().contains("2 of 2 documents fit in 14 tokens"));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TokenCounts {
    /// The tokenizer's name.
    pub tokenizer: String,
    /// One count per document, in input order.
    pub documents: Vec<DocumentCount>,
    /// The context window the documents were checked against, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub window: Option<usize>,
}

impl TokenCounts {
    /// Counts the tokens of every document with `tokenizer`, checking each against
    /// `window` if given.
    pub fn of(
        tokenizer: &dyn TextTokenizer,
        documents: &[Document],
        window: Option<usize>,
    ) -> Result<TokenCounts> {
        let counts = documents
            .iter()
            .map(|document| {
                let tokens = tokenizer.count(&document.text)?;
                Ok(DocumentCount {
                    id: document.id.clone(),
                    chars: document.char_len(),
                    tokens,
                    fits: window.map(|window| tokens <= window),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(TokenCounts {
            tokenizer: tokenizer.name(),
            documents: counts,
            window,
        })
    }

    /// All tokens together.
    pub fn total_tokens(&self) -> usize {
        self.documents.iter().map(|count| count.tokens).sum()
    }

    /// All characters together.
    pub fn total_chars(&self) -> usize {
        self.documents.iter().map(|count| count.chars).sum()
    }

    /// The longest document in tokens.
    pub fn max_tokens(&self) -> usize {
        self.documents
            .iter()
            .map(|count| count.tokens)
            .max()
            .unwrap_or(0)
    }

    /// How many documents fit in the window (`None` without a window).
    pub fn fitting(&self) -> Option<usize> {
        self.window?;
        Some(
            self.documents
                .iter()
                .filter(|count| count.fits == Some(true))
                .count(),
        )
    }

    /// Characters per token over all documents (about 4 for English with GPT tokenizers;
    /// lower for Dutch clinical text, which means more tokens for the same letter).
    pub fn chars_per_token(&self) -> f64 {
        self.total_chars() as f64 / self.total_tokens().max(1) as f64
    }

    /// The last line of the table: totals and, with a window, how many fit.
    fn summary(&self) -> String {
        let mut line = format!(
            "{} documents, {} tokens ({:.2} characters per token), longest {} tokens",
            self.documents.len(),
            self.total_tokens(),
            self.chars_per_token(),
            self.max_tokens()
        );
        if let (Some(window), Some(fitting)) = (self.window, self.fitting()) {
            line.push_str(&format!(
                "; {fitting} of {} documents fit in {window} tokens",
                self.documents.len()
            ));
        }
        line
    }

    /// The counts as an HTML table.
    pub fn to_html(&self) -> String {
        let mut html = format!(
            "<table><caption>{}</caption><tr><th>document</th><th>characters</th><th>tokens</th>{}</tr>",
            escape_html(&self.tokenizer),
            if self.window.is_some() { "<th>fits</th>" } else { "" }
        );
        for count in &self.documents {
            let fits = match count.fits {
                Some(true) => "<td>yes</td>",
                Some(false) => "<td style=\"color:#c00\">no</td>",
                None => "",
            };
            html.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td>{fits}</tr>",
                escape_html(&count.id),
                count.chars,
                count.tokens
            ));
        }
        html.push_str(&format!("</table><p>{}</p>", escape_html(&self.summary())));
        html
    }

    /// Shows the table in a notebook (evcxr calls this for a cell's value).
    pub fn evcxr_display(&self) {
        println!(
            "EVCXR_BEGIN_CONTENT text/html\n{}\nEVCXR_END_CONTENT",
            self.to_html()
        );
    }
}

impl fmt::Display for TokenCounts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let width = self
            .documents
            .iter()
            .map(|count| count.id.chars().count())
            .max()
            .unwrap_or(0)
            .max("document".len());
        writeln!(f, "tokenizer: {}", self.tokenizer)?;
        write!(
            f,
            "{:<width$}  {:>10}  {:>8}",
            "document", "characters", "tokens"
        )?;
        if self.window.is_some() {
            write!(f, "  fits")?;
        }
        writeln!(f)?;
        for count in &self.documents {
            write!(
                f,
                "{:<width$}  {:>10}  {:>8}",
                count.id, count.chars, count.tokens
            )?;
            match count.fits {
                Some(true) => write!(f, "  yes")?,
                Some(false) => write!(f, "  no")?,
                None => {}
            }
            writeln!(f)?;
        }
        writeln!(f, "{}", self.summary())
    }
}
