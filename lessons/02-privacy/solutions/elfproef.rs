//! Exercise: is this a BSN? The elfproef (reference solution).

/// True when `text` holds exactly nine digits (dots and spaces between them are allowed,
/// as in `1234.56.782`) that pass the elfproef: 9·d1 + 8·d2 + 7·d3 + 6·d4 + 5·d5 + 4·d6
/// + 3·d7 + 2·d8 − 1·d9 is a multiple of 11. Nine zeros is not a BSN.
pub fn is_bsn(text: &str) -> bool {
    if text.chars().any(|c| !(c.is_ascii_digit() || c == '.' || c == ' ')) {
        return false;
    }
    let digits: Vec<i64> = text.chars().filter_map(|c| c.to_digit(10)).map(i64::from).collect();
    if digits.len() != 9 || digits.iter().all(|&d| d == 0) {
        return false;
    }
    let weights = [9, 8, 7, 6, 5, 4, 3, 2, -1];
    let sum: i64 = digits.iter().zip(weights).map(|(d, w)| d * w).sum();
    sum % 11 == 0
}
