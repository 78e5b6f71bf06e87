//! What several test files share (each includes it with `mod common;`; a file uses only
//! some of it).
#![allow(dead_code)]

pub mod reference;
#[cfg(feature = "http")]
pub mod server;

/// Fails the test with the command's standard error unless it exited successfully.
pub fn assert_success(output: &std::process::Output) {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The JSON document a successful `--json` command printed (the test fails with its
/// standard error when it did not succeed).
pub fn json_of_success(output: &std::process::Output) -> serde_json::Value {
    assert_success(output);
    serde_json::from_slice(&output.stdout).unwrap()
}

/// A GGUF file holding only `general.architecture = architecture` (no weights), for tests
/// of how an architecture clinkit cannot run is refused.
pub fn gguf_of_architecture(
    dir: &std::path::Path,
    name: &str,
    architecture: &str,
) -> std::path::PathBuf {
    let path = dir.join(name);
    let bytes = clinkit::tokenize::gguf_file::GgufMetadata::to_bytes(&[(
        "general.architecture",
        clinkit::tokenize::gguf_file::Value::String(architecture.into()),
    )]);
    std::fs::write(&path, bytes).unwrap();
    path
}
