//! PHI with a fixed shape: e-mail addresses, web addresses, phone numbers, postcodes.
//!
//! These are found by *regular expressions* (patterns of characters) plus a check in
//! code where a pattern alone is not enough: a phone number must have the right number
//! of digits for its country, and a Dutch postcode that looks like a year before an
//! abbreviation (`2016 PE`, a pulmonary embolism in 2016) is not a postcode.

use std::ops::Range;

use crate::data::PhiType;
use crate::deid::detector::{Hit, Rank};

regex!(
    email_re,
    r"(?i)(?-u:\b)[a-z0-9][a-z0-9._%+-]*@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}(?-u:\b)"
);
regex!(
    url_re,
    r"(?i)(?-u:\b)(?:https?://|www\.)[a-z0-9-]+(?:\.[a-z0-9-]+)+(?:/[^\s<>()|]*)?"
);
regex!(
    bare_domain_re,
    r"(?-u:\b)[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:nl|com|org|net|nhs\.uk|co\.uk|org\.uk|uk|eu|be|de|info)(?-u:\b)(?:/[^\s<>()|]*)?"
);
regex!(
    phone_re,
    r"(?:\+\d{2}[ ]?(?:\(0\)[ ]?)?|\(0\d{1,4}\)[ ]?|(?-u:\b)0)\d(?:[ -]?\d){5,11}(?-u:\b)"
);
regex!(date_like_re, r"^\(?\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}");
regex!(nl_postcode_re, r"(?-u:\b)[1-9]\d{3}[ ]?[A-Z]{2}(?-u:\b)");
regex!(
    uk_postcode_re,
    r"(?-u:\b)[A-Z]{1,2}\d[A-Z\d]?[ ]?\d[A-Z]{2}(?-u:\b)"
);

/// E-mail addresses.
pub(crate) fn find_emails(text: &str, hits: &mut Vec<Hit>) {
    for m in email_re().find_iter(text) {
        hits.push(Hit::new(m.range(), PhiType::Email, Rank::Exact));
    }
}

/// Web addresses: with `http(s)://` or `www.`, and bare domains such as
/// `mijn.ziekenhuis.nl` that are not part of an e-mail address.
pub(crate) fn find_urls(text: &str, hits: &mut Vec<Hit>) {
    for m in url_re().find_iter(text) {
        hits.push(Hit::new(
            trim_url(text, m.range()),
            PhiType::Url,
            Rank::Exact,
        ));
    }
    for m in bare_domain_re().find_iter(text) {
        let before = text[..m.start()].chars().next_back();
        if before.is_some_and(|c| matches!(c, '@' | '.' | '/' | '-') || c.is_alphanumeric()) {
            continue;
        }
        // A domain needs a dot before its suffix and at least one letter ("2.5.nl" is not one).
        let found = &text[m.range()];
        if !found.chars().any(|c| c.is_ascii_alphabetic()) || found.split('.').count() < 2 {
            continue;
        }
        hits.push(Hit::new(
            trim_url(text, m.range()),
            PhiType::Url,
            Rank::Pattern,
        ));
    }
}

/// A URL without the punctuation that ends the sentence around it.
fn trim_url(text: &str, range: Range<usize>) -> Range<usize> {
    let found = &text[range.clone()];
    let trimmed = found.trim_end_matches(['.', ',', ';', ':', '!', '?', ')', '\'', '"']);
    range.start..range.start + trimmed.len()
}

/// Phone numbers: Dutch (`071-5261234`, `06-12345678`, `+31 6 1234 5678`,
/// `(079) 759 77 16`) and British (`020 7946 0782`, `+44 (0)20 7946 0782`,
/// `07700 900001`). The number of digits must fit the country.
pub(crate) fn find_phones(text: &str, hits: &mut Vec<Hit>) {
    for m in phone_re().find_iter(text) {
        let found = m.as_str();
        let before = text[..m.start()].chars().next_back();
        if before.is_some_and(|c| c.is_ascii_digit() || c == '/' || c == '.' || c == ',') {
            continue;
        }
        let after = text[m.end()..].chars().next();
        // A date and a time (`04-05-2021 16:00`) is not a phone number.
        if date_like_re().is_match(found) {
            continue;
        }
        let digit_after_comma = text[m.end()..]
            .chars()
            .nth(1)
            .is_some_and(|d| d.is_ascii_digit());
        if after.is_some_and(|c| c == '/' || c == ',' && digit_after_comma) {
            continue;
        }
        // The pattern is greedy: drop trailing groups of digits (another number that
        // follows after a space) until the digits fit a phone number.
        let mut end = found.len();
        loop {
            if is_phone_number(&found[..end]) {
                hits.push(Hit::new(
                    m.start()..m.start() + end,
                    PhiType::Phone,
                    Rank::Pattern,
                ));
                break;
            }
            match found[..end].rfind([' ', '-']) {
                Some(cut) if cut > 6 => end = cut,
                _ => break,
            }
        }
    }
}

/// Does a candidate have the digits of a Dutch or British phone number?
///
/// Dutch: `0` and 9 digits, or `+31` and 9 digits. British: `0` and 10 digits, or
/// `+44` and 10 digits (a `(0)` after `+44` is not counted).
fn is_phone_number(candidate: &str) -> bool {
    let without_trunk = candidate.replace("(0)", "");
    let digits: String = without_trunk.chars().filter(char::is_ascii_digit).collect();
    if let Some(rest) = candidate.strip_prefix('+') {
        let country = &rest[..2.min(rest.len())];
        let national = digits.len().saturating_sub(2);
        return match country {
            "31" => national == 9,
            "44" => national == 10,
            _ => (8..=12).contains(&national),
        };
    }
    let separators = candidate
        .chars()
        .filter(|c| matches!(c, ' ' | '-' | '('))
        .count();
    // A run of digits without any separator is only a phone number when it is a mobile
    // (06...) or a full British number; a bare 10-digit number may be an identifier.
    if separators == 0 && !(digits.starts_with("06") || digits.starts_with("07")) {
        return false;
    }
    digits.starts_with('0')
        && (digits.len() == 10 || digits.len() == 11 && !digits.starts_with("06"))
}

/// Dutch postcodes (`2333 ZA`, `2333ZA`) and British ones (`YO9 5JT`).
///
/// A Dutch candidate whose digits look like a year (19xx, 20xx) counts only when a
/// place name follows it or it stands in an address (after a street and a comma), so
/// `2016 PE` in a history list is not a postcode.
pub(crate) fn find_postcodes(text: &str, hits: &mut Vec<Hit>) {
    for m in nl_postcode_re().find_iter(text) {
        let digits = &text[m.start()..m.start() + 4];
        let looks_like_year = digits.starts_with("19") || digits.starts_with("20");
        let letters = text[m.start()..m.end()].trim_end();
        let letters = &letters[letters.len() - 2..];
        // Dutch postcodes never use the letter pairs SA, SD and SS.
        if matches!(letters, "SA" | "SD" | "SS") {
            continue;
        }
        if looks_like_year
            && !place_follows(&text[m.end()..])
            && !address_before(&text[..m.start()])
        {
            continue;
        }
        hits.push(Hit::new(m.range(), PhiType::Postcode, Rank::Pattern));
    }
    for m in uk_postcode_re().find_iter(text) {
        hits.push(Hit::new(m.range(), PhiType::Postcode, Rank::Pattern));
    }
}

/// Does a place name (a capitalised word) follow on the same line?
fn place_follows(after: &str) -> bool {
    let rest = after.trim_start_matches([' ', '\t']);
    let mut chars = rest.chars();
    chars.next().is_some_and(|c| c.is_uppercase() || c == '\'')
        && chars
            .next()
            .is_some_and(|c| c.is_lowercase() || c == 's' || c == '-')
}

/// Does the text before end with a house number and a comma ("Kerkstraat 12, ")?
fn address_before(before: &str) -> bool {
    let before = before.trim_end_matches([' ', '\t']);
    let Some(before) = before.strip_suffix(',') else {
        return false;
    };
    before
        .trim_end_matches(|c: char| c.is_ascii_alphanumeric() || c == '-')
        .len()
        < before.len()
        && before.chars().rev().any(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str, find: fn(&str, &mut Vec<Hit>)) -> Vec<&str> {
        crate::deid::detector::texts_found(text, find)
    }

    #[test]
    fn phones() {
        let text = "Tel. 071-5261234, mobiel 06-12345678 of +31 6 1234 5678; (079) 759 77 16; \
                    UK 020 7946 0782, +44 (0)20 7946 0782, 07700 900001. Not: 0,5-1,0 or 01493067.";
        assert_eq!(
            found(text, find_phones),
            [
                "071-5261234",
                "06-12345678",
                "+31 6 1234 5678",
                "(079) 759 77 16",
                "020 7946 0782",
                "+44 (0)20 7946 0782",
                "07700 900001"
            ]
        );
    }

    #[test]
    fn postcodes_and_the_year_trap() {
        let text = "Kerkstraat 1, 2333 ZA Leiden\n- 2016 PE\nYO9 5JT\n2015 AB Haarlem";
        assert_eq!(
            found(text, find_postcodes),
            ["2333 ZA", "2015 AB", "YO9 5JT"]
        );
    }

    #[test]
    fn urls_and_emails() {
        let text =
            "Zie https://www.ziekenhuis.nl/verwijzers. Mail j.jansen@praktijk.nl of mijn.mc.nl";
        assert_eq!(found(text, find_emails), ["j.jansen@praktijk.nl"]);
        assert_eq!(
            found(text, find_urls),
            ["https://www.ziekenhuis.nl/verwijzers", "mijn.mc.nl"]
        );
    }
}
