//! `clinkit eval` run as a program on the small hand-made files in tests/fixtures/eval/
//! (written by make_cli_fixtures.py). Every expected number is worked out by hand below.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/eval")
        .join(name)
}

fn clinkit(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_clinkit"))
        .args(args)
        .output()
        .expect("the clinkit binary runs")
}

/// Runs `clinkit eval` on the gold fixture and the prediction fixture `pred`, plus `extra` flags.
fn eval_fixture(pred: &str, extra: &[&str]) -> Output {
    let (gold, pred) = (fixture("gold.jsonl"), fixture(pred));
    let mut args = vec![
        "eval",
        "--gold",
        gold.to_str().unwrap(),
        "--pred",
        pred.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    clinkit(&args)
}

fn eval_json(pred: &str, extra: &[&str]) -> Value {
    let mut flags = vec!["--json"];
    flags.extend_from_slice(extra);
    let output = eval_fixture(pred, &flags);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "clinkit eval failed: {stderr}");
    serde_json::from_slice(&output.stdout).expect("--json prints exactly one JSON document")
}

fn close(actual: &Value, expected: f64) {
    let actual = actual
        .as_f64()
        .unwrap_or_else(|| panic!("not a number: {actual}"));
    assert!(
        (actual - expected).abs() < 1e-12,
        "expected {expected}, got {actual}"
    );
}

fn row<'a>(rows: &'a Value, key: &str, name: &str) -> &'a Value {
    rows.as_array()
        .unwrap()
        .iter()
        .find(|r| r[key] == name)
        .unwrap_or_else(|| panic!("no row {name}"))
}

fn counts(row: &Value) -> (u64, u64, u64) {
    (
        row["tp"].as_u64().unwrap(),
        row["fp"].as_u64().unwrap(),
        row["fn"].as_u64().unwrap(),
    )
}

/// Per-field counts, by hand:
/// - ref-1 (Dutch): all right except diabetes predicted `present` (gold `absent`: 1 FP + 1 FN)
///   and smoking left out (1 FN); both medications are right by name, metoprolol's unit
///   written `milligram` and the frequencies `2dd1`, `1dd1` (right after normalisation).
/// - ref-2 (English): age 27 for 72 (1 FP + 1 FN), no referral reason (1 FN), atrial
///   fibrillation `present` for `family` (1 FP + 1 FN), an invented furosemide (1 FP),
///   atorvastatin 20 mg for 40 mg (found by name; dose wrong), NT-proBNP 1260 for 1250
///   (within 1%: right); its one allergy (a one-item list) is right.
/// - ref-3: no prediction: its age, sex, two diagnoses and two allergies are 6 FN.
#[test]
fn field_scores_match_the_hand_count() {
    let report = eval_json("pred.jsonl", &["--bootstrap", "200"]);
    let fields = &report["fields"];
    let expected = [
        ("age", (1, 1, 2)),
        ("sex", (2, 0, 1)),
        ("referral_reason", (1, 0, 1)),
        ("urgency", (1, 0, 0)),
        ("diagnoses", (2, 2, 4)),
        ("medications", (4, 1, 0)),
        ("allergies", (1, 0, 2)),
        ("lvef_percent", (1, 0, 0)),
        ("nyha_class", (1, 0, 0)),
        ("smoking", (1, 0, 1)),
        ("ntprobnp_ng_l", (1, 0, 0)),
    ];
    let names: Vec<&str> = fields
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        expected.map(|(name, _)| name),
        "schema order, only fields that appear"
    );
    for (name, want) in expected {
        assert_eq!(counts(row(fields, "field", name)), want, "{name}");
    }
    close(&row(fields, "field", "age")["f1"], 0.4);
    close(&row(fields, "field", "diagnoses")["precision"], 0.5);
    close(&row(fields, "field", "diagnoses")["recall"], 1.0 / 3.0);
    // Micro: 16 TP, 4 FP, 11 FN.
    assert_eq!(counts(&report["micro"]), (16, 4, 11));
    close(&report["micro"]["precision"], 16.0 / 20.0);
    close(&report["micro"]["recall"], 16.0 / 27.0);
    close(&report["micro"]["f1"], 32.0 / 47.0); // 2·16 / (2·16 + 4 + 11)
                                                // Macro F1: (2/5 + 4/5 + 2/3 + 1 + 2/5 + 8/9 + 1/2 + 1 + 1 + 2/3 + 1) / 11 = 749/990.
    close(&report["macro"]["f1"], 749.0 / 990.0);
    // Intervals exist, contain the point estimate, and stay within [0, 1].
    let ci = &report["micro"]["f1_interval"];
    let (low, high) = (ci["low"].as_f64().unwrap(), ci["high"].as_f64().unwrap());
    let micro = 32.0 / 47.0;
    assert!(
        (0.0..=micro).contains(&low) && (micro..=1.0).contains(&high),
        "{ci}"
    );
    assert_eq!(report["missing_predictions"], serde_json::json!(["ref-3"]));
}

#[test]
fn medication_attributes_kappa_and_errors() {
    let report = eval_json("pred.jsonl", &["--bootstrap", "0"]);
    // dose: metoprolol, furosemide, aspirin right, atorvastatin wrong; unit: 4 right
    // (milligram = mg); frequency: 2dd1 = twice daily, 1dd1 and od = once daily;
    // atorvastatin has none on either side, so it does not count.
    let attributes = &report["attributes"];
    for (name, correct, total) in [("dose", 3, 4), ("unit", 4, 4), ("frequency", 3, 3)] {
        let a = row(attributes, "attribute", name);
        assert_eq!(
            (a["correct"].as_u64().unwrap(), a["total"].as_u64().unwrap()),
            (correct, total),
            "{name}"
        );
    }
    // sex: (female, female), (male, male), (female, none): observed 2/3, expected 1/3, kappa 0.5.
    let agreement = &report["agreement"];
    close(&row(agreement, "field", "sex")["kappa"], 0.5);
    // smoking: (never, none), (current, current), (none, none): kappa (2/3 − 1/3) / (2/3) = 0.5.
    close(&row(agreement, "field", "smoking")["kappa"], 0.5);
    // diagnosis status on name-matched pairs: (absent, present), (present, present),
    // (historical, historical), (family, present): observed 1/2, expected 1/4, kappa 1/3.
    close(
        &row(agreement, "field", "diagnoses.status")["kappa"],
        1.0 / 3.0,
    );
    // nyha_class is ordered: weighted kappas on the pairs where both gave a class. Only
    // ref-1 (II, II) has one, so chance disagreement is 0 and they are undefined.
    let nyha = row(agreement, "field", "nyha_class");
    close(&nyha["kappa"], 1.0);
    assert_eq!(nyha["ordered"]["n"], 1);
    assert_eq!(
        nyha["ordered"]["order"],
        serde_json::json!(["I", "II", "III", "IV"])
    );
    assert!(nyha["ordered"]["linear"].is_null() && nyha["ordered"]["quadratic"].is_null());
    assert!(row(agreement, "field", "sex").get("ordered").is_none());
    assert!(report["f1_interval"].is_null() && report["micro"]["f1_interval"].is_null());

    let errors = report["errors"].as_array().unwrap();
    let negated = errors
        .iter()
        .find(|e| {
            e["field"] == "diagnoses" && e["kind"] == "false_negative" && e["context"] == "absent"
        })
        .expect("the missed negated diabetes is listed");
    assert_eq!(negated["id"], "ref-1");
    assert_eq!(
        negated["note"],
        "right name, wrong status: predicted present"
    );
    assert_eq!(negated["snippet"]["focus"], "diabetes mellitus");
    assert_eq!(
        negated["snippet"]["before"],
        "…ens palpitaties. Voorgeschiedenis: geen "
    );
    let dose = errors
        .iter()
        .find(|e| e["kind"] == "wrong_attribute")
        .unwrap();
    assert_eq!(
        (dose["value"].as_str(), dose["note"].as_str()),
        (Some("atorvastatin"), Some("gold 40 mg, predicted 20 mg"))
    );
    let age = errors
        .iter()
        .find(|e| e["field"] == "age" && e["kind"] == "false_positive")
        .unwrap();
    assert_eq!(age["note"], "gold says 72");
    assert_eq!(errors.iter().filter(|e| e["id"] == "ref-3").count(), 6);
}

/// Evidence of `referral_reason`: ref-1 predicts "wegens palpitaties" for gold
/// "palpitaties" (overlap, not exact); ref-2 has no prediction for "chest pain".
/// PHI: NAME "mevr. Jansen" for "Jansen" (lenient only), "Smith" exact, "de Vriës" missed;
/// AGE "67" exact, "72" tagged as DATE, "80" missed.
#[test]
fn span_scores_strict_and_lenient() {
    let report = eval_json("pred.jsonl", &["--bootstrap", "0", "--phi"]);
    let reason = row(&report["evidence"]["rows"], "name", "referral_reason");
    assert_eq!(counts(&reason["strict"]), (0, 1, 2));
    assert_eq!(counts(&reason["lenient"]), (1, 0, 1));
    let phi = &report["phi"];
    assert_eq!(
        counts(&row(&phi["rows"], "name", "NAME")["strict"]),
        (1, 1, 2)
    );
    assert_eq!(
        counts(&row(&phi["rows"], "name", "NAME")["lenient"]),
        (2, 0, 1)
    );
    assert_eq!(
        counts(&row(&phi["rows"], "name", "AGE")["lenient"]),
        (1, 0, 2)
    );
    assert_eq!(
        counts(&row(&phi["rows"], "name", "DATE")["strict"]),
        (0, 1, 0)
    );
    assert_eq!(counts(&phi["micro"]["strict"]), (2, 2, 4));
    assert_eq!(counts(&phi["micro"]["lenient"]), (3, 1, 3));
    assert_eq!(counts(&phi["any_type"]["strict"]), (3, 1, 3));
    assert_eq!(counts(&phi["any_type"]["lenient"]), (4, 0, 2));
    let as_date = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["field"] == "phi" && e["context"] == "AGE" && e["id"] == "ref-2")
        .unwrap();
    assert_eq!(as_date["note"], "found, but as DATE");
    let vries = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["value"] == "de Vriës")
        .unwrap();
    assert_eq!(
        vries["snippet"]["after"],
        ", 80 jaar. Bekend met atriumfibrilleren …"
    );
}

#[test]
fn same_seed_same_intervals_and_a_perfect_prediction_scores_one() {
    let first = eval_json("pred.jsonl", &["--bootstrap", "300", "--seed", "7"]);
    let again = eval_json("pred.jsonl", &["--bootstrap", "300", "--seed", "7"]);
    assert_eq!(first["micro"]["f1_interval"], again["micro"]["f1_interval"]);
    assert_eq!(first["fields"], again["fields"]);
    let perfect = eval_json("pred_perfect.jsonl", &["--bootstrap", "50", "--phi"]);
    close(&perfect["micro"]["f1"], 1.0);
    close(&perfect["micro"]["f1_interval"]["low"], 1.0);
    close(&perfect["phi"]["micro"]["strict"]["f1"], 1.0);
    assert_eq!(perfect["errors"], serde_json::json!([]));
}

#[test]
fn paired_comparison_with_a_perfect_system() {
    let perfect = fixture("pred_perfect.jsonl");
    let report = eval_json(
        "pred.jsonl",
        &["--bootstrap", "500", "--compare", perfect.to_str().unwrap()],
    );
    let comparison = &report["comparison"];
    close(&comparison["micro"]["f1_a"], 32.0 / 47.0);
    close(&comparison["micro"]["f1_b"], 1.0);
    close(&comparison["micro"]["difference"], 15.0 / 47.0);
    let interval = &comparison["micro"]["interval"];
    assert!(
        interval["low"].as_f64().unwrap() > 0.0,
        "B is better on every resample: {interval}"
    );
    close(&comparison["b_better_share"], 1.0);
}

#[test]
fn text_report_html_and_svg_files() {
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("report.html");
    let svgs = dir.path().join("charts");
    let output = eval_fixture(
        "pred.jsonl",
        &[
            "--bootstrap",
            "100",
            "--html",
            html.to_str().unwrap(),
            "--svg-dir",
            svgs.to_str().unwrap(),
        ],
    );
    let (stdout, stderr) = (
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
    );
    assert!(output.status.success(), "{stderr}");
    assert!(stdout.contains("clinkit eval: 3 documents"), "{stdout}");
    assert!(
        stdout.contains("diagnoses (absent): 1 FN, 0 FP"),
        "{stdout}"
    );
    assert!(stdout.contains("[diabetes mellitus]"), "{stdout}");
    assert!(
        stdout.contains("nyha_class: weighted kappas use the order I < II < III < IV"),
        "{stdout}"
    );
    assert!(
        !stdout.contains("warning"),
        "warnings go to stderr: {stdout}"
    );
    assert!(
        stderr.contains("warning:") && stderr.contains("ref-3"),
        "{stderr}"
    );
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>") && page.contains("<mark>diabetes mellitus</mark>"));
    assert!(!page.contains("<script"), "self-contained, no scripts");
    for chart in [
        "f1.svg",
        "confusion_sex.svg",
        "confusion_smoking.svg",
        "confusion_diagnoses_status.svg",
    ] {
        let svg =
            std::fs::read_to_string(svgs.join(chart)).unwrap_or_else(|e| panic!("{chart}: {e}"));
        assert!(svg.starts_with("<svg"), "{chart}");
    }
}

#[test]
fn a_bad_gold_line_names_file_line_and_field() {
    let (gold, pred) = (fixture("bad_gold.jsonl"), fixture("pred.jsonl"));
    let output = clinkit(&[
        "eval",
        "--gold",
        gold.to_str().unwrap(),
        "--pred",
        pred.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(
            "bad_gold.jsonl:3: field `fields.age.value`: expected a whole number, found \"sixty\""
        ),
        "{stderr}"
    );
    assert!(output.stdout.is_empty());
}

#[test]
fn a_prediction_for_an_unknown_document_is_an_error() {
    let (gold, pred) = (fixture("gold.jsonl"), fixture("pred_unknown_id.jsonl"));
    let output = clinkit(&[
        "eval",
        "--gold",
        gold.to_str().unwrap(),
        "--pred",
        pred.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(
            "pred_unknown_id.jsonl:2: field `id`: document `ref-999` is not in the gold file"
        ),
        "{stderr}"
    );
    assert!(output.stdout.is_empty(), "no half JSON on stdout");
}

#[test]
fn a_missing_file_is_an_error_naming_it() {
    let pred = fixture("pred.jsonl");
    let output = clinkit(&[
        "eval",
        "--gold",
        "no/such/gold.jsonl",
        "--pred",
        pred.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("no/such/gold.jsonl"), "{stderr}");
}

/// Width and height from the `<svg width=".." height="..">` tag.
#[cfg(feature = "png")]
fn svg_size(svg: &str) -> (u32, u32) {
    let attribute = |name: &str| -> u32 {
        let start = svg.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        let end = start + svg[start..].find('"').unwrap();
        svg[start..end].parse().unwrap()
    };
    (attribute("width"), attribute("height"))
}

#[cfg(feature = "png")]
#[test]
fn png_charts_have_twice_the_svg_size_and_show_text() {
    use clinkit::eval::PNG_SCALE;
    use resvg::tiny_skia::Pixmap;

    let dir = tempfile::tempdir().unwrap();
    let (svgs, pngs) = (dir.path().join("svg"), dir.path().join("png"));
    let output = eval_fixture(
        "pred.jsonl",
        &[
            "--bootstrap",
            "50",
            "--svg-dir",
            svgs.to_str().unwrap(),
            "--png-dir",
            pngs.to_str().unwrap(),
        ],
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert_eq!(PNG_SCALE, 2.0);
    for chart in [
        "f1",
        "confusion_sex",
        "confusion_smoking",
        "confusion_nyha_class",
        "confusion_diagnoses_status",
    ] {
        assert!(stderr.contains(&format!("{chart}.png")), "{stderr}");
        let svg = std::fs::read_to_string(svgs.join(format!("{chart}.svg"))).unwrap();
        let (width, height) = svg_size(&svg);
        let png = Pixmap::load_png(pngs.join(format!("{chart}.png")))
            .unwrap_or_else(|e| panic!("{chart}.png: {e}"));
        assert_eq!(
            (png.width(), png.height()),
            (2 * width, 2 * height),
            "{chart}"
        );
        // Not blank: mostly white paper, with dark ink (text, axes, whiskers).
        let brightness = |x: u32, y: u32| -> u32 {
            let p = png.pixel(x, y).unwrap();
            (u32::from(p.red()) + u32::from(p.green()) + u32::from(p.blue())) / 3
        };
        let (mut dark, mut light) = (0, 0);
        for y in 0..png.height() {
            for x in 0..png.width() {
                match brightness(x, y) {
                    0..=80 => dark += 1,
                    200.. => light += 1,
                    _ => {}
                }
            }
        }
        let all = png.width() * png.height();
        assert!(
            dark * 200 > all,
            "{chart}: only {dark} dark pixels of {all}"
        );
        assert!(
            light * 4 > all,
            "{chart}: only {light} light pixels of {all}"
        );
        if chart == "f1" {
            // Left of the axis (its ticks at x = 136 to 148 in the SVG) the F1 chart has
            // only the field names: dark pixels there mean the text was drawn.
            let text_ink = (0..png.height())
                .flat_map(|y| (0..2 * 130).map(move |x| (x, y)))
                .filter(|&(x, y)| brightness(x, y) <= 80)
                .count();
            assert!(
                text_ink > 1000,
                "field names missing: {text_ink} dark pixels"
            );
        }
    }
}
