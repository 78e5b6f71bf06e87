use crate::exercise::*;

#[test]
fn a_date_with_slashes_is_not_a_blood_pressure() {
    assert_eq!(blood_pressure("seen on 12/03/2024, RR 135/85."), Some((135, 85)));
}

#[test]
fn a_ratio_with_words_is_not_a_blood_pressure() {
    assert_eq!(blood_pressure("and/or dyspnoe"), None);
}
