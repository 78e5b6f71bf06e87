//! Exercise: choosing the next token, greedily or by drawing among the k most likely.
//!
//! The model gave every token a probability. Something has to choose one:
//! - **greedy**: always the most likely token. The same text gives the same answer every
//!   time, which is what extraction wants.
//! - **top-k sampling**: keep only the `k` most likely tokens, and draw one of them at
//!   random, each with a chance in proportion to its probability. A random number between
//!   0 and 1 decides; with the same random numbers (the same *seed*) you get the same text.
//! Replace each `todo!()` with your code, then run `clinkit lessons check 05`.

/// The index of the most likely token (the first one when two are equally likely).
///
/// `greedy(&[0.2, 0.5, 0.3])` is `1`.
pub fn greedy(probabilities: &[f32]) -> usize {
    todo!("the index of the largest probability")
}

/// The `k` most likely tokens as `(index, probability)`, most likely first (on a tie the
/// smaller index first), with their probabilities scaled so that they add up to 1 again.
///
/// `top_k(&[0.2, 0.5, 0.3], 2)` is `vec![(1, 0.625), (2, 0.375)]`: 0.5 and 0.3 out of 0.8.
pub fn top_k(probabilities: &[f32], k: usize) -> Vec<(usize, f32)> {
    todo!("sort best first, keep k, divide by their sum")
}

/// Draws one of the `candidates` (from [`top_k`], adding up to 1) with the random number
/// `random` (between 0 and 1): put the candidates' probabilities one after the other on a
/// line from 0 to 1, and return the index of the candidate whose piece `random` falls in.
/// If rounding leaves `random` past the end, the last candidate.
///
/// With the candidates `[(1, 0.625), (2, 0.375)]`, `draw(.., 0.3)` is `1` and
/// `draw(.., 0.7)` is `2`.
pub fn draw(candidates: &[(usize, f32)], random: f32) -> usize {
    todo!("walk along the candidates until random is used up")
}
