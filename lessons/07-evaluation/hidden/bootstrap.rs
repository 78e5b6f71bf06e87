use crate::exercise::*;
use clinkit::eval::Bootstrap;

#[test]
fn the_same_interval_as_clinkit_eval_bootstrap() {
    // The ages of 64 letters: 53 found, 11 missed (the rules baseline on the dev letters).
    let found: Vec<bool> = (0..64).map(|i| i % 6 != 0 || i > 60).collect();
    assert_eq!(found.iter().filter(|&&f| f).count(), 53);
    let bootstrap = Bootstrap { resamples: 1000, seed: 42, confidence: 0.95 };
    let values: Vec<f64> = bootstrap
        .samples(found.len())
        .iter()
        .map(|sample| share_found(&found, sample))
        .collect();
    let (low, high) = interval(&values);
    let expected = bootstrap.intervals(found.len(), |sample| vec![share_found(&found, sample)]);
    assert!((low - expected[0].low).abs() < 1e-12 && (high - expected[0].high).abs() < 1e-12);
    assert!(low < 53.0 / 64.0 && 53.0 / 64.0 < high);
    assert!(high - low > 0.1, "64 letters give an interval wider than 0.1: ({low}, {high})");
}

#[test]
fn every_letter_found_gives_a_point_interval() {
    let found = [true; 5];
    assert_eq!(share_found(&found, &[4, 4, 0, 1, 2]), 1.0);
    assert_eq!(interval(&[1.0, 1.0, 1.0]), (1.0, 1.0));
}
