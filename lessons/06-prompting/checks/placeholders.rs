use crate::exercise::*;

#[test]
fn both_placeholders_are_filled() {
    assert_eq!(
        fill("Fields:\n{schema}\nLetter:\n{document}", "Pt. 67 jr.", "- age"),
        Ok("Fields:\n- age\nLetter:\nPt. 67 jr.".to_string())
    );
}

#[test]
fn a_misspelled_placeholder_is_an_error_that_names_it() {
    let error = fill("Letter:\n{documnet}", "Pt. 67 jr.", "- age").unwrap_err();
    assert!(error.contains("documnet"), "the message names the placeholder: {error}");
}

#[test]
fn a_template_without_the_letter_is_an_error() {
    assert!(fill("Fields:\n{schema}", "Pt. 67 jr.", "- age").is_err());
}
