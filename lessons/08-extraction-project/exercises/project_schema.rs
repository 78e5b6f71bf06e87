//! Exercise: the schema of your project.
//!
//! Every extraction project starts by writing down, once and precisely, what to take out
//! of each document: the fields, what kind of value each holds, and that every value comes
//! with a quote from the document. That is a JSON Schema. clinkit sends it to the model
//! (which can then only write answers of this shape) and checks the answers with it.
//! This one is for a small heart-failure study; for your own project you write one like it
//! (start from lessons/08-extraction-project/project/my-study.schema.json).
//! Replace the `todo!()` with your code, then run `clinkit lessons check 08`.

/// The JSON Schema of the heart-failure study, as JSON text:
/// - `lvef_percent`: a whole number from 5 to 90;
/// - `nyha_class`: one of `I`, `II`, `III`, `IV`;
/// - `ntprobnp_ng_l`: a number, at least 0;
///
/// in this order, each an object with a `value` and a `quote` (both required), each with a
/// `description` that says what the field means, and no other fields allowed.
pub fn schema_text() -> &'static str {
    todo!("write the schema, for example inside r#\"...\"#")
}
