use crate::exercise::*;

fn patient(id: &str, age: Option<u32>) -> Patient {
    Patient { id: id.to_string(), age }
}

#[test]
fn the_mean_of_two_ages() {
    let patients = [patient("P-1", Some(60)), patient("P-2", Some(70))];
    assert_eq!(mean_age(&patients), Some(65.0));
}

#[test]
fn unknown_ages_are_left_out() {
    let patients = [patient("P-1", Some(80)), patient("P-2", None)];
    assert_eq!(mean_age(&patients), Some(80.0));
}

#[test]
fn no_patients_no_mean() {
    assert_eq!(mean_age(&[]), None);
}
