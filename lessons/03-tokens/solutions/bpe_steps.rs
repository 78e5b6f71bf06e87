//! Exercise: the two steps of byte-pair encoding (BPE) (reference solution).

use std::collections::HashMap;

/// The pair of neighbouring tokens that occurs most often in `ids`, or `None` when there
/// are fewer than two tokens. On a tie, the smallest pair wins (so the answer is always the same).
pub fn most_frequent_pair(ids: &[u32]) -> Option<(u32, u32)> {
    let mut counts: HashMap<(u32, u32), usize> = HashMap::new();
    for pair in ids.windows(2) {
        *counts.entry((pair[0], pair[1])).or_insert(0) += 1;
    }
    counts
        .into_iter()
        .max_by(|(pair_a, count_a), (pair_b, count_b)| {
            count_a.cmp(count_b).then(pair_b.cmp(pair_a))
        })
        .map(|(pair, _)| pair)
}

/// `ids` with every occurrence of `pair` replaced by `new_id`, from left to right.
pub fn merge(ids: &[u32], pair: (u32, u32), new_id: u32) -> Vec<u32> {
    let mut merged = Vec::with_capacity(ids.len());
    let mut i = 0;
    while i < ids.len() {
        if i + 1 < ids.len() && (ids[i], ids[i + 1]) == pair {
            merged.push(new_id);
            i += 2;
        } else {
            merged.push(ids[i]);
            i += 1;
        }
    }
    merged
}
