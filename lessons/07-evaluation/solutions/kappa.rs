//! Exercise: agreement beyond chance, Cohen's kappa (reference solution).

/// The share of letters on which `a` and `b` gave the same label (`a[i] == b[i]`).
/// 0.0 for no letters.
pub fn observed_agreement(a: &[&str], b: &[&str]) -> f64 {
    if a.is_empty() {
        return 0.0;
    }
    let same = a.iter().zip(b).filter(|(x, y)| x == y).count();
    same as f64 / a.len() as f64
}

/// The share of `labels` that are `label`.
fn share(labels: &[&str], label: &str) -> f64 {
    labels.iter().filter(|l| **l == label).count() as f64 / labels.len() as f64
}

/// The agreement expected by chance: for every label, the share of `a`'s labels that are
/// this label times the share of `b`'s labels that are this label, added up over the
/// labels.
pub fn expected_agreement(a: &[&str], b: &[&str]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let mut labels: Vec<&str> = a.iter().chain(b).copied().collect();
    labels.sort();
    labels.dedup();
    labels.iter().map(|label| share(a, label) * share(b, label)).sum()
}

/// Cohen's kappa: `(observed - expected) / (1 - expected)`. `None` when the expected
/// agreement is 1 (both gave one and the same label to every letter: kappa is undefined).
pub fn kappa(a: &[&str], b: &[&str]) -> Option<f64> {
    let expected = expected_agreement(a, b);
    if expected >= 1.0 {
        return None;
    }
    Some((observed_agreement(a, b) - expected) / (1.0 - expected))
}
