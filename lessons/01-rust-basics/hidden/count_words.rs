use crate::exercise::*;

#[test]
fn a_term_inside_another_word_does_not_count() {
    assert_eq!(count_term("affect after AF", "af"), 1);
}

#[test]
fn dutch_letters_with_accents_count_as_one_word() {
    assert_eq!(count_words("Geachte collega, patiënt heeft één klacht"), 6);
    assert_eq!(count_term("(Dyspnoe) dyspnoe; DYSPNOE", "dyspnoe"), 3);
}
