//! Kernel start to first result: the clinkit kernel cold and warm, against plain evcxr.
//!
//! Run with `cargo bench --no-default-features --bench kernel` (needs `scripts/setup`:
//! Jupyter in .venv and evcxr_jupyter). Takes a while: the cold start and plain evcxr
//! each compile clinkit and its dependencies from scratch.
//!
//! 1. **clinkit, cold**: the clinkit kernel installed into a temporary prefix, with an
//!    empty build folder and an empty evcxr `:cache` (as on a fresh laptop);
//! 2. **clinkit, warm**: the same kernel started again (every later lesson), five times
//!    (the median is the figure: the machine may be shared);
//! 3. **plain evcxr**: evcxr_jupyter with no configuration at all, and
//!    `:dep clinkit = { path = ..., default-features = false, features = ["models"] }` in
//!    the first cell (what evcxr's documentation suggests). Every start of it is like the first.
//!
//! "First result" is the output of a cell that reads the dev letters and embeds four of
//! them with the packaged all-MiniLM-L6-v2 (clinkit's embeddings on candle). The figure is kernel start (until Jupyter reports the kernel
//! ready) plus the cells up to that result, as timed by the notebook runner.
//!
//! Environment: `CLINKIT_BENCH_SKIP_PLAIN=1` skips plain evcxr (it takes minutes).
//! `CLINKIT_BENCH_DIR=DIR` keeps the benchmark's folders (kernel, build folder, `:cache`) in
//! DIR instead of a temporary folder: run it twice and the second run's "cold" start is warm
//! too, which measures warm starts in minutes instead of a quarter of an hour.

use std::path::{Path, PathBuf};
use std::time::Instant;

use clinkit::kernel::notebooks::{run, RunOptions, RunReport};
use clinkit::kernel::{self, KernelConfig, SpecLocation};

/// The cell whose result we wait for: sentence embeddings of the first dev letters with
/// the packaged MiniLM (what a notebook of the embeddings lesson does first). The borrowed
/// `texts` live inside braces: evcxr keeps a cell's top-level variables for later cells,
/// and a `Vec<&str>` borrowing `letters` cannot be kept (error E0597).
const FIRST_RESULT: &str = "let encoder = clinkit::embed::bert::SentenceEncoder::for_model(\"all-minilm-l6-v2\").unwrap();\nlet letters = clinkit::data::read_jsonl(DEV.as_ref()).unwrap();\n{\n    let texts: Vec<&str> = letters.iter().take(4).map(|l| l.text.as_str()).collect();\n    encoder.embed(&texts).unwrap().len()\n}";

fn dev_set() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("datasets-synthetic/referrals/dev.jsonl")
        .to_string_lossy()
        .into_owned()
}

/// A notebook with the given code cells.
fn notebook(path: &Path, kernel: &str, cells: &[String]) {
    let cells: Vec<serde_json::Value> = cells
        .iter()
        .enumerate()
        .map(|(i, code)| {
            serde_json::json!({"cell_type": "code", "id": format!("c{i}"), "metadata": {},
                "execution_count": null, "outputs": [], "source": [code]})
        })
        .collect();
    let content = serde_json::json!({
        "cells": cells,
        "metadata": {"kernelspec": {"name": kernel, "display_name": kernel, "language": "rust"}},
        "nbformat": 4, "nbformat_minor": 5
    });
    std::fs::write(path, content.to_string()).unwrap();
}

/// Seconds from kernel start to the result of the last cell, and the wall time.
struct Timing {
    first_result_s: f64,
    kernel_start_s: f64,
    wall_s: f64,
}

fn timed(notebook: &Path, kernel: &str) -> Timing {
    let options = RunOptions {
        kernel: kernel.to_string(),
        startup_timeout: 3600,
        cell_timeout: 3600,
        ..RunOptions::default()
    };
    let started = Instant::now();
    let report: RunReport = run(&[notebook.to_path_buf()], &options).expect("runner starts");
    let wall_s = started.elapsed().as_secs_f64();
    if let Some(failure) = &report.failure {
        panic!("{failure}");
    }
    let run = &report.notebooks[0];
    let kernel_start_s = run.kernel_start_s.unwrap_or(f64::NAN);
    let cells: f64 = run.cells.iter().map(|c| c.seconds).sum();
    Timing {
        first_result_s: kernel_start_s + cells,
        kernel_start_s,
        wall_s,
    }
}

/// Warm starts measured (the machine is shared: report the median).
const WARM_RUNS: usize = 5;

fn main() {
    let load = std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(String::from))
        .unwrap_or_else(|| "unknown".into());
    let work = tempfile::tempdir().unwrap();
    let kept = std::env::var_os("CLINKIT_BENCH_DIR").map(PathBuf::from);
    let root = kept.as_deref().unwrap_or(work.path());
    let reused = root.join("clinkit-cache").is_dir();
    std::fs::create_dir_all(root).unwrap();
    let prefix = root.join("prefix");
    let jupyter_path = prefix.join("share").join("jupyter");
    let evcxr = kernel::find_evcxr_jupyter().expect("evcxr_jupyter: run scripts/setup");
    // Only this benchmark's kernels: its own Jupyter path, and an empty evcxr `:cache`.
    std::env::set_var("JUPYTER_PATH", &jupyter_path);
    std::env::set_var("XDG_CACHE_HOME", root.join("xdg-cache"));

    let dev = dev_set();
    let define_dev = format!("const DEV: &str = {dev:?};");

    // The clinkit kernel, with a fresh build folder.
    let mut config = KernelConfig::for_this_crate();
    config.cache_dir = root.join("clinkit-cache");
    config.evcxr_jupyter = evcxr.clone();
    if let Some(python) = clinkit::kernel::notebooks::find_python() {
        config.python = python;
    }
    kernel::install(&SpecLocation::Prefix(prefix.clone()), &config).unwrap();
    let clinkit_nb = root.join("clinkit.ipynb");
    notebook(
        &clinkit_nb,
        kernel::KERNEL_NAME,
        &[format!("{define_dev}\n{FIRST_RESULT}")],
    );
    let cold_label = if reused {
        "clinkit kernel, first start (build folder kept from an earlier run)"
    } else {
        "clinkit kernel, cold (empty cache)"
    };
    eprintln!("{cold_label}...");
    let cold = timed(&clinkit_nb, kernel::KERNEL_NAME);
    let mut warm: Vec<Timing> = (1..=WARM_RUNS)
        .map(|run| {
            eprintln!("clinkit kernel, warm ({run} of {WARM_RUNS})...");
            timed(&clinkit_nb, kernel::KERNEL_NAME)
        })
        .collect();
    warm.sort_by(|a, b| a.first_result_s.total_cmp(&b.first_result_s));

    // Plain evcxr: its own kernelspec, no configuration (an empty config folder, so a
    // user's ~/.config/evcxr does not count either).
    let plain = if std::env::var_os("CLINKIT_BENCH_SKIP_PLAIN").is_some() {
        None
    } else {
        let spec = jupyter_path.join("kernels").join("plain-evcxr");
        let empty_config: PathBuf = root.join("empty-evcxr-config");
        std::fs::create_dir_all(&spec).unwrap();
        std::fs::create_dir_all(&empty_config).unwrap();
        let kernel_json = serde_json::json!({
            "argv": [evcxr, "--control_file", "{connection_file}"],
            "display_name": "Rust (plain evcxr)", "language": "rust",
            "env": {"EVCXR_CONFIG_DIR": empty_config},
        });
        std::fs::write(spec.join("kernel.json"), kernel_json.to_string()).unwrap();
        let plain_nb = root.join("plain.ipynb");
        notebook(
            &plain_nb,
            "plain-evcxr",
            &[
                format!(
                    ":dep clinkit = {{ path = {:?}, default-features = false, features = [\"models\"] }}",
                    env!("CARGO_MANIFEST_DIR")
                ),
                format!("{define_dev}\n{FIRST_RESULT}"),
            ],
        );
        eprintln!("plain evcxr with :dep clinkit (compiles everything, as at every start)...");
        Some(timed(&plain_nb, "plain-evcxr"))
    };

    println!(
        "kernel start to first result (a cell using clinkit), this machine ({} cores, load average {load} at the start):",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    println!(
        "{:<34} {:>14} {:>14} {:>10}",
        "", "first result s", "kernel ready s", "wall s"
    );
    let row = |name: &str, t: &Timing| {
        println!(
            "{name:<34} {:>14.1} {:>14.1} {:>10.1}",
            t.first_result_s, t.kernel_start_s, t.wall_s
        )
    };
    row(cold_label, &cold);
    let median = &warm[warm.len() / 2];
    row(
        &format!("clinkit kernel, warm (median of {WARM_RUNS})"),
        median,
    );
    row("clinkit kernel, warm (fastest)", &warm[0]);
    if let Some(plain) = &plain {
        row("plain evcxr, :dep clinkit", plain);
        println!(
            "plain evcxr / clinkit warm (median): {:.1}x   clinkit cold / clinkit warm: {:.1}x",
            plain.first_result_s / median.first_result_s,
            cold.first_result_s / median.first_result_s
        );
    }
    println!(
        "target: warm <= 10 s: {} (median {:.1} s)",
        if median.first_result_s <= 10.0 {
            "met"
        } else {
            "NOT met"
        },
        median.first_result_s
    );
}
