//! Surrogates: realistic fake values that take the place of real PHI.
//!
//! A tag such as `[NAME-1]` is safe but makes a letter hard to read and can confuse a
//! language model. *Pseudonymisation* puts a fake value of the same kind in its place:
//! `mevr. E. Gelbeek` becomes `mevr. K. Bakker`, `06-12345678` becomes `06-83920174`.
//! Every choice is made with the secret [`Key`], so it is the same every time, and
//! consistent: the same person gets the same surrogate everywhere in a patient's
//! documents (`E. Gelbeek`, `Gelbeek, E.` and `mevrouw Gelbeek` all become Bakker).
//!
//! What each type becomes:
//!
//! | type | surrogate |
//! | --- | --- |
//! | NAME | a common name of the document's language, same shape (initials, particles, `Surname, I.`) |
//! | DATE | shifted by the patient's secret number of days, same format ([`WrittenDate::shifted`]) |
//! | AGE | kept below 90 (needed for research), `90+` from 90 on (as HIPAA Safe Harbor asks) |
//! | BSN | another 9-digit number that passes the elfproef, same spacing |
//! | PHONE | same country and area prefix, other digits |
//! | POSTCODE, ID | same shape, other letters and digits |
//! | EMAIL, URL | an address under the reserved domain `example.org` |
//! | ADDRESS | a common street with another number, or a town of the document's language |
//! | INSTITUTION | the same kind of place (`Huisartsenpraktijk`, `General Hospital`) in a surrogate town |

use std::collections::{HashMap, HashSet};

use crate::data::{Lang, PhiType};
use crate::deid::dates::WrittenDate;
use crate::deid::key::{to_hex, Key};
use crate::deid::lexicon::{
    is_particle, FIRST_NAMES_EN, FIRST_NAMES_NL, STREETS_EN, STREETS_NL, SURNAMES_EN, SURNAMES_NL,
    TOWNS_EN, TOWNS_NL,
};
use crate::synth::elfproef;

/// The surrogates chosen so far for one patient (or one document without a patient),
/// so that the same original always gets the same surrogate and two different originals
/// never share one.
#[derive(Debug, Default, Clone)]
pub(crate) struct Surrogates {
    chosen: HashMap<(&'static str, String), String>,
    used: HashSet<(&'static str, String)>,
}

impl Surrogates {
    /// The surrogate of `original` in the list `list` (named `purpose`): the first keyed
    /// pick that no other original of this patient has taken.
    fn pick(
        &mut self,
        key: &Key,
        purpose: &'static str,
        original: &str,
        make: impl Fn(u64) -> String,
    ) -> String {
        let normal = original.to_lowercase();
        if let Some(found) = self.chosen.get(&(purpose, normal.clone())) {
            return found.clone();
        }
        let mut choice = String::new();
        for attempt in 0..64u32 {
            choice = make(key.number(purpose, &format!("{normal}\u{0}{attempt}")));
            if !self.used.contains(&(purpose, choice.to_lowercase())) {
                break;
            }
        }
        self.used.insert((purpose, choice.to_lowercase()));
        self.chosen.insert((purpose, normal), choice.clone());
        choice
    }

    /// The surrogate for one PHI span. `shift_days` is the patient's date shift;
    /// `month_first` says how the document writes ambiguous numeric dates.
    pub(crate) fn surrogate(
        &mut self,
        key: &Key,
        kind: PhiType,
        original: &str,
        lang: Lang,
        shift_days: i64,
        month_first: bool,
    ) -> String {
        match kind {
            PhiType::Name => self.name(key, original, lang),
            PhiType::Date => match WrittenDate::parse(original, month_first) {
                Some(date) => date.shifted(shift_days),
                None => "[DATE]".to_string(),
            },
            PhiType::Age => age(original),
            PhiType::Bsn => self.bsn(key, original),
            PhiType::Phone => self.phone(key, original),
            PhiType::Postcode | PhiType::Id => {
                let purpose = if kind == PhiType::Id {
                    "id"
                } else {
                    "postcode"
                };
                self.pick(key, purpose, original, |n| same_shape(original, n))
            }
            PhiType::Email => self.pick(key, "email", original, |n| {
                let names = first_names(lang);
                let first = names[(n % names.len() as u64) as usize].to_lowercase();
                format!("{first}{:02}@example.org", (n >> 32) % 100)
            }),
            PhiType::Url => {
                let scheme = if original.starts_with("https://") {
                    "https://"
                } else if original.starts_with("http://") {
                    "http://"
                } else {
                    ""
                };
                let www = if original.contains("www.") {
                    "www."
                } else {
                    ""
                };
                self.pick(key, "url", original, |n| {
                    format!(
                        "{scheme}{www}site-{}.example.org",
                        &to_hex(&n.to_le_bytes())[..6]
                    )
                })
            }
            PhiType::Address => self.address(key, original, lang),
            PhiType::Institution => self.institution(key, original, lang),
        }
    }

    /// A surrogate name with the same shape: first names, initials, particles, surname,
    /// in the same order (`Gelbeek, E.` → `Bakker, K.`).
    fn name(&mut self, key: &Key, original: &str, lang: Lang) -> String {
        let shape = NameShape::parse(original);
        let surnames = match lang {
            Lang::Nl => SURNAMES_NL,
            Lang::En => SURNAMES_EN,
        };
        let surname = if shape.core.is_empty() {
            String::new()
        } else {
            self.pick(key, "surname", &shape.core, |n| {
                surnames[(n % surnames.len() as u64) as usize].to_string()
            })
        };
        let (new_particles, new_core) = match surname.rsplit_once(' ') {
            Some((particles, core)) => (particles.to_string(), core.to_string()),
            None => (String::new(), surname.clone()),
        };
        let firsts: Vec<String> = shape
            .first_names
            .iter()
            .map(|first| {
                let names = first_names(lang);
                self.pick(key, "first name", first, |n| {
                    names[(n % names.len() as u64) as usize].to_string()
                })
            })
            .collect();
        let initials = shape.initials.as_deref().map(|initials| {
            // Each letter keyed by the surname and its place, so `E. Gelbeek` and
            // `Gelbeek, E.` get the same new initial.
            let mut position = 0;
            let mut out = String::new();
            let mut skip_lower = false;
            for c in initials.chars() {
                if c.is_uppercase() {
                    let n = key.number(
                        "initial",
                        &format!("{}\u{0}{position}\u{0}{c}", shape.core.to_lowercase()),
                    );
                    out.push(char::from(b'A' + (n % 26) as u8));
                    position += 1;
                    skip_lower = true;
                } else if c.is_lowercase() && skip_lower {
                    // `Th.` becomes one letter.
                } else {
                    out.push(c);
                    skip_lower = false;
                }
            }
            out
        });
        let capital_particle = shape
            .particles
            .first()
            .is_some_and(|p| p.chars().next().is_some_and(char::is_uppercase))
            && !shape.inverted
            && shape.first_names.is_empty()
            && shape.initials.is_none();
        let particles = if capital_particle {
            capitalise(&new_particles)
        } else {
            new_particles
        };
        let mut pieces: Vec<String> = Vec::new();
        if shape.inverted {
            pieces.push(format!("{new_core},"));
            pieces.extend(initials);
            if !particles.is_empty() {
                pieces.push(particles);
            }
        } else {
            pieces.extend(firsts);
            pieces.extend(initials);
            if !particles.is_empty() {
                pieces.push(particles);
            }
            if !new_core.is_empty() {
                pieces.push(new_core);
            }
        }
        pieces.join(" ")
    }

    /// Another BSN that passes the elfproef, written with the same spaces or dots.
    fn bsn(&mut self, key: &Key, original: &str) -> String {
        self.pick(key, "bsn", original, |n| {
            let mut n = n;
            loop {
                let digits: String = (0..9)
                    .map(|i| {
                        let d = (n >> (i * 4)) % 10;
                        char::from(b'0' + if i == 0 { 1 + d % 9 } else { d } as u8)
                    })
                    .collect();
                let candidate = fill_digits(original, &digits);
                if elfproef(&candidate) {
                    return candidate;
                }
                n = n.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            }
        })
    }

    /// Another phone number with the same country code and first digits (`06`, `020`).
    fn phone(&mut self, key: &Key, original: &str) -> String {
        let keep = if original.starts_with('+') {
            // +31 6..., +44 (0)20...: the country code and the first national digit.
            let country_digits = 2;
            let trunk = usize::from(original.contains("(0)"));
            country_digits + trunk + 1
        } else {
            2
        };
        self.pick(key, "phone", original, |n| {
            let mut seen = 0;
            let mut state = n;
            original
                .chars()
                .map(|c| {
                    if !c.is_ascii_digit() {
                        return c;
                    }
                    seen += 1;
                    if seen <= keep {
                        return c;
                    }
                    let d = (state % 10) as u8;
                    state = (state / 10) ^ state.rotate_left(17);
                    char::from(b'0' + d)
                })
                .collect()
        })
    }

    /// A street with another number (`Kerkstraat 12`, `27 Station Road`) or a town.
    fn address(&mut self, key: &Key, original: &str, lang: Lang) -> String {
        let has_number = original.chars().any(|c| c.is_ascii_digit());
        if !has_number {
            let towns = towns(lang);
            return self.pick(key, "town", original, |n| {
                towns[(n % towns.len() as u64) as usize].to_string()
            });
        }
        let number_first = original.starts_with(|c: char| c.is_ascii_digit());
        let streets = match (lang, number_first) {
            (_, true) | (Lang::En, false) => STREETS_EN,
            (Lang::Nl, false) => STREETS_NL,
        };
        self.pick(key, "street", original, |n| {
            let street = streets[(n % streets.len() as u64) as usize];
            let number = 1 + (n >> 20) % 199;
            // Keep what follows the number: `41-II`, `57a`.
            let suffix: String = original
                .rsplit(|c: char| c.is_ascii_digit())
                .next()
                .filter(|s| !s.contains(' '))
                .unwrap_or("")
                .to_string();
            if number_first {
                format!("{number} {street}")
            } else {
                format!("{street} {number}{suffix}")
            }
        })
    }

    /// The same kind of institution in a surrogate town.
    fn institution(&mut self, key: &Key, original: &str, lang: Lang) -> String {
        const HEADS_FIRST: &[&str] = &[
            "Universitair Medisch Centrum",
            "Medisch Centrum",
            "Streekziekenhuis",
            "Ziekenhuis",
            "Huisartsenpraktijk",
            "Gezondheidscentrum",
            "Apotheek",
            "Huisartsenpost",
        ];
        const HEADS_LAST: &[&str] = &[
            "General Hospital",
            "Royal Infirmary",
            "University Hospital",
            "Hospital",
            "Health Centre",
            "Medical Practice",
            "Medical Centre",
            "Surgery",
            "Pharmacy",
            "Clinic",
            "Gasthuis",
            "Ziekenhuis",
        ];
        let towns = towns(lang);
        let town_of = |n: u64| towns[(n % towns.len() as u64) as usize];
        if let Some(head) = HEADS_FIRST.iter().find(|h| original.starts_with(*h)) {
            return self.pick(key, "institution", original, |n| {
                format!("{head} {}", town_of(n))
            });
        }
        if let Some(head) = HEADS_LAST.iter().find(|h| original.ends_with(*h)) {
            return self.pick(key, "institution", original, |n| {
                format!("{} {head}", town_of(n))
            });
        }
        self.pick(key, "institution", original, |n| match lang {
            Lang::Nl => format!("Ziekenhuis {}", town_of(n)),
            Lang::En => format!("{} Hospital", town_of(n)),
        })
    }
}

/// Ages below 90 stay; from 90 on they become `90+`.
fn age(original: &str) -> String {
    let value = original
        .parse::<u32>()
        .ok()
        .or_else(|| crate::deid::lexicon::number_word_value(original));
    match value {
        Some(v) if v >= 90 => "90+".to_string(),
        _ => original.to_string(),
    }
}

/// Letters become keyed letters, digits keyed digits; everything else stays.
fn same_shape(original: &str, n: u64) -> String {
    let mut state = n;
    let mut next = |modulus: u64| {
        let value = state % modulus;
        state = (state / modulus) ^ state.rotate_left(23).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        value as u8
    };
    let mut first_digit = true;
    original
        .chars()
        .map(|c| {
            if c.is_ascii_digit() {
                // A Dutch postcode or a number never starts with 0 if the original did not.
                let d = if first_digit && c != '0' {
                    1 + next(9)
                } else {
                    next(10)
                };
                first_digit = false;
                char::from(b'0' + d)
            } else if c.is_ascii_uppercase() {
                char::from(b'A' + next(26))
            } else if c.is_ascii_lowercase() {
                char::from(b'a' + next(26))
            } else {
                c
            }
        })
        .collect()
}

/// `original` with its digits replaced, in order, by `digits`.
fn fill_digits(original: &str, digits: &str) -> String {
    let mut new_digits = digits.chars();
    original
        .chars()
        .map(|c| {
            if c.is_ascii_digit() {
                new_digits.next().unwrap_or(c)
            } else {
                c
            }
        })
        .collect()
}

/// The first-name list of a language.
fn first_names(lang: Lang) -> &'static [&'static str] {
    match lang {
        Lang::Nl => FIRST_NAMES_NL,
        Lang::En => FIRST_NAMES_EN,
    }
}

/// The town list of a language.
fn towns(lang: Lang) -> &'static [&'static str] {
    match lang {
        Lang::Nl => TOWNS_NL,
        Lang::En => TOWNS_EN,
    }
}

/// `van der` → `Van der`.
fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The parts of a written name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct NameShape {
    /// `Gelbeek, E.` (surname first).
    pub inverted: bool,
    /// Full first names.
    pub first_names: Vec<String>,
    /// Initials as written (`M.P.`, `J. W.`).
    pub initials: Option<String>,
    /// Particles (`van`, `de`, `In 't`).
    pub particles: Vec<String>,
    /// The surname without particles: the key for consistency.
    pub core: String,
}

impl NameShape {
    /// Splits a name as found by the detector into its parts.
    pub(crate) fn parse(name: &str) -> NameShape {
        let mut shape = NameShape::default();
        if let Some((surname, rest)) = name.split_once(',') {
            shape.inverted = true;
            shape.core = surname.trim().to_string();
            let mut initials = Vec::new();
            for word in rest.split_whitespace() {
                if is_particle(word) {
                    shape.particles.push(word.to_string());
                } else {
                    initials.push(word);
                }
            }
            if !initials.is_empty() {
                shape.initials = Some(initials.join(" "));
            }
            return shape;
        }
        let words: Vec<&str> = name.split_whitespace().collect();
        let Some((last, before)) = words.split_last() else {
            return shape;
        };
        shape.core = last.to_string();
        let mut initials = Vec::new();
        for word in before {
            if word.ends_with('.') && word.chars().next().is_some_and(char::is_uppercase) {
                initials.push(*word);
            } else if is_particle(word) {
                shape.particles.push(word.to_string());
            } else {
                shape.first_names.push(word.to_string());
            }
        }
        if !initials.is_empty() {
            shape.initials = Some(initials.join(" "));
        }
        shape
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_shapes() {
        let shape = NameShape::parse("Oosveld, P. van de");
        assert!(shape.inverted);
        assert_eq!(shape.core, "Oosveld");
        assert_eq!(shape.particles, ["van", "de"]);
        let shape = NameShape::parse("Teske van der Kerbeek");
        assert_eq!(shape.first_names, ["Teske"]);
        assert_eq!(shape.core, "Kerbeek");
    }

    #[test]
    fn same_person_same_surrogate_in_every_shape() {
        let key = Key::from_secret(b"test");
        let mut s = Surrogates::default();
        let a = s.name(&key, "E. Gelbeek", Lang::Nl);
        let b = s.name(&key, "Gelbeek, E.", Lang::Nl);
        let c = s.name(&key, "Gelbeek", Lang::Nl);
        let core = c.rsplit(' ').next().unwrap();
        assert!(a.ends_with(core), "{a} / {c}");
        let initial = &a[..2];
        assert!(b.starts_with(core) && b.contains(initial), "{b} / {a}");
    }

    #[test]
    fn bsn_surrogates_pass_the_elfproef_and_keep_their_format() {
        let key = Key::from_secret(b"test");
        let mut s = Surrogates::default();
        for original in ["111222333", "1234.56.782", "552 712 073"] {
            let new = s.bsn(&key, original);
            assert!(elfproef(&new), "{new}");
            assert_ne!(new, original);
            assert_eq!(new.len(), original.len());
        }
    }
}
