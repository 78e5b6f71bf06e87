use crate::exercise::*;

#[test]
fn reads_a_blood_pressure() {
    assert_eq!(blood_pressure("RR 142/88 mmHg"), Some((142, 88)));
}

#[test]
fn no_blood_pressure_gives_none() {
    assert_eq!(blood_pressure("Patient feels well."), None);
}

#[test]
fn a_comma_after_the_numbers_is_fine() {
    assert_eq!(blood_pressure("BP 120/80, pulse 72"), Some((120, 80)));
}
