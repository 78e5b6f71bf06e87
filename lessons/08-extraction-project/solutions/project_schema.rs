//! Exercise: the schema of your project (reference solution).

/// The JSON Schema of the heart-failure study, as JSON text:
/// - `lvef_percent`: a whole number from 5 to 90;
/// - `nyha_class`: one of `I`, `II`, `III`, `IV`;
/// - `ntprobnp_ng_l`: a number, at least 0;
///
/// in this order, each an object with a `value` and a `quote` (both required), each with a
/// `description` that says what the field means, and no other fields allowed.
pub fn schema_text() -> &'static str {
    r#"{
  "type": "object",
  "properties": {
    "lvef_percent": {
      "description": "Left-ventricular ejection fraction in percent (LVEF, EF, echo)",
      "type": "object",
      "properties": {
        "value": {"type": "integer", "minimum": 5, "maximum": 90},
        "quote": {"type": "string", "maxLength": 40}
      },
      "required": ["value", "quote"],
      "additionalProperties": false
    },
    "nyha_class": {
      "description": "NYHA class of breathlessness (NYHA, klasse, class)",
      "type": "object",
      "properties": {
        "value": {"enum": ["I", "II", "III", "IV"]},
        "quote": {"type": "string", "maxLength": 40}
      },
      "required": ["value", "quote"],
      "additionalProperties": false
    },
    "ntprobnp_ng_l": {
      "description": "NT-proBNP in ng/L (NT-proBNP, BNP, lab)",
      "type": "object",
      "properties": {
        "value": {"type": "number", "minimum": 0},
        "quote": {"type": "string", "maxLength": 40}
      },
      "required": ["value", "quote"],
      "additionalProperties": false
    }
  },
  "additionalProperties": false
}"#
}
