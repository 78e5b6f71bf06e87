//! The mapping file: how the data manager (and only the data manager) can undo a
//! de-identification.
//!
//! Sometimes the link back is needed: a researcher finds something that matters for a
//! patient's care, or a wrong replacement must be checked. The mapping file lists, per
//! document, every replaced span of the de-identified text and what stood there. The
//! original words are **encrypted with the key**, so the mapping file alone reveals
//! nothing; with the key file, [`Mapping::restore`] gives back the original documents
//! exactly.
//!
//! The encryption is deterministic authenticated encryption in the SIV style, built
//! from HMAC-SHA-256 only: a synthetic IV = HMAC(mac key, document, entry, original),
//! then the original XOR an HMAC keystream. A wrong key or a changed entry is detected.
//! It is a sound textbook construction but not an audited library; for real data also
//! keep the mapping file where only the data manager can read it.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::data::{Document, PhiSpan, PhiType};
use crate::deid::key::{from_hex, to_hex, Key};
use crate::deid::replace::{for_each_span, move_span, Deidentified, Mode, Replacement, Side};
use crate::error::{Error, Location, Result};
use crate::text::{CharIndex, Span};

/// What the `format` field of a mapping file says.
const FORMAT: &str = "clinkit-deid-mapping";

/// The reversible, keyed record of a de-identification run.
///
/// ```
/// use clinkit::data::{Document, Lang};
/// use clinkit::deid::{Deidentifier, Key, Mapping, Mode};
/// let key = Key::from_secret(b"data manager's key");
/// let letter = Document::new("a", Lang::En, "referral", "Re: Mr J. Brown, DOB 03/04/1950.");
/// let mut deidentifier = Deidentifier::new(Mode::Pseudonymise, Some(key.clone())).unwrap();
/// let done = deidentifier.run(&letter);
/// let mut mapping = Mapping::new(Mode::Pseudonymise, &key);
/// mapping.add(&key, &letter, &done);
/// assert!(!serde_json::to_string(&mapping).unwrap().contains("Brown"));
/// let back = mapping.restore(&key, &done.document).unwrap();
/// assert_eq!(back.text, letter.text);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    /// Always `clinkit-deid-mapping`.
    pub format: String,
    /// The file format version (1).
    pub version: u32,
    /// How the documents were de-identified.
    pub mode: Mode,
    /// The fingerprint of the key ([`Key::fingerprint`]), to say "wrong key" clearly.
    pub key_fingerprint: String,
    /// One entry per document, in the order they were added.
    pub documents: Vec<MappedDocument>,
}

/// The replacements of one document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MappedDocument {
    /// The document's id.
    pub id: String,
    /// The replacements, in text order.
    pub entries: Vec<MappedEntry>,
    /// The original dates of the document's parts (encrypted), where a part had one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub part_dates: Vec<Option<String>>,
}

/// One replaced span.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MappedEntry {
    /// First character of the replacement in the de-identified text.
    pub start: usize,
    /// One past its last character.
    pub end: usize,
    /// The PHI type.
    #[serde(rename = "type")]
    pub kind: PhiType,
    /// The original text, encrypted with the key (hexadecimal).
    pub original: String,
}

impl Mapping {
    /// An empty mapping for a run in `mode` with `key`.
    ///
    /// ```
    /// use clinkit::deid::{Key, Mapping, Mode};
    /// let mapping = Mapping::new(Mode::Tag, &Key::from_secret(b"k"));
    /// assert_eq!(mapping.format, "clinkit-deid-mapping");
    /// assert!(mapping.documents.is_empty());
    /// ```
    pub fn new(mode: Mode, key: &Key) -> Mapping {
        Mapping {
            format: FORMAT.to_string(),
            version: 1,
            mode,
            key_fingerprint: key.fingerprint(),
            documents: Vec::new(),
        }
    }

    /// Adds a de-identified document; `original` is the document before (for the dates
    /// of its parts, which are not part of the text).
    pub fn add(&mut self, key: &Key, original: &Document, done: &Deidentified) {
        let original_parts = &original.parts;
        let id = &done.document.id;
        let entries = done
            .replacements
            .iter()
            .enumerate()
            .map(|(index, r)| MappedEntry {
                start: r.replaced.start,
                end: r.replaced.end,
                kind: r.kind,
                original: seal(key, id, &format!("entry {index}"), &r.original_text),
            })
            .collect();
        let part_dates = original_parts
            .iter()
            .enumerate()
            .map(|(index, part)| {
                part.date
                    .as_deref()
                    .map(|date| seal(key, id, &format!("part {index}"), date))
            })
            .collect::<Vec<_>>();
        let part_dates = if part_dates.iter().all(Option::is_none) {
            Vec::new()
        } else {
            part_dates
        };
        self.documents.push(MappedDocument {
            id: id.clone(),
            entries,
            part_dates,
        });
    }

    /// Writes the mapping as pretty JSON (first to a temporary name, then renamed).
    ///
    /// ```
    /// use clinkit::deid::{Key, Mapping, Mode};
    /// # let dir = tempfile::tempdir().unwrap();
    /// let path = dir.path().join("mapping.json");
    /// let mapping = Mapping::new(Mode::Tag, &Key::from_secret(b"k"));
    /// mapping.save(&path).unwrap();
    /// assert_eq!(Mapping::load(&path).unwrap(), mapping);
    /// ```
    pub fn save(&self, path: &Path) -> Result<()> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        let text = serde_json::to_string_pretty(self).expect("a mapping serialises");
        let temporary = path.with_extension("json.partial");
        std::fs::write(&temporary, text + "\n").map_err(|e| Error::io(&temporary, e))?;
        std::fs::rename(&temporary, path).map_err(|e| Error::io(path, e))
    }

    /// Reads a mapping file; errors name the file and the field.
    ///
    /// ```
    /// # let dir = tempfile::tempdir().unwrap();
    /// let path = dir.path().join("mapping.json");
    /// std::fs::write(&path, r#"{"format": "clinkit-deid-mapping", "version": 1}"#).unwrap();
    /// let error = clinkit::deid::Mapping::load(&path).unwrap_err().to_string();
    /// assert!(error.contains("mapping.json: missing field `mode`"), "{error}");
    /// ```
    pub fn load(path: &Path) -> Result<Mapping> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        let mut deserializer = serde_json::Deserializer::from_str(&text);
        let mapping: Mapping =
            serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
                let field = e.path().to_string();
                let at = if field == "." {
                    Location::file(path)
                } else {
                    Location::file(path).field(field)
                };
                Error::invalid(at, e.into_inner().to_string())
            })?;
        if mapping.format != FORMAT {
            return Err(Error::invalid(
                Location::file(path).field("format"),
                format!("expected `{FORMAT}`, found `{}`", mapping.format),
            ));
        }
        Ok(mapping)
    }

    /// Gives back the original of a de-identified document: its text, its `phi` spans
    /// (now pointing at the original words), its `fields` and `parts` spans and part
    /// dates. Fails when the key is not the one the mapping was made with, when the
    /// document is not in the mapping, or when the document or mapping was changed.
    pub fn restore(&self, key: &Key, deidentified: &Document) -> Result<Document> {
        if key.fingerprint() != self.key_fingerprint {
            return Err(Error::Refused(format!(
                "this is not the key of the mapping (key fingerprint {}, mapping made with {})",
                key.fingerprint(),
                self.key_fingerprint
            )));
        }
        let at = || Location::default().field(format!("documents[id={}]", deidentified.id));
        let mapped = self
            .documents
            .iter()
            .find(|d| d.id == deidentified.id)
            .ok_or_else(|| Error::invalid(at(), "this document is not in the mapping"))?;
        let index = CharIndex::new(&deidentified.text);
        let mut text = String::with_capacity(deidentified.text.len());
        let mut replacements: Vec<Replacement> = Vec::with_capacity(mapped.entries.len());
        let (mut done, mut original_len) = (0usize, 0usize);
        for (number, entry) in mapped.entries.iter().enumerate() {
            let span = Span::new(entry.start, entry.end);
            let between = (entry.start >= done)
                .then(|| index.slice(Span::new(done, entry.start)))
                .flatten();
            let (Some(between), Some(replaced)) = (between, index.slice(span)) else {
                return Err(Error::invalid(
                    at(),
                    format!("entry {number} does not fit the de-identified text: was it edited?"),
                ));
            };
            let original = open(
                key,
                &deidentified.id,
                &format!("entry {number}"),
                &entry.original,
            )
            .ok_or_else(|| Error::invalid(at(), format!("entry {number} is damaged")))?;
            text.push_str(between);
            original_len += entry.start - done;
            let length = original.chars().count();
            text.push_str(&original);
            replacements.push(Replacement {
                kind: entry.kind,
                original: Span::new(original_len, original_len + length),
                replaced: span,
                original_text: original,
                new_text: replaced.to_string(),
            });
            original_len += length;
            done = entry.end;
        }
        text.push_str(index.slice(Span::new(done, index.char_len())).unwrap_or(""));

        let mut document = deidentified.clone();
        document.text = text;
        document.phi = replacements
            .iter()
            .map(|r| PhiSpan {
                start: r.original.start,
                end: r.original.end,
                kind: r.kind,
            })
            .collect();
        let back = |span: Span| move_span(span, &replacements, Side::Replaced);
        for value in document.fields.values_mut() {
            for_each_span(value, |span| *span = back(*span));
        }
        for span in document.summary.iter_mut().flat_map(|line| &mut line.spans) {
            *span = back(*span);
        }
        for (number, part) in document.parts.iter_mut().enumerate() {
            part.span = back(part.span);
            if let Some(sealed) = mapped.part_dates.get(number).and_then(Option::as_ref) {
                part.date = Some(
                    open(key, &deidentified.id, &format!("part {number}"), sealed).ok_or_else(
                        || Error::invalid(at(), format!("part date {number} is damaged")),
                    )?,
                );
            }
        }
        Ok(document)
    }
}

/// Encrypts `plain` for document `id` at `place` (deterministic, authenticated).
fn seal(key: &Key, id: &str, place: &str, plain: &str) -> String {
    let iv = tag(key, id, place, plain);
    let mut sealed = iv.to_vec();
    sealed.extend(xor_stream(key, &iv, plain.as_bytes()));
    to_hex(&sealed)
}

/// Decrypts what [`seal`] wrote, or `None` when the key or the text is wrong.
fn open(key: &Key, id: &str, place: &str, sealed: &str) -> Option<String> {
    let bytes = from_hex(sealed)?;
    if bytes.len() < 16 {
        return None;
    }
    let (iv, cipher) = bytes.split_at(16);
    let plain = String::from_utf8(xor_stream(key, iv, cipher)).ok()?;
    (tag(key, id, place, &plain) == iv).then_some(plain)
}

/// The 16-byte tag of `plain` for document `id` at `place`: the start of the sealed text
/// (so the same value always seals the same way) and the check that opening worked.
fn tag(key: &Key, id: &str, place: &str, plain: &str) -> [u8; 16] {
    let mac_key = key.mac(&[b"clinkit-deid/mapping-mac"]);
    let mac = crate::deid::key::hmac(
        &mac_key,
        &[
            id.as_bytes(),
            &[0],
            place.as_bytes(),
            &[0],
            plain.as_bytes(),
        ],
    );
    let mut tag = [0; 16];
    tag.copy_from_slice(&mac[..16]);
    tag
}

/// `data` XOR an HMAC-SHA-256 keystream made from the key and `iv`.
fn xor_stream(key: &Key, iv: &[u8], data: &[u8]) -> Vec<u8> {
    let stream_key = key.mac(&[b"clinkit-deid/mapping-stream"]);
    data.chunks(32)
        .enumerate()
        .flat_map(|(block, chunk)| {
            let pad = crate::deid::key::hmac(&stream_key, &[iv, &(block as u64).to_le_bytes()]);
            chunk
                .iter()
                .zip(pad)
                .map(|(a, b)| a ^ b)
                .collect::<Vec<_>>()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealing_round_trips_and_detects_a_wrong_key() {
        let key = Key::from_secret(b"one");
        let sealed = seal(&key, "doc", "entry 0", "Gelbeek, E. — 8 januari 1951");
        assert_eq!(
            open(&key, "doc", "entry 0", &sealed).unwrap(),
            "Gelbeek, E. — 8 januari 1951"
        );
        assert!(open(&Key::from_secret(b"two"), "doc", "entry 0", &sealed).is_none());
        assert!(open(&key, "other doc", "entry 0", &sealed).is_none());
    }
}
