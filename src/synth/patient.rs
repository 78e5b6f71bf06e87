//! Patient files: years of letters, lab reports, echo reports and medication lists of one
//! patient, laid out on pages of 2,000 to 3,000 characters separated by form feeds (`\f`).

use crate::data::{Document, Lang, Part, PhiType};
use crate::text::Span;

use super::case::{self, Case, Measure, Patient, Sender};
use super::date::Date;
use super::filler::{self, pad, Contacts, FillerKind};
use super::gold;
use super::names::{self, Institution, InstitutionKind, Person, Sex};
use super::referral::{TEMPLATES_EN, TEMPLATES_NL};
use super::render::{AgeForm, DxItem, MedItem, MedStyle, NameStyle, Smoking};
use super::rng::Rng;
use super::vocab::{self, Allergen, Status, ALLERGENS, DRUGS, REASONS};
use super::writer::{Text, Writer};

/// The most characters on a page, header and footer included.
const PAGE_MAX: usize = 3000;
/// A page is filled up to a target between these two.
const PAGE_TARGET: (i64, i64) = (2050, 2400);
/// A page that has to break early is first filled up to this.
const PAGE_MIN: usize = 1800;
/// Room kept for the footer.
const FOOTER_ROOM: usize = 40;
/// The line between two short parts on one page.
const SEPARATOR: &str = "\n________________________________________\n\n";

/// The kinds of parts in a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PartKind {
    Referral,
    Letter,
    Discharge,
    Lab,
    Echo,
    MedicationList,
}

impl PartKind {
    fn name(self) -> &'static str {
        match self {
            PartKind::Referral => "referral",
            PartKind::Letter => "letter",
            PartKind::Discharge => "discharge",
            PartKind::Lab => "lab",
            PartKind::Echo => "echo",
            PartKind::MedicationList => "medication_list",
        }
    }
}

/// Everything that stays the same or changes slowly over the years of a file.
struct State {
    lang: Lang,
    patient: Patient,
    gp: Sender,
    hospital: Institution,
    pharmacy: Institution,
    cardiologist: Person,
    colleagues: Vec<Person>,
    bsn_in_header: bool,
    reason: &'static vocab::Reason,
    diagnoses: Vec<DxItem>,
    medications: Vec<MedItem>,
    stopped: Vec<(MedItem, Date)>,
    allergies: Vec<&'static Allergen>,
    smoking: Smoking,
    nyha: usize,
    lvef: Vec<(Date, i64)>,
    ntprobnp: Vec<(Date, i64)>,
    egfr: Vec<(Date, f64)>,
    bp: Vec<(Date, (i64, i64))>,
    lvef_level: i64,
    ntprobnp_level: i64,
    egfr_level: f64,
    first_visit_done: bool,
    /// No admission before this many parts (admissions are rare).
    next_admission_after: usize,
    /// The day of the last part: the next part starts after it.
    last_date: Date,
}

/// Generates the patient file number `index` (0-based) with `pages` pages.
pub(crate) fn generate(seed: u64, index: usize, pages: usize) -> Document {
    let pages = pages.max(1);
    let mut rng = Rng::for_item(seed, "patient", index as u64);
    let lang = if index % 2 == 0 { Lang::Nl } else { Lang::En };
    // A file of a few pages covers about a year, one of 200 pages about eight; the last
    // part falls around the end of 2024. A page holds about two parts.
    let span_days = 365 * (pages as i64 / 25 + 1).min(8);
    let mean_gap = (span_days * 10 / (pages as i64 * 22)).max(2);
    let start = Date::new(2024, 12, 31).plus_days(-span_days - rng.range(0, 120));
    let mut state = new_state(&mut rng, lang, start);
    let mut layout = Layout::new(pages, lang);
    loop {
        let used = layout.pages_used();
        let remaining = layout.total.saturating_sub(used);
        let on_last_page = remaining == 0;
        let kind = if on_last_page {
            *rng.pick(&[PartKind::Lab, PartKind::Echo, PartKind::MedicationList])
        } else {
            next_kind(&mut rng, &state, remaining, layout.parts.len())
        };
        let gap = if layout.parts.is_empty() {
            0
        } else {
            rng.range(mean_gap / 4, mean_gap * 7 / 4)
        };
        let date = state.last_date.plus_days(gap.max(1));
        let (blocks, date) = write_part(&mut rng, &mut state, kind, date);
        if on_last_page {
            // The last page is open: one more short part only if it fits on it.
            if !layout.shares_page(kind, &blocks) {
                break;
            }
        }
        state.last_date = date;
        layout.add_part(&mut rng, &state, kind, date, blocks);
    }
    layout.finish(&mut rng, &state);
    let id = format!("pat-{:04}", index + 1);
    let mut document = Document::new(id, lang, "patient_file", layout.doc.text.clone());
    document.patient_id = Some(format!("P{:04}", index + 1));
    document.fields = gold::resolve(&layout.doc.evidence, &layout.part_dates, true);
    let mut phi = layout.doc.phi;
    phi.sort();
    document.phi = phi;
    document.parts = layout.parts;
    document
}

fn new_state(rng: &mut Rng, lang: Lang, start: Date) -> State {
    let sex = if rng.chance(55) {
        Sex::Male
    } else {
        Sex::Female
    };
    let age = rng.range(45, 82);
    let patient = case::patient(rng, lang, start, age, sex);
    let gp = case::sender(rng, lang, false);
    let hospital = names::institution(rng, lang, InstitutionKind::Hospital);
    let pharmacy = names::institution(rng, lang, InstitutionKind::Pharmacy);
    let cardiologist_sex = if rng.chance(50) {
        Sex::Male
    } else {
        Sex::Female
    };
    let cardiologist = names::person(rng, lang, cardiologist_sex);
    let colleagues = (0..4)
        .map(|i| names::person(rng, lang, if i % 2 == 0 { Sex::Female } else { Sex::Male }))
        .collect();
    let mut diagnoses = case::random_diagnoses(rng, patient.birth, start);
    // A file is about a cardiac patient: make sure there is something to follow.
    if !diagnoses.iter().any(|d| d.status == Status::Hypothetical) {
        let options: Vec<&'static vocab::Diagnosis> = vocab::DIAGNOSES
            .iter()
            .filter(|d| {
                d.statuses.contains(&Status::Hypothetical)
                    && !diagnoses.iter().any(|item| item.dx.name == d.name)
            })
            .collect();
        let dx = *rng.pick(&options);
        diagnoses.push(case::dx_item(
            rng,
            dx,
            Status::Hypothetical,
            patient.birth,
            start,
        ));
    }
    let medication_count = rng.range(2, 6) as usize;
    let medications = case::random_medications(rng, lang, medication_count);
    let allergies = if rng.chance(40) {
        vec![rng.pick(&ALLERGENS)]
    } else {
        Vec::new()
    };
    let heart_failure = diagnoses.iter().any(|d| d.dx.name == "heart failure");
    State {
        lang,
        bsn_in_header: lang == Lang::Nl && rng.chance(50),
        reason: rng.pick(&REASONS),
        smoking: case::random_smoking(rng, start),
        nyha: rng.range(1, 3) as usize,
        lvef_level: if heart_failure {
            rng.range(20, 40)
        } else {
            rng.range(35, 62)
        },
        ntprobnp_level: rng.range(150, 3500),
        egfr_level: rng.range(35, 85) as f64,
        lvef: Vec::new(),
        ntprobnp: Vec::new(),
        egfr: Vec::new(),
        bp: Vec::new(),
        first_visit_done: false,
        next_admission_after: rng.range(4, 20) as usize,
        last_date: start,
        stopped: Vec::new(),
        patient,
        gp,
        hospital,
        pharmacy,
        cardiologist,
        colleagues,
        diagnoses,
        medications,
        allergies,
    }
}

/// Which part comes next. Near the end of the file only one-page parts fit.
fn next_kind(rng: &mut Rng, state: &State, remaining: usize, parts_so_far: usize) -> PartKind {
    if remaining < 3 {
        return *rng.pick(&[PartKind::Lab, PartKind::Echo, PartKind::MedicationList]);
    }
    match parts_so_far {
        0 => return PartKind::Referral,
        1 => return PartKind::Lab,
        2 => return PartKind::Echo,
        _ if !state.first_visit_done => return PartKind::Letter,
        _ => {}
    }
    let roll = rng.below(100);
    match roll {
        0..=29 => PartKind::Letter,
        30..=54 => PartKind::Lab,
        55..=66 => PartKind::Echo,
        67..=90 => PartKind::MedicationList,
        _ if remaining >= 6 && parts_so_far >= state.next_admission_after => PartKind::Discharge,
        _ => PartKind::Letter,
    }
}

/// Writes one part; returns its blocks and its date (a discharge letter is dated at discharge).
fn write_part(rng: &mut Rng, state: &mut State, kind: PartKind, date: Date) -> (Vec<Text>, Date) {
    match kind {
        PartKind::Referral => (referral_part(rng, state, date), date),
        PartKind::Lab => (lab_part(rng, state, date), date),
        PartKind::Echo => (echo_part(rng, state, date), date),
        PartKind::MedicationList => (medication_list_part(rng, state, date), date),
        PartKind::Letter => (letter_part(rng, state, date), date),
        PartKind::Discharge => {
            state.next_admission_after += rng.range(15, 40) as usize;
            discharge_part(rng, state, date)
        }
    }
}

// ---------------------------------------------------------------------------------------
// Measurements over time.
// ---------------------------------------------------------------------------------------

/// The value of a series on `date`, measured now if it was not yet.
fn measure_on<T: Copy>(series: &mut Vec<(Date, T)>, date: Date, new: impl FnOnce() -> T) -> T {
    if let Some((_, value)) = series.iter().find(|(d, _)| *d == date) {
        return *value;
    }
    let value = new();
    series.push((date, value));
    series.sort_by_key(|(d, _)| *d);
    value
}

/// The last value measured before `date`.
fn last_before<T: Copy>(series: &[(Date, T)], date: Date) -> Option<(Date, T)> {
    series.iter().rev().find(|(d, _)| *d < date).copied()
}

fn measure_lvef(rng: &mut Rng, state: &mut State, date: Date) -> i64 {
    let level = (state.lvef_level + rng.range(-4, 5)).clamp(15, 68);
    state.lvef_level = level;
    measure_on(&mut state.lvef, date, || level)
}

fn measure_ntprobnp(rng: &mut Rng, state: &mut State, date: Date) -> i64 {
    let level = (state.ntprobnp_level * rng.range(65, 145) / 100).clamp(35, 25_000);
    state.ntprobnp_level = level;
    measure_on(&mut state.ntprobnp, date, || level)
}

fn measure_egfr(rng: &mut Rng, state: &mut State, date: Date) -> f64 {
    let level = (state.egfr_level + rng.range(-5, 3) as f64).clamp(12.0, 89.0);
    state.egfr_level = level;
    measure_on(&mut state.egfr, date, || level)
}

fn measure_bp(rng: &mut Rng, state: &mut State, date: Date) -> (i64, i64) {
    let value = case::bp_value(rng);
    measure_on(&mut state.bp, date, || value)
}

// ---------------------------------------------------------------------------------------
// Parts.
// ---------------------------------------------------------------------------------------

/// The GP's referral that opens the file, written with one of the referral templates.
fn referral_part(rng: &mut Rng, state: &mut State, date: Date) -> Vec<Text> {
    let lab_date = date.plus_days(-rng.range(3, 20));
    let ntprobnp = if rng.chance(60) {
        Some(measure_ntprobnp(rng, state, lab_date))
    } else {
        None
    };
    let egfr = if rng.chance(60) {
        Some(measure_egfr(rng, state, lab_date))
    } else {
        None
    };
    let bp = measure_bp(rng, state, date);
    let case = Case {
        date,
        patient: state.patient.clone(),
        sender: state.gp.clone(),
        hospital: state.hospital.clone(),
        cardiologist: state.cardiologist.clone(),
        show_age: true,
        show_sex: true,
        reason: Some(state.reason),
        urgency: Some(rng.chance(20)),
        diagnoses: state.diagnoses.clone(),
        medications: state.medications.clone(),
        allergies: state.allergies.clone(),
        no_known_allergies: state.allergies.is_empty(),
        nyha: None,
        smoking: Some(state.smoking),
        bp: Some(Measure {
            value: bp,
            date: None,
            older: None,
        }),
        lvef: None,
        ntprobnp: ntprobnp.map(|value| Measure {
            value,
            date: Some(lab_date),
            older: None,
        }),
        egfr: egfr.map(|value| Measure {
            value,
            date: Some(lab_date),
            older: None,
        }),
        pulse: rng.range(55, 110),
        sloppy: rng.chance(20),
    };
    let templates: Vec<_> = match state.lang {
        Lang::Nl => TEMPLATES_NL.iter().filter(|t| !t.specialist).collect(),
        Lang::En => TEMPLATES_EN.iter().filter(|t| !t.specialist).collect(),
    };
    let template = *rng.pick(&templates);
    let mut w = Writer::new(rng, state.lang);
    (template.write)(&mut w, &case);
    w.finish().0
}

/// A laboratory report: a table of today's values and a table of earlier ones.
fn lab_part(rng: &mut Rng, state: &mut State, date: Date) -> Vec<Text> {
    let egfr = measure_egfr(rng, state, date);
    let ntprobnp = if rng.chance(65) {
        Some(measure_ntprobnp(rng, state, date))
    } else {
        None
    };
    let mut w = Writer::new(rng, state.lang);
    let nl = w.nl();
    w.line(w.tr("Klinisch Chemisch Laboratorium", "Clinical Biochemistry"));
    w.phi(&state.hospital.name, PhiType::Institution);
    w.push(w.tr("\nAanvraagnummer: ", "\nRequest no.: "));
    let order = names::nine_digits_not_bsn(w.rng);
    w.phi(&order, PhiType::Id);
    w.push(w.tr("\nPatiënt: ", "\nPatient: "));
    w.name(&state.patient.person, NameStyle::Listed, true);
    w.push(w.tr(", geb. ", ", DOB "));
    w.date(state.patient.birth);
    w.push(w.tr("\nAanvrager: ", "\nRequested by: "));
    w.doctor(&state.cardiologist);
    w.push(w.tr("\nAfname: ", "\nCollected: "));
    w.date(date);
    let (hour, minute) = (w.rng.range(7, 16), w.rng.range(0, 59));
    w.push(&format!(" {hour:02}:{minute:02}\n\n"));
    w.end_block();

    let header = if nl {
        "Bepaling              Uitslag    Eenheid           Referentie\n"
    } else {
        "Test                  Result     Units             Reference\n"
    };
    w.push(header);
    let hb = hb_text(&mut w);
    lab_row(
        &mut w,
        "Hb",
        &hb,
        if nl { "mmol/l" } else { "g/L" },
        if nl { "8,5-11,0" } else { "130-170" },
    );
    let creatinine = (9000.0 / egfr.max(10.0)) as i64 + 20;
    lab_row(
        &mut w,
        if nl { "Kreatinine" } else { "Creatinine" },
        &creatinine.to_string(),
        if nl { "µmol/l" } else { "µmol/L" },
        "60-110",
    );
    w.push(&pad(w.tr("eGFR (CKD-EPI)", "eGFR (CKD-EPI)"), 22));
    let written = w.egfr_number(egfr, None);
    let gap = " ".repeat(11usize.saturating_sub(written.len()).max(1));
    w.push(&format!(
        "{gap}{}>60\n",
        pad(w.tr("ml/min/1,73m2", "mL/min/1.73m2"), 18)
    ));
    if let Some(value) = ntprobnp {
        w.push(&pad("NT-proBNP", 22));
        let written = w.ntprobnp_number(value, None);
        let unit = *w.rng.pick(&["ng/l", "ng/L", "pg/ml"]);
        let gap = " ".repeat(11usize.saturating_sub(written.len()).max(1));
        w.push(&format!("{gap}{}<125\n", pad(unit, 18)));
    }
    let potassium = w.rng.range(35, 53);
    let sep = if nl { "," } else { "." };
    lab_row(
        &mut w,
        if nl { "Kalium" } else { "Potassium" },
        &format!("{}{sep}{}", potassium / 10, potassium % 10),
        if nl { "mmol/l" } else { "mmol/L" },
        if nl { "3,5-5,0" } else { "3.5-5.0" },
    );
    let sodium = w.rng.range(131, 145).to_string();
    lab_row(
        &mut w,
        if nl { "Natrium" } else { "Sodium" },
        &sodium,
        if nl { "mmol/l" } else { "mmol/L" },
        "135-145",
    );
    w.end_block();

    // Earlier results, each row with its date.
    let earlier_egfr: Vec<(Date, f64)> = state
        .egfr
        .iter()
        .rev()
        .filter(|(d, _)| *d < date)
        .take(3)
        .copied()
        .collect();
    if !earlier_egfr.is_empty() {
        w.push(w.tr(
            "\nEerdere uitslagen\nDatum          eGFR      NT-proBNP\n",
            "\nPrevious results\nDate           eGFR      NT-proBNP\n",
        ));
        for (day, value) in earlier_egfr {
            let style = if nl {
                super::date::DateStyle::Dashes
            } else {
                super::date::DateStyle::Slashes
            };
            w.date_in(day, style);
            w.push("     ");
            let written = w.egfr_number(value, Some(day));
            w.push(&" ".repeat(10usize.saturating_sub(written.len()).max(1)));
            match state.ntprobnp.iter().find(|(d, _)| *d == day) {
                Some((_, value)) => {
                    let _ = w.ntprobnp_number(*value, Some(day));
                }
                None => {
                    w.push("-");
                }
            }
            w.push("\n");
        }
        w.end_block();
    }
    w.push(w.tr("\nGevalideerd door: ", "\nAuthorised by: "));
    let validator = state.colleagues[0].clone();
    w.name(&validator, NameStyle::Formal, false);
    w.push(w.tr(", klinisch chemicus\n", ", clinical scientist\n"));
    w.finish().0
}

fn hb_text(w: &mut Writer) -> String {
    if w.nl() {
        let hb = w.rng.range(68, 99);
        format!("{},{}", hb / 10, hb % 10)
    } else {
        w.rng.range(105, 165).to_string()
    }
}

fn lab_row(w: &mut Writer, name: &str, value: &str, unit: &str, reference: &str) {
    let line = format!(
        "{}{}{}{reference}\n",
        pad(name, 22),
        pad(value, 11),
        pad(unit, 18)
    );
    w.push(&line);
}

/// An echocardiography report with the LVEF, and a comparison with the previous echo.
fn echo_part(rng: &mut Rng, state: &mut State, date: Date) -> Vec<Text> {
    let previous = last_before(&state.lvef, date);
    let lvef = measure_lvef(rng, state, date);
    let mut w = Writer::new(rng, state.lang);
    w.phi(&state.hospital.name, PhiType::Institution);
    w.push(w.tr(
        "\nAfdeling Cardiologie - Echocardiografie\nDatum onderzoek: ",
        "\nCardiology - Echocardiography report\nDate of study: ",
    ));
    w.date(date);
    w.push(w.tr("\nPatiënt: ", "\nPatient: "));
    w.name(&state.patient.person, NameStyle::TitleFormal, true);
    w.push(w.tr(", geb. ", ", DOB "));
    w.date(state.patient.birth);
    w.push(w.tr("\nAanvrager: ", "\nReferrer: "));
    w.doctor(&state.cardiologist);
    w.push("\n");
    w.end_block();

    let lvedd = w.rng.range(44, 68);
    let tapse = w.rng.range(14, 26);
    let grade = lv_function_words(w.lang, lvef);
    w.push(w.tr(
        "\nBevindingen\nLinkerventrikel: ",
        "\nFindings\nLeft ventricle: ",
    ));
    w.push(&format!(
        "LVEDD {lvedd} mm, {grade} {}, ",
        w.tr("systolische functie", "systolic function")
    ));
    w.lvef(lvef, None);
    w.push(&format!(
        ".\n{}: TAPSE {tapse} mm.\n",
        w.tr(
            "Rechterventrikel: normale functie",
            "Right ventricle: normal function"
        )
    ));
    let valves = state
        .diagnoses
        .iter()
        .find(|d| {
            matches!(d.dx.name, "aortic stenosis" | "mitral regurgitation")
                && d.status == Status::Present
        })
        .cloned();
    if let Some(item) = valves {
        w.push(w.tr("Kleppen: ", "Valves: "));
        w.dx_custom(
            &item,
            "",
            w.tr(", hemodynamisch matig ernstig", ", moderate"),
        );
        w.push(".\n");
    } else {
        w.line(w.tr(
            "Kleppen: geen relevante afwijkingen.",
            "Valves: no significant abnormality.",
        ));
    }
    let pasp = w.rng.range(22, 48);
    w.line(&format!(
        "{} {pasp} mmHg.",
        w.tr("Geschatte PASP", "Estimated PASP")
    ));
    w.end_block();

    w.push(w.tr("\nConclusie: ", "\nConclusion: "));
    w.push(&grade);
    w.push(w.tr(" linkerventrikelfunctie, ", " left ventricular function, "));
    w.lvef(lvef, None);
    w.push(".");
    if let Some((day, value)) = previous {
        w.push(w.tr(
            " Ter vergelijking, vorige echo (",
            " Compared with the previous study (",
        ));
        w.date(day);
        w.push("): ");
        w.lvef(value, Some(day));
        w.push(".");
    }
    w.push(w.tr("\n\nEchocardiografist: ", "\n\nSonographer: "));
    let sonographer = state.colleagues[1].clone();
    w.name(&sonographer, NameStyle::Full, false);
    w.push(w.tr("\nSupervisie: ", "\nReported by: "));
    w.doctor(&state.cardiologist);
    w.push("\n");
    w.finish().0
}

fn lv_function_words(lang: Lang, lvef: i64) -> String {
    let words = match (lang, lvef) {
        (Lang::Nl, 50..) => "goede",
        (Lang::Nl, 41..=49) => "licht verminderde",
        (Lang::Nl, 30..=40) => "matig verminderde",
        (Lang::Nl, _) => "ernstig verminderde",
        (Lang::En, 50..) => "normal",
        (Lang::En, 41..=49) => "mildly reduced",
        (Lang::En, 30..=40) => "moderately reduced",
        (Lang::En, _) => "severely reduced",
    };
    words.to_string()
}

/// A pharmacy's medication overview: the current medicines (gold) and stopped ones (not gold).
fn medication_list_part(rng: &mut Rng, state: &mut State, date: Date) -> Vec<Text> {
    let mut w = Writer::new(rng, state.lang);
    w.line(w.tr("Medicatieoverzicht", "Medication list"));
    w.letterhead(&state.pharmacy, None);
    w.push(w.tr("Patiënt: ", "Patient: "));
    w.name(&state.patient.person, NameStyle::Listed, true);
    w.push(w.tr(", geb. ", ", DOB "));
    w.date(state.patient.birth);
    w.push(w.tr("\nDatum overzicht: ", "\nPrinted: "));
    w.date(date);
    w.push("\n");
    w.end_block();

    w.line(w.tr("\nActuele medicatie", "\nCurrent medication"));
    for item in &state.medications {
        w.medication(item, MedStyle::Table);
        w.push("\n");
    }
    if state.medications.is_empty() {
        w.line(w.tr("geen", "none"));
    }
    w.end_block();
    let stopped: Vec<(MedItem, Date)> = state.stopped.iter().rev().take(4).cloned().collect();
    if !stopped.is_empty() {
        w.line(w.tr(
            "\nGestopte medicatie (niet meer gebruiken)",
            "\nStopped medication (no longer taken)",
        ));
        for (item, day) in stopped {
            let names = if w.nl() { item.drug.nl } else { item.drug.en };
            let name = names::capitalise(names[w.rng.below(names.len())]);
            let dose = item
                .dose
                .map(|(amount, unit)| {
                    format!(
                        " {} {}",
                        vocab::decimal(amount, w.lang),
                        unit.surfaces(w.lang)[0]
                    )
                })
                .unwrap_or_default();
            w.push(&format!("{name}{dose} - {} ", w.tr("gestopt", "stopped")));
            w.date(day);
            w.push("\n");
        }
        w.end_block();
    }
    w.push(w.tr("\nOvergevoeligheden: ", "\nAllergies: "));
    if state.allergies.is_empty() {
        w.push(w.tr("geen geregistreerd", "none recorded"));
    }
    let allergies = state.allergies.clone();
    for (index, allergen) in allergies.iter().enumerate() {
        if index > 0 {
            w.push(", ");
        }
        w.allergy(allergen);
    }
    w.push("\n");
    w.finish().0
}

/// An outpatient letter from the cardiologist to the GP. The first one settles the questions
/// of the referral; later ones follow up and change medicines.
fn letter_part(rng: &mut Rng, state: &mut State, date: Date) -> Vec<Text> {
    let bp = measure_bp(rng, state, date);
    let resolved = if state.first_visit_done {
        Vec::new()
    } else {
        resolve_questions(rng, state)
    };
    let first_visit = !state.first_visit_done;
    state.first_visit_done = true;
    let changes = change_medications(rng, state, date);
    evolve(rng, state, date);
    let mut w = Writer::new(rng, state.lang);
    if w.rng.chance(15) {
        w.typo_per_mille = 15;
        w.evidence_typo_percent = 8;
    }
    w.letterhead(
        &state.hospital,
        Some(w.tr("Polikliniek Cardiologie", "Cardiology Outpatients")),
    );
    w.push(w.tr("\nAan: ", "\nTo: "));
    w.doctor(&state.gp.person);
    w.push(w.tr(", huisarts, ", ", GP, "));
    w.phi(&state.gp.institution.name, PhiType::Institution);
    w.push(w.tr("\nDatum: ", "\nDate: "));
    w.date(date);
    w.push(w.tr("\nBetreft: ", "\nRe: "));
    w.name(&state.patient.person, NameStyle::TitleFormal, true);
    w.push(w.tr(", geb. ", ", DOB "));
    w.date(state.patient.birth);
    w.push(w.tr(", patiëntnr. ", ", hospital no. "));
    w.phi(&state.patient.number, PhiType::Id);
    w.push("\n");
    w.end_block();

    w.push(w.tr(
        "\nGeachte collega,\n\nOp ",
        "\nDear colleague,\n\nI saw your patient, ",
    ));
    if w.nl() {
        w.date(date);
        w.push(" zagen wij uw patiënt, ");
    }
    w.name(&state.patient.person, NameStyle::TitleSurname, true);
    w.push(", ");
    let age = state.patient.age_on(date);
    w.age(age, AgeForm::Adjective);
    w.push(" ");
    w.sex_word(state.patient.person.sex);
    if first_visit {
        w.prose(w.tr(
            ", voor een eerste bezoek op de polikliniek",
            ", for a first visit to the clinic",
        ));
    } else {
        w.prose(w.tr(
            ", voor controle op de polikliniek",
            ", for follow-up in clinic",
        ));
    }
    if !w.nl() {
        w.push(" on ");
        w.date(date);
    }
    w.push(".\n");
    w.end_block();

    w.line(w.tr("\nDiagnoses", "\nDiagnoses"));
    let listed: Vec<DxItem> = state
        .diagnoses
        .iter()
        .filter(|d| matches!(d.status, Status::Present | Status::Historical))
        .cloned()
        .collect();
    for (index, item) in listed.iter().enumerate() {
        w.push(&format!("{}. ", index + 1));
        w.dx_list_item(item);
        w.push("\n");
    }
    if listed.is_empty() {
        w.line(w.tr("geen", "none"));
    }
    w.end_block();

    w.push(w.tr("\nAnamnese: ", "\nHistory: "));
    w.prose_one_of(if w.nl() {
        &[
            "Het gaat redelijk. Patiënt kan een trap oplopen zonder te stoppen.",
            "Sinds het vorige bezoek wisselend klachten, vooral bij inspanning.",
            "Geen nieuwe klachten. Goede inspanningstolerantie.",
        ]
    } else {
        &[
            "Doing reasonably well and able to climb a flight of stairs.",
            "Variable symptoms since the last visit, mainly on exertion.",
            "No new symptoms and good exercise tolerance.",
        ]
    });
    w.push(" ");
    filler::clinical_sentences(&mut w, 2);
    w.prose(w.tr("Klachten passend bij ", "Symptoms in keeping with "));
    w.nyha(state.nyha);
    w.push(". ");
    w.push(w.tr("Roken: ", "Smoking: "));
    w.smoking(state.smoking);
    w.push(".\n");
    if first_visit {
        let family: Vec<DxItem> = state
            .diagnoses
            .iter()
            .filter(|d| d.status == Status::Family)
            .cloned()
            .collect();
        if !family.is_empty() {
            w.push(w.tr("Familieanamnese: ", "Family history: "));
            for (index, item) in family.iter().enumerate() {
                if index > 0 {
                    w.push("; ");
                }
                w.dx_phrase(item);
            }
            w.push(".\n");
        }
    }
    w.end_block();

    w.push(w.tr("\nLichamelijk onderzoek: ", "\nExamination: "));
    w.blood_pressure(bp.0, bp.1, None);
    let weight = w.rng.range(58, 112);
    let pulse = w.rng.range(52, 96);
    w.push(&format!(
        ", {} {pulse}/min, {} {weight} kg.\n",
        w.tr("pols", "pulse"),
        w.tr("gewicht", "weight")
    ));
    w.end_block();

    w.push(w.tr("\nAanvullend onderzoek: ", "\nInvestigations: "));
    let mut any = false;
    if let Some((day, value)) = last_before(&state.lvef, date.plus_days(1)) {
        w.push(w.tr("echo ", "echo "));
        w.date(day);
        w.push(": ");
        w.lvef(value, Some(day));
        w.push(". ");
        any = true;
    }
    if let Some((day, value)) = last_before(&state.egfr, date.plus_days(1)) {
        w.push(w.tr("Lab ", "Bloods "));
        w.date(day);
        w.push(": ");
        w.egfr(value, Some(day));
        if let Some((_, probnp)) = state.ntprobnp.iter().find(|(d, _)| *d == day) {
            w.push(", ");
            w.ntprobnp(*probnp, Some(day));
        }
        w.push(".");
        any = true;
    }
    if !any {
        w.push(w.tr("geen.", "none."));
    }
    w.push("\n");
    w.end_block();

    w.push(w.tr("\nConclusie: ", "\nImpression: "));
    for (_, now) in &resolved {
        if now.status == Status::Present {
            w.dx_custom(
                now,
                "",
                w.tr(", nieuw vastgesteld. ", ", newly diagnosed. "),
            );
        } else {
            let (before, after) = *w.rng.pick(if w.nl() {
                &[
                    ("", " is uitgesloten. "),
                    ("Geen ", ". "),
                    ("Geen aanwijzingen voor ", ". "),
                ]
            } else {
                &[
                    ("", " has been excluded. "),
                    ("No ", ". "),
                    ("No evidence of ", ". "),
                ]
            });
            w.dx_custom(now, before, after);
        }
    }
    w.prose_one_of(if w.nl() {
        &[
            "Stabiel beeld.",
            "Redelijk stabiel.",
            "Klinisch stabiel, geen tekenen van overvulling.",
        ]
    } else {
        &[
            "Stable.",
            "Clinically stable.",
            "No signs of fluid overload.",
        ]
    });
    w.push("\n");
    if !changes.is_empty() {
        w.push(w.tr("Beleid: ", "Plan: "));
        for change in &changes {
            w.push(change);
            w.push(" ");
        }
        w.push("\n");
    }
    w.end_block();

    w.line(w.tr(
        "\nMedicatie na dit consult:",
        "\nMedication after this visit:",
    ));
    for item in &state.medications {
        w.push("- ");
        w.medication(item, MedStyle::Inline);
        w.push("\n");
    }
    if !state.allergies.is_empty() {
        w.push(w.tr("Allergie: ", "Allergy: "));
        let allergies = state.allergies.clone();
        for allergen in allergies {
            w.allergy(allergen);
        }
        w.push("\n");
    }
    w.push(w.tr("\nVervolgafspraak over ", "\nFollow-up in "));
    let months = w.rng.range(2, 12);
    w.push(&format!("{months} {}.\n", w.tr("maanden", "months")));
    w.push(w.tr("\nMet vriendelijke groet,\n\n", "\nYours sincerely,\n\n"));
    w.doctor(&state.cardiologist);
    w.push(w.tr(", cardioloog\n", ", Consultant Cardiologist\n"));
    w.finish().0
}

/// Settles the questions of the referral: each becomes present or absent. Returns (was, now).
fn resolve_questions(rng: &mut Rng, state: &mut State) -> Vec<(DxItem, DxItem)> {
    let mut resolved = Vec::new();
    for item in state
        .diagnoses
        .iter_mut()
        .filter(|d| d.status == Status::Hypothetical)
    {
        let before = item.clone();
        item.status = if item.dx.statuses.contains(&Status::Present) && rng.chance(50) {
            Status::Present
        } else {
            Status::Absent
        };
        resolved.push((before, item.clone()));
    }
    // Absent ones drop out of later letters; they stay in `diagnoses` for the record.
    resolved
}

/// Starts, stops or changes a medicine; returns the plan sentences (not gold).
fn change_medications(rng: &mut Rng, state: &mut State, date: Date) -> Vec<String> {
    let mut plan = Vec::new();
    let lang = state.lang;
    let written = |item: &MedItem| {
        let names = if lang == Lang::Nl {
            item.drug.nl
        } else {
            item.drug.en
        };
        names[0].to_string()
    };
    if rng.chance(35) && !state.medications.is_empty() {
        let index = rng.below(state.medications.len());
        let item = state.medications.remove(index);
        plan.push(match lang {
            Lang::Nl => format!("{} gestopt.", names::capitalise(&written(&item))),
            Lang::En => format!("Stop {}.", written(&item)),
        });
        state.stopped.push((item, date));
    }
    if rng.chance(40) && state.medications.len() < 9 {
        let drug = rng.pick(&DRUGS);
        let names = if lang == Lang::Nl { drug.nl } else { drug.en };
        if !names.is_empty() && !state.medications.iter().any(|m| m.drug.group == drug.group) {
            let item = case::med_item(rng, drug, lang);
            plan.push(match lang {
                Lang::Nl => format!("Start {}.", written(&item)),
                Lang::En => format!("Start {}.", written(&item)),
            });
            state.medications.push(item);
        }
    }
    if rng.chance(30) && !state.medications.is_empty() {
        let index = rng.below(state.medications.len());
        let item = state.medications[index].clone();
        if item.drug.doses.len() > 1 {
            let new = case::med_item(rng, item.drug, lang);
            if new.dose != item.dose {
                if let Some((amount, unit)) = new.dose {
                    plan.push(match lang {
                        Lang::Nl => format!(
                            "Dosis {} aangepast naar {} {}.",
                            written(&item),
                            vocab::decimal(amount, lang),
                            unit.canonical()
                        ),
                        Lang::En => format!(
                            "{} changed to {} {}.",
                            names::capitalise(&written(&item)),
                            vocab::decimal(amount, lang),
                            unit.canonical()
                        ),
                    });
                }
                state.medications[index] = new;
            }
        }
    }
    plan
}

/// Slow changes between visits: NYHA class, smoking.
fn evolve(rng: &mut Rng, state: &mut State, date: Date) {
    if rng.chance(25) {
        state.nyha = (state.nyha as i64 + rng.range(-1, 1)).clamp(1, 4) as usize;
    }
    if let Smoking::Current { .. } = state.smoking {
        if rng.chance(15) {
            state.smoking = Smoking::Former {
                since: date.year,
                pack_years: rng.range(8, 40),
            };
        }
    }
}

/// A discharge letter after an admission: reason, day-by-day course with blood pressures,
/// admission labs, discharge medication. Dated on the day of discharge.
fn discharge_part(rng: &mut Rng, state: &mut State, admission: Date) -> (Vec<Text>, Date) {
    let days = rng.range(2, 9);
    let discharge = admission.plus_days(days);
    let ntprobnp = measure_ntprobnp(rng, state, admission);
    let egfr = measure_egfr(rng, state, admission);
    let cause_name = *rng.pick(&["heart failure", "atrial fibrillation"]);
    let family_conflict = state
        .diagnoses
        .iter()
        .any(|d| d.dx.name == cause_name && d.status == Status::Family);
    let cause = if family_conflict {
        "heart failure"
    } else {
        cause_name
    };
    let cause_item = match state.diagnoses.iter_mut().find(|d| d.dx.name == cause) {
        Some(item) if item.status == Status::Family => None,
        Some(item) => {
            item.status = Status::Present;
            item.year = None;
            Some(item.clone())
        }
        None => {
            let item = DxItem {
                dx: vocab::diagnosis(cause),
                status: Status::Present,
                year: None,
                relative: None,
                relative_age: None,
            };
            state.diagnoses.push(item.clone());
            Some(item)
        }
    };
    let day_pressures: Vec<(Date, (i64, i64))> = (0..days)
        .map(|day| {
            let on = admission.plus_days(day);
            (on, measure_bp(rng, state, on))
        })
        .collect();
    let changes = change_medications(rng, state, discharge);
    let resident = state.colleagues[2].clone();
    let mut w = Writer::new(rng, state.lang);
    w.letterhead(
        &state.hospital,
        Some(w.tr("Afdeling Cardiologie", "Department of Cardiology")),
    );
    w.line(w.tr("\nONTSLAGBRIEF", "\nDISCHARGE SUMMARY"));
    w.push(w.tr("Opname: ", "Admitted: "));
    w.date(admission);
    w.push(w.tr("   Ontslag: ", "   Discharged: "));
    w.date(discharge);
    w.push(w.tr("\nAan: ", "\nTo: "));
    w.doctor(&state.gp.person);
    w.push(", ");
    w.phi(&state.gp.institution.name, PhiType::Institution);
    w.push(w.tr("\nBetreft: ", "\nRe: "));
    w.name(&state.patient.person, NameStyle::TitleFormal, true);
    w.push(w.tr(", geb. ", ", DOB "));
    w.date(state.patient.birth);
    w.push(w.tr(", BSN ", ", NHS no. "));
    if w.nl() {
        let bsn = names::write_bsn(w.rng, &state.patient.bsn);
        w.phi(&bsn, PhiType::Bsn);
    } else {
        w.phi(&state.patient.nhs, PhiType::Id);
    }
    w.push("\n");
    w.end_block();

    w.push(w.tr("\nReden van opname: ", "\nReason for admission: "));
    if let Some(item) = &cause_item {
        w.dx_custom(item, "", "");
        w.push(w.tr(" met ", " with "));
    }
    w.prose(w.tr(
        "toenemende klachten sinds enkele dagen.",
        "increasing symptoms over several days.",
    ));
    w.push(w.tr("\nPatiënt is een ", "\nThe patient is a "));
    let age = state.patient.age_on(discharge);
    w.age(age, AgeForm::Adjective);
    w.push(" ");
    w.sex_word(state.patient.person.sex);
    w.push(".\n");
    w.end_block();

    w.line(w.tr("\nVoorgeschiedenis", "\nPast history"));
    let listed: Vec<DxItem> = state
        .diagnoses
        .iter()
        .filter(|d| {
            matches!(d.status, Status::Present | Status::Historical)
                && Some(d.dx.name) != cause_item.as_ref().map(|c| c.dx.name)
        })
        .cloned()
        .collect();
    for item in &listed {
        w.push("- ");
        w.dx_list_item(item);
        w.push("\n");
    }
    w.end_block();

    w.push(w.tr("\nLab bij opname (", "\nBloods on admission ("));
    w.date(admission);
    w.push("): ");
    w.ntprobnp(ntprobnp, Some(admission));
    w.push(", ");
    w.egfr(egfr, Some(admission));
    w.push(".\n");
    w.end_block();

    w.line(w.tr("\nBeloop", "\nCourse"));
    for (day, (systolic, diastolic)) in day_pressures {
        w.phi(&day.day_month(w.lang), PhiType::Date);
        w.push(": ");
        w.prose_one_of(if w.nl() {
            &[
                "Patiënt voelt zich beter, minder kortademig.",
                "Goed gereageerd op de diuretica, gewicht daalt.",
                "Rustige nacht gehad. Mobiliseert op de afdeling.",
                "Telemetrie zonder bijzonderheden.",
            ]
        } else {
            &[
                "Feeling better, less breathless.",
                "Good response to diuretics, weight falling.",
                "Settled night. Mobilising on the ward.",
                "Telemetry unremarkable.",
            ]
        });
        w.push(" ");
        w.blood_pressure(systolic, diastolic, Some(day));
        w.push(".\n");
        w.end_block();
    }

    w.line(w.tr("\nOntslagmedicatie", "\nDischarge medication"));
    for item in &state.medications {
        w.medication(item, MedStyle::Table);
        w.push("\n");
    }
    if !changes.is_empty() {
        w.push(w.tr("Wijzigingen: ", "Changes: "));
        for change in &changes {
            w.push(change);
            w.push(" ");
        }
        w.push("\n");
    }
    w.end_block();
    w.push(w.tr(
        "\nControle op de polikliniek over 6 weken.\n\nMet vriendelijke groet,\n\n",
        "\nClinic review in 6 weeks.\n\nYours sincerely,\n\n",
    ));
    w.name(&resident, NameStyle::Formal, false);
    w.push(w.tr(", arts-assistent cardiologie\n", ", Cardiology registrar\n"));
    w.doctor(&state.cardiologist);
    w.push(w.tr(", cardioloog\n", ", Consultant Cardiologist\n"));
    (w.finish().0, discharge)
}

/// The filler kind that blends into a part.
fn filler_kind(kind: PartKind) -> FillerKind {
    match kind {
        PartKind::Referral => FillerKind::Referral,
        PartKind::Letter | PartKind::Discharge => FillerKind::Letter,
        PartKind::Lab => FillerKind::Lab,
        PartKind::Echo => FillerKind::Echo,
        PartKind::MedicationList => FillerKind::Medication,
    }
}

/// A filler paragraph for a page of a part.
fn filler_for(
    rng: &mut Rng,
    state: &State,
    kind: PartKind,
    date: Date,
    used: &mut Vec<u16>,
) -> Text {
    let contacts = Contacts {
        lang: state.lang,
        hospital: &state.hospital,
        gp: &state.gp,
        pharmacy: &state.pharmacy,
        colleagues: &state.colleagues,
    };
    filler::filler(rng, &contacts, filler_kind(kind), date, used)
}

// ---------------------------------------------------------------------------------------
// Page layout.
// ---------------------------------------------------------------------------------------

/// Places the parts on pages, each page with a header naming the patient and a footer with
/// the page number, and records where every part starts and ends.
struct Layout {
    lang: Lang,
    doc: Text,
    total: usize,
    pages_done: usize,
    page_open: bool,
    page_len: usize,
    page_body: bool,
    target: usize,
    /// The filler paragraphs and sentences already on this page.
    used: Vec<u16>,
    parts: Vec<Part>,
    part_dates: Vec<Date>,
    /// The kind and date of the last part, for the filler that ends its page.
    last: Option<(PartKind, Date)>,
}

impl Layout {
    fn new(total: usize, lang: Lang) -> Self {
        Layout {
            lang,
            doc: Text::default(),
            total,
            pages_done: 0,
            page_open: false,
            page_len: 0,
            page_body: false,
            target: 0,
            used: Vec::new(),
            parts: Vec::new(),
            part_dates: Vec::new(),
            last: None,
        }
    }

    /// Pages closed plus the open one.
    fn pages_used(&self) -> usize {
        self.pages_done + usize::from(self.page_open)
    }

    /// True when a short part (lab, echo, medication list) fits on the open page after
    /// what is already there; longer documents always start on a new page.
    fn shares_page(&self, kind: PartKind, blocks: &[Text]) -> bool {
        let size: usize =
            blocks.iter().map(|block| block.chars).sum::<usize>() + SEPARATOR.chars().count();
        matches!(
            kind,
            PartKind::Lab | PartKind::Echo | PartKind::MedicationList
        ) && self.page_open
            && self.page_body
            && self.page_len + size + FOOTER_ROOM <= PAGE_MAX
    }

    /// Adds one part. A short part shares the open page when it fits; otherwise the open
    /// page is filled up and closed and the part starts on a new page. Blocks that do not
    /// fit in the pages left are dropped.
    fn add_part(
        &mut self,
        rng: &mut Rng,
        state: &State,
        kind: PartKind,
        date: Date,
        blocks: Vec<Text>,
    ) {
        let part_index = self.parts.len();
        self.part_dates.push(date);
        if self.shares_page(kind, &blocks) {
            self.doc.push(SEPARATOR);
            self.page_len += SEPARATOR.chars().count();
        } else {
            self.end_page(rng, state);
            self.open_page(rng, state);
        }
        let start = self.doc.chars;
        let mut end = start;
        for block in blocks {
            let fits = self.page_len + block.chars + FOOTER_ROOM <= PAGE_MAX;
            if !fits && self.page_body {
                if self.pages_done + 1 >= self.total {
                    break;
                }
                if self.page_len < PAGE_MIN {
                    self.fill(rng, state, kind, date, PAGE_MIN);
                }
                self.close_page();
                self.open_page(rng, state);
            }
            self.append(block, part_index);
            end = self.doc.chars;
        }
        self.parts.push(Part {
            kind: kind.name().to_string(),
            date: Some(date.iso()),
            span: Span::new(start, end),
        });
        self.last = Some((kind, date));
    }

    /// Fills up and closes the open page, if there is one.
    fn end_page(&mut self, rng: &mut Rng, state: &State) {
        if !self.page_open {
            return;
        }
        if let Some((kind, date)) = self.last {
            let target = self.target;
            self.fill(rng, state, kind, date, target);
        }
        self.close_page();
    }

    /// Closes the last page.
    fn finish(&mut self, rng: &mut Rng, state: &State) {
        self.end_page(rng, state);
    }

    fn append(&mut self, mut block: Text, part_index: usize) {
        for evidence in &mut block.evidence {
            evidence.part = part_index;
        }
        self.page_len += block.chars;
        self.page_body = true;
        self.doc.append(block);
    }

    /// Adds filler paragraphs until the page holds `target` characters.
    fn fill(&mut self, rng: &mut Rng, state: &State, kind: PartKind, date: Date, target: usize) {
        if self.page_len < target && !self.doc.text.ends_with("\n\n") {
            let gap = if self.doc.text.ends_with('\n') {
                "\n"
            } else {
                "\n\n"
            };
            self.doc.push(gap);
            self.page_len += gap.len();
        }
        let mut tries = 0;
        while self.page_len < target && tries < 16 {
            let text = filler_for(rng, state, kind, date, &mut self.used);
            if self.page_len + text.chars + FOOTER_ROOM <= PAGE_MAX {
                self.page_len += text.chars;
                self.doc.append(text);
            }
            tries += 1;
        }
    }

    /// Starts a page: a form feed (except on the first page) and the header.
    fn open_page(&mut self, rng: &mut Rng, state: &State) {
        if self.doc.chars > 0 {
            self.doc.push("\u{c}");
        }
        self.target = rng.range(PAGE_TARGET.0, PAGE_TARGET.1) as usize;
        let header = page_header(rng, state);
        self.page_len = header.chars;
        self.page_body = false;
        self.page_open = true;
        self.used.clear();
        self.doc.append(header);
    }

    /// Ends a page with its footer.
    fn close_page(&mut self) {
        self.pages_done += 1;
        self.page_open = false;
        let footer = match self.lang {
            Lang::Nl => format!("\n- pagina {} van {} -", self.pages_done, self.total),
            Lang::En => format!("\nPage {} of {}", self.pages_done, self.total),
        };
        self.doc.push(&footer);
    }
}

/// The header on every page: institution, patient, birth date, number (and sometimes BSN).
fn page_header(rng: &mut Rng, state: &State) -> Text {
    let mut w = Writer::new(rng, state.lang);
    w.phi(&state.hospital.name, PhiType::Institution);
    w.push(" | ");
    w.phi(&state.patient.person.listed(), PhiType::Name);
    w.push(w.tr(" | geb. ", " | DOB "));
    let style = if w.nl() {
        super::date::DateStyle::Dashes
    } else {
        super::date::DateStyle::Slashes
    };
    w.date_in(state.patient.birth, style);
    w.push(w.tr(" | patiëntnr. ", " | hospital no. "));
    w.phi(&state.patient.number, PhiType::Id);
    if state.bsn_in_header {
        w.push(" | BSN ");
        w.phi(&state.patient.bsn, PhiType::Bsn);
    }
    w.push("\n\n");
    let (blocks, _) = w.finish();
    let mut text = Text::default();
    for block in blocks {
        text.append(block);
    }
    text
}
