use crate::exercise::*;
use clinkit::data::{PhiSpan, PhiType};

#[test]
fn characters_not_bytes_after_accents() {
    let text = "Geëerde collega, mw. Öztürk (geb. 1-2-1950)";
    let found = [
        PhiSpan { start: 21, end: 27, kind: PhiType::Name },
        PhiSpan { start: 34, end: 42, kind: PhiType::Date },
    ];
    assert_eq!(redact(text, &found), "Geëerde collega, mw. [NAME] (geb. [DATE])");
}

#[test]
fn the_same_as_clinkit_redact_mode_on_a_real_letter() {
    use clinkit::data::{Document, Lang};
    use clinkit::deid::{Deidentifier, Mode};
    let letter = Document::new(
        "a",
        Lang::Nl,
        "referral",
        "Betreft: mevr. E. Gelbeek, geb. 8 januari 1951, BSN 111222333, tel. 06-12345678.",
    );
    let found = clinkit::deid::detect_document(&letter);
    assert_eq!(found.len(), 4);
    let mine = redact(&letter.text, &found);
    let tagged = Deidentifier::new(Mode::Tag, None).unwrap().apply(&letter, &found);
    // clinkit's tags also number each value ([NAME-1]); without the numbers they agree.
    let without_numbers = tagged.document.text.replace("-1]", "]");
    assert_eq!(mine, without_numbers);
}

#[test]
fn a_span_at_the_very_start_and_end() {
    let found = [PhiSpan { start: 0, end: 5, kind: PhiType::Name }];
    assert_eq!(redact("Smith", &found), "[NAME]");
}
