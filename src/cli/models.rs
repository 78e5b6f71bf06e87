//! `clinkit models`: placeholder (being written).

/// Subcommands of `clinkit models`.
#[derive(Debug, clap::Subcommand)]
pub enum ModelsCommand {
    /// List the models, where they are and whether their files are intact.
    List,
}

/// Runs a `clinkit models` subcommand.
pub fn run(command: ModelsCommand) -> crate::Result<()> {
    match command {
        ModelsCommand::List => Ok(()),
    }
}
