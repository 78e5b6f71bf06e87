//! clinkit's metrics against scikit-learn (tests/fixtures/eval/sklearn_reference.json,
//! written by make_sklearn_fixture.py) and against small cases worked out by hand.

use clinkit::eval::{
    cohen_kappa, label_counts, macro_average, micro_average, weighted_cohen_kappa, ConfusionMatrix,
    KappaWeights,
};
use clinkit::eval::{evaluate, EvalOptions};
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
fn weighted_kappa_matches_scikit_learn() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/eval/sklearn_reference.json"
    );
    let reference: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut checked = 0;
    for case in reference["cases"].as_array().unwrap() {
        let Some(order) = case.get("order") else {
            continue;
        };
        let name = case["name"].as_str().unwrap();
        let order = strings(order);
        let order: Vec<&str> = order.iter().map(String::as_str).collect();
        let (gold, pred) = (strings(&case["y_true"]), strings(&case["y_pred"]));
        for (weights, key) in [
            (KappaWeights::Linear, "linear"),
            (KappaWeights::Quadratic, "quadratic"),
        ] {
            let ours = weighted_cohen_kappa(&gold, &pred, &order, weights);
            match (ours, case["weighted_kappa"][key].as_f64()) {
                (Some(ours), Some(theirs)) => near(ours, theirs, &format!("{name} {key} kappa")),
                (ours, theirs) => assert_eq!(ours, theirs, "{name} {key} kappa"),
            }
            checked += 1;
        }
    }
    assert!(checked >= 12, "only {checked} weighted kappas checked");
}

#[test]
fn weighted_kappa_by_hand_on_nyha_classes() {
    // 12 patients, NYHA class by gold (rows) and by the model (columns):
    //            I  II III IV   row total
    //   I        2   1   0  0   3
    //   II       0   3   1  0   4
    //   III      1   0   2  0   3      (one III called I: two classes off)
    //   IV       0   0   1  1   2
    //   column   3   4   4  1   n = 12
    let order = ["I", "II", "III", "IV"];
    let mut matrix = ConfusionMatrix::new("nyha_class", &order);
    matrix.counts = vec![
        vec![2, 1, 0, 0],
        vec![0, 3, 1, 0],
        vec![1, 0, 2, 0],
        vec![0, 0, 1, 1],
    ];
    // Plain: observed 8/12, expected (3·3 + 4·4 + 3·4 + 2·1)/144 = 39/144, kappa 19/35.
    let plain = matrix.kappa().unwrap();
    assert!((plain - 19.0 / 35.0).abs() < 1e-12);
    // Linear weights |i − j|: observed disagreement 1 + 1 + 2 + 1 = 5; expected
    // Σ |i − j|·row_i·column_j / n = (3·15 + 4·9 + 3·11 + 2·21) / 12 = 156/12 = 13;
    // kappa = 1 − 5/13 = 8/13.
    let linear = matrix.weighted_kappa(KappaWeights::Linear).unwrap();
    assert!((linear - 8.0 / 13.0).abs() < 1e-12, "{linear}");
    // Quadratic weights (i − j)²: observed 1 + 1 + 4 + 1 = 7; expected
    // (3·29 + 4·11 + 3·17 + 2·47) / 12 = 276/12 = 23; kappa = 1 − 7/23 = 16/23.
    let quadratic = matrix.weighted_kappa(KappaWeights::Quadratic).unwrap();
    assert!((quadratic - 16.0 / 23.0).abs() < 1e-12, "{quadratic}");
    // The same from label lists, with two unmentioned classes that weighted kappa leaves out.
    let (mut gold, mut pred) = (Vec::new(), Vec::new());
    for (g, row) in matrix.counts.iter().enumerate() {
        for (p, &count) in row.iter().enumerate() {
            for _ in 0..count {
                gold.push(order[g]);
                pred.push(order[p]);
            }
        }
    }
    gold.extend(["(none)", "II"]);
    pred.extend(["IV", "(none)"]);
    let from_lists = weighted_cohen_kappa(&gold, &pred, &order, KappaWeights::Linear).unwrap();
    assert!((from_lists - 8.0 / 13.0).abs() < 1e-12);
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

#[test]
fn the_report_gives_weighted_kappa_for_nyha_class() {
    let letter = |id: usize, class: Option<&str>| -> clinkit::data::Document {
        let fields = match class {
            Some(class) => format!(r#"{{"nyha_class": {{"value": "{class}", "spans": []}}}}"#),
            None => "{}".to_string(),
        };
        serde_json::from_str(&format!(
            r#"{{"id": "r{id}", "lang": "en", "kind": "referral", "text": "NYHA", "fields": {fields}}}"#
        ))
        .unwrap()
    };
    let gold = [
        Some("I"),
        Some("II"),
        Some("III"),
        Some("IV"),
        Some("II"),
        None,
    ];
    let pred = [
        Some("II"),
        Some("II"),
        Some("III"),
        Some("III"),
        None,
        Some("I"),
    ];
    let docs = |classes: &[Option<&str>]| -> Vec<clinkit::data::Document> {
        classes
            .iter()
            .enumerate()
            .map(|(k, c)| letter(k, *c))
            .collect()
    };
    let options = EvalOptions {
        bootstrap: clinkit::eval::Bootstrap {
            resamples: 0,
            ..Default::default()
        },
        ..Default::default()
    };
    let report = evaluate(&docs(&gold), &docs(&pred), &options).unwrap();
    let nyha = report
        .agreement
        .iter()
        .find(|a| a.field == "nyha_class")
        .unwrap();
    let ordered = nyha.ordered.as_ref().expect("nyha_class is ordered");
    // Pairs (I, II), (II, II), (III, III), (IV, III); the two with "(none)" are left out.
    assert_eq!((nyha.n, ordered.n), (6, 4));
    let order = ["I", "II", "III", "IV"];
    let (g4, p4) = (["I", "II", "III", "IV"], ["II", "II", "III", "III"]);
    let linear = weighted_cohen_kappa(&g4, &p4, &order, KappaWeights::Linear);
    let quadratic = weighted_cohen_kappa(&g4, &p4, &order, KappaWeights::Quadratic);
    // Rows 1, 1, 1, 1; columns 0, 2, 2, 0. Linear: expected Σ|i − j|·row·column / n =
    // (6 + 2 + 2 + 6) / 4 = 4, observed 1 + 1 = 2, kappa 1/2. Quadratic: expected
    // (10 + 2 + 2 + 10) / 4 = 6, observed 2, kappa 2/3.
    assert!((linear.unwrap() - 0.5).abs() < 1e-12);
    assert!((quadratic.unwrap() - 2.0 / 3.0).abs() < 1e-12);
    assert_eq!((ordered.linear, ordered.quadratic), (linear, quadratic));
    // Other categorical fields have no order and no weighted kappas.
    assert!(report
        .agreement
        .iter()
        .all(|a| a.field == "nyha_class" || a.ordered.is_none()));
}
