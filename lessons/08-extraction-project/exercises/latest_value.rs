//! Exercise: which value counts when a patient file says it more than once?
//!
//! A 200-page patient file holds years of letters, echo reports and lab results. The LVEF
//! may be 55% in 2017 and 35% in 2023: for research you want the most recent one. Each
//! value a model (or a rule) finds comes with the date of the part of the file it stands
//! in (`None` when the part has no date) and its position in the file.
//! Replace the `todo!()` with your code, then run `clinkit lessons check 08`.

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

/// The finding that counts: the most recent date wins; a dated finding beats an undated
/// one; with equal dates (or no dates at all) the one later in the file wins. `None` when
/// there are no findings.
pub fn latest(findings: &[Finding]) -> Option<&Finding> {
    todo!("pick the finding that counts")
}
