//! The referral schema: what we extract from a cardiology outpatient referral letter.
//!
//! Every field is optional: a letter that does not mention smoking simply has no
//! `smoking` field. The list below is the single source of truth; the synthetic
//! generator, the rules baseline and `clinkit eval` all use it.
//!
//! | field | kind | example value |
//! | --- | --- | --- |
//! | `age` | whole number | `67` |
//! | `sex` | one of `male`, `female`, `other` | `"female"` |
//! | `referral_reason` | short text | `"palpitations"` |
//! | `urgency` | one of `routine`, `urgent` | `"urgent"` |
//! | `diagnoses` | list of `{name, status}` | `{"name": "diabetes mellitus type 2", "status": "absent"}` |
//! | `medications` | list of `{name, dose, unit, frequency}` | `{"name": "metoprolol", "dose": 50, "unit": "mg", "frequency": "twice daily"}` |
//! | `allergies` | list of texts | `"penicillin"` |
//! | `lvef_percent` | whole number | `35` |
//! | `nyha_class` | one of `I`, `II`, `III`, `IV` | `"III"` |
//! | `smoking` | one of `current`, `former`, `never` | `"former"` |
//! | `bp_systolic`, `bp_diastolic` | whole numbers (mmHg) | `142`, `88` |
//! | `ntprobnp_ng_l` | number (ng/L) | `1250` |
//! | `egfr` | number (mL/min/1.73m²) | `54` |
//!
//! A diagnosis `status` says how it is mentioned: `present`, `absent` ("geen diabetes"),
//! `historical` ("status na CABG 2015"), `family` ("vader had een MI") or
//! `hypothetical` ("rule out endocarditis").
//!
//! ```
//! use clinkit::data::referral::{field_spec, FieldKind};
//! assert_eq!(field_spec("age").unwrap().kind, FieldKind::Integer);
//! assert!(field_spec("shoe_size").is_none());
//! ```

use serde_json::Value;

use crate::data::{Document, FieldValue};
use crate::error::{Error, Location, Result};

/// The allowed statuses of a diagnosis.
pub const DIAGNOSIS_STATUSES: [&str; 5] =
    ["present", "absent", "historical", "family", "hypothetical"];

/// What kind of value a field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// A whole number, such as an age.
    Integer,
    /// Any number, such as a lab value.
    Number,
    /// One word out of a fixed list.
    Choice(&'static [&'static str]),
    /// A short free text.
    Text,
    /// A list of short texts.
    TextList,
    /// A list of `{name, status}` objects.
    Diagnoses,
    /// A list of `{name, dose, unit, frequency}` objects.
    Medications,
}

impl FieldKind {
    /// True for the kinds whose value is a list.
    pub fn is_list(&self) -> bool {
        matches!(
            self,
            FieldKind::TextList | FieldKind::Diagnoses | FieldKind::Medications
        )
    }
}

/// The name and kind of one field of the schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldSpec {
    /// The field's name in JSON, such as `lvef_percent`.
    pub name: &'static str,
    /// What kind of value it holds.
    pub kind: FieldKind,
}

/// All fields of the referral schema, in the order a doctor reads them.
pub const FIELDS: [FieldSpec; 14] = [
    FieldSpec {
        name: "age",
        kind: FieldKind::Integer,
    },
    FieldSpec {
        name: "sex",
        kind: FieldKind::Choice(&["male", "female", "other"]),
    },
    FieldSpec {
        name: "referral_reason",
        kind: FieldKind::Text,
    },
    FieldSpec {
        name: "urgency",
        kind: FieldKind::Choice(&["routine", "urgent"]),
    },
    FieldSpec {
        name: "diagnoses",
        kind: FieldKind::Diagnoses,
    },
    FieldSpec {
        name: "medications",
        kind: FieldKind::Medications,
    },
    FieldSpec {
        name: "allergies",
        kind: FieldKind::TextList,
    },
    FieldSpec {
        name: "lvef_percent",
        kind: FieldKind::Integer,
    },
    FieldSpec {
        name: "nyha_class",
        kind: FieldKind::Choice(&["I", "II", "III", "IV"]),
    },
    FieldSpec {
        name: "smoking",
        kind: FieldKind::Choice(&["current", "former", "never"]),
    },
    FieldSpec {
        name: "bp_systolic",
        kind: FieldKind::Integer,
    },
    FieldSpec {
        name: "bp_diastolic",
        kind: FieldKind::Integer,
    },
    FieldSpec {
        name: "ntprobnp_ng_l",
        kind: FieldKind::Number,
    },
    FieldSpec {
        name: "egfr",
        kind: FieldKind::Number,
    },
];

/// The spec of the field called `name`, or `None` if the schema has no such field.
pub fn field_spec(name: &str) -> Option<&'static FieldSpec> {
    FIELDS.iter().find(|spec| spec.name == name)
}

/// Checks that a document's `fields` follow the referral schema: known names, the
/// right shape (one value or a list) and the right kind of value.
///
/// `at` names the file and line, so the error can point there.
///
/// ```
/// use clinkit::data::referral::validate;
/// use clinkit::error::Location;
/// let line = r#"{"id": "a", "lang": "en", "kind": "referral", "text": "Age 67.",
///              "fields": {"shoe_size": {"value": 44, "spans": []}}}"#;
/// let doc: clinkit::data::Document = serde_json::from_str(line).unwrap();
/// let error = validate(&doc, &Location::file("gold.jsonl").line(1)).unwrap_err().to_string();
/// assert!(error.starts_with("gold.jsonl:1: field `fields.shoe_size`: unknown field"), "{error}");
/// ```
pub fn validate(document: &Document, at: &Location) -> Result<()> {
    for (name, value) in &document.fields {
        let field_at = at.clone().field(format!("fields.{name}"));
        let spec = field_spec(name).ok_or_else(|| {
            let known: Vec<&str> = FIELDS.iter().map(|spec| spec.name).collect();
            Error::invalid(
                field_at.clone(),
                format!(
                    "unknown field; the referral schema has: {}",
                    known.join(", ")
                ),
            )
        })?;
        match (value, spec.kind.is_list()) {
            (FieldValue::One(one), false) => check_value(
                &one.value,
                spec.kind,
                &field_at.field(format!("fields.{name}.value")),
            )?,
            (FieldValue::Many(items), true) => {
                for (index, item) in items.iter().enumerate() {
                    check_value(
                        &item.value,
                        spec.kind,
                        &at.clone().field(format!("fields.{name}[{index}].value")),
                    )?;
                }
            }
            (FieldValue::One(_), true) => {
                return Err(Error::invalid(
                    field_at,
                    "expected a list of {\"value\", \"spans\"} objects",
                ))
            }
            (FieldValue::Many(_), false) => {
                return Err(Error::invalid(
                    field_at,
                    "expected one {\"value\", \"spans\"} object, found a list",
                ))
            }
        }
    }
    Ok(())
}

/// Checks one value (or one list item) against its field kind.
fn check_value(value: &Value, kind: FieldKind, at: &Location) -> Result<()> {
    let wrong =
        |expected: &str| Error::invalid(at.clone(), format!("expected {expected}, found {value}"));
    match kind {
        FieldKind::Integer => value
            .as_i64()
            .map(|_| ())
            .ok_or_else(|| wrong("a whole number")),
        FieldKind::Number => value.as_f64().map(|_| ()).ok_or_else(|| wrong("a number")),
        FieldKind::Choice(options) => match value.as_str() {
            Some(word) if options.contains(&word) => Ok(()),
            _ => Err(wrong(&format!("one of {}", options.join(", ")))),
        },
        FieldKind::Text | FieldKind::TextList => {
            value.as_str().map(|_| ()).ok_or_else(|| wrong("a text"))
        }
        FieldKind::Diagnoses => {
            let object = value
                .as_object()
                .ok_or_else(|| wrong("an object {\"name\", \"status\"}"))?;
            check_keys(object, &["name", "status"], at)?;
            let status = object.get("status").and_then(Value::as_str);
            match (object.get("name").and_then(Value::as_str), status) {
                (Some(_), Some(status)) if DIAGNOSIS_STATUSES.contains(&status) => Ok(()),
                (None, _) => Err(wrong("a diagnosis with a text `name`")),
                _ => Err(wrong(&format!(
                    "a diagnosis `status` that is one of {}",
                    DIAGNOSIS_STATUSES.join(", ")
                ))),
            }
        }
        FieldKind::Medications => {
            let object = value
                .as_object()
                .ok_or_else(|| wrong("an object {\"name\", \"dose\", \"unit\", \"frequency\"}"))?;
            check_keys(object, &["name", "dose", "unit", "frequency"], at)?;
            let name_ok = object.get("name").is_some_and(Value::is_string);
            let dose_ok = object
                .get("dose")
                .is_none_or(|dose| dose.is_number() || dose.is_null());
            let texts_ok = ["unit", "frequency"].iter().all(|key| {
                object
                    .get(*key)
                    .is_none_or(|v| v.is_string() || v.is_null())
            });
            if name_ok && dose_ok && texts_ok {
                Ok(())
            } else {
                Err(wrong("a medication with a text `name`, a number `dose` and text `unit` and `frequency`"))
            }
        }
    }
}

/// Fails when an object has a key that is not in `allowed`.
fn check_keys(
    object: &serde_json::Map<String, Value>,
    allowed: &[&str],
    at: &Location,
) -> Result<()> {
    match object.keys().find(|key| !allowed.contains(&key.as_str())) {
        Some(key) => Err(Error::invalid(
            at.clone(),
            format!("unknown key `{key}`; allowed: {}", allowed.join(", ")),
        )),
        None => Ok(()),
    }
}
