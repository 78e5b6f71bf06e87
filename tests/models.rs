//! The model catalog, the checks of installed models, and downloads from a (local) hub.

mod common;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;

use clinkit::models::{self, FileCheck};

/// A minimal HTTP server on 127.0.0.1 that answers GET requests from a map of
/// URL path → body, 404 for anything else. Serves `requests` requests, then stops.
fn serve(files: BTreeMap<String, Vec<u8>>, requests: usize) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming().take(requests) {
            let mut stream = stream.unwrap();
            let mut request_line = String::new();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            reader.read_line(&mut request_line).unwrap();
            loop {
                let mut header = String::new();
                if reader.read_line(&mut header).unwrap() == 0 || header == "\r\n" {
                    break;
                }
            }
            let path = request_line
                .split_whitespace()
                .nth(1)
                .unwrap_or("/")
                .to_string();
            match files.get(&path) {
                Some(body) => {
                    write!(
                        stream,
                        "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                        body.len()
                    )
                    .unwrap();
                    stream.write_all(body).unwrap();
                }
                None => write!(
                    stream,
                    "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                )
                .unwrap(),
            }
        }
    });
    address
}

fn installed_models_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("models")
}

#[test]
fn catalog_names_every_file_with_a_sha256() {
    for model in models::catalog() {
        assert!(!model.files.is_empty(), "{} has no files", model.name);
        for file in &model.files {
            assert_eq!(file.sha256.len(), 64, "{} {}", model.name, file.path);
            assert!(file.sha256.chars().all(|c| c.is_ascii_hexdigit()));
        }
    }
}

#[test]
fn packaged_models_are_installed_and_intact() {
    // scripts/setup installs them before the tests run.
    for model in models::catalog() {
        let status = models::status(&model, &installed_models_dir()).unwrap();
        assert!(
            status.ready,
            "{} is not ready: {:?}",
            model.name, status.files
        );
    }
}

#[test]
fn a_damaged_file_is_reported_as_a_mismatch() {
    let dir = tempfile::tempdir().unwrap();
    let model = models::find("all-minilm-l6-v2").unwrap();
    let folder = dir.path().join(&model.name);
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("config.json"), "{}").unwrap();
    let status = models::status(&model, dir.path()).unwrap();
    assert!(!status.ready);
    let config = status
        .files
        .iter()
        .find(|f| f.path.ends_with("config.json") && !f.path.ends_with("1_Pooling/config.json"))
        .unwrap();
    assert_eq!(config.check, FileCheck::Mismatch);
    let weights = status
        .files
        .iter()
        .find(|f| f.path.ends_with("model.safetensors"))
        .unwrap();
    assert_eq!(weights.check, FileCheck::Missing);
}

#[test]
fn pull_downloads_every_file_from_the_hub_and_checks_it() {
    let model = models::find("all-minilm-l6-v2").unwrap();
    let source = installed_models_dir().join(&model.name);
    let files: BTreeMap<String, Vec<u8>> = model
        .files
        .iter()
        .map(|file| {
            let url = format!(
                "/sentence-transformers/all-MiniLM-L6-v2/resolve/main/{}",
                file.path
            );
            (url, std::fs::read(source.join(&file.path)).unwrap())
        })
        .collect();
    let endpoint = serve(files, model.files.len());
    let dir = tempfile::tempdir().unwrap();
    let status = models::hub::pull(&model, dir.path(), &endpoint).unwrap();
    assert!(status.ready, "{:?}", status.files);
    assert!(dir
        .path()
        .join("all-minilm-l6-v2/1_Pooling/config.json")
        .is_file());
}

#[test]
fn pull_refuses_a_file_whose_checksum_differs() {
    let model = models::find("all-minilm-l6-v2").unwrap();
    let first = &model.files[0];
    let url = format!(
        "/sentence-transformers/all-MiniLM-L6-v2/resolve/main/{}",
        first.path
    );
    let endpoint = serve(BTreeMap::from([(url, b"not the weights".to_vec())]), 1);
    let dir = tempfile::tempdir().unwrap();
    let error = models::hub::pull(&model, dir.path(), &endpoint)
        .unwrap_err()
        .to_string();
    assert!(error.contains("differs from the expected"), "{error}");
    assert!(!dir
        .path()
        .join("all-minilm-l6-v2")
        .join(&first.path)
        .exists());
}

#[test]
fn cli_lists_models_as_json() {
    let output = Command::new(env!("CARGO_BIN_EXE_clinkit"))
        .args(["models", "list", "--json", "--dir"])
        .arg(installed_models_dir())
        .output()
        .unwrap();
    let listing = common::json_of_success(&output);
    let gemma = &listing["models"].as_array().unwrap()[1];
    assert_eq!(gemma["name"], "gemma-3-270m-q4_k_m");
    assert_eq!(gemma["ready"], true);
    assert_eq!(gemma["size"], 253113024);
}

#[test]
fn cli_pull_offline_says_what_to_do_instead() {
    // Port 9 on loopback: nothing listens there, as on a machine with no hub.
    let dir = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_clinkit"))
        .args(["models", "pull", "all-minilm-l6-v2", "--dir"])
        .arg(dir.path())
        .env("HF_ENDPOINT", "http://127.0.0.1:9")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(
            "cannot reach http://127.0.0.1:9/sentence-transformers/all-MiniLM-L6-v2/resolve/main/"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("scripts/setup"), "{stderr}");
}

#[test]
fn cli_pull_rejects_a_path_outside_the_repository() {
    let dir = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_clinkit"))
        .args([
            "models",
            "pull",
            "org/model",
            "--file",
            "../../escape.txt",
            "--dir",
        ])
        .arg(dir.path())
        .env("HF_ENDPOINT", "http://127.0.0.1:9")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("without `..`"));
}

#[test]
fn cli_usage_error_exits_with_2() {
    let output = Command::new(env!("CARGO_BIN_EXE_clinkit"))
        .args(["models", "list", "--bogus"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
}

/// A one-file model "tiny" in `models` whose file says `content`, last changed an hour ago.
fn tiny_model(models: &Path, content: &str) -> models::ModelSpec {
    let mut model = models::find("all-minilm-l6-v2").unwrap();
    model.name = "tiny".into();
    model.files = vec![models::FileSpec {
        path: "hello.txt".into(),
        size: 5,
        sha256: "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824".into(),
    }];
    write_an_hour_ago(&models.join("tiny/hello.txt"), content);
    model
}

fn write_an_hour_ago(path: &Path, content: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, content).unwrap();
    let an_hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    let file = std::fs::File::options().write(true).open(path).unwrap();
    file.set_modified(an_hour_ago).unwrap();
}

#[test]
fn a_full_check_is_remembered_until_a_file_changes() {
    let dir = tempfile::tempdir().unwrap();
    let model = tiny_model(dir.path(), "hello");
    let folder = models::ready(&model, dir.path()).unwrap();
    assert_eq!(folder, dir.path().join("tiny"));
    let stamp: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(folder.join(models::CHECKED_STAMP)).unwrap())
            .unwrap();
    assert_eq!(stamp[0]["path"], "hello.txt");
    assert_eq!(stamp[0]["size"], 5);

    // Damaged later (same size, new time): checked in full again, and reported.
    std::fs::write(folder.join("hello.txt"), "jello").unwrap();
    let error = models::ready(&model, dir.path()).unwrap_err().to_string();
    assert!(error.contains("hello.txt is damaged"), "{error}");

    // Put back: ready again.
    write_an_hour_ago(&folder.join("hello.txt"), "hello");
    assert!(models::ready(&model, dir.path()).is_ok());
}

#[test]
fn a_remembered_check_does_not_read_the_file_again() {
    // The trade-off, made visible: bytes changed behind the stamp's back (same size, same
    // modification time) are not noticed; that is what makes a load skip the checksum.
    let dir = tempfile::tempdir().unwrap();
    let model = tiny_model(dir.path(), "hello");
    models::ready(&model, dir.path()).unwrap();
    let file = dir.path().join("tiny/hello.txt");
    let time = std::fs::metadata(&file).unwrap().modified().unwrap();
    std::fs::write(&file, "jello").unwrap();
    std::fs::File::options()
        .write(true)
        .open(&file)
        .unwrap()
        .set_modified(time)
        .unwrap();
    assert!(models::ready(&model, dir.path()).is_ok());
    // Without the stamp the full check finds it.
    std::fs::remove_file(dir.path().join("tiny").join(models::CHECKED_STAMP)).unwrap();
    assert!(models::ready(&model, dir.path()).is_err());
}

#[test]
fn a_file_changed_moments_ago_is_not_remembered() {
    let dir = tempfile::tempdir().unwrap();
    let model = tiny_model(dir.path(), "hello");
    std::fs::write(dir.path().join("tiny/hello.txt"), "hello").unwrap();
    assert!(models::ready(&model, dir.path()).is_ok());
    assert!(!dir.path().join("tiny").join(models::CHECKED_STAMP).exists());
}
