//! Exercise: read a blood pressure out of a sentence (reference solution).

/// The first blood pressure in `text`, written as `SYSTOLIC/DIASTOLIC`.
pub fn blood_pressure(text: &str) -> Option<(u32, u32)> {
    text.split_whitespace().find_map(read_pair)
}

/// `"142/88,"` becomes `Some((142, 88))`; anything else `None`.
fn read_pair(word: &str) -> Option<(u32, u32)> {
    let word = word.trim_end_matches(['.', ',', ';']);
    let (systolic, diastolic) = word.split_once('/')?;
    Some((systolic.parse().ok()?, diastolic.parse().ok()?))
}
