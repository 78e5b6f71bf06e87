//! Exercise: the two steps of byte-pair encoding (BPE).
//!
//! BPE learns a vocabulary by repeating two steps: find the pair of neighbouring tokens
//! that occurs most often, and glue every occurrence of it into one new token.
//! Replace each `todo!()` with your code, then run `clinkit lessons check 03`.

/// The pair of neighbouring tokens that occurs most often in `ids`, or `None` when there
/// are fewer than two tokens. On a tie, the smallest pair wins (so the answer is always the same).
///
/// In `[1, 2, 3, 1, 2]` the pair `(1, 2)` occurs twice: the answer is `Some((1, 2))`.
pub fn most_frequent_pair(ids: &[u32]) -> Option<(u32, u32)> {
    todo!("count every pair of neighbours and return the most frequent")
}

/// `ids` with every occurrence of `pair` replaced by `new_id`, from left to right.
///
/// `merge(&[1, 2, 3, 1, 2], (1, 2), 9)` is `[9, 3, 9]`.
pub fn merge(ids: &[u32], pair: (u32, u32), new_id: u32) -> Vec<u32> {
    todo!("replace each occurrence of pair by new_id")
}
