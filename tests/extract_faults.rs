//! `clinkit extract` when the output disk fails: a full disk and a read-only file system
//! stop the run with a message naming the path, leave no half-written record, and a rerun
//! on a healthy disk finishes the job with the same result as an undisturbed run.
//!
//! The broken disks are real: a 32 KiB tmpfs and a read-only tmpfs, mounted in a private
//! mount namespace (`unshare --map-root-user --mount`, from util-linux), so the test needs
//! no root on the host and leaves no mount behind.
#![cfg(feature = "cli")]

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn clinkit_bin() -> &'static str {
    env!("CARGO_BIN_EXE_clinkit")
}

/// The 80 synthetic test letters (records of 2-3 KiB each).
fn letters() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("datasets-synthetic/referrals/test.jsonl")
}

/// Runs `script` with `sh` in a private mount namespace; `$CLINKIT`, `$INPUT` and `$HOST`
/// (a folder outside the namespace, for what the checks need to see) are set.
fn in_mount_namespace(script: &str, host: &Path) -> Output {
    let mount_point = host.join("disk");
    std::fs::create_dir_all(&mount_point).unwrap();
    let output = Command::new("unshare")
        .args(["--map-root-user", "--mount", "sh", "-c", script])
        .env("CLINKIT", clinkit_bin())
        .env("INPUT", letters())
        .env("HOST", host)
        .env("DISK", &mount_point)
        .output()
        .expect("unshare (util-linux) runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        !stderr.contains("unshare failed") && !stderr.contains("mount: "),
        "this machine does not allow a private mount namespace: {stderr}"
    );
    output
}

/// The exit code `clinkit` printed as `exit=N` in the script's output.
fn clinkit_exit_code(stdout: &str) -> i32 {
    stdout
        .lines()
        .find_map(|line| line.strip_prefix("exit="))
        .and_then(|code| code.trim().parse().ok())
        .unwrap_or_else(|| panic!("no exit= line in {stdout}"))
}

/// Every file in `documents/` is a complete JSON record; no temporary file is left.
fn records_are_whole(run: &Path) -> usize {
    let mut count = 0;
    for entry in std::fs::read_dir(run.join("documents")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        assert!(
            !name.ends_with(".tmp"),
            "temporary file left behind: {name}"
        );
        let text = std::fs::read_to_string(&path).unwrap();
        let record: serde_json::Value = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("half-written record {name}: {e}"));
        assert!(record["id"].is_string(), "{name}");
        count += 1;
    }
    count
}

/// Runs `clinkit extract` with its output on a tmpfs mounted with `mount_options`, then
/// `after` (shell lines, e.g. to copy the output out of the namespace). Returns clinkit's
/// exit code and what it wrote on stderr.
fn extract_on_broken_disk(mount_options: &str, after: &str, host: &Path) -> (i32, String) {
    let script = format!(
        r#"
        mount -t tmpfs -o {mount_options} tmpfs "$DISK" || exit 90
        "$CLINKIT" extract "$INPUT" --out "$DISK/run" 2>"$HOST/stderr.txt"
        echo "exit=$?"
        {after}
    "#
    );
    let output = in_mount_namespace(&script, host);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let message = std::fs::read_to_string(host.join("stderr.txt")).unwrap();
    assert!(!message.contains("panicked"), "{message}");
    (clinkit_exit_code(&stdout), message)
}

fn extract(out: &Path) -> Output {
    Command::new(clinkit_bin())
        .arg("extract")
        .arg(letters())
        .arg("--out")
        .arg(out)
        .output()
        .unwrap()
}

#[test]
fn a_full_disk_stops_with_the_path_and_a_rerun_finishes_the_job() {
    let host = tempfile::tempdir().unwrap();
    // 32 KiB holds a few of the 80 letters' records, not all.
    let (code, message) =
        extract_on_broken_disk("size=32k", r#"cp -r "$DISK/run" "$HOST/run""#, host.path());
    assert_eq!(code, 1, "{message}");
    assert!(
        message.contains("No space left on device") && message.contains("/run/documents/"),
        "{message}"
    );

    let run = host.path().join("run");
    let finished_before = records_are_whole(&run);
    assert!(
        (1..80).contains(&finished_before),
        "{finished_before} records"
    );

    // On a disk with room, the same command resumes and completes the job.
    let rerun = extract(&run);
    common::assert_success(&rerun);
    assert!(String::from_utf8_lossy(&rerun.stderr)
        .contains(&format!("{finished_before} documents already done")));
    assert_eq!(records_are_whole(&run), 80);
    let undisturbed = host.path().join("undisturbed");
    assert!(extract(&undisturbed).status.success());
    assert_eq!(
        std::fs::read_to_string(run.join("predictions.jsonl")).unwrap(),
        std::fs::read_to_string(undisturbed.join("predictions.jsonl")).unwrap()
    );
}

#[test]
fn a_read_only_output_disk_is_named_in_the_error() {
    let host = tempfile::tempdir().unwrap();
    let (code, message) = extract_on_broken_disk("ro", "", host.path());
    assert_eq!(code, 1, "{message}");
    assert!(
        message.contains("Read-only file system") && message.contains("disk/run"),
        "{message}"
    );
}
