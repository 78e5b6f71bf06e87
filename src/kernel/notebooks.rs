//! Running notebooks headlessly: every notebook in `notebooks/` runs in CI, top to bottom.
//!
//! The work is done by Jupyter's own notebook runner, [nbclient](https://nbclient.readthedocs.io),
//! in a small Python script (`scripts/run_notebooks.py`, compiled into clinkit so the
//! command works from anywhere). It starts a fresh clinkit kernel for each notebook in the
//! notebook's folder, runs the cells in order and stops at the first cell that fails: a
//! compile error, a time-out, a dead kernel, **or a panic**. evcxr reports a panicking
//! cell (an `unwrap()` on an error, a failed `assert!`) as finished normally, so the
//! runner also looks for `panicked at` in each cell's error output.
//!
//! ```no_run
//! use clinkit::kernel::notebooks::{run, RunOptions};
//! let report = run(&["notebooks".into()], &RunOptions::default()).unwrap();
//! if let Some(failure) = &report.failure {
//!     eprintln!("{failure}"); // names the notebook, the cell, its source and its output
//! }
//! ```

use std::fmt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The runner script (the same file as `scripts/run_notebooks.py`).
const RUNNER: &str = include_str!("../../scripts/run_notebooks.py");

/// How notebooks are run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunOptions {
    /// The kernelspec to run them on (default `clinkit`).
    pub kernel: String,
    /// Seconds one cell may take before it fails. This is the clinkit kernel's time limit:
    /// evcxr itself has none.
    pub cell_timeout: u64,
    /// Seconds the kernel may take to start. The very first start compiles clinkit and
    /// its dependencies (minutes on a laptop); later starts take seconds.
    pub startup_timeout: u64,
    /// The Python with Jupyter (default: [`find_python`]).
    pub python: Option<PathBuf>,
    /// Also write the executed notebooks (with their outputs) into this folder.
    pub save_dir: Option<PathBuf>,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            kernel: super::KERNEL_NAME.to_string(),
            cell_timeout: 600,
            startup_timeout: 1800,
            python: None,
            save_dir: None,
        }
    }
}

/// How long one cell took.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CellTiming {
    /// The cell's position in the notebook, counting from 1 (markdown cells included).
    pub cell: usize,
    /// Seconds from sending the cell to its result.
    pub seconds: f64,
}

/// One notebook that was run (up to its failing cell).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NotebookRun {
    /// The notebook file.
    pub path: PathBuf,
    /// True when every cell ran.
    pub ok: bool,
    /// Seconds from starting the kernel to the kernel being ready.
    #[serde(default)]
    pub kernel_start_s: Option<f64>,
    /// The cells that ran.
    #[serde(default)]
    pub cells: Vec<CellTiming>,
}

/// The first cell that failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CellFailure {
    /// The notebook.
    pub path: PathBuf,
    /// The cell's position, counting from 1 with markdown cells (as Jupyter shows them);
    /// `None` when the kernel did not start at all.
    pub cell: Option<usize>,
    /// The cell's number among the code cells only.
    pub code_cell: Option<usize>,
    /// `error` (a compile error or `?` error), `panic`, `timeout`, `kernel died`, or why
    /// the notebook could not run.
    pub reason: String,
    /// The cell's code.
    pub source: String,
    /// What the cell printed, with the error message.
    pub output: String,
}

impl fmt::Display for CellFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.reason.as_str() {
            "panic" => "panicked",
            "error" => "failed",
            "timeout" => "ran out of time",
            "kernel died" => "killed the kernel",
            other => return write!(f, "{}: {other}", self.path.display()),
        };
        match (self.cell, self.code_cell) {
            (Some(cell), Some(code)) => write!(
                f,
                "{}: cell {cell} (code cell {code}) {what}",
                self.path.display()
            )?,
            (Some(cell), None) => write!(f, "{}: cell {cell} {what}", self.path.display())?,
            _ => write!(f, "{}: {what}", self.path.display())?,
        }
        writeln!(f, "\n--- cell source ---\n{}", self.source.trim_end())?;
        write!(f, "--- cell output ---\n{}", self.output.trim_end())
    }
}

/// The result of a run: one entry per notebook run, and the failure that stopped it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunReport {
    /// True when every notebook ran without a failing cell.
    pub ok: bool,
    /// The notebooks run, in order (the last one may have failed).
    pub notebooks: Vec<NotebookRun>,
    /// The failing cell, if any.
    pub failure: Option<CellFailure>,
}

/// The `.ipynb` files named by `paths`: files as given, folders searched (recursively,
/// skipping hidden folders such as `.ipynb_checkpoints`), each folder's notebooks sorted
/// by name, so `00-...` runs before `01-...`.
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// for name in ["01-b.ipynb", "00-a.ipynb", "notes.md"] {
///     std::fs::write(dir.path().join(name), "{}").unwrap();
/// }
/// std::fs::create_dir(dir.path().join(".ipynb_checkpoints")).unwrap();
/// std::fs::write(dir.path().join(".ipynb_checkpoints/00-a-checkpoint.ipynb"), "{}").unwrap();
/// let found = clinkit::kernel::notebooks::collect(&[dir.path().into()]).unwrap();
/// let names: Vec<_> = found.iter().map(|p| p.file_name().unwrap().to_str().unwrap()).collect();
/// assert_eq!(names, ["00-a.ipynb", "01-b.ipynb"]);
/// ```
pub fn collect(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    for path in paths {
        if path.is_dir() {
            collect_dir(path, &mut found)?;
        } else if path.is_file() {
            found.push(path.clone());
        } else {
            return Err(Error::io(
                path,
                std::io::Error::new(std::io::ErrorKind::NotFound, "no such notebook or folder"),
            ));
        }
    }
    Ok(found)
}

fn collect_dir(dir: &Path, found: &mut Vec<PathBuf>) -> Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| Error::io(dir, e))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| {
            !path
                .file_name()
                .is_some_and(|name| name.to_string_lossy().starts_with('.'))
        })
        .collect();
    entries.sort();
    for entry in entries {
        if entry.is_dir() {
            collect_dir(&entry, found)?;
        } else if entry.extension().is_some_and(|ext| ext == "ipynb") {
            found.push(entry);
        }
    }
    Ok(())
}

/// The Python with Jupyter: `$CLINKIT_PYTHON`, else the project's `.venv`, else
/// `python3` on the search path.
pub fn find_python() -> Option<PathBuf> {
    if let Some(python) = std::env::var_os("CLINKIT_PYTHON").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(python));
    }
    super::venv_python(&super::crate_dir().join(".venv")).or_else(|| super::find_program("python3"))
}

/// Runs the notebooks named by `paths` (see [`collect`]) on the kernel, stopping at the
/// first failing cell. Progress (each cell and how long it took) goes to stderr. An `Err`
/// means the notebooks could not be run at all (no Python, no Jupyter, no kernel); a
/// failing cell is an `Ok` report with `ok: false` and the [`CellFailure`].
pub fn run(paths: &[PathBuf], options: &RunOptions) -> Result<RunReport> {
    let notebooks = collect(paths)?;
    if notebooks.is_empty() {
        return Err(Error::Refused(format!(
            "no notebooks (.ipynb files) in {}",
            paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    let python = options.python.clone().or_else(find_python).ok_or_else(|| {
        Error::Refused("no Python found to run Jupyter: run scripts/setup".to_string())
    })?;
    let mut command = Command::new(&python);
    command
        .arg("-c")
        .arg(RUNNER)
        .arg("--kernel")
        .arg(&options.kernel)
        .arg("--timeout")
        .arg(options.cell_timeout.to_string())
        .arg("--startup-timeout")
        .arg(options.startup_timeout.to_string());
    if let Some(dir) = &options.save_dir {
        command.arg("--save-dir").arg(dir);
    }
    command
        .args(&notebooks)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    let output = command.output().map_err(|e| Error::io(&python, e))?;
    let report: RunReport = serde_json::from_slice(&output.stdout).map_err(|_| {
        Error::Refused(format!(
            "the notebook runner ({}) could not run the notebooks ({}; its message is above); `clinkit kernel doctor` shows what is missing",
            python.display(),
            output.status
        ))
    })?;
    Ok(report)
}
