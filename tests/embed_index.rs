//! The vector index finds the right chunk of a patient file for clinical questions.
#![cfg(feature = "models")]

use clinkit::embed::bert::SentenceEncoder;
use clinkit::embed::index::{chunk_by_sentences, VectorIndex};
use clinkit::text::Span;

const PATIENT_FILE: &str = "Anamnese: sinds drie maanden dyspneu bij traplopen. \
Geen pijn op de borst. Rookt sinds 2015 niet meer. \
Medicatie: metoprolol 50 mg eenmaal daags, apixaban 5 mg tweemaal daags. \
Allergie: penicilline (huiduitslag). \
Echocardiografie: verminderde linkerventrikelfunctie, LVEF 35%. \
Laboratorium: NT-proBNP 1250 ng/L, eGFR 48 ml/min. \
Familie: vader overleed op 55-jarige leeftijd aan een hartinfarct.";

fn index() -> VectorIndex {
    let encoder = SentenceEncoder::for_model("all-minilm-l6-v2").unwrap();
    let mut index = VectorIndex::new(encoder);
    assert_eq!(index.add("pat-0001", PATIENT_FILE, 1).unwrap(), 8);
    index
}

#[test]
fn clinical_questions_find_the_right_chunk_with_its_span() {
    let index = index();
    assert_eq!(index.len(), 8);
    let hits = index
        .search("ejection fraction of the left ventricle", 3)
        .unwrap();
    assert_eq!(hits.len(), 3);
    assert!(hits[0].text.contains("LVEF 35%"), "{hits:?}");
    assert_eq!(hits[0].document, "pat-0001");
    assert_eq!(
        hits[0].span.slice(PATIENT_FILE),
        Some(hits[0].text.as_str())
    );
    let start = PATIENT_FILE.find("Echocardiografie").unwrap();
    assert_eq!(hits[0].span.start, PATIENT_FILE[..start].chars().count());
    assert!(hits[0].score > hits[1].score && hits[1].score >= hits[2].score);

    let allergy = index.search("allergies", 1).unwrap();
    assert!(
        allergy[0].text.starts_with("Allergie: penicilline"),
        "{allergy:?}"
    );
    // all-MiniLM-L6-v2 was trained on English: the Dutch question "welke medicijnen
    // gebruikt de patiënt" lands on the family-history chunk; a drug name finds the right one.
    let drugs = index.search("metoprolol dose", 1).unwrap();
    assert!(drugs[0].text.contains("metoprolol"), "{drugs:?}");
}

#[test]
fn chunks_group_sentences_up_to_the_limit() {
    let chunks = chunk_by_sentences(PATIENT_FILE, 120);
    // Every chunk is whole sentences, within the limit, and together they cover the file in order.
    assert!(chunks.windows(2).all(|w| w[0].end < w[1].start));
    assert!(chunks.iter().all(|c| c.len() <= 120));
    assert_eq!(chunks[0], Span::new(0, 102));
    assert_eq!(chunks.len(), 4);
    assert!(chunk_by_sentences("", 100).is_empty());
}
