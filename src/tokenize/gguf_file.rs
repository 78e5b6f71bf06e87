//! Reading the metadata of a GGUF file: the "label on the box" of a local language model.
//!
//! A GGUF file (the format of llama.cpp, Ollama and LM Studio) holds a whole model in one
//! file. It starts with a small header, then a list of *key/value pairs* (the metadata),
//! then a table of tensors, then the weights themselves. The metadata tells you what the
//! model is (`general.architecture = "gemma3"`), how big it is, and, important for us, its
//! complete tokenizer: every token, its score and its type, under keys starting with
//! `tokenizer.ggml.`. This module reads only the header and the metadata; it never
//! touches the (large) weights.
//!
//! The layout (GGUF version 2 and 3, all numbers little-endian):
//!
//! ```text
//! "GGUF"                      4 bytes, the magic word
//! version                     u32 (2 or 3)
//! tensor count                u64
//! metadata count              u64
//! metadata count times:
//!     key                     string (u64 length, then that many UTF-8 bytes)
//!     value type              u32 (see ValueType)
//!     value                   (a number, a bool, a string, or an array)
//! ... then the tensor table and the weights, which we skip
//! ```
//!
//! An array value is `element type: u32, length: u64`, then the elements. Arrays of
//! arrays are allowed by the format.
//!
//! ```
//! use clinkit::tokenize::gguf_file::{GgufMetadata, Value};
//! // A tiny GGUF file written by hand: a header and two keys, no tensors.
//! let bytes = GgufMetadata::to_bytes(&[
//!     ("general.architecture", Value::String("demo".into())),
//!     ("demo.context_length", Value::U32(2048)),
//! ]);
//! let metadata = GgufMetadata::from_bytes(&bytes).unwrap();
//! assert_eq!(metadata.version, 3);
//! assert_eq!(metadata.get_str("general.architecture"), Some("demo"));
//! assert_eq!(metadata.get_u64("demo.context_length"), Some(2048));
//! ```

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use crate::error::{Error, Location, Result};

/// One metadata value. GGUF has thirteen value types; arrays hold values of one type.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Type 0: an unsigned 8-bit number.
    U8(u8),
    /// Type 1: a signed 8-bit number.
    I8(i8),
    /// Type 2: an unsigned 16-bit number.
    U16(u16),
    /// Type 3: a signed 16-bit number.
    I16(i16),
    /// Type 4: an unsigned 32-bit number (most counts and token ids).
    U32(u32),
    /// Type 5: a signed 32-bit number (token types are arrays of these).
    I32(i32),
    /// Type 6: a 32-bit floating-point number (token scores are arrays of these).
    F32(f32),
    /// Type 7: true or false (one byte).
    Bool(bool),
    /// Type 8: text (u64 length, then UTF-8 bytes).
    String(String),
    /// Type 9: a list of values of one type.
    Array(Vec<Value>),
    /// Type 10: an unsigned 64-bit number.
    U64(u64),
    /// Type 11: a signed 64-bit number.
    I64(i64),
    /// Type 12: a 64-bit floating-point number.
    F64(f64),
}

impl Value {
    /// The value as a whole number, if it is one (of any width) and fits in a `u64`.
    ///
    /// ```
    /// use clinkit::tokenize::gguf_file::Value;
    /// assert_eq!(Value::U32(7).as_u64(), Some(7));
    /// assert_eq!(Value::I32(-1).as_u64(), None);
    /// assert_eq!(Value::String("7".into()).as_u64(), None);
    /// ```
    pub fn as_u64(&self) -> Option<u64> {
        match *self {
            Value::U8(v) => Some(v.into()),
            Value::U16(v) => Some(v.into()),
            Value::U32(v) => Some(v.into()),
            Value::U64(v) => Some(v),
            Value::I8(v) => u64::try_from(v).ok(),
            Value::I16(v) => u64::try_from(v).ok(),
            Value::I32(v) => u64::try_from(v).ok(),
            Value::I64(v) => u64::try_from(v).ok(),
            _ => None,
        }
    }

    /// The value as a signed whole number, if it is one and fits in an `i64`.
    pub fn as_i64(&self) -> Option<i64> {
        match *self {
            Value::U64(v) => i64::try_from(v).ok(),
            Value::I8(v) => Some(v.into()),
            Value::I16(v) => Some(v.into()),
            Value::I32(v) => Some(v.into()),
            Value::I64(v) => Some(v),
            _ => self.as_u64().and_then(|v| i64::try_from(v).ok()),
        }
    }

    /// The value as a floating-point number (whole numbers are converted too).
    pub fn as_f64(&self) -> Option<f64> {
        match *self {
            Value::F32(v) => Some(v.into()),
            Value::F64(v) => Some(v),
            _ => self.as_i64().map(|v| v as f64),
        }
    }

    /// A short name of the value's type, for error messages (`u32`, `string`, `array`).
    pub fn type_name(&self) -> &'static str {
        ValueType::of(self).name()
    }
}

/// The numbered value types of the GGUF format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ValueType {
    U8 = 0,
    I8 = 1,
    U16 = 2,
    I16 = 3,
    U32 = 4,
    I32 = 5,
    F32 = 6,
    Bool = 7,
    String = 8,
    Array = 9,
    U64 = 10,
    I64 = 11,
    F64 = 12,
}

impl ValueType {
    const ALL: [ValueType; 13] = [
        ValueType::U8,
        ValueType::I8,
        ValueType::U16,
        ValueType::I16,
        ValueType::U32,
        ValueType::I32,
        ValueType::F32,
        ValueType::Bool,
        ValueType::String,
        ValueType::Array,
        ValueType::U64,
        ValueType::I64,
        ValueType::F64,
    ];

    fn from_code(code: u32) -> Option<ValueType> {
        ValueType::ALL.get(code as usize).copied()
    }

    fn of(value: &Value) -> ValueType {
        match value {
            Value::U8(_) => ValueType::U8,
            Value::I8(_) => ValueType::I8,
            Value::U16(_) => ValueType::U16,
            Value::I16(_) => ValueType::I16,
            Value::U32(_) => ValueType::U32,
            Value::I32(_) => ValueType::I32,
            Value::F32(_) => ValueType::F32,
            Value::Bool(_) => ValueType::Bool,
            Value::String(_) => ValueType::String,
            Value::Array(_) => ValueType::Array,
            Value::U64(_) => ValueType::U64,
            Value::I64(_) => ValueType::I64,
            Value::F64(_) => ValueType::F64,
        }
    }

    fn name(self) -> &'static str {
        match self {
            ValueType::U8 => "u8",
            ValueType::I8 => "i8",
            ValueType::U16 => "u16",
            ValueType::I16 => "i16",
            ValueType::U32 => "u32",
            ValueType::I32 => "i32",
            ValueType::F32 => "f32",
            ValueType::Bool => "bool",
            ValueType::String => "string",
            ValueType::Array => "array",
            ValueType::U64 => "u64",
            ValueType::I64 => "i64",
            ValueType::F64 => "f64",
        }
    }
}

/// The header and metadata of a GGUF file, in file order.
#[derive(Debug, Clone, PartialEq)]
pub struct GgufMetadata {
    /// The GGUF format version (2 or 3).
    pub version: u32,
    /// How many tensors (weight matrices) the file holds.
    pub tensor_count: u64,
    /// The key/value pairs, in the order of the file.
    pub entries: Vec<(String, Value)>,
}

/// The four bytes every GGUF file starts with.
pub const MAGIC: &[u8; 4] = b"GGUF";

impl GgufMetadata {
    /// Reads the header and metadata of the GGUF file at `path` (not the weights).
    ///
    /// Errors name the file: a missing file, a file that is not GGUF, a version we do not
    /// read, or metadata cut short.
    pub fn read(path: &Path) -> Result<GgufMetadata> {
        let file = File::open(path).map_err(|e| Error::io(path, e))?;
        let size = file.metadata().map_err(|e| Error::io(path, e))?.len();
        let mut reader = Reader {
            input: BufReader::with_capacity(1 << 20, file),
            remaining: size,
            path: path.to_path_buf(),
        };
        reader.metadata()
    }

    /// Reads a GGUF header and metadata from bytes in memory (handy in tests).
    pub fn from_bytes(bytes: &[u8]) -> Result<GgufMetadata> {
        let mut reader = Reader {
            input: bytes,
            remaining: bytes.len() as u64,
            path: PathBuf::from("<bytes>"),
        };
        reader.metadata()
    }

    /// The value stored under `key`, if any.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.entries
            .iter()
            .find(|(name, _)| name == key)
            .map(|(_, value)| value)
    }

    /// The text stored under `key`, if it is text.
    pub fn get_str(&self, key: &str) -> Option<&str> {
        match self.get(key)? {
            Value::String(text) => Some(text),
            _ => None,
        }
    }

    /// The whole number stored under `key`, if it is one.
    pub fn get_u64(&self, key: &str) -> Option<u64> {
        self.get(key)?.as_u64()
    }

    /// The true/false value stored under `key`, if it is one.
    pub fn get_bool(&self, key: &str) -> Option<bool> {
        match self.get(key)? {
            Value::Bool(flag) => Some(*flag),
            _ => None,
        }
    }

    /// The array stored under `key`, if it is an array.
    pub fn get_array(&self, key: &str) -> Option<&[Value]> {
        match self.get(key)? {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }

    /// A one-line-per-key summary for people: long arrays show their length and first
    /// items only.
    ///
    /// ```
    /// use clinkit::tokenize::gguf_file::{GgufMetadata, Value};
    /// let bytes = GgufMetadata::to_bytes(&[(
    ///     "tokenizer.ggml.tokens",
    ///     Value::Array((0..100).map(|i| Value::String(format!("t{i}"))).collect()),
    /// )]);
    /// let summary = GgufMetadata::from_bytes(&bytes).unwrap().summary();
    /// assert_eq!(summary, "tokenizer.ggml.tokens: array of 100 string: \"t0\", \"t1\", \"t2\", ...\n");
    /// ```
    pub fn summary(&self) -> String {
        self.entries
            .iter()
            .map(|(key, value)| format!("{key}: {}\n", short_text(value)))
            .collect()
    }

    /// Writes a GGUF version 3 file's header and metadata (no tensors) as bytes.
    ///
    /// clinkit uses this to build tiny GGUF files in tests and lessons; real models come
    /// from llama.cpp's converters.
    pub fn to_bytes(entries: &[(&str, Value)]) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&3u32.to_le_bytes());
        out.extend_from_slice(&0u64.to_le_bytes());
        out.extend_from_slice(&(entries.len() as u64).to_le_bytes());
        for (key, value) in entries {
            write_string(&mut out, key);
            out.extend_from_slice(&(ValueType::of(value) as u32).to_le_bytes());
            write_value(&mut out, value);
        }
        out
    }
}

/// A value in a few words: numbers and text as they are, arrays by length and first items.
fn short_text(value: &Value) -> String {
    match value {
        Value::String(text) => format!("{text:?}"),
        Value::Array(items) => {
            let kind = items.first().map_or("values", Value::type_name);
            let first: Vec<String> = items.iter().take(3).map(short_text).collect();
            let more = if items.len() > 3 { ", ..." } else { "" };
            format!(
                "array of {} {kind}: {}{more}",
                items.len(),
                first.join(", ")
            )
        }
        Value::U8(v) => v.to_string(),
        Value::I8(v) => v.to_string(),
        Value::U16(v) => v.to_string(),
        Value::I16(v) => v.to_string(),
        Value::U32(v) => v.to_string(),
        Value::I32(v) => v.to_string(),
        Value::F32(v) => v.to_string(),
        Value::Bool(v) => v.to_string(),
        Value::U64(v) => v.to_string(),
        Value::I64(v) => v.to_string(),
        Value::F64(v) => v.to_string(),
    }
}

fn write_string(out: &mut Vec<u8>, text: &str) {
    out.extend_from_slice(&(text.len() as u64).to_le_bytes());
    out.extend_from_slice(text.as_bytes());
}

fn write_value(out: &mut Vec<u8>, value: &Value) {
    match value {
        Value::U8(v) => out.push(*v),
        Value::I8(v) => out.extend_from_slice(&v.to_le_bytes()),
        Value::U16(v) => out.extend_from_slice(&v.to_le_bytes()),
        Value::I16(v) => out.extend_from_slice(&v.to_le_bytes()),
        Value::U32(v) => out.extend_from_slice(&v.to_le_bytes()),
        Value::I32(v) => out.extend_from_slice(&v.to_le_bytes()),
        Value::F32(v) => out.extend_from_slice(&v.to_le_bytes()),
        Value::Bool(v) => out.push(u8::from(*v)),
        Value::String(text) => write_string(out, text),
        Value::Array(items) => {
            let kind = items.first().map_or(ValueType::U8, ValueType::of);
            out.extend_from_slice(&(kind as u32).to_le_bytes());
            out.extend_from_slice(&(items.len() as u64).to_le_bytes());
            for item in items {
                write_value(out, item);
            }
        }
        Value::U64(v) => out.extend_from_slice(&v.to_le_bytes()),
        Value::I64(v) => out.extend_from_slice(&v.to_le_bytes()),
        Value::F64(v) => out.extend_from_slice(&v.to_le_bytes()),
    }
}

/// Reads GGUF pieces from a byte stream, counting what is left so that a damaged length
/// cannot make us allocate more than the file holds.
struct Reader<R> {
    input: R,
    remaining: u64,
    path: PathBuf,
}

impl<R: Read> Reader<R> {
    fn metadata(&mut self) -> Result<GgufMetadata> {
        let magic: [u8; 4] = self.bytes()?;
        if &magic != MAGIC {
            return Err(self.invalid(format!(
                "not a GGUF file (it starts with {magic:02x?}, a GGUF file starts with \"GGUF\")"
            )));
        }
        let version = u32::from_le_bytes(self.bytes()?);
        if !(2..=3).contains(&version) {
            return Err(self.invalid(format!(
                "GGUF version {version} is not supported (clinkit reads versions 2 and 3)"
            )));
        }
        let tensor_count = u64::from_le_bytes(self.bytes()?);
        let count = u64::from_le_bytes(self.bytes()?);
        // Each entry takes at least 12 bytes (key length and value type).
        self.check_count(count, 12, "metadata entries")?;
        let mut entries = Vec::with_capacity(count as usize);
        for _ in 0..count {
            let key = self.string()?;
            let code = u32::from_le_bytes(self.bytes()?);
            let value = self.value(code).map_err(|e| self.at_key(e, &key))?;
            entries.push((key, value));
        }
        Ok(GgufMetadata {
            version,
            tensor_count,
            entries,
        })
    }

    fn value(&mut self, code: u32) -> Result<Value> {
        let kind = ValueType::from_code(code)
            .ok_or_else(|| self.invalid(format!("unknown value type {code}")))?;
        Ok(match kind {
            ValueType::U8 => Value::U8(self.bytes::<1>()?[0]),
            ValueType::I8 => Value::I8(i8::from_le_bytes(self.bytes()?)),
            ValueType::U16 => Value::U16(u16::from_le_bytes(self.bytes()?)),
            ValueType::I16 => Value::I16(i16::from_le_bytes(self.bytes()?)),
            ValueType::U32 => Value::U32(u32::from_le_bytes(self.bytes()?)),
            ValueType::I32 => Value::I32(i32::from_le_bytes(self.bytes()?)),
            ValueType::F32 => Value::F32(f32::from_le_bytes(self.bytes()?)),
            ValueType::Bool => Value::Bool(self.bytes::<1>()?[0] != 0),
            ValueType::String => Value::String(self.string()?),
            ValueType::Array => self.array()?,
            ValueType::U64 => Value::U64(u64::from_le_bytes(self.bytes()?)),
            ValueType::I64 => Value::I64(i64::from_le_bytes(self.bytes()?)),
            ValueType::F64 => Value::F64(f64::from_le_bytes(self.bytes()?)),
        })
    }

    fn array(&mut self) -> Result<Value> {
        let code = u32::from_le_bytes(self.bytes()?);
        let len = u64::from_le_bytes(self.bytes()?);
        self.check_count(len, 1, "array items")?;
        let mut items = Vec::with_capacity(len as usize);
        for _ in 0..len {
            items.push(self.value(code)?);
        }
        Ok(Value::Array(items))
    }

    fn string(&mut self) -> Result<String> {
        let len = u64::from_le_bytes(self.bytes()?);
        self.check_count(len, 1, "string bytes")?;
        let mut bytes = vec![0; len as usize];
        self.fill(&mut bytes)?;
        String::from_utf8(bytes).map_err(|_| self.invalid("a text value is not valid UTF-8"))
    }

    fn bytes<const N: usize>(&mut self) -> Result<[u8; N]> {
        let mut buffer = [0; N];
        self.fill(&mut buffer)?;
        Ok(buffer)
    }

    fn fill(&mut self, buffer: &mut [u8]) -> Result<()> {
        if (buffer.len() as u64) > self.remaining {
            return Err(self.invalid("the file ends in the middle of the metadata"));
        }
        self.input
            .read_exact(buffer)
            .map_err(|e| Error::io(&self.path, e))?;
        self.remaining -= buffer.len() as u64;
        Ok(())
    }

    /// Refuses a count that cannot fit in what is left of the file.
    fn check_count(&self, count: u64, min_bytes_each: u64, what: &str) -> Result<()> {
        if count.saturating_mul(min_bytes_each) > self.remaining {
            return Err(self.invalid(format!(
                "the file says it holds {count} {what}, more than its size allows (damaged or cut short?)"
            )));
        }
        Ok(())
    }

    fn invalid(&self, message: impl Into<String>) -> Error {
        Error::invalid(Location::file(&self.path), message)
    }

    /// Adds the metadata key to an error's location.
    fn at_key(&self, error: Error, key: &str) -> Error {
        match error {
            Error::Invalid { at, message } => Error::invalid(at.field(key), message),
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_types() -> Vec<(&'static str, Value)> {
        vec![
            ("a.u8", Value::U8(1)),
            ("a.i8", Value::I8(-2)),
            ("a.u16", Value::U16(3)),
            ("a.i16", Value::I16(-4)),
            ("a.u32", Value::U32(5)),
            ("a.i32", Value::I32(-6)),
            ("a.f32", Value::F32(0.5)),
            ("a.bool", Value::Bool(true)),
            ("a.string", Value::String("één".into())),
            (
                "a.array",
                Value::Array(vec![Value::F32(-1.0), Value::F32(-2.0)]),
            ),
            ("a.u64", Value::U64(7)),
            ("a.i64", Value::I64(-8)),
            ("a.f64", Value::F64(0.25)),
            (
                "a.nested",
                Value::Array(vec![Value::Array(vec![Value::U8(1)])]),
            ),
        ]
    }

    #[test]
    fn every_value_type_survives_a_round_trip() {
        let entries = all_types();
        let metadata = GgufMetadata::from_bytes(&GgufMetadata::to_bytes(&entries)).unwrap();
        let expected: Vec<(String, Value)> = entries
            .into_iter()
            .map(|(key, value)| (key.to_string(), value))
            .collect();
        assert_eq!(metadata.entries, expected);
        assert_eq!(metadata.tensor_count, 0);
    }

    #[test]
    fn a_file_that_is_not_gguf_is_refused_by_name() {
        let error = GgufMetadata::from_bytes(b"{\"json\": true}").unwrap_err();
        assert!(error.to_string().contains("not a GGUF file"), "{error}");
    }

    #[test]
    fn a_cut_short_file_is_refused_with_the_key() {
        let bytes = GgufMetadata::to_bytes(&all_types());
        for cut in [3, 10, 30, bytes.len() - 1] {
            let error = GgufMetadata::from_bytes(&bytes[..cut]).unwrap_err();
            assert!(matches!(error, Error::Invalid { .. }), "{error}");
        }
        let error = GgufMetadata::from_bytes(&bytes[..bytes.len() - 1])
            .unwrap_err()
            .to_string();
        assert!(error.contains("field `a.nested`"), "{error}");
    }

    #[test]
    fn a_huge_length_does_not_allocate() {
        let mut bytes = GgufMetadata::to_bytes(&[("k", Value::String("x".into()))]);
        // The string's length field sits after magic, version, two counts, key, type.
        let at = 4 + 4 + 8 + 8 + 8 + 1 + 4;
        bytes[at..at + 8].copy_from_slice(&u64::MAX.to_le_bytes());
        let error = GgufMetadata::from_bytes(&bytes).unwrap_err().to_string();
        assert!(error.contains("more than its size allows"), "{error}");
    }
}
