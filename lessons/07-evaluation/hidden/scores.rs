use crate::exercise::*;

#[test]
fn agrees_with_clinkit_eval_counts() {
    for tp in 0..6 {
        for fp in 0..6 {
            for fn_ in 0..6 {
                let counts = clinkit::eval::Counts::new(tp, fp, fn_);
                let p = precision(tp, fp);
                let r = recall(tp, fn_);
                assert!((p - counts.precision()).abs() < 1e-12, "precision({tp}, {fp})");
                assert!((r - counts.recall()).abs() < 1e-12, "recall({tp}, {fn_})");
                assert!((f1(p, r) - counts.f1()).abs() < 1e-12, "f1 of {counts:?}");
            }
        }
    }
}

#[test]
fn f1_is_pulled_down_by_the_lower_of_the_two() {
    assert!((f1(1.0, 0.1) - 2.0 * 0.1 / 1.1).abs() < 1e-12);
    assert!(f1(1.0, 0.1) < 0.2, "not the plain mean (0.55)");
}
