//! Addresses: a street with its house number, and the town.
//!
//! Dutch streets end in a handful of words (`-straat`, `-weg`, `-laan`, `-plein`,
//! `-kade`, `-gracht`, `-singel`, `-dreef`, `-pad`, `-hof`...) and put the number after
//! the name (`Tulpenweg 117`, `Havenhof 41-II`); British ones end in `Road`, `Street`,
//! `Lane`, `Close`... and put the number first (`138 Park Avenue`).
//!
//! A town has no shape of its own, so it is found by its place in an address: after a
//! Dutch postcode (`4453 RC Marhaven`), before a British one (`Fencester, TB8 1GD`, or
//! the line above the postcode), or before the date at the top of a letter
//! (`Oud-Helzijl, 3 jan 2019`). Once found, the same town elsewhere in the document is
//! marked too.

use std::collections::HashSet;
use std::ops::Range;

use crate::data::PhiType;
use crate::deid::dates::WrittenDate;
use crate::deid::detector::{Hit, Rank};
use crate::deid::lexicon::{is_not_name, TOWNS_EN, TOWNS_NL};

/// Endings of Dutch street names.
const NL_STREET_ENDINGS: &str = "straat|straatweg|weg|laan|plein|kade|gracht|singel|dreef|pad|hof|park|dijk|steeg|markt|ring|plantsoen|wal|baan|dam|erf|burg|oord|akker|haven|kamp|gaarde|zoom|rade|poort|vest|allee|boulevard|brink|hoven|veld|berg|straatje|laantje|steegje|promenade";

/// British street words.
const UK_STREET_WORDS: &str = "Road|Street|Lane|Avenue|Close|Way|Crescent|Gardens|Drive|Place|Court|Terrace|Grove|Hill|Park|Square|Row|Walk|Mews|Rise|View|Green|Parade|Broadway|Gate|Wharf|Yard|Circus|Embankment";

/// A town name: capitalised words joined by `-` or a space (`Groot-Velwijk`, `Den Haag`,
/// `'s-Hertogenbosch`).
const TOWN: &str =
    r"(?:'s-)?\p{Lu}[\p{Ll}'’]+(?:(?:-|[ ])(?:\p{Lu}[\p{Ll}'’]+|aan|op|de|den|der|in))*";

regex!(
    nl_street_re,
    format!(
        r"(?-u:\b)(?:\p{{Lu}}[\p{{Ll}}.]+[ ]){{0,2}}\p{{Lu}}[\p{{Ll}}'’-]*(?:{NL_STREET_ENDINGS})[ ]\d{{1,5}}(?:[ ]?[a-zA-Z](?-u:\b)|-\d{{1,3}}(?-u:\b)|-I{{1,3}}V?(?-u:\b)|[ ]?(?:hs|bis)(?-u:\b))?"
    )
);
regex!(
    uk_street_re,
    format!(
        r"(?-u:\b)\d{{1,4}}[a-zA-Z]?[ ](?:\p{{Lu}}[\p{{Ll}}'’-]+[ ]){{1,3}}(?:{UK_STREET_WORDS})(?-u:\b)"
    )
);
regex!(
    town_after_nl_postcode_re,
    format!(r"(?-u:\b)[1-9]\d{{3}}[ ]?[A-Z]{{2}}[ ]{{1,3}}({TOWN})")
);
regex!(
    town_before_uk_postcode_re,
    format!(r"({TOWN})(?:,[ ]?|[ ]+|[ ]*\n[ ]*)[A-Z]{{1,2}}\d[A-Z\d]?[ ]?\d[A-Z]{{2}}(?-u:\b)")
);
regex!(
    town_before_date_re,
    format!(r"(?m)^[ ]*({TOWN}),[ ]+([^\n]+)$")
);
regex!(
    uk_street_line_then_town_re,
    format!(
        r"(?m)^\d{{1,4}}[a-zA-Z]?[ ](?:\p{{Lu}}[\p{{Ll}}'’-]+[ ]){{1,3}}(?:{UK_STREET_WORDS}),?[ ]*\n[ ]*({TOWN})[ ]*$"
    )
);
regex!(
    town_after_preposition_re,
    format!(r"(?-u:\b)(?:in|te|uit|naar|nabij|bij|from|near|to|at)[ ]({TOWN})")
);
regex!(
    capword_re,
    r"(?:'s-)?(?-u:\b)\p{Lu}[\p{Ll}'’]+(?:-\p{Lu}[\p{Ll}'’]+)*"
);

/// Finds streets with house numbers and towns.
pub(crate) fn find(text: &str, hits: &mut Vec<Hit>) {
    for m in nl_street_re().find_iter(text) {
        let range = drop_leading_labels(text, m.range());
        hits.push(Hit::new(range, PhiType::Address, Rank::Pattern));
    }
    for m in uk_street_re().find_iter(text) {
        hits.push(Hit::new(m.range(), PhiType::Address, Rank::Pattern));
    }
    let mut towns: Vec<Range<usize>> = Vec::new();
    for c in town_after_nl_postcode_re().captures_iter(text) {
        towns.push(c.get(1).unwrap().range());
    }
    for c in town_before_uk_postcode_re().captures_iter(text) {
        let town = c.get(1).unwrap();
        // `Mill Lane, AB1 2CD` has a street, not a town, before the postcode.
        let is_street = town
            .as_str()
            .rsplit(' ')
            .next()
            .is_some_and(|last| UK_STREET_WORDS.split('|').any(|w| w == last));
        if !is_street {
            towns.push(town.range());
        }
    }
    for c in uk_street_line_then_town_re().captures_iter(text) {
        towns.push(c.get(1).unwrap().range());
    }
    for c in town_before_date_re().captures_iter(text) {
        let rest = c.get(2).unwrap().as_str().trim();
        if WrittenDate::parse(rest, false).is_some() {
            towns.push(c.get(1).unwrap().range());
        }
    }
    // A town from the lists of larger towns after `in`, `te`, `uit`, `from`...:
    // `woont in Arnhem`, `lives in Leeds`.
    for c in town_after_preposition_re().captures_iter(text) {
        let town = c.get(1).unwrap();
        if TOWNS_NL.contains(&town.as_str()) || TOWNS_EN.contains(&town.as_str()) {
            towns.push(town.range());
        }
    }
    towns.retain(|t| {
        let word = &text[t.clone()];
        !is_not_name(word) && word.chars().count() >= 2
    });
    let known: HashSet<&str> = towns.iter().map(|t| &text[t.clone()]).collect();
    for town in towns {
        hits.push(Hit::new(town, PhiType::Address, Rank::Pattern));
    }
    if known.is_empty() {
        return;
    }
    // The same town elsewhere in the document (a capitalised word, possibly hyphenated).
    for m in capword_re().find_iter(text) {
        if known.contains(m.as_str()) {
            hits.push(Hit::new(m.range(), PhiType::Address, Rank::Context));
        }
    }
}

/// `Adres: Kerkstraat 1` may have let the pattern start at a label; keep the street only.
fn drop_leading_labels(text: &str, mut range: Range<usize>) -> Range<usize> {
    while let Some(space) = text[range.clone()].find(' ') {
        let first = &text[range.start..range.start + space];
        if is_not_name(first) || first.ends_with(':') {
            range.start += space + 1;
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
        let mut found = crate::deid::detector::texts_found(text, find);
        found.sort_by_key(|piece| (piece.as_ptr(), piece.len())); // in text order, each piece once
        found.dedup_by_key(|piece| (piece.as_ptr(), piece.len()));
        found
    }

    #[test]
    fn dutch_addresses() {
        assert_eq!(
            found("Adres: Tulpenweg 117, 4453 RC Marhaven\n"),
            ["Tulpenweg 117", "Marhaven"]
        );
        assert_eq!(
            found("Havenhof 41-II\n4267ZA  Hooghelzijl"),
            ["Havenhof 41-II", "Hooghelzijl"]
        );
        assert_eq!(found("Oud-Helzijl, 3 jan 2019\n"), ["Oud-Helzijl"]);
    }

    #[test]
    fn british_addresses() {
        assert_eq!(
            found("Address: 149 Mill Close, Fenmouth, HX4 2XX\n"),
            ["149 Mill Close", "Fenmouth"]
        );
        assert_eq!(
            found("74 Beech Gardens\nStanwick\nAB17 6PG\n"),
            ["74 Beech Gardens", "Stanwick"]
        );
    }
}
