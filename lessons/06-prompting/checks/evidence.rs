use crate::exercise::*;

#[test]
fn a_quote_is_found_with_its_offsets() {
    assert_eq!(quote_span("Echo: LVEF 35%.", "LVEF 35%"), Some((6, 14)));
}

#[test]
fn a_quote_that_is_not_there_is_no_evidence() {
    assert_eq!(quote_span("Echo: LVEF 35%.", "LVEF 53%"), None);
}

#[test]
fn fields_without_evidence_are_listed() {
    let letter = "Echo: LVEF 35%. Gestopt met roken.";
    let answer = [("lvef_percent", "LVEF 35%"), ("smoking", "Rookt niet")];
    assert_eq!(unsupported(letter, &answer), vec!["smoking".to_string()]);
}
