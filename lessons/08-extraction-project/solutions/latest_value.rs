//! Exercise: which value counts when a patient file says it more than once?
//! (reference solution)

/// One value of a one-value field (LVEF, NYHA class, smoking) found in a patient file.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// The value, such as `35`.
    pub value: String,
    /// The date of the part of the file it stands in, as `YYYY-MM-DD`; `None` when unknown.
    pub date: Option<String>,
    /// Where it stands in the file (character offset).
    pub position: usize,
}

/// True when `candidate` should replace `best`.
fn beats(candidate: &Finding, best: &Finding) -> bool {
    match (&candidate.date, &best.date) {
        (Some(_), None) => true,
        (None, Some(_)) => false,
        (Some(a), Some(b)) if a != b => a > b,
        _ => candidate.position > best.position,
    }
}

/// The finding that counts: the most recent date wins; a dated finding beats an undated
/// one; with equal dates (or no dates at all) the one later in the file wins. `None` when
/// there are no findings.
pub fn latest(findings: &[Finding]) -> Option<&Finding> {
    let mut best: Option<&Finding> = None;
    for finding in findings {
        best = match best {
            Some(current) if !beats(finding, current) => Some(current),
            _ => Some(finding),
        };
    }
    best
}
