//! Extraction schemas: which fields to take out of a letter, as Rust types and as JSON Schema.
//!
//! A language model is asked to answer with JSON that follows a *JSON Schema*: a JSON
//! document that says which keys an answer has and what kind of value each holds. A
//! model server (or clinkit's own constrained decoder) then only lets the model write
//! answers of that shape.
//!
//! Every field of an answer is a value together with a **quote**: the words of the letter
//! the model read it in. The quote is what [`crate::extract::grounding`] looks for, so every
//! value can be checked against the source:
//!
//! ```json
//! {"age": {"value": 67, "quote": "67-jarige"},
//!  "diagnoses": [{"value": {"name": "diabetes", "status": "absent"}, "quote": "geen diabetes"}]}
//! ```
//!
//! The referral schema of [`crate::data::referral`] is written here as Rust types
//! ([`ReferralAnswer`]); `schemars` turns them into the JSON Schema committed as
//! `schemas/referral.schema.json` (a test checks the file never drifts from the types).
//! Interns write their own schema files in the same shape and load them with
//! [`ExtractionSchema::from_file`].
//!
//! ```
//! use clinkit::extract::schema::ExtractionSchema;
//! let schema = ExtractionSchema::referral();
//! assert_eq!(schema.fields.len(), 14);
//! assert!(schema.field("medications").unwrap().is_list);
//! assert!(!schema.field("age").unwrap().is_list);
//! ```

use std::path::Path;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{Error, Location, Result};

/// A value and the words of the letter it was read in.
///
/// ```
/// use clinkit::extract::schema::Evidenced;
/// let age: Evidenced<u32> = serde_json::from_str(r#"{"value": 67, "quote": "67 jr"}"#).unwrap();
/// assert_eq!((age.value, age.quote.as_str()), (67, "67 jr"));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Evidenced_{T}")]
pub struct Evidenced<T> {
    /// The value, normalised (a number, a word from a fixed list, a short text).
    pub value: T,
    /// The words of the letter the value was read in, copied exactly.
    #[schemars(length(max = 120))]
    pub quote: String,
}

/// The sex of the patient.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Sex {
    /// man, dhr., male
    Male,
    /// vrouw, mevr., female
    Female,
    /// anything else
    Other,
}

/// How soon the patient should be seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Urgency {
    /// regulier, routine
    Routine,
    /// spoed, urgent, graag op korte termijn
    Urgent,
}

/// How breathless a heart-failure patient is (New York Heart Association class).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum NyhaClass {
    /// no limitation
    I,
    /// slight limitation
    II,
    /// marked limitation
    III,
    /// symptoms at rest
    IV,
}

/// Whether the patient smokes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Smoking {
    /// rookt, smokes
    Current,
    /// gestopt met roken, ex-smoker
    Former,
    /// rookt niet, never smoked
    Never,
}

/// How a diagnosis is mentioned (see [`crate::extract::context`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum DiagnosisStatus {
    /// the patient has it
    Present,
    /// denied: "geen diabetes", "no chest pain"
    Absent,
    /// in the past: "status na CABG"
    Historical,
    /// in a relative: "vader had een MI"
    Family,
    /// to be ruled out: "verdenking endocarditis"
    Hypothetical,
}

/// A diagnosis and how it is mentioned.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Diagnosis {
    /// The condition, as written (diabetes mellitus type 2, atriumfibrilleren).
    #[schemars(length(max = 80))]
    pub name: String,
    /// present, absent, historical, family or hypothetical.
    pub status: DiagnosisStatus,
}

/// A medication the patient takes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Medication {
    /// The drug (metoprolol).
    #[schemars(length(max = 60))]
    pub name: String,
    /// The amount per dose (50).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dose: Option<f64>,
    /// The unit of the dose (mg).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 20))]
    pub unit: Option<String>,
    /// How often (2dd, twice daily).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 40))]
    pub frequency: Option<String>,
}

/// What a model answers for one cardiology referral letter: every referral field
/// (clinkit::data::referral), each with the quote it was read in. Fields the letter does
/// not mention are left out.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReferralAnswer {
    /// The patient's age in years (leeftijd, jaar, jarige, jr, years old, aged).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age: Option<Evidenced<u32>>,
    /// The patient's sex (man, vrouw, dhr, mevr, male, female, Mr, Mrs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sex: Option<Evidenced<Sex>>,
    /// Why the patient is referred, in a few words (reden van verwijzing, klachten, referred for, complaints).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referral_reason: Option<Evidenced<String>>,
    /// How soon the patient should be seen (spoed, urgent, regulier, routine, op korte termijn).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub urgency: Option<Evidenced<Urgency>>,
    /// Diagnoses and conditions with how they are mentioned (voorgeschiedenis, diagnose, geen, history, no).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 12))]
    pub diagnoses: Vec<Evidenced<Diagnosis>>,
    /// Medications with dose, unit and frequency (medicatie, mg, dd, daily, tablets).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 12))]
    pub medications: Vec<Evidenced<Medication>>,
    /// Allergies and intolerances (allergie, allergisch, overgevoelig, allergy, allergic).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 6))]
    pub allergies: Vec<Evidenced<String>>,
    /// Left-ventricular ejection fraction in percent (LVEF, ejectiefractie, EF, echo, ejection fraction).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lvef_percent: Option<Evidenced<u32>>,
    /// NYHA class of breathlessness (NYHA, klasse, class, dyspnoe, breathless).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nyha_class: Option<Evidenced<NyhaClass>>,
    /// Smoking status (roken, rookt, gestopt, pakjaren, smoking, smoker, pack years).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub smoking: Option<Evidenced<Smoking>>,
    /// Systolic blood pressure in mmHg, the first number of RR 142/88 (bloeddruk, RR, blood pressure, BP).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bp_systolic: Option<Evidenced<u32>>,
    /// Diastolic blood pressure in mmHg, the second number of RR 142/88 (bloeddruk, RR, blood pressure, BP).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bp_diastolic: Option<Evidenced<u32>>,
    /// NT-proBNP in ng/L (NT-proBNP, BNP, lab, laboratorium, ng/L).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ntprobnp_ng_l: Option<Evidenced<f64>>,
    /// Estimated glomerular filtration rate in mL/min/1.73m2 (eGFR, nierfunctie, kreatinine, kidney function).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub egfr: Option<Evidenced<f64>>,
}

/// The schema files committed in `schemas/`, by file name, each made from its Rust type.
/// A test compares them with the files, so a change to a type must come with new files
/// (`CLINKIT_WRITE_SCHEMAS=1 cargo test --lib schema` rewrites them with [`write_schema_files`]).
///
/// ```
/// let files = clinkit::extract::schema::schema_files();
/// assert_eq!(files[0].0, "referral.schema.json");
/// assert_eq!(files[0].1["type"], "object");
/// ```
pub fn schema_files() -> Vec<(&'static str, Value)> {
    let referral = schemars::schema_for!(ReferralAnswer);
    vec![(
        "referral.schema.json",
        serde_json::to_value(referral).expect("a schema is JSON"),
    )]
}

/// Writes every schema of [`schema_files`] into `folder`, pretty-printed with a final newline.
pub fn write_schema_files(folder: &Path) -> Result<()> {
    std::fs::create_dir_all(folder).map_err(|e| Error::io(folder, e))?;
    for (name, schema) in schema_files() {
        let path = folder.join(name);
        std::fs::write(&path, schema_file_text(&schema)).map_err(|e| Error::io(&path, e))?;
    }
    Ok(())
}

/// The text of a schema file: pretty JSON and a final newline.
pub fn schema_file_text(schema: &Value) -> String {
    let mut text = serde_json::to_string_pretty(schema).expect("a schema is JSON");
    text.push('\n');
    text
}

/// One field of an extraction schema, as the pipeline needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaField {
    /// The key in the answer, such as `lvef_percent`.
    pub name: String,
    /// True when the field holds a list of values (diagnoses), false for one value (age).
    pub is_list: bool,
    /// What the field means, from the schema's `description` (empty when it has none).
    pub description: String,
}

/// A JSON Schema for answers, checked to have the shape the pipeline understands: an
/// object whose every property is `{"value": ..., "quote": "..."}` or a list of those.
#[derive(Debug, Clone, PartialEq)]
pub struct ExtractionSchema {
    /// A short name, such as `referral` or the file name.
    pub name: String,
    /// The JSON Schema sent to the model.
    pub json: Value,
    /// Its fields, in the schema's order.
    pub fields: Vec<SchemaField>,
}

impl ExtractionSchema {
    /// The default: the referral schema of [`ReferralAnswer`].
    pub fn referral() -> ExtractionSchema {
        let json =
            serde_json::to_value(schemars::schema_for!(ReferralAnswer)).expect("a schema is JSON");
        ExtractionSchema::from_json("referral", json, &Location::default())
            .expect("the referral schema has the pipeline's shape")
    }

    /// Reads an intern's own schema file. Errors name the file and what is wrong
    /// (bad JSON with its line, or the property that does not have the expected shape).
    ///
    /// ```
    /// # let dir = tempfile::tempdir().unwrap();
    /// let path = dir.path().join("mine.schema.json");
    /// std::fs::write(&path, r#"{"type": "object", "properties": {"age": {"type": "integer"}}}"#).unwrap();
    /// let error = clinkit::extract::schema::ExtractionSchema::from_file(&path).unwrap_err().to_string();
    /// assert!(error.contains("mine.schema.json: field `properties.age`"), "{error}");
    /// assert!(error.contains("\"value\" and \"quote\""), "{error}");
    /// ```
    pub fn from_file(path: &Path) -> Result<ExtractionSchema> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        let at = Location::file(path);
        let json: Value = serde_json::from_str(&text).map_err(|e| {
            Error::invalid(
                at.clone().line(e.line()),
                format!("not valid JSON (column {}): {e}", e.column()),
            )
        })?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().trim_end_matches(".json").to_string())
            .unwrap_or_default();
        ExtractionSchema::from_json(&name, json, &at)
    }

    /// Checks a JSON Schema (already parsed) and lists its fields; `at` names where it came from.
    pub fn from_json(name: &str, json: Value, at: &Location) -> Result<ExtractionSchema> {
        if json.get("type").and_then(Value::as_str) != Some("object") {
            return Err(Error::invalid(
                at.clone().field("type"),
                "an extraction schema must be {\"type\": \"object\", \"properties\": {...}}",
            ));
        }
        let properties = json
            .get("properties")
            .and_then(Value::as_object)
            .filter(|p| !p.is_empty())
            .ok_or_else(|| {
                Error::invalid(
                    at.clone().field("properties"),
                    "missing or empty: list the fields to extract under \"properties\"",
                )
            })?;
        let mut fields = Vec::new();
        for (key, property) in properties {
            let field_at = at.clone().field(format!("properties.{key}"));
            fields.push(schema_field(&json, key, property, &field_at)?);
        }
        Ok(ExtractionSchema {
            name: name.to_string(),
            json,
            fields,
        })
    }

    /// The field called `name`, if the schema has it.
    pub fn field(&self, name: &str) -> Option<&SchemaField> {
        self.fields.iter().find(|field| field.name == name)
    }
}

/// Checks one property: `{value, quote}` (maybe behind a `$ref` or nullable) or an array of it.
fn schema_field(root: &Value, key: &str, property: &Value, at: &Location) -> Result<SchemaField> {
    let description = property
        .get("description")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let property = non_null_branch(root, property, at)?;
    let is_list = type_names(property).contains(&"array");
    let item = if is_list {
        let items = property.get("items").ok_or_else(|| {
            Error::invalid(
                at.clone(),
                "an array field needs \"items\" ({\"value\", \"quote\"} objects)",
            )
        })?;
        non_null_branch(
            root,
            items,
            &at.clone().field(format!("properties.{key}.items")),
        )?
    } else {
        property
    };
    let has = |name: &str| item.get("properties").and_then(|p| p.get(name)).is_some();
    if !(has("value") && has("quote")) {
        return Err(Error::invalid(
            at.clone(),
            "each field must be an object with properties \"value\" and \"quote\" (the words of the \
             letter the value was read in), or an array of such objects",
        ));
    }
    Ok(SchemaField {
        name: key.to_string(),
        is_list,
        description,
    })
}

/// Follows a `$ref` and, for `anyOf`/`oneOf` with `null` (an optional field), takes the other branch.
fn non_null_branch<'a>(root: &'a Value, schema: &'a Value, at: &Location) -> Result<&'a Value> {
    let schema = resolve_ref(root, schema, at)?;
    for combinator in ["anyOf", "oneOf"] {
        if let Some(branches) = schema.get(combinator).and_then(Value::as_array) {
            let real: Vec<&Value> = branches
                .iter()
                .filter(|b| b.get("type").and_then(Value::as_str) != Some("null"))
                .collect();
            if let [only] = real.as_slice() {
                return resolve_ref(root, only, at);
            }
        }
    }
    Ok(schema)
}

/// The schema a `{"$ref": "#/$defs/Name"}` points at (the schema itself when it has no `$ref`).
fn resolve_ref<'a>(root: &'a Value, schema: &'a Value, at: &Location) -> Result<&'a Value> {
    let Some(reference) = schema.get("$ref").and_then(Value::as_str) else {
        return Ok(schema);
    };
    reference
        .strip_prefix('#')
        .and_then(|pointer| root.pointer(pointer))
        .ok_or_else(|| {
            Error::invalid(
                at.clone(),
                format!("\"$ref\": \"{reference}\" points at nothing in this file"),
            )
        })
}

/// The names in a schema's `type` (a string or a list of strings).
fn type_names(schema: &Value) -> Vec<&str> {
    match schema.get("type") {
        Some(Value::String(one)) => vec![one.as_str()],
        Some(Value::Array(many)) => many.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The committed files equal what schemars makes of the types today.
    /// `CLINKIT_WRITE_SCHEMAS=1` rewrites them first (after changing a type on purpose).
    #[test]
    fn committed_schema_files_match_the_rust_types() {
        let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas");
        if std::env::var_os("CLINKIT_WRITE_SCHEMAS").is_some() {
            write_schema_files(&folder).unwrap();
        }
        for (name, schema) in schema_files() {
            let path = folder.join(name);
            let committed = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            assert_eq!(
                committed,
                schema_file_text(&schema),
                "{} differs from the Rust types: rerun with CLINKIT_WRITE_SCHEMAS=1 and commit",
                path.display()
            );
        }
    }

    #[test]
    fn the_referral_schema_lists_every_field_of_the_data_table() {
        let schema = ExtractionSchema::referral();
        let names: Vec<&str> = schema.fields.iter().map(|f| f.name.as_str()).collect();
        let table: Vec<&str> = crate::data::referral::FIELDS
            .iter()
            .map(|f| f.name)
            .collect();
        assert_eq!(names, table);
        for field in &schema.fields {
            let spec = crate::data::referral::field_spec(&field.name).unwrap();
            assert_eq!(field.is_list, spec.kind.is_list(), "{}", field.name);
            assert!(!field.description.is_empty(), "{}", field.name);
        }
    }

    #[test]
    fn answers_in_the_referral_shape_parse_into_the_types() {
        let answer: ReferralAnswer = serde_json::from_value(serde_json::json!({
            "age": {"value": 67, "quote": "67-jarige"},
            "nyha_class": {"value": "III", "quote": "NYHA III"},
            "medications": [{"value": {"name": "metoprolol", "dose": 50.0, "unit": "mg"}, "quote": "metoprolol 50 mg"}]
        }))
        .unwrap();
        assert_eq!(answer.age.unwrap().value, 67);
        assert_eq!(answer.nyha_class.unwrap().value, NyhaClass::III);
        assert_eq!(answer.medications[0].value.dose, Some(50.0));
        let wrong =
            serde_json::from_value::<ReferralAnswer>(serde_json::json!({"age": {"value": 67}}));
        assert!(wrong.unwrap_err().to_string().contains("quote"));
    }

    #[test]
    fn user_schemas_with_the_wrong_shape_say_where() {
        let at = Location::file("mine.json");
        let cases = [
            (
                serde_json::json!({"type": "array"}),
                "mine.json: field `type`",
            ),
            (
                serde_json::json!({"type": "object"}),
                "mine.json: field `properties`",
            ),
            (
                serde_json::json!({"type": "object", "properties": {"x": {"type": "array"}}}),
                "mine.json: field `properties.x`: an array field needs",
            ),
            (
                serde_json::json!({"type": "object", "properties": {"x": {"$ref": "#/$defs/Nope"}}}),
                "points at nothing",
            ),
        ];
        for (json, expected) in cases {
            let error = ExtractionSchema::from_json("mine", json, &at)
                .unwrap_err()
                .to_string();
            assert!(error.contains(expected), "{error}");
        }
    }
}
