//! Exercise: where the counts come from (reference solution).

use clinkit::eval::Counts;

/// A name as it is compared: without spaces around it, in lowercase.
fn normal(name: &str) -> String {
    name.trim().to_lowercase()
}

/// The counts for one letter. Names are the same when they are equal after
/// `.trim().to_lowercase()` ("Metformin " and "metformin" are the same name).
pub fn count(gold: &[&str], found: &[&str]) -> Counts {
    let mut unused: Vec<String> = gold.iter().map(|name| normal(name)).collect();
    let mut counts = Counts::new(0, 0, 0);
    for name in found {
        match unused.iter().position(|g| *g == normal(name)) {
            Some(at) => {
                unused.remove(at);
                counts.tp += 1;
            }
            None => counts.fp += 1,
        }
    }
    counts.fn_ = unused.len();
    counts
}
