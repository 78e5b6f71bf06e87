//! TF-IDF from scratch: exact values on a tiny corpus.

use clinkit::embed::tfidf::{cosine, words, TfIdf};

const CORPUS: [&str; 3] = [
    "Pijn op de borst.",
    "Geen pijn, wel dyspneu.",
    "Dyspneu en oedeem.",
];

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

#[test]
fn vocabulary_and_idf_are_exact() {
    let model = TfIdf::fit(&CORPUS);
    let vocabulary: Vec<&str> = model.vocabulary.keys().map(String::as_str).collect();
    assert_eq!(
        vocabulary,
        ["borst", "de", "dyspneu", "en", "geen", "oedeem", "op", "pijn", "wel"]
    );
    // N = 3. In one text: ln(4/2) + 1; in two texts: ln(4/3) + 1.
    let once = 2f64.ln() + 1.0;
    let twice = (4f64 / 3.0).ln() + 1.0;
    assert!(close(model.weight("borst").unwrap(), once));
    assert!(close(model.weight("pijn").unwrap(), twice));
    assert!(close(model.weight("dyspneu").unwrap(), twice));
    assert_eq!(model.weight("hart"), None);
}

#[test]
fn vectors_are_unit_length_tf_times_idf() {
    let model = TfIdf::fit(&CORPUS);
    let once = 2f64.ln() + 1.0;
    let twice = (4f64 / 3.0).ln() + 1.0;
    // "dyspneu dyspneu oedeem": tf 2 * twice for dyspneu (word 2), 1 * once for oedeem (word 5).
    let vector = model.vector("Dyspneu, dyspneu en OEDEEM!");
    let raw = [(2, 2.0 * twice), (3, once), (5, once)];
    let length = raw.iter().map(|(_, w)| w * w).sum::<f64>().sqrt();
    assert_eq!(vector.len(), 3);
    for ((number, weight), (expected_number, expected)) in vector.iter().zip(raw) {
        assert_eq!(*number, expected_number);
        assert!(close(*weight, expected / length));
    }
    assert!(model.vector("onbekende woorden").is_empty());
}

#[test]
fn cosine_and_nearest_neighbours() {
    let model = TfIdf::fit(&CORPUS);
    let query = model.vector("pijn");
    // "pijn" alone is the unit vector of word 7; its cosine with a text is that text's weight for pijn.
    let second = model.vector(CORPUS[1]);
    let pijn_weight = second.iter().find(|(n, _)| *n == 7).unwrap().1;
    assert!(close(cosine(&query, &second), pijn_weight));
    let hits = model.nearest("pijn", &CORPUS, 3);
    assert_eq!(hits.iter().map(|h| h.0).collect::<Vec<_>>(), [1, 0, 2]);
    assert!(close(hits[2].1, 0.0));
    // Each text is nearest to itself, with similarity 1.
    for (i, text) in CORPUS.iter().enumerate() {
        let best = model.nearest(text, &CORPUS, 1)[0];
        assert_eq!(best.0, i);
        assert!(close(best.1, 1.0));
    }
}

#[test]
fn words_are_lowercase_letters_and_digits() {
    assert_eq!(
        words("NT-proBNP 1250 ng/L"),
        ["nt", "probnp", "1250", "ng", "l"]
    );
    assert_eq!(words("patiënt"), ["patiënt"]);
    assert!(words(" ,. ").is_empty());
}
