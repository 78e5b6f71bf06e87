use crate::exercise::*;
use clinkit::text::Span;

#[test]
fn nothing_to_hide_and_nothing_found() {
    assert_eq!(leak_recall(&[], &[]), 1.0);
    assert_eq!(leak_recall(&[], &[Span::new(0, 3)]), 1.0);
    assert_eq!(leak_recall(&[Span::new(0, 3)], &[]), 0.0);
}

#[test]
fn hiding_more_than_needed_is_still_hidden() {
    // An invented span (a false positive) costs words, never privacy.
    assert!(is_hidden(Span::new(20, 30), &[Span::new(0, 100)]));
    assert_eq!(leak_recall(&[Span::new(20, 30)], &[Span::new(0, 100)]), 1.0);
}

#[test]
fn the_detector_on_a_synthetic_letter_hides_every_gold_span() {
    let path = clinkit::kernel::crate_dir().join("datasets-synthetic/referrals/dev.jsonl");
    let letters = clinkit::data::read_jsonl(&path).unwrap();
    let letter = &letters[0];
    let gold: Vec<Span> = letter.phi.iter().map(|p| p.span()).collect();
    let found: Vec<Span> = clinkit::deid::detect_document(letter).iter().map(|p| p.span()).collect();
    assert!(gold.len() > 10);
    assert_eq!(leak_recall(&gold, &found), 1.0);
}
