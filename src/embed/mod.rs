//! Embeddings: texts as vectors, so that "find the passage about the heart's pumping
//! function" becomes "find the nearest vector".
//!
//! - [`pca`]: a 2-D picture of many vectors (principal component analysis) with plotters.
//! - [`tfidf`]: word counts weighed by rarity, written from scratch (no model needed).
//! - `bert` (feature `models`): sentence embeddings from a BERT encoder such as
//!   all-MiniLM-L6-v2, with mean pooling and L2 normalisation, on candle tensors.

pub mod pca;
pub mod tfidf;

#[cfg(feature = "models")]
pub mod bert;

#[cfg(feature = "models")]
pub mod index;
