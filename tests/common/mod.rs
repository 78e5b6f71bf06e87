//! What several test files share (each includes it with `mod common;`; a file uses only
//! some of it).
#![allow(dead_code)]

pub mod reference;
#[cfg(feature = "http")]
pub mod server;
