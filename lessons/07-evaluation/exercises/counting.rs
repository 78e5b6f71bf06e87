//! Exercise: where the counts come from.
//!
//! The gold standard says a letter mentions some medications; a system found some names.
//! Put the two lists side by side: a found name that is in the gold list is right (a true
//! positive), a found name that is not is an invention (a false positive), and a gold name
//! nobody found is a miss (a false negative). Each gold name can be "used up" only once:
//! a system that lists metformin twice gets one right and one invention.
//! Replace the `todo!()` with your code, then run `clinkit lessons check 07`.

use clinkit::eval::Counts;

/// The counts for one letter. Names are the same when they are equal after
/// `.trim().to_lowercase()` ("Metformin " and "metformin" are the same name).
///
/// With gold `["bisoprolol", "metformin", "losartan"]` and found `["Metformin", "aspirin"]`
/// the counts are `Counts::new(1, 1, 2)`: metformin right, aspirin invented, two missed.
pub fn count(gold: &[&str], found: &[&str]) -> Counts {
    todo!("count true positives, false positives and false negatives")
}
