//! Llama, Qwen 2 and Qwen 3, written out step by step. They are one network with three
//! small, named differences, so they share this file.
//!
//! Like [`super::gemma3`], the model turns token ids into one score (*logit*) per
//! vocabulary entry for the token that comes next:
//!
//! 1. **Embedding**: look up a vector for each token id (no scaling, unlike Gemma).
//! 2. **Layers**, each adding two things to the vector (the *residual stream*):
//!    - **attention** over a normalised copy (RMSNorm): every position looks back at
//!      earlier positions, its queries and keys turned by rotary position embeddings
//!      (*RoPE*) so the match depends on distance. Several query heads share one
//!      key/value head (*grouped-query attention*), which keeps the cache small.
//!    - **MLP** over another normalised copy: per position `down(silu(gate(x)) * up(x))`.
//! 3. **Final norm**: one more RMSNorm.
//! 4. **Logits**: multiply by the output matrix (or by the embedding table again when the
//!    weights are *tied*, as in small Llama 3.2 and Qwen models).
//!
//! The three differences ([`Variant`]):
//!
//! | | Llama | Qwen 2 | Qwen 3 |
//! | --- | --- | --- | --- |
//! | bias added after the q, k, v matrices | no | yes | no |
//! | RMSNorm of each query and key head | no | no | yes |
//! | RoPE turns dimensions | `2i` with `2i+1` | `i` with `i + d/2` | `i` with `i + d/2` |
//!
//! (The RoPE pairing is how llama.cpp's converter stores the weights: the same idea, but a
//! file must be run with the pairing it was written for.) Llama 3.1 and later also slow
//! down the slowest-turning RoPE pairs by stored factors (`rope_freqs.weight`).
//!
//! The numbers match llama.cpp on the same GGUF file: tests/llm_architectures.rs checks
//! tiny random-weight files of all three (made by
//! scripts/fixtures/make_architecture_fixtures.py).
//!
//! A [`Llama`] is run through [`super::network::Network`], which gives every supported
//! architecture the same `forward` methods:
//!
//! ```
//! use clinkit::llm::gguf::GgufModelFile;
//! use clinkit::llm::llama::Llama;
//! use clinkit::llm::network::Network;
//! let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/llm/tiny-qwen3.gguf");
//! let file = GgufModelFile::open(path.as_ref())?;
//! let model = Llama::load(&file)?;
//! assert!(model.config().variant.query_key_norm); // Qwen 3
//! let network = Network::Llama(model);
//! let logits = network.forward(&[100, 200, 300], &mut network.new_cache())?;
//! assert_eq!(logits.len(), 772); // one score per vocabulary entry
//! # Ok::<(), clinkit::Error>(())
//! ```

use std::sync::Arc;

use candle_core::quantized::QTensor;
use candle_core::Tensor;

use super::gguf::{Architecture, GgufModelFile};
use super::transformer::{
    attention_mask, cache_grew, cache_slot, embed, file_stem, head_to_keep, output_logits,
    output_matrix, record_layer, rms_norm, vector, Activation, Attention, CandleResult, Heads,
    KeptAttention, Layers, Matrix, Mlp, ModelShape, Rope, RopePairs, Visibility,
};
use super::transformer::{KvCache, Trace};
use crate::error::{Error, Location};
use crate::Result;

/// What sets Llama, Qwen 2 and Qwen 3 apart (see the table in the module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Variant {
    /// Which GGUF architecture this is.
    pub architecture: Architecture,
    /// A learned vector is added after the query, key and value matrices (Qwen 2).
    pub query_key_value_bias: bool,
    /// Each query head and key head goes through its own RMSNorm before RoPE (Qwen 3).
    pub query_key_norm: bool,
    /// Which dimensions RoPE turns together.
    pub rope_pairs: RopePairs,
}

impl Variant {
    /// The differences of a Llama-family architecture, or `None` for another family.
    ///
    /// ```
    /// use clinkit::llm::gguf::Architecture;
    /// use clinkit::llm::llama::Variant;
    /// let qwen2 = Variant::of(Architecture::Qwen2).unwrap();
    /// assert!(qwen2.query_key_value_bias && !qwen2.query_key_norm);
    /// assert!(Variant::of(Architecture::Gemma3).is_none());
    /// ```
    pub fn of(architecture: Architecture) -> Option<Variant> {
        let variant = |bias, norm, rope_pairs| Variant {
            architecture,
            query_key_value_bias: bias,
            query_key_norm: norm,
            rope_pairs,
        };
        match architecture {
            Architecture::Llama => Some(variant(false, false, RopePairs::Neighbours)),
            Architecture::Qwen2 => Some(variant(true, false, RopePairs::Halves)),
            Architecture::Qwen3 => Some(variant(false, true, RopePairs::Halves)),
            Architecture::Gemma3 => None,
        }
    }
}

/// The sizes and constants of a Llama-family model, read from the GGUF metadata.
#[derive(Debug, Clone, PartialEq)]
pub struct LlamaConfig {
    /// Llama, Qwen 2 or Qwen 3, and what that changes.
    pub variant: Variant,
    /// Number of tokens in the vocabulary.
    pub vocab_size: usize,
    /// Length of the vector that represents each position.
    pub hidden_size: usize,
    /// Number of layers.
    pub layers: usize,
    /// Number of query heads per attention layer.
    pub heads: usize,
    /// Number of key/value heads, each shared by `heads / kv_heads` query heads.
    pub kv_heads: usize,
    /// Length of each head's query, key and value vectors.
    pub head_dim: usize,
    /// Width of the MLP's hidden layer.
    pub ffn_size: usize,
    /// Small number added inside RMSNorm so it never divides by zero.
    pub rms_eps: f64,
    /// Queries are multiplied by this before they meet the keys (1/√head_dim).
    pub attention_scale: f64,
    /// How queries and keys are turned by position.
    pub rope: Rope,
}

impl LlamaConfig {
    /// Reads the configuration from a GGUF file's metadata (keys `llama.*`, `qwen2.*`...).
    ///
    /// Files that need something this file does not compute (mixture-of-experts layers,
    /// partial or YaRN-stretched RoPE) are refused with the metadata key that says so.
    pub fn from_gguf(file: &GgufModelFile) -> Result<LlamaConfig> {
        let architecture = file.architecture()?;
        let variant = Variant::of(architecture).ok_or_else(|| {
            Error::invalid(
                Location::file(file.path()).field("general.architecture"),
                format!("expected llama, qwen2 or qwen3, found {architecture:?}"),
            )
        })?;
        let key = |name: &str| format!("{}.{name}", architecture.key_prefix());
        let refuse = |name: &str, message: String| {
            Err(Error::invalid(
                Location::file(file.path()).field(key(name)),
                message,
            ))
        };
        let hidden_size = file.u32(&key("embedding_length"))? as usize;
        let heads = file.u32(&key("attention.head_count"))? as usize;
        let kv_heads = file.u32_or(&key("attention.head_count_kv"), heads as u32)? as usize;
        let head_dim =
            file.u32_or(&key("attention.key_length"), (hidden_size / heads) as u32)? as usize;
        if heads == 0 || kv_heads == 0 || heads % kv_heads != 0 || head_dim % 2 != 0 {
            return refuse(
                "attention.head_count_kv",
                format!("{heads} query heads cannot share {kv_heads} key/value heads of size {head_dim}"),
            );
        }
        let experts = file.u32_or(&key("expert_count"), 0)?;
        if experts > 0 {
            return refuse(
                "expert_count",
                format!("mixture-of-experts models ({experts} experts) are not supported"),
            );
        }
        let rotated = file.u32_or(&key("rope.dimension_count"), head_dim as u32)? as usize;
        if rotated != head_dim {
            return refuse(
                "rope.dimension_count",
                format!("RoPE on {rotated} of {head_dim} head dimensions is not supported"),
            );
        }
        let scaling = file.string(&key("rope.scaling.type")).ok();
        if let Some(other) = scaling.filter(|t| t != "linear" && t != "none") {
            return refuse(
                "rope.scaling.type",
                format!("RoPE scaling `{other}` is not supported (only linear)"),
            );
        }
        let factor = file.f32_or(&key("rope.scaling.factor"), 1.0)?;
        let slowdown = if file.has_tensor("rope_freqs.weight") {
            let factors = vector(file, "rope_freqs.weight")?;
            Some(factors.to_vec1::<f32>().map_err(|e| {
                Error::invalid(
                    Location::file(file.path()).field("rope_freqs.weight"),
                    e.to_string(),
                )
            })?)
        } else {
            None
        };
        if slowdown.as_ref().is_some_and(|s| s.len() != head_dim / 2) {
            return Err(Error::invalid(
                Location::file(file.path()).field("rope_freqs.weight"),
                format!("expected {} RoPE factors", head_dim / 2),
            ));
        }
        let vocab_size = file.tensor("token_embd.weight")?.shape().dims()[0];
        Ok(LlamaConfig {
            variant,
            vocab_size,
            hidden_size,
            layers: file.u32(&key("block_count"))? as usize,
            heads,
            kv_heads,
            head_dim,
            ffn_size: file.u32(&key("feed_forward_length"))? as usize,
            rms_eps: f64::from(file.f32_or(&key("attention.layer_norm_rms_epsilon"), 1e-6)?),
            attention_scale: match file.f32_or(&key("attention.scale"), 0.0)? {
                scale if scale > 0.0 => f64::from(scale),
                _ => 1.0 / (head_dim as f64).sqrt(),
            },
            rope: Rope {
                base: file.f32_or(&key("rope.freq_base"), 10_000.0)?,
                position_scale: if factor > 0.0 { factor } else { 1.0 },
                pairs: variant.rope_pairs,
                slowdown,
            },
        })
    }
}

/// The weights of one layer.
struct LayerWeights {
    attention_norm: Tensor,
    attention: Attention,
    mlp_norm: Tensor,
    mlp: Mlp,
}

/// All the weights of a model. Shared (behind an `Arc`) by every clone of the model.
struct Weights {
    embeddings: Arc<QTensor>,
    output: Matrix,
    layers: Vec<LayerWeights>,
    final_norm: Tensor,
}

/// A loaded Llama, Qwen 2 or Qwen 3 model. Cloning it is cheap: the weights are shared.
#[derive(Clone)]
pub struct Llama {
    config: LlamaConfig,
    weights: Arc<Weights>,
    name: String,
}

impl Llama {
    /// Loads the weights of a Llama, Qwen 2 or Qwen 3 GGUF file.
    pub fn load(file: &GgufModelFile) -> Result<Llama> {
        let config = LlamaConfig::from_gguf(file)?;
        let variant = config.variant;
        let embeddings = Arc::new(file.tensor("token_embd.weight")?);
        let output = output_matrix(file, &embeddings)?;
        let layers = (0..config.layers)
            .map(|index| {
                let norm = |part: &str| vector(file, &format!("blk.{index}.{part}.weight"));
                Ok(LayerWeights {
                    attention_norm: norm("attn_norm")?,
                    attention: Attention::load(
                        file,
                        index,
                        variant.query_key_value_bias,
                        variant.query_key_norm,
                    )?,
                    mlp_norm: norm("ffn_norm")?,
                    mlp: Mlp::load(file, index)?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let weights = Weights {
            embeddings,
            output,
            layers,
            final_norm: vector(file, "output_norm.weight")?,
        };
        Ok(Llama {
            name: file_stem(file, variant.architecture.key_prefix()),
            config,
            weights: Arc::new(weights),
        })
    }

    /// The model's sizes and constants.
    pub fn config(&self) -> &LlamaConfig {
        &self.config
    }

    /// The model's name (its file name without `.gguf`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// One layer: `x + attention(norm(x))`, then `x + mlp(norm(x))`.
    fn layer(
        &self,
        layer: &LayerWeights,
        residual: &Tensor,
        visibility: &Visibility,
        cache: &mut Option<(Tensor, Tensor)>,
        keep_attention: Option<usize>,
    ) -> CandleResult<(Tensor, Option<KeptAttention>)> {
        let config = &self.config;
        let heads = Heads {
            count: config.heads,
            kv_count: config.kv_heads,
            dim: config.head_dim,
            scale: config.attention_scale,
            rms_eps: config.rms_eps,
        };
        let normed = rms_norm(residual, &layer.attention_norm, config.rms_eps)?;
        let (attended, attention) =
            layer
                .attention
                .forward(&normed, &heads, visibility, cache, keep_attention)?;
        let residual = (residual + attended)?;
        let normed = rms_norm(&residual, &layer.mlp_norm, config.rms_eps)?;
        let mlp = layer.mlp.forward(&normed, Activation::Silu)?;
        Ok(((residual + mlp)?, attention))
    }
}

impl Layers for Llama {
    fn shape(&self) -> ModelShape<'_> {
        let config = &self.config;
        ModelShape::new(&self.name, config.layers, config.heads, config.vocab_size)
    }

    /// The whole forward pass: embed, run the layers (every one sees all earlier
    /// positions), normalise, score the vocabulary.
    fn run_layers(
        &self,
        tokens: &[u32],
        cache: &mut KvCache,
        all_positions: bool,
        mut trace: Option<&mut Trace>,
    ) -> CandleResult<Tensor> {
        let config = &self.config;
        let start = cache.len();
        let count = tokens.len();
        let rotation = config.rope.rotation(config.head_dim, start, count)?;
        let mask = attention_mask(start, count, 0, None)?;
        let visibility = Visibility {
            rotation: &rotation,
            mask: mask.as_ref(),
            first_visible: 0,
        };
        let mut residual = embed(&self.weights.embeddings, tokens)?;
        record_layer(&mut trace, &residual, None)?; // hidden_states[0]: the embeddings
        for (index, layer) in self.weights.layers.iter().enumerate() {
            let keep = head_to_keep(&trace, index);
            let slot = cache_slot(cache, index);
            let (next, attention) = self.layer(layer, &residual, &visibility, slot, keep)?;
            residual = next;
            record_layer(&mut trace, &residual, attention)?;
        }
        cache_grew(cache, count);
        let weights = &self.weights;
        output_logits(
            &residual,
            all_positions,
            &weights.final_norm,
            &weights.output,
            config.rms_eps,
        )
    }
}
