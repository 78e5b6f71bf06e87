//! Exercise: a bootstrap confidence interval.
//!
//! The rules baseline found the age in 53 of 64 letters that state one: a recall of 0.83.
//! With other letters it would have been a bit different. The bootstrap shows how much:
//! draw as many letters as there are, at random *with repeats* (a *resample*), compute the
//! score on that draw, do it a thousand times, and keep the middle 95% of the scores.
//! Replace each `todo!()` with your code, then run `clinkit lessons check 07`.

/// The share of letters in which the age was found, on one resample. `found[i]` says
/// whether it was found in letter `i`; `sample` lists letter numbers, with repeats (letter
/// 2 drawn twice counts twice). 0.0 for an empty sample.
///
/// `share_found(&[true, false, true, true], &[0, 0, 1, 3])` is `0.75`.
pub fn share_found(found: &[bool], sample: &[usize]) -> f64 {
    todo!("the share found among the letters drawn")
}

/// The 95% interval of many resampled values: the 2.5% and 97.5% quantiles, as
/// `(low, high)`. Use `clinkit::eval::quantile`, which needs the values sorted.
///
/// For the 101 values 0.00, 0.01, ..., 1.00 the interval is `(0.025, 0.975)`.
pub fn interval(values: &[f64]) -> (f64, f64) {
    todo!("the middle 95% of the values")
}
