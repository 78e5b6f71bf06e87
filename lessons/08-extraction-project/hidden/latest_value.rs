use crate::exercise::*;

fn finding(value: &str, date: Option<&str>, position: usize) -> Finding {
    Finding {
        value: value.to_string(),
        date: date.map(str::to_string),
        position,
    }
}

#[test]
fn order_in_the_list_does_not_matter() {
    let findings = [
        finding("35", Some("2023-11-20"), 900),
        finding("55", Some("2017-03-01"), 100),
        finding("60", None, 950),
    ];
    assert_eq!(latest(&findings).unwrap().value, "35");
}

#[test]
fn on_the_same_date_the_later_mention_wins() {
    let findings = [
        finding("III", Some("2022-05-05"), 700),
        finding("II", Some("2022-05-05"), 300),
    ];
    assert_eq!(latest(&findings).unwrap().value, "III");
    let undated = [finding("former", None, 80), finding("current", None, 20)];
    assert_eq!(latest(&undated).unwrap().value, "former");
}

#[test]
fn one_finding_is_the_answer() {
    let one = [finding("47", None, 5)];
    assert_eq!(latest(&one), Some(&one[0]));
}
