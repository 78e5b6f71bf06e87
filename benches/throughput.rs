//! Throughput of extraction per core, and what it means for 200,000 patients x 200 pages.
//!
//! Run with `cargo bench --bench throughput --features cli`. One thread runs the rules
//! baseline (`clinkit::extract::rules::extract`) over the 20 synthetic patient files (1,555
//! pages) and the 400 synthetic referral letters (one page each), three times; the fastest
//! round is the figure (the machine may be shared: the load average is printed with it).
//! A page of a patient file is the text between two form feeds (2,000 to 3,000 characters).
//!
//! Then the language-model pipeline (`LlmExtractor`, referral schema, JSON answers) on the
//! first `LLM_LETTERS` test letters, once with the local candle model in this process and
//! once through a model server (llama.cpp's server from .venv, the same GGUF, on
//! 127.0.0.1), both with 2 threads: per core, their time counts twice. The server row is
//! what a hospital's GPU server replaces; on a CPU it shows the price of the model itself.
//!
//! To measure your own model server (a GPU node running vLLM or llama.cpp's server), name it:
//! `CLINKIT_BENCH_SERVER=http://gpu-node:8000/v1 [CLINKIT_BENCH_SERVER_MODEL=name] cargo bench
//! --bench throughput --features cli` adds its row (one request at a time, counted as one
//! core: the client's). Only that host is contacted, because you named it.
//!
//! The projection: a hospital-scale run of 200,000 patient files of 200 pages is 40 million
//! pages. Core-hours = 40,000,000 / (pages per hour per core); divide by the cores of the
//! cluster for the wall time (extraction shards perfectly: no document depends on another).

use std::path::Path;
use std::time::{Duration, Instant};

use clinkit::data::{read_jsonl, Document};
use clinkit::extract::batch::Extractor;
use clinkit::extract::llm::LlmExtractor;
use clinkit::extract::schema::ExtractionSchema;
use clinkit::llm::local::LocalModel;
use clinkit::llm::Backend;

#[allow(dead_code)]
#[path = "../tests/common/server.rs"]
mod server;

/// Letters the language models read (minutes each row on a 2-core machine).
const LLM_LETTERS: usize = 4;
/// Threads the language models use; their time per core counts this many times.
const LLM_THREADS: usize = 2;

const PATIENTS: u64 = 200_000;
const PAGES_PER_PATIENT: u64 = 200;

fn corpus(relative: &str) -> Vec<Document> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
    read_jsonl(&path).unwrap_or_else(|error| panic!("{error}"))
}

fn pages(document: &Document) -> usize {
    document.text.matches('\u{c}').count() + 1
}

/// The fastest of `rounds` runs of the rules baseline over all documents, on this thread.
fn fastest_rules_run(documents: &[Document], rounds: usize) -> Duration {
    (0..rounds)
        .map(|_| {
            let start = Instant::now();
            for document in documents {
                std::hint::black_box(clinkit::extract::rules::extract(document));
            }
            start.elapsed()
        })
        .min()
        .unwrap()
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|text| {
            text.split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_else(|_| "unknown".into())
}

struct Row {
    what: &'static str,
    documents: usize,
    pages: usize,
    time: Duration,
    /// Cores busy during `time`.
    cores: usize,
}

/// The language-model pipeline over `backend` on `letters`, once; failed letters are counted.
fn llm_row(what: &'static str, backend: Box<dyn Backend>, letters: &[Document]) -> Row {
    let mut extractor = LlmExtractor::new(backend, ExtractionSchema::referral());
    let start = Instant::now();
    let failed = letters
        .iter()
        .filter(|letter| extractor.extract(letter).is_err())
        .count();
    let time = start.elapsed();
    if failed > 0 {
        println!(
            "({what}: {failed} of {} answers failed, timed all the same)",
            letters.len()
        );
    }
    Row {
        what,
        documents: letters.len(),
        pages: letters.len(),
        time,
        cores: LLM_THREADS,
    }
}

/// The pipeline through the model server the user named in `CLINKIT_BENCH_SERVER`.
fn named_server_row(url: &str, letters: &[Document]) -> Row {
    let (host, _) = clinkit::llm::egress::host_and_port(url).unwrap_or_else(|e| panic!("{e}"));
    let guard = clinkit::llm::egress::EgressGuard::loopback_only().allow_host(&host);
    let mut client = clinkit::llm::openai::OpenAiBackend::with_guard(url, guard)
        .unwrap_or_else(|e| panic!("{e}"));
    if let Ok(model) = std::env::var("CLINKIT_BENCH_SERVER_MODEL") {
        client = client.model(&model);
    }
    let mut row = llm_row(
        "your model server, referral letters",
        Box::new(client),
        letters,
    );
    row.cores = 1;
    row
}

impl Row {
    fn per_hour(&self, count: usize) -> f64 {
        count as f64 / (self.time.as_secs_f64() * self.cores as f64) * 3600.0
    }

    fn print(&self) {
        let pages_per_hour = self.per_hour(self.pages);
        let core_hours = (PATIENTS * PAGES_PER_PATIENT) as f64 / pages_per_hour;
        println!(
            "| {} | {} | {} | {:.2} s | {:.0} | {:.0} | {:.1} | {:.1} |",
            self.what,
            self.documents,
            self.pages,
            self.time.as_secs_f64(),
            self.per_hour(self.documents),
            pages_per_hour,
            core_hours,
            core_hours / 100.0,
        );
    }
}

fn main() {
    let patients = corpus("datasets-synthetic/patients/patients.jsonl");
    let mut referrals = corpus("datasets-synthetic/referrals/train.jsonl");
    referrals.extend(corpus("datasets-synthetic/referrals/dev.jsonl"));
    referrals.extend(corpus("datasets-synthetic/referrals/test.jsonl"));
    println!(
        "# extraction throughput, one core (load average before: {})\n",
        load_average()
    );
    println!("| backend, input | documents | pages | time | documents/hour/core | pages/hour/core | core-hours for 200,000 x 200 pages | hours on 100 cores |");
    println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for (what, documents) in [
        ("rules, patient files", &patients),
        ("rules, referral letters", &referrals),
    ] {
        let row = Row {
            what,
            documents: documents.len(),
            pages: documents.iter().map(pages).sum(),
            time: fastest_rules_run(documents, 3),
            cores: 1,
        };
        row.print();
    }
    let letters: Vec<Document> = corpus("datasets-synthetic/referrals/test.jsonl")
        .into_iter()
        .take(LLM_LETTERS)
        .map(|gold| Document::new(gold.id, gold.lang, gold.kind, gold.text))
        .collect();
    clinkit::llm::set_threads(LLM_THREADS);
    let local =
        LocalModel::open(clinkit::llm::local::DEFAULT_MODEL).unwrap_or_else(|e| panic!("{e}"));
    let ours = llm_row(
        "local candle model, referral letters",
        Box::new(local),
        &letters,
    );
    ours.print();
    let llama = server::LlamaServer::start(4096, false);
    let anchor = llm_row(
        "llama.cpp server (CPU), referral letters",
        Box::new(llama.client()),
        &letters,
    );
    anchor.print();
    println!(
        "\nlocal candle model / llama.cpp server, letters per hour: {:.2}x",
        anchor.time.as_secs_f64() / ours.time.as_secs_f64()
    );
    if let Ok(url) = std::env::var("CLINKIT_BENCH_SERVER") {
        named_server_row(&url, &letters).print();
    }
    println!("\nload average after: {}", load_average());
}
