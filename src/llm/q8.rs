//! Multiplying by 8-bit weights without unpacking them: the Q8_0 product, written out.
//!
//! Most of the packaged Gemma's weights are stored as *Q8_0*: blocks of 32 numbers, each
//! block one 16-bit float *scale* followed by 32 signed bytes, so that
//! `number = scale × byte`. Reading a prompt or picking the next token is mostly multiplying
//! such matrices by vectors of activations, so this is where a model spends its time.
//!
//! Many of the others are *Q5_0*: the same blocks, but each number is a 5-bit whole number
//! (-16..=15) packed into 20 bytes: 16 bytes of 4-bit halves and 4 bytes holding the fifth
//! bit of each. Reading fewer bytes is what makes picking the next token fast, so this
//! product reads Q5_0 weights as they are stored and unpacks each block in registers.
//!
//! The trick (llama.cpp's, and candle's): round the *input* to the same kind of blocks
//! first ([`QuantizedRows`]: its own scale per 32 numbers, bytes in -127..=127). Then one
//! block of a dot product is 32 byte × byte products, added up exactly as whole numbers,
//! times the two scales. Whole-number products are cheap: one AVX2 instruction multiplies
//! 32 pairs of bytes.
//!
//! [`dot`] is the plain version to read. [`product`] does the same arithmetic in the same
//! order, so it gives the very same bits, but faster:
//! - it works on a *tile* of weight rows and input rows at once, so every block it loads
//!   from memory is used several times (a prompt's many positions share each weight row);
//! - reading a prompt, Q5_0 rows are unpacked a few at a time into a small buffer of Q8_0
//!   blocks, once for all positions (picking one token, they are unpacked in registers);
//! - the two threads split the weight rows between them (candle's thread pool);
//! - on processors without AVX2 it falls back to the plain version.
//!
//! Keeping the order of candle's own product means the model's numbers do not change
//! (tests/llm_gemma3.rs compares them with llama.cpp): only the speed does.
//!
//! ```
//! use clinkit::llm::q8::{dot, product, QuantizedRows, WeightFormat::Q8_0};
//! // Two weight rows of 32 numbers: scale 1.0 (f16 bits 0x3c00), bytes 1 and 2.
//! let mut weights = Vec::new();
//! for byte in [1u8, 2] {
//!     weights.extend([0x00, 0x3c]);
//!     weights.extend([byte; 32]);
//! }
//! // 32 inputs of 63.5: scale 0.5, every byte 127 (exact, so the sums are too)
//! let input = QuantizedRows::new(&[63.5f32; 32], 32);
//! assert_eq!(dot(Q8_0, &weights[..34], &input, 0), 32.0 * 63.5);
//! assert_eq!(product(Q8_0, &weights, 2, &input), vec![2032.0, 4064.0]);
//! ```

use half::f16;

/// Numbers in one block.
pub const BLOCK: usize = 32;

/// How a weight matrix stores its blocks of 32 numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WeightFormat {
    /// A 16-bit float scale, then 32 signed bytes: `number = scale × byte`.
    Q8_0,
    /// A 16-bit float scale, the 32 fifth bits (4 bytes), then 16 bytes of 4-bit halves
    /// (numbers 0-15 in the low halves, 16-31 in the high halves):
    /// `number = scale × (5-bit whole number - 16)`.
    Q5_0,
}

impl WeightFormat {
    /// Bytes of one stored block.
    ///
    /// ```
    /// use clinkit::llm::q8::WeightFormat;
    /// assert_eq!(WeightFormat::Q8_0.block_bytes(), 34);
    /// assert_eq!(WeightFormat::Q5_0.block_bytes(), 22);
    /// ```
    pub fn block_bytes(self) -> usize {
        match self {
            WeightFormat::Q8_0 => 2 + BLOCK,
            WeightFormat::Q5_0 => 2 + 4 + BLOCK / 2,
        }
    }

    /// A stored block's scale and its 32 whole numbers (the plain way to unpack it).
    ///
    /// ```
    /// use clinkit::llm::q8::WeightFormat;
    /// // Q5_0, scale 1.0, fifth bits all set, halves 0 (low) and 15 (high): 0 and 15.
    /// let mut block = vec![0x00, 0x3c, 0xff, 0xff, 0xff, 0xff];
    /// block.extend([0xf0u8; 16]);
    /// let (scale, numbers) = WeightFormat::Q5_0.unpack(&block);
    /// assert_eq!((scale, numbers[0], numbers[16]), (1.0, 0, 15));
    /// ```
    pub fn unpack(self, block: &[u8]) -> (f32, [i8; BLOCK]) {
        let scale = f16::from_bits(u16::from_le_bytes([block[0], block[1]])).to_f32();
        let mut numbers = [0i8; BLOCK];
        match self {
            WeightFormat::Q8_0 => {
                for (number, byte) in numbers.iter_mut().zip(&block[2..]) {
                    *number = *byte as i8;
                }
            }
            WeightFormat::Q5_0 => {
                let fifth_bits = u32::from_le_bytes([block[2], block[3], block[4], block[5]]);
                for (i, number) in numbers.iter_mut().enumerate() {
                    let byte = block[6 + i % 16];
                    let half = if i < 16 { byte & 0x0f } else { byte >> 4 };
                    let fifth = ((fifth_bits >> i) & 1) as u8;
                    *number = (half | (fifth << 4)) as i8 - 16;
                }
            }
        }
        (scale, numbers)
    }
}

/// Input rows (activations) rounded to 8-bit blocks, the way the product wants them: one
/// scale per block of 32 numbers, and the 32 bytes `round(number / scale)`.
#[derive(Debug, Clone)]
pub struct QuantizedRows {
    rows: usize,
    blocks_per_row: usize,
    scales: Vec<f32>,
    bytes: Vec<i8>,
}

impl QuantizedRows {
    /// Rounds `values` (rows of `width` numbers, one after another) to blocks. `width` must
    /// be a multiple of [`BLOCK`].
    ///
    /// Each block's scale is its largest magnitude over 127, stored as a 16-bit float (as
    /// llama.cpp stores it), so the largest number becomes ±127.
    ///
    /// ```
    /// use clinkit::llm::q8::QuantizedRows;
    /// let mut row = vec![0.0f32; 32];
    /// row[0] = 2.54;
    /// row[1] = -1.0;
    /// let rows = QuantizedRows::new(&row, 32);
    /// assert_eq!(rows.bytes(0, 0)[..2], [127, -50]);
    /// assert!((rows.scale(0, 0) - 0.02).abs() < 1e-5);
    /// ```
    pub fn new(values: &[f32], width: usize) -> QuantizedRows {
        assert!(
            width > 0 && width % BLOCK == 0 && values.len() % width == 0,
            "rows of {width} numbers cannot be cut into blocks of {BLOCK}"
        );
        let blocks = values.len() / BLOCK;
        let mut scales = Vec::with_capacity(blocks);
        let mut bytes = vec![0i8; values.len()];
        for (block, out) in values
            .chunks_exact(BLOCK)
            .zip(bytes.chunks_exact_mut(BLOCK))
        {
            scales.push(round_block(block, out));
        }
        QuantizedRows {
            rows: values.len() / width,
            blocks_per_row: width / BLOCK,
            scales,
            bytes,
        }
    }

    /// How many rows.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// The scale of block `block` of row `row`.
    pub fn scale(&self, row: usize, block: usize) -> f32 {
        self.scales[row * self.blocks_per_row + block]
    }

    /// The 32 bytes of block `block` of row `row`.
    pub fn bytes(&self, row: usize, block: usize) -> &[i8] {
        let start = (row * self.blocks_per_row + block) * BLOCK;
        &self.bytes[start..start + BLOCK]
    }
}

/// Rounds one block to bytes (written to `out`); returns the scale, as a 16-bit float would
/// hold it. Exactly llama.cpp's (and candle's) `quantize_row_q8_0` rounding.
fn round_block(block: &[f32], out: &mut [i8]) -> f32 {
    let largest = block.iter().fold(0f32, |m, x| m.max(x.abs()));
    let scale = largest / 127.0;
    let inverse = if scale != 0.0 { 1.0 / scale } else { 0.0 };
    for (byte, x) in out.iter_mut().zip(block) {
        *byte = round_half_away(x * inverse).clamp(-128, 127) as i8;
    }
    f16::from_f32(scale).to_f32()
}

/// `value` to the nearest whole number, halves away from zero: exactly `f32::round`, for
/// values well inside `i32`. `f32::round` is a call into the C library on x86-64; written with
/// a conversion that cuts off the fraction, the compiler rounds eight numbers at a time.
///
/// ```
/// # use clinkit::llm::q8::round_half_away;
/// assert_eq!([2.5f32, -2.5, 2.49, -0.5, 0.4].map(round_half_away), [3, -3, 2, -1, 0]);
/// ```
pub fn round_half_away(value: f32) -> i32 {
    let truncated = value as i32;
    let fraction = value - truncated as f32;
    if fraction >= 0.5 {
        truncated + 1
    } else if fraction <= -0.5 {
        truncated - 1
    } else {
        truncated
    }
}

/// One weight row (its stored blocks, `weights_row`) times input row `row`: the plain
/// version of what [`product`] computes, with the very same result.
///
/// Per block, the 32 products of whole numbers are added up in eight groups of four
/// (exactly), each group times the two scales is added to its own running total (eight
/// totals, as eight lanes of an AVX2 register), and the eight totals are added at the end
/// in the order the fast version adds its lanes.
pub fn dot(format: WeightFormat, weights_row: &[u8], input: &QuantizedRows, row: usize) -> f32 {
    let mut totals = [0f32; 8];
    let blocks = weights_row.chunks_exact(format.block_bytes());
    for (block_index, block) in blocks.enumerate() {
        let (weight_scale, weights) = format.unpack(block);
        let scale = weight_scale * input.scale(row, block_index);
        let inputs = input.bytes(row, block_index);
        for (lane, total) in totals.iter_mut().enumerate() {
            let group: i32 = (4 * lane..4 * lane + 4)
                .map(|i| weights[i] as i32 * inputs[i] as i32)
                .sum();
            *total = scale.mul_add(group as f32, *total);
        }
    }
    add_lanes(totals)
}

/// The order AVX2 code adds eight lanes: halves first, then pairs, then the last two.
fn add_lanes(t: [f32; 8]) -> f32 {
    let half = [t[0] + t[4], t[1] + t[5], t[2] + t[6], t[3] + t[7]];
    (half[0] + half[2]) + (half[1] + half[3])
}

/// `weights` (`outputs` rows of stored blocks) times every input row: for each input row,
/// one number per weight row (`input.rows() × outputs` numbers, input row after input row).
///
/// # Panics
///
/// If `weights` is not `outputs` rows of as many blocks as an input row has.
pub fn product(
    format: WeightFormat,
    weights: &[u8],
    outputs: usize,
    input: &QuantizedRows,
) -> Vec<f32> {
    let matrix = Weights {
        format,
        bytes: weights,
        outputs,
    };
    products(&[matrix], input).remove(0)
}

/// One weight matrix for [`products`]: its format, its stored blocks, and how many rows.
#[derive(Debug, Clone, Copy)]
pub struct Weights<'a> {
    /// How its blocks are stored.
    pub format: WeightFormat,
    /// The stored blocks, row after row.
    pub bytes: &'a [u8],
    /// Its number of rows (outputs of the product).
    pub outputs: usize,
}

/// Several weight matrices times the same input rows, as one job for the threads: a layer's
/// query, key and value matrices all read the same input, and so do its two MLP matrices.
/// The input is rounded once and the threads meet once instead of once per matrix.
/// Returns one [`product`] result per matrix.
///
/// # Panics
///
/// If a matrix's bytes are not `outputs` rows of as many blocks as an input row has.
///
/// ```
/// use clinkit::llm::q8::{products, QuantizedRows, WeightFormat, Weights};
/// let row = |byte: u8| [&[0x00u8, 0x3c][..], &[byte; 32]].concat(); // scale 1.0
/// let (one_row, two_rows) = (row(1), [row(2), row(3)].concat());
/// let input = QuantizedRows::new(&[63.5f32; 32], 32); // scale 0.5, bytes 127
/// let format = WeightFormat::Q8_0;
/// let a = Weights { format, bytes: &one_row, outputs: 1 };
/// let b = Weights { format, bytes: &two_rows, outputs: 2 };
/// let results = products(&[a, b], &input);
/// assert_eq!(results, vec![vec![2032.0], vec![4064.0, 6096.0]]);
/// ```
pub fn products(matrices: &[Weights], input: &QuantizedRows) -> Vec<Vec<f32>> {
    let mut results: Vec<Vec<f32>> = matrices
        .iter()
        .map(|m| {
            let row_bytes = input.blocks_per_row * m.format.block_bytes();
            assert_eq!(
                m.bytes.len(),
                m.outputs * row_bytes,
                "{} weight rows of {} blocks need {} bytes",
                m.outputs,
                input.blocks_per_row,
                m.outputs * row_bytes
            );
            vec![0f32; input.rows * m.outputs]
        })
        .collect();
    let targets: Vec<Output> = results
        .iter_mut()
        .zip(matrices)
        .map(|(out, m)| Output {
            numbers: out.as_mut_ptr(),
            outputs: m.outputs,
        })
        .collect();
    // Work items of ROWS_PER_ITEM weight rows of one matrix; each runs over every input row.
    let items: Vec<usize> = matrices
        .iter()
        .map(|m| m.outputs.div_ceil(ROWS_PER_ITEM))
        .collect();
    let fast = fast_product_available();
    let work = |range: std::ops::Range<usize>| {
        let mut first_item = 0;
        for ((matrix, target), &count) in matrices.iter().zip(&targets).zip(&items) {
            let start = range.start.max(first_item);
            let end = range.end.min(first_item + count);
            if start < end {
                let rows = (start - first_item) * ROWS_PER_ITEM
                    ..matrix.outputs.min((end - first_item) * ROWS_PER_ITEM);
                multiply_rows(matrix, rows, input, target, fast);
            }
            first_item += count;
        }
    };
    candle_core::utils::barrier_pool().execute_chunked(items.iter().sum(), work);
    results
}

/// Rows `rows` of one matrix times every input row, written to `target`.
fn multiply_rows(
    matrix: &Weights,
    rows: std::ops::Range<usize>,
    input: &QuantizedRows,
    target: &Output,
    fast: bool,
) {
    if fast {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: the processor has AVX2, FMA and F16C (`fast`); every output number is
        // written by exactly one work item.
        unsafe {
            match matrix.format {
                WeightFormat::Q8_0 => avx2::q8_rows(matrix.bytes, rows, input, target),
                WeightFormat::Q5_0 if input.rows > 1 => {
                    avx2::q5_rows_as_q8(matrix.bytes, rows, input, target)
                }
                WeightFormat::Q5_0 => {
                    avx2::rows::<avx2::Q5, 1, 1>(matrix.bytes, rows, input, target)
                }
            }
        }
    } else {
        plain_rows(matrix.format, matrix.bytes, rows, input, target)
    }
}

/// Weight rows per work item handed to a thread.
const ROWS_PER_ITEM: usize = 16;

/// Where the threads write their results: input row `r`, weight row `w` goes to
/// `numbers[r * outputs + w]`. Threads write disjoint numbers, so sharing it is safe.
struct Output {
    numbers: *mut f32,
    outputs: usize,
}

// SAFETY: the work items write disjoint numbers (see `Output`).
unsafe impl Sync for Output {}

impl Output {
    /// # Safety
    /// `(row, output)` inside the output, and written by one thread only.
    unsafe fn write(&self, row: usize, output: usize, value: f32) {
        unsafe { *self.numbers.add(row * self.outputs + output) = value }
    }
}

/// The plain version for weight rows `rows` (processors without AVX2).
fn plain_rows(
    format: WeightFormat,
    weights: &[u8],
    rows: std::ops::Range<usize>,
    input: &QuantizedRows,
    out: &Output,
) {
    let row_bytes = input.blocks_per_row * format.block_bytes();
    for w in rows {
        let weights_row = &weights[w * row_bytes..(w + 1) * row_bytes];
        for r in 0..input.rows {
            // SAFETY: w is in this work item's rows only.
            unsafe { out.write(r, w, dot(format, weights_row, input, r)) }
        }
    }
}

/// Whether this processor runs the fast version (x86-64 with AVX2, FMA and F16C).
pub fn fast_product_available() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        is_x86_feature_detected!("avx2")
            && is_x86_feature_detected!("fma")
            && is_x86_feature_detected!("f16c")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

#[cfg(target_arch = "x86_64")]
mod avx2 {
    //! The fast version: a tile of `W` weight rows times `R` input rows at a time.
    use super::{Output, QuantizedRows, BLOCK};
    use std::arch::x86_64::*;

    /// A stored block format, unpacked in registers: the scale, and the 32 whole numbers
    /// as 32 signed bytes of one AVX2 register.
    pub(super) trait Format {
        /// Bytes of one stored block.
        const BYTES: usize;
        /// # Safety
        /// `block` points at a whole stored block; needs AVX2 and F16C.
        unsafe fn unpack(block: *const u8) -> (f32, __m256i);
    }

    /// Q8_0: the 32 bytes are the numbers.
    pub(super) struct Q8;
    /// Q5_0: 4-bit halves and fifth bits put together, minus 16.
    pub(super) struct Q5;

    /// A block's 16-bit float scale (its first two bytes) as a 32-bit float.
    #[inline(always)]
    unsafe fn scale(block: *const u8) -> f32 {
        let bits = (block as *const u16).read_unaligned();
        _mm_cvtss_f32(_mm_cvtph_ps(_mm_cvtsi32_si128(bits as i32)))
    }

    impl Format for Q8 {
        const BYTES: usize = 2 + BLOCK;
        #[inline(always)]
        unsafe fn unpack(block: *const u8) -> (f32, __m256i) {
            let bytes = _mm256_loadu_si256(block.add(2) as *const __m256i);
            (scale(block), bytes)
        }
    }

    impl Format for Q5 {
        const BYTES: usize = 2 + 4 + BLOCK / 2;
        #[inline(always)]
        unsafe fn unpack(block: *const u8) -> (f32, __m256i) {
            // Numbers 0-15 are the low halves of the 16 bytes, 16-31 the high halves.
            let packed = _mm_loadu_si128(block.add(6) as *const __m128i);
            let halves = _mm256_set_m128i(_mm_srli_epi16(packed, 4), packed);
            let halves = _mm256_and_si256(halves, _mm256_set1_epi8(0x0f));
            // Byte i gets fifth-bit byte i / 8, then keeps only bit i % 8.
            let fifth_bits = (block.add(2) as *const i32).read_unaligned();
            let spread = _mm256_shuffle_epi8(
                _mm256_set1_epi32(fifth_bits),
                _mm256_set_epi64x(
                    0x0303_0303_0303_0303,
                    0x0202_0202_0202_0202,
                    0x0101_0101_0101_0101,
                    0,
                ),
            );
            let bit = _mm256_set1_epi64x(0x8040_2010_0804_0201u64 as i64);
            let fifth_set = _mm256_cmpeq_epi8(_mm256_and_si256(spread, bit), bit);
            // half + 16 × fifth - 16: with the fifth bit it is the half itself; without, the
            // half minus 16, which as a signed byte is the half with the top four bits set.
            let minus_sixteen = _mm256_andnot_si256(fifth_set, _mm256_set1_epi8(0xf0u8 as i8));
            (scale(block), _mm256_or_si256(halves, minus_sixteen))
        }
    }

    /// Weight rows `rows` times every input row.
    ///
    /// Reading a prompt, tiles of `W` weight rows by `R` input rows; picking one
    /// token (one input row), one weight row at a time, read straight through: there the
    /// time goes into reading the weights from memory, which goes fastest in one stream.
    ///
    /// # Safety
    /// Needs AVX2, FMA and F16C; `rows` inside the weights; see [`Output`].
    #[target_feature(enable = "avx2,fma,f16c")]
    pub(super) unsafe fn rows<F: Format, const W: usize, const R: usize>(
        weights: &[u8],
        rows: std::ops::Range<usize>,
        input: &QuantizedRows,
        out: &Output,
    ) {
        let (tile_weights, tile_inputs) = (W, R);
        let at = |first_weight, first_input| Tile {
            weights,
            first_weight,
            input,
            first_input,
            out,
        };
        let mut w = rows.start;
        while w + tile_weights <= rows.end && input.rows >= tile_inputs {
            let mut r = 0;
            while r + tile_inputs <= input.rows {
                unsafe { tile::<F, W, R>(&at(w, r)) };
                r += tile_inputs;
            }
            for rest in r..input.rows {
                unsafe { tile::<F, W, 1>(&at(w, rest)) };
            }
            w += tile_weights;
        }
        for single in w..rows.end {
            for r in 0..input.rows {
                unsafe { tile::<F, 1, 1>(&at(single, r)) };
            }
        }
    }

    /// Q8_0 weight rows `rows` times every input row, in tiles of four weight rows by two
    /// input rows (the fastest shape measured; sixteen AVX2 registers hold the tile).
    ///
    /// # Safety
    /// As [`rows`].
    #[target_feature(enable = "avx2,fma,f16c")]
    pub(super) unsafe fn q8_rows(
        weights: &[u8],
        rows: std::ops::Range<usize>,
        input: &QuantizedRows,
        out: &Output,
    ) {
        self::rows::<Q8, 4, 2>(weights, rows, input, out)
    }

    /// Reading a prompt with Q5_0 weights: four weight rows at a time are unpacked into
    /// Q8_0 blocks in a small buffer (the very same numbers and scales), then multiplied as
    /// Q8_0 rows. Each block is unpacked once for all the prompt's positions instead of once
    /// per tile, and the weights stay stored as Q5_0.
    ///
    /// # Safety
    /// As [`rows`].
    #[target_feature(enable = "avx2,fma,f16c")]
    pub(super) unsafe fn q5_rows_as_q8(
        weights: &[u8],
        weight_rows: std::ops::Range<usize>,
        input: &QuantizedRows,
        out: &Output,
    ) {
        const GROUP: usize = 4;
        let blocks = input.blocks_per_row;
        let (q5_row, q8_row) = (blocks * Q5::BYTES, blocks * Q8::BYTES);
        let mut unpacked = vec![0u8; GROUP * q8_row];
        let mut first = weight_rows.start;
        while first < weight_rows.end {
            let count = GROUP.min(weight_rows.end - first);
            for k in 0..count {
                let stored = weights.as_ptr().add((first + k) * q5_row);
                let target = unpacked.as_mut_ptr().add(k * q8_row);
                for b in 0..blocks {
                    let (block, copy) = (stored.add(b * Q5::BYTES), target.add(b * Q8::BYTES));
                    let (_, numbers) = Q5::unpack(block);
                    std::ptr::copy_nonoverlapping(block, copy, 2); // the scale
                    _mm256_storeu_si256(copy.add(2) as *mut __m256i, numbers);
                }
            }
            // Row k of the buffer is weight row `first + k` of the output.
            let shifted = Output {
                numbers: out.numbers.add(first),
                outputs: out.outputs,
            };
            q8_rows(&unpacked[..count * q8_row], 0..count, input, &shifted);
            first += count;
        }
    }

    /// Where one tile starts.
    struct Tile<'a> {
        weights: &'a [u8],
        first_weight: usize,
        input: &'a QuantizedRows,
        first_input: usize,
        out: &'a Output,
    }

    /// `W` weight rows times `R` input rows: `W × R` dot products, each kept in its own
    /// register of eight running totals, with every loaded block used `R` or `W` times.
    ///
    /// # Safety
    /// As [`rows`]; the tile lies inside the weights and the input.
    #[target_feature(enable = "avx2,fma,f16c")]
    unsafe fn tile<F: Format, const W: usize, const R: usize>(at: &Tile) {
        let blocks = at.input.blocks_per_row;
        let row_bytes = blocks * F::BYTES;
        let ones = _mm256_set1_epi16(1);
        let mut totals = [[_mm256_setzero_ps(); R]; W];
        let weight_base = at.weights.as_ptr().add(at.first_weight * row_bytes);
        let input_base = at.first_input * blocks;
        for b in 0..blocks {
            let mut inputs = [_mm256_setzero_si256(); R];
            let mut magnitudes = [_mm256_setzero_si256(); R];
            let mut input_scales = [0f32; R];
            for i in 0..R {
                let at_block = input_base + i * blocks + b;
                let bytes = at.input.bytes.as_ptr().add(at_block * BLOCK);
                inputs[i] = _mm256_loadu_si256(bytes as *const __m256i);
                magnitudes[i] = _mm256_sign_epi8(inputs[i], inputs[i]);
                input_scales[i] = *at.input.scales.get_unchecked(at_block);
            }
            for (j, row_totals) in totals.iter_mut().enumerate() {
                let block = weight_base.add(j * row_bytes + b * F::BYTES);
                let (weight_scale, numbers) = F::unpack(block);
                for i in 0..R {
                    // |input| × (weight with the input's sign) = weight × input, as bytes;
                    // pairs added to 16 bits, then fours to 32 bits: exact whole numbers.
                    let signed = _mm256_sign_epi8(numbers, inputs[i]);
                    let pairs = _mm256_maddubs_epi16(magnitudes[i], signed);
                    let fours = _mm256_cvtepi32_ps(_mm256_madd_epi16(ones, pairs));
                    let scale = _mm256_set1_ps(weight_scale * input_scales[i]);
                    row_totals[i] = _mm256_fmadd_ps(scale, fours, row_totals[i]);
                }
            }
        }
        for (j, row_totals) in totals.iter().enumerate() {
            for (i, lanes) in row_totals.iter().enumerate() {
                let value = add_lanes(*lanes);
                at.out.write(at.first_input + i, at.first_weight + j, value);
            }
        }
    }

    /// Adds the eight lanes in the order of [`super::add_lanes`].
    #[target_feature(enable = "avx2,fma,f16c")]
    unsafe fn add_lanes(x: __m256) -> f32 {
        let half = _mm_add_ps(_mm256_extractf128_ps(x, 1), _mm256_castps256_ps128(x));
        let pairs = _mm_add_ps(half, _mm_movehl_ps(half, half));
        _mm_cvtss_f32(_mm_add_ss(pairs, _mm_movehdup_ps(pairs)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_half_away_is_f32_round() {
        let neighbours = |v: f32| {
            [
                v,
                f32::from_bits(v.to_bits() + 1),
                f32::from_bits(v.to_bits() - 1),
            ]
        };
        for whole in -130..=130 {
            let half = whole as f32 + 0.5;
            for v in neighbours(half)
                .into_iter()
                .chain(neighbours(whole as f32 + 0.013 * 37.0))
            {
                assert_eq!(round_half_away(v), v.round() as i32, "{v}");
            }
        }
    }

    /// Weight rows with varied scales and bytes: in Q8_0 all of -127..=127 appear, and any
    /// bytes are a valid Q5_0 block.
    fn weights(format: WeightFormat, outputs: usize, blocks: usize) -> Vec<u8> {
        let mut bytes = Vec::new();
        for w in 0..outputs {
            for b in 0..blocks {
                let scale = f16::from_f32(0.001 + ((w * 7 + b * 3) % 13) as f32 * 0.0007);
                bytes.extend(scale.to_bits().to_le_bytes());
                let byte = |i: usize| (((w * 31 + b * 17 + i * 13) % 255) as i32 - 127) as i8 as u8;
                bytes.extend((0..format.block_bytes() - 2).map(byte));
            }
        }
        bytes
    }

    fn inputs(rows: usize, width: usize) -> Vec<f32> {
        (0..rows * width)
            .map(|i| ((i * 7919) % 2001) as f32 / 1000.0 - 1.0)
            .collect()
    }

    #[test]
    fn fast_product_gives_the_bits_of_the_plain_dot_product() {
        // Odd sizes exercise every tile shape (4 and 1 weight rows; 2 and 1 input rows).
        for format in [WeightFormat::Q8_0, WeightFormat::Q5_0] {
            for (rows, outputs, width) in [(1, 37, 64), (5, 19, 640), (2, 4, 32), (7, 66, 96)] {
                let weights = weights(format, outputs, width / BLOCK);
                let input = QuantizedRows::new(&inputs(rows, width), width);
                let fast = product(format, &weights, outputs, &input);
                let row_bytes = width / BLOCK * format.block_bytes();
                for r in 0..rows {
                    for w in 0..outputs {
                        let row = &weights[w * row_bytes..(w + 1) * row_bytes];
                        let plain = dot(format, row, &input, r);
                        assert_eq!(
                            fast[r * outputs + w].to_bits(),
                            plain.to_bits(),
                            "{format:?}: input row {r}, weight row {w} ({rows}x{width} by {outputs})"
                        );
                    }
                }
            }
        }
    }

    /// Q5_0 weights give the numbers of the same weights rewritten as Q8_0 (what the model
    /// loader does where this product is not used).
    #[test]
    fn q5_0_product_equals_the_product_of_its_q8_0_rewrite() {
        let (rows, outputs, width) = (3, 10, 128);
        let q5 = weights(WeightFormat::Q5_0, outputs, width / BLOCK);
        let q8 = crate::llm::gguf::q5_0_to_q8_0(&q5);
        let input = QuantizedRows::new(&inputs(rows, width), width);
        let from_q5 = product(WeightFormat::Q5_0, &q5, outputs, &input);
        let from_q8 = product(WeightFormat::Q8_0, &q8, outputs, &input);
        let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&from_q5), bits(&from_q8));
        for block in q5.chunks_exact(WeightFormat::Q5_0.block_bytes()) {
            let (_, numbers) = WeightFormat::Q5_0.unpack(block);
            assert!(numbers.iter().all(|n| (-16..=15).contains(n)));
        }
    }

    #[test]
    fn product_equals_candles_packed_product_bit_for_bit() {
        use candle_core::quantized::{GgmlDType, QMatMul, QTensor};
        use candle_core::{Device, Module, Tensor};
        let (rows, outputs, width) = (9, 20, 640);
        let values = inputs(outputs, width)
            .into_iter()
            .map(|x| x * 0.3)
            .collect::<Vec<_>>();
        let w = Tensor::from_vec(values, (outputs, width), &Device::Cpu).unwrap();
        let packed = QTensor::quantize(&w, GgmlDType::Q8_0).unwrap();
        let x = inputs(rows, width);
        let packed = std::sync::Arc::new(packed);
        let candle = QMatMul::from_arc(packed.clone())
            .unwrap()
            .forward(&Tensor::from_vec(x.clone(), (rows, width), &Device::Cpu).unwrap())
            .unwrap()
            .flatten_all()
            .unwrap()
            .to_vec1::<f32>()
            .unwrap();
        let ours = product(
            WeightFormat::Q8_0,
            &packed.data().unwrap(),
            outputs,
            &QuantizedRows::new(&x, width),
        );
        let same = candle
            .iter()
            .zip(&ours)
            .filter(|(a, b)| a.to_bits() == b.to_bits());
        assert_eq!(
            same.count(),
            rows * outputs,
            "candle {candle:?}\nours {ours:?}"
        );
    }

    #[test]
    fn rounding_matches_llama_cpp() {
        // A block whose largest magnitude is 1.27: scale 0.01, 0.005 rounds away from zero.
        let mut block = vec![0f32; BLOCK];
        block[0] = -1.27;
        block[1] = 0.005;
        block[2] = 0.6349;
        let rows = QuantizedRows::new(&block, BLOCK);
        assert_eq!(&rows.bytes(0, 0)[..3], &[-127, 1, 63]);
        assert_eq!(rows.scale(0, 0), f16::from_f32(0.01).to_f32());
        let zeros = QuantizedRows::new(&[0f32; BLOCK], BLOCK);
        assert_eq!(zeros.scale(0, 0), 0.0);
        assert!(zeros.bytes(0, 0).iter().all(|&b| b == 0));
    }
}
