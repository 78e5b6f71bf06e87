//! Synthetic clinical documents with gold labels: fake but realistic Dutch and English
//! cardiology referral letters and long patient files, together with the right answers.
//!
//! Real patient letters cannot leave the hospital, so to learn (and to test a pipeline)
//! you need letters that look real but are not. This generator writes them from
//! templates and word lists, and because it writes every word itself it knows exactly
//! where each answer stands: every gold value comes with the character spans of its
//! evidence, and every piece of fake protected health information (PHI) with its span.
//!
//! Everything is **seeded**: the same seed gives the same corpus, byte for byte, on every
//! machine. The committed corpus in `datasets-synthetic/` was made with
//! [`write_corpus`]`(&SynthConfig::default(), ...)`, which is what
//! `cargo run --release -- synth --seed 42 --out datasets-synthetic` calls.
//!
//! ```
//! use clinkit::synth::generate_referrals;
//! let letters = generate_referrals(42, 4);
//! assert_eq!(letters[0].id, "ref-0001");
//! assert_eq!(letters[0].lang.code(), "nl");
//! assert_eq!(letters[1].lang.code(), "en");
//! // Every gold value points at its evidence in the text.
//! for (name, value) in &letters[0].fields {
//!     for item in value.items() {
//!         for span in &item.spans {
//!             let evidence = letters[0].slice(*span).unwrap();
//!             println!("{name}: {} <- {evidence:?}", item.value);
//!         }
//!     }
//! }
//! ```
//!
//! What makes the letters hard on purpose (see [`Difficulty`]): negations ("geen DM2"),
//! family history, past events ("st. na CABG 2015"), questions ("?angina"), abbreviations,
//! typos, Dutch decimal commas, values measured twice on different dates, several layouts
//! per language, and fields that are simply not mentioned. DATASHEET.md next to the corpus
//! explains every label and the limits of synthetic data.

use std::path::{Path, PathBuf};

use crate::data::{write_jsonl, Document, Lang};

mod case;
mod date;
mod filler;
mod gold;
mod names;
mod patient;
mod referral;
mod render;
mod rng;
mod summary;
mod vocab;
mod writer;

pub use names::elfproef;
pub use rng::Rng;
pub use summary::reference_summary;

use referral::{TEMPLATES_EN, TEMPLATES_NL};
use writer::{Text, Writer};

/// How big a corpus to write, and with which seed.
///
/// ```
/// let config = clinkit::synth::SynthConfig::default();
/// assert_eq!((config.seed, config.referrals, config.patients, config.max_pages), (42, 400, 20, 200));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SynthConfig {
    /// The random seed: the same seed always gives the same corpus.
    pub seed: u64,
    /// How many referral letters (half Dutch, half English).
    pub referrals: usize,
    /// How many patient files (half Dutch, half English).
    pub patients: usize,
    /// The number of pages of the longest patient files (at least two files have it).
    pub max_pages: usize,
}

impl Default for SynthConfig {
    fn default() -> Self {
        SynthConfig {
            seed: 42,
            referrals: 400,
            patients: 20,
            max_pages: 200,
        }
    }
}

/// What [`write_corpus`] wrote: each file with its number of documents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorpusSummary {
    /// `(path, number of documents)` for every file written, in a fixed order.
    pub files: Vec<(PathBuf, usize)>,
}

/// Something that makes a letter harder to read for a rule or a model.
/// [`Referral::difficulties`] lists the ones a letter has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Difficulty {
    /// A diagnosis that the patient does *not* have: "geen DM2", "DM: neg.", "no history of AF".
    Negation,
    /// A condition of a relative: "vader overleden aan een hartinfarct op 52-jarige leeftijd".
    FamilyHistory,
    /// A past event: "status na CABG in 2015", "previous MI 2012".
    PastHistory,
    /// A question, not a fact: "graag uitsluiten endocarditis", "?angina", "rule out".
    Hypothetical,
    /// A Dutch letter that uses an English abbreviation (AF, HF, MI, CABG).
    EnglishAbbreviationInDutch,
    /// A typo in running text.
    Typo,
    /// A typo inside the evidence itself ("boezemfibrileren"); the gold value stays canonical.
    TypoInEvidence,
    /// A measurement written twice with different dates; only the latest is gold.
    RepeatedMeasurement,
    /// A Dutch decimal comma or thousands dot ("2,5 mg", "1.250 ng/l").
    DecimalComma,
    /// A field written an unusual way: an age in words, "EF 35 procent", "BP 142 over 88".
    UnusualPhrasing,
    /// Fewer than half of the schema's fields are mentioned at all.
    ManyFieldsMissing,
}

/// One generated referral letter with how it was made.
#[derive(Debug, Clone, PartialEq)]
pub struct Referral {
    /// The letter with its gold `fields` and `phi`.
    pub document: Document,
    /// Which layout wrote it, such as `nl-soep` (see [`referral_templates`]).
    pub template: &'static str,
    /// What makes this letter hard.
    pub difficulties: Vec<Difficulty>,
}

/// The ids of all referral templates (layouts): five Dutch, five English.
///
/// ```
/// let ids = clinkit::synth::referral_templates();
/// assert_eq!(ids.iter().filter(|id| id.starts_with("nl-")).count(), 5);
/// assert!(ids.contains(&"en-soap"));
/// ```
pub fn referral_templates() -> Vec<&'static str> {
    TEMPLATES_NL
        .iter()
        .chain(TEMPLATES_EN.iter())
        .map(|t| t.id)
        .collect()
}

/// Generates referral letter number `index` (0-based, id `ref-{index + 1}`) of the corpus
/// with seed `seed`. Even numbers are Dutch, odd ones English; the layout turns with the
/// number. A letter does not depend on how many others you generate.
///
/// ```
/// use clinkit::synth::generate_referral;
/// let letter = generate_referral(42, 6);
/// assert_eq!(letter.document.id, "ref-0007");
/// assert!(letter.template.starts_with("nl-"));
/// assert_eq!(letter, generate_referral(42, 6));
/// ```
pub fn generate_referral(seed: u64, index: usize) -> Referral {
    let mut rng = Rng::for_item(seed, "referral", index as u64);
    let lang = if index % 2 == 0 { Lang::Nl } else { Lang::En };
    let templates = match lang {
        Lang::Nl => &TEMPLATES_NL,
        Lang::En => &TEMPLATES_EN,
    };
    let template = &templates[(index / 2) % templates.len()];
    let date = date::Date::new(2019, 1, 1).plus_days(rng.range(0, 2370));
    let case = case::random_case(&mut rng, lang, date, template.specialist);
    let mut writer = Writer::new(&mut rng, lang);
    (template.write)(&mut writer, &case);
    let (blocks, mut difficulties) = writer.finish();
    let mut text = Text::default();
    for block in blocks {
        text.append(block);
    }
    let mut document = Document::new(format!("ref-{:04}", index + 1), lang, "referral", text.text);
    document.fields = gold::resolve(&text.evidence, &[date], false);
    let mut phi = text.phi;
    phi.sort();
    document.phi = phi;
    // Its own stream: the summary's choices leave the letter's random numbers untouched.
    let mut summary_rng = Rng::for_item(seed, "summary", index as u64);
    document.summary = reference_summary(&document, &mut summary_rng);
    if document.fields.len() * 2 < crate::data::referral::FIELDS.len() {
        difficulties.insert(Difficulty::ManyFieldsMissing);
    }
    Referral {
        document,
        template: template.id,
        // A set, so the list is sorted and has no repeats.
        difficulties: difficulties.into_iter().collect(),
    }
}

/// Generates `count` referral letters with ids `ref-0001`, `ref-0002`...: half Dutch
/// (odd ids), half English (even ids), each with gold fields, PHI spans and a reference
/// summary ([`reference_summary`]).
pub fn generate_referrals(seed: u64, count: usize) -> Vec<Document> {
    (0..count)
        .map(|index| generate_referral(seed, index).document)
        .collect()
}

/// Generates patient file number `index` (0-based, id `pat-{index + 1}`) with exactly
/// `pages` pages (at least 1), separated by form feeds (`\f`), each of roughly 2,000 to
/// 3,000 characters. Even numbers are Dutch, odd ones English.
///
/// The file holds a referral, outpatient letters, discharge letters, lab and echo reports
/// and medication lists in date order; `parts` says where each stands and its date. The gold
/// `fields` describe the patient at the end of the file (see DATASHEET.md for the rules).
///
/// ```
/// let file = clinkit::synth::generate_patient_file(42, 0, 6);
/// assert_eq!(file.id, "pat-0001");
/// assert_eq!(file.text.matches('\u{c}').count() + 1, 6);
/// assert!(file.parts.windows(2).all(|pair| pair[0].date <= pair[1].date));
/// ```
pub fn generate_patient_file(seed: u64, index: usize, pages: usize) -> Document {
    patient::generate(seed, index, pages)
}

/// The number of pages of each patient file of a corpus: spread from about 5 up to
/// `max_pages`, mostly short, and the last two files (one Dutch, one English) exactly
/// `max_pages` long.
///
/// ```
/// let pages = clinkit::synth::patient_pages(&clinkit::synth::SynthConfig::default());
/// assert_eq!(pages.len(), 20);
/// assert_eq!(pages.iter().filter(|p| **p == 200).count(), 2);
/// assert!(pages.iter().all(|p| (5..=200).contains(p)));
/// ```
pub fn patient_pages(config: &SynthConfig) -> Vec<usize> {
    let count = config.patients;
    let most = config.max_pages.max(1);
    let least = most.min(5);
    (0..count)
        .map(|index| {
            if index + 2 >= count {
                return most;
            }
            let steps = (count - 2).max(1);
            least + (most - least) * index * index / (steps * steps)
        })
        .collect()
}

/// Writes a whole corpus: `out_dir/referrals/{train,dev,test}.jsonl` (the referral letters
/// split 60/20/20 in order) and `out_dir/patients/patients.jsonl`.
///
/// ```
/// use clinkit::synth::{write_corpus, SynthConfig};
/// let dir = tempfile::tempdir().unwrap();
/// let config = SynthConfig { seed: 7, referrals: 10, patients: 2, max_pages: 5 };
/// let summary = write_corpus(&config, dir.path()).unwrap();
/// let counts: Vec<usize> = summary.files.iter().map(|(_, n)| *n).collect();
/// assert_eq!(counts, [6, 2, 2, 2]);
/// ```
pub fn write_corpus(config: &SynthConfig, out_dir: &Path) -> crate::Result<CorpusSummary> {
    let referrals = generate_referrals(config.seed, config.referrals);
    let train_end = config.referrals * 6 / 10;
    let dev_end = config.referrals * 8 / 10;
    let splits = [
        ("train", &referrals[..train_end]),
        ("dev", &referrals[train_end..dev_end]),
        ("test", &referrals[dev_end..]),
    ];
    let mut files = Vec::new();
    for (name, documents) in splits {
        let path = out_dir.join("referrals").join(format!("{name}.jsonl"));
        write_jsonl(&path, documents)?;
        files.push((path, documents.len()));
    }
    let patients: Vec<Document> = patient_pages(config)
        .into_iter()
        .enumerate()
        .map(|(index, pages)| generate_patient_file(config.seed, index, pages))
        .collect();
    let path = out_dir.join("patients").join("patients.jsonl");
    write_jsonl(&path, &patients)?;
    files.push((path, patients.len()));
    Ok(CorpusSummary { files })
}
