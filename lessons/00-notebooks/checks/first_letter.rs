use crate::exercise::*;
use clinkit::data::{Document, Lang};

fn letters() -> Vec<Document> {
    vec![
        Document::new("a", Lang::Nl, "referral", "Geachte collega,"),
        Document::new("b", Lang::En, "referral", "Dear colleague,"),
    ]
}

#[test]
fn finds_the_language_of_a_letter() {
    assert_eq!(language_of(&letters(), "b").as_deref(), Some("en"));
}

#[test]
fn an_unknown_id_gives_none() {
    assert_eq!(language_of(&letters(), "zz"), None);
}
