//! Exercise: cut a long letter's tokens into overlapping windows (reference solution).

/// `ids` cut into windows of at most `size` tokens, each starting `size - overlap` tokens
/// after the previous one, the last one ending at the end of `ids`. An empty `ids` gives
/// no windows. `overlap >= size` is an error (the windows would never move forward).
pub fn windows(ids: &[u32], size: usize, overlap: usize) -> Result<Vec<Vec<u32>>, String> {
    if overlap >= size {
        return Err(format!(
            "an overlap of {overlap} tokens needs windows larger than {overlap}, not {size}"
        ));
    }
    let step = size - overlap;
    let mut result = Vec::new();
    let mut start = 0;
    while start < ids.len() {
        let end = (start + size).min(ids.len());
        result.push(ids[start..end].to_vec());
        if end == ids.len() {
            break;
        }
        start += step;
    }
    Ok(result)
}
