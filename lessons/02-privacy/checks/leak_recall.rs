use crate::exercise::*;
use clinkit::text::Span;

#[test]
fn half_a_name_is_not_hidden() {
    // "mw. A. Jansen-de Vries": the name is characters 4..22; only "Jansen" (7..13) found.
    assert!(!is_hidden(Span::new(4, 22), &[Span::new(7, 13)]));
    assert!(is_hidden(Span::new(4, 22), &[Span::new(4, 22)]));
}

#[test]
fn two_found_pieces_can_cover_one_gold_span() {
    assert!(is_hidden(Span::new(7, 13), &[Span::new(5, 10), Span::new(10, 14)]));
    assert!(!is_hidden(Span::new(7, 13), &[Span::new(5, 9), Span::new(10, 14)]));
}

#[test]
fn three_of_four_hidden() {
    let gold = [Span::new(0, 5), Span::new(10, 20), Span::new(30, 39), Span::new(50, 60)];
    let found = [Span::new(0, 5), Span::new(9, 21), Span::new(30, 38), Span::new(50, 60)];
    assert_eq!(leak_recall(&gold, &found), 0.75);
}
