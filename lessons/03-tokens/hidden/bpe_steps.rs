use crate::exercise::*;

#[test]
fn ties_go_to_the_smallest_pair() {
    assert_eq!(most_frequent_pair(&[5, 6, 1, 2]), Some((1, 2)));
}

#[test]
fn overlapping_pairs_merge_left_to_right() {
    // "aaa" holds the pair (a, a) twice, overlapping: only the first can merge.
    assert_eq!(merge(&[1, 1, 1], (1, 1), 7), vec![7, 1]);
    assert_eq!(merge(&[1, 1, 1, 1], (1, 1), 7), vec![7, 7]);
}

#[test]
fn a_pair_that_is_not_there_changes_nothing() {
    assert_eq!(merge(&[1, 2, 3], (3, 1), 9), vec![1, 2, 3]);
    assert_eq!(merge(&[], (1, 2), 9), Vec::<u32>::new());
}

#[test]
fn three_rounds_of_bpe_on_a_dose_unit() {
    // m g _ m g _ m g: (m, g) first, then (_, mg), then (mg, _mg).
    let mut ids: Vec<u32> = "mg mg mg".bytes().map(u32::from).collect();
    for new_id in 256..259 {
        let pair = most_frequent_pair(&ids).expect("a pair");
        ids = merge(&ids, pair, new_id);
    }
    assert_eq!(ids, vec![258, 257]);
}
