use crate::exercise::*;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

#[test]
fn five_medications_listed_three_right() {
    // The letter mentions 4 medications; the system lists 5, of which 3 are right.
    assert!(close(precision(3, 2), 0.6), "precision(3, 2) = {}", precision(3, 2));
    assert!(close(recall(3, 1), 0.75), "recall(3, 1) = {}", recall(3, 1));
    assert!(close(f1(0.6, 0.75), 2.0 / 3.0), "f1(0.6, 0.75) = {}", f1(0.6, 0.75));
}

#[test]
fn the_rules_baseline_on_medications_in_the_dev_letters() {
    // Measured in notebook 07: 250 right, 0 invented, 19 missed.
    assert!(close(precision(250, 0), 1.0));
    assert!(close(recall(250, 19), 250.0 / 269.0));
}

#[test]
fn nothing_said_or_nothing_to_find_gives_zero_not_nan() {
    assert_eq!(precision(0, 0), 0.0);
    assert_eq!(recall(0, 0), 0.0);
    assert_eq!(f1(0.0, 0.0), 0.0);
}
