use crate::exercise::*;

#[test]
fn counts_the_test_letters() {
    let path = clinkit::kernel::crate_dir().join("datasets-synthetic/referrals/test.jsonl");
    let expected = std::fs::read_to_string(&path).unwrap().lines().count();
    assert_eq!(count_letters(&path).unwrap(), expected);
}

#[test]
fn a_missing_file_is_an_error_not_a_panic() {
    assert!(count_letters(std::path::Path::new("no-such-file.jsonl")).is_err());
}
