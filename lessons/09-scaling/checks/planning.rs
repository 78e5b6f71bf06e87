use crate::exercise::*;

#[test]
fn two_thousand_patients_on_ten_cores() {
    let hours = hours_needed(2_000, 200, 1.0, 10);
    assert!((hours - 11.111).abs() < 0.01, "{hours}");
}

#[test]
fn cores_for_a_day() {
    assert_eq!(cores_needed(2_000, 200, 1.0, 24.0), Some(5));
}
