//! The clinkit notebook kernel: Rust in Jupyter, with clinkit ready in the first cell.
//!
//! Interns meet Rust in Jupyter notebooks. The Rust kernel for Jupyter is
//! [evcxr](https://github.com/evcxr/evcxr): it turns each cell into a small Rust crate,
//! compiles it and runs it. Out of the box it compiles every dependency again at every
//! kernel start, which takes minutes. clinkit installs its own kernel, **"Rust (clinkit)"**
//! (kernelspec name `clinkit`, so evcxr's own `rust` kernel is left alone), configured
//! through evcxr's documented configuration points:
//!
//! | what | how |
//! | --- | --- |
//! | clinkit in every notebook, without a `:dep` line | `init.evcxr` with `:dep clinkit = { path = "...", default-features = false, features = ["models"] }`, in the folder named by `EVCXR_CONFIG_DIR` (set in kernel.json's `env`) |
//! | the common names (`Document`, `rules`, `eval`, ...) without `use` lines | `use clinkit::kernel::prelude::*;` (see [`prelude`]) at the end of `init.evcxr` |
//! | a restart takes seconds, not minutes | a persistent build folder per kernel (`EVCXR_TMPDIR`, one locked *slot* per running kernel) under [`default_cache_dir`], plus evcxr's `:cache` of compiled downloaded crates (in evcxr's own place, `~/.cache/evcxr` on Linux, shared with other evcxr kernels) for a new slot or after `cargo clean` |
//! | dependencies fast, cell code quick to compile | `:opt 0` for cells, and `.cargo/config.toml` beside the slots with [`OPTIMISED_DEPENDENCIES`] (`opt-level = 2`, no debug assertions) |
//! | no network at a kernel start (hospital machines often have none) | `:offline 1` in `init.evcxr`: cargo uses the crates already on the machine; `:offline 0` in a cell before a new `:dep` |
//! | results as tables and highlighted text | `evcxr_display` methods on clinkit's types ([`display`]) |
//!
//! What is left of a warm start is mostly evcxr's own work: it runs rust-analyzer inside
//! the kernel to learn the types of a cell's variables, which loads the standard library's
//! sources at start-up, again once `clinkit` is added, and analyses clinkit at the first
//! `let`. Compiling and linking a cell takes about a second. `benches/kernel.rs` measures
//! start to first result, cold and warm, against plain evcxr.
//!
//! The launcher makes that rust-analyzer work smaller: it sets `RUST_SRC_PATH` (for the
//! kernel only; rustc ignores it) to `rust-src/` in the cache, links to the standard
//! library crates alone (core, alloc, std, ...), instead of rust-src's whole `library/`
//! folder (tests, stdarch, about 2000 files, and a `cargo metadata` run). Types of `let`
//! variables are still found. Measured with plain evcxr on a loaded 2-core machine: kernel
//! start plus a first cell 23-35 s instead of 42-47 s. An empty stand-in library would be
//! faster still (5 s) but breaks evcxr: it could no longer tell the type of `vec![..]`.
//!
//! The launcher also shows rust-analyzer a smaller world than the compiler sees: a `cargo`
//! of its own (through `RUSTC`, which only rust-analyzer reads) whose `cargo metadata`
//! leaves out the downloaded crates (candle, tokenizers, llguidance, ... about 150 with
//! `models`). rust-analyzer then works out the names and types of clinkit and the standard
//! library only, which is all evcxr needs to keep `let` variables of clinkit's and std's
//! types between cells; cells still compile against everything. Measured on a loaded 2-core
//! machine (load 4), same build folder, runs interleaved: warm start to the first
//! embeddings 15-19 s instead of 26-27 s (kernel ready 8-12 s instead of 13-15 s). A variable whose
//! type comes from a downloaded crate needs its type written out
//! (`let t: candle_core::Tensor = ...`).
//!
//! `:offline 1` keeps cargo from asking the crate registry anything at the `:dep`.
//! Measured on the idle 2-core machine, warm, the benchmark's first cell (load MiniLM, embed
//! four letters): start to first result 11.0-12.0 s without it, 9.3-9.7 s with it (kernel
//! ready 5.6-5.8 s). A start works offline because `scripts/setup` runs `cargo fetch`: evcxr
//! checks the `:dep` with `cargo metadata`, which wants the crates of *every* platform, and a
//! build downloads only this machine's (`clinkit kernel doctor` checks it: `crates`).
//!
//! Three more things, measured on an idle 2-core virtual machine with `perf` (where the CPU
//! time of a warm start goes) and then as warm start to first result, runs interleaved:
//!
//! - Dependencies are built without debug assertions and overflow checks
//!   ([`OPTIMISED_DEPENDENCIES`]): embedding the four letters took 1.3 s with them, 0.7 s
//!   without.
//! - rust-analyzer runs its `cargo` about fifteen times at a start. The filtering `cargo` is a
//!   shell script that starts Python only for a full `cargo metadata` (each Python start was
//!   ~50 ms).
//! - evcxr's memory allocator (mimalloc) is told not to ask for 2 MiB pages
//!   (`MIMALLOC_ALLOW_THP=0`, set by the launcher): rust-analyzer then touches 325 MB of fresh
//!   memory instead of 410 MB, and zeroing fresh memory was ~1.2 s of CPU on that machine.
//!
//! Together (the last two): 7.1-8.2 s (median 7.3) instead of 8.5-11.4 s (median 9.0). What is
//! left, in CPU seconds: rust-analyzer ~3.5 (the standard library at start-up, clinkit and
//! the types at the first cell), evcxr's and rust-analyzer's cargo runs ~1, compiling and
//! linking three small crates (evcxr's `42` probe, the prelude's `use`, the cell) ~1.3,
//! running the cell ~1.
//!
//! evcxr 0.22 has no per-cell time limit (`:timeout` is not one of its commands, and an
//! unknown command in `init.evcxr` stops the kernel). The time limit lives in the notebook
//! runner instead ([`notebooks::RunOptions::cell_timeout`]); in Jupyter, *Interrupt* stops
//! a cell.
//!
//! On the command line:
//!
//! ```text
//! clinkit kernel install      # kernelspec into the project's .venv (or --user, --prefix DIR)
//! clinkit kernel doctor       # what is missing, and the one command that fixes each thing
//! clinkit kernel uninstall    # remove it again (--purge also deletes the build folder)
//! clinkit notebooks run notebooks/
//! ```
//!
//! In code, the files the kernel is made of can be looked at before installing:
//!
//! ```
//! use clinkit::kernel::KernelConfig;
//! let config = KernelConfig::for_this_crate();
//! assert!(config.init_evcxr().contains(":dep clinkit = { path = "));
//! assert!(config.init_evcxr().contains("default-features = false"));
//! assert!(config.init_evcxr().ends_with("use clinkit::kernel::prelude::*;\n"));
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::json;

use crate::error::{Error, Result};

pub mod display;
mod doctor;
pub mod notebooks;
pub mod prelude;

pub use display::{show_fields, show_text, Html};
pub use doctor::{doctor, Check, DoctorReport, Status as CheckStatus};

/// The kernelspec name: the folder under `kernels/` and what notebooks record in their
/// metadata (`"kernelspec": {"name": "clinkit"}`).
pub const KERNEL_NAME: &str = "clinkit";

/// The name Jupyter shows in its kernel menu.
pub const DISPLAY_NAME: &str = "Rust (clinkit)";

/// The evcxr_jupyter version clinkit's configuration was written for and tested with.
pub const EVCXR_VERSION: &str = "0.22.0";

/// The cargo profile for code an intern did not write (clinkit and the crates it uses), in
/// the kernel's build folders and in `clinkit lessons check`: optimised, and without the
/// debug build's extra checks (`debug_assert!`, integer overflow) inside those crates.
/// Those checks catch mistakes while a crate is being written; in candle's and clinkit's
/// inner loops they only cost time (embedding four letters in a notebook: 1.3 s with them,
/// 0.7 s without). The intern's own code (a cell, an exercise) keeps them.
///
/// ```
/// assert!(clinkit::kernel::OPTIMISED_DEPENDENCIES.contains("overflow-checks = false"));
/// ```
pub const OPTIMISED_DEPENDENCIES: &str = "[profile.dev.package.\"*\"]\n\
                                          opt-level = 2\n\
                                          debug-assertions = false\n\
                                          overflow-checks = false\n";

/// The launcher script Jupyter runs (it picks a build folder, then starts evcxr_jupyter).
const LAUNCHER: &str = include_str!("launch.py");

/// Where a kernelspec is installed, as with `jupyter kernelspec install`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SpecLocation {
    /// `PREFIX/share/jupyter/kernels`: a virtual environment (the default is the
    /// project's `.venv`, so a checkout and its CI stay self-contained).
    Prefix(PathBuf),
    /// The user's Jupyter data folder (`$JUPYTER_DATA_DIR`, else
    /// `~/.local/share/jupyter` on Linux, `~/Library/Jupyter` on macOS): every Jupyter
    /// of this user sees the kernel.
    User,
}

impl SpecLocation {
    /// The default: the `.venv` of the clinkit source folder (made by `scripts/setup`).
    ///
    /// ```
    /// let location = clinkit::kernel::SpecLocation::default_prefix();
    /// let kernels = location.kernels_dir().unwrap();
    /// assert!(kernels.ends_with(".venv/share/jupyter/kernels"));
    /// ```
    pub fn default_prefix() -> Self {
        SpecLocation::Prefix(crate_dir().join(".venv"))
    }

    /// The `kernels` folder of this location.
    pub fn kernels_dir(&self) -> Result<PathBuf> {
        match self {
            SpecLocation::Prefix(prefix) => Ok(absolute(prefix)?
                .join("share")
                .join("jupyter")
                .join("kernels")),
            SpecLocation::User => Ok(user_data_dir()?.join("kernels")),
        }
    }

    /// The folder of the clinkit kernelspec at this location.
    pub fn spec_dir(&self) -> Result<PathBuf> {
        Ok(self.kernels_dir()?.join(KERNEL_NAME))
    }

    /// The Python of a prefix that is a virtual environment (`bin/python`), if any.
    pub fn python(&self) -> Option<PathBuf> {
        match self {
            SpecLocation::Prefix(prefix) => venv_python(prefix),
            SpecLocation::User => None,
        }
    }
}

/// The user's Jupyter data folder, as Jupyter computes it.
fn user_data_dir() -> Result<PathBuf> {
    if let Some(dir) = std::env::var_os("JUPYTER_DATA_DIR").filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    let home = std::env::var_os("HOME")
        .or_else(|| std::env::var_os("USERPROFILE"))
        .map(PathBuf::from)
        .ok_or_else(|| Error::Refused("cannot find the home folder (HOME is not set)".into()))?;
    if cfg!(target_os = "macos") {
        return Ok(home.join("Library").join("Jupyter"));
    }
    if cfg!(windows) {
        if let Some(appdata) = std::env::var_os("APPDATA") {
            return Ok(PathBuf::from(appdata).join("jupyter"));
        }
    }
    let data = std::env::var_os("XDG_DATA_HOME")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| home.join(".local").join("share"));
    Ok(data.join("jupyter"))
}

/// The clinkit source folder this program was built from (what `:dep clinkit` points at).
pub fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The kernel's persistent build folder: `$CLINKIT_KERNEL_CACHE`, else
/// `target/clinkit-kernel` in the clinkit source folder (so `cargo clean` empties it, and
/// CI caches it together with `target/`).
///
/// ```
/// # if std::env::var_os("CLINKIT_KERNEL_CACHE").is_none() {
/// assert!(clinkit::kernel::default_cache_dir().ends_with("target/clinkit-kernel"));
/// # }
/// ```
pub fn default_cache_dir() -> PathBuf {
    std::env::var_os("CLINKIT_KERNEL_CACHE")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| crate_dir().join("target").join("clinkit-kernel"))
}

/// Everything that goes into the kernel's configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KernelConfig {
    /// The clinkit source folder notebooks compile against.
    pub crate_dir: PathBuf,
    /// The persistent build folder (slots, cargo profile settings).
    pub cache_dir: PathBuf,
    /// clinkit features for notebooks, on top of `default-features = false`. The default,
    /// `models`, brings sentence embeddings and local language models (candle) into the
    /// notebooks; it makes the first (cold) kernel start minutes longer, later ones not.
    pub features: Vec<String>,
    /// Size of evcxr's cache of compiled downloaded crates (`:cache`), in MiB.
    pub cache_mb: u64,
    /// The `evcxr_jupyter` program.
    pub evcxr_jupyter: PathBuf,
    /// The Python that runs the launcher (the one Jupyter runs in, if known).
    pub python: PathBuf,
}

impl KernelConfig {
    /// The configuration for the clinkit source folder this program was built from,
    /// with the default cache folder, the `models` feature, a 4 GiB `:cache`, and the
    /// `evcxr_jupyter` and `python3` found on the search path (or their usual places).
    pub fn for_this_crate() -> Self {
        KernelConfig {
            crate_dir: crate_dir(),
            cache_dir: default_cache_dir(),
            features: vec!["models".to_string()],
            cache_mb: 4096,
            evcxr_jupyter: find_evcxr_jupyter().unwrap_or_else(|| "evcxr_jupyter".into()),
            python: find_program("python3")
                .map(|python| real_python(&python))
                .unwrap_or_else(|| "python3".into()),
        }
    }

    /// `init.evcxr`: evcxr runs it at every kernel start. Only evcxr commands that exist
    /// in evcxr 0.22 (an unknown one stops the kernel), then the prelude's `use` line.
    ///
    /// The `use` line could live in evcxr's `prelude.rs`, but evcxr compiles that file
    /// separately: one more compile at every kernel start (measured 1.5 to 2 s of a warm
    /// start on a 2-core machine). In `init.evcxr` it compiles together with the `:dep`.
    ///
    /// ```
    /// let mut config = clinkit::kernel::KernelConfig::for_this_crate();
    /// config.features = vec!["hf-tokenizers".into()];
    /// let init = config.init_evcxr();
    /// assert!(init.contains(":cache 4096"));
    /// assert!(init.contains(":opt 0"));
    /// assert!(init.contains(":offline 1"));
    /// assert!(init.contains(r#"features = ["hf-tokenizers"]"#));
    /// ```
    pub fn init_evcxr(&self) -> String {
        let mut dep = format!(
            "clinkit = {{ path = {}, default-features = false",
            toml_string(&self.crate_dir.to_string_lossy())
        );
        if !self.features.is_empty() {
            let list: Vec<String> = self.features.iter().map(|f| toml_string(f)).collect();
            dep.push_str(&format!(", features = [{}]", list.join(", ")));
        }
        dep.push_str(" }");
        format!(
            "// Written by `clinkit kernel install`; reinstall instead of editing.\n\
             // Keep compiled downloaded crates between kernel starts (MiB).\n\
             :cache {}\n\
             // Cell code compiles unoptimised (fast); dependencies are optimised by the\n\
             // cargo profile in the kernel's build folder.\n\
             :opt 0\n\
             // Never reach the network at a kernel start: clinkit's crates are already on\n\
             // this machine (scripts/setup built them). Saves 1-2 s a start. To add a new\n\
             // crate in a notebook, run `:offline 0` before its `:dep` line.\n\
             :offline 1\n\
             :dep {dep}\n\
             // The names every notebook gets (see clinkit::kernel::prelude).\n\
             use clinkit::kernel::prelude::*;\n",
            self.cache_mb
        )
    }

    /// The cargo settings the launcher puts beside the build folders: every dependency
    /// (clinkit too) built as [`OPTIMISED_DEPENDENCIES`] says, so rules, metrics and models
    /// run fast, while the cell crate follows `:opt 0`. Changing `:opt` in a notebook then
    /// does not rebuild dependencies.
    ///
    /// ```
    /// let toml = clinkit::kernel::KernelConfig::for_this_crate().cargo_config();
    /// assert!(toml.contains("[profile.dev.package.\"*\"]\nopt-level = 2"));
    /// assert!(toml.contains("debug-assertions = false"));
    /// ```
    pub fn cargo_config(&self) -> String {
        format!(
            "# Written by `clinkit kernel install` (the launcher copies it into the build folder).\n\
             # Dependencies, clinkit included, are optimised; cell code follows `:opt 0`.\n\
             {OPTIMISED_DEPENDENCIES}"
        )
    }

    /// The `kernel.json` of the kernelspec in `spec_dir`: Jupyter runs the launcher with
    /// `env` pointing evcxr at clinkit's configuration and build folders.
    ///
    /// ```
    /// use std::path::Path;
    /// let config = clinkit::kernel::KernelConfig::for_this_crate();
    /// let json = config.kernel_json(Path::new("/k/clinkit"));
    /// assert_eq!(json["display_name"], "Rust (clinkit)");
    /// assert_eq!(json["argv"][1], "/k/clinkit/launch.py");
    /// assert_eq!(json["env"]["EVCXR_CONFIG_DIR"], "/k/clinkit/evcxr");
    /// ```
    pub fn kernel_json(&self, spec_dir: &Path) -> serde_json::Value {
        let text = |path: &Path| path.to_string_lossy().into_owned();
        let env: BTreeMap<&str, String> = [
            ("EVCXR_CONFIG_DIR", text(&spec_dir.join("evcxr"))),
            ("CLINKIT_KERNEL_CACHE", text(&self.cache_dir)),
            ("CLINKIT_EVCXR_JUPYTER", text(&self.evcxr_jupyter)),
            ("CLINKIT_CRATE_DIR", text(&self.crate_dir)),
        ]
        .into_iter()
        .collect();
        json!({
            "argv": [text(&self.python), text(&spec_dir.join("launch.py")), "{connection_file}"],
            "display_name": DISPLAY_NAME,
            "language": "rust",
            "interrupt_mode": "message",
            "env": env,
            "metadata": {
                "clinkit": {
                    "version": env!("CARGO_PKG_VERSION"),
                    "crate_dir": text(&self.crate_dir),
                    "cache_dir": text(&self.cache_dir),
                    "features": self.features,
                    "evcxr_version": EVCXR_VERSION,
                }
            }
        })
    }
}

/// Quotes a string for TOML (and evcxr's `:dep` line).
fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

/// What [`install`] wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Installed {
    /// The kernelspec folder (`.../kernels/clinkit`).
    pub spec_dir: PathBuf,
    /// Its `kernel.json`.
    pub kernel_json: PathBuf,
    /// The evcxr configuration folder (`EVCXR_CONFIG_DIR`).
    pub config_dir: PathBuf,
    /// The persistent build folder.
    pub cache_dir: PathBuf,
    /// Files that were new or changed (an unchanged reinstall writes nothing).
    pub changed: Vec<PathBuf>,
}

/// Installs (or updates) the clinkit kernelspec at `location`. Safe to run again: files
/// whose content is already right are left alone.
///
/// ```
/// use clinkit::kernel::{install, KernelConfig, SpecLocation};
/// let prefix = tempfile::tempdir().unwrap();
/// let mut config = KernelConfig::for_this_crate();
/// config.cache_dir = prefix.path().join("cache");
/// let installed = install(&SpecLocation::Prefix(prefix.path().into()), &config).unwrap();
/// assert!(installed.kernel_json.ends_with("share/jupyter/kernels/clinkit/kernel.json"));
/// assert!(installed.config_dir.join("init.evcxr").is_file());
/// let again = install(&SpecLocation::Prefix(prefix.path().into()), &config).unwrap();
/// assert!(again.changed.is_empty());
/// ```
pub fn install(location: &SpecLocation, config: &KernelConfig) -> Result<Installed> {
    let spec_dir = location.spec_dir()?;
    let config_dir = spec_dir.join("evcxr");
    let mut config = config.clone();
    config.cache_dir = absolute(&config.cache_dir)?;
    config.crate_dir = absolute(&config.crate_dir)?;
    let kernel_json = serde_json::to_string_pretty(&config.kernel_json(&spec_dir))
        .map_err(|e| Error::Refused(format!("cannot write kernel.json: {e}")))?;
    let files = [
        (spec_dir.join("kernel.json"), kernel_json + "\n"),
        (spec_dir.join("launch.py"), LAUNCHER.to_string()),
        (spec_dir.join("cargo-config.toml"), config.cargo_config()),
        (config_dir.join("init.evcxr"), config.init_evcxr()),
    ];
    let mut changed = Vec::new();
    for (path, content) in files {
        if write_if_changed(&path, &content)? {
            changed.push(path);
        }
    }
    // An evcxr prelude.rs would cost a second compile at every start (see `init_evcxr`).
    let prelude = config_dir.join("prelude.rs");
    if prelude.exists() {
        std::fs::remove_file(&prelude).map_err(|e| Error::io(&prelude, e))?;
        changed.push(prelude);
    }
    std::fs::create_dir_all(&config.cache_dir).map_err(|e| Error::io(&config.cache_dir, e))?;
    Ok(Installed {
        kernel_json: spec_dir.join("kernel.json"),
        spec_dir,
        config_dir,
        cache_dir: config.cache_dir,
        changed,
    })
}

/// Removes the clinkit kernelspec at `location`; with `purge_cache`, also the build folder
/// named in its kernel.json. Returns the removed kernelspec folder, or `None` when there
/// was none. A `kernels/clinkit` folder that clinkit did not write is left alone.
///
/// ```
/// use clinkit::kernel::{install, uninstall, KernelConfig, SpecLocation};
/// let prefix = tempfile::tempdir().unwrap();
/// let location = SpecLocation::Prefix(prefix.path().into());
/// let mut config = KernelConfig::for_this_crate();
/// config.cache_dir = prefix.path().join("cache");
/// let installed = install(&location, &config).unwrap();
/// assert_eq!(uninstall(&location, false).unwrap(), Some(installed.spec_dir.clone()));
/// assert!(!installed.spec_dir.exists());
/// assert_eq!(uninstall(&location, false).unwrap(), None);
/// ```
pub fn uninstall(location: &SpecLocation, purge_cache: bool) -> Result<Option<PathBuf>> {
    let spec_dir = location.spec_dir()?;
    if !spec_dir.exists() {
        return Ok(None);
    }
    let Some(spec) = read_spec(&spec_dir)? else {
        return Err(Error::Refused(format!(
            "{} was not written by `clinkit kernel install` (its kernel.json has no clinkit metadata); remove it with `jupyter kernelspec remove {KERNEL_NAME}`",
            spec_dir.display()
        )));
    };
    if purge_cache {
        if let Some(cache) = spec.cache_dir.filter(|dir| dir.exists()) {
            if !is_build_folder(&cache) {
                return Err(Error::Refused(format!(
                    "{} holds files the kernel did not make; delete it yourself if you are sure",
                    cache.display()
                )));
            }
            std::fs::remove_dir_all(&cache).map_err(|e| Error::io(&cache, e))?;
        }
    }
    std::fs::remove_dir_all(&spec_dir).map_err(|e| Error::io(&spec_dir, e))?;
    Ok(Some(spec_dir))
}

/// True when `dir` holds only what the kernel's launcher makes there (`slot-N` folders and
/// their locks, `.cargo`, `busy`, `rust-src`, `analyzer-toolchain`), so deleting it cannot
/// delete anything else.
fn is_build_folder(dir: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    entries.filter_map(|e| e.ok()).all(|entry| {
        let name = entry.file_name().to_string_lossy().into_owned();
        let slot = name
            .strip_prefix("slot-")
            .map(|rest| rest.trim_end_matches(".lock"))
            .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
        slot || [".cargo", "busy", "rust-src", "analyzer-toolchain"].contains(&name.as_str())
    })
}

/// What an installed kernelspec says about itself (read back from its kernel.json).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InstalledSpec {
    /// The kernelspec folder.
    pub spec_dir: PathBuf,
    /// The program and arguments Jupyter runs.
    pub argv: Vec<String>,
    /// The environment variables it sets.
    pub env: BTreeMap<String, String>,
    /// The clinkit source folder notebooks compile against.
    pub crate_dir: Option<PathBuf>,
    /// The persistent build folder.
    pub cache_dir: Option<PathBuf>,
}

/// Reads the kernelspec in `spec_dir`: `Ok(None)` if its kernel.json is not clinkit's.
pub fn read_spec(spec_dir: &Path) -> Result<Option<InstalledSpec>> {
    let path = spec_dir.join("kernel.json");
    let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
    let json: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        Error::invalid(
            crate::error::Location::file(&path),
            format!("not JSON: {e}"),
        )
    })?;
    let Some(meta) = json.pointer("/metadata/clinkit") else {
        return Ok(None);
    };
    let strings = |value: &serde_json::Value| -> Vec<String> {
        value
            .as_array()
            .map(|items| {
                items
                    .iter()
                    .filter_map(|v| v.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    };
    let env = json["env"]
        .as_object()
        .map(|map| {
            map.iter()
                .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                .collect()
        })
        .unwrap_or_default();
    let path_of = |key: &str| meta[key].as_str().map(PathBuf::from);
    Ok(Some(InstalledSpec {
        spec_dir: spec_dir.to_path_buf(),
        argv: strings(&json["argv"]),
        env,
        crate_dir: path_of("crate_dir"),
        cache_dir: path_of("cache_dir"),
    }))
}

/// Starts the kernel once on a one-cell notebook, so clinkit and its dependencies are
/// compiled into the build folder before a lesson (the first start takes minutes; every
/// later start takes seconds).
pub fn warm(options: &notebooks::RunOptions) -> Result<notebooks::RunReport> {
    let dir = std::env::temp_dir().join(format!("clinkit-kernel-warm-{}", std::process::id()));
    let notebook = dir.join("warm.ipynb");
    let cell = json!({
        "cell_type": "code", "id": "warm", "execution_count": null, "metadata": {}, "outputs": [],
        "source": ["clinkit::kernel::DISPLAY_NAME"]
    });
    let content = json!({
        "cells": [cell],
        "metadata": {"kernelspec": {"name": options.kernel, "display_name": DISPLAY_NAME, "language": "rust"}},
        "nbformat": 4, "nbformat_minor": 5
    });
    write_if_changed(&notebook, &content.to_string())?;
    let report = notebooks::run(&[notebook], options);
    let _ = std::fs::remove_dir_all(&dir);
    report
}

/// Writes `content` to `path` unless it already holds exactly that; true if it wrote.
fn write_if_changed(path: &Path, content: &str) -> Result<bool> {
    if std::fs::read_to_string(path).is_ok_and(|old| old == content) {
        return Ok(false);
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    }
    std::fs::write(path, content).map_err(|e| Error::io(path, e))?;
    Ok(true)
}

/// `path` made absolute against the current folder (without resolving links).
fn absolute(path: &Path) -> Result<PathBuf> {
    std::path::absolute(path).map_err(|e| Error::io(path, e))
}

/// The Python of a virtual environment (or conda environment) at `prefix`.
pub fn venv_python(prefix: &Path) -> Option<PathBuf> {
    ["bin/python", "bin/python3", "Scripts/python.exe"]
        .iter()
        .map(|name| prefix.join(name))
        .find(|path| path.is_file())
        .and_then(|path| absolute(&path).ok())
}

/// The interpreter a `python3` found on the search path really is: a version manager's
/// shim (pyenv) costs half a second at every kernel start.
fn real_python(python: &Path) -> PathBuf {
    std::process::Command::new(python)
        .args(["-c", "import sys; print(sys.executable)"])
        .output()
        .ok()
        .filter(|output| output.status.success())
        .map(|output| String::from_utf8_lossy(&output.stdout).trim().to_string())
        .filter(|path| !path.is_empty() && Path::new(path).is_file())
        .map(PathBuf::from)
        .unwrap_or_else(|| python.to_path_buf())
}

/// `name` on the search path (`PATH`), as an absolute path.
///
/// ```
/// assert!(clinkit::kernel::find_program("surely-not-a-program-name").is_none());
/// ```
pub fn find_program(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| is_program(candidate))
        .and_then(|found| absolute(&found).ok())
}

/// `evcxr_jupyter` on the search path, else in cargo's install folder
/// (`$CARGO_HOME/bin`, `~/.cargo/bin`), where `cargo install` puts it.
pub fn find_evcxr_jupyter() -> Option<PathBuf> {
    let name = if cfg!(windows) {
        "evcxr_jupyter.exe"
    } else {
        "evcxr_jupyter"
    };
    find_program(name).or_else(|| {
        let cargo_home = std::env::var_os("CARGO_HOME")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")))?;
        Some(cargo_home.join("bin").join(name)).filter(|path| is_program(path))
    })
}

/// True when `path` is a file we may run.
fn is_program(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        path.metadata()
            .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    }
    #[cfg(not(unix))]
    {
        path.is_file()
    }
}
