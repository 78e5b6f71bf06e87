use crate::exercise::*;
use clinkit::error::Location;
use clinkit::extract::schema::ExtractionSchema;

fn read() -> ExtractionSchema {
    let json = schema_text().parse().expect("valid JSON");
    ExtractionSchema::from_json("project", json, &Location::default()).expect("accepted")
}

#[test]
fn the_values_have_the_right_kinds_and_limits() {
    let schema = read();
    let value = |field: &str| schema.json["properties"][field]["properties"]["value"].to_string();
    let lvef = value("lvef_percent");
    assert!(lvef.contains(r#""type":"integer""#), "{lvef}");
    assert!(lvef.contains(r#""minimum":5"#) && lvef.contains(r#""maximum":90"#), "{lvef}");
    assert!(value("nyha_class").contains(r#"["I","II","III","IV"]"#));
    let bnp = value("ntprobnp_ng_l");
    assert!(bnp.contains(r#""type":"number""#) && bnp.contains(r#""minimum":0"#), "{bnp}");
}

#[test]
fn value_and_quote_are_required_and_nothing_else_is_allowed() {
    let schema = read();
    assert_eq!(schema.json["additionalProperties"], false);
    for field in ["lvef_percent", "nyha_class", "ntprobnp_ng_l"] {
        let property = &schema.json["properties"][field];
        assert_eq!(property["required"].to_string(), r#"["value","quote"]"#, "{field}");
        assert_eq!(property["additionalProperties"], false, "{field}");
        assert_eq!(property["properties"]["quote"]["type"], "string", "{field}");
    }
}
