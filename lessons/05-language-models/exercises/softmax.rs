//! Exercise: from scores to probabilities, with a temperature.
//!
//! For every token of its vocabulary a language model gives a score, a *logit*: any number,
//! higher means more likely. The *softmax* turns scores into probabilities: `exp` of each
//! score (always positive), divided by the sum of all of them (so they add up to 1).
//! Dividing the scores by a *temperature* first changes how sure the model sounds: below 1
//! the likely tokens get even more likely, above 1 the unlikely ones get a chance.
//! Replace the `todo!()` with your code, then run `clinkit lessons check 05`.

/// The probabilities of `logits / temperature`, in the same order as `logits`.
///
/// Computers overflow on `exp(1000.0)`, so subtract the largest score from every score
/// before `exp`: that changes nothing in the result, because the same factor cancels out.
/// A temperature of 0 or below is an `Err` (temperature 0 means "always take the most
/// likely token": there is nothing to compute). No logits give no probabilities.
///
/// `softmax(&[2.0, 0.0], 1.0)` is about `Ok(vec![0.881, 0.119])`, and
/// `softmax(&[2.0, 0.0], 2.0)` about `Ok(vec![0.731, 0.269])`: a higher temperature flattens.
pub fn softmax(logits: &[f32], temperature: f32) -> Result<Vec<f32>, String> {
    todo!("divide by the temperature, subtract the maximum, exp, divide by the sum")
}
