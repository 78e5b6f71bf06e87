use crate::exercise::*;

#[test]
fn a_valid_bsn_passes() {
    assert!(is_bsn("123456782"));
    // From a synthetic referral letter (ref-0241): "BSN: 392058625".
    assert!(is_bsn("392058625"));
}

#[test]
fn one_digit_off_fails() {
    assert!(!is_bsn("123456789"));
    assert!(!is_bsn("392058626"));
}

#[test]
fn not_nine_digits_is_not_a_bsn() {
    assert!(!is_bsn("12345678"));
    assert!(!is_bsn("1234567820"));
    assert!(!is_bsn(""));
}
