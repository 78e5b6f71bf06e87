//! Exercise: a bootstrap confidence interval (reference solution).

use clinkit::eval::quantile;

/// The share of letters in which the age was found, on one resample. `found[i]` says
/// whether it was found in letter `i`; `sample` lists letter numbers, with repeats (letter
/// 2 drawn twice counts twice). 0.0 for an empty sample.
pub fn share_found(found: &[bool], sample: &[usize]) -> f64 {
    if sample.is_empty() {
        return 0.0;
    }
    let hits = sample.iter().filter(|&&letter| found[letter]).count();
    hits as f64 / sample.len() as f64
}

/// The 95% interval of many resampled values: the 2.5% and 97.5% quantiles, as
/// `(low, high)`.
pub fn interval(values: &[f64]) -> (f64, f64) {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    (quantile(&sorted, 0.025), quantile(&sorted, 0.975))
}
