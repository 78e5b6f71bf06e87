use crate::exercise::*;

#[test]
fn finds_the_most_frequent_pair() {
    assert_eq!(most_frequent_pair(&[1, 2, 3, 1, 2]), Some((1, 2)));
}

#[test]
fn too_short_has_no_pair() {
    assert_eq!(most_frequent_pair(&[7]), None);
    assert_eq!(most_frequent_pair(&[]), None);
}

#[test]
fn merges_every_occurrence() {
    assert_eq!(merge(&[1, 2, 3, 1, 2], (1, 2), 9), vec![9, 3, 9]);
}

#[test]
fn bytes_of_a_word_become_one_token() {
    // "geen" as bytes: g e e n. Merging (e, e) gives g, ee, n.
    let ids: Vec<u32> = "geen".bytes().map(u32::from).collect();
    let pair = (u32::from(b'e'), u32::from(b'e'));
    // Every pair occurs once: the smallest, (e, e), wins the tie.
    assert_eq!(most_frequent_pair(&ids), Some(pair));
    assert_eq!(
        merge(&ids, pair, 256),
        vec![u32::from(b'g'), 256, u32::from(b'n')]
    );
}
