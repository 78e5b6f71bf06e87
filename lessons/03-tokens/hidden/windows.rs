use crate::exercise::*;

#[test]
fn no_tokens_no_windows() {
    assert_eq!(windows(&[], 4, 1), Ok(vec![]));
}

#[test]
fn the_last_window_may_be_shorter() {
    assert_eq!(
        windows(&[1, 2, 3, 4, 5, 6], 3, 0),
        Ok(vec![vec![1, 2, 3], vec![4, 5, 6]])
    );
    assert_eq!(
        windows(&[1, 2, 3, 4, 5, 6, 7], 3, 1),
        Ok(vec![vec![1, 2, 3], vec![3, 4, 5], vec![5, 6, 7]])
    );
}

#[test]
fn every_token_is_in_some_window_and_no_window_is_too_long() {
    let ids: Vec<u32> = (0..1000).collect();
    let cut = windows(&ids, 128, 16).unwrap();
    assert!(cut.iter().all(|w| w.len() <= 128));
    let mut seen: Vec<u32> = cut.concat();
    seen.sort();
    seen.dedup();
    assert_eq!(seen, ids);
}
