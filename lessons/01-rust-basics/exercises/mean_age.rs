//! Exercise: a struct for patients, and the mean of their ages.
//!
//! Replace the `todo!()` with your code, then run `clinkit lessons check 01`.

/// A patient on a list: a study number, and the age if it is known.
#[derive(Debug, Clone, PartialEq)]
pub struct Patient {
    /// The study number, such as `"P-017"`.
    pub id: String,
    /// The age in years, `None` when the letter does not say.
    pub age: Option<u32>,
}

/// The mean age of the patients whose age is known, or `None` when no age is known
/// (an empty list included).
pub fn mean_age(patients: &[Patient]) -> Option<f64> {
    todo!("average the known ages")
}
