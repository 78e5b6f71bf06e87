//! Exercise: read a blood pressure out of a sentence.
//!
//! Replace the `todo!()` with your code, then run `clinkit lessons check 01`.

/// The first blood pressure in `text`, written as `SYSTOLIC/DIASTOLIC` (such as
/// `142/88`), as two numbers: `Some((142, 88))`. `None` when the text has none.
///
/// A trailing comma or full stop after the numbers (`142/88,`) is allowed.
pub fn blood_pressure(text: &str) -> Option<(u32, u32)> {
    todo!("find a word with a '/' and read the two numbers")
}
