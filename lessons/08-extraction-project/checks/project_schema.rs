use crate::exercise::*;
use clinkit::error::Location;
use clinkit::extract::schema::ExtractionSchema;

/// The schema as clinkit reads it; a failed check shows clinkit's own error message.
fn read() -> ExtractionSchema {
    let json = match schema_text().parse() {
        Ok(json) => json,
        Err(error) => panic!("schema_text() is not valid JSON: {error}"),
    };
    match ExtractionSchema::from_json("project", json, &Location::default()) {
        Ok(schema) => schema,
        Err(error) => panic!("clinkit does not accept the schema: {error}"),
    }
}

#[test]
fn clinkit_accepts_it_with_the_three_fields_in_order() {
    let names: Vec<String> = read().fields.iter().map(|f| f.name.clone()).collect();
    assert_eq!(names, ["lvef_percent", "nyha_class", "ntprobnp_ng_l"]);
}

#[test]
fn every_field_is_one_value_with_a_description() {
    for field in read().fields {
        assert!(!field.is_list, "{} should be one value, not a list", field.name);
        assert!(
            !field.description.trim().is_empty(),
            "{} needs a description: the model reads it",
            field.name
        );
    }
}
