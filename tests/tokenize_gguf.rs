//! The tokenizer built from the packaged Gemma 3 GGUF gives exactly llama.cpp's token ids.
//!
//! The reference ids come from llama.cpp itself (llama-cpp-python's `Llama.tokenize` on
//! the same file), made once by `scripts/fixtures/make_gguf_tokenizer_fixture.py`.
#![cfg(feature = "hf-tokenizers")]

use std::path::{Path, PathBuf};

use clinkit::tokenize::{gguf, HfTokenizer};
use serde::Deserialize;

#[derive(Deserialize)]
struct Fixture {
    model_sha256: String,
    llama_cpp_python: String,
    cases: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    text: String,
    add_bos: bool,
    special: bool,
    ids: Vec<u32>,
}

fn fixture() -> Fixture {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/tokenize/gemma3_llama_cpp_ids.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn gemma_gguf() -> PathBuf {
    clinkit::models::ready_dir("gemma-3-270m-q4_k_m")
        .expect("the packaged Gemma 3 model (run scripts/setup)")
        .join("gemma-3-270m-q4_k_m.gguf")
}

/// Where two id lists first differ, as a message with the tokens around it.
fn first_difference(tokenizer: &tokenizers::Tokenizer, ours: &[u32], theirs: &[u32]) -> String {
    let at = ours
        .iter()
        .zip(theirs)
        .position(|(a, b)| a != b)
        .unwrap_or(ours.len().min(theirs.len()));
    let piece = |ids: &[u32]| -> Vec<String> {
        ids.iter()
            .skip(at.saturating_sub(2))
            .take(5)
            .map(|&id| format!("{id}:{:?}", tokenizer.id_to_token(id).unwrap_or_default()))
            .collect()
    };
    format!(
        "first difference at token {at} (lengths {} and {}): ours {:?}, llama.cpp {:?}",
        ours.len(),
        theirs.len(),
        piece(ours),
        piece(theirs)
    )
}

#[test]
fn gemma3_ids_equal_llama_cpp_on_the_whole_fixture() {
    let fixture = fixture();
    assert!(fixture.cases.len() >= 40);
    let path = gemma_gguf();
    let sha = clinkit::models::sha256_file(&path).unwrap();
    assert_eq!(
        sha, fixture.model_sha256,
        "the fixture was made on another GGUF file"
    );
    let mut tokenizer = gguf::tokenizer_from_gguf(&path).unwrap();
    let mut failures = Vec::new();
    for (number, case) in fixture.cases.iter().enumerate() {
        tokenizer.set_encode_special_tokens(!case.special);
        let encoding = tokenizer.encode(case.text.as_str(), case.add_bos).unwrap();
        let ours = encoding.get_ids();
        if ours != case.ids.as_slice() {
            failures.push(format!(
                "case {number} {:?} (add_bos {}, special {}): {}",
                case.text,
                case.add_bos,
                case.special,
                first_difference(&tokenizer, ours, &case.ids)
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ from llama.cpp {}:\n{}",
        failures.len(),
        fixture.cases.len(),
        fixture.llama_cpp_python,
        failures.join("\n")
    );
}

#[test]
fn gemma3_decodes_back_to_the_text() {
    let tokenizer = HfTokenizer::from_gguf(&gemma_gguf()).unwrap();
    // SentencePiece writes a space as `▁`, so a real `▁` in the text cannot come back.
    let cases = fixture().cases;
    let plain = cases
        .iter()
        .filter(|case| !case.special && !case.text.contains('▁'));
    for case in plain {
        let decoded = tokenizer.decode(&case.ids).unwrap();
        assert_eq!(decoded, case.text);
    }
}

#[test]
fn gemma3_tokens_point_at_the_text() {
    let tokenizer = HfTokenizer::from_gguf(&gemma_gguf()).unwrap();
    let tokens = tokenizer
        .tokenize("Geen diabetes, NT-proBNP 1.250 ng/L 🫀")
        .unwrap();
    assert_eq!(
        tokens.to_string(),
        "[<bos>][Ge][en][ diabetes][,][ NT][-][pro][BN][P][ ][1][.][2][5][0][ ng][/][L][ ]\
         [<0xF0>][<0x9F>][<0xAB>][<0x80>]"
    );
    // The heart emoji is not in Gemma's vocabulary: four byte tokens share its span.
    let heart: Vec<_> = tokens.tokens()[20..].iter().map(|t| t.span).collect();
    assert_eq!(heart, [clinkit::text::Span::new(36, 37); 4]);
    let html = tokens.to_html();
    assert!(html.contains("title=\"2 &lt;bos&gt;\""), "{html}");
}

#[derive(Deserialize)]
struct TinyFixture {
    vocabularies: Vec<TinyVocabulary>,
}

#[derive(Deserialize)]
struct TinyVocabulary {
    file: String,
    pre: String,
    cases: Vec<Case>,
}

/// Byte-level BPE (`gpt2` type) vocabularies with three pre-split rules, checked against
/// llama.cpp (made by `scripts/fixtures/make_gpt2_gguf_fixture.py`).
#[test]
fn tiny_gpt2_vocabularies_equal_llama_cpp() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tokenize");
    let text = std::fs::read_to_string(dir.join("tiny_gpt2_llama_cpp_ids.json")).unwrap();
    let fixture: TinyFixture = serde_json::from_str(&text).unwrap();
    let mut failures = Vec::new();
    let mut cases = 0;
    for vocabulary in &fixture.vocabularies {
        let mut tokenizer = gguf::tokenizer_from_gguf(&dir.join(&vocabulary.file)).unwrap();
        for case in &vocabulary.cases {
            cases += 1;
            tokenizer.set_encode_special_tokens(!case.special);
            let encoding = tokenizer.encode(case.text.as_str(), case.add_bos).unwrap();
            if encoding.get_ids() != case.ids.as_slice() {
                failures.push(format!(
                    "{} {:?} (special {}): {}",
                    vocabulary.pre,
                    case.text,
                    case.special,
                    first_difference(&tokenizer, encoding.get_ids(), &case.ids)
                ));
            }
        }
    }
    assert!(cases >= 150);
    assert!(
        failures.is_empty(),
        "{} of {cases} cases differ from llama.cpp:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
