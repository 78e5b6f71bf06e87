//! When is a predicted field value "the same" as the gold value? One rule per kind of field.
//!
//! | field kind ([`FieldKind`]) | fields | a prediction is right when |
//! | --- | --- | --- |
//! | whole number | `age`, `lvef_percent`, `bp_systolic`, `bp_diastolic` | it is exactly the gold number |
//! | number | `ntprobnp_ng_l`, `egfr` | it is within the relative tolerance (default 1%) of the gold number |
//! | choice | `sex`, `urgency`, `nyha_class`, `smoking` | the words are equal after [`normalize_text`] |
//! | text | `referral_reason` | the texts are equal after [`normalize_text`] (exact, so strict) |
//! | list of texts | `allergies` | matched as a set: each gold text pairs with an equal predicted text |
//! | diagnoses | `diagnoses` | matched as a set on **(name, status)**: "geen diabetes" predicted as present diabetes is a false positive *and* a false negative |
//! | medications | `medications` | matched as a set on the **name**; dose (after unit conversion), unit and frequency are scored apart as attribute accuracy ([`medication_attributes`]) |
//!
//! A field with one value counts like a list of at most one: a wrong age is one false
//! positive (the wrong number) and one false negative (the missed right number), a missing
//! age is one false negative, an invented age one false positive. Fields that are not in
//! the referral schema (other document kinds) are compared as JSON with texts normalised
//! and numbers within the tolerance.

use serde_json::Value;

use crate::data::referral::FieldKind;
use crate::data::FieldValue;
use crate::eval::matching::Matching;
use crate::eval::normalize::{
    doses_match, normalize_frequency, normalize_text, normalize_unit, numbers_match,
};

/// True when a predicted value counts as the gold value for a field of kind `kind`
/// (`None` for a field outside the referral schema). See the table in this module.
///
/// ```
/// use clinkit::data::referral::FieldKind;
/// use clinkit::eval::values_match;
/// use serde_json::json;
/// assert!(values_match(Some(FieldKind::Number), &json!(1250), &json!(1260), 0.01));
/// assert!(!values_match(Some(FieldKind::Integer), &json!(67), &json!(68), 0.01));
/// let gold = json!({"name": "Diabetes mellitus type 2", "status": "absent"});
/// let pred = json!({"name": "diabetes mellitus type 2", "status": "present"});
/// assert!(!values_match(Some(FieldKind::Diagnoses), &gold, &pred, 0.01)); // status differs
/// ```
pub fn values_match(
    kind: Option<FieldKind>,
    gold: &Value,
    pred: &Value,
    relative_tolerance: f64,
) -> bool {
    match kind {
        Some(FieldKind::Integer) => match (gold.as_f64(), pred.as_f64()) {
            (Some(g), Some(p)) => g == p,
            _ => false,
        },
        Some(FieldKind::Number) => match (gold.as_f64(), pred.as_f64()) {
            (Some(g), Some(p)) => numbers_match(g, p, relative_tolerance),
            _ => false,
        },
        Some(FieldKind::Choice(_) | FieldKind::Text | FieldKind::TextList) => {
            texts_match(gold, pred)
        }
        Some(FieldKind::Diagnoses) => {
            texts_match(&gold["name"], &pred["name"])
                && texts_match(&gold["status"], &pred["status"])
        }
        Some(FieldKind::Medications) => texts_match(&gold["name"], &pred["name"]),
        None => json_match(gold, pred, relative_tolerance),
    }
}

/// Two JSON strings equal after normalisation (anything else never matches).
fn texts_match(gold: &Value, pred: &Value) -> bool {
    match (gold.as_str(), pred.as_str()) {
        (Some(g), Some(p)) => normalize_text(g) == normalize_text(p),
        _ => false,
    }
}

/// Generic comparison for fields outside the schema.
fn json_match(gold: &Value, pred: &Value, relative_tolerance: f64) -> bool {
    match (gold, pred) {
        (Value::String(g), Value::String(p)) => normalize_text(g) == normalize_text(p),
        (Value::Number(g), Value::Number(p)) => match (g.as_f64(), p.as_f64()) {
            (Some(g), Some(p)) => numbers_match(g, p, relative_tolerance),
            _ => false,
        },
        (Value::Array(g), Value::Array(p)) => {
            g.len() == p.len()
                && g.iter()
                    .zip(p)
                    .all(|(g, p)| json_match(g, p, relative_tolerance))
        }
        (Value::Object(g), Value::Object(p)) => {
            g.len() == p.len()
                && g.iter().all(|(key, gv)| {
                    p.get(key)
                        .is_some_and(|pv| json_match(gv, pv, relative_tolerance))
                })
        }
        _ => gold == pred,
    }
}

/// Pairs the gold and predicted values of one field in one document (a missing field
/// is an empty list) and says which were found, missed and invented.
///
/// ```
/// use clinkit::data::{FieldValue, Grounded};
/// use clinkit::data::referral::FieldKind;
/// use clinkit::eval::{match_field, Counts};
/// let allergies = |names: &[&str]| FieldValue::Many(names.iter().map(|n| Grounded::new((*n).into(), vec![])).collect());
/// let gold = allergies(&["penicillin", "Jodium"]);
/// let pred = allergies(&["jodium", "latex"]);
/// let m = match_field(Some(FieldKind::TextList), Some(&gold), Some(&pred), 0.01);
/// assert_eq!(m.counts(), Counts::new(1, 1, 1));
/// ```
pub fn match_field(
    kind: Option<FieldKind>,
    gold: Option<&FieldValue>,
    pred: Option<&FieldValue>,
    relative_tolerance: f64,
) -> Matching {
    let gold = gold.map(FieldValue::items).unwrap_or(&[]);
    let pred = pred.map(FieldValue::items).unwrap_or(&[]);
    Matching::new(gold.len(), pred.len(), |g, p| {
        values_match(kind, &gold[g].value, &pred[p].value, relative_tolerance)
    })
}

/// One attribute of a matched medication (dose, unit or frequency) checked against gold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttributeCheck {
    /// `"dose"`, `"unit"` or `"frequency"`.
    pub attribute: &'static str,
    /// True when the predicted attribute is the gold one (after normalisation).
    pub correct: bool,
    /// The gold attribute as text (empty when gold has none).
    pub gold: String,
    /// The predicted attribute as text (empty when the prediction has none).
    pub pred: String,
}

/// Compares the dose, unit and frequency of a gold and a predicted medication that were
/// paired on their name. An attribute counts when gold or prediction has it; it is right
/// when both have it and they agree: doses after converting g/mg/microgram to mg and
/// within the tolerance, units after [`normalize_unit`], frequencies after
/// [`normalize_frequency`].
///
/// ```
/// use clinkit::eval::medication_attributes;
/// use serde_json::json;
/// let gold = json!({"name": "metoprolol", "dose": 50, "unit": "mg", "frequency": "twice daily"});
/// let pred = json!({"name": "metoprolol", "dose": 50, "unit": "milligram", "frequency": "1dd1"});
/// let checks = medication_attributes(&gold, &pred, 0.01);
/// let right: Vec<bool> = checks.iter().map(|c| c.correct).collect();
/// assert_eq!(right, [true, true, false]); // dose, unit right; frequency wrong
/// ```
pub fn medication_attributes(
    gold: &Value,
    pred: &Value,
    relative_tolerance: f64,
) -> Vec<AttributeCheck> {
    let text =
        |value: &Value, key: &str| value.get(key).and_then(Value::as_str).map(str::to_string);
    let (gold_unit, pred_unit) = (text(gold, "unit"), text(pred, "unit"));
    let mut checks = Vec::new();
    let gold_dose = gold.get("dose").and_then(Value::as_f64);
    let pred_dose = pred.get("dose").and_then(Value::as_f64);
    if gold_dose.is_some() || pred_dose.is_some() {
        let correct = match (gold_dose, pred_dose) {
            (Some(g), Some(p)) => doses_match(
                g,
                gold_unit.as_deref(),
                p,
                pred_unit.as_deref(),
                relative_tolerance,
            ),
            _ => false,
        };
        let show = |dose: Option<f64>, unit: &Option<String>| match dose {
            Some(d) => format!("{} {}", format_number(d), unit.clone().unwrap_or_default())
                .trim()
                .to_string(),
            None => String::new(),
        };
        checks.push(AttributeCheck {
            attribute: "dose",
            correct,
            gold: show(gold_dose, &gold_unit),
            pred: show(pred_dose, &pred_unit),
        });
    }
    let normalised: [(&'static str, Normaliser); 2] =
        [("unit", normalize_unit), ("frequency", normalize_frequency)];
    for (attribute, normalise) in normalised {
        let (g, p) = (text(gold, attribute), text(pred, attribute));
        if g.is_none() && p.is_none() {
            continue;
        }
        let correct = matches!((&g, &p), (Some(g), Some(p)) if normalise(g) == normalise(p));
        checks.push(AttributeCheck {
            attribute,
            correct,
            gold: g.unwrap_or_default(),
            pred: p.unwrap_or_default(),
        });
    }
    checks
}

/// A function that writes a text in its canonical form.
type Normaliser = fn(&str) -> String;

/// A number as a person writes it: `50`, not `50.0`.
pub(crate) fn format_number(number: f64) -> String {
    if number.fract() == 0.0 && number.abs() < 1e15 {
        format!("{}", number as i64)
    } else {
        format!("{number}")
    }
}

/// A field value as one short line of text, for error listings: `67`, `penicillin`,
/// `diabetes mellitus type 2 (absent)`, `metoprolol 50 mg twice daily`.
///
/// ```
/// use serde_json::json;
/// assert_eq!(clinkit::eval::display_value(&json!({"name": "atrial fibrillation", "status": "family"})), "atrial fibrillation (family)");
/// assert_eq!(clinkit::eval::display_value(&json!({"name": "furosemide", "dose": 40, "unit": "mg", "frequency": null})), "furosemide 40 mg");
/// ```
pub fn display_value(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Number(number) => number
            .as_f64()
            .map(format_number)
            .unwrap_or_else(|| number.to_string()),
        Value::Object(object) if object.contains_key("status") => format!(
            "{} ({})",
            object.get("name").map(display_value).unwrap_or_default(),
            object.get("status").map(display_value).unwrap_or_default()
        ),
        Value::Object(object) if object.contains_key("name") => {
            ["name", "dose", "unit", "frequency"]
                .iter()
                .filter_map(|key| object.get(*key).filter(|v| !v.is_null()).map(display_value))
                .collect::<Vec<_>>()
                .join(" ")
        }
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// The words to look for in the text when a value has no evidence span: the name of a
/// diagnosis or medication, or the value itself.
pub(crate) fn mention_text(value: &Value) -> Option<String> {
    match value {
        Value::Object(object) => object
            .get("name")
            .and_then(Value::as_str)
            .map(str::to_string),
        Value::String(text) => Some(text.clone()),
        Value::Number(_) => Some(display_value(value)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn choices_ignore_case_and_spaces() {
        assert!(values_match(
            Some(FieldKind::Choice(&["I", "II"])),
            &json!("II"),
            &json!(" ii "),
            0.0
        ));
        assert!(!values_match(
            Some(FieldKind::Choice(&["I", "II"])),
            &json!("II"),
            &json!("I"),
            0.0
        ));
    }

    #[test]
    fn medications_match_on_name_only() {
        let gold = json!({"name": "Metoprolol", "dose": 50, "unit": "mg"});
        let pred = json!({"name": "metoprolol", "dose": 100, "unit": "mg"});
        assert!(values_match(
            Some(FieldKind::Medications),
            &gold,
            &pred,
            0.01
        ));
        let checks = medication_attributes(&gold, &pred, 0.01);
        assert_eq!(checks.len(), 2);
        assert!(!checks[0].correct);
        assert_eq!(checks[0].gold, "50 mg");
        assert_eq!(checks[0].pred, "100 mg");
        assert!(checks[1].correct);
    }

    #[test]
    fn attribute_missing_on_one_side_is_wrong() {
        let gold = json!({"name": "a", "dose": null, "unit": null, "frequency": "as needed"});
        let pred = json!({"name": "a", "frequency": null});
        let checks = medication_attributes(&gold, &pred, 0.01);
        assert_eq!(checks.len(), 1);
        assert_eq!(
            (checks[0].attribute, checks[0].correct),
            ("frequency", false)
        );
    }

    #[test]
    fn a_wrong_single_value_is_one_fp_and_one_fn() {
        let gold = FieldValue::One(crate::data::Grounded::new(json!(67), vec![]));
        let pred = FieldValue::One(crate::data::Grounded::new(json!(76), vec![]));
        let m = match_field(Some(FieldKind::Integer), Some(&gold), Some(&pred), 0.01);
        assert_eq!(m.counts(), crate::eval::Counts::new(0, 1, 1));
        let m = match_field(Some(FieldKind::Integer), Some(&gold), None, 0.01);
        assert_eq!(m.counts(), crate::eval::Counts::new(0, 0, 1));
    }

    #[test]
    fn generic_fields_compare_json() {
        assert!(values_match(
            None,
            &json!({"a": "X ", "b": [1, 2]}),
            &json!({"b": [1, 2], "a": "x"}),
            0.0
        ));
        assert!(!values_match(None, &json!([1]), &json!([1, 2]), 0.0));
    }
}
