//! `clinkit kernel doctor`: what the notebook kernel needs, what is missing, and the one
//! command that fixes each missing thing.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde::Serialize;

use super::{find_evcxr_jupyter, read_spec, SpecLocation, EVCXR_VERSION};
use crate::models;

/// How one check came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Present and usable.
    Ok,
    /// Works, but slower or older than it should be (for example an empty build cache).
    Warning,
    /// Missing or broken: notebooks will not run until it is fixed.
    Missing,
}

/// One thing the kernel needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    /// What was checked, such as `jupyter` or `kernelspec`.
    pub name: String,
    /// How it came out.
    pub status: Status,
    /// What was found, in plain words.
    pub detail: String,
    /// The one command that fixes it, when it is not ok.
    pub fix: Option<String>,
}

/// Everything the doctor looked at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DoctorReport {
    /// False when anything is missing (warnings do not count).
    pub ok: bool,
    /// One entry per check, in the order an intern would fix them.
    pub checks: Vec<Check>,
}

impl DoctorReport {
    /// The report as lines for a terminal: `ok`, `warn` or `MISSING`, the check, what
    /// was found, and the fix.
    ///
    /// ```
    /// use clinkit::kernel::{Check, DoctorReport};
    /// let report = DoctorReport {
    ///     ok: false,
    ///     checks: vec![Check {
    ///         name: "jupyter".into(),
    ///         status: clinkit::kernel::CheckStatus::Missing,
    ///         detail: "no Python with Jupyter".into(),
    ///         fix: Some("scripts/setup".into()),
    ///     }],
    /// };
    /// assert_eq!(report.render_text(), "MISSING  jupyter     no Python with Jupyter\n         fix: scripts/setup\n");
    /// ```
    pub fn render_text(&self) -> String {
        let mut out = String::new();
        for check in &self.checks {
            let tag = match check.status {
                Status::Ok => "ok",
                Status::Warning => "warn",
                Status::Missing => "MISSING",
            };
            out.push_str(&format!("{tag:<8} {:<11} {}\n", check.name, check.detail));
            if let Some(fix) = &check.fix {
                out.push_str(&format!("{:8} fix: {fix}\n", ""));
            }
        }
        out
    }
}

fn check(name: &str, status: Status, detail: impl Into<String>, fix: Option<&str>) -> Check {
    Check {
        name: name.to_string(),
        status,
        detail: detail.into(),
        fix: fix.map(str::to_string),
    }
}

/// Checks everything the clinkit kernel needs, for a kernelspec at `location` (where
/// `clinkit kernel install` with the same flags puts it). `install_flags` is how the
/// location was given on the command line (`""`, `"--user"`, `"--prefix DIR"`), to print
/// the right fix.
///
/// ```no_run
/// use clinkit::kernel::{doctor, SpecLocation};
/// let report = doctor(&SpecLocation::default_prefix(), "");
/// print!("{}", report.render_text());
/// ```
pub fn doctor(location: &SpecLocation, install_flags: &str) -> DoctorReport {
    let install = if install_flags.is_empty() {
        "clinkit kernel install".to_string()
    } else {
        format!("clinkit kernel install {install_flags}")
    };
    let mut checks = vec![rust_toolchain(), jupyter(location), evcxr(), crates()];
    checks.push(kernelspec(location, &install));
    checks.push(models_check());
    checks.push(build_cache(location));
    DoctorReport {
        ok: checks.iter().all(|c| c.status != Status::Missing),
        checks,
    }
}

/// The first line a program prints for `args`, if it runs.
fn first_line(program: &Path, args: &[&str]) -> Option<String> {
    let output = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .ok()
        .filter(|o| o.status.success())?;
    let text = String::from_utf8_lossy(&output.stdout);
    text.lines().next().map(|line| line.trim().to_string())
}

fn rust_toolchain() -> Check {
    let cargo = super::find_program("cargo").and_then(|c| first_line(&c, &["--version"]));
    let rustc = super::find_program("rustc").and_then(|r| first_line(&r, &["--version"]));
    match (cargo, rustc) {
        (Some(cargo), Some(rustc)) => check("rust", Status::Ok, format!("{rustc}; {cargo}"), None),
        _ => check(
            "rust",
            Status::Missing,
            "cargo and rustc not found on PATH (the kernel compiles every cell with them)",
            Some("curl --proto '=https' -sSf https://sh.rustup.rs | sh"),
        ),
    }
}

/// Every crate in clinkit's Cargo.lock is downloaded. The kernel starts offline (`:offline 1`,
/// hospital machines often have no network), and evcxr checks its `:dep clinkit` with
/// `cargo metadata`, which wants the crates of every platform, not only the ones this
/// machine compiles. A build alone does not download those, so a fresh machine whose only
/// step was `cargo build` fails at the first kernel start.
fn crates() -> Check {
    let manifest = super::crate_dir().join("Cargo.toml");
    let fix = format!("cargo fetch --manifest-path {}", manifest.display());
    let Some(cargo) = super::find_program("cargo") else {
        return check("crates", Status::Missing, "cargo not found", Some(&fix));
    };
    let output = Command::new(cargo)
        .args(["fetch", "--locked", "--offline", "--manifest-path"])
        .arg(&manifest)
        .stdin(Stdio::null())
        .output();
    match output {
        Ok(output) if output.status.success() => check(
            "crates",
            Status::Ok,
            "every crate clinkit uses is downloaded (the kernel starts offline)",
            None,
        ),
        Ok(output) => {
            let stderr = String::from_utf8_lossy(&output.stderr);
            let reason = stderr
                .lines()
                .find(|line| line.starts_with("error"))
                .unwrap_or("cargo fetch --offline failed");
            check(
                "crates",
                Status::Missing,
                format!("not every crate clinkit uses is downloaded ({reason})"),
                Some(&fix),
            )
        }
        Err(error) => check(
            "crates",
            Status::Missing,
            format!("cargo could not run: {error}"),
            Some(&fix),
        ),
    }
}

fn jupyter(location: &SpecLocation) -> Check {
    let python = location.python().or_else(super::notebooks::find_python);
    let Some(python) = python else {
        return check(
            "jupyter",
            Status::Missing,
            "no Python found",
            Some("scripts/setup"),
        );
    };
    let probe = "import jupyter_client, nbclient, nbformat; print('jupyter_client', jupyter_client.__version__, 'nbclient', nbclient.__version__)";
    match first_line(&python, &["-c", probe]) {
        Some(versions) => check(
            "jupyter",
            Status::Ok,
            format!("{versions} ({})", python.display()),
            None,
        ),
        None => check(
            "jupyter",
            Status::Missing,
            format!(
                "{} cannot import jupyter_client, nbclient and nbformat",
                python.display()
            ),
            Some("scripts/setup"),
        ),
    }
}

/// The installed evcxr_jupyter version, from cargo's list of installed programs.
fn installed_evcxr_version() -> Option<String> {
    let cargo = super::find_program("cargo")?;
    let output = Command::new(cargo)
        .args(["install", "--list"])
        .output()
        .ok()?;
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .find_map(|line| line.strip_prefix("evcxr_jupyter v"))
        .map(|rest| rest.trim_end_matches(':').to_string())
}

fn evcxr() -> Check {
    let fix = format!("cargo install --locked evcxr_jupyter@{EVCXR_VERSION}");
    let Some(path) = find_evcxr_jupyter() else {
        return check(
            "evcxr",
            Status::Missing,
            "evcxr_jupyter (the Rust kernel for Jupyter) not found on PATH or in ~/.cargo/bin",
            Some(&fix),
        );
    };
    match installed_evcxr_version() {
        Some(version) if version == EVCXR_VERSION => check(
            "evcxr",
            Status::Ok,
            format!("evcxr_jupyter {version} ({})", path.display()),
            None,
        ),
        Some(version) => check(
            "evcxr",
            Status::Warning,
            format!(
                "evcxr_jupyter {version} ({}); clinkit is tested with {EVCXR_VERSION}",
                path.display()
            ),
            Some(&fix),
        ),
        None => check(
            "evcxr",
            Status::Ok,
            format!("evcxr_jupyter ({}), version unknown", path.display()),
            None,
        ),
    }
}

fn kernelspec(location: &SpecLocation, install: &str) -> Check {
    let spec_dir = match location.spec_dir() {
        Ok(dir) => dir,
        Err(error) => {
            return check(
                "kernelspec",
                Status::Missing,
                error.to_string(),
                Some(install),
            )
        }
    };
    if !spec_dir.join("kernel.json").is_file() {
        return check(
            "kernelspec",
            Status::Missing,
            format!("no \"Rust (clinkit)\" kernel in {}", spec_dir.display()),
            Some(install),
        );
    }
    let spec = match read_spec(&spec_dir) {
        Ok(Some(spec)) => spec,
        Ok(None) => {
            return check(
                "kernelspec",
                Status::Missing,
                format!("{} was not written by clinkit", spec_dir.display()),
                Some(install),
            )
        }
        Err(error) => {
            return check(
                "kernelspec",
                Status::Missing,
                error.to_string(),
                Some(install),
            )
        }
    };
    let mut problems = Vec::new();
    for program in spec
        .argv
        .first()
        .into_iter()
        .chain(spec.env.get("CLINKIT_EVCXR_JUPYTER"))
    {
        if !Path::new(program).is_file() {
            problems.push(format!("{program} does not exist"));
        }
    }
    if spec.crate_dir.as_deref() != Some(super::crate_dir().as_path()) {
        problems.push(format!(
            "it compiles notebooks against {}, not this clinkit ({})",
            spec.crate_dir
                .as_deref()
                .map(|d| d.display().to_string())
                .unwrap_or_else(|| "?".into()),
            super::crate_dir().display()
        ));
    }
    let config = spec_dir.join("evcxr");
    for file in ["init.evcxr"] {
        if !config.join(file).is_file() {
            problems.push(format!("{} is missing", config.join(file).display()));
        }
    }
    if problems.is_empty() {
        check(
            "kernelspec",
            Status::Ok,
            format!("{}", spec_dir.display()),
            None,
        )
    } else {
        check(
            "kernelspec",
            Status::Missing,
            problems.join("; "),
            Some(install),
        )
    }
}

fn models_check() -> Check {
    let dir = models::models_dir();
    let dir = std::path::absolute(&dir).unwrap_or(dir);
    let mut missing = Vec::new();
    for model in models::catalog() {
        match models::status(&model, &dir) {
            Ok(status) if status.ready => {}
            _ => missing.push(model.name),
        }
    }
    if missing.is_empty() {
        check(
            "models",
            Status::Ok,
            format!("all models ready in {}", dir.display()),
            None,
        )
    } else {
        check(
            "models",
            Status::Missing,
            format!(
                "missing or damaged in {}: {}",
                dir.display(),
                missing.join(", ")
            ),
            Some("scripts/setup"),
        )
    }
}

/// True when a build folder slot has clinkit compiled in it.
fn slot_is_warm(slot: &Path) -> bool {
    let Ok(targets) = std::fs::read_dir(slot.join("target")) else {
        return false;
    };
    targets.filter_map(|t| t.ok()).any(|target| {
        std::fs::read_dir(target.path().join("debug").join("deps")).is_ok_and(|files| {
            files.filter_map(|f| f.ok()).any(|file| {
                let name = file.file_name().to_string_lossy().into_owned();
                name.starts_with("libclinkit-") && name.ends_with(".rlib")
            })
        })
    })
}

/// Bytes in a folder, all the way down.
fn folder_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .map(|entry| match entry.file_type() {
                    Ok(kind) if kind.is_dir() => folder_size(&entry.path()),
                    Ok(_) => entry.metadata().map(|m| m.len()).unwrap_or(0),
                    Err(_) => 0,
                })
                .sum()
        })
        .unwrap_or(0)
}

fn build_cache(location: &SpecLocation) -> Check {
    let cache: PathBuf = location
        .spec_dir()
        .ok()
        .and_then(|dir| read_spec(&dir).ok().flatten())
        .and_then(|spec| spec.cache_dir)
        .unwrap_or_else(super::default_cache_dir);
    let slot = cache.join("slot-0");
    if slot_is_warm(&slot) {
        let size = folder_size(&cache) as f64 / 1e9;
        check(
            "cache",
            Status::Ok,
            format!(
                "warm: clinkit is compiled in {} ({size:.1} GB)",
                cache.display()
            ),
            None,
        )
    } else {
        check(
            "cache",
            Status::Warning,
            format!(
                "cold: the first kernel start compiles clinkit and its dependencies into {} (minutes)",
                cache.display()
            ),
            Some("clinkit kernel warm"),
        )
    }
}
