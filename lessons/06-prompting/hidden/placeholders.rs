use crate::exercise::*;

#[test]
fn a_letter_that_contains_braces_stays_as_it_is() {
    let letter = "Mevr. {X} schreef: zie {schema} en {document}.";
    assert_eq!(
        fill("{document}|{schema}", letter, "- age"),
        Ok(format!("{letter}|- age"))
    );
}

#[test]
fn a_placeholder_may_come_twice_and_text_around_it_is_kept() {
    assert_eq!(
        fill("a {document} b {document} c", "X", ""),
        Ok("a X b X c".to_string())
    );
}

#[test]
fn an_unclosed_brace_is_an_error() {
    assert!(fill("Letter: {document} {schema", "X", "- age").is_err());
    assert!(fill("", "X", "- age").is_err());
}
