//! Healthcare institutions: hospitals, practices, pharmacies, health centres.
//!
//! An institution name is a *head word* that says what kind of place it is plus the
//! words that name it. Dutch puts the head first (`Ziekenhuis Rivierenland`,
//! `Huisartsenpraktijk De Eikenhof`, `Apotheek Lozande`) or last (`Sint Elwonius
//! Gasthuis`); English puts it last (`Renborough General Hospital`, `St Gervardus's
//! Hospital`, `Mill Street Surgery`, `Marleigh Pharmacy`). A department (`Polikliniek
//! Cardiologie`) is not PHI.

use std::ops::Range;

use crate::data::PhiType;
use crate::deid::detector::{Hit, Rank};
use crate::deid::lexicon::is_not_name;

/// Dutch head words that come before the name.
const HEADS_FIRST: &str = "Universitair Medisch Centrum|UMC|Academisch Ziekenhuis|Academisch Medisch Centrum|Medisch Centrum|Medisch Spectrum|Streekziekenhuis|Ziekenhuis|Huisartsenpraktijk|Huisartsenpost|Huisartsencentrum|Gezondheidscentrum|Apotheek|Verpleeghuis|Verzorgingshuis|Revalidatiecentrum|Zorgcentrum|Hartcentrum|Trombosedienst|Kliniek|Maatschap";

/// Head words that come after the name (Dutch and English).
const HEADS_LAST: &str = "General Hospital|University Hospital|Community Hospital|Teaching Hospital|Royal Infirmary|Hospital|Infirmary|Health Centre|Health Center|Medical Centre|Medical Center|Medical Practice|Family Practice|Group Practice|Surgery|Pharmacy|Chemist|Clinic|Hospice|NHS Trust|NHS Foundation Trust|Gasthuis|Ziekenhuis|Kliniek|Medisch Centrum|Apotheek|UMC|MC";

/// A capitalised name word (`Oud-Velwijk`, `Gervardus's`, `'t`).
const NAME_WORD: &str = r"(?:\p{Lu}[\p{L}'’-]*|'t)";

regex!(
    head_first_re,
    format!(
        r"(?-u:\b)(?:{HEADS_FIRST})(?:[ ](?:De|Het|'t|de|het|Sint|St\.?|Onze Lieve Vrouwe))?(?:[ ]{NAME_WORD}){{1,2}}"
    )
);
regex!(
    head_last_re,
    format!(
        r"(?:(?-u:\b)(?:St\.?|Sint|Saint)[ ])?(?:{NAME_WORD}[ ]){{1,3}}(?:{HEADS_LAST})(?-u:\b)"
    )
);

/// Words that may start a match but are not part of the institution's name.
const NOT_LEADING: &[&str] = &[
    "The",
    "To",
    "At",
    "In",
    "From",
    "Van",
    "Aan",
    "Naar",
    "Bij",
    "Via",
    "Dear",
    "Consultant",
    "Cardiologist",
    "Cardiology",
    "Department",
    "Referral",
    "Dr",
    "GP",
    "Re",
    "Date",
    "Seen",
    "Copy",
    "Verwezen",
    "Referred",
    "Your",
    "Our",
    "Uw",
    "Het",
    "De",
    "Een",
    "A",
    "An",
];

/// Words that name a department or a kind of care, not a place: `Heart Failure Clinic`
/// and `Anticoagulation Clinic` are departments.
const DEPARTMENT_WORDS: &[&str] = &[
    "Heart",
    "Failure",
    "Cardiac",
    "Cardiology",
    "Cardiologie",
    "Chest",
    "Pain",
    "Rapid",
    "Access",
    "Outpatient",
    "Outpatients",
    "Anticoagulation",
    "Warfarin",
    "Arrhythmia",
    "Syncope",
    "Valve",
    "Pacing",
    "Device",
    "Lipid",
    "Hypertension",
    "Diabetes",
    "Memory",
    "Nurse",
    "Nurse-led",
    "Hartfalen",
    "Poli",
    "Polikliniek",
    "Trombose",
    "Stollings",
    "Pre-operative",
    "Preoperative",
    "Day",
    "Eye",
    "Fracture",
    "Renal",
    "Respiratory",
    "Stroke",
    "TIA",
    "Walk-in",
    "Urgent",
    "Care",
    "Treatment",
    "Community",
    "Private",
];

/// Finds institution names.
pub(crate) fn find(text: &str, hits: &mut Vec<Hit>) {
    for m in head_first_re().find_iter(text) {
        let range = drop_trailing_common_words(text, m.range());
        if range.end > m.start() && text[range.clone()].contains(' ') {
            hits.push(Hit::new(range, PhiType::Institution, Rank::Pattern));
        }
    }
    for m in head_last_re().find_iter(text) {
        let mut start = m.start();
        loop {
            let rest = &text[start..m.end()];
            let first = rest.split(' ').next().unwrap_or("");
            if NOT_LEADING.contains(&first) && rest.len() > first.len() {
                start += first.len() + 1;
            } else {
                break;
            }
        }
        // At least one name word before the head word, and not only department words.
        let found = &text[start..m.end()];
        let head_only = HEADS_LAST.split('|').any(|head| head == found);
        let head = HEADS_LAST
            .split('|')
            .filter(|head| found.ends_with(head))
            .max_by_key(|head| head.len())
            .unwrap_or("");
        let mut name_words = found[..found.len() - head.len()].split_whitespace();
        let department = name_words.all(|w| DEPARTMENT_WORDS.contains(&w) || is_not_name(w));
        if !head_only && !department {
            hits.push(Hit::new(
                start..m.end(),
                PhiType::Institution,
                Rank::Pattern,
            ));
        }
    }
}

/// Drops trailing words such as `Cardiologie` or `Polikliniek` that follow a name.
fn drop_trailing_common_words(text: &str, mut range: Range<usize>) -> Range<usize> {
    while let Some(space) = text[range.clone()].rfind(' ') {
        let last = &text[range.start + space + 1..range.end];
        if is_not_name(last) {
            range.end = range.start + space;
        } else {
            break;
        }
    }
    range
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<&str> {
        crate::deid::detector::texts_found(text, find)
    }

    #[test]
    fn dutch_and_english_institutions() {
        assert_eq!(
            found("Aan: Medisch Centrum Zuidvliewijk\n"),
            ["Medisch Centrum Zuidvliewijk"]
        );
        assert_eq!(
            found("Huisartsenpraktijk De Eikenhof\n"),
            ["Huisartsenpraktijk De Eikenhof"]
        );
        assert_eq!(
            found("To: Renborough General Hospital\n"),
            ["Renborough General Hospital"]
        );
        assert_eq!(
            found("Dr Smith (Mill Street Surgery)"),
            ["Mill Street Surgery"]
        );
        assert_eq!(
            found("cardioloog, Sint Elwonius Gasthuis\n"),
            ["Sint Elwonius Gasthuis"]
        );
        assert!(found("Polikliniek Cardiologie, the Hospital").is_empty());
    }
}
