//! TF-IDF: turning texts into vectors by counting words, written from scratch.
//!
//! Before neural embeddings there was a simple and still useful idea: describe a text by
//! *which words it uses*, and weigh each word by how rare it is in the whole collection.
//!
//! - **TF** (term frequency): how often a word occurs in this text.
//! - **IDF** (inverse document frequency): `ln((1 + N) / (1 + df)) + 1`, where `N` is the
//!   number of texts and `df` the number of texts that contain the word. A word found in
//!   every letter ("patient") gets weight 1; a rare word ("tamponnade") gets more.
//!
//! A text's vector holds `tf * idf` for each word of the vocabulary, scaled to length 1.
//! Two texts are similar when their vectors point the same way: the **cosine similarity**
//! is the dot product of the two unit vectors, from 0 (no word in common) to 1 (same mix).
//!
//! ```
//! use clinkit::embed::tfidf::TfIdf;
//! let texts = ["chest pain on exertion", "no chest pain", "ankle oedema"];
//! let model = TfIdf::fit(&texts);
//! let hits = model.nearest("pain in the chest", &texts, 2);
//! assert_eq!(hits[0].0, 1); // "no chest pain": 2 of its 3 words match
//! assert!(hits[0].1 > hits[1].1);
//! ```

use std::collections::BTreeMap;

/// Splits a text into lowercase words: runs of letters and digits. Punctuation is dropped.
///
/// ```
/// assert_eq!(clinkit::embed::tfidf::words("LVEF 35%, NYHA-II."), ["lvef", "35", "nyha", "ii"]);
/// ```
pub fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(|word| word.to_lowercase())
        .collect()
}

/// A sparse vector: only the words that occur, as (word number, weight), sorted by number.
///
/// Most of a vocabulary is absent from any one sentence, so storing only the present words
/// keeps vectors small.
pub type SparseVector = Vec<(usize, f64)>;

/// A fitted TF-IDF model: the vocabulary and each word's IDF weight.
#[derive(Debug, Clone)]
pub struct TfIdf {
    /// Each word and its number (its position in the vector), in alphabetical order.
    pub vocabulary: BTreeMap<String, usize>,
    /// The IDF weight of each word, by word number.
    pub idf: Vec<f64>,
}

impl TfIdf {
    /// Learns the vocabulary and IDF weights from a collection of texts.
    ///
    /// ```
    /// use clinkit::embed::tfidf::TfIdf;
    /// let model = TfIdf::fit(&["pain", "pain oedema"]);
    /// // "pain" is in both texts: ln(3/3) + 1 = 1. "oedema" in one: ln(3/2) + 1.
    /// assert_eq!(model.weight("pain"), Some(1.0));
    /// assert!((model.weight("oedema").unwrap() - 1.405465).abs() < 1e-6);
    /// ```
    pub fn fit<S: AsRef<str>>(texts: &[S]) -> TfIdf {
        let mut document_frequency: BTreeMap<String, usize> = BTreeMap::new();
        for text in texts {
            let mut seen = words(text.as_ref());
            seen.sort();
            seen.dedup();
            for word in seen {
                *document_frequency.entry(word).or_default() += 1;
            }
        }
        let n = texts.len() as f64;
        let mut vocabulary = BTreeMap::new();
        let mut idf = Vec::with_capacity(document_frequency.len());
        for (number, (word, df)) in document_frequency.into_iter().enumerate() {
            vocabulary.insert(word, number);
            idf.push(((1.0 + n) / (1.0 + df as f64)).ln() + 1.0);
        }
        TfIdf { vocabulary, idf }
    }

    /// The IDF weight of a word, or `None` if the word was not in the fitted texts.
    pub fn weight(&self, word: &str) -> Option<f64> {
        self.vocabulary.get(word).map(|&number| self.idf[number])
    }

    /// The unit-length TF-IDF vector of a text. Words outside the vocabulary are ignored;
    /// a text without known words gives an empty vector.
    ///
    /// ```
    /// use clinkit::embed::tfidf::TfIdf;
    /// let model = TfIdf::fit(&["pain", "pain oedema"]);
    /// let vector = model.vector("pain pain");
    /// assert_eq!(vector, vec![(1, 1.0)]); // "oedema" is word 0, "pain" word 1
    /// ```
    pub fn vector(&self, text: &str) -> SparseVector {
        let mut counts: BTreeMap<usize, f64> = BTreeMap::new();
        for word in words(text) {
            if let Some(&number) = self.vocabulary.get(&word) {
                *counts.entry(number).or_default() += 1.0;
            }
        }
        let weighted: SparseVector = counts
            .into_iter()
            .map(|(number, tf)| (number, tf * self.idf[number]))
            .collect();
        normalize(weighted)
    }

    /// The `k` texts most similar to `query`, as (index into `texts`, cosine similarity),
    /// best first. Ties keep the order of `texts`.
    pub fn nearest<S: AsRef<str>>(&self, query: &str, texts: &[S], k: usize) -> Vec<(usize, f64)> {
        let query = self.vector(query);
        let mut scored: Vec<(usize, f64)> = texts
            .iter()
            .enumerate()
            .map(|(index, text)| (index, cosine(&query, &self.vector(text.as_ref()))))
            .collect();
        scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        scored.truncate(k);
        scored
    }
}

/// Scales a vector to length 1 (an empty or all-zero vector stays as it is).
fn normalize(vector: SparseVector) -> SparseVector {
    let length = vector.iter().map(|(_, w)| w * w).sum::<f64>().sqrt();
    if length == 0.0 {
        return vector;
    }
    vector.into_iter().map(|(n, w)| (n, w / length)).collect()
}

/// The cosine similarity of two unit-length sparse vectors: the sum of the products of the
/// weights of the words they share. Both are sorted by word number, so one pass suffices.
///
/// ```
/// use clinkit::embed::tfidf::cosine;
/// let a = vec![(0, 0.6), (2, 0.8)];
/// let b = vec![(2, 1.0)];
/// assert!((cosine(&a, &b) - 0.8).abs() < 1e-12);
/// ```
pub fn cosine(a: &[(usize, f64)], b: &[(usize, f64)]) -> f64 {
    let (mut i, mut j, mut sum) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                sum += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    sum
}
