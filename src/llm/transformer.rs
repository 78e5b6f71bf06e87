//! The parts every transformer language model in clinkit shares: RMSNorm, rotary
//! positions, attention with grouped key/value heads, the gated MLP, the key/value cache.
//!
//! [`super::gemma3`] and [`super::llama`] (Llama, Qwen 2, Qwen 3) are built from these
//! pieces; each model file only says how *its* layers put them together. Reading one
//! model file and then this one shows the whole computation.
//!
//! ```
//! use clinkit::llm::transformer::KvCache;
//! let cache = KvCache::new(18); // one slot per layer, nothing stored yet
//! assert!(cache.is_empty());
//! ```

use std::sync::Arc;

use candle_core::quantized::{GgmlDType, QMatMul, QTensor};
use candle_core::{DType, Device, Module, Tensor};

use super::gguf::{model_error, GgufModelFile};
use crate::error::Error;
use crate::Result;

pub(crate) type CandleResult<T> = candle_core::Result<T>;

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
                    let keys = keys.narrow(2, 0, len).map_err(cache_error)?;
                    let values = values.narrow(2, 0, len).map_err(cache_error)?;
                    *entry = Some((keys, values));
                }
            }
        }
        self.len = len;
        Ok(())
    }
}

fn cache_error(e: candle_core::Error) -> Error {
    Error::Model {
        name: "kv cache".into(),
        message: e.to_string(),
    }
}

/// What a traced forward pass records, for teaching (`forward_traced` on a model).
///
/// Only `forward_traced` fills it; a plain `forward` records nothing, so generating text
/// pays nothing for this.
///
/// ```
/// let mut trace = clinkit::llm::transformer::Trace::keeping_attention(5, 0); // layer 5 (the first global layer), head 0
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
}

/// One head's attention weights kept by a traced forward pass: the position of the first
/// column, and one row per new position.
pub(crate) type KeptAttention = (usize, Vec<Vec<f32>>);

/// A model's name and the sizes the shared forward-pass code checks its input against.
pub(crate) struct ModelShape<'a> {
    /// The model's name, for error messages.
    pub name: &'a str,
    /// How many layers (and so cache slots) it has.
    pub layers: usize,
    /// How many query heads each attention layer has.
    pub heads: usize,
    /// How many tokens its vocabulary has.
    pub vocab_size: usize,
}

impl<'a> ModelShape<'a> {
    /// A model's name and sizes, in the order of the fields.
    pub fn new(name: &'a str, layers: usize, heads: usize, vocab_size: usize) -> ModelShape<'a> {
        ModelShape {
            name,
            layers,
            heads,
            vocab_size,
        }
    }
}

/// What a model file must tell the shared forward-pass code (see [`forward_last`]).
pub(crate) trait Layers {
    /// Its name and sizes.
    fn shape(&self) -> ModelShape<'_>;
    /// The model's name, for error messages.
    fn name(&self) -> &str {
        self.shape().name
    }
    /// How many layers (and so cache slots) it has.
    fn layer_count(&self) -> usize {
        self.shape().layers
    }
    /// How many query heads each attention layer has.
    fn head_count(&self) -> usize {
        self.shape().heads
    }
    /// How many tokens its vocabulary has.
    fn vocab_size(&self) -> usize {
        self.shape().vocab_size
    }
    /// Embed `tokens`, run every layer (reading and extending `cache`), and return the
    /// logits of the last position, or of every position when `all_positions`.
    fn run_layers(
        &self,
        tokens: &[u32],
        cache: &mut KvCache,
        all_positions: bool,
        trace: Option<&mut Trace>,
    ) -> CandleResult<Tensor>;
}

/// Checks the input, runs the model, and names the model in any error.
fn run_checked(
    model: &dyn Layers,
    tokens: &[u32],
    cache: &mut KvCache,
    all_positions: bool,
    trace: Option<&mut Trace>,
) -> Result<Tensor> {
    let error = |message: String| Error::Model {
        name: model.name().to_string(),
        message,
    };
    if tokens.is_empty() {
        return Err(error("forward needs at least one token".into()));
    }
    if cache.layers.len() != model.layer_count() {
        return Err(error(
            "this cache belongs to a model with a different number of layers".into(),
        ));
    }
    if let Some(&bad) = tokens.iter().find(|&&t| t as usize >= model.vocab_size()) {
        return Err(error(format!(
            "token id {bad} is outside the vocabulary of {} tokens",
            model.vocab_size()
        )));
    }
    model
        .run_layers(tokens, cache, all_positions, trace)
        .map_err(|e| error(e.to_string()))
}

/// The logits after the last of `tokens` (optionally recording a [`Trace`]).
pub(crate) fn forward_last(
    model: &dyn Layers,
    tokens: &[u32],
    cache: &mut KvCache,
    trace: Option<&mut Trace>,
) -> Result<Vec<f32>> {
    let logits = run_checked(model, tokens, cache, false, trace)?;
    let name = model.name();
    logits
        .flatten_all()
        .and_then(|t| t.to_vec1::<f32>())
        .map_err(|e| named_error(name, e))
}

/// The logits after the last of `tokens`, recording hidden states and (if `trace` names
/// one) a head's attention in `trace`, replacing what it held.
pub(crate) fn forward_traced(
    model: &dyn Layers,
    tokens: &[u32],
    cache: &mut KvCache,
    trace: &mut Trace,
) -> Result<Vec<f32>> {
    if let Some((layer, head)) = trace.attention_of {
        if layer >= model.layer_count() || head >= model.head_count() {
            return Err(Error::Model {
                name: model.name().to_string(),
                message: format!(
                    "there is no layer {layer}, head {head}: this model has layers 0..{} and heads 0..{}",
                    model.layer_count(),
                    model.head_count()
                ),
            });
        }
    }
    trace.hidden_states.clear();
    trace.attention.clear();
    trace.attention_first_position = 0;
    forward_last(model, tokens, cache, Some(trace))
}

/// The logits after every one of `tokens`, one row each.
pub(crate) fn forward_every(
    model: &dyn Layers,
    tokens: &[u32],
    cache: &mut KvCache,
) -> Result<Vec<Vec<f32>>> {
    let logits = run_checked(model, tokens, cache, true, None)?;
    logits
        .squeeze(0)
        .and_then(|t| t.to_vec2::<f32>())
        .map_err(|e| named_error(model.name(), e))
}

fn named_error(name: &str, e: candle_core::Error) -> Error {
    Error::Model {
        name: name.to_string(),
        message: e.to_string(),
    }
}

/// The cache slot of layer `index`, and the position the new tokens start at.
pub(crate) fn cache_slot(cache: &mut KvCache, index: usize) -> &mut Option<(Tensor, Tensor)> {
    &mut cache.layers[index]
}

/// Records that `count` more positions are now stored in every layer's slot.
pub(crate) fn cache_grew(cache: &mut KvCache, count: usize) {
    cache.len += count;
}

/// Which head's attention layer `index` should keep for the trace, if any.
pub(crate) fn head_to_keep(trace: &Option<&mut Trace>, index: usize) -> Option<usize> {
    trace.as_ref().and_then(|t| t.head_to_keep(index))
}

/// Teaching views only (a plain `forward` passes no trace and skips this): copies the
/// residual stream `(1, positions, hidden_size)` into the trace, and the kept attention
/// weights if this layer had the chosen head.
pub(crate) fn record_layer(
    trace: &mut Option<&mut Trace>,
    residual: &Tensor,
    kept: Option<KeptAttention>,
) -> CandleResult<()> {
    if let Some(trace) = trace.as_deref_mut() {
        trace
            .hidden_states
            .push(residual.squeeze(0)?.to_vec2::<f32>()?);
        if let Some((first_position, weights)) = kept {
            trace.attention_first_position = first_position;
            trace.attention = weights;
        }
    }
    Ok(())
}

/// The last steps of every model: keep the last position (unless all are wanted),
/// normalise it, and score every vocabulary entry with the output matrix.
pub(crate) fn output_logits(
    residual: &Tensor,
    all_positions: bool,
    final_norm: &Tensor,
    output: &Matrix,
    eps: f64,
) -> CandleResult<Tensor> {
    let count = residual.dim(1)?;
    let last = if all_positions {
        residual.clone()
    } else {
        residual.narrow(1, count - 1, 1)?
    };
    let normed = rms_norm(&last, final_norm, eps)?;
    output.forward(&normed)
}

/// One vector per token: row `id` of the embedding table, for each token id.
pub(crate) fn embed(table: &QTensor, tokens: &[u32]) -> CandleResult<Tensor> {
    let ids = Tensor::new(tokens, &Device::Cpu)?.unsqueeze(0)?;
    table.embedding(&ids)
}

/// RMSNorm: divide a vector by its root-mean-square, then multiply by a learned weight.
pub(crate) fn rms_norm(x: &Tensor, weight: &Tensor, eps: f64) -> CandleResult<Tensor> {
    candle_nn::ops::rms_norm(&x.contiguous()?, weight, eps as f32)
}

/// `(batch, count, heads * head_dim)` to `(batch, heads, count, head_dim)`.
fn split_heads(x: &Tensor, heads: usize, head_dim: usize) -> CandleResult<Tensor> {
    let (batch, count, _) = x.dims3()?;
    x.reshape((batch, count, heads, head_dim))?
        .transpose(1, 2)?
        .contiguous()
}

/// Which dimensions of a head turn together as one pair in rotary position embeddings.
/// Both are the same idea; a model is trained with one and must be run with that one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RopePairs {
    /// Dimension `i` with `i + head_dim/2` (Gemma, Qwen; llama.cpp's "NEOX" style).
    Halves,
    /// Dimension `2i` with `2i + 1` (Llama; llama.cpp's "normal" style).
    Neighbours,
}

/// How a model turns its queries and keys by position (rotary position embeddings, RoPE).
#[derive(Debug, Clone, PartialEq)]
pub struct Rope {
    /// Pair `i` turns by `position / base^(2i / head_dim)` radians.
    pub base: f32,
    /// Positions are divided by this first (1 = no scaling; "linear" context stretching).
    pub position_scale: f32,
    /// Which dimensions turn together.
    pub pairs: RopePairs,
    /// Per-pair divisors (Llama 3.1+ `rope_freqs.weight`): larger turns that pair slower.
    pub slowdown: Option<Vec<f32>>,
}

impl Rope {
    /// The rotation angles for positions `start..start + count`.
    pub(crate) fn rotation(
        &self,
        head_dim: usize,
        start: usize,
        count: usize,
    ) -> CandleResult<Rotation> {
        let half = head_dim / 2;
        let frequencies: Vec<f32> = (0..half)
            .map(|i| {
                let slowdown = self.slowdown.as_ref().map_or(1.0, |s| s[i]);
                1.0 / self.base.powf(2.0 * i as f32 / head_dim as f32) / slowdown
            })
            .collect();
        let mut angles = Vec::with_capacity(count * half);
        for position in start..start + count {
            let position = position as f32 / self.position_scale;
            angles.extend(frequencies.iter().map(|f| position * f));
        }
        let angles = Tensor::from_vec(angles, (count, half), &Device::Cpu)?;
        Ok(Rotation {
            cos: angles.cos()?,
            sin: angles.sin()?,
            pairs: self.pairs,
        })
    }
}

/// The rotation angles of rotary position embeddings for a run of positions.
pub(crate) struct Rotation {
    cos: Tensor,
    sin: Tensor,
    pairs: RopePairs,
}

impl Rotation {
    /// Turns each head's vector, pair by pair, by its position's angles.
    fn apply(&self, x: &Tensor) -> CandleResult<Tensor> {
        match self.pairs {
            RopePairs::Halves => candle_nn::rotary_emb::rope(x, &self.cos, &self.sin),
            RopePairs::Neighbours => candle_nn::rotary_emb::rope_i(x, &self.cos, &self.sin),
        }
    }
}

/// The mask added to attention scores: 0 where query position `q` may see key position `k`
/// (`k <= q`, and within `window` when given: `q - k < window`), `-inf` elsewhere.
/// Keys start at position `first_key`; queries are `start..start + count`.
/// `None` when nothing needs masking.
pub(crate) fn attention_mask(
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

/// The sizes of one attention layer's heads.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Heads {
    /// Query heads.
    pub count: usize,
    /// Key/value heads, each shared by `count / kv_count` query heads.
    pub kv_count: usize,
    /// Length of each head's vectors.
    pub dim: usize,
    /// Queries are multiplied by this before they meet the keys (usually 1/√dim).
    pub scale: f64,
    /// RMSNorm's epsilon, for the per-head query/key norms.
    pub rms_eps: f64,
}

/// Which earlier positions the new positions may look at, in one layer.
pub(crate) struct Visibility<'a> {
    /// How queries and keys are turned by position.
    pub rotation: &'a Rotation,
    /// Added to the scores: `-inf` where a position may not look.
    pub mask: Option<&'a Tensor>,
    /// Cached positions before this one are never visible (a sliding window's far past).
    pub first_visible: usize,
}

/// A weight matrix in its stored number format, ready to multiply.
///
/// Like llama.cpp, a product with 16-bit float weights first rounds its input to 16-bit
/// floats too (quantized weights instead round the input to 8-bit blocks, inside candle).
/// 8-bit (Q8_0) weights use clinkit's own product ([`super::q8`]) in optimised builds on
/// processors with AVX2: the same numbers as candle's, faster (see build.rs).
pub(crate) struct Matrix {
    weights: Arc<QTensor>,
    product: QMatMul,
    rounds_input_to_f16: bool,
    /// Set where clinkit's own product ([`super::q8`]) multiplies these weights.
    own_product: Option<super::q8::WeightFormat>,
}

impl Matrix {
    fn new(weights: Arc<QTensor>, path: &std::path::Path) -> Result<Matrix> {
        let rounds_input_to_f16 = weights.dtype() == GgmlDType::F16;
        let own_product = own_product_format(weights.dtype());
        let product = QMatMul::from_arc(weights.clone()).map_err(model_error(path))?;
        Ok(Matrix {
            weights,
            product,
            rounds_input_to_f16,
            own_product,
        })
    }

    /// `x` times the transposed weights: one output number per row of the weights.
    pub fn forward(&self, x: &Tensor) -> CandleResult<Tensor> {
        if let Some(format) = self.own_product {
            self.forward_q8(x, format)
        } else if self.rounds_input_to_f16 {
            let rounded = x.to_dtype(DType::F16)?.to_dtype(DType::F32)?;
            self.product.forward(&rounded)
        } else {
            self.product.forward(x)
        }
    }

    /// The product of [`super::q8`] on a tensor `(.., positions, inputs)`.
    fn forward_q8(&self, x: &Tensor, format: super::q8::WeightFormat) -> CandleResult<Tensor> {
        let mut results = Matrix::forward_q8_together(&[(self, format)], x)?;
        Ok(results.remove(0))
    }

    /// Several matrices times the same `x` (a layer's q, k and v; its gate and up): one job
    /// for the threads when clinkit's own product takes all of them ([`super::q8::products`]).
    pub fn forward_together(matrices: &[&Matrix], x: &Tensor) -> CandleResult<Vec<Tensor>> {
        let own: Option<Vec<_>> = matrices
            .iter()
            .map(|m| m.own_product.map(|format| (*m, format)))
            .collect();
        match own {
            Some(own) => Matrix::forward_q8_together(&own, x),
            None => matrices.iter().map(|m| m.forward(x)).collect(),
        }
    }

    fn forward_q8_together(
        matrices: &[(&Matrix, super::q8::WeightFormat)],
        x: &Tensor,
    ) -> CandleResult<Vec<Tensor>> {
        let dims = x.dims();
        let width = dims[dims.len() - 1];
        let values = x.flatten_all()?.to_vec1::<f32>()?;
        let input = super::q8::QuantizedRows::new(&values, width);
        let stored: Vec<_> = matrices
            .iter()
            .map(|(m, _)| m.weights.data())
            .collect::<CandleResult<_>>()?;
        let weights: Vec<super::q8::Weights> = matrices
            .iter()
            .zip(&stored)
            .map(|((m, format), bytes)| super::q8::Weights {
                format: *format,
                bytes,
                outputs: m.weights.shape().dims()[0],
            })
            .collect();
        let results = super::q8::products(&weights, &input);
        results
            .into_iter()
            .zip(&weights)
            .map(|(numbers, w)| {
                let mut out_dims = dims.to_vec();
                *out_dims.last_mut().unwrap_or(&mut 0) = w.outputs;
                Tensor::from_vec(numbers, out_dims, &Device::Cpu)
            })
            .collect()
    }
}

/// Which weights clinkit's own product multiplies: 8- and 5-bit blocks, in optimised builds
/// on processors with AVX2 (see build.rs); `None` leaves the product to candle.
pub(crate) fn own_product_format(dtype: GgmlDType) -> Option<super::q8::WeightFormat> {
    use super::q8::WeightFormat;
    if !cfg!(clinkit_optimised) || !super::q8::fast_product_available() {
        return None;
    }
    match dtype {
        GgmlDType::Q8_0 => Some(WeightFormat::Q8_0),
        GgmlDType::Q5_0 => Some(WeightFormat::Q5_0),
        _ => None,
    }
}

/// A matrix, and a vector added after it when the model has one (Qwen 2's q, k, v).
pub(crate) struct Projection {
    pub matrix: Matrix,
    pub bias: Option<Tensor>,
}

impl Projection {
    /// `x` through the matrix, plus the bias (if any).
    fn add_bias(&self, y: Tensor) -> CandleResult<Tensor> {
        match &self.bias {
            Some(bias) => y.broadcast_add(bias),
            None => Ok(y),
        }
    }

    /// Several projections of the same `x` (see [`Matrix::forward_together`]).
    fn forward_together(projections: &[&Projection], x: &Tensor) -> CandleResult<Vec<Tensor>> {
        let matrices: Vec<&Matrix> = projections.iter().map(|p| &p.matrix).collect();
        let products = Matrix::forward_together(&matrices, x)?;
        projections
            .iter()
            .zip(products)
            .map(|(p, y)| p.add_bias(y))
            .collect()
    }
}

/// The weights of one attention layer.
pub(crate) struct Attention {
    pub query: Projection,
    pub key: Projection,
    pub value: Projection,
    /// RMSNorm of every query head (Gemma 3, Qwen 3), before the rotation.
    pub query_norm: Option<Tensor>,
    /// RMSNorm of every key head (Gemma 3, Qwen 3), before the rotation.
    pub key_norm: Option<Tensor>,
    pub output: Matrix,
}

impl Attention {
    /// Loads `blk.{index}.attn_*`: q, k, v (with their biases when the file has them or
    /// `biases_required`), the per-head norms when `head_norms`, and the output matrix.
    pub fn load(
        file: &GgufModelFile,
        index: usize,
        biases_required: bool,
        head_norms: bool,
    ) -> Result<Attention> {
        let name = |part: &str, kind: &str| format!("blk.{index}.{part}.{kind}");
        let projection = |part: &str| -> Result<Projection> {
            let bias_name = name(part, "bias");
            let bias = if biases_required || file.has_tensor(&bias_name) {
                Some(vector(file, &bias_name)?)
            } else {
                None
            };
            Ok(Projection {
                matrix: quantized_matrix(file, &name(part, "weight"))?,
                bias,
            })
        };
        let norm = |part: &str| -> Result<Option<Tensor>> {
            match head_norms {
                true => vector(file, &name(part, "weight")).map(Some),
                false => Ok(None),
            }
        };
        Ok(Attention {
            query: projection("attn_q")?,
            key: projection("attn_k")?,
            value: projection("attn_v")?,
            query_norm: norm("attn_q_norm")?,
            key_norm: norm("attn_k_norm")?,
            output: quantized_matrix(file, &name("attn_output", "weight"))?,
        })
    }

    /// Attention: queries of the new positions meet keys of all visible positions; the
    /// softmax of those scores says how much of each position's value to copy.
    /// Returns the result, and head `keep_attention`'s weights when asked.
    pub fn forward(
        &self,
        x: &Tensor,
        heads: &Heads,
        visibility: &Visibility,
        cache: &mut Option<(Tensor, Tensor)>,
        keep_attention: Option<usize>,
    ) -> CandleResult<(Tensor, Option<KeptAttention>)> {
        let (batch, count, _) = x.dims3()?;
        let rotation = visibility.rotation;
        let projected = Projection::forward_together(&[&self.query, &self.key, &self.value], x)?;
        let [queries, keys, values]: [Tensor; 3] = projected
            .try_into()
            .map_err(|_| candle_core::Error::Msg("three projections expected".into()))?;
        let queries = turned_heads(queries, &self.query_norm, heads.count, heads, rotation)?;
        let keys = turned_heads(keys, &self.key_norm, heads.kv_count, heads, rotation)?;
        let values = split_heads(&values, heads.kv_count, heads.dim)?;

        // Remember this text's keys and values for the tokens that come after.
        let (keys, values) = match cache.take() {
            Some((old_keys, old_values)) => (
                Tensor::cat(&[&old_keys, &keys], 2)?,
                Tensor::cat(&[&old_values, &values], 2)?,
            ),
            None => (keys, values),
        };
        *cache = Some((keys.clone(), values.clone()));

        // Positions that can never be seen (outside a sliding window) are skipped entirely.
        let first = visibility.first_visible;
        let visible = keys.dim(2)? - first;
        let keys = keys.narrow(2, first, visible)?;
        let values = values.narrow(2, first, visible)?;

        // Grouped heads: the query heads that share one key/value head are stacked as rows,
        // so one matrix product serves the whole group without copying the keys.
        let group = heads.count / heads.kv_count;
        let queries =
            (queries * heads.scale)?.reshape((batch, heads.kv_count, group * count, heads.dim))?;
        let scores = queries.matmul(&keys.t()?)?;
        let scores = scores.reshape((batch, heads.count, count, visible))?;
        let scores = match visibility.mask {
            Some(mask) => scores.broadcast_add(mask)?,
            None => scores,
        };
        let weights = candle_nn::ops::softmax_last_dim(&scores)?;
        let kept = match keep_attention {
            Some(head) => Some((first, weights.get(0)?.get(head)?.to_vec2::<f32>()?)),
            None => None,
        };
        let weights = weights.reshape((batch, heads.kv_count, group * count, visible))?;
        let mixed = weights.matmul(&values)?;
        let mixed = mixed
            .reshape((batch, heads.count, count, heads.dim))?
            .transpose(1, 2)?
            .reshape((batch, count, heads.count * heads.dim))?;
        Ok((self.output.forward(&mixed)?, kept))
    }
}

/// Splits a projection into `head_count` heads, normalises each head if the model does, and
/// turns it by position.
fn turned_heads(
    projected: Tensor,
    norm: &Option<Tensor>,
    head_count: usize,
    heads: &Heads,
    rotation: &Rotation,
) -> CandleResult<Tensor> {
    let split = split_heads(&projected, head_count, heads.dim)?;
    let normed = match norm {
        Some(weight) => rms_norm(&split, weight, heads.rms_eps)?,
        None => split,
    };
    rotation.apply(&normed)
}

pub use super::activation::Activation;

/// The gated feed-forward block: `down(activation(gate(x)) * up(x))`.
pub(crate) struct Mlp {
    pub gate: Matrix,
    pub up: Matrix,
    pub down: Matrix,
}

impl Mlp {
    /// Loads `blk.{index}.ffn_gate`, `ffn_up` and `ffn_down`.
    pub fn load(file: &GgufModelFile, index: usize) -> Result<Mlp> {
        let name = |part: &str| format!("blk.{index}.{part}.weight");
        Ok(Mlp {
            gate: quantized_matrix(file, &name("ffn_gate"))?,
            up: quantized_matrix(file, &name("ffn_up"))?,
            down: quantized_matrix(file, &name("ffn_down"))?,
        })
    }

    /// Per position: `down(activation(gate(x)) * up(x))`.
    pub fn forward(&self, x: &Tensor, activation: Activation) -> CandleResult<Tensor> {
        let mut gate_and_up = Matrix::forward_together(&[&self.gate, &self.up], x)?;
        let up = gate_and_up.pop();
        let gate = gate_and_up.pop();
        let (Some(gate), Some(up)) = (gate, up) else {
            return Err(candle_core::Error::Msg("two products expected".into()));
        };
        let mixed = super::activation::gated(
            activation,
            &gate.flatten_all()?.to_vec1::<f32>()?,
            &up.flatten_all()?.to_vec1::<f32>()?,
        );
        self.down
            .forward(&Tensor::from_vec(mixed, up.shape(), &Device::Cpu)?)
    }
}

/// The weight matrix `name`, ready to multiply.
pub(crate) fn quantized_matrix(file: &GgufModelFile, name: &str) -> Result<Matrix> {
    Matrix::new(Arc::new(file.tensor(name)?), file.path())
}

/// The output matrix: `output.weight`, or the embedding table when the file has none
/// (the weights are *tied*: the same table reads tokens in and scores them out).
pub(crate) fn output_matrix(file: &GgufModelFile, embeddings: &Arc<QTensor>) -> Result<Matrix> {
    if file.has_tensor("output.weight") {
        quantized_matrix(file, "output.weight")
    } else {
        Matrix::new(embeddings.clone(), file.path())
    }
}

/// A small weight (a norm's scales, a bias) as plain 32-bit numbers.
pub(crate) fn vector(file: &GgufModelFile, name: &str) -> Result<Tensor> {
    file.tensor(name)?
        .dequantize(&Device::Cpu)
        .and_then(|t| t.to_dtype(DType::F32))
        .map_err(model_error(file.path()))
}

/// The model's name: its file name without `.gguf`, or `fallback`.
pub(crate) fn file_stem(file: &GgufModelFile, fallback: &str) -> String {
    file.path()
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| fallback.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// clinkit's own 8-bit product (used in optimised builds) gives candle's numbers, bit for
    /// bit, for a prompt (several positions) and for one token.
    #[test]
    fn own_q8_product_equals_candles() {
        let (inputs, outputs) = (96, 21);
        let numbers = |count: usize, seed: usize| -> Vec<f32> {
            (0..count)
                .map(|i| ((i * 7919 + seed) % 2001) as f32 / 1000.0 - 1.0)
                .collect()
        };
        let weights = Tensor::from_vec(
            numbers(inputs * outputs, 7),
            (outputs, inputs),
            &Device::Cpu,
        );
        let packed = QTensor::quantize(&weights.unwrap(), GgmlDType::Q8_0).unwrap();
        let matrix = Matrix::new(Arc::new(packed), "test.gguf".as_ref()).unwrap();
        for positions in [1, 5] {
            let x = Tensor::from_vec(
                numbers(positions * inputs, 3),
                (1, positions, inputs),
                &Device::Cpu,
            );
            let x = x.unwrap();
            let candle = matrix.product.forward(&x).unwrap();
            let ours = matrix
                .forward_q8(&x, super::super::q8::WeightFormat::Q8_0)
                .unwrap();
            assert_eq!(ours.dims(), &[1, positions, outputs]);
            let bits = |t: &Tensor| -> Vec<u32> {
                let values = t.flatten_all().unwrap().to_vec1::<f32>().unwrap();
                values.iter().map(|v| v.to_bits()).collect()
            };
            assert_eq!(bits(&ours), bits(&candle), "{positions} positions");
        }
    }

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

    /// Position 1 turns pair 0 by 1 radian in both styles; they differ in which numbers pair.
    #[test]
    fn rope_pairs_halves_or_neighbours() {
        let x = Tensor::new(&[[[[1f32, 0.0, 0.0, 0.0]]]], &Device::Cpu).unwrap();
        let turn = |pairs| {
            let rope = Rope {
                base: 10_000.0,
                position_scale: 1.0,
                pairs,
                slowdown: None,
            };
            let rotation = rope.rotation(4, 1, 1).unwrap();
            let y = rotation.apply(&x).unwrap().flatten_all().unwrap();
            y.to_vec1::<f32>().unwrap()
        };
        let (c, s) = (1f32.cos(), 1f32.sin());
        let halves = turn(RopePairs::Halves); // pairs (0, 2) and (1, 3)
        let neighbours = turn(RopePairs::Neighbours); // pairs (0, 1) and (2, 3)
        for (got, want) in halves.iter().zip([c, 0.0, s, 0.0]) {
            assert!((got - want).abs() < 1e-6, "{halves:?}");
        }
        for (got, want) in neighbours.iter().zip([c, s, 0.0, 0.0]) {
            assert!((got - want).abs() < 1e-6, "{neighbours:?}");
        }
    }

    #[test]
    fn slowdown_divides_a_pairs_angle() {
        let rope = Rope {
            base: 10_000.0,
            position_scale: 1.0,
            pairs: RopePairs::Halves,
            slowdown: Some(vec![4.0, 1.0]),
        };
        let rotation = rope.rotation(4, 2, 1).unwrap();
        let cos = rotation
            .cos
            .flatten_all()
            .unwrap()
            .to_vec1::<f32>()
            .unwrap();
        assert!((cos[0] - 0.5f32.cos()).abs() < 1e-6); // 2 radians / 4
        assert!((cos[1] - (2.0f32 / 100.0).cos()).abs() < 1e-6); // 2 / 10000^(2/4)
    }
}
