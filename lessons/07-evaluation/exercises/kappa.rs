//! Exercise: agreement beyond chance, Cohen's kappa.
//!
//! Two annotators read the same letters and each wrote down the smoking status. They
//! agree on most letters, but part of that agreement is luck: if both say "never" for
//! most patients, they will often agree even when guessing. Cohen's kappa says how much
//! better than chance they agree: 1 is perfect, 0 is no better than chance.
//! Replace each `todo!()` with your code, then run `clinkit lessons check 07`.

/// The share of letters on which `a` and `b` gave the same label (`a[i] == b[i]`).
/// 0.0 for no letters.
///
/// `observed_agreement(&["never", "current"], &["never", "former"])` is `0.5`.
pub fn observed_agreement(a: &[&str], b: &[&str]) -> f64 {
    todo!("the share of letters with the same label")
}

/// The agreement expected by chance: for every label, the share of `a`'s labels that are
/// this label times the share of `b`'s labels that are this label, added up over the
/// labels.
///
/// If `a` says "never" for half the letters and `b` for all of them, they agree on
/// "never" by chance half the time: `expected_agreement(&["never", "current"], &["never", "never"])` is `0.5`.
pub fn expected_agreement(a: &[&str], b: &[&str]) -> f64 {
    todo!("the agreement two annotators reach by chance")
}

/// Cohen's kappa: `(observed - expected) / (1 - expected)`. `None` when the expected
/// agreement is 1 (both gave one and the same label to every letter: kappa is undefined).
pub fn kappa(a: &[&str], b: &[&str]) -> Option<f64> {
    todo!("agreement beyond chance")
}
