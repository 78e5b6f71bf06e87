//! Exercise: search, the k passages nearest to a question (reference solution).

/// The dot product of two vectors (given: you wrote it in the `cosine` exercise).
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// The `k` passages nearest to `query`, as `(passage number, score)`, best first; on a
/// tie the smaller passage number first.
pub fn nearest(query: &[f32], passages: &[Vec<f32>], k: usize) -> Vec<(usize, f32)> {
    let mut scored: Vec<(usize, f32)> = passages
        .iter()
        .enumerate()
        .map(|(number, passage)| (number, dot(query, passage)))
        .collect();
    scored.sort_by(|a, b| b.1.total_cmp(&a.1));
    scored.truncate(k);
    scored
}
