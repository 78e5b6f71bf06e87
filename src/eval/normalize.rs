//! Making two ways of writing the same answer look the same before we compare them.
//!
//! A model that answers `"Diabetes Mellitus  type 2"` where the gold standard says
//! `"diabetes mellitus type 2"` is right. Before comparing, clinkit *normalises* both:
//!
//! - text: lower case, spaces trimmed and runs of white space made one space, and accents
//!   folded (`"coëxistent"` → `"coexistent"`, `"Sjögren"` → `"sjogren"`): Dutch letters
//!   put diaereses and accents where a model (or a tired typist) may leave them out, and
//!   no two referral-schema values differ only by an accent;
//! - numbers: whole numbers must be equal; other numbers may differ by a relative
//!   tolerance (1% by default: an NT-proBNP of 1250 ng/L matches 1240 to 1260);
//! - medication units: `mg`, `milligram`, `milligrams` are one unit, and so are
//!   `microgram`, `mcg`, `µg`, `ug`; doses are compared after converting g, mg and
//!   micrograms to milligrams (`0.1 g` = `100 mg`);
//! - medication frequencies: `2dd1`, `2x daags`, `bd`, `bid`, `twice a day` all become
//!   `"twice daily"` (the form the gold standard uses).

/// Lower case, trimmed, white space collapsed to single spaces, accents folded.
///
/// ```
/// use clinkit::eval::normalize_text;
/// assert_eq!(normalize_text("  Diabetes Mellitus\n type 2 "), "diabetes mellitus type 2");
/// assert_eq!(normalize_text("Coëxistente ANGINA"), "coexistente angina");
/// ```
pub fn normalize_text(text: &str) -> String {
    let folded: String = text
        .chars()
        .flat_map(char::to_lowercase)
        .map(fold_accent)
        .collect();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The letter without its accent, for the accented Latin letters used in Dutch, English,
/// German and French clinical text; every other character is returned unchanged.
/// (A small table instead of full Unicode decomposition keeps the rule easy to read.)
///
/// ```
/// assert_eq!(clinkit::eval::fold_accent('ë'), 'e');
/// assert_eq!(clinkit::eval::fold_accent('µ'), 'µ');
/// ```
pub fn fold_accent(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
        'ç' => 'c',
        'è' | 'é' | 'ê' | 'ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' => 'i',
        'ñ' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => 'o',
        'ù' | 'ú' | 'û' | 'ü' => 'u',
        'ý' | 'ÿ' => 'y',
        other => other,
    }
}

/// True when two numbers are the same answer: equal, or (when `relative_tolerance` is
/// above 0) no further apart than that share of the gold value.
///
/// ```
/// use clinkit::eval::numbers_match;
/// assert!(numbers_match(1250.0, 1260.0, 0.01));  // within 1% of 1250
/// assert!(!numbers_match(1250.0, 1270.0, 0.01));
/// assert!(numbers_match(0.0, 0.0, 0.01));
/// ```
pub fn numbers_match(gold: f64, pred: f64, relative_tolerance: f64) -> bool {
    let difference = (gold - pred).abs();
    difference <= relative_tolerance * gold.abs() + 1e-9
}

/// A dose unit written in its one canonical way: `mg`, `microgram`, `g`, `mmol`, `IU`,
/// `ml`; unknown units come back normalised as text.
///
/// ```
/// use clinkit::eval::normalize_unit;
/// assert_eq!(normalize_unit("Milligrams"), "mg");
/// assert_eq!(normalize_unit("µg"), "microgram");
/// assert_eq!(normalize_unit("IE"), "IU"); // Dutch: internationale eenheden
/// ```
pub fn normalize_unit(unit: &str) -> String {
    let text = normalize_text(unit).replace('.', "");
    let canonical = match text.as_str() {
        "mg" | "milligram" | "milligrams" | "milligramme" => "mg",
        "microgram" | "micrograms" | "mcg" | "µg" | "μg" | "ug" => "microgram",
        "g" | "gram" | "grams" | "gr" => "g",
        "mmol" | "millimol" | "millimole" => "mmol",
        "iu" | "ie" | "e" | "units" | "unit" | "eenheden" => "IU",
        "ml" | "millilitre" | "milliliter" => "ml",
        _ => return text,
    };
    canonical.to_string()
}

/// How many milligrams one of `unit` is, for the mass units (`g`, `mg`, `microgram`);
/// `None` for units that are not a mass.
///
/// ```
/// assert_eq!(clinkit::eval::milligrams_per("gram"), Some(1000.0));
/// assert_eq!(clinkit::eval::milligrams_per("mmol"), None);
/// ```
pub fn milligrams_per(unit: &str) -> Option<f64> {
    match normalize_unit(unit).as_str() {
        "g" => Some(1000.0),
        "mg" => Some(1.0),
        "microgram" => Some(0.001),
        _ => None,
    }
}

/// True when two doses are the same amount: after converting mass units to milligrams
/// the numbers must match within `relative_tolerance`; other units must be the same unit
/// (after [`normalize_unit`]) with matching numbers. A missing unit only matches a missing unit.
///
/// ```
/// use clinkit::eval::doses_match;
/// assert!(doses_match(100.0, Some("mg"), 0.1, Some("g"), 0.01));
/// assert!(doses_match(12.5, Some("mg"), 12500.0, Some("mcg"), 0.01));
/// assert!(!doses_match(50.0, Some("mg"), 50.0, Some("microgram"), 0.01));
/// ```
pub fn doses_match(
    gold: f64,
    gold_unit: Option<&str>,
    pred: f64,
    pred_unit: Option<&str>,
    relative_tolerance: f64,
) -> bool {
    match (gold_unit, pred_unit) {
        (Some(g), Some(p)) => match (milligrams_per(g), milligrams_per(p)) {
            (Some(gm), Some(pm)) => numbers_match(gold * gm, pred * pm, relative_tolerance),
            _ => {
                normalize_unit(g) == normalize_unit(p)
                    && numbers_match(gold, pred, relative_tolerance)
            }
        },
        (None, None) => numbers_match(gold, pred, relative_tolerance),
        _ => false,
    }
}

/// A medication frequency written in its canonical form: `once daily`, `twice daily`,
/// `three times daily`, `four times daily`, `N times daily` or `as needed`. Dutch
/// prescription shorthand (`2dd1`, `3x daags`, `1-0-1`), English abbreviations (`od`,
/// `bd`, `bid`, `tds`, `tid`, `qds`, `prn`) and words (`twice a day`) are understood.
/// Anything else comes back as normalised text, so it only matches itself.
///
/// ```
/// use clinkit::eval::normalize_frequency;
/// assert_eq!(normalize_frequency("2dd1"), "twice daily");
/// assert_eq!(normalize_frequency("1-0-1"), "twice daily");
/// assert_eq!(normalize_frequency("t.d.s."), "three times daily");
/// assert_eq!(normalize_frequency("zo nodig"), "as needed");
/// assert_eq!(normalize_frequency("weekly"), "weekly");
/// ```
pub fn normalize_frequency(frequency: &str) -> String {
    let text = normalize_text(frequency).replace('.', "");
    let per_day = match text.as_str() {
        "prn" | "as needed" | "as required" | "when required" | "zn" | "zo nodig" => {
            return "as needed".to_string()
        }
        "od" | "qd" | "daily" | "once daily" | "once a day" | "mane" | "nocte" | "dagelijks"
        | "dd" | "dd 1" | "dd1" => Some(1),
        "bd" | "bid" | "twice daily" | "twice a day" => Some(2),
        "tds" | "tid" | "three times daily" | "three times a day" => Some(3),
        "qds" | "qid" | "four times daily" | "four times a day" => Some(4),
        _ => times_per_day(&text),
    };
    match per_day {
        Some(1) => "once daily".to_string(),
        Some(2) => "twice daily".to_string(),
        Some(3) => "three times daily".to_string(),
        Some(4) => "four times daily".to_string(),
        Some(n) => format!("{n} times daily"),
        None => text,
    }
}

/// Times a day in Dutch shorthand: `2dd1`, `2 dd 1`, `2dd`, `2x daags`, `2x per dag`,
/// `2 maal daags`, `2x daily`, or a `1-0-1` morning-noon-evening(-night) scheme.
fn times_per_day(text: &str) -> Option<u32> {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.contains('-') {
        let parts: Vec<&str> = compact.split('-').collect();
        if (3..=4).contains(&parts.len())
            && parts.iter().all(|p| {
                !p.is_empty()
                    && p.chars()
                        .all(|c| c.is_ascii_digit() || c == '/' || c == ',')
            })
        {
            let taken = parts
                .iter()
                .filter(|p| p.chars().any(|c| ('1'..='9').contains(&c)))
                .count();
            return Some(taken as u32);
        }
        return None;
    }
    let digits: String = compact.chars().take_while(char::is_ascii_digit).collect();
    let count: u32 = digits.parse().ok()?;
    let rest = &compact[digits.len()..];
    let known = [
        "dd",
        "xdaags",
        "xperdag",
        "maaldaags",
        "xdaily",
        "xaday",
        "timesdaily",
        "timesaday",
        "xpd",
    ];
    let suffix_ok = known.iter().any(|k| {
        rest.strip_prefix(k).is_some_and(|after| {
            after
                .chars()
                .all(|c| c.is_ascii_digit() || c == ',' || c == '/')
        })
    });
    suffix_ok.then_some(count)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_frequency_the_generator_writes_is_understood() {
        let cases = [
            ("1dd1", "once daily"),
            ("1 dd 1", "once daily"),
            ("1dd", "once daily"),
            ("1x daags", "once daily"),
            ("1x per dag", "once daily"),
            ("1-0-0", "once daily"),
            ("dd 1", "once daily"),
            ("2 dd 1", "twice daily"),
            ("2x per dag", "twice daily"),
            ("3dd1", "three times daily"),
            ("3x daags", "three times daily"),
            ("z.n.", "as needed"),
            ("zn", "as needed"),
            ("OD", "once daily"),
            ("o.d.", "once daily"),
            ("mane", "once daily"),
            ("BD", "twice daily"),
            ("b.d.", "twice daily"),
            ("tid", "three times daily"),
            ("PRN", "as needed"),
            ("when required", "as needed"),
            ("once daily", "once daily"),
            ("4dd1", "four times daily"),
            ("6x daags", "6 times daily"),
            ("1-1-1-1", "four times daily"),
        ];
        for (written, canonical) in cases {
            assert_eq!(normalize_frequency(written), canonical, "{written}");
        }
    }

    #[test]
    fn text_normalisation_keeps_characters_it_does_not_know() {
        assert_eq!(normalize_text("Ünïcödé  ÀB"), "unicode ab");
        assert_eq!(normalize_text("β-blokker"), "β-blokker");
        assert_eq!(normalize_text(""), "");
    }

    #[test]
    fn number_tolerance_is_relative_to_gold() {
        assert!(numbers_match(54.0, 54.5, 0.01));
        assert!(!numbers_match(54.0, 54.6, 0.01));
        assert!(!numbers_match(67.0, 68.0, 0.0));
        assert!(numbers_match(67.0, 67.0, 0.0));
    }

    #[test]
    fn units() {
        assert_eq!(normalize_unit("mcg"), "microgram");
        assert_eq!(normalize_unit("Mmol"), "mmol");
        assert_eq!(normalize_unit("tablet"), "tablet");
        assert!(doses_match(2.5, Some("mg"), 2.5, Some("milligram"), 0.0));
        assert!(!doses_match(2.5, Some("mg"), 2.5, None, 0.01));
        assert!(doses_match(20.0, Some("mmol"), 20.0, Some("mmol"), 0.0));
    }
}
