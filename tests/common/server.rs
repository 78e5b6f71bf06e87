//! A real llama.cpp server (llama-cpp-python's `llama_cpp.server`, installed into .venv by
//! scripts/setup) running the packaged gemma-3-270m on a free 127.0.0.1 port.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use clinkit::llm::egress::EgressGuard;
use clinkit::llm::openai::OpenAiBackend;

/// A llama.cpp server process, killed when this value is dropped (also when a test panics).
pub struct LlamaServer {
    child: Child,
    /// The server's OpenAI-compatible base URL, `http://127.0.0.1:PORT/v1`.
    pub url: String,
    log: tempfile::NamedTempFile,
}

impl Drop for LlamaServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The project's .venv Python (scripts/setup makes it).
pub fn venv_python() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(".venv/bin/python")
}

/// The packaged gemma-3-270m GGUF file.
pub fn gemma_gguf() -> PathBuf {
    clinkit::models::ready_dir("gemma-3-270m-q4_k_m")
        .expect("the packaged Gemma 3 model (run scripts/setup)")
        .join("gemma-3-270m-q4_k_m.gguf")
}

/// A TCP port on 127.0.0.1 that nothing listens on right now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl LlamaServer {
    /// Starts `python -m llama_cpp.server` with a context of `n_ctx` tokens (and logits for
    /// every position when `logits_all`, needed for prompt log-probabilities) and waits
    /// until it answers.
    pub fn start(n_ctx: u32, logits_all: bool) -> LlamaServer {
        let python = venv_python();
        let importable = Command::new(&python)
            .args(["-c", "import llama_cpp.server.app"])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        assert!(
            importable,
            "{} cannot import llama_cpp.server: run scripts/setup (it installs llama-cpp-python[server]==0.3.36 into .venv)",
            python.display()
        );
        let port = free_port();
        let mut command = Command::new(&python);
        command
            .args(["-m", "llama_cpp.server", "--model"])
            .arg(gemma_gguf())
            .args(["--host", "127.0.0.1", "--port", &port.to_string()])
            .args(["--n_threads", "2", "--n_ctx", &n_ctx.to_string()])
            .args(["--logits_all", if logits_all { "true" } else { "false" }])
            .args(["--verbose", "false"]);
        LlamaServer::spawn(command, port)
    }

    /// Starts `clinkit serve` (our own OpenAI-compatible server over the local model; the
    /// `clinkit` binary at `binary`) on a free loopback port and waits until it answers.
    pub fn start_clinkit_serve(binary: &Path) -> LlamaServer {
        let port = free_port();
        let mut command = Command::new(binary);
        command
            .args(["serve", "--port", &port.to_string(), "--model"])
            .arg(gemma_gguf());
        LlamaServer::spawn(command, port)
    }

    /// Runs `command` (a server listening on 127.0.0.1:`port`), its stderr kept as the log,
    /// and waits until it answers.
    fn spawn(mut command: Command, port: u16) -> LlamaServer {
        let log = tempfile::NamedTempFile::new().unwrap();
        let child = command
            .stdout(Stdio::null())
            .stderr(log.reopen().unwrap())
            .spawn()
            .unwrap();
        let mut server = LlamaServer {
            child,
            url: format!("http://127.0.0.1:{port}/v1"),
            log,
        };
        server.wait_until_ready();
        server
    }

    fn wait_until_ready(&mut self) {
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                panic!("model server exited ({status}): {}", self.log_text());
            }
            if self.client().models().is_ok() {
                return;
            }
            assert!(
                started.elapsed() < Duration::from_secs(120),
                "model server not ready after 120 s: {}",
                self.log_text()
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// What the server wrote on stderr so far.
    pub fn log_text(&self) -> String {
        std::fs::read_to_string(self.log.path()).unwrap_or_default()
    }

    /// A client for this server that may only reach loopback.
    pub fn client(&self) -> OpenAiBackend {
        OpenAiBackend::with_guard(&self.url, EgressGuard::loopback_only()).unwrap()
    }
}
