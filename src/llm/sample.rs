//! Sampling: how the next token is chosen from the model's scores.
//!
//! The model gives one score (*logit*) per vocabulary entry. Turning scores into a choice
//! happens in a fixed order, the same order llama.cpp uses:
//!
//! 1. **Forbid**: tokens a [`TokenConstraint`](super::TokenConstraint) rules out get
//!    score `-inf` (probability zero).
//! 2. **Repetition penalty**: tokens seen recently get a worse score (a positive score is
//!    divided by the penalty, a negative one multiplied), so the model repeats itself less.
//! 3. **Greedy** (temperature 0, or `top_k = 1`): take the highest score. Done.
//! 4. **Temperature**: divide scores by it; above 1 flattens the probabilities, below 1
//!    sharpens them. A softmax turns scores into probabilities that add up to 1.
//! 5. **Top-k / top-p**: keep only the `k` most likely tokens, then only the most likely
//!    ones whose probabilities add up to `p`.
//! 6. **Draw** one token with a seeded random number, so the same seed gives the same text.
//!
//! ```
//! use clinkit::llm::sample::Sampler;
//! use clinkit::llm::GenerateOptions;
//! let logits = [0.5, 3.0, 1.0];
//! let mut greedy = Sampler::new(&GenerateOptions::default());
//! assert_eq!(greedy.pick(&logits, &[], None), 1);
//! ```

use super::GenerateOptions;
use crate::synth::Rng;

/// Chooses next tokens according to [`GenerateOptions`] (see the module documentation).
#[derive(Debug, Clone)]
pub struct Sampler {
    temperature: f64,
    top_k: Option<usize>,
    top_p: Option<f64>,
    repeat_penalty: f32,
    repeat_last_n: usize,
    rng: Rng,
}

impl Sampler {
    /// A sampler with the options' temperature, top-k, top-p, penalty and seed.
    pub fn new(options: &GenerateOptions) -> Sampler {
        Sampler {
            temperature: options.temperature,
            top_k: options.top_k,
            top_p: options.top_p,
            repeat_penalty: options.repeat_penalty,
            repeat_last_n: options.repeat_last_n,
            rng: Rng::new(options.seed),
        }
    }

    /// True when this sampler always takes the most likely token (no randomness).
    ///
    /// ```
    /// use clinkit::llm::{sample::Sampler, GenerateOptions};
    /// let top_one = GenerateOptions { temperature: 0.8, top_k: Some(1), ..Default::default() };
    /// assert!(Sampler::new(&top_one).is_greedy());
    /// ```
    pub fn is_greedy(&self) -> bool {
        self.temperature <= 0.0 || self.top_k == Some(1)
    }

    /// Picks the next token from `logits`. `recent` holds the tokens so far (for the
    /// repetition penalty); `allowed[id] == false` forbids a token (constrained decoding).
    ///
    /// ```
    /// use clinkit::llm::{sample::Sampler, GenerateOptions};
    /// let mut sampler = Sampler::new(&GenerateOptions::default());
    /// // token 1 is best, but a constraint forbids it
    /// assert_eq!(sampler.pick(&[0.5, 3.0, 1.0], &[], Some(&[true, false, true])), 2);
    /// ```
    pub fn pick(&mut self, logits: &[f32], recent: &[u32], allowed: Option<&[bool]>) -> u32 {
        let mut scores = logits.to_vec();
        if let Some(allowed) = allowed {
            forbid(&mut scores, allowed);
        }
        let window = &recent[recent.len().saturating_sub(self.repeat_last_n)..];
        penalise_repeats(&mut scores, window, self.repeat_penalty);
        if self.is_greedy() {
            return argmax(&scores);
        }
        let mut candidates = probabilities(&scores, self.temperature);
        if let Some(k) = self.top_k.filter(|&k| k > 0) {
            keep_top_k(&mut candidates, k);
        }
        if let Some(p) = self.top_p.filter(|&p| p < 1.0) {
            keep_top_p(&mut candidates, p);
        }
        self.draw(&candidates)
    }

    /// Draws one candidate, each with a chance proportional to its probability.
    fn draw(&mut self, candidates: &[(u32, f32)]) -> u32 {
        let total: f64 = candidates.iter().map(|&(_, p)| f64::from(p)).sum();
        let mut target = uniform(&mut self.rng) * total;
        for &(id, probability) in candidates {
            target -= f64::from(probability);
            if target <= 0.0 {
                return id;
            }
        }
        candidates.last().map(|&(id, _)| id).unwrap_or(0)
    }
}

/// A random number in `[0, 1)` from the 53 high bits of the generator.
fn uniform(rng: &mut Rng) -> f64 {
    (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64
}

/// The index of the highest score (the first one on a tie).
///
/// ```
/// assert_eq!(clinkit::llm::sample::argmax(&[1.0, 4.0, 4.0, -2.0]), 1);
/// ```
pub fn argmax(scores: &[f32]) -> u32 {
    let mut best = 0;
    for (id, score) in scores.iter().enumerate() {
        if *score > scores[best] {
            best = id;
        }
    }
    best as u32
}

/// Sets forbidden tokens' scores to `-inf`.
fn forbid(scores: &mut [f32], allowed: &[bool]) {
    for (score, &ok) in scores.iter_mut().zip(allowed) {
        if !ok {
            *score = f32::NEG_INFINITY;
        }
    }
}

/// llama.cpp's repetition penalty: each token in `recent` (counted once) gets its score
/// divided by `penalty` if positive, multiplied if negative: less likely either way.
///
/// ```
/// let mut scores = [2.0, -1.0, 3.0];
/// clinkit::llm::sample::penalise_repeats(&mut scores, &[0, 1, 1], 2.0);
/// assert_eq!(scores, [1.0, -2.0, 3.0]);
/// ```
pub fn penalise_repeats(scores: &mut [f32], recent: &[u32], penalty: f32) {
    if penalty == 1.0 {
        return;
    }
    let mut seen = std::collections::HashSet::new();
    for &token in recent {
        let Some(score) = scores.get_mut(token as usize) else {
            continue;
        };
        if seen.insert(token) {
            *score = if *score > 0.0 {
                *score / penalty
            } else {
                *score * penalty
            };
        }
    }
}

/// Softmax of `scores / temperature`: `(token, probability)` for every token that is not forbidden.
fn probabilities(scores: &[f32], temperature: f64) -> Vec<(u32, f32)> {
    let max = scores.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let scale = 1.0 / temperature as f32;
    let mut candidates: Vec<(u32, f32)> = scores
        .iter()
        .enumerate()
        .filter(|(_, s)| s.is_finite())
        .map(|(id, &s)| (id as u32, ((s - max) * scale).exp()))
        .collect();
    let total: f32 = candidates.iter().map(|&(_, p)| p).sum();
    for candidate in candidates.iter_mut() {
        candidate.1 /= total;
    }
    candidates
}

/// Keeps the `k` most likely candidates, most likely first.
fn keep_top_k(candidates: &mut Vec<(u32, f32)>, k: usize) {
    if k < candidates.len() {
        candidates.select_nth_unstable_by(k - 1, |a, b| b.1.total_cmp(&a.1));
        candidates.truncate(k);
    }
    candidates.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
}

/// Keeps the most likely candidates until their probabilities add up to at least `p`.
///
/// Candidates are sorted first; tokens far below the best (less than a millionth of its
/// probability) can never be needed to reach `p < 1`... unless thousands of them are, so
/// we sort them all, which takes a few milliseconds for Gemma's 262,144 tokens.
fn keep_top_p(candidates: &mut Vec<(u32, f32)>, p: f64) {
    candidates.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut sum = 0.0f64;
    let mut keep = candidates.len();
    for (index, &(_, probability)) in candidates.iter().enumerate() {
        sum += f64::from(probability);
        if sum >= p {
            keep = index + 1;
            break;
        }
    }
    candidates.truncate(keep.max(1));
}

/// Natural-log probabilities of all tokens (the model's own view, before any sampling option).
///
/// ```
/// let logprobs = clinkit::llm::sample::log_softmax(&[0.0, 0.0]);
/// assert!((logprobs[0] - 0.5f32.ln()).abs() < 1e-6);
/// ```
pub fn log_softmax(logits: &[f32]) -> Vec<f32> {
    let max = logits.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let log_total = logits
        .iter()
        .map(|&l| f64::from(l - max).exp())
        .sum::<f64>()
        .ln() as f32;
    logits.iter().map(|&l| l - max - log_total).collect()
}

/// The `n` highest-scoring token ids, best first.
///
/// ```
/// assert_eq!(clinkit::llm::sample::top_n(&[0.1, 0.9, 0.5], 2), vec![1, 2]);
/// ```
pub fn top_n(scores: &[f32], n: usize) -> Vec<u32> {
    let mut ids: Vec<u32> = (0..scores.len() as u32).collect();
    let n = n.min(ids.len());
    if n == 0 {
        return Vec::new();
    }
    ids.select_nth_unstable_by(n - 1, |&a, &b| {
        scores[b as usize].total_cmp(&scores[a as usize])
    });
    ids.truncate(n);
    ids.sort_by(|&a, &b| scores[b as usize].total_cmp(&scores[a as usize]));
    ids
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(temperature: f64, seed: u64) -> GenerateOptions {
        GenerateOptions {
            temperature,
            seed,
            ..GenerateOptions::default()
        }
    }

    #[test]
    fn same_seed_same_draws_and_other_seeds_differ() {
        let logits: Vec<f32> = (0..50).map(|i| (i % 7) as f32 * 0.3).collect();
        let draws = |seed| {
            let mut sampler = Sampler::new(&options(1.0, seed));
            (0..40)
                .map(|_| sampler.pick(&logits, &[], None))
                .collect::<Vec<_>>()
        };
        assert_eq!(draws(1), draws(1));
        assert_ne!(draws(1), draws(2));
    }

    #[test]
    fn top_k_never_leaves_the_k_best() {
        let logits = [5.0, 4.9, 4.8, 0.0, 0.0, 0.0];
        let mut sampler = Sampler::new(&GenerateOptions {
            top_k: Some(2),
            ..options(5.0, 3)
        });
        for _ in 0..200 {
            assert!(sampler.pick(&logits, &[], None) < 2);
        }
    }

    #[test]
    fn top_p_keeps_the_smallest_set_reaching_p() {
        let mut candidates = vec![(0, 0.5), (1, 0.3), (2, 0.15), (3, 0.05)];
        keep_top_p(&mut candidates, 0.75);
        assert_eq!(candidates, vec![(0, 0.5), (1, 0.3)]);
    }

    #[test]
    fn draws_follow_the_probabilities() {
        // p(0) = e^1 / (e^1 + e^0) = 0.731
        let mut sampler = Sampler::new(&options(1.0, 9));
        let zeros = (0..4000)
            .filter(|_| sampler.pick(&[1.0, 0.0], &[], None) == 0)
            .count();
        assert!((2800..3050).contains(&zeros), "{zeros}");
    }

    #[test]
    fn repetition_penalty_changes_the_greedy_choice() {
        let mut sampler = Sampler::new(&GenerateOptions {
            repeat_penalty: 2.0,
            ..GenerateOptions::default()
        });
        assert_eq!(sampler.pick(&[3.0, 2.0], &[0], None), 1);
        assert_eq!(sampler.pick(&[3.0, 2.0], &[1], None), 0);
    }
}
