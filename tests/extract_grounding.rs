//! Grounding quotes in Dutch and English letters: exact, fuzzy (case, white space, accents,
//! a few edits) and not found, with spans in characters that slice back to the evidence.

use clinkit::extract::grounding::{ground, ground_in, Alignment, MAX_EDIT_FRACTION};
use clinkit::text::Span;

const DUTCH: &str = "Geachte collega,\n\nGraag zien wij mevr. Müller-Öztürk (67 jr) i.v.m. \
    ëxacerbatie van hartfalen. Echocardiografie: LVEF 35%, NYHA-klasse III.\n\
    Medicatie: metoprolol 50 mg 2dd. Allergie: penicilline.";

const ENGLISH: &str = "Dear colleague, we kindly refer Mr. Nuñez, aged 58, with exertional \
    chest pain. Echo: LV ejection fraction 40%. Blood pressure 142/88 mmHg.";

fn slice(text: &str, span: Option<Span>) -> &str {
    span.expect("a span").slice(text).expect("inside the text")
}

#[test]
fn exact_quotes_after_multibyte_letters_slice_back() {
    let found = ground(DUTCH, "LVEF 35%");
    assert_eq!(found.status, Alignment::Exact);
    assert_eq!(found.similarity, 1.0);
    assert_eq!(slice(DUTCH, found.span), "LVEF 35%");
    // Character offsets, not bytes: ü, Ö, ü and ë before the quote take two bytes each.
    let byte_start = DUTCH.find("LVEF 35%").unwrap();
    let span = found.span.unwrap();
    assert_eq!(span.start, DUTCH[..byte_start].chars().count());
    assert_eq!(byte_start - span.start, 4);

    let name = ground(DUTCH, "Müller-Öztürk");
    assert_eq!(name.status, Alignment::Exact);
    assert_eq!(slice(DUTCH, name.span), "Müller-Öztürk");
    assert_eq!(name.span.unwrap().len(), 13);

    let english = ground(ENGLISH, "Nuñez, aged 58");
    assert_eq!(english.status, Alignment::Exact);
    assert_eq!(slice(ENGLISH, english.span), "Nuñez, aged 58");
}

#[test]
fn case_whitespace_and_accents_are_fuzzy_and_point_at_the_original_words() {
    let accents = ground(DUTCH, "muller-ozturk");
    assert_eq!(accents.status, Alignment::Fuzzy);
    assert_eq!(accents.similarity, 1.0);
    assert_eq!(slice(DUTCH, accents.span), "Müller-Öztürk");

    let accent_added = ground(DUTCH, "exacerbatie van hartfalen");
    assert_eq!(accent_added.status, Alignment::Fuzzy);
    assert_eq!(slice(DUTCH, accent_added.span), "ëxacerbatie van hartfalen");

    // A quote across the line break, written with one space and in other case.
    let across_lines = ground(DUTCH, "nyha-klasse iii. medicatie:");
    assert_eq!(across_lines.status, Alignment::Fuzzy);
    assert_eq!(
        slice(DUTCH, across_lines.span),
        "NYHA-klasse III.\nMedicatie:"
    );

    let english = ground(ENGLISH, "NUNEZ");
    assert_eq!(english.status, Alignment::Fuzzy);
    assert_eq!(slice(ENGLISH, english.span), "Nuñez");
}

#[test]
fn a_few_edits_are_fuzzy_with_their_similarity() {
    // 24 characters, at most 4 edits allowed (20%).
    let found = ground(DUTCH, "exacerbatie van hartfaal");
    assert_eq!(found.status, Alignment::Fuzzy);
    // An edited match is widened to whole words.
    assert_eq!(slice(DUTCH, found.span), "ëxacerbatie van hartfalen");
    assert!(found.similarity >= 1.0 - MAX_EDIT_FRACTION, "{found:?}");

    let typo = ground(ENGLISH, "exertonal chest pian");
    assert_eq!(typo.status, Alignment::Fuzzy);
    assert_eq!(slice(ENGLISH, typo.span), "exertional chest pain");
    assert!(
        (typo.similarity - (1.0 - 3.0 / 20.0)).abs() < 1e-9,
        "{typo:?}"
    );
}

#[test]
fn too_many_edits_short_numbers_and_empty_quotes_are_not_found() {
    for quote in [
        "LVEF 55%",                     // one edit in 8 characters, but in a digit
        "57 jr",                        // same: 67 -> 57 changes the meaning
        "metoprolol 25 mg",             // the dose differs
        "digoxine 0,125 mg",            // not in the letter at all
        "ejection fraction 40 percent", // 7 edits from "ejection fraction 40%." (> 20% of 28)
        "",
        "   ",
    ] {
        let found = ground(DUTCH, quote);
        let english = ground(ENGLISH, quote);
        assert_eq!(found.status, Alignment::NotFound, "{quote}");
        assert_eq!(english.status, Alignment::NotFound, "{quote}");
        assert_eq!(found.span, None);
        assert_eq!(found.similarity, 0.0);
    }
    // Quotes under five characters get no edits: "57" is not "67".
    assert_eq!(ground(DUTCH, "57").status, Alignment::NotFound);
    assert_eq!(ground(DUTCH, "67").status, Alignment::Exact);
}

#[test]
fn grounding_in_regions_only_looks_where_the_model_read() {
    let file = "12-01-2019: LVEF 55%, NYHA II.\n03-05-2024: LVEF 35%, NYHA III.";
    let second_letter = Span::new(31, file.chars().count());
    let found = ground_in(file, "LVEF 35%", &[second_letter]);
    assert_eq!(found.status, Alignment::Exact);
    assert_eq!(slice(file, found.span), "LVEF 35%");
    assert_eq!(found.span.unwrap().start, 43);
    // Exact in a later region beats fuzzy in an earlier one.
    let first_letter = Span::new(0, 30);
    let both = ground_in(file, "NYHA III", &[first_letter, second_letter]);
    assert_eq!(both.status, Alignment::Exact);
    assert_eq!(both.span.unwrap().start, 53);
    // Regions outside the text are skipped, not a panic.
    let outside = ground_in(file, "LVEF", &[Span::new(500, 600)]);
    assert_eq!(outside.status, Alignment::NotFound);
}
