use crate::exercise::*;
use clinkit::data::{PhiSpan, PhiType};

fn phi(start: usize, end: usize, kind: PhiType) -> PhiSpan {
    PhiSpan { start, end, kind }
}

#[test]
fn a_name_and_a_bsn() {
    let text = "Patiënt Jansen, BSN 123456782.";
    let found = [phi(8, 14, PhiType::Name), phi(20, 29, PhiType::Bsn)];
    assert_eq!(redact(text, &found), "Patiënt [NAME], BSN [BSN].");
}

#[test]
fn nothing_found_leaves_the_text_alone() {
    assert_eq!(redact("Geen bijzonderheden.", &[]), "Geen bijzonderheden.");
}

#[test]
fn spans_in_any_order() {
    let text = "Dr. Smit, 3 maart 2021";
    let found = [phi(10, 22, PhiType::Date), phi(4, 8, PhiType::Name)];
    assert_eq!(redact(text, &found), "Dr. [NAME], [DATE]");
}
