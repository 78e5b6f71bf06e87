//! The packaged models (being written).
