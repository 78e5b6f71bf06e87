//! Sentence embeddings with a BERT encoder, written out step by step on candle tensors.
//!
//! A sentence embedding is a list of numbers (384 for all-MiniLM-L6-v2) that places a
//! sentence in a space where sentences with a similar *meaning* lie close together, even
//! when they share no words ("LVEF 35%" and "verminderde pompfunctie").
//!
//! How the encoder gets there, in the order of [`BertEncoder::forward`]:
//!
//! 1. **Embeddings**: each token number picks a row of a table of learned vectors; a
//!    second table adds the token's position; the sum is layer-normalised.
//! 2. **Six transformer layers**, each:
//!    - *self-attention*: every token looks at every other (real, not padding) token and
//!      takes a weighted mix of their vectors, in 12 heads at once;
//!    - a small two-layer network (MLP) with the GELU activation, applied to every token.
//!
//!    Both add their result to their input (a *residual*) and layer-normalise.
//! 3. **Mean pooling**: the average of the token vectors, padding left out.
//! 4. **L2 normalisation**: scale to length 1, so a dot product is the cosine similarity.
//!
//! ```no_run
//! use clinkit::embed::bert::SentenceEncoder;
//! let encoder = SentenceEncoder::for_model("all-minilm-l6-v2").unwrap();
//! let vectors = encoder.embed(&["Geen pijn op de borst.", "No chest pain."]).unwrap();
//! let similarity: f32 = vectors[0].iter().zip(&vectors[1]).map(|(a, b)| a * b).sum();
//! println!("cosine similarity {similarity:.3}");
//! ```

use std::path::{Path, PathBuf};

use candle_core::{DType, Device, Module, Tensor, D};
use candle_nn::{Embedding, LayerNorm, Linear, VarBuilder};
use serde::Deserialize;

use crate::error::{Error, Location, Result};

/// The numbers in a BERT `config.json` that shape the network.
#[derive(Debug, Clone, Deserialize)]
pub struct BertConfig {
    /// How many different tokens the model knows.
    pub vocab_size: usize,
    /// The length of each token's vector (384 for MiniLM).
    pub hidden_size: usize,
    /// How many transformer layers are stacked (6 for MiniLM-L6).
    pub num_hidden_layers: usize,
    /// How many attention heads share the vector (12: 32 numbers each).
    pub num_attention_heads: usize,
    /// The width of the MLP inside each layer (1536).
    pub intermediate_size: usize,
    /// The longest input the position table covers (512 tokens).
    pub max_position_embeddings: usize,
    /// How many segment types (sentence A / B) the model knows.
    #[serde(default = "default_type_vocab_size")]
    pub type_vocab_size: usize,
    /// The small number added inside layer normalisation to avoid dividing by zero.
    #[serde(default = "default_layer_norm_eps")]
    pub layer_norm_eps: f64,
    /// The activation of the MLP; this encoder implements `gelu` (the exact, erf form).
    #[serde(default = "default_hidden_act")]
    pub hidden_act: String,
}

fn default_type_vocab_size() -> usize {
    2
}
fn default_layer_norm_eps() -> f64 {
    1e-12
}
fn default_hidden_act() -> String {
    "gelu".to_string()
}

/// Turns a candle error into a clinkit error that names the model folder.
fn model_error(dir: &Path, error: impl std::fmt::Display) -> Error {
    Error::Model {
        name: dir.display().to_string(),
        message: error.to_string(),
    }
}

/// One transformer layer's weights. Query, key and value are one fused matrix, so the
/// three projections are a single matrix multiplication.
struct Layer {
    query_key_value: Linear,
    attention_output: Linear,
    attention_norm: LayerNorm,
    intermediate: Linear,
    output: Linear,
    output_norm: LayerNorm,
}

/// The BERT encoder itself: tokens in, one vector per token out.
pub struct BertEncoder {
    word_embeddings: Embedding,
    position_embeddings: Tensor,
    token_type_embedding: Tensor,
    embedding_norm: LayerNorm,
    layers: Vec<Layer>,
    heads: usize,
    head_size: usize,
    config: BertConfig,
}

fn layer_norm(size: usize, eps: f64, vb: VarBuilder) -> candle_core::Result<LayerNorm> {
    let weight = vb.get(size, "weight")?;
    let bias = vb.get(size, "bias")?;
    Ok(LayerNorm::new(weight, bias, eps))
}

fn linear(input: usize, output: usize, vb: VarBuilder) -> candle_core::Result<Linear> {
    let weight = vb.get((output, input), "weight")?;
    let bias = vb.get(output, "bias")?;
    Ok(Linear::new(weight, Some(bias)))
}

impl Layer {
    fn load(config: &BertConfig, vb: VarBuilder) -> candle_core::Result<Layer> {
        let hidden = config.hidden_size;
        let attention = vb.pp("attention");
        let projection = |name: &str| linear(hidden, hidden, attention.pp("self").pp(name));
        let (query, key, value) = (
            projection("query")?,
            projection("key")?,
            projection("value")?,
        );
        let weight = Tensor::cat(&[query.weight(), key.weight(), value.weight()], 0)?;
        let bias = Tensor::cat(
            &[
                query.bias().expect("loaded with bias"),
                key.bias().expect("loaded with bias"),
                value.bias().expect("loaded with bias"),
            ],
            0,
        )?;
        Ok(Layer {
            query_key_value: Linear::new(weight, Some(bias)),
            attention_output: linear(hidden, hidden, attention.pp("output").pp("dense"))?,
            attention_norm: layer_norm(
                hidden,
                config.layer_norm_eps,
                attention.pp("output").pp("LayerNorm"),
            )?,
            intermediate: linear(
                hidden,
                config.intermediate_size,
                vb.pp("intermediate").pp("dense"),
            )?,
            output: linear(
                config.intermediate_size,
                hidden,
                vb.pp("output").pp("dense"),
            )?,
            output_norm: layer_norm(
                hidden,
                config.layer_norm_eps,
                vb.pp("output").pp("LayerNorm"),
            )?,
        })
    }
}

impl BertEncoder {
    /// Loads the weights from a `VarBuilder` (for example a memory-mapped
    /// `model.safetensors`). Weight names with or without a leading `bert.` both work.
    pub fn load(vb: VarBuilder, config: &BertConfig) -> candle_core::Result<BertEncoder> {
        if config.hidden_act != "gelu" {
            candle_core::bail!(
                "activation `{}` is not supported (only `gelu`)",
                config.hidden_act
            );
        }
        if config.hidden_size % config.num_attention_heads != 0 {
            candle_core::bail!("hidden_size is not a multiple of num_attention_heads");
        }
        let vb = if vb.contains_tensor("bert.embeddings.word_embeddings.weight") {
            vb.pp("bert")
        } else {
            vb
        };
        let hidden = config.hidden_size;
        let embeddings = vb.pp("embeddings");
        let word_embeddings = Embedding::new(
            embeddings.get((config.vocab_size, hidden), "word_embeddings.weight")?,
            hidden,
        );
        let position_embeddings = embeddings.get(
            (config.max_position_embeddings, hidden),
            "position_embeddings.weight",
        )?;
        // Sentence embeddings always use segment 0: keep just that row.
        let token_type_embedding = embeddings
            .get(
                (config.type_vocab_size, hidden),
                "token_type_embeddings.weight",
            )?
            .get(0)?;
        let embedding_norm = layer_norm(hidden, config.layer_norm_eps, embeddings.pp("LayerNorm"))?;
        let layers = (0..config.num_hidden_layers)
            .map(|i| Layer::load(config, vb.pp(format!("encoder.layer.{i}"))))
            .collect::<candle_core::Result<Vec<_>>>()?;
        Ok(BertEncoder {
            word_embeddings,
            position_embeddings,
            token_type_embedding,
            embedding_norm,
            layers,
            heads: config.num_attention_heads,
            head_size: hidden / config.num_attention_heads,
            config: config.clone(),
        })
    }

    /// The configuration the encoder was built with.
    pub fn config(&self) -> &BertConfig {
        &self.config
    }

    /// Runs the encoder on a batch of token numbers `ids` (batch x length, `u32`) with an
    /// attention mask (batch x length, `f32`: 1 for a real token, 0 for padding). Returns a
    /// vector per token (batch x length x hidden).
    pub fn forward(&self, ids: &Tensor, mask: &Tensor) -> candle_core::Result<Tensor> {
        let (_, length) = ids.dims2()?;
        // 1. Embeddings: word + position + segment 0, then layer norm.
        let words = self.word_embeddings.forward(ids)?;
        let positions = self.position_embeddings.narrow(0, 0, length)?;
        let embedded = words
            .broadcast_add(&positions)?
            .broadcast_add(&self.token_type_embedding)?;
        let mut hidden = self.embedding_norm.forward(&embedded)?;
        // The attention mask, computed once per batch: 0 where a token may be looked at,
        // a very negative number at padding, so softmax gives padding weight 0.
        let attention_bias = attention_bias(mask)?;
        // 2. The transformer layers.
        for layer in &self.layers {
            hidden = self.layer_forward(layer, &hidden, &attention_bias)?;
        }
        Ok(hidden)
    }

    fn layer_forward(
        &self,
        layer: &Layer,
        hidden: &Tensor,
        attention_bias: &Tensor,
    ) -> candle_core::Result<Tensor> {
        let attended = self.self_attention(layer, hidden, attention_bias)?;
        let attended = layer.attention_output.forward(&attended)?;
        let hidden = layer.attention_norm.forward(&(attended + hidden)?)?;
        let expanded = layer.intermediate.forward(&hidden)?.gelu_erf()?;
        let output = layer.output.forward(&expanded)?;
        layer.output_norm.forward(&(output + hidden)?)
    }

    /// Scaled dot-product attention in `heads` heads: each token's query is compared with
    /// every token's key; softmax turns the scores into weights; the weights mix the values.
    fn self_attention(
        &self,
        layer: &Layer,
        hidden: &Tensor,
        attention_bias: &Tensor,
    ) -> candle_core::Result<Tensor> {
        let (batch, length, width) = hidden.dims3()?;
        let qkv = layer.query_key_value.forward(hidden)?;
        // batch x length x (3 * heads * head_size) -> 3 x batch x heads x length x head_size
        let qkv = qkv
            .reshape((batch, length, 3, self.heads, self.head_size))?
            .permute((2, 0, 3, 1, 4))?
            .contiguous()?;
        let query = qkv.get(0)?;
        let key = qkv.get(1)?;
        let value = qkv.get(2)?;
        let scale = 1.0 / (self.head_size as f64).sqrt();
        let scores = (query.matmul(&key.t()?)? * scale)?.broadcast_add(attention_bias)?;
        let weights = candle_nn::ops::softmax_last_dim(&scores)?;
        let mixed = weights.matmul(&value)?; // batch x heads x length x head_size
        mixed.transpose(1, 2)?.reshape((batch, length, width))
    }
}

/// From a 0/1 mask (batch x length) to an additive bias (batch x 1 x 1 x length):
/// 0 for real tokens and the smallest f32 for padding, as in the reference implementation.
fn attention_bias(mask: &Tensor) -> candle_core::Result<Tensor> {
    let (batch, length) = mask.dims2()?;
    let padding = (1.0 - mask)?;
    (padding * f32::MIN as f64)?.reshape((batch, 1, 1, length))
}

/// Mean pooling: the average of the token vectors of each sentence, padding left out.
///
/// `hidden` is batch x length x width, `mask` batch x length with 1 for real tokens.
pub fn mean_pool(hidden: &Tensor, mask: &Tensor) -> candle_core::Result<Tensor> {
    let mask3 = mask.unsqueeze(2)?;
    let summed = hidden.broadcast_mul(&mask3)?.sum(1)?;
    let counts = mask.sum_keepdim(1)?.clamp(1e-9, f64::MAX)?;
    summed.broadcast_div(&counts)
}

/// Scales each row to length 1 (as sentence-transformers' `Normalize` module does).
pub fn l2_normalize(vectors: &Tensor) -> candle_core::Result<Tensor> {
    let length = vectors
        .sqr()?
        .sum_keepdim(D::Minus1)?
        .sqrt()?
        .clamp(1e-12, f64::MAX)?;
    vectors.broadcast_div(&length)
}

/// How sentence-transformers turns token vectors into one sentence vector (`1_Pooling/config.json`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pooling {
    /// The average of the token vectors (all-MiniLM-L6-v2).
    Mean,
    /// The vector of the first token, `[CLS]`.
    Cls,
}

#[derive(Deserialize)]
struct PoolingConfig {
    #[serde(default)]
    pooling_mode_cls_token: bool,
    #[serde(default)]
    pooling_mode_mean_tokens: bool,
    #[serde(default)]
    pooling_mode_max_tokens: bool,
    #[serde(default)]
    pooling_mode_mean_sqrt_len_tokens: bool,
}

#[derive(Deserialize)]
struct ModuleEntry {
    path: String,
    #[serde(rename = "type")]
    kind: String,
}

#[derive(Deserialize)]
struct SentenceBertConfig {
    max_seq_length: Option<usize>,
}

/// A sentence-transformers model: tokenizer, BERT encoder, pooling and normalisation,
/// loaded from a folder with `model.safetensors`, `config.json`, `tokenizer.json` and
/// optionally `modules.json`, `1_Pooling/config.json`, `sentence_bert_config.json`.
pub struct SentenceEncoder {
    tokenizer: tokenizers::Tokenizer,
    encoder: BertEncoder,
    pooling: Pooling,
    normalize: bool,
    max_tokens: usize,
    batch_size: usize,
    device: Device,
    dir: PathBuf,
}

impl std::fmt::Debug for SentenceEncoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SentenceEncoder")
            .field("dir", &self.dir)
            .field("pooling", &self.pooling)
            .field("normalize", &self.normalize)
            .field("max_tokens", &self.max_tokens)
            .field("batch_size", &self.batch_size)
            .finish()
    }
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    serde_json::from_str(&text).map_err(|e| {
        Error::invalid(
            Location::file(path).line(e.line()),
            format!("cannot read this JSON: {e}"),
        )
    })
}

/// Sets how many CPU threads the matrix multiplications use. Call it before the first
/// embedding: candle builds its thread pool once. (It sets `RAYON_NUM_THREADS` and
/// `CANDLE_NUM_THREADS`, which candle reads.)
pub fn set_threads(threads: usize) {
    let threads = threads.max(1).to_string();
    std::env::set_var("RAYON_NUM_THREADS", &threads);
    std::env::set_var("CANDLE_NUM_THREADS", &threads);
}

impl SentenceEncoder {
    /// Loads a packaged model by name (see `clinkit models list`), such as `all-minilm-l6-v2`.
    pub fn for_model(name: &str) -> Result<SentenceEncoder> {
        SentenceEncoder::from_dir(&crate::models::ready_dir(name)?)
    }

    /// Loads `name_or_folder`: a sentence-transformers folder if there is one at that path,
    /// else a packaged model of that name.
    ///
    /// ```no_run
    /// use clinkit::embed::bert::SentenceEncoder;
    /// let packaged = SentenceEncoder::open("all-minilm-l6-v2").unwrap();
    /// let own = SentenceEncoder::open("/data/models/my-minilm").unwrap();
    /// ```
    pub fn open(name_or_folder: &str) -> Result<SentenceEncoder> {
        let folder = Path::new(name_or_folder);
        if folder.is_dir() {
            SentenceEncoder::from_dir(folder)
        } else {
            SentenceEncoder::for_model(name_or_folder)
        }
    }

    /// Loads a sentence-transformers folder. Errors name the file that is missing or wrong.
    pub fn from_dir(dir: &Path) -> Result<SentenceEncoder> {
        let config: BertConfig = read_json(&dir.join("config.json"))?;
        let (pooling, normalize) = read_modules(dir)?;
        let max_tokens = read_max_tokens(dir, &config)?;
        let tokenizer = load_tokenizer(&dir.join("tokenizer.json"), max_tokens)?;
        let device = Device::Cpu;
        let weights = dir.join("model.safetensors");
        if !weights.is_file() {
            return Err(model_error(dir, "model.safetensors is missing"));
        }
        // Safety: the file is memory-mapped read-only; it must not change while loaded.
        let vb = unsafe { VarBuilder::from_mmaped_safetensors(&[&weights], DType::F32, &device) }
            .map_err(|e| model_error(dir, e))?;
        let encoder = BertEncoder::load(vb, &config).map_err(|e| model_error(dir, e))?;
        Ok(SentenceEncoder {
            tokenizer,
            encoder,
            pooling,
            normalize,
            max_tokens,
            batch_size: 32,
            device,
            dir: dir.to_path_buf(),
        })
    }

    /// How many sentences go through the encoder at once (32 by default).
    pub fn with_batch_size(mut self, batch_size: usize) -> SentenceEncoder {
        self.batch_size = batch_size.max(1);
        self
    }

    /// The length of each embedding (384 for all-MiniLM-L6-v2).
    pub fn dimension(&self) -> usize {
        self.encoder.config().hidden_size
    }

    /// The longest input in tokens; longer texts are cut off there, as sentence-transformers does.
    pub fn max_tokens(&self) -> usize {
        self.max_tokens
    }

    /// Embeds texts: one vector per text, in the order given.
    ///
    /// Texts are sorted by token count and batched, so each batch pads only to its own
    /// longest text; the vectors are then put back in the original order.
    pub fn embed<S: AsRef<str>>(&self, texts: &[S]) -> Result<Vec<Vec<f32>>> {
        let texts: Vec<&str> = texts.iter().map(|t| t.as_ref()).collect();
        let encodings = self
            .tokenizer
            .encode_batch(texts, true)
            .map_err(|e| model_error(&self.dir, e))?;
        let token_ids: Vec<&[u32]> = encodings.iter().map(|e| e.get_ids()).collect();
        let mut order: Vec<usize> = (0..token_ids.len()).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(token_ids[i].len()));
        let mut vectors = vec![Vec::new(); token_ids.len()];
        for batch in order.chunks(self.batch_size) {
            let batch_ids: Vec<&[u32]> = batch.iter().map(|&i| token_ids[i]).collect();
            let embedded = self
                .device
                .with_context(|| self.embed_batch(&batch_ids))
                .map_err(|e| model_error(&self.dir, e))?;
            for (&index, vector) in batch.iter().zip(embedded) {
                vectors[index] = vector;
            }
        }
        Ok(vectors)
    }

    /// Embeds one text.
    pub fn embed_one(&self, text: &str) -> Result<Vec<f32>> {
        Ok(self.embed(&[text])?.remove(0))
    }

    /// Pads a batch of token lists to its longest, runs the encoder, pools and normalises.
    fn embed_batch(&self, batch: &[&[u32]]) -> candle_core::Result<Vec<Vec<f32>>> {
        let longest = batch.iter().map(|ids| ids.len()).max().unwrap_or(0).max(1);
        let mut ids = Vec::with_capacity(batch.len() * longest);
        let mut mask = Vec::with_capacity(batch.len() * longest);
        for tokens in batch {
            ids.extend_from_slice(tokens);
            mask.extend(std::iter::repeat_n(1f32, tokens.len()));
            ids.extend(std::iter::repeat_n(0u32, longest - tokens.len()));
            mask.extend(std::iter::repeat_n(0f32, longest - tokens.len()));
        }
        let ids = Tensor::from_vec(ids, (batch.len(), longest), &self.device)?;
        let mask = Tensor::from_vec(mask, (batch.len(), longest), &self.device)?;
        let hidden = self.encoder.forward(&ids, &mask)?;
        let mut pooled = match self.pooling {
            Pooling::Mean => mean_pool(&hidden, &mask)?,
            Pooling::Cls => hidden.narrow(1, 0, 1)?.squeeze(1)?,
        };
        if self.normalize {
            pooled = l2_normalize(&pooled)?;
        }
        pooled.to_vec2()
    }
}

/// Loads `tokenizer.json` with no fixed padding and truncation at `max_tokens`.
fn load_tokenizer(path: &Path, max_tokens: usize) -> Result<tokenizers::Tokenizer> {
    let mut tokenizer = crate::tokenize::HfTokenizer::from_file(path)?
        .inner()
        .clone();
    tokenizer
        .with_truncation(Some(tokenizers::TruncationParams {
            max_length: max_tokens,
            ..Default::default()
        }))
        .map_err(|e| Error::invalid(Location::file(path), e.to_string()))?;
    Ok(tokenizer)
}

/// Reads `modules.json` (which steps follow the encoder) and the pooling config.
/// A folder without `modules.json` gets mean pooling and normalisation.
fn read_modules(dir: &Path) -> Result<(Pooling, bool)> {
    let modules_path = dir.join("modules.json");
    if !modules_path.is_file() {
        return Ok((Pooling::Mean, true));
    }
    let modules: Vec<ModuleEntry> = read_json(&modules_path)?;
    let normalize = modules.iter().any(|m| m.kind.ends_with(".Normalize"));
    let pooling = match modules.iter().find(|m| m.kind.ends_with(".Pooling")) {
        None => Pooling::Mean,
        Some(module) => {
            let path = dir.join(&module.path).join("config.json");
            let config: PoolingConfig = read_json(&path)?;
            if config.pooling_mode_max_tokens || config.pooling_mode_mean_sqrt_len_tokens {
                return Err(Error::invalid(
                    Location::file(&path),
                    "only mean or CLS pooling is supported",
                ));
            }
            match (config.pooling_mode_mean_tokens, config.pooling_mode_cls_token) {
                (true, false) => Pooling::Mean,
                (false, true) => Pooling::Cls,
                _ => {
                    return Err(Error::invalid(
                        Location::file(&path),
                        "exactly one of pooling_mode_mean_tokens and pooling_mode_cls_token must be true",
                    ))
                }
            }
        }
    };
    Ok((pooling, normalize))
}

/// The token limit: `max_seq_length` of `sentence_bert_config.json`, at most the position table.
fn read_max_tokens(dir: &Path, config: &BertConfig) -> Result<usize> {
    let path = dir.join("sentence_bert_config.json");
    let limit = if path.is_file() {
        read_json::<SentenceBertConfig>(&path)?.max_seq_length
    } else {
        None
    };
    Ok(limit
        .unwrap_or(config.max_position_embeddings)
        .min(config.max_position_embeddings))
}
