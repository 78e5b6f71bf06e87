use crate::exercise::*;

#[test]
fn dots_and_spaces_between_digits_are_allowed() {
    assert!(is_bsn("1234.56.782"));
    assert!(is_bsn("123 456 782"));
}

#[test]
fn nine_zeros_and_letters_are_not_a_bsn() {
    assert!(!is_bsn("000000000"));
    assert!(!is_bsn("12345678a"));
}

#[test]
fn agrees_with_clinkit_on_many_numbers() {
    for n in (100_000_000u64..1_000_000_000).step_by(7_654_321) {
        let text = n.to_string();
        assert_eq!(is_bsn(&text), clinkit::synth::elfproef(&text), "{text}");
    }
}
