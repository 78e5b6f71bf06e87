//! clinkit's own BERT encoder against sentence-transformers on the packaged all-MiniLM-L6-v2.
//!
//! The fixture tests/fixtures/embed/minilm.json holds sentence-transformers' embeddings of
//! 24 Dutch and English clinical sentences (scripts/make_embed_fixture.py made it).
#![cfg(feature = "models")]

use clinkit::embed::bert::SentenceEncoder;
use clinkit::Error;

#[derive(serde::Deserialize)]
struct Fixture {
    sentences: Vec<String>,
    embeddings: Vec<Vec<f32>>,
}

fn fixture() -> Fixture {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/embed/minilm.json"
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn encoder() -> SentenceEncoder {
    SentenceEncoder::for_model("all-minilm-l6-v2").unwrap()
}

fn largest_difference(a: &[Vec<f32>], b: &[Vec<f32>]) -> f32 {
    assert_eq!(a.len(), b.len());
    a.iter()
        .zip(b)
        .flat_map(|(x, y)| {
            assert_eq!(x.len(), y.len());
            x.iter().zip(y).map(|(p, q)| (p - q).abs())
        })
        .fold(0.0, f32::max)
}

#[test]
fn embeddings_match_sentence_transformers_within_1e_4() {
    let fixture = fixture();
    assert!(fixture.sentences.len() >= 20);
    let encoder = encoder();
    assert_eq!(encoder.dimension(), 384);
    let ours = encoder.embed(&fixture.sentences).unwrap();
    let difference = largest_difference(&ours, &fixture.embeddings);
    assert!(difference < 1e-4, "largest difference {difference}");
    // The check is meaningful: another sentence's vector is far off.
    let mut shifted = fixture.embeddings.clone();
    shifted.rotate_left(1);
    assert!(largest_difference(&ours, &shifted) > 0.05);
}

#[test]
fn batch_size_and_order_do_not_change_the_vectors() {
    let fixture = fixture();
    let encoder = encoder().with_batch_size(5);
    let small_batches = encoder.embed(&fixture.sentences).unwrap();
    let alone: Vec<Vec<f32>> = fixture.sentences[..3]
        .iter()
        .map(|s| encoder.embed_one(s).unwrap())
        .collect();
    assert!(largest_difference(&small_batches, &fixture.embeddings) < 1e-4);
    assert!(largest_difference(&small_batches[..3], &alone) < 1e-5);
    let lengths: Vec<f32> = small_batches
        .iter()
        .map(|v| v.iter().map(|x| x * x).sum::<f32>().sqrt())
        .collect();
    assert!(
        lengths.iter().all(|l| (l - 1.0).abs() < 1e-5),
        "{lengths:?}"
    );
}

#[test]
fn similar_meaning_is_nearer_than_different_meaning() {
    let encoder = encoder();
    let v = encoder
        .embed(&[
            "Left ventricular ejection fraction is 40 percent.",
            "The LVEF was measured at 40%.",
            "Known allergy to contrast media.",
        ])
        .unwrap();
    let dot = |a: &[f32], b: &[f32]| a.iter().zip(b).map(|(x, y)| x * y).sum::<f32>();
    assert!(dot(&v[0], &v[1]) > dot(&v[0], &v[2]) + 0.2);
}

#[test]
fn long_texts_are_cut_at_the_token_limit() {
    let encoder = encoder();
    assert_eq!(encoder.max_tokens(), 256);
    let long = "pijn op de borst ".repeat(400);
    let vector = encoder.embed_one(&long).unwrap();
    assert_eq!(vector.len(), 384);
    assert!(encoder.embed(&Vec::<String>::new()).unwrap().is_empty());
}

#[test]
fn a_broken_model_folder_names_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let err = SentenceEncoder::from_dir(dir.path()).unwrap_err();
    assert!(
        matches!(err, Error::Io { ref path, .. } if path.ends_with("config.json")),
        "{err}"
    );

    let model = clinkit::models::models_dir().join("all-minilm-l6-v2");
    for file in [
        "config.json",
        "tokenizer.json",
        "modules.json",
        "model.safetensors",
    ] {
        std::os::unix::fs::symlink(model.join(file), dir.path().join(file)).unwrap();
    }
    std::fs::create_dir(dir.path().join("1_Pooling")).unwrap();
    let pooling = dir.path().join("1_Pooling/config.json");
    std::fs::write(&pooling, "{\"pooling_mode_max_tokens\": true}").unwrap();
    let err = SentenceEncoder::from_dir(dir.path())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("1_Pooling/config.json") && err.contains("mean or CLS"),
        "{err}"
    );
    std::fs::write(&pooling, "{\"pooling_mode_mean_tokens\": tru").unwrap();
    let err = SentenceEncoder::from_dir(dir.path())
        .unwrap_err()
        .to_string();
    assert!(err.contains("1_Pooling/config.json:1"), "{err}");
}
