//! A tiny seeded random number generator, written out so the corpus never changes
//! because some crate changed its algorithm.

/// A seeded random number generator (the *SplitMix64* algorithm, 64 bits of state).
///
/// "Random" here means *looks random but is fully determined by the seed*: the same
/// seed always gives the same numbers, on every machine and with every Rust version.
/// That is what makes the synthetic corpus reproducible byte for byte.
///
/// ```
/// use clinkit::synth::Rng;
/// let mut a = Rng::new(42);
/// let mut b = Rng::new(42);
/// assert_eq!(a.next_u64(), b.next_u64());
/// let dice = a.range(1, 6);
/// assert!((1..=6).contains(&dice));
/// ```
#[derive(Debug, Clone)]
pub struct Rng {
    state: u64,
}

impl Rng {
    /// A generator that starts from `seed`.
    pub fn new(seed: u64) -> Self {
        Rng { state: seed }
    }

    /// A generator for one numbered item of one named stream, such as letter number 7 of
    /// the stream `"referral"`. Each item gets its own generator, so item 7 is the same
    /// whether you generate 10 items or 1,000.
    ///
    /// ```
    /// use clinkit::synth::Rng;
    /// let mut first = Rng::for_item(42, "referral", 7);
    /// let mut again = Rng::for_item(42, "referral", 7);
    /// assert_eq!(first.next_u64(), again.next_u64());
    /// assert_ne!(Rng::for_item(42, "referral", 8).next_u64(), Rng::for_item(42, "referral", 7).next_u64());
    /// ```
    pub fn for_item(seed: u64, stream: &str, index: u64) -> Self {
        let mut mixer = Rng::new(seed ^ fnv1a(stream));
        let base = mixer.next_u64();
        let mut item = Rng::new(base ^ index.wrapping_mul(0xD1B5_4A32_D192_ED03));
        // Throw away one number so that neighbouring items start far apart.
        item.next_u64();
        item
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A whole number from `0` up to (not including) `n`. `n` must be at least 1.
    pub fn below(&mut self, n: usize) -> usize {
        assert!(n > 0, "Rng::below needs at least one choice");
        ((self.next_u64() as u128 * n as u128) >> 64) as usize
    }

    /// A whole number from `low` to `high`, both included.
    pub fn range(&mut self, low: i64, high: i64) -> i64 {
        assert!(low <= high, "Rng::range needs low <= high");
        let width = (high - low) as u64 + 1;
        low + ((self.next_u64() as u128 * width as u128) >> 64) as i64
    }

    /// True with a chance of `percent` in 100.
    pub fn chance(&mut self, percent: u32) -> bool {
        (self.below(100) as u32) < percent
    }

    /// One item of a non-empty list, each equally likely.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// Puts a list in a random order (Fisher-Yates shuffle).
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for last in (1..items.len()).rev() {
            let other = self.below(last + 1);
            items.swap(last, other);
        }
    }
}

/// The FNV-1a hash of a text: turns a stream name into a number.
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xCBF2_9CE4_8422_2325, |hash, byte| {
        (hash ^ byte as u64).wrapping_mul(0x0000_0100_0000_01B3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix_matches_the_reference_values() {
        // First outputs of SplitMix64 seeded with 0 (from the reference implementation).
        let mut rng = Rng::new(0);
        assert_eq!(rng.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(rng.next_u64(), 0x6E78_9E6A_A1B9_65F4);
    }

    #[test]
    fn below_and_range_stay_inside() {
        let mut rng = Rng::new(7);
        for _ in 0..1000 {
            assert!(rng.below(3) < 3);
            let value = rng.range(-2, 2);
            assert!((-2..=2).contains(&value));
        }
    }
}
