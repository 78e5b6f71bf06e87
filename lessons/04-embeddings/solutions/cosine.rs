//! Exercise: the cosine similarity of two embeddings (reference solution).

/// The dot product: multiply the numbers at the same position, and add all products up.
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// The length of a vector: the square root of its dot product with itself.
pub fn length(a: &[f32]) -> f32 {
    dot(a, a).sqrt()
}

/// The cosine similarity: `dot(a, b) / (length(a) * length(b))`; an `Err` for vectors of
/// different lengths or a vector of only zeros.
pub fn cosine(a: &[f32], b: &[f32]) -> Result<f32, String> {
    if a.len() != b.len() {
        return Err(format!(
            "cannot compare a vector of {} numbers with one of {}",
            a.len(),
            b.len()
        ));
    }
    let lengths = length(a) * length(b);
    if lengths == 0.0 {
        return Err("a vector of only zeros has no direction".to_string());
    }
    Ok(dot(a, b) / lengths)
}
