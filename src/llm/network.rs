//! Whichever network a GGUF file holds: Gemma 3 ([`super::gemma3`]) or Llama, Qwen 2 or
//! Qwen 3 ([`super::llama`]), chosen by the file's `general.architecture`.
//!
//! Code that only needs "token ids in, next-token scores out" (the local backend, the
//! teaching views) uses [`Network`] and works with every supported file.
//!
//! ```
//! use clinkit::llm::gguf::{Architecture, GgufModelFile};
//! use clinkit::llm::network::Network;
//! let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/llm/tiny-llama.gguf");
//! let network = Network::load(&GgufModelFile::open(path.as_ref())?)?;
//! assert_eq!(network.architecture(), Architecture::Llama);
//! let mut cache = network.new_cache();
//! let logits = network.forward(&[768, 100], &mut cache)?; // <bos> and one more token
//! assert_eq!((logits.len(), cache.len()), (772, 2));
//! assert_eq!(network.layer_count(), 3);
//! # Ok::<(), clinkit::Error>(())
//! ```

use super::gemma3::Gemma3;
use super::gguf::{Architecture, GgufModelFile};
use super::llama::Llama;
use super::transformer::{self, forward_every, forward_last, KvCache, Layers, Trace};
use crate::Result;

/// A loaded network of one of the supported architectures.
#[derive(Clone)]
pub enum Network {
    /// Google's Gemma 3.
    Gemma3(Gemma3),
    /// Llama, Qwen 2 or Qwen 3 (one network with named differences).
    Llama(Llama),
}

impl Network {
    /// Loads the network of the architecture `general.architecture` names. Any other
    /// architecture is an error naming the file, the key and the architecture.
    pub fn load(file: &GgufModelFile) -> Result<Network> {
        match file.architecture()? {
            Architecture::Gemma3 => Gemma3::load(file).map(Network::Gemma3),
            Architecture::Llama | Architecture::Qwen2 | Architecture::Qwen3 => {
                Llama::load(file).map(Network::Llama)
            }
        }
    }

    /// Which architecture this is.
    pub fn architecture(&self) -> Architecture {
        match self {
            Network::Gemma3(_) => Architecture::Gemma3,
            Network::Llama(model) => model.config().variant.architecture,
        }
    }

    fn layers(&self) -> &dyn Layers {
        match self {
            Network::Gemma3(model) => model,
            Network::Llama(model) => model,
        }
    }

    /// The model's name (its file name without `.gguf`).
    pub fn name(&self) -> &str {
        self.layers().name()
    }

    /// How many tokens the vocabulary has (the length of every logits vector).
    pub fn vocab_size(&self) -> usize {
        self.layers().vocab_size()
    }

    /// How many layers (transformer blocks) the network stacks: 18 in Gemma 3 270M.
    pub fn layer_count(&self) -> usize {
        self.layers().layer_count()
    }

    /// An empty cache to start a new text with.
    pub fn new_cache(&self) -> KvCache {
        KvCache::new(self.layers().layer_count())
    }

    /// Reads `tokens` (continuing after what `cache` holds) and returns the logits for the
    /// token after the last one: one score per vocabulary entry.
    pub fn forward(&self, tokens: &[u32], cache: &mut KvCache) -> Result<Vec<f32>> {
        forward_last(self.layers(), tokens, cache, None)
    }

    /// Like [`Network::forward`], but returns the logits after *every* token (one row each).
    pub fn forward_all(&self, tokens: &[u32], cache: &mut KvCache) -> Result<Vec<Vec<f32>>> {
        forward_every(self.layers(), tokens, cache)
    }

    /// Like [`Network::forward`], and also records in `trace` the hidden states after every
    /// layer and, if `trace.attention_of` names one, a head's attention weights (for
    /// teaching views). What `trace` held before is replaced.
    pub fn forward_traced(
        &self,
        tokens: &[u32],
        cache: &mut KvCache,
        trace: &mut Trace,
    ) -> Result<Vec<f32>> {
        transformer::forward_traced(self.layers(), tokens, cache, trace)
    }

    /// The Gemma 3 network, if this is one (for views that name Gemma's local and global layers).
    pub fn as_gemma3(&self) -> Option<&Gemma3> {
        match self {
            Network::Gemma3(model) => Some(model),
            Network::Llama(_) => None,
        }
    }
}
