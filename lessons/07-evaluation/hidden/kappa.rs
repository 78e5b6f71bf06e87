use crate::exercise::*;

#[test]
fn agrees_with_clinkit_eval_cohen_kappa() {
    let cases: [(&[&str], &[&str]); 4] = [
        (&["I", "II", "II", "III", "I"], &["I", "II", "III", "III", "II"]),
        (&["yes", "no", "yes", "yes"], &["yes", "no", "no", "yes"]),
        (&["a", "b", "c"], &["c", "a", "b"]),
        (&["urgent", "routine", "routine", "routine"], &["urgent", "routine", "routine", "routine"]),
    ];
    for (a, b) in cases {
        let mine = kappa(a, b).unwrap();
        let clinkit = clinkit::eval::cohen_kappa(a, b).unwrap();
        assert!((mine - clinkit).abs() < 1e-12, "{a:?} {b:?}: {mine} vs {clinkit}");
    }
}

#[test]
fn perfect_agreement_is_one_and_one_label_only_is_undefined() {
    assert_eq!(kappa(&["a", "b"], &["a", "b"]), Some(1.0));
    assert_eq!(kappa(&["never", "never"], &["never", "never"]), None);
}

#[test]
fn agreeing_less_than_chance_gives_a_negative_kappa() {
    assert!(kappa(&["a", "b"], &["b", "a"]).unwrap() < 0.0);
}
