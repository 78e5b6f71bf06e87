use crate::exercise::*;

#[test]
fn two_windows_sharing_one_token() {
    assert_eq!(
        windows(&[1, 2, 3, 4, 5, 6, 7], 4, 1),
        Ok(vec![vec![1, 2, 3, 4], vec![4, 5, 6, 7]])
    );
}

#[test]
fn a_short_letter_fits_in_one_window() {
    assert_eq!(windows(&[1, 2, 3], 512, 64), Ok(vec![vec![1, 2, 3]]));
}

#[test]
fn an_overlap_as_large_as_the_window_is_an_error() {
    assert!(windows(&[1, 2, 3], 2, 2).is_err());
}
