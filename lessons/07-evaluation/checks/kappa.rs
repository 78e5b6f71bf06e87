use crate::exercise::*;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

// Two annotators, the smoking status of ten letters.
const ANNE: [&str; 10] = [
    "never", "never", "current", "former", "never", "never", "former", "current", "never", "never",
];
const BART: [&str; 10] = [
    "never", "former", "current", "former", "never", "never", "never", "current", "never", "never",
];

#[test]
fn they_agree_on_eight_of_ten_letters() {
    assert!(close(observed_agreement(&ANNE, &BART), 0.8));
}

#[test]
fn by_chance_they_would_agree_on_less_than_half() {
    // Both say never on 6 of 10, current on 2, former on 2:
    // never 0.6 * 0.6, current 0.2 * 0.2, former 0.2 * 0.2.
    assert!(close(expected_agreement(&ANNE, &BART), 0.36 + 0.04 + 0.04));
}

#[test]
fn kappa_is_agreement_beyond_chance() {
    let k = kappa(&ANNE, &BART).unwrap();
    assert!(close(k, (0.8 - 0.44) / (1.0 - 0.44)), "kappa = {k}");
}
