//! Invented people, places, institutions and numbers: the fake PHI of the corpus.
//!
//! Names and places are glued together from short syllables written for clinkit, not
//! taken from lists of real names. Some combinations will exist in real life by chance;
//! none of them stands for a real person. Surnames that happen to be a medical eponym
//! (Holter, Doppler, Simpson...) are rejected, so a name is never mistaken for a test or a
//! disease by accident.

use crate::data::Lang;

use super::rng::Rng;

/// A person's sex as the letters state it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sex {
    Male,
    Female,
}

impl Sex {
    pub fn value(self) -> &'static str {
        match self {
            Sex::Male => "male",
            Sex::Female => "female",
        }
    }
}

/// An invented person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Person {
    pub given: String,
    /// Initials with full stops, such as `J.P.`.
    pub initials: String,
    /// Dutch surname prefix (`van der`, `de`, `ten`), or empty.
    pub prefix: &'static str,
    pub surname: String,
    pub sex: Sex,
}

impl Person {
    /// `J.P. van der Berg`
    pub fn formal(&self) -> String {
        join_name(&[&self.initials, self.prefix, &self.surname])
    }

    /// `Jan van der Berg`
    pub fn full(&self) -> String {
        join_name(&[&self.given, self.prefix, &self.surname])
    }

    /// `Van der Berg` (a Dutch prefix is capitalised when the surname stands alone).
    pub fn surname_alone(&self) -> String {
        if self.prefix.is_empty() {
            return self.surname.clone();
        }
        let prefix = capitalise(self.prefix);
        format!("{prefix} {}", self.surname)
    }

    /// `Berg, J.P. van der` (as in a list or a header).
    pub fn listed(&self) -> String {
        let rest = join_name(&[&self.initials, self.prefix]);
        format!("{}, {rest}", self.surname)
    }

    /// A lowercase login-style handle, such as `j.vanderberg`.
    pub fn handle(&self) -> String {
        let first = self
            .initials
            .chars()
            .next()
            .unwrap_or('x')
            .to_lowercase()
            .to_string();
        let surname: String = format!("{}{}", self.prefix, self.surname)
            .chars()
            .filter(|c| c.is_ascii_alphabetic())
            .collect();
        format!("{first}.{}", surname.to_lowercase())
    }
}

fn join_name(parts: &[&str]) -> String {
    parts
        .iter()
        .filter(|part| !part.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ")
}

pub(crate) fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Surnames that are also names of tests, signs or diseases; a generated name is never one of them.
pub(crate) const MEDICAL_EPONYMS: [&str; 96] = [
    "adams",
    "addison",
    "austin",
    "barlow",
    "bazett",
    "becker",
    "bell",
    "bentall",
    "bezold",
    "bland",
    "brock",
    "bruce",
    "brugada",
    "buerger",
    "cheyne",
    "cornell",
    "crohn",
    "cushing",
    "danlos",
    "dietz",
    "doppler",
    "down",
    "dressler",
    "duchenne",
    "duroziez",
    "ebstein",
    "ehlers",
    "einthoven",
    "eisenmenger",
    "estes",
    "fallot",
    "flint",
    "fontan",
    "frank",
    "fridericia",
    "friedreich",
    "ganz",
    "garland",
    "glenn",
    "graves",
    "hashimoto",
    "heyde",
    "hodgkin",
    "holter",
    "homans",
    "horner",
    "janeway",
    "jarisch",
    "jatene",
    "judkins",
    "kawasaki",
    "kerley",
    "korotkoff",
    "kussmaul",
    "lange",
    "leriche",
    "lev",
    "levine",
    "libman",
    "loeys",
    "lown",
    "lutembacher",
    "lyon",
    "mallory",
    "marfan",
    "mobitz",
    "mustard",
    "noonan",
    "osler",
    "parkinson",
    "prinzmetal",
    "quincke",
    "rastelli",
    "raynaud",
    "romhilt",
    "ross",
    "roth",
    "sacks",
    "senning",
    "sgarbossa",
    "simpson",
    "sokolow",
    "starling",
    "stokes",
    "swan",
    "takotsubo",
    "tietze",
    "trousseau",
    "turner",
    "valsalva",
    "virchow",
    "weiss",
    "wellens",
    "wells",
    "wenckebach",
    "wolff",
];

/// Words a name must not be, because they mean something in a letter.
const RESERVED_WORDS: [&str; 14] = [
    "geen", "niet", "status", "van", "hart", "bloed", "long", "nier", "vader", "moeder", "pols",
    "mild", "acute", "stent",
];

/// True when `surname` may be used: not an eponym, not a reserved word.
pub(crate) fn acceptable_surname(surname: &str) -> bool {
    let lower = surname.to_lowercase();
    !MEDICAL_EPONYMS.contains(&lower.as_str())
        && !RESERVED_WORDS.contains(&lower.as_str())
        && lower.len() >= 4
}

const NL_SURNAME_START: [&str; 36] = [
    "Bra", "Brak", "Dek", "Dor", "Eel", "Gel", "Gro", "Hal", "Hee", "Hor", "Ker", "Klo", "Kor",
    "Lam", "Lin", "Mee", "Mol", "Nij", "Oos", "Pel", "Rij", "Ros", "Sta", "Stel", "Ter", "Tij",
    "Uit", "Vel", "Ver", "Vlie", "Wes", "Wil", "Zan", "Zwa", "Hui", "Dui",
];
const NL_SURNAME_END: [&str; 30] = [
    "kel", "den", "ring", "sma", "dijk", "man", "stra", "ter", "hof", "veld", "link", "ink", "ert",
    "bos", "kamp", "berg", "broek", "mans", "sing", "wijk", "stee", "zand", "huis", "ga", "inga",
    "hout", "beek", "lo", "meer", "gen",
];
const NL_PREFIXES: [&str; 9] = [
    "van", "de", "van der", "van den", "ten", "ter", "van de", "den", "in 't",
];
const NL_GIVEN_START: [&str; 16] = [
    "Jo", "Wil", "Ger", "Hen", "Kor", "Bram", "Tij", "Ru", "Ste", "Mar", "Pie", "Ar", "Da", "Fre",
    "Lu", "Jan",
];
const NL_GIVEN_MALE_END: [&str; 10] = [
    "rik", "ard", "bert", "mer", "ko", "ten", "len", "tijn", "ijn", "o",
];
const NL_GIVEN_FEMALE_START: [&str; 14] = [
    "An", "El", "Ma", "Ri", "Jo", "Lie", "Ka", "Tes", "Wil", "Fem", "Sa", "Ger", "Ine", "Mir",
];
const NL_GIVEN_FEMALE_END: [&str; 10] = [
    "ke", "ne", "tje", "lien", "na", "ra", "ny", "ja", "ske", "mijn",
];

const EN_SURNAME_START: [&str; 23] = [
    "Ash", "Brad", "Cal", "Cole", "Dun", "Fen", "Har", "Mer", "Pen", "Thorn", "Wel", "Brom",
    "Ched", "Kirk", "Rad", "Stan", "Whit", "Hol", "Mar", "Pel", "Sed", "Wad", "Tre",
];
const EN_SURNAME_END: [&str; 19] = [
    "ford", "well", "by", "ton", "ley", "wick", "more", "field", "ham", "croft", "wood", "ridge",
    "worth", "stone", "bridge", "hurst", "ing", "ett", "land",
];
const EN_GIVEN_MALE_START: [&str; 16] = [
    "Al", "Bren", "Cal", "Der", "Ed", "Gar", "Hol", "Jas", "Ken", "Ro", "Ter", "Wyn", "Dun", "Mal",
    "Os", "Per",
];
const EN_GIVEN_MALE_END: [&str; 9] = ["an", "en", "ric", "ton", "ald", "ick", "iel", "win", "ert"];
const EN_GIVEN_FEMALE_START: [&str; 12] = [
    "El", "Ma", "Ro", "Lor", "Jan", "Sel", "Ber", "Fen", "Is", "Ka", "Mel", "Ros",
];
const EN_GIVEN_FEMALE_END: [&str; 9] = ["a", "ie", "ine", "ette", "een", "ia", "yn", "elle", "ora"];

/// An invented person of the given sex, named in the style of `lang`.
pub(crate) fn person(rng: &mut Rng, lang: Lang, sex: Sex) -> Person {
    let (given, surname, prefix) = match lang {
        Lang::Nl => {
            let given = match sex {
                Sex::Male => format!(
                    "{}{}",
                    rng.pick(&NL_GIVEN_START),
                    rng.pick(&NL_GIVEN_MALE_END)
                ),
                Sex::Female => format!(
                    "{}{}",
                    rng.pick(&NL_GIVEN_FEMALE_START),
                    rng.pick(&NL_GIVEN_FEMALE_END)
                ),
            };
            let surname = surname_from(rng, &NL_SURNAME_START, &NL_SURNAME_END);
            let prefix = if rng.chance(45) {
                *rng.pick(&NL_PREFIXES)
            } else {
                ""
            };
            (given, surname, prefix)
        }
        Lang::En => {
            let given = match sex {
                Sex::Male => format!(
                    "{}{}",
                    rng.pick(&EN_GIVEN_MALE_START),
                    rng.pick(&EN_GIVEN_MALE_END)
                ),
                Sex::Female => format!(
                    "{}{}",
                    rng.pick(&EN_GIVEN_FEMALE_START),
                    rng.pick(&EN_GIVEN_FEMALE_END)
                ),
            };
            (
                given,
                surname_from(rng, &EN_SURNAME_START, &EN_SURNAME_END),
                "",
            )
        }
    };
    let mut initials = format!("{}.", given.chars().next().unwrap_or('X'));
    if rng.chance(40) {
        let second = rng.pick(&["A", "B", "C", "E", "G", "H", "J", "L", "M", "P", "R", "W"]);
        initials.push_str(second);
        initials.push('.');
    }
    Person {
        given,
        initials,
        prefix,
        surname,
        sex,
    }
}

fn surname_from(rng: &mut Rng, starts: &[&str], ends: &[&str]) -> String {
    loop {
        let surname = format!("{}{}", rng.pick(starts), rng.pick(ends));
        if acceptable_surname(&surname) {
            return surname;
        }
    }
}

/// A postal address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Address {
    /// `Lindenlaan 14` or `14 Mill Lane`.
    pub street: String,
    /// `2333 ZA` or `TB4 7QX`.
    pub postcode: String,
    /// The town.
    pub city: String,
}

const NL_PLACE_PREFIX: [&str; 10] = [
    "Ooster", "Wester", "Noord", "Zuid", "Nieuw-", "Oud-", "Hoog", "Groot-", "", "",
];
const NL_PLACE_ROOT: [&str; 16] = [
    "brak", "hel", "mar", "ste", "vlie", "gra", "kor", "lin", "wes", "dal", "bre", "vel", "hor",
    "zwa", "lo", "eem",
];
const NL_PLACE_END: [&str; 16] = [
    "dam", "dijk", "veen", "wijk", "horst", "broek", "hoven", "zijl", "drecht", "loo", "zande",
    "wolde", "monde", "kerk", "haven", "ingen",
];
const NL_STREET_ROOT: [&str; 19] = [
    "Linden",
    "Kastanje",
    "Berken",
    "Wilgen",
    "Eiken",
    "Meidoorn",
    "Vlier",
    "Hazel",
    "Rozen",
    "Tulpen",
    "Kerk",
    "Molen",
    "Dorps",
    "Hof",
    "Brink",
    "Schoolmeester",
    "Sluis",
    "Haven",
    "Dijk",
];
const NL_STREET_END: [&str; 10] = [
    "laan", "straat", "weg", "plein", "singel", "kade", "hof", "dreef", "pad", "gracht",
];
const EN_TOWN_ROOT: [&str; 16] = [
    "Ash", "Brad", "Chil", "Dun", "Elm", "Fen", "Hal", "Kings", "Lang", "Mar", "Nor", "Oak", "Ren",
    "Stan", "Thorn", "Wes",
];
const EN_TOWN_END: [&str; 12] = [
    "bury", "ford", "ton", "ham", "field", "wick", "by", "mouth", "stow", "borough", "cester",
    "leigh",
];
const EN_STREET_ROOT: [&str; 12] = [
    "Ash", "Beech", "Mill", "Church", "Station", "Orchard", "Meadow", "Kings", "Elm", "Willow",
    "Park", "Quarry",
];
const EN_STREET_END: [&str; 8] = [
    "Road", "Lane", "Close", "Street", "Avenue", "Crescent", "Way", "Gardens",
];

/// An invented town name.
pub(crate) fn town(rng: &mut Rng, lang: Lang) -> String {
    match lang {
        Lang::Nl => {
            let prefix = *rng.pick(&NL_PLACE_PREFIX);
            let rest = format!("{}{}", rng.pick(&NL_PLACE_ROOT), rng.pick(&NL_PLACE_END));
            if prefix.is_empty() || prefix.ends_with('-') {
                format!("{prefix}{}", capitalise(&rest))
            } else {
                format!("{prefix}{rest}")
            }
        }
        Lang::En => format!("{}{}", rng.pick(&EN_TOWN_ROOT), rng.pick(&EN_TOWN_END)),
    }
}

/// An invented address in a given town.
pub(crate) fn address(rng: &mut Rng, lang: Lang, city: &str) -> Address {
    match lang {
        Lang::Nl => {
            let number = rng.range(1, 240);
            let suffix = *rng.pick(&["", "", "", "", "a", "b", "-2", "-II"]);
            let street = format!(
                "{}{} {number}{suffix}",
                rng.pick(&NL_STREET_ROOT),
                rng.pick(&NL_STREET_END)
            );
            Address {
                street,
                postcode: dutch_postcode(rng),
                city: city.to_string(),
            }
        }
        Lang::En => {
            let number = rng.range(1, 180);
            let street = format!(
                "{number} {} {}",
                rng.pick(&EN_STREET_ROOT),
                rng.pick(&EN_STREET_END)
            );
            Address {
                street,
                postcode: uk_postcode(rng),
                city: city.to_string(),
            }
        }
    }
}

/// A Dutch postcode such as `2333 ZA` (the letter pairs SA, SD and SS are not used in the Netherlands).
pub(crate) fn dutch_postcode(rng: &mut Rng) -> String {
    let digits = rng.range(1000, 9999);
    loop {
        let first = (b'A' + rng.below(26) as u8) as char;
        let second = (b'A' + rng.below(26) as u8) as char;
        let pair = format!("{first}{second}");
        if !["SA", "SD", "SS"].contains(&pair.as_str()) {
            return format!("{digits} {pair}");
        }
    }
}

/// A British-style postcode such as `TB4 7QX`.
pub(crate) fn uk_postcode(rng: &mut Rng) -> String {
    const AREA: [&str; 10] = ["TB", "HX", "KW", "WD", "AB", "LN", "BH", "CT", "NR", "YO"];
    const LAST: &[u8] = b"ABDEFGHJLNPQRSTUWXYZ";
    let inward_first = LAST[rng.below(LAST.len())] as char;
    let inward_second = LAST[rng.below(LAST.len())] as char;
    format!(
        "{}{} {}{inward_first}{inward_second}",
        rng.pick(&AREA),
        rng.range(1, 19),
        rng.range(1, 9)
    )
}

/// A healthcare institution with its contact details.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Institution {
    pub name: String,
    pub address: Address,
    pub phone: String,
    /// Internet domain for e-mail and web addresses, such as `zkh-brakelzande.nl`.
    pub domain: String,
}

/// What kind of institution to invent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum InstitutionKind {
    Hospital,
    Practice,
    Pharmacy,
}

/// An invented hospital, general practice or pharmacy.
pub(crate) fn institution(rng: &mut Rng, lang: Lang, kind: InstitutionKind) -> Institution {
    let city = town(rng, lang);
    let saint = format!(
        "{}{}",
        rng.pick(&["Elw", "Helm", "Ber", "Odil", "Wald", "Gerv", "Rem", "Lamb"]),
        rng.pick(&["us", "ardus", "onius", "inus"])
    );
    let (name, slug) = match (lang, kind) {
        (Lang::Nl, InstitutionKind::Hospital) => match rng.below(4) {
            0 => (
                format!("Ziekenhuis {city}"),
                format!("zkh-{}", slugify(&city)),
            ),
            1 => (
                format!("Medisch Centrum {city}"),
                format!("mc{}", slugify(&city)),
            ),
            2 => (
                format!("Sint {saint} Gasthuis"),
                format!("{}gasthuis", slugify(&saint)),
            ),
            _ => (
                format!("Streekziekenhuis {city}"),
                format!("szk{}", slugify(&city)),
            ),
        },
        (Lang::Nl, InstitutionKind::Practice) => match rng.below(3) {
            0 => {
                let tree = *rng.pick(&["Linden", "Wilgen", "Eiken", "Berken", "Vlier"]);
                (
                    format!("Huisartsenpraktijk De {tree}hof"),
                    format!("de{}hof", slugify(tree)),
                )
            }
            1 => (
                format!("Gezondheidscentrum {city}"),
                format!("gc{}", slugify(&city)),
            ),
            _ => {
                let root = format!(
                    "{}{}",
                    rng.pick(&NL_SURNAME_START),
                    rng.pick(&NL_SURNAME_END)
                );
                (
                    format!("Huisartsenpraktijk {root}"),
                    format!("praktijk{}", slugify(&root)),
                )
            }
        },
        (Lang::Nl, InstitutionKind::Pharmacy) => (
            format!("Apotheek {city}"),
            format!("apotheek{}", slugify(&city)),
        ),
        (Lang::En, InstitutionKind::Hospital) => match rng.below(3) {
            0 => (
                format!("{city} General Hospital"),
                format!("{}general.nhs.uk", slugify(&city)),
            ),
            1 => (
                format!("St {saint}'s Hospital"),
                format!("st{}.nhs.uk", slugify(&saint)),
            ),
            _ => (
                format!("{city} Royal Infirmary"),
                format!("{}ri.nhs.uk", slugify(&city)),
            ),
        },
        (Lang::En, InstitutionKind::Practice) => match rng.below(3) {
            0 => (
                format!("{city} Health Centre"),
                format!("{}healthcentre.co.uk", slugify(&city)),
            ),
            1 => {
                let street = *rng.pick(&EN_STREET_ROOT);
                (
                    format!("{street} Street Surgery"),
                    format!("{}streetsurgery.co.uk", slugify(street)),
                )
            }
            _ => (
                format!("{city} Medical Practice"),
                format!("{}medical.co.uk", slugify(&city)),
            ),
        },
        (Lang::En, InstitutionKind::Pharmacy) => (
            format!("{city} Pharmacy"),
            format!("{}pharmacy.co.uk", slugify(&city)),
        ),
    };
    let domain = if slug.contains('.') {
        slug
    } else {
        format!("{slug}.nl")
    };
    let address = address(rng, lang, &city);
    let phone = landline(rng, lang);
    Institution {
        name,
        address,
        phone,
        domain,
    }
}

fn slugify(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_lowercase()
}

/// A landline number: Dutch (`071-5123456`) or British from the ranges Ofcom keeps for drama
/// (`01632 960123`, `020 7946 0123`), so it cannot reach anyone.
pub(crate) fn landline(rng: &mut Rng, lang: Lang) -> String {
    match lang {
        Lang::Nl => {
            let area = rng.range(10, 79);
            let number = rng.range(1_000_000, 9_999_999);
            let spaced = format!(
                "{} {:02} {:02}",
                number / 10_000,
                (number / 100) % 100,
                number % 100
            );
            match rng.below(4) {
                0 => format!("0{area}-{number}"),
                1 => format!(
                    "0{area} {} {:02} {:02}",
                    number / 10_000,
                    (number / 100) % 100,
                    number % 100
                ),
                2 => format!("+31 {area} {} {:04}", number / 10_000, number % 10_000),
                _ => format!("(0{area}) {spaced}"),
            }
        }
        Lang::En => {
            let last = rng.range(0, 999);
            match rng.below(3) {
                0 => format!("01632 960{last:03}"),
                1 => format!("020 7946 0{last:03}"),
                _ => format!("+44 (0)20 7946 0{last:03}"),
            }
        }
    }
}

/// A mobile number: `06-12345678`, `+31 6 1234 5678`, or British `07700 900123`.
pub(crate) fn mobile(rng: &mut Rng, lang: Lang) -> String {
    match lang {
        Lang::Nl => {
            let number = rng.range(10_000_000, 99_999_999);
            match rng.below(3) {
                0 => format!("06-{number}"),
                1 => format!("06 {} {:04}", number / 10_000, number % 10_000),
                _ => format!("+31 6 {} {:04}", number / 10_000, number % 10_000),
            }
        }
        Lang::En => {
            let last = rng.range(0, 999);
            if rng.chance(50) {
                format!("07700 900{last:03}")
            } else {
                format!("+44 7700 900{last:03}")
            }
        }
    }
}

/// The elfproef (eleven test) of a Dutch citizen service number (BSN).
///
/// Multiply the nine digits by 9, 8, 7, 6, 5, 4, 3, 2 and **-1**, add them up: for a valid
/// BSN the sum is a multiple of 11. Spaces and dots (`1234.56.782`) are ignored. A number
/// of zeros only does not pass. A de-identification tool should only call a 9-digit
/// number a BSN when it passes this test; other 9-digit numbers are order numbers or phones.
///
/// ```
/// use clinkit::synth::elfproef;
/// assert!(elfproef("123456782"));
/// assert!(elfproef("1234.56.782"));
/// assert!(!elfproef("123456789"));   // the sum is not a multiple of 11
/// assert!(!elfproef("12345678"));    // too short
/// ```
pub fn elfproef(number: &str) -> bool {
    let digits: Vec<u32> = number
        .chars()
        .filter(|c| *c != ' ' && *c != '.')
        .map(|c| c.to_digit(10).unwrap_or(99))
        .collect();
    if digits.len() != 9 || digits.iter().any(|d| *d > 9) || digits.iter().all(|d| *d == 0) {
        return false;
    }
    let sum: i64 = digits
        .iter()
        .zip([9, 8, 7, 6, 5, 4, 3, 2, -1])
        .map(|(d, w)| *d as i64 * w)
        .sum();
    sum % 11 == 0
}

/// A fake BSN: nine digits that pass the [`elfproef`].
pub(crate) fn bsn(rng: &mut Rng) -> String {
    loop {
        let mut digits: Vec<i64> = (0..8).map(|_| rng.range(0, 9)).collect();
        digits[0] = rng.range(1, 6);
        let sum: i64 = digits
            .iter()
            .zip([9, 8, 7, 6, 5, 4, 3, 2])
            .map(|(d, w)| d * w)
            .sum();
        let check = sum % 11;
        if check <= 9 {
            digits.push(check);
            return digits.iter().map(|d| d.to_string()).collect();
        }
    }
}

/// A 9-digit number that does *not* pass the elfproef (an order or lab number): a trap for
/// a detector that calls every 9-digit number a BSN.
pub(crate) fn nine_digits_not_bsn(rng: &mut Rng) -> String {
    loop {
        let number = format!("{}", rng.range(200_000_000, 999_999_999));
        if !elfproef(&number) {
            return number;
        }
    }
}

/// A BSN written as letters write it: `123456782`, `1234.56.782` or `123 456 782`.
pub(crate) fn write_bsn(rng: &mut Rng, bsn: &str) -> String {
    match rng.below(4) {
        0 => format!("{}.{}.{}", &bsn[..4], &bsn[4..6], &bsn[6..]),
        1 => format!("{} {} {}", &bsn[..3], &bsn[3..6], &bsn[6..]),
        _ => bsn.to_string(),
    }
}

/// An NHS number from the range kept for testing (starts with 999), with a valid check digit,
/// written `999 123 4567`.
pub(crate) fn nhs_number(rng: &mut Rng) -> String {
    loop {
        let mut digits = vec![9, 9, 9];
        digits.extend((0..6).map(|_| rng.range(0, 9)));
        let sum: i64 = digits.iter().zip((2..=10).rev()).map(|(d, w)| d * w).sum();
        let check = (11 - sum % 11) % 11;
        if check != 10 {
            digits.push(check);
            let all: String = digits.iter().map(|d| d.to_string()).collect();
            return format!("{} {} {}", &all[..3], &all[3..6], &all[6..]);
        }
    }
}

/// A hospital patient number (7 digits, English letters sometimes with a letter in front).
pub(crate) fn patient_number(rng: &mut Rng, lang: Lang) -> String {
    let number = rng.range(1_000_000, 9_999_999);
    match lang {
        Lang::Nl => number.to_string(),
        Lang::En => format!("{}{number}", rng.pick(&["K", "H", "R", "M"])),
    }
}

/// An e-mail address of a person at a domain.
pub(crate) fn email(person: &Person, domain: &str) -> String {
    format!("{}@{domain}", person.handle())
}

/// A private e-mail address of a patient, at an invented mail provider.
pub(crate) fn private_email(rng: &mut Rng, person: &Person, lang: Lang) -> String {
    let provider = match lang {
        Lang::Nl => *rng.pick(&["postduif-mail.nl", "hetnetpost.nl", "mijnbrievenbus.nl"]),
        Lang::En => *rng.pick(&["letterbox-mail.co.uk", "postroom.co.uk", "inboxly.co.uk"]),
    };
    let surname: String = person.surname.to_lowercase();
    format!(
        "{}{surname}{}@{provider}",
        person.given.to_lowercase(),
        rng.range(1, 99)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_bsns_pass_and_traps_fail() {
        let mut rng = Rng::new(11);
        for _ in 0..500 {
            assert!(elfproef(&bsn(&mut rng)));
            assert!(!elfproef(&nine_digits_not_bsn(&mut rng)));
        }
    }

    #[test]
    fn names_are_never_eponyms() {
        let mut rng = Rng::new(5);
        for index in 0..5000 {
            let lang = if index % 2 == 0 { Lang::Nl } else { Lang::En };
            let sex = if index % 3 == 0 {
                Sex::Male
            } else {
                Sex::Female
            };
            let person = person(&mut rng, lang, sex);
            assert!(acceptable_surname(&person.surname), "{}", person.surname);
        }
    }

    #[test]
    fn dutch_surname_prefix_is_capitalised_alone() {
        let person = Person {
            given: "Jan".into(),
            initials: "J.P.".into(),
            prefix: "van der",
            surname: "Korsma".into(),
            sex: Sex::Male,
        };
        assert_eq!(person.formal(), "J.P. van der Korsma");
        assert_eq!(person.surname_alone(), "Van der Korsma");
        assert_eq!(person.listed(), "Korsma, J.P. van der");
        assert_eq!(person.handle(), "j.vanderkorsma");
    }
}
