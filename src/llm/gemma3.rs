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

use candle_core::quantized::{QMatMul, QTensor};
use candle_core::{DType, Device, Module, Tensor};

use super::gguf::{model_error, Architecture, GgufModelFile};
use crate::error::{Error, Location};
use crate::Result;

type CandleResult<T> = candle_core::Result<T>;

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
    query: QMatMul,
    key: QMatMul,
    value: QMatMul,
    query_norm: Tensor,
    key_norm: Tensor,
    attention_output: QMatMul,
    post_attention_norm: Tensor,
    mlp_norm: Tensor,
    gate: QMatMul,
    up: QMatMul,
    down: QMatMul,
    post_mlp_norm: Tensor,
    is_global: bool,
}

/// All the weights of a Gemma 3 model. Shared (behind an `Arc`) by every user of the model.
struct Weights {
    embeddings: Arc<QTensor>,
    output: QMatMul,
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

/// The keys and values of the positions seen so far, per layer: the model's memory of the prompt.
#[derive(Clone)]
pub struct KvCache {
    layers: Vec<Option<(Tensor, Tensor)>>,
    len: usize,
}

impl KvCache {
    /// An empty cache for a model with `layers` layers.
    pub fn new(layers: usize) -> KvCache {
        KvCache {
            layers: vec![None; layers],
            len: 0,
        }
    }

    /// How many positions are stored (the position the next token will get).
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when nothing is stored yet.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Forgets every position from `len` on, keeping a shared prefix (for example the
    /// instructions shared by many prompts) so it is not computed again.
    pub fn truncate(&mut self, len: usize) -> Result<()> {
        if len >= self.len {
            return Ok(());
        }
        for entry in self.layers.iter_mut() {
            if let Some((keys, values)) = entry {
                if len == 0 {
                    *entry = None;
                } else {
                    let keys = keys.narrow(2, 0, len).map_err(candle_error)?;
                    let values = values.narrow(2, 0, len).map_err(candle_error)?;
                    *entry = Some((keys, values));
                }
            }
        }
        self.len = len;
        Ok(())
    }
}

fn candle_error(e: candle_core::Error) -> Error {
    Error::Model {
        name: "gemma3".into(),
        message: e.to_string(),
    }
}

/// What a traced forward pass records, for teaching: see [`Gemma3::forward_traced`].
///
/// Only [`Gemma3::forward_traced`] fills it; [`Gemma3::forward`] records nothing, so
/// generating text pays nothing for this.
///
/// ```
/// let mut trace = clinkit::llm::gemma3::Trace::keeping_attention(5, 0); // layer 5 (the first global layer), head 0
/// assert_eq!(trace.attention_of, Some((5, 0)));
/// assert!(trace.hidden_states.is_empty()); // filled by `forward_traced`
/// ```
#[derive(Debug, Clone, Default)]
pub struct Trace {
    /// The layer and head (both counted from 0) whose attention weights to keep, if any.
    pub attention_of: Option<(usize, usize)>,
    /// The residual stream, one row of `hidden_size` numbers per position read in this
    /// call: `hidden_states[0]` right after the embedding, `hidden_states[i]` after layer
    /// `i` (so there are `layers + 1` entries).
    pub hidden_states: Vec<Vec<Vec<f32>>>,
    /// The kept head's attention weights: one row per position read in this call, one
    /// column per position it could look at. Each row adds up to 1.
    pub attention: Vec<Vec<f32>>,
    /// The position of the first column of `attention` (0, unless a local layer's window
    /// has moved past the start of a long text).
    pub attention_first_position: usize,
}

impl Trace {
    /// A trace that keeps the attention weights of `head` in `layer` (both from 0).
    pub fn keeping_attention(layer: usize, head: usize) -> Trace {
        Trace {
            attention_of: Some((layer, head)),
            ..Trace::default()
        }
    }

    /// The head whose weights to keep in layer `index`, if that is the chosen layer.
    fn head_to_keep(&self, index: usize) -> Option<usize> {
        self.attention_of
            .filter(|&(layer, _)| layer == index)
            .map(|(_, head)| head)
    }

    /// Copies the residual stream `(1, positions, hidden_size)` into `hidden_states`.
    fn record_hidden_state(&mut self, residual: &Tensor) -> CandleResult<()> {
        self.hidden_states
            .push(residual.squeeze(0)?.to_vec2::<f32>()?);
        Ok(())
    }
}

/// One head's attention weights kept by a traced forward pass: the position of the first
/// column, and one row per new position.
type KeptAttention = (usize, Vec<Vec<f32>>);

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
        let output = if file.has_tensor("output.weight") {
            quantized_matrix(file, "output.weight")?
        } else {
            QMatMul::from_arc(embeddings.clone()).map_err(model_error(file.path()))?
        };
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
            name: file
                .path()
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| "gemma3".into()),
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
        let logits = self.forward_tensor(tokens, cache, false, None)?;
        logits
            .flatten_all()
            .and_then(|t| t.to_vec1::<f32>())
            .map_err(candle_error)
    }

    /// Like [`Gemma3::forward`], but returns the logits after *every* token (one row each).
    pub fn forward_all(&self, tokens: &[u32], cache: &mut KvCache) -> Result<Vec<Vec<f32>>> {
        let logits = self.forward_tensor(tokens, cache, true, None)?;
        logits
            .squeeze(0)
            .and_then(|t| t.to_vec2::<f32>())
            .map_err(candle_error)
    }

    /// Like [`Gemma3::forward`], and also records in `trace` the hidden states after every
    /// layer and, if `trace.attention_of` names one, a head's attention weights (for
    /// teaching views: [`crate::llm::inspect`]). What `trace` held before is replaced.
    pub fn forward_traced(
        &self,
        tokens: &[u32],
        cache: &mut KvCache,
        trace: &mut Trace,
    ) -> Result<Vec<f32>> {
        if let Some((layer, head)) = trace.attention_of {
            if layer >= self.config.layers || head >= self.config.heads {
                return Err(Error::Model {
                    name: self.name.clone(),
                    message: format!(
                        "there is no layer {layer}, head {head}: this model has layers 0..{} and heads 0..{}",
                        self.config.layers, self.config.heads
                    ),
                });
            }
        }
        trace.hidden_states.clear();
        trace.attention.clear();
        trace.attention_first_position = 0;
        let logits = self.forward_tensor(tokens, cache, false, Some(trace))?;
        logits
            .flatten_all()
            .and_then(|t| t.to_vec1::<f32>())
            .map_err(candle_error)
    }

    fn forward_tensor(
        &self,
        tokens: &[u32],
        cache: &mut KvCache,
        all_positions: bool,
        trace: Option<&mut Trace>,
    ) -> Result<Tensor> {
        if tokens.is_empty() {
            return Err(Error::Model {
                name: self.name.clone(),
                message: "forward needs at least one token".into(),
            });
        }
        if cache.layers.len() != self.config.layers {
            return Err(Error::Model {
                name: self.name.clone(),
                message: "this cache belongs to a model with a different number of layers".into(),
            });
        }
        if let Some(&bad) = tokens
            .iter()
            .find(|&&t| t as usize >= self.config.vocab_size)
        {
            return Err(Error::Model {
                name: self.name.clone(),
                message: format!(
                    "token id {bad} is outside the vocabulary of {} tokens",
                    self.config.vocab_size
                ),
            });
        }
        let result = self.run_layers(tokens, cache, all_positions, trace);
        result.map_err(|e| Error::Model {
            name: self.name.clone(),
            message: e.to_string(),
        })
    }

    /// The whole forward pass: embed, run the layers, normalise, score the vocabulary.
    fn run_layers(
        &self,
        tokens: &[u32],
        cache: &mut KvCache,
        all_positions: bool,
        mut trace: Option<&mut Trace>,
    ) -> CandleResult<Tensor> {
        let config = &self.config;
        let start = cache.len;
        let count = tokens.len();
        let mut residual = self.embed(tokens)?;
        if let Some(trace) = trace.as_deref_mut() {
            trace.record_hidden_state(&residual)?;
        }
        let positions = Positions::new(config, start, count)?;
        for (index, layer) in self.weights.layers.iter().enumerate() {
            let keep_attention = trace.as_ref().and_then(|t| t.head_to_keep(index));
            let (next, kept) = self.layer(
                layer,
                &residual,
                &positions,
                &mut cache.layers[index],
                keep_attention,
            )?;
            residual = next;
            // Teaching views only: a plain `forward` passes no trace and skips this.
            if let Some(trace) = trace.as_deref_mut() {
                trace.record_hidden_state(&residual)?;
                if let Some((first_position, weights)) = kept {
                    trace.attention_first_position = first_position;
                    trace.attention = weights;
                }
            }
        }
        cache.len = start + count;
        let last = if all_positions {
            residual
        } else {
            residual.narrow(1, count - 1, 1)?
        };
        let normed = rms_norm(&last, &self.weights.final_norm, config.rms_eps)?;
        let logits = self.weights.output.forward(&normed)?;
        match config.final_logit_softcap {
            Some(cap) => (logits / cap)?.tanh()? * cap,
            None => Ok(logits),
        }
    }

    /// Step 1: one vector per token, scaled by √hidden_size.
    fn embed(&self, tokens: &[u32]) -> CandleResult<Tensor> {
        let ids = Tensor::new(tokens, &Device::Cpu)?.unsqueeze(0)?;
        let vectors = self.weights.embeddings.embedding(&ids)?;
        vectors * (self.config.hidden_size as f64).sqrt()
    }

    /// Step 2: one layer. Attention and MLP each read a normalised copy of the residual
    /// stream and add their (normalised) result back to it.
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
        let (attended, attention) =
            self.attention(layer, &normed, positions, cache, keep_attention)?;
        let attended = rms_norm(&attended, &layer.post_attention_norm, eps)?;
        let residual = (residual + attended)?;
        let normed = rms_norm(&residual, &layer.mlp_norm, eps)?;
        let mlp = mlp(layer, &normed)?;
        let mlp = rms_norm(&mlp, &layer.post_mlp_norm, eps)?;
        Ok(((residual + mlp)?, attention))
    }

    /// Attention: queries of the new positions meet keys of all visible positions; the
    /// softmax of those scores says how much of each position's value to copy.
    fn attention(
        &self,
        layer: &LayerWeights,
        x: &Tensor,
        positions: &Positions,
        cache: &mut Option<(Tensor, Tensor)>,
        keep_attention: Option<usize>,
    ) -> CandleResult<(Tensor, Option<KeptAttention>)> {
        let config = &self.config;
        let (batch, count, _) = x.dims3()?;
        let rotation = if layer.is_global {
            &positions.global_rotation
        } else {
            &positions.local_rotation
        };
        let queries = split_heads(&layer.query.forward(x)?, config.heads, config.head_dim)?;
        let queries = rms_norm(&queries, &layer.query_norm, config.rms_eps)?;
        let queries = rotation.apply(&queries)?;
        let keys = split_heads(&layer.key.forward(x)?, config.kv_heads, config.head_dim)?;
        let keys = rms_norm(&keys, &layer.key_norm, config.rms_eps)?;
        let keys = rotation.apply(&keys)?;
        let values = split_heads(&layer.value.forward(x)?, config.kv_heads, config.head_dim)?;

        // Remember this text's keys and values for the tokens that come after.
        let (keys, values) = match cache.take() {
            Some((old_keys, old_values)) => (
                Tensor::cat(&[&old_keys, &keys], 2)?,
                Tensor::cat(&[&old_values, &values], 2)?,
            ),
            None => (keys, values),
        };
        *cache = Some((keys.clone(), values.clone()));

        // A local layer never looks further back than the window: skip older keys entirely.
        let first_visible = if layer.is_global {
            0
        } else {
            positions.first_visible_local
        };
        let visible = keys.dim(2)? - first_visible;
        let keys = keys.narrow(2, first_visible, visible)?;
        let values = values.narrow(2, first_visible, visible)?;
        let mask = if layer.is_global {
            &positions.global_mask
        } else {
            &positions.local_mask
        };

        // Grouped heads: the query heads that share one key/value head are stacked as rows,
        // so one matrix product serves the whole group without copying the keys.
        let group = config.heads / config.kv_heads;
        let queries = (queries * config.attention_scale)?.reshape((
            batch,
            config.kv_heads,
            group * count,
            config.head_dim,
        ))?;
        let scores = queries.matmul(&keys.t()?)?;
        let scores = scores.reshape((batch, config.heads, count, visible))?;
        let scores = match mask {
            Some(mask) => scores.broadcast_add(mask)?,
            None => scores,
        };
        let weights = candle_nn::ops::softmax_last_dim(&scores)?;
        let kept = match keep_attention {
            Some(head) => Some((first_visible, weights.get(0)?.get(head)?.to_vec2::<f32>()?)),
            None => None,
        };
        let weights = weights.reshape((batch, config.kv_heads, group * count, visible))?;
        let mixed = weights.matmul(&values)?;
        let mixed = mixed
            .reshape((batch, config.heads, count, config.head_dim))?
            .transpose(1, 2)?
            .reshape((batch, count, config.heads * config.head_dim))?;
        Ok((layer.attention_output.forward(&mixed)?, kept))
    }
}

/// The MLP: `down(gelu_tanh(gate(x)) * up(x))`.
fn mlp(layer: &LayerWeights, x: &Tensor) -> CandleResult<Tensor> {
    let gate = layer.gate.forward(x)?.gelu()?; // candle's `gelu` is the tanh approximation
    let up = layer.up.forward(x)?;
    layer.down.forward(&(gate * up)?)
}

/// RMSNorm: divide a vector by its root-mean-square, then multiply by a learned weight.
/// (Gemma stores `1 + w` in its checkpoints; llama.cpp's converter already added the 1.)
fn rms_norm(x: &Tensor, weight: &Tensor, eps: f64) -> CandleResult<Tensor> {
    candle_nn::ops::rms_norm(&x.contiguous()?, weight, eps as f32)
}

/// `(batch, count, heads * head_dim)` to `(batch, heads, count, head_dim)`.
fn split_heads(x: &Tensor, heads: usize, head_dim: usize) -> CandleResult<Tensor> {
    let (batch, count, _) = x.dims3()?;
    x.reshape((batch, count, heads, head_dim))?
        .transpose(1, 2)?
        .contiguous()
}

/// The rotation angles of rotary position embeddings for a run of positions.
struct Rotation {
    cos: Tensor,
    sin: Tensor,
}

impl Rotation {
    /// Angles for positions `start..start + count`: dimension pair `i` turns by
    /// `position / base^(2i / head_dim)` radians (fast for the first pairs, slow for the last).
    fn new(
        base: f32,
        scale: f32,
        head_dim: usize,
        start: usize,
        count: usize,
    ) -> CandleResult<Rotation> {
        let half = head_dim / 2;
        let frequencies: Vec<f32> = (0..half)
            .map(|i| 1.0 / base.powf(2.0 * i as f32 / head_dim as f32))
            .collect();
        let mut angles = Vec::with_capacity(count * half);
        for position in start..start + count {
            let position = position as f32 / scale;
            angles.extend(frequencies.iter().map(|f| position * f));
        }
        let angles = Tensor::from_vec(angles, (count, half), &Device::Cpu)?;
        Ok(Rotation {
            cos: angles.cos()?,
            sin: angles.sin()?,
        })
    }

    /// Turns each head's vector (Gemma pairs dimension `i` with `i + head_dim/2`).
    fn apply(&self, x: &Tensor) -> CandleResult<Tensor> {
        candle_nn::rotary_emb::rope(x, &self.cos, &self.sin)
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
        let global_mask = attention_mask(start, count, 0, None)?;
        let local_mask = attention_mask(start, count, first_visible_local, Some(window))?;
        Ok(Positions {
            global_rotation: Rotation::new(
                config.rope_base_global,
                config.rope_scale_global,
                config.head_dim,
                start,
                count,
            )?,
            local_rotation: Rotation::new(
                config.rope_base_local,
                1.0,
                config.head_dim,
                start,
                count,
            )?,
            global_mask,
            local_mask,
            first_visible_local,
        })
    }
}

/// The mask added to attention scores: 0 where query position `q` may see key position `k`
/// (`k <= q`, and within `window` when given: `q - k < window`), `-inf` elsewhere.
/// Keys start at position `first_key`; queries are `start..start + count`.
/// `None` when nothing needs masking.
fn attention_mask(
    start: usize,
    count: usize,
    first_key: usize,
    window: Option<usize>,
) -> CandleResult<Option<Tensor>> {
    let keys = start + count - first_key;
    let mut mask = Vec::with_capacity(count * keys);
    let mut anything_masked = false;
    for query in start..start + count {
        for key in first_key..start + count {
            let visible = key <= query && window.is_none_or(|w| query - key < w);
            anything_masked |= !visible;
            mask.push(if visible { 0.0 } else { f32::NEG_INFINITY });
        }
    }
    if !anything_masked {
        return Ok(None);
    }
    Tensor::from_vec(mask, (count, keys), &Device::Cpu).map(Some)
}

fn quantized_matrix(file: &GgufModelFile, name: &str) -> Result<QMatMul> {
    QMatMul::from_qtensor(file.tensor(name)?).map_err(model_error(file.path()))
}

fn vector(file: &GgufModelFile, name: &str) -> Result<Tensor> {
    file.tensor(name)?
        .dequantize(&Device::Cpu)
        .and_then(|t| t.to_dtype(DType::F32))
        .map_err(model_error(file.path()))
}

fn load_layer(file: &GgufModelFile, config: &Gemma3Config, index: usize) -> Result<LayerWeights> {
    let name = |part: &str| format!("blk.{index}.{part}.weight");
    Ok(LayerWeights {
        attention_norm: vector(file, &name("attn_norm"))?,
        query: quantized_matrix(file, &name("attn_q"))?,
        key: quantized_matrix(file, &name("attn_k"))?,
        value: quantized_matrix(file, &name("attn_v"))?,
        query_norm: vector(file, &name("attn_q_norm"))?,
        key_norm: vector(file, &name("attn_k_norm"))?,
        attention_output: quantized_matrix(file, &name("attn_output"))?,
        post_attention_norm: vector(file, &name("post_attention_norm"))?,
        mlp_norm: vector(file, &name("ffn_norm"))?,
        gate: quantized_matrix(file, &name("ffn_gate"))?,
        up: quantized_matrix(file, &name("ffn_up"))?,
        down: quantized_matrix(file, &name("ffn_down"))?,
        post_mlp_norm: vector(file, &name("post_ffw_norm"))?,
        is_global: config.is_global_layer(index),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn causal_mask_hides_the_future() {
        let mask = attention_mask(0, 3, 0, None).unwrap().unwrap();
        let rows = mask.to_vec2::<f32>().unwrap();
        assert_eq!(rows[0], vec![0.0, f32::NEG_INFINITY, f32::NEG_INFINITY]);
        assert_eq!(rows[2], vec![0.0, 0.0, 0.0]);
    }

    #[test]
    fn window_mask_hides_the_far_past() {
        // queries at positions 3 and 4, window 2, keys from position 2
        let mask = attention_mask(3, 2, 2, Some(2)).unwrap().unwrap();
        let rows = mask.to_vec2::<f32>().unwrap();
        let inf = f32::NEG_INFINITY;
        assert_eq!(rows[0], vec![0.0, 0.0, inf]); // 3 sees 2 and 3
        assert_eq!(rows[1], vec![inf, 0.0, 0.0]); // 4 sees 3 and 4
    }

    #[test]
    fn single_decode_token_needs_no_mask() {
        assert!(attention_mask(7, 1, 0, None).unwrap().is_none());
    }

    #[test]
    fn every_sixth_layer_is_global() {
        let config = Gemma3Config::tiny_for_tests();
        let global: Vec<usize> = (0..18).filter(|&i| config.is_global_layer(i)).collect();
        assert_eq!(global, vec![5, 11, 17]);
    }
}
