//! Gemma 3, written out step by step: what happens between token ids and next-token scores.
//!
//! A language model turns a list of token ids into, for every position, a score (*logit*)
//! for each of the 262,144 tokens in Gemma's vocabulary: how likely that token comes next.
//! Gemma 3 does it in five steps, each a small function below:
//!
//! 1. **Embedding**: look up a vector of 640 numbers for each token id, and multiply it by
//!    √640 (Gemma's convention, so embeddings and layer outputs have similar sizes).
//! 2. **Layers** (18 in the 270M model), each with two halves that *add* to the vector
//!    (the *residual stream*):
//!    - **attention**: every position looks back at earlier positions and copies
//!      information from those that match its question. Rotary position embeddings
//!      (*RoPE*) turn each query and key by an angle that grows with the position, so
//!      the match depends on distance. Five of every six layers are *local*: they only
//!      look back 512 tokens (the *sliding window*); every sixth layer is *global* and
//!      sees everything, with a slower-turning RoPE (base 1,000,000 instead of 10,000).
//!    - **MLP** (feed-forward): per position, `down(gelu(gate(x)) * up(x))`, where
//!      GELU is the tanh approximation Gemma was trained with.
//!
//!    Both halves normalise their input and their output with RMSNorm (Gemma's "sandwich").
//! 3. **Final norm**: one more RMSNorm.
//! 4. **Logits**: multiply by the embedding table again (the weights are *tied*), giving
//!    one score per vocabulary entry.
//!
//! The attention keys and values of past positions are kept in a [`KvCache`], so
//! generating one more token only computes that token's row, and a prompt shared by
//! many questions is computed once ([`KvCache::truncate`] goes back to a shared prefix).
//!
//! The numbers match llama.cpp on the same GGUF file (tests/llm_gemma3.rs checks 30+
//! prompts against a committed reference).
//!
//! ```no_run
//! use clinkit::llm::gemma3::{Gemma3, KvCache};
//! use clinkit::llm::gguf::GgufModelFile;
//! let file = GgufModelFile::open("models/gemma-3-270m-q4_k_m/gemma-3-270m-q4_k_m.gguf".as_ref())?;
//! let model = Gemma3::load(&file)?;
//! let mut cache = model.new_cache();
//! let logits = model.forward(&[2, 818, 5279], &mut cache)?; // <bos> "The patient"
//! let next = logits.iter().enumerate().max_by(|a, b| a.1.total_cmp(b.1)).unwrap().0;
//! println!("most likely next token id: {next}");
//! # Ok::<(), clinkit::Error>(())
//! ```

use std::sync::Arc;

use candle_core::quantized::QTensor;
use candle_core::Tensor;

use super::gguf::{Architecture, GgufModelFile};
use super::transformer::{
    self, attention_mask, cache_grew, cache_slot, embed, file_stem, forward_every, forward_last,
    head_to_keep, output_logits, output_matrix, record_layer, rms_norm, vector, Activation,
    Attention, CandleResult, Heads, KeptAttention, Layers, Matrix, Mlp, ModelShape, Rope,
    RopePairs, Rotation, Visibility,
};
pub use super::transformer::{KvCache, Trace};
use crate::error::{Error, Location};
use crate::Result;

/// The sizes and constants of a Gemma 3 model, read from the GGUF metadata.
#[derive(Debug, Clone, PartialEq)]
pub struct Gemma3Config {
    /// Number of tokens in the vocabulary (262,144).
    pub vocab_size: usize,
    /// Length of the vector that represents each position (640 in the 270M model).
    pub hidden_size: usize,
    /// Number of layers (18).
    pub layers: usize,
    /// Number of query heads per attention layer (4).
    pub heads: usize,
    /// Number of key/value heads, shared by groups of query heads (1).
    pub kv_heads: usize,
    /// Length of each head's query, key and value vectors (256).
    pub head_dim: usize,
    /// Width of the MLP's hidden layer (2048).
    pub ffn_size: usize,
    /// Small number added inside RMSNorm so it never divides by zero.
    pub rms_eps: f64,
    /// RoPE base of the global layers (1,000,000).
    pub rope_base_global: f32,
    /// RoPE base of the local (sliding-window) layers (10,000).
    pub rope_base_local: f32,
    /// Positions are divided by this in global layers (1 = no scaling).
    pub rope_scale_global: f32,
    /// How many tokens a local layer sees, itself included (512).
    pub sliding_window: usize,
    /// Every `global_every`-th layer is global (6).
    pub global_every: usize,
    /// Queries are multiplied by this before they meet the keys (1/√head_dim).
    pub attention_scale: f64,
    /// If set, logits are squashed into (-cap, cap) with `cap * tanh(x / cap)`.
    pub final_logit_softcap: Option<f64>,
}

impl Gemma3Config {
    /// Reads the configuration from a GGUF file's metadata.
    pub fn from_gguf(file: &GgufModelFile) -> Result<Gemma3Config> {
        let key = |name: &str| format!("gemma3.{name}");
        let hidden_size = file.u32(&key("embedding_length"))? as usize;
        let heads = file.u32(&key("attention.head_count"))? as usize;
        let head_dim =
            file.u32_or(&key("attention.key_length"), (hidden_size / heads) as u32)? as usize;
        let scaling_factor = file.f32_or(&key("rope.scaling.factor"), 1.0)?;
        let softcap = file.f32_or(&key("final_logit_softcapping"), 0.0)?;
        let vocab_size = file
            .tensor("token_embd.weight")?
            .shape()
            .dims()
            .first()
            .copied()
            .unwrap_or(0);
        Ok(Gemma3Config {
            vocab_size,
            hidden_size,
            layers: file.u32(&key("block_count"))? as usize,
            heads,
            kv_heads: file.u32_or(&key("attention.head_count_kv"), heads as u32)? as usize,
            head_dim,
            ffn_size: file.u32(&key("feed_forward_length"))? as usize,
            rms_eps: f64::from(file.f32_or(&key("attention.layer_norm_rms_epsilon"), 1e-6)?),
            rope_base_global: file.f32_or(&key("rope.freq_base"), 1_000_000.0)?,
            rope_base_local: file.f32_or(&key("rope.freq_base_swa"), 10_000.0)?,
            rope_scale_global: if scaling_factor > 0.0 {
                scaling_factor
            } else {
                1.0
            },
            sliding_window: file.u32_or(&key("attention.sliding_window"), 512)? as usize,
            global_every: 6,
            attention_scale: 1.0 / (head_dim as f64).sqrt(),
            final_logit_softcap: (softcap > 0.0).then_some(f64::from(softcap)),
        })
    }

    /// True when layer `index` (from 0) attends to all earlier tokens, not just the window.
    ///
    /// ```
    /// # use clinkit::llm::gemma3::Gemma3Config;
    /// # let config = Gemma3Config::tiny_for_tests();
    /// assert!(!config.is_global_layer(0));
    /// assert!(config.is_global_layer(5)); // every sixth layer
    /// ```
    pub fn is_global_layer(&self, index: usize) -> bool {
        index % self.global_every == self.global_every - 1
    }

    /// A small configuration for examples and tests (no file needed).
    pub fn tiny_for_tests() -> Gemma3Config {
        Gemma3Config {
            vocab_size: 32,
            hidden_size: 8,
            layers: 6,
            heads: 2,
            kv_heads: 1,
            head_dim: 4,
            ffn_size: 16,
            rms_eps: 1e-6,
            rope_base_global: 1_000_000.0,
            rope_base_local: 10_000.0,
            rope_scale_global: 1.0,
            sliding_window: 4,
            global_every: 6,
            attention_scale: 0.5,
            final_logit_softcap: None,
        }
    }
}

/// The weights of one layer. Norm weights are plain vectors; the big matrices stay quantized.
struct LayerWeights {
    attention_norm: Tensor,
    attention: Attention,
    post_attention_norm: Tensor,
    mlp_norm: Tensor,
    mlp: Mlp,
    post_mlp_norm: Tensor,
    is_global: bool,
}

/// All the weights of a Gemma 3 model. Shared (behind an `Arc`) by every user of the model.
struct Weights {
    embeddings: Arc<QTensor>,
    output: Matrix,
    layers: Vec<LayerWeights>,
    final_norm: Tensor,
}

/// A loaded Gemma 3 model. Cloning it is cheap: the weights are shared, not copied.
#[derive(Clone)]
pub struct Gemma3 {
    config: Gemma3Config,
    weights: Arc<Weights>,
    name: String,
}

impl Gemma3 {
    /// Loads the weights of a Gemma 3 GGUF file.
    pub fn load(file: &GgufModelFile) -> Result<Gemma3> {
        let architecture = file.architecture()?;
        if architecture != Architecture::Gemma3 {
            return Err(Error::invalid(
                Location::file(file.path()).field("general.architecture"),
                format!("expected gemma3, found {architecture:?}"),
            ));
        }
        let config = Gemma3Config::from_gguf(file)?;
        let embeddings = Arc::new(file.tensor("token_embd.weight")?);
        let output = output_matrix(file, &embeddings)?;
        let layers = (0..config.layers)
            .map(|index| load_layer(file, &config, index))
            .collect::<Result<Vec<_>>>()?;
        let weights = Weights {
            embeddings,
            output,
            layers,
            final_norm: vector(file, "output_norm.weight")?,
        };
        Ok(Gemma3 {
            config,
            weights: Arc::new(weights),
            name: file_stem(file, "gemma3"),
        })
    }

    /// The model's sizes and constants.
    pub fn config(&self) -> &Gemma3Config {
        &self.config
    }

    /// The model's name (its file name without `.gguf`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// An empty cache to start a new text with.
    pub fn new_cache(&self) -> KvCache {
        KvCache::new(self.config.layers)
    }

    /// Reads `tokens` (continuing after what `cache` holds) and returns the logits for the
    /// token after the last one: one score per vocabulary entry.
    pub fn forward(&self, tokens: &[u32], cache: &mut KvCache) -> Result<Vec<f32>> {
        forward_last(self, tokens, cache, None)
    }

    /// Like [`Gemma3::forward`], but returns the logits after *every* token (one row each).
    pub fn forward_all(&self, tokens: &[u32], cache: &mut KvCache) -> Result<Vec<Vec<f32>>> {
        forward_every(self, tokens, cache)
    }

    /// Like [`Gemma3::forward`], and also records in `trace` the hidden states after every
    /// layer and, if `trace.attention_of` names one, a head's attention weights (for
    /// teaching views). What `trace` held before is replaced.
    pub fn forward_traced(
        &self,
        tokens: &[u32],
        cache: &mut KvCache,
        trace: &mut Trace,
    ) -> Result<Vec<f32>> {
        transformer::forward_traced(self, tokens, cache, trace)
    }

    /// Step 2: one layer. Attention and MLP each read a normalised copy of the residual
    /// stream and add their (normalised) result back to it. (Gemma's checkpoints store
    /// RMSNorm weights as `w - 1`; llama.cpp's converter already added the 1 back.)
    fn layer(
        &self,
        layer: &LayerWeights,
        residual: &Tensor,
        positions: &Positions,
        cache: &mut Option<(Tensor, Tensor)>,
        keep_attention: Option<usize>,
    ) -> CandleResult<(Tensor, Option<KeptAttention>)> {
        let eps = self.config.rms_eps;
        let normed = rms_norm(residual, &layer.attention_norm, eps)?;
        let visibility = positions.visibility(layer.is_global);
        let (attended, attention) =
            layer
                .attention
                .forward(&normed, &self.heads(), &visibility, cache, keep_attention)?;
        let attended = rms_norm(&attended, &layer.post_attention_norm, eps)?;
        let residual = (residual + attended)?;
        let normed = rms_norm(&residual, &layer.mlp_norm, eps)?;
        let mlp = layer.mlp.forward(&normed, Activation::GeluTanh)?;
        let mlp = rms_norm(&mlp, &layer.post_mlp_norm, eps)?;
        Ok(((residual + mlp)?, attention))
    }

    fn heads(&self) -> Heads {
        let config = &self.config;
        Heads {
            count: config.heads,
            kv_count: config.kv_heads,
            dim: config.head_dim,
            scale: config.attention_scale,
            rms_eps: config.rms_eps,
        }
    }
}

impl Layers for Gemma3 {
    fn shape(&self) -> ModelShape<'_> {
        let config = &self.config;
        ModelShape::new(&self.name, config.layers, config.heads, config.vocab_size)
    }

    /// The whole forward pass: embed (scaled by √hidden_size), run the layers, normalise,
    /// score the vocabulary, and soft-cap the scores if the model does.
    fn run_layers(
        &self,
        tokens: &[u32],
        cache: &mut KvCache,
        all_positions: bool,
        mut trace: Option<&mut Trace>,
    ) -> CandleResult<Tensor> {
        let config = &self.config;
        let start = cache.len();
        let embedded = embed(&self.weights.embeddings, tokens)?;
        let mut residual = (embedded * (config.hidden_size as f64).sqrt())?;
        let positions = Positions::new(config, start, tokens.len())?;
        record_layer(&mut trace, &residual, None)?; // hidden_states[0]: the embeddings
        for (index, layer) in self.weights.layers.iter().enumerate() {
            let keep = head_to_keep(&trace, index);
            let slot = cache_slot(cache, index);
            let (next, attention) = self.layer(layer, &residual, &positions, slot, keep)?;
            residual = next;
            record_layer(&mut trace, &residual, attention)?;
        }
        cache_grew(cache, tokens.len());
        let weights = &self.weights;
        let logits = output_logits(
            &residual,
            all_positions,
            &weights.final_norm,
            &weights.output,
            config.rms_eps,
        )?;
        match config.final_logit_softcap {
            Some(cap) => (logits / cap)?.tanh()? * cap,
            None => Ok(logits),
        }
    }
}

/// Everything about the new positions that all layers share, computed once per forward pass.
struct Positions {
    global_rotation: Rotation,
    local_rotation: Rotation,
    /// `-inf` where a new position may not look (the future); `None` for a single token.
    global_mask: Option<Tensor>,
    /// Also `-inf` for positions more than a window back.
    local_mask: Option<Tensor>,
    /// The first cached position any new position can see in a local layer.
    first_visible_local: usize,
}

impl Positions {
    fn new(config: &Gemma3Config, start: usize, count: usize) -> CandleResult<Positions> {
        let window = config.sliding_window;
        let first_visible_local = (start + 1).saturating_sub(window);
        let global = Rope {
            base: config.rope_base_global,
            position_scale: config.rope_scale_global,
            pairs: RopePairs::Halves,
            slowdown: None,
        };
        let local = Rope {
            base: config.rope_base_local,
            position_scale: 1.0,
            ..global.clone()
        };
        Ok(Positions {
            global_rotation: global.rotation(config.head_dim, start, count)?,
            local_rotation: local.rotation(config.head_dim, start, count)?,
            global_mask: attention_mask(start, count, 0, None)?,
            local_mask: attention_mask(start, count, first_visible_local, Some(window))?,
            first_visible_local,
        })
    }

    /// What a global layer (everything before) or a local layer (the window) may see.
    fn visibility(&self, global: bool) -> Visibility<'_> {
        if global {
            Visibility {
                rotation: &self.global_rotation,
                mask: self.global_mask.as_ref(),
                first_visible: 0,
            }
        } else {
            Visibility {
                rotation: &self.local_rotation,
                mask: self.local_mask.as_ref(),
                first_visible: self.first_visible_local,
            }
        }
    }
}

fn load_layer(file: &GgufModelFile, config: &Gemma3Config, index: usize) -> Result<LayerWeights> {
    let name = |part: &str| format!("blk.{index}.{part}.weight");
    Ok(LayerWeights {
        attention_norm: vector(file, &name("attn_norm"))?,
        attention: Attention::load(file, index, false, true)?,
        post_attention_norm: vector(file, &name("post_attention_norm"))?,
        mlp_norm: vector(file, &name("ffn_norm"))?,
        mlp: Mlp::load(file, index)?,
        post_mlp_norm: vector(file, &name("post_ffw_norm"))?,
        is_global: config.is_global_layer(index),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_sixth_layer_is_global() {
        let config = Gemma3Config::tiny_for_tests();
        let global: Vec<usize> = (0..18).filter(|&i| config.is_global_layer(i)).collect();
        assert_eq!(global, vec![5, 11, 17]);
    }
}
