//! Writing one field or one piece of PHI in one of its many forms, recording the spans.
//!
//! Every function here writes the *whole* phrase (cue words included, such as `geen` or
//! `status na`) but records the evidence span on the surface words only (`DM2`), and the
//! PHI span on the identifying words only (a name without its title).

use serde_json::json;

use crate::data::{Lang, PhiType};
use crate::text::Span;

use super::date::{self, Date, DateStyle};
use super::names::{self, Institution, Person, Sex};
use super::vocab::{self, Allergen, Diagnosis, Drug, Frequency, Reason, Relative, Status, Unit};
use super::writer::{Field, Writer};
use super::Difficulty;

/// A diagnosis as a letter mentions it.
#[derive(Debug, Clone)]
pub(crate) struct DxItem {
    pub dx: &'static Diagnosis,
    pub status: Status,
    /// For a past event, the year.
    pub year: Option<i32>,
    /// For the family history.
    pub relative: Option<&'static Relative>,
    pub relative_age: Option<i64>,
}

/// A medicine with dose and frequency.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct MedItem {
    pub drug: &'static Drug,
    pub dose: Option<(f64, Unit)>,
    pub frequency: Option<Frequency>,
}

impl MedItem {
    /// The gold value.
    pub fn value(&self) -> serde_json::Value {
        // Keys in alphabetical order: the JSON keeps the order keys are inserted in.
        let mut value = serde_json::Map::new();
        if let Some((amount, _)) = self.dose {
            value.insert("dose".into(), vocab::number_json(amount));
        }
        if let Some(frequency) = self.frequency {
            value.insert("frequency".into(), json!(frequency.canonical()));
        }
        value.insert("name".into(), json!(self.drug.name));
        if let Some((_, unit)) = self.dose {
            value.insert("unit".into(), json!(unit.canonical()));
        }
        serde_json::Value::Object(value)
    }
}

/// Smoking status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Smoking {
    Current { per_day: i64 },
    Former { since: i32, pack_years: i64 },
    Never,
}

impl Smoking {
    pub fn value(self) -> &'static str {
        match self {
            Smoking::Current { .. } => "current",
            Smoking::Former { .. } => "former",
            Smoking::Never => "never",
        }
    }
}

/// How to write a person's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NameStyle {
    /// `dhr. J.P. van der Berg`
    TitleFormal,
    /// `mevrouw Van der Berg`
    TitleSurname,
    /// `Jan van der Berg`
    Full,
    /// `Berg, J.P. van der`
    Listed,
    /// `J.P. van der Berg`
    Formal,
}

const ROMAN: [&str; 4] = ["I", "II", "III", "IV"];

impl Writer<'_> {
    /// A date as DATE PHI, in a random style of the letter's language.
    pub fn date(&mut self, date: Date) {
        let style = *self.rng.pick(date::styles(self.lang));
        self.date_in(date, style);
    }

    /// A date as DATE PHI in a given style.
    pub fn date_in(&mut self, date: Date, style: DateStyle) {
        let written = date.write(style, self.lang);
        self.phi(&written, PhiType::Date);
    }

    /// A date, or sometimes only its month and year (still DATE PHI).
    pub fn date_or_month(&mut self, date: Date) {
        if self.rng.chance(30) {
            let written = date.month_year(self.lang);
            self.phi(&written, PhiType::Date);
        } else {
            self.date(date);
        }
    }

    /// The patient's title (`dhr.`, `Mrs`), recorded as evidence for `sex`.
    pub fn patient_title(&mut self, sex: Sex, capital: bool) {
        let options: &[&str] = match (self.lang, sex, capital) {
            (Lang::Nl, Sex::Male, false) => &["dhr.", "de heer", "meneer"],
            (Lang::Nl, Sex::Male, true) => &["Dhr.", "De heer", "Meneer"],
            (Lang::Nl, Sex::Female, false) => &["mw.", "mevr.", "mevrouw"],
            (Lang::Nl, Sex::Female, true) => &["Mw.", "Mevr.", "Mevrouw"],
            (Lang::En, Sex::Male, _) => &["Mr", "Mr."],
            (Lang::En, Sex::Female, _) => &["Mrs", "Ms", "Mrs."],
        };
        let title = *self.rng.pick(options);
        self.evidence(title, Field::Sex, "", json!(sex.value()), None);
    }

    /// A person's name as NAME PHI; with `patient`, a title counts as evidence for `sex`.
    pub fn name(&mut self, person: &Person, style: NameStyle, patient: bool) {
        match style {
            NameStyle::TitleFormal | NameStyle::TitleSurname => {
                if patient {
                    self.patient_title(person.sex, false);
                } else {
                    let title = self.tr("dr.", "Dr").to_string();
                    self.push(&title);
                }
                self.push(" ");
                let written = if style == NameStyle::TitleFormal {
                    person.formal()
                } else {
                    person.surname_alone()
                };
                self.phi(&written, PhiType::Name);
            }
            NameStyle::Full => {
                let written = person.full();
                self.phi(&written, PhiType::Name);
            }
            NameStyle::Listed => {
                let written = person.listed();
                self.phi(&written, PhiType::Name);
            }
            NameStyle::Formal => {
                let written = person.formal();
                self.phi(&written, PhiType::Name);
            }
        }
    }

    /// A doctor's name with `dr.`/`Dr` in front (the title is not part of the NAME span).
    pub fn doctor(&mut self, person: &Person) {
        if self.rng.chance(70) {
            let title = self.tr("dr. ", "Dr ").to_string();
            self.push(&title);
            let written = person.formal();
            self.phi(&written, PhiType::Name);
        } else {
            let written = person.full();
            self.phi(&written, PhiType::Name);
        }
    }

    /// Street, postcode and town of an address, each its own PHI span.
    pub fn address_lines(&mut self, address: &names::Address, one_line: bool) {
        self.phi(&address.street, PhiType::Address);
        self.push(if one_line { ", " } else { "\n" });
        match self.lang {
            Lang::Nl => {
                let postcode = if self.rng.chance(15) {
                    address.postcode.replace(' ', "")
                } else {
                    address.postcode.clone()
                };
                self.phi(&postcode, PhiType::Postcode);
                let gap = if self.rng.chance(70) { " " } else { "  " };
                self.push(gap);
                self.phi(&address.city, PhiType::Address);
            }
            Lang::En => {
                self.phi(&address.city, PhiType::Address);
                self.push(if one_line { ", " } else { "\n" });
                self.phi(&address.postcode, PhiType::Postcode);
            }
        }
    }

    /// An institution's letterhead: name, address, phone, web address.
    pub fn letterhead(&mut self, institution: &Institution, department: Option<&str>) {
        self.phi(&institution.name, PhiType::Institution);
        self.push("\n");
        if let Some(department) = department {
            self.line(department);
        }
        self.address_lines(&institution.address, false);
        self.push("\n");
        self.push(self.tr("Tel. ", "Tel: "));
        self.phi(&institution.phone, PhiType::Phone);
        if self.rng.chance(60) {
            self.push(" | ");
            let url = match self.rng.below(3) {
                0 => format!("www.{}", institution.domain),
                1 => format!("https://www.{}", institution.domain),
                _ => format!(
                    "https://www.{}/{}",
                    institution.domain,
                    self.tr("verwijzers", "referrals")
                ),
            };
            self.phi(&url, PhiType::Url);
        }
        self.push("\n");
    }

    /// The patient's age as AGE PHI and `age` evidence, in one of many forms.
    /// The form fits what follows: `Adjective` before a noun (`67-jarige man`), `Predicate` alone.
    pub fn age(&mut self, age: i64, form: AgeForm) {
        let value = json!(age);
        let digits = age.to_string();
        match (self.lang, form) {
            (Lang::Nl, AgeForm::Adjective) => {
                if self.rng.chance(8) && (21..=99).contains(&age) {
                    self.mark(Difficulty::UnusualPhrasing);
                    let words = dutch_number(age);
                    self.phi_evidence(&words, PhiType::Age, Field::Age, value);
                    self.push("jarige");
                } else {
                    self.phi_evidence(&digits, PhiType::Age, Field::Age, value);
                    self.push_one_of(&["-jarige", "-jarige", " jarige"]);
                }
            }
            (Lang::Nl, AgeForm::Predicate) => {
                self.phi_evidence(&digits, PhiType::Age, Field::Age, value);
                self.push_one_of(&[" jaar", " jaar", " jr", " jr.", " j."]);
            }
            (Lang::En, AgeForm::Adjective) => {
                if self.rng.chance(8) && (21..=99).contains(&age) {
                    self.mark(Difficulty::UnusualPhrasing);
                    let words = english_number(age);
                    self.phi_evidence(&words, PhiType::Age, Field::Age, value);
                    self.push("-year-old");
                } else {
                    self.phi_evidence(&digits, PhiType::Age, Field::Age, value);
                    self.push_one_of(&["-year-old", "-year-old", " year old", "yo"]);
                }
            }
            (Lang::En, AgeForm::Predicate) => {
                self.phi_evidence(&digits, PhiType::Age, Field::Age, value);
                self.push_one_of(&[" years", " years old", " yrs", "y"]);
            }
        }
    }

    /// An age of someone other than the patient (AGE PHI, not evidence).
    pub fn other_age(&mut self, age: i64) {
        self.phi(&age.to_string(), PhiType::Age);
    }

    /// The sex as a word (`man`, `vrouw`, `male`), as evidence.
    pub fn sex_word(&mut self, sex: Sex) {
        let word = match (self.lang, sex) {
            (Lang::Nl, Sex::Male) => "man",
            (Lang::Nl, Sex::Female) => "vrouw",
            (Lang::En, Sex::Male) => *self.rng.pick(&["man", "gentleman", "male"]),
            (Lang::En, Sex::Female) => *self.rng.pick(&["woman", "lady", "female"]),
        };
        self.evidence(word, Field::Sex, "", json!(sex.value()), None);
    }

    /// The sex as a form field (`M`, `V`, `Male`).
    pub fn sex_code(&mut self, sex: Sex) {
        let word = match (self.lang, sex) {
            (Lang::Nl, Sex::Male) => *self.rng.pick(&["M", "man"]),
            (Lang::Nl, Sex::Female) => *self.rng.pick(&["V", "vrouw"]),
            (Lang::En, Sex::Male) => *self.rng.pick(&["M", "Male"]),
            (Lang::En, Sex::Female) => *self.rng.pick(&["F", "Female"]),
        };
        self.evidence(word, Field::Sex, "", json!(sex.value()), None);
    }

    /// How a diagnosis is written: a word of the letter's language or an (English) abbreviation.
    fn dx_surface(&mut self, dx: &'static Diagnosis, abbreviation_percent: u32) -> String {
        let words = if self.nl() { dx.nl } else { dx.en };
        let surface = if !dx.abbreviations.is_empty() && self.rng.chance(abbreviation_percent) {
            if self.nl() {
                self.mark(Difficulty::EnglishAbbreviationInDutch);
            }
            *self.rng.pick(dx.abbreviations)
        } else {
            *self.rng.pick(words)
        };
        self.evidence_surface(surface)
    }

    /// Writes the diagnosis surface as evidence with its status.
    fn dx_evidence(&mut self, item: &DxItem, surface: &str) {
        let value = json!({ "name": item.dx.name, "status": item.status.as_str() });
        self.evidence(surface, Field::Diagnosis, item.dx.name, value, None);
    }

    /// A diagnosis with the words that give its status, for a bulleted list (`st. na CABG (2015)`).
    pub fn dx_list_item(&mut self, item: &DxItem) {
        let surface = self.dx_surface(item.dx, 40);
        let (before, after) = self.dx_frame(item, true);
        self.push(&before);
        self.dx_evidence(item, &surface);
        self.push(&after);
        self.note_status(item.status);
    }

    /// A diagnosis with the words that give its status, inside a sentence (`bekend met hypertensie`).
    pub fn dx_phrase(&mut self, item: &DxItem) {
        let surface = self.dx_surface(item.dx, 25);
        if item.status == Status::Family {
            self.family_phrase(item, &surface);
        } else {
            let (before, after) = self.dx_frame(item, false);
            self.push(&before);
            self.dx_evidence(item, &surface);
            self.push(&after);
        }
        self.note_status(item.status);
    }

    /// A diagnosis inside words chosen by the template (`Er is geen `, ` is uitgesloten`).
    pub fn dx_custom(&mut self, item: &DxItem, before: &str, after: &str) {
        let surface = self.dx_surface(item.dx, 25);
        self.push(before);
        self.dx_evidence(item, &surface);
        self.push(after);
        self.note_status(item.status);
    }

    fn note_status(&mut self, status: Status) {
        match status {
            Status::Absent => self.mark(Difficulty::Negation),
            Status::Family => self.mark(Difficulty::FamilyHistory),
            Status::Historical => self.mark(Difficulty::PastHistory),
            Status::Hypothetical => self.mark(Difficulty::Hypothetical),
            Status::Present => {}
        }
    }

    /// The words before and after a diagnosis that give its status.
    fn dx_frame(&mut self, item: &DxItem, list: bool) -> (String, String) {
        let year = item.year.map(|y| y.to_string()).unwrap_or_default();
        let has_year = item.year.is_some();
        let controllable = matches!(
            item.dx.name,
            "hypertension"
                | "diabetes mellitus type 2"
                | "hypercholesterolaemia"
                | "atrial fibrillation"
        );
        let pick = |rng: &mut super::rng::Rng, options: &[(&str, &str)]| -> (String, String) {
            let (before, after) = rng.pick(options);
            (before.replace("{y}", &year), after.replace("{y}", &year))
        };
        match (self.lang, item.status, list) {
            (Lang::Nl, Status::Present, true) if controllable => pick(
                self.rng,
                &[
                    ("", ""),
                    ("", ""),
                    ("", " (bekend)"),
                    ("", ", goed ingesteld"),
                ],
            ),
            (Lang::Nl, Status::Present, true) => {
                pick(self.rng, &[("", ""), ("", ""), ("", " (bekend)")])
            }
            (Lang::Nl, Status::Present, false) => pick(
                self.rng,
                &[
                    ("bekend met ", ""),
                    ("bekend met ", ""),
                    ("", ""),
                    ("heeft ", ""),
                ],
            ),
            (Lang::En, Status::Present, true) if controllable => pick(
                self.rng,
                &[
                    ("", ""),
                    ("", ""),
                    ("", ", well controlled"),
                    ("known ", ""),
                ],
            ),
            (Lang::En, Status::Present, true) => {
                pick(self.rng, &[("", ""), ("", ""), ("known ", "")])
            }
            (Lang::En, Status::Present, false) => pick(
                self.rng,
                &[
                    ("known ", ""),
                    ("a background of ", ""),
                    ("", ""),
                    ("has ", ""),
                ],
            ),
            (Lang::Nl, Status::Absent, true) => pick(
                self.rng,
                &[
                    ("geen ", ""),
                    ("", ": neg."),
                    ("", ": neg."),
                    ("", ": nee"),
                    ("geen ", " bekend"),
                ],
            ),
            (Lang::Nl, Status::Absent, false) => pick(
                self.rng,
                &[
                    ("geen ", ""),
                    ("niet bekend met ", ""),
                    ("geen aanwijzingen voor ", ""),
                    ("geen ", " in de voorgeschiedenis"),
                ],
            ),
            (Lang::En, Status::Absent, true) => pick(
                self.rng,
                &[
                    ("no ", ""),
                    ("", ": negative"),
                    ("", ": no"),
                    ("no known ", ""),
                ],
            ),
            (Lang::En, Status::Absent, false) => pick(
                self.rng,
                &[
                    ("no ", ""),
                    ("no history of ", ""),
                    ("no evidence of ", ""),
                    ("no known ", ""),
                ],
            ),
            (Lang::Nl, Status::Historical, true) if has_year => pick(
                self.rng,
                &[
                    ("st. na ", " ({y})"),
                    ("status na ", " {y}"),
                    ("{y}: ", ""),
                    ("", " in {y}"),
                    ("{y} ", ""),
                ],
            ),
            (Lang::Nl, Status::Historical, _) if has_year => pick(
                self.rng,
                &[
                    ("status na ", " in {y}"),
                    ("in {y} een ", " doorgemaakt"),
                    ("eerder ", " ({y})"),
                    ("st. na ", " ({y})"),
                ],
            ),
            (Lang::Nl, Status::Historical, _) => pick(
                self.rng,
                &[("status na ", ""), ("st. na ", ""), ("eerder ", "")],
            ),
            (Lang::En, Status::Historical, true) if has_year => pick(
                self.rng,
                &[
                    ("s/p ", " ({y})"),
                    ("{y} ", ""),
                    ("previous ", " ({y})"),
                    ("", " {y}"),
                ],
            ),
            (Lang::En, Status::Historical, _) if has_year => pick(
                self.rng,
                &[
                    ("previous ", " in {y}"),
                    ("a past ", " ({y})"),
                    ("s/p ", " ({y})"),
                    ("a ", " in {y}"),
                ],
            ),
            (Lang::En, Status::Historical, _) => {
                pick(self.rng, &[("previous ", ""), ("s/p ", ""), ("prior ", "")])
            }
            (Lang::Nl, Status::Hypothetical, _) => pick(
                self.rng,
                &[
                    ("graag uitsluiten ", ""),
                    ("?", ""),
                    ("verdenking ", ""),
                    ("", "?"),
                    ("DD ", ""),
                    ("evt. ", ""),
                    ("mogelijk ", ""),
                ],
            ),
            (Lang::En, Status::Hypothetical, _) => pick(
                self.rng,
                &[
                    ("rule out ", ""),
                    ("?", ""),
                    ("query ", ""),
                    ("possible ", ""),
                    ("suspected ", ""),
                    ("", "?"),
                ],
            ),
            (_, Status::Family, _) => ("".into(), "".into()),
        }
    }

    /// The family history of one condition: `vader overleden aan een hartinfarct op 52-jarige leeftijd`.
    fn family_phrase(&mut self, item: &DxItem, surface: &str) {
        let relative = item.relative.expect("a family item has a relative");
        let died = matches!(
            item.dx.name,
            "myocardial infarction" | "sudden cardiac death" | "stroke"
        );
        let event = matches!(
            item.dx.name,
            "myocardial infarction"
                | "stroke"
                | "transient ischaemic attack"
                | "pulmonary embolism"
        );
        let article = if event { self.tr("een ", "a ") } else { "" };
        let article = article.to_string();
        match (self.lang, self.rng.below(4), died, item.relative_age) {
            (Lang::Nl, 0, true, Some(age)) => {
                self.push(&format!("{} overleden aan {article}", relative.nl));
                self.dx_evidence(item, surface);
                self.push(" op ");
                self.other_age(age);
                self.push("-jarige leeftijd");
            }
            (Lang::Nl, 1, _, Some(age)) => {
                self.push(&format!("{}: ", relative.nl));
                self.dx_evidence(item, surface);
                self.push(" op ");
                self.other_age(age);
                self.push("-jarige leeftijd");
            }
            (Lang::Nl, 2, _, _) => {
                self.push("positief voor ");
                self.dx_evidence(item, surface);
                self.push(&format!(" ({})", relative.nl));
            }
            (Lang::Nl, _, _, _) => {
                self.push(&format!("{} bekend met ", relative.nl));
                self.dx_evidence(item, surface);
            }
            (Lang::En, 0, true, Some(age)) => {
                self.push(&format!("{} died of {article}", relative.en));
                self.dx_evidence(item, surface);
                self.push(" aged ");
                self.other_age(age);
            }
            (Lang::En, 1, _, Some(age)) => {
                self.push(&format!("{} had {article}", relative.en));
                self.dx_evidence(item, surface);
                self.push(" at age ");
                self.other_age(age);
            }
            (Lang::En, 2, _, _) => {
                self.push("positive for ");
                self.dx_evidence(item, surface);
                self.push(&format!(" ({})", relative.en));
            }
            (Lang::En, _, _, _) => {
                self.push(&format!("{} has ", relative.en));
                self.dx_evidence(item, surface);
            }
        }
    }

    /// A medicine with dose and frequency; the evidence span covers the whole mention.
    pub fn medication(&mut self, item: &MedItem, style: MedStyle) {
        let names = if self.nl() {
            item.drug.nl
        } else {
            item.drug.en
        };
        let surface = names[self.rng.below(names.len())];
        let mut name = self.evidence_surface(surface);
        if style == MedStyle::Table || self.rng.chance(40) {
            name = names::capitalise(&name);
        }
        let Some((amount, unit)) = item.dose else {
            // A medicine dosed by an anticoagulation clinic: name only.
            self.evidence(&name, Field::Medication, item.drug.name, item.value(), None);
            self.push(self.tr(
                " volgens schema trombosedienst",
                " as directed by the anticoagulation clinic",
            ));
            return;
        };
        let amount_text = vocab::decimal(amount, self.lang);
        if amount.fract() != 0.0 && self.nl() {
            self.mark(Difficulty::DecimalComma);
        }
        let unit_text = *self.rng.pick(unit.surfaces(self.lang));
        let frequency_text = item
            .frequency
            .map(|f| *self.rng.pick(f.surfaces(self.lang)))
            .unwrap_or("");
        let space = if unit_text.len() <= 3 && self.rng.chance(30) {
            ""
        } else {
            " "
        };
        let dose = format!("{amount_text}{space}{unit_text}");
        let written = match style {
            MedStyle::Table => {
                let left = format!("{name} {dose}");
                let width = 34usize.saturating_sub(left.chars().count()).max(2);
                format!("{left}{}{frequency_text}", " ".repeat(width))
            }
            MedStyle::Inline => match self.rng.below(6) {
                0 if name.contains("spray") => format!("{name} {dose}, {frequency_text}"),
                0 if self.nl() => format!("{name} tablet {dose}, {frequency_text}"),
                0 => format!("{name} {dose} tablets, {frequency_text}"),
                _ => format!("{name} {dose} {frequency_text}"),
            },
        };
        self.evidence(
            written.trim_end(),
            Field::Medication,
            item.drug.name,
            item.value(),
            None,
        );
    }

    /// An allergen (evidence), with the reaction sometimes.
    pub fn allergy(&mut self, allergen: &'static Allergen) {
        let surface = *self
            .rng
            .pick(if self.nl() { allergen.nl } else { allergen.en });
        self.evidence(
            surface,
            Field::Allergy,
            allergen.name,
            json!(allergen.name),
            None,
        );
        if self.rng.chance(60) {
            let reaction = *self.rng.pick(if self.nl() {
                allergen.reaction_nl
            } else {
                allergen.reaction_en
            });
            self.push(&format!(" ({reaction})"));
        }
    }

    /// A referral reason (evidence).
    pub fn reason(&mut self, reason: &'static Reason) {
        let surface = *self.rng.pick(if self.nl() { reason.nl } else { reason.en });
        self.evidence(surface, Field::ReferralReason, "", json!(reason.name), None);
    }

    /// The urgency (evidence) as a form value or a phrase.
    pub fn urgency(&mut self, urgent: bool) {
        let options: &[&str] = match (self.lang, urgent) {
            (Lang::Nl, false) => &["regulier", "regulier", "niet spoedeisend", "routine"],
            (Lang::Nl, true) => &["spoed", "spoed", "met spoed", "spoedeisend"],
            (Lang::En, false) => &["routine", "routine", "non-urgent"],
            (Lang::En, true) => &["urgent", "urgent", "urgently"],
        };
        let word = *self.rng.pick(options);
        self.evidence(
            word,
            Field::Urgency,
            "",
            json!(if urgent { "urgent" } else { "routine" }),
            None,
        );
    }

    /// The urgency as a form value: `regulier`, `spoed`, `routine`, `urgent`.
    pub fn urgency_value(&mut self, urgent: bool) {
        let options: &[&str] = match (self.lang, urgent) {
            (Lang::Nl, false) => &["regulier", "regulier", "routine"],
            (Lang::Nl, true) => &["spoed", "spoed", "Spoed"],
            (Lang::En, false) => &["routine", "Routine"],
            (Lang::En, true) => &["urgent", "Urgent"],
        };
        let word = options[self.rng.below(options.len())];
        self.evidence(
            word,
            Field::Urgency,
            "",
            json!(if urgent { "urgent" } else { "routine" }),
            None,
        );
    }

    /// The urgency as an unusual sentence: `Graag binnen een week gezien.`
    pub fn urgency_sentence(&mut self, urgent: bool) {
        self.mark(Difficulty::UnusualPhrasing);
        let value = json!(if urgent { "urgent" } else { "routine" });
        let phrase = match (self.lang, urgent) {
            (Lang::Nl, true) => "binnen een week",
            (Lang::Nl, false) => "geen haast",
            (Lang::En, true) => "within two weeks",
            (Lang::En, false) => "no particular urgency",
        };
        match (self.lang, urgent) {
            (Lang::Nl, true) => {
                self.push("Ik verzoek u de patiënt ");
                self.evidence(phrase, Field::Urgency, "", value, None);
                self.push(" te zien.");
            }
            (Lang::Nl, false) => {
                self.push("Er is ");
                self.evidence(phrase, Field::Urgency, "", value, None);
                self.push(" bij.");
            }
            (Lang::En, true) => {
                self.push("I would be grateful if you could see the patient ");
                self.evidence(phrase, Field::Urgency, "", value, None);
                self.push(".");
            }
            (Lang::En, false) => {
                self.push("There is ");
                self.evidence(phrase, Field::Urgency, "", value, None);
                self.push(".");
            }
        }
    }

    /// The smoking status (evidence covers the phrase).
    pub fn smoking(&mut self, smoking: Smoking) {
        let value = json!(smoking.value());
        let phrase = match (self.lang, smoking, self.rng.below(3)) {
            (Lang::Nl, Smoking::Current { .. }, 0) => "rookt".to_string(),
            (Lang::Nl, Smoking::Current { .. }, 1) => "actief roker".to_string(),
            (Lang::Nl, Smoking::Current { per_day }, _) => {
                format!("rookt {per_day} sigaretten per dag")
            }
            (Lang::Nl, Smoking::Former { .. }, 0) => "ex-roker".to_string(),
            (Lang::Nl, Smoking::Former { since, .. }, 1) => format!("gestopt met roken in {since}"),
            (Lang::Nl, Smoking::Former { since, pack_years }, _) => {
                format!("rookte tot {since} ({pack_years} pakjaren)")
            }
            (Lang::Nl, Smoking::Never, 0) => "nooit gerookt".to_string(),
            (Lang::Nl, Smoking::Never, 1) => "niet-roker".to_string(),
            (Lang::Nl, Smoking::Never, _) => "heeft nooit gerookt".to_string(),
            (Lang::En, Smoking::Current { .. }, 0) => "current smoker".to_string(),
            (Lang::En, Smoking::Current { .. }, 1) => "smoker".to_string(),
            (Lang::En, Smoking::Current { per_day }, _) => {
                format!("smokes {per_day} cigarettes a day")
            }
            (Lang::En, Smoking::Former { .. }, 0) => "ex-smoker".to_string(),
            (Lang::En, Smoking::Former { since, .. }, 1) => format!("stopped smoking in {since}"),
            (Lang::En, Smoking::Former { pack_years, .. }, _) => {
                format!("former smoker ({pack_years} pack-years)")
            }
            (Lang::En, Smoking::Never, 0) => "never smoked".to_string(),
            (Lang::En, Smoking::Never, 1) => "lifelong non-smoker".to_string(),
            (Lang::En, Smoking::Never, _) => "never smoker".to_string(),
        };
        self.evidence(&phrase, Field::Smoking, "", value, None);
    }

    /// The NYHA class: `NYHA III`, `NYHA-klasse 2`; the evidence is the class.
    pub fn nyha(&mut self, class: usize) {
        let value = json!(ROMAN[class - 1]);
        let label = *self.rng.pick(match self.lang {
            Lang::Nl => &["NYHA ", "NYHA-klasse ", "NYHA klasse ", "NYHA "],
            Lang::En => &["NYHA ", "NYHA class ", "NYHA functional class ", "NYHA "],
        });
        self.push(label);
        let written = if self.rng.chance(25) {
            class.to_string()
        } else {
            ROMAN[class - 1].to_string()
        };
        self.evidence(&written, Field::Nyha, "", value, None);
    }

    /// `LVEF 35%` (evidence: the number), dated when `date` is given.
    pub fn lvef(&mut self, percent: i64, date: Option<Date>) {
        let label = *self.rng.pick(match self.lang {
            Lang::Nl => &[
                "LVEF ",
                "LVEF: ",
                "EF ",
                "ejectiefractie ",
                "LVEF (biplane) ",
            ],
            Lang::En => &[
                "LVEF ",
                "LVEF: ",
                "EF ",
                "ejection fraction ",
                "LV ejection fraction ",
            ],
        });
        self.push(label);
        self.evidence(&percent.to_string(), Field::Lvef, "", json!(percent), date);
        if self.rng.chance(6) {
            self.mark(Difficulty::UnusualPhrasing);
            self.push(self.tr(" procent", " per cent"));
        } else {
            self.push_one_of(&["%", "%", " %"]);
        }
    }

    /// `RR 142/88 mmHg` (evidence: each number), dated when `date` is given.
    pub fn blood_pressure(&mut self, systolic: i64, diastolic: i64, date: Option<Date>) {
        if self.rng.chance(7) {
            self.mark(Difficulty::UnusualPhrasing);
            if self.nl() {
                self.push("RR systolisch ");
                self.evidence(
                    &systolic.to_string(),
                    Field::BpSystolic,
                    "",
                    json!(systolic),
                    date,
                );
                self.push(", diastolisch ");
                self.evidence(
                    &diastolic.to_string(),
                    Field::BpDiastolic,
                    "",
                    json!(diastolic),
                    date,
                );
                self.push(" mmHg");
            } else {
                self.push("BP ");
                self.evidence(
                    &systolic.to_string(),
                    Field::BpSystolic,
                    "",
                    json!(systolic),
                    date,
                );
                self.push(" over ");
                self.evidence(
                    &diastolic.to_string(),
                    Field::BpDiastolic,
                    "",
                    json!(diastolic),
                    date,
                );
            }
            return;
        }
        let label = *self.rng.pick(match self.lang {
            Lang::Nl => &["RR ", "RR: ", "bloeddruk ", "tensie ", "RR "],
            Lang::En => &["BP ", "BP: ", "blood pressure ", "BP "],
        });
        self.push(label);
        self.evidence(
            &systolic.to_string(),
            Field::BpSystolic,
            "",
            json!(systolic),
            date,
        );
        self.push("/");
        self.evidence(
            &diastolic.to_string(),
            Field::BpDiastolic,
            "",
            json!(diastolic),
            date,
        );
        self.push_one_of(&[" mmHg", " mmHg", " mm Hg", ""]);
    }

    /// `NT-proBNP 1.250 ng/l` (evidence: the number as written).
    pub fn ntprobnp(&mut self, value: i64, date: Option<Date>) {
        let label = *self.rng.pick(&[
            "NT-proBNP",
            "NTproBNP",
            "NT-pro-BNP",
            "nt-probnp",
            "NT pro BNP",
        ]);
        self.push(label);
        self.push_one_of(&[" ", ": ", " "]);
        let _ = self.ntprobnp_number(value, date);
        let unit = *self.rng.pick(&["ng/l", "ng/L", "pg/ml", "pg/mL"]);
        self.push(&format!(" {unit}"));
    }

    /// Only the NT-proBNP number (for a table cell).
    pub fn ntprobnp_number(&mut self, value: i64, date: Option<Date>) -> Span {
        let written = if value >= 1000 && self.rng.chance(50) {
            let separator = if self.nl() { "." } else { "," };
            if self.nl() {
                self.mark(Difficulty::DecimalComma);
            }
            format!("{}{separator}{:03}", value / 1000, value % 1000)
        } else {
            value.to_string()
        };
        self.evidence(&written, Field::NtProBnp, "", json!(value), date)
    }

    /// `eGFR 48 ml/min/1,73m2` (evidence: the number as written).
    pub fn egfr(&mut self, value: f64, date: Option<Date>) {
        let label = *self.rng.pick(&[
            "eGFR ",
            "eGFR: ",
            "GFR (CKD-EPI) ",
            "eGFR (CKD-EPI) ",
            "eGFR CKD-EPI ",
        ]);
        self.push(label);
        let _ = self.egfr_number(value, date);
        let unit = *self.rng.pick(match self.lang {
            Lang::Nl => &[" ml/min/1,73m2", " mL/min/1,73 m²", " ml/min", ""],
            Lang::En => &[" mL/min/1.73m²", " ml/min/1.73m2", " mL/min", ""],
        });
        self.push(unit);
    }

    /// Only the eGFR number (for a table cell).
    pub fn egfr_number(&mut self, value: f64, date: Option<Date>) -> Span {
        let written = vocab::decimal(value, self.lang);
        if value.fract() != 0.0 && self.nl() {
            self.mark(Difficulty::DecimalComma);
        }
        self.evidence(&written, Field::Egfr, "", vocab::number_json(value), date)
    }
}

/// Where an age stands in the sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AgeForm {
    /// Before a noun: `67-jarige man`, `67-year-old man`.
    Adjective,
    /// On its own: `67 jaar`, `67 years`.
    Predicate,
}

/// How a medicine is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MedStyle {
    /// In running text or a bullet: `metoprolol 50 mg 2dd1`.
    Inline,
    /// In a table with the frequency in its own column.
    Table,
}

/// A number from 21 to 99 in Dutch words: `zevenenzestig`, `tweeënzestig`.
pub(crate) fn dutch_number(number: i64) -> String {
    const UNITS: [&str; 10] = [
        "", "een", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen",
    ];
    const TENS: [&str; 10] = [
        "", "", "twintig", "dertig", "veertig", "vijftig", "zestig", "zeventig", "tachtig",
        "negentig",
    ];
    let (tens, units) = ((number / 10) as usize, (number % 10) as usize);
    match units {
        0 => TENS[tens].to_string(),
        2 | 3 => format!("{}ën{}", UNITS[units], TENS[tens]),
        _ => format!("{}en{}", UNITS[units], TENS[tens]),
    }
}

/// A number from 21 to 99 in English words: `sixty-seven`.
pub(crate) fn english_number(number: i64) -> String {
    const UNITS: [&str; 10] = [
        "", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
    ];
    const TENS: [&str; 10] = [
        "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    ];
    let (tens, units) = ((number / 10) as usize, (number % 10) as usize);
    if units == 0 {
        TENS[tens].to_string()
    } else {
        format!("{}-{}", TENS[tens], UNITS[units])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_words() {
        assert_eq!(dutch_number(67), "zevenenzestig");
        assert_eq!(dutch_number(62), "tweeënzestig");
        assert_eq!(dutch_number(80), "tachtig");
        assert_eq!(english_number(67), "sixty-seven");
    }
}
