//! `clinkit kernel`: install, check and remove the "Rust (clinkit)" Jupyter kernel
//! (thin over [`crate::kernel`]).

use std::path::PathBuf;

use crate::kernel::{self, notebooks::RunOptions, KernelConfig, SpecLocation};

/// Where the kernelspec goes, as with `jupyter kernelspec install`.
#[derive(Debug, Clone, clap::Args)]
pub struct WhereArgs {
    /// Into the user's Jupyter data folder (every Jupyter of this user sees it).
    #[arg(long, conflicts_with = "prefix")]
    user: bool,
    /// Into PREFIX/share/jupyter/kernels (a virtual environment). Default: the .venv of
    /// the clinkit source folder, made by scripts/setup.
    #[arg(long, value_name = "PREFIX")]
    prefix: Option<PathBuf>,
}

impl WhereArgs {
    fn location(&self) -> SpecLocation {
        match (&self.prefix, self.user) {
            (Some(prefix), _) => SpecLocation::Prefix(prefix.clone()),
            (None, true) => SpecLocation::User,
            (None, false) => SpecLocation::default_prefix(),
        }
    }

    /// The same flags as text, for printing a fix command.
    fn flags(&self) -> String {
        match (&self.prefix, self.user) {
            (Some(prefix), _) => format!("--prefix {}", prefix.display()),
            (None, true) => "--user".to_string(),
            (None, false) => String::new(),
        }
    }
}

/// Subcommands of `clinkit kernel`.
#[derive(Debug, clap::Subcommand)]
pub enum KernelCommand {
    /// Install (or update) the "Rust (clinkit)" kernel: clinkit and its prelude in every
    /// notebook, a persistent build cache, optimised dependencies. Safe to run again.
    Install {
        #[command(flatten)]
        place: WhereArgs,
        /// The persistent build folder (default: $CLINKIT_KERNEL_CACHE, else
        /// target/clinkit-kernel in the clinkit source folder).
        #[arg(long, value_name = "DIR")]
        cache_dir: Option<PathBuf>,
        /// clinkit features notebooks get (comma-separated), on top of
        /// default-features = false. `models` (the default) brings embeddings and local
        /// language models; `--features ""` gives the smallest, fastest-to-build kernel.
        #[arg(long, value_delimiter = ',', default_value = "models")]
        features: Vec<String>,
        /// Size of evcxr's cache of compiled downloaded crates, in MiB.
        #[arg(long, default_value_t = 4096, value_name = "MIB")]
        cache_mb: u64,
        /// The evcxr_jupyter program (default: found on PATH or in ~/.cargo/bin).
        #[arg(long, value_name = "PATH")]
        evcxr: Option<PathBuf>,
        /// Print what was installed as one JSON document.
        #[arg(long)]
        json: bool,
    },
    /// Remove the kernel again.
    Uninstall {
        #[command(flatten)]
        place: WhereArgs,
        /// Also delete its build folder (compiled crates).
        #[arg(long)]
        purge: bool,
        /// Print what was removed as one JSON document.
        #[arg(long)]
        json: bool,
    },
    /// Check Jupyter, evcxr, the kernel, the models and the build cache; print the one
    /// command that fixes each missing thing. Exits with 1 when something is missing.
    Doctor {
        #[command(flatten)]
        place: WhereArgs,
        /// Print the checks as one JSON document.
        #[arg(long)]
        json: bool,
    },
    /// Start the kernel once so clinkit is compiled before a lesson (minutes the first
    /// time, seconds after that).
    Warm {
        /// Print the timings as one JSON document.
        #[arg(long)]
        json: bool,
    },
}

/// Runs a `clinkit kernel` subcommand.
pub fn run(command: KernelCommand) -> crate::Result<()> {
    match command {
        KernelCommand::Install {
            place,
            cache_dir,
            features,
            cache_mb,
            evcxr,
            json,
        } => {
            let location = place.location();
            let mut config = KernelConfig::for_this_crate();
            if let Some(python) = location.python() {
                config.python = python;
            }
            if let Some(dir) = cache_dir {
                config.cache_dir = dir;
            }
            config.features = features.into_iter().filter(|f| !f.is_empty()).collect();
            config.cache_mb = cache_mb;
            match evcxr.or_else(kernel::find_evcxr_jupyter) {
                Some(path) => config.evcxr_jupyter = std::path::absolute(&path).unwrap_or(path),
                None => {
                    return Err(crate::Error::Refused(format!(
                        "evcxr_jupyter not found on PATH or in ~/.cargo/bin: run `cargo install --locked evcxr_jupyter@{}` (or scripts/setup), or pass --evcxr PATH",
                        kernel::EVCXR_VERSION
                    )))
                }
            }
            if let (SpecLocation::Prefix(prefix), None, false) =
                (&location, &place.prefix, place.user)
            {
                if !prefix.exists() {
                    return Err(crate::Error::Refused(format!(
                        "{} does not exist: run scripts/setup (it makes the project's .venv), or use --user or --prefix DIR",
                        prefix.display()
                    )));
                }
            }
            let installed = kernel::install(&location, &config)?;
            if json {
                return super::print_json(&installed);
            }
            let state = if installed.changed.is_empty() {
                "already up to date"
            } else {
                "installed"
            };
            println!(
                "{} kernel {state}: {}",
                kernel::DISPLAY_NAME,
                installed.spec_dir.display()
            );
            println!("build cache: {}", installed.cache_dir.display());
            Ok(())
        }
        KernelCommand::Uninstall { place, purge, json } => {
            let removed = kernel::uninstall(&place.location(), purge)?;
            if json {
                return super::print_json(
                    &serde_json::json!({ "removed": removed, "purged": purge }),
                );
            }
            match removed {
                Some(dir) => println!("removed {}", dir.display()),
                None => println!("no clinkit kernel installed there; nothing to do"),
            }
            Ok(())
        }
        KernelCommand::Doctor { place, json } => {
            let report = kernel::doctor(&place.location(), &place.flags());
            if json {
                super::print_json(&report)?;
            } else {
                print!("{}", report.render_text());
            }
            if report.ok {
                Ok(())
            } else {
                Err(crate::Error::Refused(
                    "the notebook kernel is not ready: run the fix commands above".to_string(),
                ))
            }
        }
        KernelCommand::Warm { json } => {
            let report = kernel::warm(&RunOptions::default())?;
            if json {
                super::print_json(&report)?;
            }
            match &report.failure {
                None => Ok(()),
                Some(failure) => Err(crate::Error::Refused(failure.to_string())),
            }
        }
    }
}
