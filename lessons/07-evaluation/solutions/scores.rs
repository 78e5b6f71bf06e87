//! Exercise: precision, recall and F1 by hand (reference solution).

/// Of everything the system said, the share that is right: `tp / (tp + fp)`.
/// Like the positive predictive value of a test. 0.0 when the system said nothing.
pub fn precision(tp: usize, fp: usize) -> f64 {
    if tp + fp == 0 {
        return 0.0;
    }
    tp as f64 / (tp + fp) as f64
}

/// Of everything in the gold standard, the share the system found: `tp / (tp + fn)`.
/// Like the sensitivity of a test. 0.0 when the gold standard has nothing.
pub fn recall(tp: usize, fn_: usize) -> f64 {
    if tp + fn_ == 0 {
        return 0.0;
    }
    tp as f64 / (tp + fn_) as f64
}

/// The harmonic mean of precision and recall: `2 * p * r / (p + r)`. It is high only
/// when both are high. 0.0 when both are 0.
pub fn f1(precision: f64, recall: f64) -> f64 {
    if precision + recall == 0.0 {
        return 0.0;
    }
    2.0 * precision * recall / (precision + recall)
}
