//! Exercise: choosing the next token, greedily or by drawing among the k most likely
//! (reference solution).

/// The index of the most likely token (the first one when two are equally likely).
pub fn greedy(probabilities: &[f32]) -> usize {
    let mut best = 0;
    for (index, &probability) in probabilities.iter().enumerate() {
        if probability > probabilities[best] {
            best = index;
        }
    }
    best
}

/// The `k` most likely tokens as `(index, probability)`, most likely first, with their
/// probabilities scaled to add up to 1.
pub fn top_k(probabilities: &[f32], k: usize) -> Vec<(usize, f32)> {
    let mut candidates: Vec<(usize, f32)> = probabilities.iter().copied().enumerate().collect();
    candidates.sort_by(|a, b| b.1.total_cmp(&a.1));
    candidates.truncate(k);
    let kept: f32 = candidates.iter().map(|&(_, p)| p).sum();
    candidates
        .into_iter()
        .map(|(index, p)| (index, p / kept))
        .collect()
}

/// Draws one of the `candidates` with the random number `random` (between 0 and 1).
pub fn draw(candidates: &[(usize, f32)], random: f32) -> usize {
    let mut left = random;
    for &(index, probability) in candidates {
        left -= probability;
        if left < 0.0 {
            return index;
        }
    }
    candidates.last().map(|&(index, _)| index).unwrap_or(0)
}
