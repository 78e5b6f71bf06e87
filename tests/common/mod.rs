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
