//! Exercise: from scores to probabilities, with a temperature (reference solution).

/// The probabilities of `logits / temperature`, in the same order as `logits`; an `Err`
/// for a temperature of 0 or below.
pub fn softmax(logits: &[f32], temperature: f32) -> Result<Vec<f32>, String> {
    if temperature <= 0.0 {
        return Err(format!(
            "the temperature must be above 0, not {temperature} (0 means: take the most likely token)"
        ));
    }
    let scaled: Vec<f32> = logits.iter().map(|logit| logit / temperature).collect();
    let largest = scaled.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let exps: Vec<f32> = scaled.iter().map(|score| (score - largest).exp()).collect();
    let total: f32 = exps.iter().sum();
    Ok(exps.iter().map(|e| e / total).collect())
}
