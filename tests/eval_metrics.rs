//! clinkit's metrics against scikit-learn (tests/fixtures/eval/sklearn_reference.json,
//! written by make_sklearn_fixture.py) and against small cases worked out by hand.

use clinkit::eval::{cohen_kappa, label_counts, macro_average, micro_average, ConfusionMatrix};
use serde_json::Value;

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

fn numbers(value: &Value) -> Vec<f64> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect()
}

fn near(actual: f64, expected: f64, what: &str) {
    assert!(
        (actual - expected).abs() < 1e-9,
        "{what}: clinkit {actual}, scikit-learn {expected}"
    );
}

#[test]
fn precision_recall_f1_and_kappa_match_scikit_learn() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/eval/sklearn_reference.json"
    );
    let reference: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let cases = reference["cases"].as_array().unwrap();
    assert!(cases.len() >= 5);
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let (gold, pred, labels) = (
            strings(&case["y_true"]),
            strings(&case["y_pred"]),
            strings(&case["labels"]),
        );
        let counts = label_counts(&gold, &pred, &labels);
        let per_label = &case["per_label"];
        for (k, label) in labels.iter().enumerate() {
            let what = format!("{name} / {label}");
            near(
                counts[k].precision(),
                numbers(&per_label["precision"])[k],
                &format!("{what} precision"),
            );
            near(
                counts[k].recall(),
                numbers(&per_label["recall"])[k],
                &format!("{what} recall"),
            );
            near(
                counts[k].f1(),
                numbers(&per_label["f1"])[k],
                &format!("{what} f1"),
            );
            assert_eq!(
                counts[k].support() as f64,
                numbers(&per_label["support"])[k],
                "{what} support"
            );
        }
        let (micro, macro_) = (micro_average(&counts), macro_average(&counts));
        for (average, ours, theirs) in [
            ("micro", micro, &case["micro"]),
            ("macro", macro_, &case["macro"]),
        ] {
            near(
                ours.precision,
                theirs["precision"].as_f64().unwrap(),
                &format!("{name} {average} precision"),
            );
            near(
                ours.recall,
                theirs["recall"].as_f64().unwrap(),
                &format!("{name} {average} recall"),
            );
            near(
                ours.f1,
                theirs["f1"].as_f64().unwrap(),
                &format!("{name} {average} f1"),
            );
        }
        match (cohen_kappa(&gold, &pred), case["kappa"].as_f64()) {
            (Some(ours), Some(theirs)) => near(ours, theirs, &format!("{name} kappa")),
            (ours, theirs) => assert_eq!(ours, theirs, "{name} kappa"),
        }
    }
}

#[test]
fn kappa_by_hand_on_a_two_by_two_table() {
    // 50 letters, two annotators label urgency:
    //               B routine  B urgent
    // A routine        20         5
    // A urgent         10        15
    // observed = 35/50 = 0.7; A says routine 25/50, B 30/50;
    // expected = 0.5·0.6 + 0.5·0.4 = 0.5; kappa = (0.7 − 0.5) / 0.5 = 0.4.
    let mut matrix = ConfusionMatrix::new("urgency", &["routine", "urgent"]);
    matrix.counts = vec![vec![20, 5], vec![10, 15]];
    assert!((matrix.observed_agreement() - 0.7).abs() < 1e-12);
    assert!((matrix.expected_agreement() - 0.5).abs() < 1e-12);
    assert!((matrix.kappa().unwrap() - 0.4).abs() < 1e-12);
}
