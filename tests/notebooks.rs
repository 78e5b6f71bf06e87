//! Every notebook in notebooks/ runs on the clinkit kernel, and the runner stops at a
//! failing cell (a panic or a compile error) and names it.
//!
//! These tests start real Jupyter kernels: they need `scripts/setup` (the .venv with
//! Jupyter, evcxr_jupyter). They install the kernel into the project's .venv themselves
//! (idempotent). The first kernel start on a machine compiles clinkit into
//! target/clinkit-kernel (minutes); later runs reuse it (seconds per notebook).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Mutex, MutexGuard, OnceLock};

/// One kernel at a time: two kernels at once would each need a compiled build folder.
fn one_kernel_at_a_time() -> MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    LOCK.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn clinkit(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_clinkit"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap()
}

/// `clinkit kernel install` into the project's .venv, once per test run.
fn kernel_installed() {
    static INSTALLED: OnceLock<()> = OnceLock::new();
    INSTALLED.get_or_init(|| {
        let output = clinkit(&["kernel", "install"]);
        assert!(
            output.status.success(),
            "clinkit kernel install failed (run scripts/setup first): {}",
            String::from_utf8_lossy(&output.stderr)
        );
    });
}

fn run_notebooks(paths: &[&Path]) -> Output {
    kernel_installed();
    let mut args = vec!["notebooks", "run", "--json"];
    args.extend(paths.iter().map(|p| p.to_str().unwrap()));
    clinkit(&args)
}

/// A notebook with the given code cells (after one markdown cell).
fn notebook(dir: &Path, name: &str, cells: &[&str]) -> PathBuf {
    let mut all = vec![serde_json::json!({
        "cell_type": "markdown", "id": "title", "metadata": {}, "source": ["# A test notebook"]
    })];
    for (i, code) in cells.iter().enumerate() {
        all.push(serde_json::json!({
            "cell_type": "code", "id": format!("code-{i}"), "metadata": {},
            "execution_count": null, "outputs": [], "source": [code]
        }));
    }
    let content = serde_json::json!({
        "cells": all,
        "metadata": {"kernelspec": {"name": "clinkit", "display_name": "Rust (clinkit)", "language": "rust"}},
        "nbformat": 4, "nbformat_minor": 5
    });
    let path = dir.join(name);
    std::fs::write(&path, content.to_string()).unwrap();
    path
}

#[test]
fn every_notebook_in_the_course_runs() {
    let _kernel = one_kernel_at_a_time();
    let notebooks = Path::new(env!("CARGO_MANIFEST_DIR")).join("notebooks");
    let output = run_notebooks(&[&notebooks]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["ok"], true);
    let ran: Vec<&str> = report["notebooks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["path"].as_str().unwrap())
        .collect();
    assert!(
        ran.iter()
            .any(|p| p.ends_with("00-notebooks-and-first-letter.ipynb")),
        "{ran:?}"
    );
}

#[test]
fn a_panicking_cell_fails_the_run_and_is_named() {
    let _kernel = one_kernel_at_a_time();
    let dir = tempfile::tempdir().unwrap();
    let path = notebook(
        dir.path(),
        "panics.ipynb",
        &[
            "let doc = Document::new(\"n1\", Lang::En, \"note\", \"fine\");",
            "let missing: Option<u32> = None;\nmissing.unwrap()",
            "println!(\"never runs\");",
        ],
    );
    let output = run_notebooks(&[&path]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("cell 3 (code cell 2) panicked"), "{stderr}");
    assert!(
        stderr.contains("missing.unwrap()"),
        "the cell's source: {stderr}"
    );
    assert!(
        stderr.contains("panicked at"),
        "the cell's output: {stderr}"
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["failure"]["reason"], "panic");
    assert_eq!(report["failure"]["cell"], 3);
}

#[test]
fn a_cell_that_does_not_compile_fails_the_run_and_is_named() {
    let _kernel = one_kernel_at_a_time();
    let dir = tempfile::tempdir().unwrap();
    let path = notebook(
        dir.path(),
        "compile_error.ipynb",
        &["let age: u32 = \"sixty\";", "println!(\"never runs\");"],
    );
    let output = run_notebooks(&[&path]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("cell 2 (code cell 1) failed"), "{stderr}");
    assert!(stderr.contains("let age: u32 = \"sixty\";"), "{stderr}");
    assert!(
        stderr.contains("mismatched types"),
        "the compiler's message: {stderr}"
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["failure"]["reason"], "error");
}
