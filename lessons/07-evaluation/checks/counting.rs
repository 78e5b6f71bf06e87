use crate::exercise::*;
use clinkit::eval::Counts;

#[test]
fn one_right_one_invented_two_missed() {
    let gold = ["bisoprolol", "metformin", "losartan"];
    assert_eq!(count(&gold, &["Metformin", "aspirin"]), Counts::new(1, 1, 2));
}

#[test]
fn everything_found_nothing_invented() {
    let gold = ["losartan", "metformin", "pantoprazole", "bisoprolol", "ticagrelor"];
    let found = ["ticagrelor", "Bisoprolol", "pantoprazole ", "metformin", "losartan"];
    assert_eq!(count(&gold, &found), Counts::new(5, 0, 0));
}

#[test]
fn a_name_listed_twice_is_right_only_once() {
    assert_eq!(count(&["metformin"], &["metformin", "Metformin"]), Counts::new(1, 1, 0));
}
