//! Splitting text into pieces before BPE sees it (the "pre-split" regex of GPT-2 and GPT-4).

use regex::bytes::Regex;

use crate::error::{Error, Location, Result};

/// GPT-2's pre-split pattern, as OpenAI wrote it: English contractions, words with an
/// optional space before them, numbers, runs of punctuation, runs of whitespace.
pub const GPT2_PATTERN: &str =
    r"'(?:[sdmt]|ll|ve|re)| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

/// GPT-4's pre-split pattern (tiktoken's `cl100k_base`), as OpenAI wrote it. Numbers are
/// cut into groups of at most three digits, so `1.250` and `2dd1` split differently than
/// in GPT-2.
pub const GPT4_PATTERN: &str = r"'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]++[\r\n]*|\s*[\r\n]|\s+(?!\S)|\s+";

/// The look-ahead part of both GPT patterns, and what we write instead.
const LOOKAHEAD_TAIL: &str = r"\s+(?!\S)|\s+";
const SPACE_GROUP: &str = r"(?P<space>\s+)";

/// A pre-split pattern: a regular expression that cuts text into pieces (roughly words),
/// so that BPE never merges across a word boundary ("es ist" never becomes one token).
///
/// Rust's `regex` crate is fast because it never looks ahead or back, so GPT's pattern
/// cannot be used as written: its `\s+(?!\S)` means "a run of spaces, but leave the last
/// one for the next word", which needs a look-ahead. clinkit replaces the ending
/// `\s+(?!\S)|\s+` by a named group `(?P<space>\s+)` and then does the look-ahead by
/// hand: a whitespace run of two or more characters that is followed by a non-space
/// gives its last character back, so `"a   b"` splits as `"a"`, `"  "`, `" b"`, exactly as
/// with GPT's pattern. GPT-4's possessive `?+` and `++` mean the same as `?` and `+` in
/// this pattern and are written that way. You may also write your own pattern with a
/// `(?P<space>...)` group, or any pattern without look-around.
///
/// Text that the pattern does not match is kept as a piece of its own, so nothing is ever
/// lost (important for bytes that are not valid UTF-8).
///
/// ```
/// use clinkit::tokenize::bpe::{SplitPattern, GPT4_PATTERN};
/// let pattern = SplitPattern::new(GPT4_PATTERN).unwrap();
/// let pieces: Vec<&str> = pattern.split_str("Geen   diabetes, 2dd1 1.250 mg");
/// assert_eq!(pieces, ["Geen", "  ", " diabetes", ",", " ", "2", "dd", "1", " ", "1", ".", "250", " mg"]);
/// ```
#[derive(Debug, Clone)]
pub struct SplitPattern {
    source: String,
    regex: Regex,
    has_space_group: bool,
}

impl PartialEq for SplitPattern {
    fn eq(&self, other: &Self) -> bool {
        self.source == other.source
    }
}

impl SplitPattern {
    /// Compiles a pattern. GPT-2's and GPT-4's patterns are accepted as written (see
    /// above); other look-around is refused with a message that says why.
    pub fn new(source: &str) -> Result<SplitPattern> {
        let translated = translate(source);
        let regex = Regex::new(&translated).map_err(|e| {
            let hint = if source.contains("(?=") || source.contains("(?!") || source.contains("(?<")
            {
                " (clinkit's pre-split uses the `regex` crate, which has no look-ahead or look-behind; only GPT's ending `\\s+(?!\\S)|\\s+` is understood)"
            } else {
                ""
            };
            Error::invalid(
                Location::default().field("pattern"),
                format!("the pre-split pattern does not compile{hint}: {e}"),
            )
        })?;
        let has_space_group = regex.capture_names().any(|name| name == Some("space"));
        Ok(SplitPattern {
            source: source.to_string(),
            regex,
            has_space_group,
        })
    }

    /// The pattern as it was given.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// Cuts bytes into pieces that, glued together, give the bytes back.
    ///
    /// ```
    /// use clinkit::tokenize::bpe::{SplitPattern, GPT2_PATTERN};
    /// let pattern = SplitPattern::new(GPT2_PATTERN).unwrap();
    /// let bytes = b"caf\xc3\xa9 \xff!";
    /// let pieces = pattern.split(bytes);
    /// assert_eq!(pieces.concat(), bytes); // nothing lost, not even the invalid byte 0xff
    /// ```
    pub fn split<'a>(&self, bytes: &'a [u8]) -> Vec<&'a [u8]> {
        let mut pieces = Vec::new();
        let mut at = 0;
        while at < bytes.len() {
            let Some(captures) = self.regex.captures_at(bytes, at) else {
                pieces.push(&bytes[at..]);
                break;
            };
            let whole = captures.get(0).expect("group 0 is the whole match");
            if whole.start() > at {
                pieces.push(&bytes[at..whole.start()]);
            }
            let mut end = whole.end();
            if self.has_space_group && captures.name("space").is_some() {
                end = give_back_last_space(bytes, whole.start(), end);
            }
            if end == whole.start() {
                // An empty match: step over one character so we always move on.
                end = next_char_end(bytes, end);
            }
            pieces.push(&bytes[whole.start()..end]);
            at = end;
        }
        pieces
    }

    /// [`SplitPattern::split`] for text: pieces of valid UTF-8 text are text again.
    pub fn split_str<'a>(&self, text: &'a str) -> Vec<&'a str> {
        self.split(text.as_bytes())
            .into_iter()
            .map(|piece| std::str::from_utf8(piece).expect("pieces of text end on characters"))
            .collect()
    }
}

/// Writes GPT's pattern in the syntax of the `regex` crate.
fn translate(source: &str) -> String {
    source
        .replace(LOOKAHEAD_TAIL, SPACE_GROUP)
        .replace("]?+", "]?")
        .replace("]++", "]+")
}

/// `\s+(?!\S)` by hand: a whitespace run `start..end` followed by something that is not
/// whitespace gives its last character back (if it has more than one).
fn give_back_last_space(bytes: &[u8], start: usize, end: usize) -> usize {
    if end >= bytes.len() || starts_with_whitespace(&bytes[end..]) {
        return end;
    }
    let run = &bytes[start..end];
    let text = std::str::from_utf8(run).expect("a whitespace run is valid UTF-8");
    match text.char_indices().last() {
        Some((last, _)) if last > 0 => start + last,
        _ => end,
    }
}

/// True when the bytes start with a whitespace character (as the regex's `\s` means it).
fn starts_with_whitespace(bytes: &[u8]) -> bool {
    let len = utf8_len(bytes[0]).min(bytes.len());
    std::str::from_utf8(&bytes[..len])
        .ok()
        .and_then(|text| text.chars().next())
        .is_some_and(char::is_whitespace)
}

/// The end of the character (or invalid byte) that starts at `at`.
fn next_char_end(bytes: &[u8], at: usize) -> usize {
    let len = utf8_len(bytes[at]).min(bytes.len() - at);
    if std::str::from_utf8(&bytes[at..at + len]).is_ok() {
        at + len
    } else {
        at + 1
    }
}

/// How many bytes a UTF-8 character takes, judged by its first byte.
fn utf8_len(first: u8) -> usize {
    match first {
        0x00..=0x7f => 1,
        0xc0..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xf7 => 4,
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitespace_runs_leave_one_space_for_the_next_word() {
        let pattern = SplitPattern::new(GPT2_PATTERN).unwrap();
        assert_eq!(pattern.split_str("a   b"), ["a", "  ", " b"]);
        assert_eq!(pattern.split_str("a \tb"), ["a", " ", "\t", "b"]);
        assert_eq!(pattern.split_str("a  "), ["a", "  "]);
        assert_eq!(pattern.split_str(" b"), [" b"]);
    }

    #[test]
    fn gpt4_keeps_newlines_with_the_spaces_before_them() {
        let pattern = SplitPattern::new(GPT4_PATTERN).unwrap();
        assert_eq!(
            pattern.split_str("ok  \n\nNT-proBNP"),
            ["ok", "  \n\n", "NT", "-proBNP"]
        );
    }

    #[test]
    fn other_look_around_is_refused_with_a_reason() {
        let error = SplitPattern::new(r"\w+(?=x)").unwrap_err().to_string();
        assert!(error.contains("no look-ahead"), "{error}");
    }

    #[test]
    fn a_pattern_that_matches_nothing_keeps_everything() {
        let pattern = SplitPattern::new("x").unwrap();
        assert_eq!(pattern.split_str("abxcd"), ["ab", "x", "cd"]);
        let pattern = SplitPattern::new("y?").unwrap();
        assert_eq!(pattern.split_str("ab").concat(), "ab");
    }
}
