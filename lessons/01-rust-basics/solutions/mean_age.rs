//! Exercise: a struct for patients, and the mean of their ages (reference solution).

/// A patient on a list: a study number, and the age if it is known.
#[derive(Debug, Clone, PartialEq)]
pub struct Patient {
    /// The study number, such as `"P-017"`.
    pub id: String,
    /// The age in years, `None` when the letter does not say.
    pub age: Option<u32>,
}

/// The mean age of the patients whose age is known, or `None` when no age is known.
pub fn mean_age(patients: &[Patient]) -> Option<f64> {
    let ages: Vec<u32> = patients.iter().filter_map(|p| p.age).collect();
    if ages.is_empty() {
        return None;
    }
    let total: u32 = ages.iter().sum();
    Some(f64::from(total) / ages.len() as f64)
}
