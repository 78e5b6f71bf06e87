//! Exercise: count words in a clinical letter (reference solution).

/// How many words `text` has. Words are separated by spaces, tabs or new lines.
pub fn count_words(text: &str) -> usize {
    text.split_whitespace().count()
}

/// How many words of `text` equal `term`, ignoring upper and lower case and any
/// punctuation (`.,;:()`) stuck to the word.
pub fn count_term(text: &str, term: &str) -> usize {
    let term = term.to_lowercase();
    text.split_whitespace()
        .map(|word| word.trim_matches(|c| ".,;:()".contains(c)).to_lowercase())
        .filter(|word| *word == term)
        .count()
}
