use crate::exercise::*;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

#[test]
fn a_letter_drawn_twice_counts_twice() {
    let found = [true, false, true, true];
    assert!(close(share_found(&found, &[0, 0, 1, 3]), 0.75));
    assert!(close(share_found(&found, &[1, 1, 1, 2]), 0.25));
    assert_eq!(share_found(&found, &[]), 0.0);
}

#[test]
fn the_middle_95_percent_of_101_values() {
    let values: Vec<f64> = (0..=100).map(|i| i as f64 / 100.0).collect();
    let (low, high) = interval(&values);
    assert!(close(low, 0.025) && close(high, 0.975), "({low}, {high})");
}

#[test]
fn the_values_need_not_come_sorted() {
    let (low, high) = interval(&[0.9, 0.7, 0.8]);
    assert!(close(low, 0.705) && close(high, 0.895), "({low}, {high})");
}
