//! The llama.cpp reference for the packaged gemma-3-270m (tests/fixtures/llm/gemma3_reference.json),
//! made once with llama-cpp-python by scripts/make_llm_fixture.py.

use serde::Deserialize;

/// All reference prompts.
#[derive(Deserialize)]
pub struct Reference {
    pub cases: Vec<Case>,
}

/// One prompt: its token ids, llama.cpp's next-token argmax, top-10 ids with their logits,
/// and a greedy 32-token continuation.
#[derive(Deserialize)]
pub struct Case {
    pub prompt: String,
    pub prompt_ids: Vec<u32>,
    pub argmax: u32,
    pub top_ids: Vec<u32>,
    pub top_logits: Vec<f32>,
    pub greedy: Vec<u32>,
}

/// Reads the committed fixture.
pub fn reference() -> Reference {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/llm/gemma3_reference.json"
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}
