//! Exercise: plan a large extraction run before you start it (reference solution).

/// Hours to read `patients` files of `pages_per_patient` pages, when one core reads
/// `pages_per_second` pages a second and `cores` cores work side by side.
pub fn hours_needed(
    patients: u64,
    pages_per_patient: u64,
    pages_per_second: f64,
    cores: u64,
) -> f64 {
    let pages = (patients * pages_per_patient) as f64;
    pages / (pages_per_second * cores as f64) / 3600.0
}

/// The fewest cores that finish within `hours`, or `None` when even one core per
/// patient file is not enough (a file is never split between cores).
pub fn cores_needed(
    patients: u64,
    pages_per_patient: u64,
    pages_per_second: f64,
    hours: f64,
) -> Option<u64> {
    let pages = (patients * pages_per_patient) as f64;
    let needed = pages / (hours * 3600.0) / pages_per_second;
    let cores = (needed.ceil() as u64).max(1);
    (cores <= patients).then_some(cores)
}
