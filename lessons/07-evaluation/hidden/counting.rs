use crate::exercise::*;
use clinkit::eval::Counts;

#[test]
fn empty_lists() {
    assert_eq!(count(&[], &[]), Counts::new(0, 0, 0));
    assert_eq!(count(&[], &["furosemide", "aspirin"]), Counts::new(0, 2, 0));
    assert_eq!(count(&["furosemide", "aspirin"], &[]), Counts::new(0, 0, 2));
}

#[test]
fn a_drug_given_twice_in_gold_can_be_found_twice() {
    // Two lines of furosemide (morning and afternoon dose) in the gold standard.
    let gold = ["furosemide", "furosemide", "spironolactone"];
    assert_eq!(count(&gold, &["furosemide"]), Counts::new(1, 0, 2));
    assert_eq!(count(&gold, &["furosemide", "Furosemide"]), Counts::new(2, 0, 1));
}

#[test]
fn order_does_not_matter() {
    let gold = ["a", "b", "c", "d"];
    assert_eq!(count(&gold, &["d", "x", "b"]), count(&gold, &["b", "d", "x"]));
    assert_eq!(count(&gold, &["d", "x", "b"]), Counts::new(2, 1, 2));
}
