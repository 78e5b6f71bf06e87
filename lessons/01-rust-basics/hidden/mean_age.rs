use crate::exercise::*;

#[test]
fn only_unknown_ages_gives_none() {
    let patients = [Patient { id: "P-1".into(), age: None }];
    assert_eq!(mean_age(&patients), None);
}

#[test]
fn the_mean_need_not_be_a_whole_number() {
    let patients: Vec<Patient> = [67, 68]
        .iter()
        .map(|&age| Patient { id: format!("P-{age}"), age: Some(age) })
        .collect();
    assert_eq!(mean_age(&patients), Some(67.5));
}
