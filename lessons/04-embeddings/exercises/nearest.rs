//! Exercise: search, the k passages nearest to a question.
//!
//! A search engine for a patient file works in two steps. Once: cut the file into
//! passages and embed each one. Then, for every question: embed the question and keep the
//! passages whose vectors are nearest to it. The vectors of all-MiniLM-L6-v2 have length 1,
//! so "nearest" is simply "the highest dot product" (for unit vectors the dot product is
//! the cosine similarity).
//! Replace the `todo!()` with your code, then run `clinkit lessons check 04`.

/// The dot product of two vectors (given: you wrote it in the `cosine` exercise).
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// The `k` passages nearest to `query`, as `(passage number, score)`, best first. The
/// score is `dot(query, passage)`. On a tie the passage with the smaller number comes
/// first. When there are fewer than `k` passages, all of them.
///
/// With the query `[1.0, 0.0]` and the passages `[0.6, 0.8]`, `[1.0, 0.0]`, `[0.0, 1.0]`,
/// `nearest(&query, &passages, 2)` is `vec![(1, 1.0), (0, 0.6)]`.
pub fn nearest(query: &[f32], passages: &[Vec<f32>], k: usize) -> Vec<(usize, f32)> {
    todo!("score every passage, sort best first, keep k")
}
