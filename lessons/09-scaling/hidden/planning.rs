use crate::exercise::*;

#[test]
fn twice_the_cores_half_the_time() {
    let one = hours_needed(200_000, 200, 300.0, 1);
    let two = hours_needed(200_000, 200, 300.0, 2);
    assert!((one - 2.0 * two).abs() < 1e-9);
    assert!((one - 37.037).abs() < 0.01, "{one}");
}

#[test]
fn a_fast_method_needs_one_core() {
    assert_eq!(cores_needed(10, 5, 100.0, 1.0), Some(1));
}

#[test]
fn an_impossible_deadline_has_no_answer() {
    // 3 files of 10,000 pages at 1 page/s cannot finish in 1 hour: a file is not split.
    assert_eq!(cores_needed(3, 10_000, 1.0, 1.0), None);
}
