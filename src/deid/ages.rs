//! Ages: of the patient and of relatives (`70 jaar`, `67-jarige`, `zevenenzeventigjarige`,
//! `84-year-old`, `71yo`, `at age 47`, `sixty-eight-year-old`).
//!
//! Only the number (or number word) is the PHI span, not `jaar` or `year-old`.
//! Durations are not ages: `sinds 3 jaar`, `20 pack-years`, `2 years ago`.

use crate::data::PhiType;
use crate::deid::detector::{Hit, Rank};
use crate::deid::lexicon::number_word_value;

// Group 1 is the age in every pattern.
regex!(
    number_age_re,
    r"(?i)(?-u:\b)(\d{1,3})(?:[ ]?-[ ]?|[ ])?(?:jarige|jarig|-?years?[ -]old|-?yrs?[ -]old|yo(?-u:\b)|y/o(?-u:\b)|y\.o\.|jaar(?-u:\b)|jr(?-u:\b)\.?|j\.|years?(?-u:\b)|yrs?(?-u:\b)|y(?-u:\b))"
);
regex!(
    age_before_re,
    r"(?i)(?-u:\b)(?:aged|age|at the age of|leeftijd(?: van)?|op de leeftijd van)[ ]?:?[ ](\d{1,3})(?-u:\b)"
);
regex!(
    word_age_re,
    r"(?i)(?-u:\b)([a-zë]+(?:[- ][a-z]+)?)(?:[ ]?-[ ]?|[ ])?(?:jarige|jarig|year[ -]old|yo(?-u:\b))"
);

/// Words before a number that make it a duration, not an age.
const DURATION_BEFORE: &[&str] = &[
    "sinds",
    "sedert",
    "al",
    "ruim",
    "afgelopen",
    "laatste",
    "gedurende",
    "binnen",
    "over",
    "na",
    "voor",
    "per",
    "elke",
    "since",
    "for",
    "past",
    "last",
    "within",
    "over",
    "every",
    "after",
    "than",
    "in",
];

/// Words after the unit that make it a duration.
const DURATION_AFTER: &[&str] = &[
    "geleden",
    "ago",
    "later",
    "eerder",
    "earlier",
    "lang",
    "long",
    "pack",
    "packjaren",
    "follow-up",
    "follow",
    "oud",
    "durend",
];

/// Finds ages written in digits or in words.
pub(crate) fn find(text: &str, hits: &mut Vec<Hit>) {
    for c in number_age_re().captures_iter(text) {
        let (whole, number) = (c.get(0).unwrap(), c.get(1).unwrap());
        let unit = &text[number.end()..whole.end()];
        let lower_unit = unit.to_lowercase();
        let strong = lower_unit.contains("jarig")
            || lower_unit.contains("old")
            || lower_unit.contains("yo")
            || lower_unit.contains("y/o")
            || lower_unit.contains("y.o");
        let value: u32 = number.as_str().parse().unwrap_or(999);
        if value > 120 {
            continue;
        }
        let before = previous_word(&text[..number.start()]);
        let after_text = &text[whole.end()..];
        let after = next_word(after_text);
        if after_text.starts_with('-') || after_text.starts_with("/") {
            // "20 pack-years" has `pack` before; "5 jaar-overleving" is not an age.
            continue;
        }
        if before.eq_ignore_ascii_case("pack") || after.to_lowercase().starts_with("pack") {
            continue;
        }
        if !strong {
            let lower_before = before.to_lowercase();
            let lower_after = after.to_lowercase();
            if DURATION_BEFORE.contains(&lower_before.as_str())
                || DURATION_AFTER.contains(&lower_after.as_str())
                    && !(lower_after == "oud" && lower_unit.starts_with('j'))
            {
                continue;
            }
            // "3 y" or "5 years" only count as ages right after a name, a sex or a "(".
            let glued_y = lower_unit.trim() == "y";
            if glued_y && !text[..number.start()].trim_end().ends_with([',', '(']) {
                continue;
            }
        }
        hits.push(Hit::new(number.range(), PhiType::Age, Rank::Pattern));
    }
    for c in age_before_re().captures_iter(text) {
        let number = c.get(1).unwrap();
        if number.as_str().parse::<u32>().is_ok_and(|v| v <= 120) {
            hits.push(Hit::new(number.range(), PhiType::Age, Rank::Pattern));
        }
    }
    for c in word_age_re().captures_iter(text) {
        let word = c.get(1).unwrap();
        // The pattern may have taken a word before the number ("een zevenenzeventig");
        // try the whole match, then its last word.
        let mut candidates = vec![word.range()];
        if let Some(space) = word.as_str().rfind(' ') {
            candidates.push(word.start() + space + 1..word.end());
        }
        for range in candidates {
            if number_word_value(&text[range.clone()]).is_some_and(|v| (1..=120).contains(&v)) {
                hits.push(Hit::new(range, PhiType::Age, Rank::Pattern));
                break;
            }
        }
    }
}

/// The word right before a position (skipping spaces), without punctuation.
fn previous_word(before: &str) -> &str {
    let trimmed = before.trim_end_matches([' ', '(']);
    let start = trimmed
        .rfind(|c: char| !c.is_alphanumeric() && c != '-')
        .map_or(0, |i| {
            i + trimmed[i..].chars().next().map_or(1, char::len_utf8)
        });
    &trimmed[start..]
}

/// The word right after a position (skipping spaces).
fn next_word(after: &str) -> &str {
    let trimmed = after.trim_start_matches([' ', '.', ',']);
    let end = trimmed
        .find(|c: char| !c.is_alphanumeric() && c != '-')
        .unwrap_or(trimmed.len());
    &trimmed[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<&str> {
        crate::deid::detector::texts_found(text, find)
    }

    #[test]
    fn ages_in_digits_and_words() {
        assert_eq!(found("Mw. Jansen, 70 jaar, geb. 1953"), ["70"]);
        assert_eq!(
            found("een 67-jarige man; vader overleed op 52-jarige leeftijd"),
            ["67", "52"]
        );
        assert_eq!(
            found("een zevenenzeventigjarige vrouw"),
            ["zevenenzeventig"]
        );
        assert_eq!(found("This 84-year-old lady, 71yo"), ["84", "71"]);
        assert_eq!(found("sixty-eight-year-old female"), ["sixty-eight"]);
        assert_eq!(found("uncle had a stroke at age 60."), ["60"]);
    }

    #[test]
    fn durations_are_not_ages() {
        assert!(found("sinds 3 jaar klachten, 20 pack-years, 2 years ago").is_empty());
    }
}
