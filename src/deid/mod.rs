//! De-identification: finding protected health information (PHI) in Dutch and English
//! clinical text, and replacing it.
//!
//! Patient data may only leave a department de-identified. *De-identifying* means two
//! steps, and this module keeps them apart so you can measure the first:
//!
//! 1. **Detect** every piece of PHI: names, dates, ages, BSNs, other identifiers,
//!    addresses, postcodes, phone numbers, e-mail and web addresses, institutions
//!    ([`PhiType`](crate::data::PhiType)). [`detect`] gives character spans, in the same
//!    format as the gold `phi` of the synthetic corpus, so `clinkit eval --phi` scores it.
//! 2. **Replace** it ([`Deidentifier`]): with a tag (`[NAME-1]`), a realistic surrogate
//!    chosen with a secret [`Key`] (the same person gets the same surrogate in all of a
//!    patient's documents; dates move by the patient's secret number of days, so intervals
//!    survive), or `[REDACTED]`. A [`Mapping`] file lets the data manager undo it.
//!
//! ```
//! use clinkit::data::{Document, Lang, PhiType};
//! use clinkit::deid::{detect, Deidentifier, Mode};
//! let letter = Document::new("ref-1", Lang::Nl, "referral",
//!     "Geachte collega, graag zie ik mw. A. van der Berg (BSN 111222333, tel. 071-5261234) \
//!      met de ziekte van Parkinson, geboren 3 maart 1948.");
//! let found = detect(&letter.text, letter.lang);
//! let kinds: Vec<PhiType> = found.iter().map(|phi| phi.kind).collect();
//! assert_eq!(kinds, [PhiType::Name, PhiType::Bsn, PhiType::Phone, PhiType::Date]);
//! let tagged = Deidentifier::new(Mode::Tag, None).unwrap().apply(&letter, &found);
//! assert!(tagged.document.text.contains("mw. [NAME-1] (BSN [BSN-1], tel. [PHONE-1])"));
//! assert!(tagged.document.text.contains("ziekte van Parkinson"), "an eponym is not a name");
//! ```
//!
//! How each type is found (one file per idea):
//!
//! | idea | file | examples |
//! | --- | --- | --- |
//! | fixed shapes | `patterns.rs` | e-mail, URL, `+31 6 1234 5678`, `06-12345678`, `071-5261234`, `2333 ZA`, `YO9 5JT` |
//! | identifiers | `ids.rs` | BSN with the [elfproef](crate::synth::elfproef), `patiëntnr. 7783354`, `NHS no. 999 035 5215` |
//! | dates | `dates.rs` | `12-5-2021`, `8 januari 1951`, `November 3, 2019`, `december 2017` ([`WrittenDate`]) |
//! | ages | `ages.rs` | `70 jaar`, `67-jarige`, `zevenenzeventigjarige`, `84-year-old`, `at age 47` |
//! | names | `names.rs` | titles, initials, particles (`van der`), labels, roles, signatures, repeats; eponyms excluded |
//! | institutions | `institutions.rs` | `Ziekenhuis X`, `Huisartsenpraktijk X`, `X General Hospital`, `X Surgery` |
//! | addresses | `addresses.rs` | `Tulpenweg 117`, `138 Park Avenue`, towns next to postcodes |
//! | word lists | [`lexicon`] | titles, particles, eponyms, common names (from public statistics) |
//! | overlaps | `detector.rs` | the more certain finder wins, then the longer span |
//! | surrogates | `surrogate.rs` | same shape, keyed choices, consistent per patient |
//! | replacing | `replace.rs` | [`Mode`], [`Deidentifier`], spans moved along |
//! | undoing | `mapping.rs` | [`Mapping`]: encrypted originals, [`Mapping::restore`] |
//! | files | `run.rs` | [`run`]: what `clinkit deid` does |
//!
//! A rule-based de-identifier is only as good as its rules: it scores near perfect on the
//! synthetic corpus (whose letters follow templates) and will miss things in real
//! letters. Always check a sample of real output by hand before data leaves the
//! department.

/// `regex!(name, pattern)` defines `fn name() -> &'static Regex`, compiled once on first use.
macro_rules! regex {
    ($name:ident, $pattern:expr) => {
        fn $name() -> &'static regex::Regex {
            static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
            RE.get_or_init(|| regex::Regex::new(&$pattern).expect("a valid pattern"))
        }
    };
}

mod addresses;
mod ages;
mod dates;
mod detector;
mod ids;
mod institutions;
mod key;
pub mod lexicon;
mod mapping;
mod names;
mod patterns;
mod replace;
mod run;
mod surrogate;

pub use dates::{shift_iso_date, WrittenDate};
pub use detector::{detect, detect_document};
pub use key::Key;
pub use lexicon::{is_eponym, month_number, number_word_value};
pub use mapping::{MappedDocument, MappedEntry, Mapping};
pub use replace::{Deidentified, Deidentifier, Mode, Replacement};
pub use run::{run, FileSummary, RunOptions, RunSummary};
