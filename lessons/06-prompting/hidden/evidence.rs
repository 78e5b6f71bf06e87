use crate::exercise::*;

#[test]
fn offsets_count_characters_not_bytes() {
    let letter = "Patiënt, 67 jr. Echo: LVEF 35%.";
    assert_eq!(quote_span(letter, "LVEF 35%"), Some((22, 30)));
    assert_eq!(quote_span(letter, "Patiënt"), Some((0, 7)));
}

#[test]
fn an_empty_quote_is_no_evidence() {
    assert_eq!(quote_span("Echo: LVEF 35%.", ""), None);
    assert_eq!(quote_span("Echo: LVEF 35%.", "  "), None);
    assert_eq!(
        unsupported("Echo: LVEF 35%.", &[("age", ""), ("lvef_percent", "LVEF 35%")]),
        vec!["age".to_string()]
    );
}

#[test]
fn the_first_place_counts_and_the_order_is_kept() {
    assert_eq!(quote_span("EF 40%, later EF 40%", "EF 40%"), Some((0, 6)));
    let answer = [("a", "x"), ("b", "EF"), ("c", "y")];
    assert_eq!(
        unsupported("EF 40%", &answer),
        vec!["a".to_string(), "c".to_string()]
    );
}
