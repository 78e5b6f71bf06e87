use crate::exercise::*;

#[test]
fn counts_the_words_of_a_sentence() {
    assert_eq!(count_words("Patient is a 67-year-old man"), 5);
}

#[test]
fn spaces_and_new_lines_do_not_count_as_words() {
    assert_eq!(count_words("  Dear colleague,\n\nthank you  "), 4);
    assert_eq!(count_words(""), 0);
}

#[test]
fn finds_a_term_whatever_its_case() {
    assert_eq!(count_term("AF. Known af, rate control for AF", "af"), 3);
}
