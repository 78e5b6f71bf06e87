//! `clinkit serve`: load a local model once and share it over an OpenAI-compatible API on
//! this machine (thin over [`crate::llm::serve`]).

use std::net::{IpAddr, SocketAddr};

use crate::llm::local::{model_label, LocalModel, DEFAULT_MODEL};
use crate::llm::serve::ModelServer;
use crate::Result;

/// Flags of `clinkit serve`.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// A GGUF file, or a model name from `clinkit models list`.
    #[arg(long, default_value = DEFAULT_MODEL)]
    model: String,
    /// The loopback address to listen on (127.0.0.1 or ::1; other addresses are refused).
    #[arg(long, default_value = "127.0.0.1")]
    host: IpAddr,
    /// The port (0 picks a free one; the address is printed on stderr).
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// CPU threads the model uses.
    #[arg(long, default_value_t = 2)]
    threads: usize,
}

/// Loads the model, then answers requests until stopped (Ctrl-C).
pub fn run(args: ServeArgs) -> Result<()> {
    crate::llm::set_threads(args.threads);
    let address = SocketAddr::new(args.host, args.port);
    ModelServer::check_loopback(address)?; // before spending seconds on loading the model
    let model = LocalModel::open(&args.model)?;
    let name = model_label(&args.model);
    let server = ModelServer::bind(model, &name, address)?;
    eprintln!("clinkit serve: {name} at {} (Ctrl-C stops)", server.url());
    server.serve_forever();
    Ok(())
}
