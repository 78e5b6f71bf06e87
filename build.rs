//! Tells clinkit's code whether it is being compiled with optimisations (`--release`, or as
//! an optimised dependency, as in the notebook kernel).
//!
//! clinkit's own 8-bit matrix product (src/llm/q8.rs) beats candle's only when optimised:
//! unoptimised, its SIMD instructions become function calls and it runs many times slower
//! than candle's product, which the dev profile builds optimised (Cargo.toml). Both give
//! the same numbers, so an unoptimised build (`cargo test`) simply uses candle's.
fn main() {
    println!("cargo::rustc-check-cfg=cfg(clinkit_optimised)");
    println!("cargo::rerun-if-changed=build.rs");
    let optimised = std::env::var("OPT_LEVEL").is_ok_and(|level| level != "0");
    if optimised {
        println!("cargo::rustc-cfg=clinkit_optimised");
    }
}
