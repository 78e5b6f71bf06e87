//! Exercise: cut a long letter's tokens into overlapping windows.
//!
//! A model reads at most a fixed number of tokens at once (its context window). A long
//! patient file must be read in pieces. Pieces that overlap a little make sure a sentence
//! cut at a border is still seen whole in one of them.
//! Replace the `todo!()` with your code, then run `clinkit lessons check 03`.

/// `ids` cut into windows of at most `size` tokens, each starting `size - overlap` tokens
/// after the previous one, the last one ending at the end of `ids`. An empty `ids` gives
/// no windows. `overlap >= size` is an error (the windows would never move forward).
///
/// `windows(&[1, 2, 3, 4, 5, 6, 7], 4, 1)` is `Ok(vec![vec![1, 2, 3, 4], vec![4, 5, 6, 7]])`.
pub fn windows(ids: &[u32], size: usize, overlap: usize) -> Result<Vec<Vec<u32>>, String> {
    todo!("cut ids into overlapping windows")
}
