//! Identifiers: BSN (checked with the elfproef) and other numbers that point at a person
//! (hospital numbers, NHS numbers, AGB and GMC codes, lab order numbers).
//!
//! A **BSN** (burgerservicenummer) has 9 digits d1..d9 with a built-in check, the
//! *elfproef*: 9·d1 + 8·d2 + … + 2·d8 − d9 must be a multiple of 11. A 9-digit lab
//! number that fails the check is therefore not a BSN (it is still an identifier when a
//! label such as `Aanvraagnummer:` says so). The check is
//! [`crate::synth::elfproef`], shared with the synthetic generator.

use crate::data::PhiType;
use crate::deid::detector::{Hit, Rank};
use crate::synth::elfproef;

/// Labels that announce an identifier (any case).
const ID_LABELS: &str = r"pati[eë]nt(?:en)?(?:nummer|nr)|pat\.?[ ]?nr|ziekenhuisnummer|zkh[.-]?nr|registratienummer|dossiernummer|aanvraagnummer|aanvraagnr|ordernummer|labnummer|monsternummer|agb(?:-code)?|big(?:-nummer)?|uzi(?:-nummer)?|polisnummer|verzekerdennummer|nhs(?:[ ]no|[ ]number)?|hospital[ ](?:no|number)|unit[ ](?:no|number)|mrn|request[ ](?:no|number)|lab[ ](?:no|number)|order[ ](?:no|number)|sample[ ](?:no|number)|specimen[ ](?:no|number)|record[ ](?:no|number)|gmc(?:[ ]no|[ ]number)?|chi(?:[ ]no|[ ]number)?|id|nr";

regex!(
    labelled_id_re,
    &format!(
        r"(?i)(?-u:\b)(?:{ID_LABELS})\.?[ ]?[:#]?[ ]?((?:[A-Z]{{1,3}}[- ]?)?\d(?:[ ]?\d){{3,13}}|\d{{3}}[ ]\d{{3}}[ ]\d{{4}})(?-u:\b)"
    )
);
regex!(
    id_label_before_re,
    &format!(r"(?i)(?-u:\b)(?:{ID_LABELS})\.?[ ]?[:#]?[ ]?$")
);
regex!(
    bsn_label_before_re,
    r"(?i)(?-u:\b)(?:bsn|burgerservicenummer|sofi-?nummer)(?-u:\b)[^\n\d]{0,12}$"
);
regex!(
    bsn_re,
    r"(?-u:\b)\d{9}(?-u:\b)|(?-u:\b)\d{3}[ ]\d{3}[ ]\d{3}(?-u:\b)|(?-u:\b)\d{4}\.\d{2}\.\d{3}(?-u:\b)|(?-u:\b)\d{2}\.\d{2}\.\d{2}\.\d{3}(?-u:\b)"
);
regex!(
    bare_id_re,
    r"(?-u:\b)[A-Z]{1,2}\d{6,9}(?-u:\b)|(?-u:\b)\d{7,10}(?-u:\b)"
);

/// Burgerservicenummers: 9 digits (also written `123 456 782` or `1234.56.782`) that pass
/// the elfproef. A BSN label before it makes it certain; a number after another
/// identifier's label (`Aanvraagnummer:`) is left to [`find_ids`].
pub(crate) fn find_bsns(text: &str, hits: &mut Vec<Hit>) {
    for m in bsn_re().find_iter(text) {
        if !elfproef(m.as_str()) {
            continue;
        }
        let before = &text[floor_boundary(text, m.start().saturating_sub(40))..m.start()];
        let before = before.rsplit('\n').next().unwrap_or(before);
        if bsn_label_before_re().is_match(before) {
            hits.push(Hit::new(m.range(), PhiType::Bsn, Rank::Exact));
        } else if !id_label_before_re().is_match(before) {
            hits.push(Hit::new(m.range(), PhiType::Bsn, Rank::Pattern));
        }
    }
}

/// Identifiers after a label (`patiëntnr. 7783354`, `NHS no. 999 035 5215`,
/// `AGB-code: 01493067`), and, with less certainty, long bare numbers (7 to 10 digits)
/// and a letter or two followed by 6 to 9 digits (`K8222247`).
pub(crate) fn find_ids(text: &str, hits: &mut Vec<Hit>) {
    for c in labelled_id_re().captures_iter(text) {
        if let Some(m) = c.get(1) {
            let digits = m.as_str().chars().filter(char::is_ascii_digit).count();
            if digits >= 5 {
                hits.push(Hit::new(m.range(), PhiType::Id, Rank::Cued));
            }
        }
    }
    for m in bare_id_re().find_iter(text) {
        let after = text[m.end()..].chars().next();
        let before = text[..m.start()].chars().next_back();
        if after.is_some_and(|c| matches!(c, ',' | '.'))
            && text[m.end()..]
                .chars()
                .nth(1)
                .is_some_and(|c| c.is_ascii_digit())
            || before.is_some_and(|c| matches!(c, ',' | '.' | '/' | '-'))
        {
            continue;
        }
        hits.push(Hit::new(m.range(), PhiType::Id, Rank::Weak));
    }
}

/// The largest character boundary at or before `index`.
pub(crate) fn floor_boundary(text: &str, mut index: usize) -> usize {
    while !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_number_failing_the_elfproef_is_not_a_bsn() {
        let mut hits = Vec::new();
        find_bsns("BSN 111222333, lab 123456789, BSN: 1234.56.782", &mut hits);
        let found: Vec<_> = hits.iter().map(|h| h.start).collect();
        // 111222333 passes, 123456789 fails, 1234.56.782 passes.
        assert_eq!(found, [4, 35]);
    }

    #[test]
    fn labelled_ids() {
        let text = "patiëntnr. 7783354 | NHS no. 999 035 5215 | hospital no. K8222247";
        let mut hits = Vec::new();
        find_ids(text, &mut hits);
        let cued: Vec<&str> = hits
            .iter()
            .filter(|h| h.rank == Rank::Cued)
            .map(|h| &text[h.start..h.end])
            .collect();
        assert_eq!(cued, ["7783354", "999 035 5215", "K8222247"]);
    }
}
