//! Exercise: precision, recall and F1 by hand.
//!
//! A system read some letters. Against the gold standard, each of its answers is right
//! (a *true positive*, tp) or invented (a *false positive*, fp), and each gold answer it
//! did not give is a miss (a *false negative*, fn). Three numbers come from these counts.
//! Replace each `todo!()` with your code, then run `clinkit lessons check 07`.

/// Of everything the system said, the share that is right: `tp / (tp + fp)`.
/// Like the positive predictive value of a test. 0.0 when the system said nothing.
///
/// `precision(3, 2)` is `0.6`: 3 of the 5 answers it gave are right.
pub fn precision(tp: usize, fp: usize) -> f64 {
    todo!("the share of the system's answers that is right")
}

/// Of everything in the gold standard, the share the system found: `tp / (tp + fn)`.
/// Like the sensitivity of a test. 0.0 when the gold standard has nothing.
///
/// `recall(3, 1)` is `0.75`: it found 3 of the 4 that are there.
pub fn recall(tp: usize, fn_: usize) -> f64 {
    todo!("the share of the gold answers the system found")
}

/// The harmonic mean of precision and recall: `2 * p * r / (p + r)`. It is high only
/// when both are high. 0.0 when both are 0.
///
/// `f1(0.6, 0.75)` is `2.0 / 3.0`.
pub fn f1(precision: f64, recall: f64) -> f64 {
    todo!("one number that is high only when precision and recall both are")
}
