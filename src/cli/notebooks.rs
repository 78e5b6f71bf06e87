//! `clinkit notebooks run`: execute notebooks headlessly on the clinkit kernel (thin over
//! [`crate::kernel::notebooks`]).

use std::path::PathBuf;

use crate::kernel::notebooks::{run as run_notebooks, RunOptions};

/// Subcommands of `clinkit notebooks`.
#[derive(Debug, clap::Subcommand)]
pub enum NotebooksCommand {
    /// Run notebooks top to bottom on the clinkit kernel; stop at the first cell that fails
    /// (a compile error, a panic, a time-out) and show its source and output.
    Run {
        /// Notebooks or folders of notebooks (default: notebooks/).
        #[arg(default_value = "notebooks")]
        paths: Vec<PathBuf>,
        /// Seconds one cell may run.
        #[arg(long, default_value_t = 600, value_name = "SECONDS")]
        timeout: u64,
        /// Seconds the kernel may take to start (the first start compiles clinkit).
        #[arg(long, default_value_t = 1800, value_name = "SECONDS")]
        startup_timeout: u64,
        /// The kernel to run them on.
        #[arg(long, default_value = crate::kernel::KERNEL_NAME)]
        kernel: String,
        /// The Python with Jupyter (default: $CLINKIT_PYTHON, else the project's .venv).
        #[arg(long, value_name = "PATH")]
        python: Option<PathBuf>,
        /// Also write the executed notebooks, with their outputs, into this folder.
        #[arg(long, value_name = "DIR")]
        save_dir: Option<PathBuf>,
        /// Print the result (timings, the failing cell) as one JSON document.
        #[arg(long)]
        json: bool,
    },
}

/// Runs a `clinkit notebooks` subcommand.
pub fn run(command: NotebooksCommand) -> crate::Result<()> {
    let NotebooksCommand::Run {
        paths,
        timeout,
        startup_timeout,
        kernel,
        python,
        save_dir,
        json,
    } = command;
    let options = RunOptions {
        kernel,
        cell_timeout: timeout,
        startup_timeout,
        python,
        save_dir,
    };
    let report = run_notebooks(&paths, &options)?;
    if json {
        super::print_json(&report)?;
    } else {
        for notebook in &report.notebooks {
            let seconds: f64 = notebook.cells.iter().map(|c| c.seconds).sum();
            println!(
                "{} {} (kernel start {:.1} s, {} cells {seconds:.1} s)",
                if notebook.ok { "ok    " } else { "FAILED" },
                notebook.path.display(),
                notebook.kernel_start_s.unwrap_or(f64::NAN),
                notebook.cells.len()
            );
        }
    }
    match report.failure {
        None => Ok(()),
        Some(failure) => Err(crate::Error::Refused(failure.to_string())),
    }
}
