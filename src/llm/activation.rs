//! The MLP's activation functions, GELU and SiLU, computed fast and the same everywhere.
//!
//! Between its two big matrix products, every layer's MLP computes
//! `activation(gate) * up` for each of its numbers: 2048 numbers per position and layer for
//! the packaged Gemma, so about 9 million for a 256-token prompt. Both activations need
//! `e^x`, and computing it with the C library (one number at a time) took about a tenth of
//! the time of reading a prompt. llama.cpp looks GELU up in a table of 16-bit floats instead.
//!
//! Here `e^x` is computed the way vector math libraries do it, with only multiplications
//! and additions, so the processor can do eight numbers in one instruction (AVX2):
//!
//! 1. split `x = n·ln 2 + r` with `n` a whole number and `|r| ≤ ln 2 / 2`;
//! 2. `e^r` from a short polynomial (a Taylor series, tuned), accurate to about one part
//!    in ten million, as good as an `f32` gets;
//! 3. `e^x = 2^n · e^r`, where multiplying by `2^n` just adds `n` to the float's exponent.
//!
//! [`gelu`] and [`silu`] are the plain versions to read. [`gated`] does the same arithmetic in
//! the same order on eight numbers at a time and on both threads, so it gives exactly the
//! same bits (tested): debug and optimised builds, with or without AVX2, see the same model.
//!
//! ```
//! use clinkit::llm::activation::{exp, gelu, silu};
//! assert!((exp(1.0) - std::f32::consts::E).abs() < 1e-6);
//! assert_eq!(gelu(0.0), 0.0);
//! assert!((gelu(1.0) - 0.841192).abs() < 1e-6); // most of a positive number passes
//! assert!(gelu(-4.0).abs() < 1e-3); // a negative number is (nearly) shut off
//! assert!((silu(1.0) - 0.731059).abs() < 1e-6);
//! ```

use std::sync::Mutex;

/// Which activation the MLP applies to its gate (see [`gated`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Activation {
    /// GELU, tanh approximation (Gemma): [`gelu`].
    GeluTanh,
    /// SiLU, `x * sigmoid(x)` (Llama, Qwen): [`silu`].
    Silu,
}

impl Activation {
    /// The plain function for one number: [`gelu`] or [`silu`].
    ///
    /// ```
    /// use clinkit::llm::activation::{gelu, Activation};
    /// assert_eq!(Activation::GeluTanh.function()(1.5), gelu(1.5));
    /// ```
    pub fn function(self) -> fn(f32) -> f32 {
        match self {
            Activation::GeluTanh => gelu,
            Activation::Silu => silu,
        }
    }
}

/// Below this, `e^x` is smaller than the smallest normal `f32`; we compute `e^-87.3`.
const EXP_LOWEST: f32 = -87.3;
/// Above this, `e^x` no longer fits an `f32`; we compute `e^88.3`.
const EXP_HIGHEST: f32 = 88.3;
const LOG2_E: f32 = std::f32::consts::LOG2_E;
/// `ln 2` in two parts: `LN2_HIGH` has few enough digits that `n × LN2_HIGH` is exact.
const LN2_HIGH: f32 = 0.693_359_4;
const LN2_LOW: f32 = -2.121_944_4e-4;
/// The polynomial for `(e^r - 1 - r) / r²` on `|r| ≤ ln 2 / 2` (Cephes' `expf`), highest
/// power first.
const EXP_POLYNOMIAL: [f32; 6] = [
    1.987_569_1e-4,
    1.398_199_9e-3,
    8.333_452e-3,
    4.166_579_6e-2,
    1.666_666_5e-1,
    0.5, // Cephes' 5.0000001201e-1, which is 0.5 as an f32
];
/// `0.044715`, from GELU's tanh approximation.
const GELU_CUBE: f32 = 0.044_715;
/// `-2·sqrt(2/π)`: GELU's `0.5·x·(1 + tanh(y))` is `x / (1 + e^(-2y))`.
const GELU_SCALE: f32 = -2.0 * 0.797_884_6;

/// `e^x` with additions and multiplications only (see the module notes), clamped to the
/// range of normal `f32` numbers.
///
/// ```
/// use clinkit::llm::activation::exp;
/// assert_eq!(exp(0.0), 1.0);
/// assert!((exp(-2.5) / (-2.5f32).exp() - 1.0).abs() < 1e-6);
/// assert!(exp(-1000.0) > 0.0 && exp(-1000.0) < 1e-37);
/// ```
pub fn exp(x: f32) -> f32 {
    let x = x.clamp(EXP_LOWEST, EXP_HIGHEST);
    let n = (x * LOG2_E).round_ties_even();
    let r = n.mul_add(-LN2_LOW, n.mul_add(-LN2_HIGH, x));
    let polynomial = EXP_POLYNOMIAL[1..]
        .iter()
        .fold(EXP_POLYNOMIAL[0], |sum, &c| sum.mul_add(r, c));
    let e_r = polynomial.mul_add(r * r, r) + 1.0;
    e_r * f32::from_bits(((n as i32 + 127) << 23) as u32)
}

/// GELU (tanh approximation), `0.5·x·(1 + tanh(sqrt(2/π)·(x + 0.044715·x³)))`, written as
/// `x / (1 + e^(-2·sqrt(2/π)·(x + 0.044715·x³)))`: the same function, one `e^x`.
///
/// ```
/// use clinkit::llm::activation::gelu;
/// let tanh_form = |x: f32| 0.5 * x * (1.0 + (0.797_884_6 * (x + 0.044715 * x * x * x)).tanh());
/// for x in [-3.0f32, -0.5, 0.25, 2.0] {
///     assert!((gelu(x) - tanh_form(x)).abs() < 1e-6);
/// }
/// ```
pub fn gelu(x: f32) -> f32 {
    let cubic = (GELU_CUBE * x * x).mul_add(x, x);
    x / (1.0 + exp(GELU_SCALE * cubic))
}

/// SiLU, `x · sigmoid(x) = x / (1 + e^-x)`.
///
/// ```
/// use clinkit::llm::activation::silu;
/// assert_eq!(silu(0.0), 0.0);
/// assert!((silu(-1.0) + 0.268941).abs() < 1e-6);
/// ```
pub fn silu(x: f32) -> f32 {
    x / (1.0 + exp(-x))
}

/// Numbers per work item handed to a thread by [`gated`].
const NUMBERS_PER_ITEM: usize = 8192;

/// `activation(gate[i]) * up[i]` for every `i`: the middle of a gated MLP. The work is split
/// between the threads, and done eight numbers at a time where the processor can (AVX2),
/// with exactly the bits of the plain [`gelu`] / [`silu`].
///
/// # Panics
///
/// If `gate` and `up` differ in length.
///
/// ```
/// use clinkit::llm::activation::{gated, gelu, Activation};
/// let gate = [1.0f32, -1.0, 2.0];
/// let up = [2.0f32, 3.0, 0.5];
/// let mixed = gated(Activation::GeluTanh, &gate, &up);
/// assert_eq!(mixed, vec![gelu(1.0) * 2.0, gelu(-1.0) * 3.0, gelu(2.0) * 0.5]);
/// ```
pub fn gated(activation: Activation, gate: &[f32], up: &[f32]) -> Vec<f32> {
    assert_eq!(gate.len(), up.len(), "gate and up need the same length");
    let mut result = vec![0f32; gate.len()];
    let pieces: Vec<Mutex<&mut [f32]>> = result
        .chunks_mut(NUMBERS_PER_ITEM)
        .map(Mutex::new)
        .collect();
    let fast = vector_code_available();
    let work = |items: std::ops::Range<usize>| {
        for item in items {
            let start = item * NUMBERS_PER_ITEM;
            let mut piece = pieces[item].lock().unwrap_or_else(|e| e.into_inner());
            let end = start + piece.len();
            gated_piece(
                activation,
                &gate[start..end],
                &up[start..end],
                &mut piece,
                fast,
            );
        }
    };
    candle_core::utils::barrier_pool().execute_chunked(pieces.len(), work);
    drop(pieces);
    result
}

/// One thread's share of [`gated`].
fn gated_piece(activation: Activation, gate: &[f32], up: &[f32], out: &mut [f32], fast: bool) {
    #[cfg(target_arch = "x86_64")]
    if fast {
        // SAFETY: `fast` says the processor has AVX2 and FMA.
        unsafe { avx2::gated(activation, gate, up, out) };
        return;
    }
    let _ = fast;
    let function = activation.function();
    for ((out, &g), &u) in out.iter_mut().zip(gate).zip(up) {
        *out = function(g) * u;
    }
}

/// Whether [`gated`] uses the eight-at-a-time version: optimised builds (see build.rs; the
/// vector instructions are slow calls in debug builds) on processors with AVX2 and FMA.
fn vector_code_available() -> bool {
    #[cfg(all(target_arch = "x86_64", clinkit_optimised))]
    {
        is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma")
    }
    #[cfg(not(all(target_arch = "x86_64", clinkit_optimised)))]
    {
        false
    }
}

#[cfg(target_arch = "x86_64")]
mod avx2 {
    //! [`super::gated`] eight numbers at a time: every step of [`super::exp`],
    //! [`super::gelu`] and [`super::silu`] as the same operation on eight lanes.
    use super::*;
    use std::arch::x86_64::*;

    /// `e^x` of eight numbers ([`super::exp`]).
    #[target_feature(enable = "avx2,fma")]
    unsafe fn exp8(x: __m256) -> __m256 {
        let x = _mm256_min_ps(
            _mm256_max_ps(x, _mm256_set1_ps(EXP_LOWEST)),
            _mm256_set1_ps(EXP_HIGHEST),
        );
        let n = _mm256_round_ps::<{ _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC }>(
            _mm256_mul_ps(x, _mm256_set1_ps(LOG2_E)),
        );
        let r = _mm256_fmadd_ps(n, _mm256_set1_ps(-LN2_HIGH), x);
        let r = _mm256_fmadd_ps(n, _mm256_set1_ps(-LN2_LOW), r);
        let mut polynomial = _mm256_set1_ps(EXP_POLYNOMIAL[0]);
        for &c in &EXP_POLYNOMIAL[1..] {
            polynomial = _mm256_fmadd_ps(polynomial, r, _mm256_set1_ps(c));
        }
        let e_r = _mm256_add_ps(
            _mm256_fmadd_ps(polynomial, _mm256_mul_ps(r, r), r),
            _mm256_set1_ps(1.0),
        );
        let exponent = _mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127));
        _mm256_mul_ps(e_r, _mm256_castsi256_ps(_mm256_slli_epi32::<23>(exponent)))
    }

    /// `activation(gate) * up`, eight numbers at a time, the rest with the plain code.
    #[target_feature(enable = "avx2,fma")]
    pub(super) unsafe fn gated(activation: Activation, gate: &[f32], up: &[f32], out: &mut [f32]) {
        let one = _mm256_set1_ps(1.0);
        let whole = gate.len() / 8 * 8;
        for start in (0..whole).step_by(8) {
            let x = _mm256_loadu_ps(gate.as_ptr().add(start));
            let power = match activation {
                Activation::GeluTanh => {
                    let square_term = _mm256_mul_ps(_mm256_mul_ps(_mm256_set1_ps(GELU_CUBE), x), x);
                    let cubic = _mm256_fmadd_ps(square_term, x, x);
                    _mm256_mul_ps(_mm256_set1_ps(GELU_SCALE), cubic)
                }
                Activation::Silu => _mm256_sub_ps(_mm256_setzero_ps(), x),
            };
            let activated = _mm256_div_ps(x, _mm256_add_ps(one, exp8(power)));
            let u = _mm256_loadu_ps(up.as_ptr().add(start));
            _mm256_storeu_ps(out.as_mut_ptr().add(start), _mm256_mul_ps(activated, u));
        }
        super::gated_piece(
            activation,
            &gate[whole..],
            &up[whole..],
            &mut out[whole..],
            false,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Inputs from tiny to beyond `exp`'s clamps, both signs.
    fn samples() -> Vec<f32> {
        let mut values: Vec<f32> = (-4000..=4000).map(|i| i as f32 * 0.0137).collect();
        values.extend([
            0.0, -0.0, 1e-30, -1e-30, 88.0, -88.0, 200.0, -200.0, 1e9, -1e9,
        ]);
        values
    }

    #[test]
    fn exp_matches_the_c_library_to_float_precision() {
        for x in samples().into_iter().filter(|x| x.abs() < 80.0) {
            let relative = (exp(x) as f64 / (x as f64).exp() - 1.0).abs();
            assert!(relative < 3e-7, "exp({x}): {} vs {}", exp(x), x.exp());
        }
    }

    #[test]
    fn gelu_matches_the_tanh_formula_and_silu_the_sigmoid() {
        for x in samples().into_iter().filter(|x| x.abs() < 1e6) {
            let x64 = x as f64;
            let tanh_form =
                0.5 * x64 * (1.0 + (0.797_884_560_8 * (x64 + 0.044715 * x64.powi(3))).tanh());
            assert!((gelu(x) as f64 - tanh_form).abs() <= 1e-6 * tanh_form.abs().max(1.0));
            let sigmoid_form = x64 / (1.0 + (-x64).exp());
            assert!((silu(x) as f64 - sigmoid_form).abs() <= 1e-6 * sigmoid_form.abs().max(1.0));
        }
    }

    #[test]
    fn fast_version_gives_the_plain_bits() {
        let gate = samples();
        let up: Vec<f32> = gate.iter().map(|x| 1.5 - x * 0.01).collect();
        for activation in [Activation::GeluTanh, Activation::Silu] {
            let function = activation.function();
            let plain: Vec<u32> = gate
                .iter()
                .zip(&up)
                .map(|(&g, &u)| (function(g) * u).to_bits())
                .collect();
            let threaded: Vec<u32> = gated(activation, &gate, &up)
                .iter()
                .map(|v| v.to_bits())
                .collect();
            assert_eq!(threaded, plain);
            #[cfg(target_arch = "x86_64")]
            if is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma") {
                let mut out = vec![0f32; gate.len()];
                // SAFETY: the processor has AVX2 and FMA (checked above).
                unsafe { avx2::gated(activation, &gate, &up, &mut out) };
                let vector: Vec<u32> = out.iter().map(|v| v.to_bits()).collect();
                assert_eq!(vector, plain, "{activation:?}");
            }
        }
    }
}
