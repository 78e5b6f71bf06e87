//! Exercise: count words in a clinical letter.
//!
//! Replace each `todo!()` with your code, then run `clinkit lessons check 01`.

/// How many words `text` has. Words are separated by spaces, tabs or new lines.
///
/// `count_words("Patient is a 67-year-old man")` is 5.
pub fn count_words(text: &str) -> usize {
    todo!("count the words of text")
}

/// How many words of `text` equal `term`, ignoring upper and lower case and any
/// punctuation (`.,;:()`) stuck to the word.
///
/// `count_term("AF. Known af, rate control for AF", "af")` is 3.
pub fn count_term(text: &str, term: &str) -> usize {
    todo!("count the words equal to term")
}
