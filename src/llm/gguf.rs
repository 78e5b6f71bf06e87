//! Opening a GGUF model file: which architecture it is, its sizes, and its weights.
//!
//! A GGUF file has three parts: a header of key/value pairs (the *metadata*: architecture,
//! number of layers, tokenizer vocabulary...), a table of tensors (name, shape, number
//! format), and the tensor bytes themselves. We map the file into memory (`mmap`) so
//! opening it costs almost nothing: the operating system reads a page of weights only
//! when a layer first touches it.
//!
//! ```no_run
//! use clinkit::llm::gguf::{Architecture, GgufModelFile};
//! let file = GgufModelFile::open("models/gemma-3-270m-q4_k_m/gemma-3-270m-q4_k_m.gguf".as_ref())?;
//! assert_eq!(file.architecture()?, Architecture::Gemma3);
//! assert_eq!(file.u32("gemma3.block_count")?, 18);
//! # Ok::<(), clinkit::Error>(())
//! ```

use std::borrow::Cow;
use std::io::Cursor;
use std::path::{Path, PathBuf};

use candle_core::quantized::{gguf_file, GgmlDType, QStorage, QTensor};
use candle_core::Device;

use crate::error::{Error, Location};
use crate::Result;

/// The model families clinkit can run, named as GGUF's `general.architecture` names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Architecture {
    /// Google's Gemma 3 (local and global attention layers).
    Gemma3,
    /// Meta's Llama (also Mistral and many fine-tunes).
    Llama,
    /// Alibaba's Qwen 2 and 2.5 (Llama with biases on q, k and v).
    Qwen2,
    /// Alibaba's Qwen 3 (Llama with RMSNorm on q and k).
    Qwen3,
}

impl Architecture {
    /// The architecture for a GGUF `general.architecture` value, or `None` if unsupported.
    ///
    /// ```
    /// use clinkit::llm::gguf::Architecture;
    /// assert_eq!(Architecture::from_gguf_name("gemma3"), Some(Architecture::Gemma3));
    /// assert_eq!(Architecture::from_gguf_name("mamba"), None);
    /// ```
    pub fn from_gguf_name(name: &str) -> Option<Architecture> {
        match name {
            "gemma3" => Some(Architecture::Gemma3),
            "llama" => Some(Architecture::Llama),
            "qwen2" => Some(Architecture::Qwen2),
            "qwen3" => Some(Architecture::Qwen3),
            _ => None,
        }
    }

    /// The prefix of this architecture's metadata keys (`gemma3.block_count`...).
    pub fn key_prefix(self) -> &'static str {
        match self {
            Architecture::Gemma3 => "gemma3",
            Architecture::Llama => "llama",
            Architecture::Qwen2 => "qwen2",
            Architecture::Qwen3 => "qwen3",
        }
    }
}

/// An opened GGUF file: its header, read once, and its bytes, mapped into memory.
pub struct GgufModelFile {
    path: PathBuf,
    content: gguf_file::Content,
    bytes: memmap2::Mmap,
}

impl GgufModelFile {
    /// Maps the file into memory and reads its header (not the weights yet).
    pub fn open(path: &Path) -> Result<GgufModelFile> {
        let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
        // SAFETY: the model file is only read; if another program rewrote it while we run,
        // we would read garbage weights, the same risk as with any mmap-based loader.
        let bytes = unsafe { memmap2::Mmap::map(&file) }.map_err(|e| Error::io(path, e))?;
        let content = gguf_file::Content::read(&mut Cursor::new(&bytes[..])).map_err(|e| {
            Error::invalid(
                Location::file(path),
                format!("not a readable GGUF file: {e}"),
            )
        })?;
        Ok(GgufModelFile {
            path: path.to_path_buf(),
            content,
            bytes,
        })
    }

    /// The path the file was opened from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The architecture, with a clear error if clinkit cannot run it.
    pub fn architecture(&self) -> Result<Architecture> {
        let name = self.string("general.architecture")?;
        Architecture::from_gguf_name(&name).ok_or_else(|| {
            self.error_at(
                "general.architecture",
                format!(
                    "architecture `{name}` is not supported (clinkit runs gemma3, llama, qwen2 and qwen3)"
                ),
            )
        })
    }

    fn error_at(&self, key: &str, message: impl Into<String>) -> Error {
        Error::invalid(Location::file(&self.path).field(key), message)
    }

    fn value(&self, key: &str) -> Result<&gguf_file::Value> {
        self.content
            .metadata
            .get(key)
            .ok_or_else(|| self.error_at(key, "missing from the GGUF metadata"))
    }

    /// A text value from the metadata.
    pub fn string(&self, key: &str) -> Result<String> {
        let value = self.value(key)?;
        value
            .to_string()
            .cloned()
            .map_err(|e| self.error_at(key, e.to_string()))
    }

    /// A whole number from the metadata (any integer width).
    pub fn u32(&self, key: &str) -> Result<u32> {
        let value = self.value(key)?;
        let number = match value {
            gguf_file::Value::U8(v) => Some(u64::from(*v)),
            gguf_file::Value::U16(v) => Some(u64::from(*v)),
            gguf_file::Value::U32(v) => Some(u64::from(*v)),
            gguf_file::Value::U64(v) => Some(*v),
            gguf_file::Value::I32(v) => u64::try_from(*v).ok(),
            gguf_file::Value::I64(v) => u64::try_from(*v).ok(),
            _ => None,
        };
        number
            .and_then(|n| u32::try_from(n).ok())
            .ok_or_else(|| self.error_at(key, format!("expected a whole number, found {value:?}")))
    }

    /// A whole number from the metadata, or `default` when the key is absent.
    pub fn u32_or(&self, key: &str, default: u32) -> Result<u32> {
        if self.content.metadata.contains_key(key) {
            self.u32(key)
        } else {
            Ok(default)
        }
    }

    /// A decimal number from the metadata, or `default` when the key is absent.
    pub fn f32_or(&self, key: &str, default: f32) -> Result<f32> {
        match self.content.metadata.get(key) {
            None => Ok(default),
            Some(gguf_file::Value::F32(v)) => Ok(*v),
            Some(gguf_file::Value::F64(v)) => Ok(*v as f32),
            Some(other) => Err(self.error_at(key, format!("expected a number, found {other:?}"))),
        }
    }

    /// True when the file holds a tensor of that name.
    pub fn has_tensor(&self, name: &str) -> bool {
        self.content.tensor_infos.contains_key(name)
    }

    /// The tensor `name`, copied from the mapped file in its stored (quantized) format.
    pub fn tensor(&self, name: &str) -> Result<QTensor> {
        let info = self
            .content
            .tensor_infos
            .get(name)
            .ok_or_else(|| self.error_at(name, "tensor missing from the GGUF file"))?;
        let dtype = info.ggml_dtype;
        let elements = info.shape.elem_count();
        let size = elements / dtype.block_size() * dtype.type_size();
        let start = (self.content.tensor_data_offset + info.offset) as usize;
        let bytes = self
            .bytes
            .get(start..start + size)
            .ok_or_else(|| self.error_at(name, "tensor data runs past the end of the file"))?;
        // clinkit's own product reads Q5_0 as stored; candle's Q5_0 product is slow.
        let keep_q5_0 = super::transformer::own_product_format(dtype).is_some();
        let (bytes, dtype) = match dtype {
            GgmlDType::Q5_0 if !keep_q5_0 => (Cow::Owned(q5_0_to_q8_0(bytes)), GgmlDType::Q8_0),
            _ => (Cow::Borrowed(bytes), dtype),
        };
        let storage = QStorage::from_data(bytes, &Device::Cpu, dtype)
            .map_err(|e| self.error_at(name, e.to_string()))?;
        QTensor::new(storage, info.shape.clone()).map_err(|e| self.error_at(name, e.to_string()))
    }
}

/// Rewrites Q5_0 weights as Q8_0 weights with exactly the same values.
///
/// Both formats store 32 numbers as `scale * small_integer`; Q5_0's integers (0..=31,
/// minus 16) fit in Q8_0's signed bytes, so the conversion loses nothing. We do it where
/// candle multiplies the matrix (unoptimised builds, processors without AVX2): candle 0.11
/// multiplies Q5_0 matrices with plain scalar code but Q8_0 with SIMD instructions, several
/// times faster, for 1.5 times the memory. clinkit's own product ([`super::q8`]) reads Q5_0
/// as stored, and reading fewer bytes makes each new token faster.
///
/// ```
/// # use clinkit::llm::gguf::q5_0_to_q8_0;
/// // scale 1.0 (f16 0x3c00), all high bits 1, low nibbles 0 and 15: values 16-16=0 and 31-16=15
/// let mut block = vec![0x00, 0x3c, 0xff, 0xff, 0xff, 0xff];
/// block.extend([0xf0u8; 16]);
/// let q8 = q5_0_to_q8_0(&block);
/// assert_eq!(&q8[..2], &[0x00, 0x3c]);
/// assert_eq!(q8[2], 0); // first number: low nibble 0, high bit 1 -> 16 - 16
/// assert_eq!(q8[2 + 16], 15); // seventeenth: high nibble 15, high bit 1 -> 31 - 16
/// ```
pub fn q5_0_to_q8_0(q5: &[u8]) -> Vec<u8> {
    use super::q8::WeightFormat::{Q5_0, Q8_0};
    let blocks = q5.chunks_exact(Q5_0.block_bytes());
    let mut q8 = Vec::with_capacity(blocks.len() * Q8_0.block_bytes());
    for block in blocks {
        let (_, numbers) = Q5_0.unpack(block);
        q8.extend_from_slice(&block[..2]); // the same 16-bit scale
        q8.extend(numbers.iter().map(|&number| number as u8));
    }
    q8
}

/// Turns a candle error into a clinkit model error naming the model file.
pub(crate) fn model_error(path: &Path) -> impl Fn(candle_core::Error) -> Error + '_ {
    move |e| Error::Model {
        name: path.display().to_string(),
        message: e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use candle_core::Tensor;

    #[test]
    fn q5_0_to_q8_0_keeps_every_value() {
        let values: Vec<f32> = (0..256)
            .map(|i| ((i * 37) % 101) as f32 / 10.0 - 5.0)
            .collect();
        let original = Tensor::from_vec(values, (4, 64), &Device::Cpu).unwrap();
        let q5 = QTensor::quantize(&original, GgmlDType::Q5_0).unwrap();
        let q8_bytes = q5_0_to_q8_0(&q5.data().unwrap());
        let storage =
            QStorage::from_data(Cow::Owned(q8_bytes), &Device::Cpu, GgmlDType::Q8_0).unwrap();
        let q8 = QTensor::new(storage, (4, 64)).unwrap();
        let values = |tensor: &QTensor| {
            tensor
                .dequantize(&Device::Cpu)
                .unwrap()
                .flatten_all()
                .unwrap()
                .to_vec1::<f32>()
                .unwrap()
        };
        assert_eq!(values(&q5), values(&q8));
    }
}
