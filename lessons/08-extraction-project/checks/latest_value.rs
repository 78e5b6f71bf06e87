use crate::exercise::*;

fn finding(value: &str, date: Option<&str>, position: usize) -> Finding {
    Finding {
        value: value.to_string(),
        date: date.map(str::to_string),
        position,
    }
}

#[test]
fn the_most_recent_date_wins() {
    let findings = [
        finding("55", Some("2017-03-01"), 100),
        finding("35", Some("2023-11-20"), 900),
        finding("45", Some("2020-06-15"), 500),
    ];
    assert_eq!(latest(&findings).unwrap().value, "35");
}

#[test]
fn no_findings_no_value() {
    assert_eq!(latest(&[]), None);
}

#[test]
fn a_dated_value_beats_an_undated_one() {
    let findings = [finding("40", Some("2019-01-01"), 10), finding("60", None, 900)];
    assert_eq!(latest(&findings).unwrap().value, "40");
}
