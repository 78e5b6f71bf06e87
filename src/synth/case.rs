//! A *case*: everything one referral letter says about one patient, decided before a
//! template writes it. Fields the case leaves out (`None`) are simply not in the letter.

use crate::data::Lang;

use super::date::Date;
use super::names::{self, Address, Institution, InstitutionKind, Person, Sex};
use super::render::{DxItem, MedItem, Smoking};
use super::rng::Rng;
use super::vocab::{
    self, Allergen, Reason, Status, ALLERGENS, DIAGNOSES, DRUGS, REASONS, RELATIVES,
};

/// The patient and the identifiers a letter may show.
#[derive(Debug, Clone)]
pub(crate) struct Patient {
    pub person: Person,
    pub birth: Date,
    /// Dutch citizen service number (passes the elfproef).
    pub bsn: String,
    /// NHS number (English letters).
    pub nhs: String,
    /// The hospital's or practice's patient number.
    pub number: String,
    pub address: Address,
    pub phone: String,
    pub email: Option<String>,
}

impl Patient {
    pub fn age_on(&self, date: Date) -> i64 {
        self.birth.years_until(date)
    }
}

/// The doctor who writes the letter.
#[derive(Debug, Clone)]
pub(crate) struct Sender {
    pub person: Person,
    pub institution: Institution,
    /// `None` for a GP; else the specialty as (Dutch, English).
    pub specialty: Option<(&'static str, &'static str)>,
    /// Professional register number (AGB code or GMC number).
    pub register: String,
}

/// A value with the date it was measured.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Dated<T> {
    pub value: T,
    pub date: Date,
}

/// A measurement in a letter: the current value (with its date if the letter writes it)
/// and sometimes an older value with an older date.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Measure<T> {
    pub value: T,
    /// `Some` when the letter writes the date of the current value.
    pub date: Option<Date>,
    pub older: Option<Dated<T>>,
}

/// Everything a referral letter says.
#[derive(Debug, Clone)]
pub(crate) struct Case {
    pub date: Date,
    pub patient: Patient,
    pub sender: Sender,
    pub hospital: Institution,
    pub cardiologist: Person,
    pub show_age: bool,
    pub show_sex: bool,
    pub reason: Option<&'static Reason>,
    pub urgency: Option<bool>,
    pub diagnoses: Vec<DxItem>,
    pub medications: Vec<MedItem>,
    pub allergies: Vec<&'static Allergen>,
    /// The letter says "no known allergies" (then `allergies` is empty and no field is gold).
    pub no_known_allergies: bool,
    pub nyha: Option<usize>,
    pub smoking: Option<Smoking>,
    pub bp: Option<Measure<(i64, i64)>>,
    pub lvef: Option<Measure<i64>>,
    pub ntprobnp: Option<Measure<i64>>,
    pub egfr: Option<Measure<f64>>,
    pub pulse: i64,
    /// A sloppy writer: typos in running text and sometimes in names of diagnoses and medicines.
    pub sloppy: bool,
}

impl Case {
    /// The items with a given status.
    pub fn with_status(&self, status: Status) -> Vec<DxItem> {
        self.diagnoses
            .iter()
            .filter(|item| item.status == status)
            .cloned()
            .collect()
    }

    /// Hypothetical items: the question of the letter.
    pub fn questions(&self) -> Vec<DxItem> {
        self.with_status(Status::Hypothetical)
    }
}

/// An invented patient, born so that they are `age` on `date`.
pub(crate) fn patient(rng: &mut Rng, lang: Lang, date: Date, age: i64, sex: Sex) -> Patient {
    let person = names::person(rng, lang, sex);
    let birth = date.plus_days(-(age * 365 + age / 4 + rng.range(1, 360)));
    let city = names::town(rng, lang);
    let address = names::address(rng, lang, &city);
    let phone = if rng.chance(60) {
        names::mobile(rng, lang)
    } else {
        names::landline(rng, lang)
    };
    let email = if rng.chance(25) {
        Some(names::private_email(rng, &person, lang))
    } else {
        None
    };
    Patient {
        bsn: names::bsn(rng),
        nhs: names::nhs_number(rng),
        number: names::patient_number(rng, lang),
        person,
        birth,
        address,
        phone,
        email,
    }
}

/// The writer of a letter: a GP, or a specialist of another department.
pub(crate) fn sender(rng: &mut Rng, lang: Lang, specialist: bool) -> Sender {
    let sex = if rng.chance(50) {
        Sex::Male
    } else {
        Sex::Female
    };
    let person = names::person(rng, lang, sex);
    let (institution, specialty) = if specialist {
        let specialty = *rng.pick(&[
            ("internist", "consultant physician"),
            ("longarts", "respiratory physician"),
            ("neuroloog", "neurologist"),
            ("internist-nefroloog", "nephrologist"),
            ("SEH-arts", "emergency physician"),
        ]);
        (
            names::institution(rng, lang, InstitutionKind::Hospital),
            Some(specialty),
        )
    } else {
        (
            names::institution(rng, lang, InstitutionKind::Practice),
            None,
        )
    };
    let register = match lang {
        Lang::Nl => format!("01{:06}", rng.range(0, 999_999)),
        Lang::En => format!("{}", rng.range(2_000_000, 7_999_999)),
    };
    Sender {
        person,
        institution,
        specialty,
        register,
    }
}

/// A random referral case for a letter written on `date`.
pub(crate) fn random_case(rng: &mut Rng, lang: Lang, date: Date, specialist: bool) -> Case {
    let sex = if rng.chance(55) {
        Sex::Male
    } else {
        Sex::Female
    };
    let age = rng.range(34, 93);
    let patient = patient(rng, lang, date, age, sex);
    let sender = sender(rng, lang, specialist);
    let hospital = names::institution(rng, lang, InstitutionKind::Hospital);
    let cardiologist_sex = if rng.chance(50) {
        Sex::Male
    } else {
        Sex::Female
    };
    let cardiologist = names::person(rng, lang, cardiologist_sex);
    let diagnoses = random_diagnoses(rng, patient.birth, date);
    let heart_failure = diagnoses
        .iter()
        .any(|d| d.dx.name == "heart failure" && d.status == Status::Present);
    let medication_count = rng_count(rng, 1, 7);
    let medications = if rng.chance(85) {
        random_medications(rng, lang, medication_count)
    } else {
        Vec::new()
    };
    let allergies = if rng.chance(30) {
        random_allergies(rng)
    } else {
        Vec::new()
    };
    let no_known_allergies = allergies.is_empty() && rng.chance(40);
    Case {
        date,
        show_age: rng.chance(85),
        show_sex: rng.chance(85),
        reason: if rng.chance(94) {
            Some(rng.pick(&REASONS))
        } else {
            None
        },
        urgency: if rng.chance(70) {
            Some(rng.chance(25))
        } else {
            None
        },
        nyha: if rng.chance(heart_failure_percent(heart_failure, 35, 70)) {
            Some(rng.range(1, 4) as usize)
        } else {
            None
        },
        smoking: if rng.chance(60) {
            Some(random_smoking(rng, date))
        } else {
            None
        },
        bp: if rng.chance(72) {
            Some(random_bp(rng, date))
        } else {
            None
        },
        lvef: if rng.chance(heart_failure_percent(heart_failure, 45, 90)) {
            Some(random_lvef(rng, date, heart_failure))
        } else {
            None
        },
        ntprobnp: if rng.chance(heart_failure_percent(heart_failure, 30, 75)) {
            Some(random_ntprobnp(rng, date, heart_failure))
        } else {
            None
        },
        egfr: if rng.chance(45) {
            Some(random_egfr(rng, date))
        } else {
            None
        },
        pulse: rng.range(52, 118),
        sloppy: rng.chance(35),
        patient,
        sender,
        hospital,
        cardiologist,
        diagnoses,
        medications,
        allergies,
        no_known_allergies,
    }
}

fn heart_failure_percent(heart_failure: bool, usual: u32, with_heart_failure: u32) -> u32 {
    if heart_failure {
        with_heart_failure
    } else {
        usual
    }
}

fn rng_count(rng: &mut Rng, low: i64, high: i64) -> usize {
    rng.range(low, high) as usize
}

/// Diagnoses of a letter: some present, some denied, some past, some in the family, some questions.
/// Each name appears once.
pub(crate) fn random_diagnoses(rng: &mut Rng, birth: Date, date: Date) -> Vec<DxItem> {
    let mut items: Vec<DxItem> = Vec::new();
    let plan = [
        (Status::Present, rng_count(rng, 0, 3)),
        (
            Status::Historical,
            if rng.chance(50) {
                rng_count(rng, 1, 2)
            } else {
                0
            },
        ),
        (
            Status::Absent,
            if rng.chance(55) {
                rng_count(rng, 1, 2)
            } else {
                0
            },
        ),
        (Status::Family, if rng.chance(40) { 1 } else { 0 }),
        (Status::Hypothetical, if rng.chance(45) { 1 } else { 0 }),
    ];
    for (status, count) in plan {
        for _ in 0..count {
            let candidates: Vec<&'static vocab::Diagnosis> = DIAGNOSES
                .iter()
                .filter(|d| {
                    d.statuses.contains(&status) && !items.iter().any(|item| item.dx.name == d.name)
                })
                .collect();
            if candidates.is_empty() {
                continue;
            }
            let dx = *rng.pick(&candidates);
            items.push(dx_item(rng, dx, status, birth, date));
        }
    }
    items
}

/// One diagnosis item with a year (for the past) or a relative (for the family).
pub(crate) fn dx_item(
    rng: &mut Rng,
    dx: &'static vocab::Diagnosis,
    status: Status,
    birth: Date,
    date: Date,
) -> DxItem {
    let year = match status {
        Status::Historical if rng.chance(85) => {
            let earliest = (birth.year + 30).min(date.year - 1);
            Some(rng.range(earliest as i64, (date.year - 1) as i64) as i32)
        }
        Status::Present if rng.chance(10) => {
            Some(rng.range((date.year - 12) as i64, (date.year - 1) as i64) as i32)
        }
        _ => None,
    };
    let (relative, relative_age) = if status == Status::Family {
        (
            Some(rng.pick(&RELATIVES)),
            if rng.chance(70) {
                Some(rng.range(38, 79))
            } else {
                None
            },
        )
    } else {
        (None, None)
    };
    DxItem {
        dx,
        status,
        year,
        relative,
        relative_age,
    }
}

/// `count` medicines, no two from one group.
pub(crate) fn random_medications(rng: &mut Rng, lang: Lang, count: usize) -> Vec<MedItem> {
    let mut items: Vec<MedItem> = Vec::new();
    for _ in 0..count * 3 {
        if items.len() == count {
            break;
        }
        let drug = rng.pick(&DRUGS);
        let written = if lang == Lang::Nl { drug.nl } else { drug.en };
        if written.is_empty() || items.iter().any(|item| item.drug.group == drug.group) {
            continue;
        }
        items.push(med_item(rng, drug, lang));
    }
    items
}

/// A medicine with a dose that fits the language (Dutch letters write 0,4 mg where English ones write 400 micrograms).
pub(crate) fn med_item(rng: &mut Rng, drug: &'static vocab::Drug, lang: Lang) -> MedItem {
    if drug.doses.is_empty() {
        return MedItem {
            drug,
            dose: None,
            frequency: None,
        };
    }
    let doses: Vec<(f64, vocab::Unit)> = drug
        .doses
        .iter()
        .copied()
        .filter(|(amount, unit)| !(lang == Lang::En && *unit == vocab::Unit::Mg && *amount < 1.0))
        .collect();
    let doses = if doses.is_empty() {
        drug.doses.to_vec()
    } else {
        doses
    };
    MedItem {
        drug,
        dose: Some(*rng.pick(&doses)),
        frequency: Some(*rng.pick(drug.frequencies)),
    }
}

fn random_allergies(rng: &mut Rng) -> Vec<&'static Allergen> {
    let first = rng.pick(&ALLERGENS);
    let mut list = vec![first];
    if rng.chance(25) {
        let second = rng.pick(&ALLERGENS);
        if second.name != first.name {
            list.push(second);
        }
    }
    list
}

pub(crate) fn random_smoking(rng: &mut Rng, date: Date) -> Smoking {
    match rng.below(3) {
        0 => Smoking::Current {
            per_day: *rng.pick(&[5, 10, 15, 20, 25]),
        },
        1 => Smoking::Former {
            since: rng.range((date.year - 30) as i64, (date.year - 1) as i64) as i32,
            pack_years: rng.range(5, 45),
        },
        _ => Smoking::Never,
    }
}

/// An older date, 4 months to 5 years before `date`.
fn older_date(rng: &mut Rng, date: Date) -> Date {
    date.plus_days(-rng.range(120, 1800))
}

/// A recent date, up to 6 weeks before `date`.
fn recent_date(rng: &mut Rng, date: Date) -> Date {
    date.plus_days(-rng.range(1, 42))
}

fn random_bp(rng: &mut Rng, date: Date) -> Measure<(i64, i64)> {
    let value = bp_value(rng);
    let older = if rng.chance(15) {
        let mut previous = bp_value(rng);
        if previous == value {
            previous.0 += 12;
        }
        Some(Dated {
            value: previous,
            date: older_date(rng, date),
        })
    } else {
        None
    };
    Measure {
        value,
        date: None,
        older,
    }
}

pub(crate) fn bp_value(rng: &mut Rng) -> (i64, i64) {
    let systolic = rng.range(104, 186);
    let diastolic = (systolic * rng.range(50, 62) / 100).clamp(55, 110);
    (systolic, diastolic)
}

fn random_lvef(rng: &mut Rng, date: Date, heart_failure: bool) -> Measure<i64> {
    let value = if heart_failure {
        rng.range(18, 45)
    } else {
        rng.range(30, 68)
    };
    let older = if rng.chance(35) {
        let mut previous = (value + rng.range(-25, 25)).clamp(15, 70);
        if previous == value {
            previous = (value + 10).min(70);
        }
        Some(Dated {
            value: previous,
            date: older_date(rng, date),
        })
    } else {
        None
    };
    let dated = older.is_some() || rng.chance(50);
    Measure {
        value,
        date: if dated {
            Some(recent_date(rng, date))
        } else {
            None
        },
        older,
    }
}

fn random_ntprobnp(rng: &mut Rng, date: Date, heart_failure: bool) -> Measure<i64> {
    let value = if heart_failure {
        rng.range(600, 9800)
    } else {
        rng.range(40, 2400)
    };
    let older = if rng.chance(25) {
        let previous = (value as f64 * rng.range(30, 180) as f64 / 100.0) as i64 + 7;
        Some(Dated {
            value: previous,
            date: older_date(rng, date),
        })
    } else {
        None
    };
    Measure {
        value,
        date: if rng.chance(70) {
            Some(recent_date(rng, date))
        } else {
            None
        },
        older,
    }
}

fn random_egfr(rng: &mut Rng, date: Date) -> Measure<f64> {
    let value = if rng.chance(10) {
        rng.range(200, 890) as f64 / 10.0
    } else {
        rng.range(18, 89) as f64
    };
    let older = if rng.chance(30) {
        Some(Dated {
            value: (value + rng.range(3, 20) as f64).min(89.0).round(),
            date: older_date(rng, date),
        })
    } else {
        None
    };
    let older = older.filter(|previous| previous.value != value);
    Measure {
        value,
        date: if rng.chance(70) {
            Some(recent_date(rng, date))
        } else {
            None
        },
        older,
    }
}
