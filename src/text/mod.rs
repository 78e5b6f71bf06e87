//! Text and spans: how we point at a piece of a document.
//!
//! A clinical letter is one long string. When a model or a rule says "the age is 67",
//! we also want to know *where* in the letter it read that, so a doctor can check it.
//! A [`Span`] is that pointer: a start and an end position.
//!
//! We count positions in **characters** (Unicode scalar values), not bytes, because
//! that is what a person, Python and most annotation tools count. In Rust a `String`
//! is stored as UTF-8 bytes, and a letter such as `ë` takes two bytes, so we convert
//! with [`char_to_byte`] before slicing.
//!
//! ```
//! use clinkit::text::Span;
//! let letter = "Geachte collega, mevr. Jansen (67 jr) heeft geen diabetes.";
//! let age = Span::new(31, 33);
//! assert_eq!(age.slice(letter), Some("67"));
//! ```

use serde::{Deserialize, Serialize};

pub mod calendar;
mod html;
pub mod months;
mod sentences;
pub use html::escape_html;
pub use sentences::sentences;

/// A piece of a text, from character `start` up to (not including) character `end`.
///
/// Spans are written to JSON as a pair `[start, end]`.
///
/// ```
/// use clinkit::text::Span;
/// let span = Span::new(0, 5);
/// assert_eq!(span.slice("Hallo wereld"), Some("Hallo"));
/// assert_eq!(serde_json::to_string(&span).unwrap(), "[0,5]");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(from = "[usize; 2]", into = "[usize; 2]")]
pub struct Span {
    /// First character of the piece (counting from 0).
    pub start: usize,
    /// One past the last character of the piece.
    pub end: usize,
}

impl From<[usize; 2]> for Span {
    fn from([start, end]: [usize; 2]) -> Self {
        Span { start, end }
    }
}

impl From<Span> for [usize; 2] {
    fn from(span: Span) -> Self {
        [span.start, span.end]
    }
}

impl Span {
    /// A span from `start` to `end` (end exclusive).
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// How many characters the span covers.
    ///
    /// ```
    /// assert_eq!(clinkit::text::Span::new(3, 7).len(), 4);
    /// ```
    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }

    /// True when the span covers no characters.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// True when two spans share at least one character.
    ///
    /// ```
    /// use clinkit::text::Span;
    /// assert!(Span::new(0, 5).overlaps(&Span::new(4, 9)));
    /// assert!(!Span::new(0, 5).overlaps(&Span::new(5, 9)));
    /// ```
    pub fn overlaps(&self, other: &Span) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// The text the span points at, or `None` if the span runs past the end of `text`
    /// or has its end before its start.
    pub fn slice<'a>(&self, text: &'a str) -> Option<&'a str> {
        if self.start > self.end {
            return None;
        }
        let from = char_to_byte(text, self.start)?;
        let to = char_to_byte(text, self.end)?;
        text.get(from..to)
    }

    /// The same span moved `offset` characters to the right (used when a piece of text is
    /// glued into a larger text).
    ///
    /// ```
    /// assert_eq!(clinkit::text::Span::new(2, 4).shifted(10), clinkit::text::Span::new(12, 14));
    /// ```
    pub fn shifted(&self, offset: usize) -> Span {
        Span::new(self.start + offset, self.end + offset)
    }
}

/// The byte position of character number `char_index` in `text`, or `None` if the
/// text is shorter. `char_index == number of characters` gives `text.len()`.
///
/// ```
/// use clinkit::text::char_to_byte;
/// assert_eq!(char_to_byte("één", 1), Some(2)); // `é` takes two bytes in UTF-8
/// assert_eq!(char_to_byte("één", 3), Some(5));
/// assert_eq!(char_to_byte("één", 4), None);
/// ```
pub fn char_to_byte(text: &str, char_index: usize) -> Option<usize> {
    text.char_indices()
        .map(|(byte, _)| byte)
        .chain(std::iter::once(text.len()))
        .nth(char_index)
}

/// The character position of byte `byte_index` in `text` (which must be on a character
/// boundary), or `None` if it is not.
///
/// ```
/// use clinkit::text::byte_to_char;
/// assert_eq!(byte_to_char("één", 2), Some(1));
/// assert_eq!(byte_to_char("één", 1), None); // in the middle of `é`
/// ```
pub fn byte_to_char(text: &str, byte_index: usize) -> Option<usize> {
    if !text.is_char_boundary(byte_index) {
        return None;
    }
    Some(text[..byte_index].chars().count())
}

/// The number of characters in `text` (not bytes).
///
/// ```
/// assert_eq!(clinkit::text::char_len("één"), 3);
/// ```
pub fn char_len(text: &str) -> usize {
    text.chars().count()
}

/// A lookup table from character positions to byte positions, for slicing a long text
/// many times.
///
/// [`Span::slice`] counts characters from the start of the text every time, which is fine
/// for a letter but slow for the thousands of spans of a 200-page patient file. A
/// `CharIndex` counts once, then every slice is immediate.
///
/// ```
/// use clinkit::text::{CharIndex, Span};
/// let text = "Geen ëczeem, wel AF.";
/// let index = CharIndex::new(text);
/// assert_eq!(index.slice(Span::new(17, 19)), Some("AF"));
/// assert_eq!(index.char_len(), 20);
/// assert_eq!(index.slice(Span::new(18, 99)), None);
/// ```
#[derive(Debug, Clone)]
pub struct CharIndex<'a> {
    text: &'a str,
    /// The byte position of every character, plus the text's length at the end.
    byte_of_char: Vec<usize>,
}

impl<'a> CharIndex<'a> {
    /// Counts the characters of `text` once.
    pub fn new(text: &'a str) -> Self {
        let byte_of_char = text
            .char_indices()
            .map(|(byte, _)| byte)
            .chain(std::iter::once(text.len()))
            .collect();
        CharIndex { text, byte_of_char }
    }

    /// The number of characters in the text.
    pub fn char_len(&self) -> usize {
        self.byte_of_char.len() - 1
    }

    /// The byte position of character `char_index` (the text's length for the end).
    pub fn byte(&self, char_index: usize) -> Option<usize> {
        self.byte_of_char.get(char_index).copied()
    }

    /// The text a span points at, or `None` if it runs past the end or ends before it starts.
    pub fn slice(&self, span: Span) -> Option<&'a str> {
        if span.start > span.end {
            return None;
        }
        Some(&self.text[self.byte(span.start)?..self.byte(span.end)?])
    }
}
