//! Synthetic clinical documents with gold labels (being written).
