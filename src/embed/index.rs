//! A vector index over document chunks: find the passages of a long patient file that
//! answer a question.
//!
//! A patient file of 200 pages is too long for a model to read at once. So we cut each
//! document into *chunks* of a few consecutive sentences ([`chunk_by_sentences`]), embed
//! every chunk once, and at question time embed only the question and return the chunks
//! whose vectors are nearest (highest dot product of unit vectors = cosine similarity).
//! Each hit keeps its character [`Span`] in the document, so it can be shown highlighted
//! and quoted as evidence.
//!
//! The search here is *exact*: it compares the question with every chunk. With 384 numbers
//! a chunk that is about 1 million multiply-adds per thousand chunks, well under a
//! millisecond: fine for one patient file, or a few thousand files (millions of chunks take
//! a second or more per question). For 200,000 patients at once you would use an
//! *approximate* nearest-neighbour index (HNSW, IVF: for example the `hnsw_rs` crate or
//! FAISS), which skips most vectors and returns almost always the same top hits.
//!
//! ```no_run
//! use clinkit::embed::{bert::SentenceEncoder, index::VectorIndex};
//! let encoder = SentenceEncoder::for_model("all-minilm-l6-v2").unwrap();
//! let mut index = VectorIndex::new(encoder);
//! index.add("pat-1", "Echo: LVEF 35%. Geen klepafwijkingen. Rookt niet.", 60).unwrap();
//! let hits = index.search("ejection fraction", 1).unwrap();
//! println!("{} {:?}: {}", hits[0].document, hits[0].span, hits[0].text);
//! ```

use std::io::{BufRead, BufReader};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::embed::bert::SentenceEncoder;
use crate::error::{Error, Location, Result};
use crate::extract::batch::write_atomically;
use crate::text::{sentences, Span};

/// Groups consecutive sentences into chunks of at most `max_chars` characters (a sentence
/// longer than that is a chunk on its own). Spans are character offsets into `text`.
///
/// ```
/// use clinkit::embed::index::chunk_by_sentences;
/// use clinkit::text::Span;
/// let text = "Pt. is 67 jaar. Geen diabetes. LVEF 35%.";
/// let chunks = chunk_by_sentences(text, 32);
/// assert_eq!(chunks, [Span::new(0, 30), Span::new(31, 40)]);
/// ```
pub fn chunk_by_sentences(text: &str, max_chars: usize) -> Vec<Span> {
    let mut chunks: Vec<Span> = Vec::new();
    for sentence in sentences(text) {
        match chunks.last_mut() {
            Some(last) if sentence.end - last.start <= max_chars => last.end = sentence.end,
            _ => chunks.push(sentence),
        }
    }
    chunks
}

/// One search result: which document, where in it, the chunk's text and its similarity.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    /// The document's id, as given to [`VectorIndex::add`].
    pub document: String,
    /// Where the chunk is in the document, in characters.
    pub span: Span,
    /// The chunk's text.
    pub text: String,
    /// Cosine similarity with the query, from -1 to 1 (higher is nearer).
    pub score: f32,
}

/// One chunk with its embedding, as a line of an index file (`clinkit embed` writes them):
/// `{"document": "pat-1", "start": 0, "end": 42, "text": "...", "vector": [0.01, ...]}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndexRecord {
    /// The document's id.
    pub document: String,
    /// First character of the chunk in the document.
    pub start: usize,
    /// One past the chunk's last character.
    pub end: usize,
    /// The chunk's text.
    pub text: String,
    /// The chunk's embedding (unit length).
    pub vector: Vec<f32>,
}

/// An exact vector index: every chunk's embedding, searched by comparing with all of them.
pub struct VectorIndex {
    encoder: SentenceEncoder,
    chunks: Vec<(String, Span, String)>,
    vectors: Vec<Vec<f32>>,
}

impl VectorIndex {
    /// An empty index that embeds with `encoder`.
    pub fn new(encoder: SentenceEncoder) -> VectorIndex {
        VectorIndex {
            encoder,
            chunks: Vec::new(),
            vectors: Vec::new(),
        }
    }

    /// How many chunks the index holds.
    pub fn len(&self) -> usize {
        self.chunks.len()
    }

    /// True when nothing has been added yet.
    pub fn is_empty(&self) -> bool {
        self.chunks.is_empty()
    }

    /// Cuts a document into chunks of at most `max_chars` characters, embeds them and adds
    /// them. Returns how many chunks were added.
    pub fn add(&mut self, document: &str, text: &str, max_chars: usize) -> Result<usize> {
        let spans = chunk_by_sentences(text, max_chars);
        let texts: Vec<String> = spans
            .iter()
            .map(|span| span.slice(text).unwrap_or("").to_string())
            .collect();
        let vectors = self.encoder.embed(&texts)?;
        for (span, chunk_text) in spans.iter().zip(texts) {
            self.chunks.push((document.to_string(), *span, chunk_text));
        }
        self.vectors.extend(vectors);
        Ok(spans.len())
    }

    /// Every chunk's embedding, in the order they were added.
    pub fn vectors(&self) -> &[Vec<f32>] {
        &self.vectors
    }

    /// The document id of every chunk, in the order they were added.
    pub fn documents(&self) -> impl Iterator<Item = &str> + '_ {
        self.chunks.iter().map(|(document, _, _)| document.as_str())
    }

    /// Every chunk with its embedding, in the order they were added.
    pub fn records(&self) -> impl Iterator<Item = IndexRecord> + '_ {
        self.chunks
            .iter()
            .zip(&self.vectors)
            .map(|((document, span, text), vector)| IndexRecord {
                document: document.clone(),
                start: span.start,
                end: span.end,
                text: text.clone(),
                vector: vector.clone(),
            })
    }

    /// Writes the index as JSONL, one [`IndexRecord`] per line, replacing `path` in one
    /// step (a crash leaves the old file or the whole new one).
    pub fn save_jsonl(&self, path: &Path) -> Result<()> {
        let mut bytes = Vec::new();
        for record in self.records() {
            serde_json::to_writer(&mut bytes, &record).expect("a record always serialises");
            bytes.push(b'\n');
        }
        write_atomically(path, &bytes)
    }

    /// Reads an index written by [`VectorIndex::save_jsonl`]; queries are embedded with
    /// `encoder`, which must be the model that made the file (same vector length; the
    /// error names the line otherwise).
    pub fn load_jsonl(path: &Path, encoder: SentenceEncoder) -> Result<VectorIndex> {
        let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
        let mut index = VectorIndex::new(encoder);
        for (number, line) in BufReader::new(file).lines().enumerate() {
            let line = line.map_err(|e| Error::io(path, e))?;
            if line.trim().is_empty() {
                continue;
            }
            let at = Location::file(path).line(number + 1);
            let record: IndexRecord = serde_json::from_str(&line)
                .map_err(|e| Error::invalid(at.clone(), format!("not an index record: {e}")))?;
            index.push_record(record, at)?;
        }
        Ok(index)
    }

    /// Adds one record read from a file, after checking it fits this index.
    fn push_record(&mut self, record: IndexRecord, at: Location) -> Result<()> {
        let expected = self.encoder.dimension();
        if record.vector.len() != expected {
            return Err(Error::invalid(
                at.field("vector"),
                format!(
                    "has {} numbers but the model makes {expected}: was the index made with another model?",
                    record.vector.len()
                ),
            ));
        }
        if record.start > record.end {
            return Err(Error::invalid(at.field("start"), "start is after end"));
        }
        let span = Span::new(record.start, record.end);
        self.chunks.push((record.document, span, record.text));
        self.vectors.push(record.vector);
        Ok(())
    }

    /// The `k` chunks nearest to `query`, best first.
    pub fn search(&self, query: &str, k: usize) -> Result<Vec<Hit>> {
        let query = self.encoder.embed_one(query)?;
        let mut scored: Vec<(usize, f32)> = self
            .vectors
            .iter()
            .map(|vector| dot(&query, vector))
            .enumerate()
            .collect();
        scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        Ok(scored
            .into_iter()
            .take(k)
            .map(|(i, score)| {
                let (document, span, text) = &self.chunks[i];
                Hit {
                    document: document.clone(),
                    span: *span,
                    text: text.clone(),
                    score,
                }
            })
            .collect())
    }
}

/// The dot product of two vectors; for unit vectors it is their cosine similarity.
///
/// ```
/// assert_eq!(clinkit::embed::index::dot(&[0.6, 0.8], &[1.0, 0.0]), 0.6);
/// ```
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}
