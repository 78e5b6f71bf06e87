//! Checking an exercise: compile the intern's file with the checks as a small test crate,
//! then run each check on its own, within limits.
//!
//! Each exercise becomes a crate of four files in a build folder:
//!
//! ```text
//! Cargo.toml       depends on clinkit (a path dependency on this clinkit folder)
//! src/lib.rs       pub mod exercise; #[cfg(test)] mod visible; #[cfg(test)] mod hidden;
//! src/exercise.rs  a copy of the intern's file
//! src/visible.rs   the checks (hidden.rs too, for supervisors)
//! ```
//!
//! All exercise crates share one cargo target folder ([`default_target_dir`]), so clinkit
//! and its dependencies compile once (minutes, the first time) and each later check
//! compiles only the intern's file (seconds). Then every `#[test]` runs as its own process
//! with [`sandbox::run_limited`](super::sandbox::run_limited): a check that loops forever
//! fails alone, on its time limit.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::lesson::{Exercise, Lesson};
use super::sandbox::{run_limited, Limits, Outcome};
use crate::error::{Error, Result};

/// How checks are built and run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckOptions {
    /// The shared cargo target folder of all exercise crates.
    pub target_dir: PathBuf,
    /// The clinkit source folder the exercise crates depend on.
    pub clinkit_dir: PathBuf,
    /// Limits for compiling one exercise crate.
    pub compile_limits: Limits,
    /// Limits for running one check.
    pub test_limits: Limits,
    /// Also run the hidden checks (supervisors).
    pub hidden: bool,
}

impl Default for CheckOptions {
    fn default() -> Self {
        CheckOptions {
            target_dir: default_target_dir(),
            clinkit_dir: crate::kernel::crate_dir(),
            compile_limits: Limits {
                time: std::time::Duration::from_secs(1800),
                output_bytes: 256 * 1024,
            },
            test_limits: Limits::default(),
            hidden: false,
        }
    }
}

/// The shared target folder: `$CLINKIT_EXERCISE_TARGET`, else `target/clinkit-exercises`
/// in the clinkit folder (so `cargo clean` empties it).
pub fn default_target_dir() -> PathBuf {
    std::env::var_os("CLINKIT_EXERCISE_TARGET")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            crate::kernel::crate_dir()
                .join("target")
                .join("clinkit-exercises")
        })
}

/// Where an exercise stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Every check passes.
    Passing,
    /// It compiles, but at least one check fails.
    Failing,
    /// It does not compile (or compiling ran out of time).
    CompileError,
    /// The intern has no file for it yet.
    NotStarted,
}

impl Status {
    /// Words for tables: `passing`, `failing`, `does not compile`, `not started`.
    pub fn words(&self) -> &'static str {
        match self {
            Status::Passing => "passing",
            Status::Failing => "failing",
            Status::CompileError => "does not compile",
            Status::NotStarted => "not started",
        }
    }
}

/// One check (one `#[test]` function) and how it went.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TestResult {
    /// The check's name, such as `counts_two_words`.
    pub name: String,
    /// True for a supervisor's hidden check.
    pub hidden: bool,
    /// True when it passed.
    pub passed: bool,
    /// `ok`, `failed`, `timed out`.
    pub outcome: String,
    /// What it printed when it failed (the panic message), cut to the output limit.
    pub output: String,
}

/// The result of checking one exercise.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExerciseReport {
    /// The lesson id.
    pub lesson: String,
    /// The exercise name.
    pub exercise: String,
    /// Passing, failing, not compiling, not started.
    pub status: Status,
    /// Every check that ran.
    pub tests: Vec<TestResult>,
    /// The compiler's errors when it did not compile.
    pub compiler_output: String,
    /// The exercise's hint.
    pub hint: String,
}

impl ExerciseReport {
    /// (passed, total) of the visible or the hidden checks.
    pub fn counts(&self, hidden: bool) -> (usize, usize) {
        let of_kind = self.tests.iter().filter(|t| t.hidden == hidden);
        let total = of_kind.clone().count();
        (of_kind.filter(|t| t.passed).count(), total)
    }

    /// A report for an exercise the intern has not started.
    pub fn not_started(lesson: &Lesson, exercise: &Exercise) -> Self {
        ExerciseReport {
            lesson: lesson.id.clone(),
            exercise: exercise.name.clone(),
            status: Status::NotStarted,
            tests: Vec::new(),
            compiler_output: String::new(),
            hint: exercise.hint.clone(),
        }
    }
}

/// Checks the intern's `file` for `exercise`, building its crate under `build_dir`
/// (a folder of its own per intern: `<workspace>/.clinkit/crates`). Running checks may
/// write only inside `build_dir` (see [`super::sandbox`]).
pub fn check_exercise(
    lesson: &Lesson,
    exercise: &Exercise,
    file: &Path,
    build_dir: &Path,
    options: &CheckOptions,
) -> Result<ExerciseReport> {
    if !file.is_file() {
        return Ok(ExerciseReport::not_started(lesson, exercise));
    }
    let crate_dir = build_dir.join(format!("{}-{}", lesson.id, exercise.name));
    write_crate(lesson, exercise, file, &crate_dir, options)?;
    let mut report = ExerciseReport {
        status: Status::Failing,
        ..ExerciseReport::not_started(lesson, exercise)
    };
    let executable = match compile(&crate_dir, options)? {
        Ok(executable) => executable,
        Err(compiler_output) => {
            report.status = Status::CompileError;
            report.compiler_output = compiler_output;
            return Ok(report);
        }
    };
    for name in list_tests(&executable, &crate_dir, options)? {
        report
            .tests
            .push(run_test(&executable, &name, &crate_dir, options)?);
    }
    let all_pass = !report.tests.is_empty() && report.tests.iter().all(|t| t.passed);
    report.status = if all_pass {
        Status::Passing
    } else {
        Status::Failing
    };
    Ok(report)
}

fn write_file(path: &Path, content: &str) -> Result<()> {
    // Unchanged files keep their time stamp, so cargo does not rebuild for nothing.
    if std::fs::read_to_string(path).ok().as_deref() == Some(content) {
        return Ok(());
    }
    std::fs::write(path, content).map_err(|e| Error::io(path, e))
}

fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| Error::io(path, e))
}

fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

/// Writes the exercise crate: manifest, lock file, lib.rs, the intern's file and checks.
fn write_crate(
    lesson: &Lesson,
    exercise: &Exercise,
    file: &Path,
    crate_dir: &Path,
    options: &CheckOptions,
) -> Result<()> {
    let src = crate_dir.join("src");
    std::fs::create_dir_all(&src).map_err(|e| Error::io(&src, e))?;
    let manifest = format!(
        "[package]\nname = \"exercise-{}-{}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         [lib]\ndoctest = false\n\n\
         [dependencies]\nclinkit = {{ path = {}, default-features = false }}\n\n\
         {}\n[workspace]\n",
        lesson.id,
        exercise.name.replace('_', "-"),
        toml_string(&options.clinkit_dir.to_string_lossy()),
        crate::kernel::OPTIMISED_DEPENDENCIES,
    );
    write_file(&crate_dir.join("Cargo.toml"), &manifest)?;
    let lock = crate_dir.join("Cargo.lock");
    if !lock.exists() {
        // clinkit's own lock file: the same dependency versions, found offline.
        let clinkit_lock = options.clinkit_dir.join("Cargo.lock");
        if clinkit_lock.is_file() {
            std::fs::copy(&clinkit_lock, &lock).map_err(|e| Error::io(&lock, e))?;
        }
    }
    let mut lib = String::from(
        "//! Generated by `clinkit lessons check`: the intern's file and its checks.\n\
         #![allow(dead_code, unused_imports, unused_variables, unused_mut)]\n\
         pub mod exercise;\n#[cfg(test)]\nmod visible;\n",
    );
    write_file(&src.join("exercise.rs"), &read(file)?)?;
    write_file(
        &src.join("visible.rs"),
        &read(&lesson.visible_checks(exercise))?,
    )?;
    if options.hidden {
        lib.push_str("#[cfg(test)]\nmod hidden;\n");
        write_file(
            &src.join("hidden.rs"),
            &read(&lesson.hidden_checks(exercise))?,
        )?;
    } else {
        let _ = std::fs::remove_file(src.join("hidden.rs"));
    }
    write_file(&src.join("lib.rs"), &lib)
}

fn cargo() -> std::process::Command {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = std::process::Command::new(cargo);
    // Settings of an outer cargo run (for example clinkit's own tests) must not leak in.
    for name in [
        "CARGO_TARGET_DIR",
        "CARGO_BUILD_TARGET_DIR",
        "RUSTFLAGS",
        "CARGO_ENCODED_RUSTFLAGS",
    ] {
        command.env_remove(name);
    }
    command.env("CARGO_TERM_COLOR", "never");
    command
}

/// Compiles the test executable: `Ok(Ok(path))`, or `Ok(Err(compiler messages))`.
fn compile(
    crate_dir: &Path,
    options: &CheckOptions,
) -> Result<std::result::Result<PathBuf, String>> {
    let mut command = cargo();
    command
        .arg("test")
        .arg("--no-run")
        .arg("--offline")
        .arg("--message-format=json-render-diagnostics")
        .arg("--manifest-path")
        .arg(crate_dir.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(&options.target_dir)
        .current_dir(crate_dir);
    let finished = run_limited(command, &options.compile_limits, None)?;
    if finished.outcome == Outcome::TimedOut {
        return Ok(Err(format!(
            "compiling took longer than {} s and was stopped",
            options.compile_limits.time.as_secs()
        )));
    }
    let executable = finished
        .stdout
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|message| {
            message["reason"] == "compiler-artifact" && message["profile"]["test"] == true
        })
        .find_map(|message| message["executable"].as_str().map(PathBuf::from));
    match (finished.outcome.success(), executable) {
        (true, Some(executable)) => Ok(Ok(executable)),
        _ => Ok(Err(compiler_errors(&finished.stderr))),
    }
}

/// The compiler's messages without cargo's progress lines.
fn compiler_errors(stderr: &str) -> String {
    stderr
        .lines()
        .filter(|line| {
            let trimmed = line.trim_start();
            !(trimmed.starts_with("Compiling ")
                || trimmed.starts_with("Finished ")
                || trimmed.starts_with("Blocking "))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn test_command(executable: &Path, crate_dir: &Path) -> std::process::Command {
    let mut command = std::process::Command::new(executable);
    command
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", crate_dir)
        .env("TMPDIR", crate_dir)
        .env("RUST_BACKTRACE", "0")
        .current_dir(crate_dir);
    command
}

/// The names of the checks in the executable, in order.
fn list_tests(executable: &Path, crate_dir: &Path, options: &CheckOptions) -> Result<Vec<String>> {
    let mut command = test_command(executable, crate_dir);
    command.args(["--list", "--format", "terse"]);
    let finished = run_limited(command, &options.test_limits, Some(crate_dir))?;
    Ok(finished
        .stdout
        .lines()
        .filter_map(|line| line.strip_suffix(": test"))
        .map(str::to_string)
        .collect())
}

/// Runs one check as its own process.
fn run_test(
    executable: &Path,
    name: &str,
    crate_dir: &Path,
    options: &CheckOptions,
) -> Result<TestResult> {
    let mut command = test_command(executable, crate_dir);
    command.args(["--exact", name, "--test-threads", "1"]);
    let finished = run_limited(command, &options.test_limits, Some(crate_dir))?;
    let (hidden, short) = match name.split_once("::") {
        Some((module, rest)) => (module == "hidden", rest.to_string()),
        None => (false, name.to_string()),
    };
    let passed = finished.outcome.success() && finished.stdout.contains("1 passed");
    let outcome = match finished.outcome {
        Outcome::TimedOut => format!(
            "timed out after {} s",
            options.test_limits.time.as_secs_f64()
        ),
        _ if passed => "ok".to_string(),
        _ => "failed".to_string(),
    };
    let output = if passed {
        String::new()
    } else {
        failure_message(&finished.stdout, &finished.stderr, finished.truncated)
    };
    Ok(TestResult {
        name: short,
        hidden,
        passed,
        outcome,
        output,
    })
}

/// The part of the test output that says why it failed (the panic message).
fn failure_message(stdout: &str, stderr: &str, truncated: bool) -> String {
    let mut message = match stdout.split_once(" stdout ----\n") {
        Some((_, rest)) => rest
            .split("\n\nfailures:")
            .next()
            .unwrap_or(rest)
            .trim()
            .to_string(),
        None => format!("{}\n{}", stdout.trim(), stderr.trim())
            .trim()
            .to_string(),
    };
    if truncated {
        message.push_str("\n[output cut: the check printed too much]");
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_failure_message_is_the_panic() {
        let stdout = "running 1 test\ntest visible::adds ... FAILED\n\nfailures:\n\n---- visible::adds stdout ----\n\nthread 'visible::adds' panicked at src/visible.rs:4:5:\nassertion failed\n\n\nfailures:\n    visible::adds\n";
        let message = failure_message(stdout, "", false);
        assert!(
            message.starts_with("thread 'visible::adds' panicked"),
            "{message}"
        );
        assert!(message.ends_with("assertion failed"), "{message}");
    }

    #[test]
    fn cargo_progress_is_not_a_compiler_error() {
        let stderr = "   Compiling exercise v0.0.0\nerror[E0308]: mismatched types\n    Finished `test` profile";
        assert_eq!(compiler_errors(stderr), "error[E0308]: mismatched types");
    }
}
