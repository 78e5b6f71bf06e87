//! Exercise: plan a large extraction run before you start it.
//!
//! Replace each `todo!()` with your code, then run `clinkit lessons check 09`.

/// Hours to read `patients` files of `pages_per_patient` pages, when one core reads
/// `pages_per_second` pages a second and `cores` cores work side by side.
///
/// `hours_needed(2_000, 200, 1.0, 10)` is about 11.1 hours.
pub fn hours_needed(
    patients: u64,
    pages_per_patient: u64,
    pages_per_second: f64,
    cores: u64,
) -> f64 {
    todo!("total pages divided by the pages all cores read in an hour")
}

/// The fewest cores that finish within `hours`, or `None` when even one core per
/// patient file is not enough (a file is never split between cores).
///
/// `cores_needed(2_000, 200, 1.0, 24.0)` is `Some(5)`.
pub fn cores_needed(
    patients: u64,
    pages_per_patient: u64,
    pages_per_second: f64,
    hours: f64,
) -> Option<u64> {
    todo!("pages per second needed, divided by what one core does, rounded up")
}
