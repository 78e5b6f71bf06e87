//! Exercise: the cosine similarity of two embeddings.
//!
//! An embedding is a list of numbers (a *vector*) that stands for the meaning of a text.
//! Two texts are similar when their vectors point the same way. The cosine similarity
//! measures that: 1 for the same direction, 0 for unrelated (at right angles), -1 for
//! opposite. It does not care how long the vectors are, only where they point.
//! Replace each `todo!()` with your code, then run `clinkit lessons check 04`.

/// The dot product: multiply the numbers at the same position, and add all products up.
///
/// `dot(&[1.0, 2.0, 3.0], &[4.0, 5.0, 6.0])` is `1*4 + 2*5 + 3*6 = 32.0`.
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    todo!("add up a[i] * b[i]")
}

/// The length of a vector (from the origin to its tip): the square root of its dot
/// product with itself, as in Pythagoras.
///
/// `length(&[3.0, 4.0])` is `5.0`.
pub fn length(a: &[f32]) -> f32 {
    todo!("the square root of dot(a, a)")
}

/// The cosine similarity: `dot(a, b) / (length(a) * length(b))`.
///
/// Vectors of different lengths cannot be compared, and a vector of only zeros points
/// nowhere: both are an `Err` with a message that says what is wrong.
///
/// `cosine(&[3.0, 4.0], &[4.0, 3.0])` is `Ok(0.96)`: `24 / (5 * 5)`.
pub fn cosine(a: &[f32], b: &[f32]) -> Result<f32, String> {
    todo!("check the input, then dot(a, b) / (length(a) * length(b))")
}
