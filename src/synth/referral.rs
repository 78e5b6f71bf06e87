//! Referral letter templates: five layouts per language, from a structured form to
//! free prose, each writing a [`Case`] with its PHI and evidence spans.

use crate::data::{Lang, PhiType};

use super::case::{Case, Measure};
use super::names::{self, Sex};
use super::render::{AgeForm, DxItem, MedStyle, NameStyle};
use super::vocab::Status;
use super::writer::Writer;
use super::Difficulty;

/// A referral template: its id and the function that writes it.
pub(crate) struct Template {
    pub id: &'static str,
    /// Written by a specialist of another department (else by a GP).
    pub specialist: bool,
    pub write: fn(&mut Writer, &Case),
}

/// All templates; letter `i` uses `TEMPLATES_NL` or `TEMPLATES_EN` in turn.
pub(crate) const TEMPLATES_NL: [Template; 5] = [
    Template {
        id: "nl-form",
        specialist: false,
        write: nl_form,
    },
    Template {
        id: "nl-soep",
        specialist: false,
        write: soep,
    },
    Template {
        id: "nl-narrative",
        specialist: false,
        write: nl_narrative,
    },
    Template {
        id: "nl-specialist",
        specialist: true,
        write: specialist_letter,
    },
    Template {
        id: "nl-brief",
        specialist: false,
        write: brief,
    },
];

/// The English templates.
pub(crate) const TEMPLATES_EN: [Template; 5] = [
    Template {
        id: "en-form",
        specialist: false,
        write: en_form,
    },
    Template {
        id: "en-soap",
        specialist: false,
        write: soep,
    },
    Template {
        id: "en-narrative",
        specialist: false,
        write: en_narrative,
    },
    Template {
        id: "en-specialist",
        specialist: true,
        write: specialist_letter,
    },
    Template {
        id: "en-brief",
        specialist: false,
        write: brief,
    },
];

// ---------------------------------------------------------------------------------------
// Pieces shared by several templates.
// ---------------------------------------------------------------------------------------

/// The patient's name; with a title only when the letter shows the sex.
fn patient_name(w: &mut Writer, case: &Case, style: NameStyle) {
    let style = match style {
        NameStyle::TitleFormal | NameStyle::TitleSurname if !case.show_sex => NameStyle::Formal,
        other => other,
    };
    w.name(&case.patient.person, style, true);
}

/// `hij`/`zij`/`he`/`she`, or `patiënt` when the letter does not show the sex.
fn pronoun(w: &Writer, case: &Case, capital: bool) -> &'static str {
    let word = match (w.lang, case.show_sex, case.patient.person.sex) {
        (Lang::Nl, false, _) => "patiënt",
        (Lang::Nl, true, Sex::Male) => "hij",
        (Lang::Nl, true, Sex::Female) => "zij",
        (Lang::En, false, _) => "the patient",
        (Lang::En, true, Sex::Male) => "he",
        (Lang::En, true, Sex::Female) => "she",
    };
    if capital {
        match word {
            "patiënt" => "Patiënt",
            "hij" => "Hij",
            "zij" => "Zij",
            "the patient" => "The patient",
            "he" => "He",
            _ => "She",
        }
    } else {
        word
    }
}

/// Writes items separated by `separator`, the last one by `last` (`, ` and ` en `).
fn join_items<T>(
    w: &mut Writer,
    items: &[T],
    separator: &str,
    last: &str,
    mut each: impl FnMut(&mut Writer, &T),
) {
    for (index, item) in items.iter().enumerate() {
        if index > 0 {
            w.push(if index + 1 == items.len() {
                last
            } else {
                separator
            });
        }
        each(w, item);
    }
}

/// The diagnoses of the history list: present, past and denied conditions (not family, not questions).
fn history_items(case: &Case) -> Vec<DxItem> {
    let mut items: Vec<DxItem> = case
        .diagnoses
        .iter()
        .filter(|item| {
            matches!(
                item.status,
                Status::Present | Status::Historical | Status::Absent
            )
        })
        .cloned()
        .collect();
    // Past events first, by year, as history lists are written.
    items.sort_by_key(|item| (item.status != Status::Historical, item.year.unwrap_or(0)));
    items
}

/// A bulleted history list, one diagnosis a line.
fn history_list(w: &mut Writer, case: &Case, bullet: &str) {
    let items = history_items(case);
    if items.is_empty() {
        w.line(w.tr("- blanco", "- nil of note"));
        return;
    }
    for (index, item) in items.iter().enumerate() {
        let marker = if bullet == "1." {
            format!("{}. ", index + 1)
        } else {
            format!("{bullet} ")
        };
        w.push(&marker);
        w.dx_list_item(item);
        w.push("\n");
    }
}

/// `Familieanamnese: vader overleden aan een hartinfarct op 52-jarige leeftijd.`
fn family_line(w: &mut Writer, case: &Case, label: &str) {
    let family = case.with_status(Status::Family);
    if family.is_empty() {
        if w.rng.chance(40) {
            w.line(&format!(
                "{label}{}",
                w.tr("blanco voor hart- en vaatziekten.", "nil relevant.")
            ));
        }
        return;
    }
    w.push(label);
    join_items(w, &family, "; ", "; ", |w, item| w.dx_phrase(item));
    w.push(".\n");
}

/// The medication list, one a line.
fn medication_lines(w: &mut Writer, case: &Case, bullet: &str, style: MedStyle) {
    if case.medications.is_empty() {
        w.line(w.tr("- geen", "- none"));
        return;
    }
    for item in &case.medications {
        w.push(bullet);
        w.medication(item, style);
        w.push("\n");
    }
}

/// The allergy line, or nothing when the case does not mention allergies.
fn allergy_line(w: &mut Writer, case: &Case, label: &str) {
    if !case.allergies.is_empty() {
        w.push(label);
        join_items(w, &case.allergies, ", ", ", ", |w, allergen| {
            w.allergy(allergen)
        });
        w.push("\n");
    } else if case.no_known_allergies {
        w.push(label);
        let none = *w.rng.pick(if w.nl() {
            &["geen bekend", "geen", "nee"]
        } else {
            &["NKDA", "none known", "no known drug allergies"]
        });
        w.line(none);
    }
}

/// A measurement with its older value: `LVEF 35% (12-01-2024), eerder 55% (maart 2019)`.
/// `write` writes one value with its date.
fn measure<T: Copy>(
    w: &mut Writer,
    m: &Measure<T>,
    write: fn(&mut Writer, T, Option<super::date::Date>),
) {
    let Some(older) = m.older else {
        write(w, m.value, m.date);
        if let Some(date) = m.date {
            w.push(" (");
            w.date(date);
            w.push(")");
        }
        return;
    };
    w.mark(Difficulty::RepeatedMeasurement);
    let newest_date = m.date;
    if w.rng.chance(50) {
        // Older first.
        w.push(w.tr("eerder (", "previously ("));
        older_date(w, older.date);
        w.push(") ");
        write(w, older.value, Some(older.date));
        w.push(w.tr(", nu ", ", now "));
        if let Some(date) = newest_date {
            w.push("(");
            w.date(date);
            w.push(") ");
        }
        write(w, m.value, newest_date);
    } else {
        write(w, m.value, newest_date);
        if let Some(date) = newest_date {
            w.push(" (");
            w.date(date);
            w.push(")");
        }
        w.push(w.tr("; bij eerdere meting (", "; on an earlier test ("));
        older_date(w, older.date);
        w.push(") ");
        write(w, older.value, Some(older.date));
    }
}

/// An older date: a full date, a month and year, or only the year (a bare year is not PHI).
fn older_date(w: &mut Writer, date: super::date::Date) {
    if w.rng.chance(20) {
        w.push(&date.year.to_string());
    } else {
        w.date_or_month(date);
    }
}

fn write_lvef(w: &mut Writer, value: i64, date: Option<super::date::Date>) {
    w.lvef(value, date);
}

fn write_ntprobnp(w: &mut Writer, value: i64, date: Option<super::date::Date>) {
    w.ntprobnp(value, date);
}

fn write_egfr(w: &mut Writer, value: f64, date: Option<super::date::Date>) {
    w.egfr(value, date);
}

fn write_bp(w: &mut Writer, value: (i64, i64), date: Option<super::date::Date>) {
    w.blood_pressure(value.0, value.1, date);
}

/// The physical examination: blood pressure and pulse.
fn examination(w: &mut Writer, case: &Case) {
    if let Some(bp) = &case.bp {
        measure(w, bp, write_bp);
        w.push(", ");
    }
    let rhythm = *w.rng.pick(if w.nl() {
        &["regulair", "irregulair", "regulair", "reg"]
    } else {
        &["regular", "irregular", "regular", "reg"]
    });
    w.push(&format!(
        "{} {}/min {rhythm}",
        w.tr("pols", "pulse"),
        case.pulse
    ));
    let extra = *w.rng.pick(if w.nl() {
        &[
            ". Geen oedeem.",
            ". Cor: geen souffle.",
            ". Pulm: VAG, geen crepitaties.",
            ". Licht enkeloedeem beiderzijds.",
            ".",
        ]
    } else {
        &[
            ". No oedema.",
            ". Heart sounds normal.",
            ". Chest clear.",
            ". Mild bilateral ankle oedema.",
            ".",
        ]
    });
    w.line(extra);
}

/// Laboratory results (NT-proBNP, eGFR and a few values that are not in the schema).
fn laboratory(w: &mut Writer, case: &Case) -> bool {
    if case.ntprobnp.is_none() && case.egfr.is_none() && w.rng.chance(50) {
        return false;
    }
    let mut first = true;
    if let Some(value) = &case.ntprobnp {
        measure(w, value, write_ntprobnp);
        first = false;
    }
    if let Some(value) = &case.egfr {
        if !first {
            w.push(", ");
        }
        measure(w, value, write_egfr);
        first = false;
    }
    let other = if w.nl() {
        let hb = w.rng.range(68, 98);
        let creatinine = w.rng.range(58, 190);
        let potassium = w.rng.range(36, 52);
        format!(
            "Hb {},{} mmol/l, kreatinine {creatinine} µmol/l, K {},{} mmol/l",
            hb / 10,
            hb % 10,
            potassium / 10,
            potassium % 10
        )
    } else {
        let hb = w.rng.range(105, 162);
        let creatinine = w.rng.range(58, 190);
        format!(
            "Hb {hb} g/L, creatinine {creatinine} µmol/L, K {}.{} mmol/L",
            w.rng.range(3, 5),
            w.rng.range(0, 9)
        )
    };
    if !first {
        w.push(", ");
    }
    w.push(&other);
    w.push(".\n");
    true
}

/// Echocardiography (LVEF).
fn echo(w: &mut Writer, case: &Case) {
    if let Some(lvef) = &case.lvef {
        w.push(w.tr("Echo: ", "Echo: "));
        measure(w, lvef, write_lvef);
        w.push(".\n");
    }
}

/// What the letter asks: rule out the hypothetical diagnoses, or a general question.
fn question(w: &mut Writer, case: &Case) {
    question_with(w, case, true);
}

/// The question, with or without its own `Vraagstelling:` label.
fn question_with(w: &mut Writer, case: &Case, label: bool) {
    let questions = case.questions();
    if questions.is_empty() {
        let general = *w.rng.pick(if w.nl() {
            &[
                "Graag uw analyse en beleid.",
                "Graag uw beoordeling.",
                "Graag cardiologische evaluatie.",
            ]
        } else {
            &[
                "I would value your assessment.",
                "Please assess and advise.",
                "Grateful for your opinion.",
            ]
        });
        w.prose(general);
        return;
    }
    if label {
        w.push(w.tr("Vraagstelling: ", "Question: "));
    }
    join_items(w, &questions, ", ", ", ", |w, item| w.dx_phrase(item));
    if !w.ends_with("?") {
        w.push(".");
    }
}

/// Symptoms the patient does *not* have (not in the schema: plain text for a model to skip).
fn denied_symptoms(w: &mut Writer) {
    let options: &[&str] = if w.nl() {
        &[
            "Geen pijn op de borst.",
            "Geen orthopnoe, geen nachtelijke benauwdheid.",
            "Geen koorts.",
            "Geen klachten van hartkloppingen.",
        ]
    } else {
        &[
            "No chest pain.",
            "No orthopnoea or PND.",
            "No fevers.",
            "Denies palpitations.",
        ]
    };
    let sentence = *w.rng.pick(options);
    w.push(sentence);
    w.push(" ");
}

/// The smoking status as a short line.
fn smoking_line(w: &mut Writer, case: &Case, label: &str) {
    if let Some(smoking) = case.smoking {
        w.push(label);
        w.smoking(smoking);
        let alcohol = if w.nl() {
            format!("; alcohol {} E/week", w.rng.range(0, 14))
        } else {
            format!("; alcohol {} units/week", w.rng.range(0, 20))
        };
        w.line(&alcohol);
    }
}

/// The NYHA class on its own line.
fn nyha_line(w: &mut Writer, case: &Case, label: &str) {
    if let Some(class) = case.nyha {
        w.push(label);
        w.nyha(class);
        w.push("\n");
    }
}

/// The signature: name and role of the writer, sometimes with a register number.
fn signature(w: &mut Writer, case: &Case) {
    let sender = &case.sender;
    w.push("\n");
    w.line(w.tr("Met vriendelijke groet,", "Kind regards,"));
    w.push("\n");
    w.doctor(&sender.person);
    let role = match sender.specialty {
        Some((nl, en)) => w.tr(nl, en).to_string(),
        None => w.tr("huisarts", "General Practitioner").to_string(),
    };
    w.push(&format!(", {role}\n"));
    if w.rng.chance(40) {
        w.push(w.tr("AGB-code ", "GMC "));
        w.phi(&sender.register, PhiType::Id);
        w.push("\n");
    }
    if w.rng.chance(30) {
        let email = names::email(&sender.person, &sender.institution.domain);
        w.phi(&email, PhiType::Email);
        w.push("\n");
    }
}

/// The patient's own identification block (name, birth date, identifier, address).
fn patient_block(w: &mut Writer, case: &Case) {
    let labels = if w.nl() {
        [
            "Patiënt: ",
            "Geboortedatum: ",
            "BSN: ",
            "Adres: ",
            "Telefoon: ",
        ]
    } else {
        ["Patient: ", "DOB: ", "NHS number: ", "Address: ", "Tel: "]
    };
    w.push(labels[0]);
    let style = if w.rng.chance(50) {
        NameStyle::Listed
    } else {
        NameStyle::TitleFormal
    };
    patient_name(w, case, style);
    w.push("\n");
    w.push(labels[1]);
    w.date(case.patient.birth);
    if case.show_age {
        w.push(" (");
        w.age(case.patient.age_on(case.date), AgeForm::Predicate);
        w.push(")");
    }
    w.push("\n");
    w.push(labels[2]);
    identifier(w, case);
    w.push("\n");
    w.push(labels[3]);
    w.address_lines(&case.patient.address, true);
    w.push("\n");
    w.push(labels[4]);
    w.phi(&case.patient.phone, PhiType::Phone);
    w.push("\n");
    if let Some(email) = &case.patient.email {
        w.push("E-mail: ");
        w.phi(email, PhiType::Email);
        w.push("\n");
    }
}

/// The BSN (Dutch) or NHS number (English).
fn identifier(w: &mut Writer, case: &Case) {
    if w.nl() {
        let written = names::write_bsn(w.rng, &case.patient.bsn);
        w.phi(&written, PhiType::Bsn);
    } else {
        w.phi(&case.patient.nhs, PhiType::Id);
    }
}

/// The words around a past or denied diagnosis that opens a sentence: `Status na ... (2015)`, `No history of ...`.
fn sentence_frame(w: &mut Writer, item: &DxItem) -> (String, String) {
    let year = item.year.map(|y| y.to_string()).unwrap_or_default();
    let options: &[(&str, &str)] = match (w.lang, item.status, item.year.is_some()) {
        (Lang::Nl, Status::Absent, _) => &[
            ("Geen ", ""),
            ("Geen aanwijzingen voor ", ""),
            ("Niet bekend met ", ""),
            ("", ": neg."),
        ],
        (Lang::Nl, _, true) => &[
            ("Status na ", " ({y})"),
            ("St. na ", " in {y}"),
            ("In {y} een ", " doorgemaakt"),
            ("Eerder ", " ({y})"),
        ],
        (Lang::Nl, _, false) => &[("Status na ", ""), ("Eerder ", "")],
        (Lang::En, Status::Absent, _) => &[
            ("No ", ""),
            ("No history of ", ""),
            ("No evidence of ", ""),
            ("", ": negative"),
        ],
        (Lang::En, _, true) => &[
            ("Previous ", " in {y}"),
            ("S/p ", " ({y})"),
            ("Past ", " ({y})"),
        ],
        (Lang::En, _, false) => &[("Previous ", ""), ("Prior ", "")],
    };
    let (before, after) = options[w.rng.below(options.len())];
    (before.replace("{y}", &year), after.replace("{y}", &year))
}

/// Sets up typos for a sloppy writer.
fn set_typos(w: &mut Writer, case: &Case) {
    if case.sloppy {
        w.typo_per_mille = 70;
        w.evidence_typo_percent = 14;
    }
}

// ---------------------------------------------------------------------------------------
// The templates.
// ---------------------------------------------------------------------------------------

/// A structured referral form (ZorgDomein style): `Veld: waarde` lines.
fn nl_form(w: &mut Writer, case: &Case) {
    set_typos(w, case);
    w.line("ZorgDomein verwijzing");
    w.line("Specialisme: Cardiologie");
    w.push("Aan: ");
    w.phi(&case.hospital.name, PhiType::Institution);
    w.push("\nVerwijsdatum: ");
    w.date(case.date);
    w.push("\n");
    if let Some(urgent) = case.urgency {
        w.push("Urgentie: ");
        w.urgency_value(urgent);
        w.push("\n");
    }
    w.end_block();

    w.line("\nVerwijzer");
    w.push("Naam: ");
    w.doctor(&case.sender.person);
    w.push(", huisarts\nPraktijk: ");
    w.phi(&case.sender.institution.name, PhiType::Institution);
    w.push("\nAdres: ");
    w.address_lines(&case.sender.institution.address, true);
    w.push("\nTelefoon: ");
    w.phi(&case.sender.institution.phone, PhiType::Phone);
    w.push("\nAGB-code: ");
    w.phi(&case.sender.register, PhiType::Id);
    w.push("\n");
    w.end_block();

    w.line("\nGegevens patiënt");
    patient_block(w, case);
    if case.show_sex {
        w.push("Geslacht: ");
        w.sex_code(case.patient.person.sex);
        w.push("\n");
    }
    w.end_block();

    form_clinical_part(w, case);
}

/// An English structured referral (NHS e-Referral style).
fn en_form(w: &mut Writer, case: &Case) {
    set_typos(w, case);
    w.line("NHS e-Referral Service: Cardiology");
    w.push("Referral date: ");
    w.date(case.date);
    w.push("\nTo: ");
    w.phi(&case.hospital.name, PhiType::Institution);
    w.push("\n");
    if let Some(urgent) = case.urgency {
        w.push("Priority: ");
        w.urgency_value(urgent);
        w.push("\n");
    }
    w.push("Referring clinician: ");
    w.doctor(&case.sender.person);
    w.push(" (");
    w.phi(&case.sender.institution.name, PhiType::Institution);
    w.push(")\nPractice address: ");
    w.address_lines(&case.sender.institution.address, true);
    w.push("\nPractice tel: ");
    w.phi(&case.sender.institution.phone, PhiType::Phone);
    w.push("\n");
    w.end_block();

    w.push("\n");
    patient_block(w, case);
    if case.show_sex {
        w.push("Sex: ");
        w.sex_code(case.patient.person.sex);
        w.push("\n");
    }
    w.end_block();

    form_clinical_part(w, case);
}

/// The clinical part of a structured form, the same in both languages: reason and
/// question, history, medication, examination and investigations.
fn form_clinical_part(w: &mut Writer, case: &Case) {
    w.push("\n");
    if let Some(reason) = case.reason {
        w.push(w.tr("Reden van verwijzing: ", "Reason for referral: "));
        w.reason(reason);
        w.push("\n");
    }
    question(w, case);
    w.push("\n");
    w.end_block();

    w.line(w.tr("\nVoorgeschiedenis:", "\nPast medical history:"));
    history_list(w, case, "-");
    family_line(w, case, w.tr("Familieanamnese: ", "Family history: "));
    w.end_block();

    w.line(w.tr("\nMedicatie:", "\nCurrent medication:"));
    medication_lines(w, case, "- ", MedStyle::Inline);
    allergy_line(w, case, w.tr("Allergieën: ", "Allergies: "));
    smoking_line(w, case, w.tr("Intoxicaties: ", "Social: "));
    w.end_block();

    w.push(w.tr("\nLichamelijk onderzoek: ", "\nExamination: "));
    examination(w, case);
    w.push(w.tr("Aanvullend onderzoek: ", "Investigations: "));
    if !laboratory(w, case) {
        w.push(w.tr("geen.\n", "none.\n"));
    }
    echo(w, case);
    nyha_line(
        w,
        case,
        w.tr("Klachten passend bij ", "Functional status: "),
    );
    w.end_block();
}

/// A GP letter in SOEP (Dutch) or SOAP (English) order.
fn soep(w: &mut Writer, case: &Case) {
    set_typos(w, case);
    w.letterhead(&case.sender.institution, None);
    w.push("\n");
    w.line(w.tr(
        "Verwijsbrief Cardiologie",
        "Referral: Cardiology outpatients",
    ));
    w.push(w.tr("Aan: Polikliniek Cardiologie, ", "To: Cardiology Clinic, "));
    w.phi(&case.hospital.name, PhiType::Institution);
    w.push(w.tr("\nDatum: ", "\nDate: "));
    w.date(case.date);
    w.push(w.tr("\nBetreft: ", "\nRe: "));
    patient_name(w, case, NameStyle::TitleFormal);
    w.push(w.tr(", geb. ", ", DOB "));
    w.date(case.patient.birth);
    w.push(", ");
    w.push(w.tr("BSN ", "NHS no. "));
    identifier(w, case);
    w.push("\n");
    w.address_lines(&case.patient.address, true);
    w.push("\n");
    w.end_block();

    // S: the story.
    w.push("\nS: ");
    if case.show_age {
        w.age(case.patient.age_on(case.date), AgeForm::Adjective);
        w.push(" ");
    } else if case.show_sex {
        w.push(w.tr("Betreft een ", "A "));
    }
    if case.show_sex {
        w.sex_word(case.patient.person.sex);
    } else {
        w.push(w.tr(
            "Patiënt, bekend in de praktijk,",
            "Patient known to the practice",
        ));
    }
    if let Some(reason) = case.reason {
        w.push(w.tr(" met sinds enkele weken ", " with a few weeks of "));
        w.reason(reason);
    }
    w.push(". ");
    denied_symptoms(w);
    super::filler::clinical_sentences(w, 1);
    let present = case.with_status(Status::Present);
    if !present.is_empty() {
        w.push(w.tr("VG: ", "PMH: "));
        join_items(w, &present, ", ", ", ", |w, item| w.dx_list_item(item));
        w.push(". ");
    }
    for item in case
        .diagnoses
        .iter()
        .filter(|item| matches!(item.status, Status::Historical | Status::Absent))
    {
        let (before, after) = sentence_frame(w, item);
        w.dx_custom(item, &before, &after);
        w.push(". ");
    }
    if let Some(smoking) = case.smoking {
        w.push(w.tr("Roken: ", "Smoking: "));
        w.smoking(smoking);
        w.push(". ");
    }
    let family = case.with_status(Status::Family);
    if !family.is_empty() {
        w.push(w.tr("FA: ", "FH: "));
        join_items(w, &family, "; ", "; ", |w, item| w.dx_phrase(item));
        w.push(".");
    }
    w.push("\n");
    w.end_block();

    // O: the findings.
    w.push("O: ");
    examination(w, case);
    laboratory(w, case);
    echo(w, case);
    nyha_line(w, case, "");
    w.end_block();

    // E / A: the assessment.
    w.push(w.tr("E: ", "A: "));
    let questions = case.questions();
    if questions.is_empty() {
        w.prose(w.tr(
            "klachten, oorzaak onduidelijk.",
            "symptoms of unclear cause.",
        ));
    } else {
        join_items(w, &questions, ", ", ", ", |w, item| w.dx_phrase(item));
    }
    w.push("\n");
    w.push("P: ");
    w.prose(w.tr("verwijzing naar de cardioloog", "refer to cardiology"));
    if let Some(urgent) = case.urgency {
        w.push(" (");
        w.urgency(urgent);
        w.push(")");
    }
    w.push(". ");
    question(w, case);
    w.push("\n");
    w.end_block();

    w.push(w.tr("\nMedicatie: ", "\nMedication: "));
    if case.medications.is_empty() {
        w.push(w.tr("geen", "nil"));
    }
    join_items(w, &case.medications, "; ", "; ", |w, item| {
        w.medication(item, MedStyle::Inline)
    });
    w.push("\n");
    allergy_line(w, case, w.tr("Allergieën: ", "Allergies: "));
    w.end_block();
    signature(w, case);
    w.end_block();
}

/// A Dutch GP letter in flowing prose.
fn nl_narrative(w: &mut Writer, case: &Case) {
    set_typos(w, case);
    w.letterhead(&case.sender.institution, None);
    w.push("\n");
    w.phi(&case.sender.institution.address.city, PhiType::Address);
    w.push(", ");
    w.date(case.date);
    w.push("\n\nAan: ");
    w.doctor(&case.cardiologist);
    w.push(", cardioloog\n");
    w.phi(&case.hospital.name, PhiType::Institution);
    w.push("\n\nBetreft: ");
    patient_name(w, case, NameStyle::TitleFormal);
    w.push(", geboren ");
    w.date(case.patient.birth);
    w.push("\n");
    w.address_lines(&case.patient.address, true);
    w.push("\n");
    w.end_block();

    w.push("\nGeachte collega,\n\nHierbij verwijs ik ");
    patient_name(w, case, NameStyle::TitleSurname);
    if case.show_age || case.show_sex {
        w.push(", ");
        if case.show_age {
            w.push("een ");
            w.age(case.patient.age_on(case.date), AgeForm::Adjective);
            w.push(" ");
        } else {
            w.push("een ");
        }
        if case.show_sex {
            w.sex_word(case.patient.person.sex);
        } else {
            w.push("patiënt");
        }
        w.push(",");
    }
    w.push(" naar uw polikliniek");
    if let Some(reason) = case.reason {
        w.push(" in verband met ");
        w.reason(reason);
    }
    w.push(". ");
    w.prose_one_of(&[
        "De klachten bestaan sinds enkele maanden en nemen langzaam toe.",
        "Sinds de zomer merkt zij of hij dat de inspanningstolerantie afneemt.",
        "De klachten zijn wisselend van aard en treden vooral op bij traplopen.",
        "Patiënt maakt zich hierover zorgen, temeer omdat de klachten recent toenamen.",
    ]);
    w.push(" ");
    denied_symptoms(w);
    super::filler::clinical_sentences(w, 2);
    w.push("\n");
    w.end_block();

    let present = case.with_status(Status::Present);
    let pronoun_capital = pronoun(w, case, true);
    if !present.is_empty() {
        w.push(&format!("\n{pronoun_capital} is bekend met "));
        join_items(w, &present, ", ", " en ", |w, item| {
            w.dx_custom(item, "", "")
        });
        w.push(". ");
    }
    let past = case.with_status(Status::Historical);
    if !past.is_empty() {
        w.push("In de voorgeschiedenis: ");
        join_items(w, &past, ", ", " en ", |w, item| w.dx_phrase(item));
        w.push(". ");
    }
    for item in case.with_status(Status::Absent) {
        let (before, after) = *w.rng.pick(&[
            ("Er is geen ", ""),
            ("Er zijn geen aanwijzingen voor ", ""),
            ("Patiënt is niet bekend met ", ""),
            ("Eerder is ", " uitgesloten"),
        ]);
        w.dx_custom(&item, before, after);
        w.push(". ");
    }
    let family = case.with_status(Status::Family);
    if !family.is_empty() {
        w.push("In de familie: ");
        join_items(w, &family, "; ", "; ", |w, item| w.dx_phrase(item));
        w.push(". ");
    }
    if let Some(smoking) = case.smoking {
        w.push("Rookgedrag: ");
        w.smoking(smoking);
        w.push(". ");
    }
    w.push("\n");
    w.end_block();

    if !case.medications.is_empty() {
        w.push(&format!("\n{pronoun_capital} gebruikt "));
        join_items(w, &case.medications, ", ", " en ", |w, item| {
            w.medication(item, MedStyle::Inline)
        });
        w.end_sentence();
    }
    if !case.allergies.is_empty() {
        w.push("Bekende allergie voor ");
        join_items(w, &case.allergies, ", ", " en ", |w, allergen| {
            w.allergy(allergen)
        });
        w.push(".");
    }
    w.push("\n");
    w.end_block();

    w.push("\nBij lichamelijk onderzoek vond ik: ");
    examination(w, case);
    if case.ntprobnp.is_some() || case.egfr.is_some() {
        w.push("Laboratorium: ");
        laboratory(w, case);
    }
    echo(w, case);
    if let Some(class) = case.nyha {
        w.prose("De klachten passen bij ");
        w.nyha(class);
        w.push(".\n");
    }
    w.end_block();

    w.push("\n");
    question(w, case);
    w.push(" ");
    match case.urgency {
        Some(urgent) if w.rng.chance(50) => w.urgency_sentence(urgent),
        Some(urgent) => {
            w.push("Urgentie: ");
            w.urgency(urgent);
            w.push(".");
        }
        None => {}
    }
    w.push("\n");
    w.end_block();
    signature(w, case);
    w.end_block();
}

/// An English GP letter in flowing prose.
fn en_narrative(w: &mut Writer, case: &Case) {
    set_typos(w, case);
    w.letterhead(&case.sender.institution, None);
    w.push("\n");
    w.date(case.date);
    w.push("\n\n");
    w.doctor(&case.cardiologist);
    w.push("\nConsultant Cardiologist\n");
    w.phi(&case.hospital.name, PhiType::Institution);
    w.push("\n\nRe: ");
    patient_name(w, case, NameStyle::TitleFormal);
    w.push(", DOB ");
    w.date(case.patient.birth);
    w.push(", NHS no. ");
    identifier(w, case);
    w.push("\n");
    w.address_lines(&case.patient.address, true);
    w.push("\n");
    w.end_block();

    w.push("\nDear ");
    w.push_one_of(&["Dr ", "Dr. "]);
    w.phi(&case.cardiologist.surname_alone(), PhiType::Name);
    w.push(",\n\nThank you for seeing ");
    if case.show_age || case.show_sex {
        w.push("this ");
        if case.show_age {
            w.age(case.patient.age_on(case.date), AgeForm::Adjective);
            w.push(" ");
        }
        if case.show_sex {
            w.sex_word(case.patient.person.sex);
        } else {
            w.push("patient");
        }
    } else {
        w.push("this patient");
    }
    if let Some(reason) = case.reason {
        w.push(" who presents with ");
        w.reason(reason);
    }
    w.push(". ");
    w.prose_one_of(&[
        "The symptoms started a few months ago and are slowly getting worse.",
        "Exercise tolerance has fallen over the last year.",
        "Symptoms come and go and are worse when climbing stairs.",
        "The patient is understandably anxious about these symptoms.",
    ]);
    w.push(" ");
    denied_symptoms(w);
    super::filler::clinical_sentences(w, 2);
    w.push("\n");
    w.end_block();

    let pronoun_capital = pronoun(w, case, true);
    let present = case.with_status(Status::Present);
    if !present.is_empty() {
        w.push(&format!("\n{pronoun_capital} has a background of "));
        join_items(w, &present, ", ", " and ", |w, item| {
            w.dx_custom(item, "", "")
        });
        w.push(". ");
    }
    for item in case
        .diagnoses
        .iter()
        .filter(|item| matches!(item.status, Status::Historical | Status::Absent))
    {
        let (before, after) = if item.status == Status::Absent {
            *w.rng.pick(&[
                ("There is no ", ""),
                ("There is no history of ", ""),
                ("No evidence of ", ""),
                ("", " has been excluded"),
            ])
        } else if let Some(year) = item.year {
            let before = *w.rng.pick(&["Previous ", "A past ", "Known previous "]);
            (before, if year % 2 == 0 { " in " } else { " (" })
        } else {
            *w.rng
                .pick(&[("Previous ", ""), ("Past history of ", ""), ("Prior ", "")])
        };
        let after = match (item.year, after) {
            (Some(year), " in ") => format!(" in {year}"),
            (Some(year), _) => format!(" ({year})"),
            (None, after) => after.to_string(),
        };
        w.dx_custom(item, before, &after);
        w.push(". ");
    }
    let family = case.with_status(Status::Family);
    if !family.is_empty() {
        w.push("Family history: ");
        join_items(w, &family, "; ", "; ", |w, item| w.dx_phrase(item));
        w.push(". ");
    }
    if let Some(smoking) = case.smoking {
        w.push("Smoking: ");
        w.smoking(smoking);
        w.push(". ");
    }
    w.push("\n");
    w.end_block();

    if !case.medications.is_empty() {
        w.push("\nCurrent medication: ");
        join_items(w, &case.medications, ", ", " and ", |w, item| {
            w.medication(item, MedStyle::Inline)
        });
        w.end_sentence();
    }
    if !case.allergies.is_empty() {
        w.push("Allergic to ");
        join_items(w, &case.allergies, ", ", " and ", |w, allergen| {
            w.allergy(allergen)
        });
        w.push(".");
    } else if case.no_known_allergies {
        w.push("No known drug allergies.");
    }
    w.push("\n");
    w.end_block();

    w.push("\nOn examination: ");
    examination(w, case);
    if case.ntprobnp.is_some() || case.egfr.is_some() {
        w.push("Recent bloods: ");
        laboratory(w, case);
    }
    echo(w, case);
    if let Some(class) = case.nyha {
        w.prose("Symptoms are in keeping with ");
        w.nyha(class);
        w.push(".\n");
    }
    w.end_block();

    w.push("\n");
    question(w, case);
    w.push(" ");
    if let Some(urgent) = case.urgency {
        w.urgency_sentence(urgent);
    }
    w.push("\n");
    w.end_block();
    signature(w, case);
    w.end_block();
}

/// A letter from a specialist of another department: headings, numbered history, a medication table.
fn specialist_letter(w: &mut Writer, case: &Case) {
    set_typos(w, case);
    let department = match case.sender.specialty {
        Some((nl, en)) => w.tr(nl, en).to_string(),
        None => String::new(),
    };
    w.letterhead(
        &case.sender.institution,
        Some(w.tr("Afdeling Interne Geneeskunde", "Department of Medicine")),
    );
    w.push(w.tr("\nAan: collega ", "\nTo: "));
    w.doctor(&case.cardiologist);
    w.push(w.tr(", cardioloog, ", ", Cardiology, "));
    w.phi(&case.hospital.name, PhiType::Institution);
    w.push(w.tr("\nDatum: ", "\nDate: "));
    w.date(case.date);
    w.push(w.tr("\nBetreft: ", "\nRe: "));
    patient_name(w, case, NameStyle::TitleFormal);
    w.push(w.tr(" | geb. ", " | DOB "));
    w.date(case.patient.birth);
    w.push(w.tr(" | pat.nr. ", " | hospital no. "));
    w.phi(&case.patient.number, PhiType::Id);
    if w.nl() && w.rng.chance(50) {
        w.push(" | BSN ");
        identifier(w, case);
    }
    w.push("\n");
    w.end_block();

    w.push(w.tr(
        "\nGeachte collega,\n\nGraag verwijs ik bovengenoemde patiënt naar u",
        "\nDear colleague,\n\nI would be grateful if you could see this patient",
    ));
    if let Some(reason) = case.reason {
        w.push(w.tr(" voor ", " regarding "));
        w.reason(reason);
    }
    w.push(". ");
    if let Some(urgent) = case.urgency {
        w.push(w.tr("Urgentie: ", "Urgency: "));
        w.urgency(urgent);
        w.push(".");
    }
    w.push("\n");
    w.end_block();

    w.line(w.tr("\nAnamnese", "\nHistory"));
    w.prose_one_of(if w.nl() {
        &[
            "Patiënt is bij ons bekend en werd recent gezien op de polikliniek.",
            "Tijdens de opname op onze afdeling viel het volgende op.",
            "Bij controle op ons spreekuur gaf patiënt nieuwe klachten aan.",
        ]
    } else {
        &[
            "The patient is known to our clinic and was seen recently.",
            "During the recent admission under our team the following was noted.",
            "At a routine review the patient reported new symptoms.",
        ]
    });
    w.push(" ");
    denied_symptoms(w);
    super::filler::clinical_sentences(w, 3);
    if let Some(smoking) = case.smoking {
        w.push(w.tr("Intoxicaties: ", "Smoking: "));
        w.smoking(smoking);
        w.push(".");
    }
    w.push("\n");
    w.end_block();

    w.line(w.tr("\nVoorgeschiedenis", "\nPast medical history"));
    history_list(w, case, "1.");
    family_line(w, case, w.tr("Familie: ", "FH: "));
    w.end_block();

    w.line(w.tr("\nMedicatie", "\nMedication"));
    medication_lines(w, case, "", MedStyle::Table);
    allergy_line(w, case, w.tr("Overgevoeligheden: ", "Allergies: "));
    w.end_block();

    w.line(w.tr("\nLichamelijk onderzoek", "\nExamination"));
    examination(w, case);
    w.line(w.tr("\nAanvullend onderzoek", "\nInvestigations"));
    if !laboratory(w, case) {
        w.line(w.tr("Lab: zie bijlage.", "Bloods: see attached."));
    }
    echo(w, case);
    w.end_block();

    w.line(w.tr("\nConclusie", "\nImpression"));
    if case.show_age {
        w.age(case.patient.age_on(case.date), AgeForm::Adjective);
        w.push(" ");
    }
    if case.show_sex {
        w.sex_word(case.patient.person.sex);
    } else {
        w.push(w.tr("patiënt", "patient"));
    }
    let present = case.with_status(Status::Present);
    if !present.is_empty() {
        w.push(w.tr(" met ", " with "));
        join_items(w, &present, ", ", w.tr(" en ", " and "), |w, item| {
            w.dx_custom(item, "", "")
        });
    }
    w.push(". ");
    if let Some(class) = case.nyha {
        w.nyha(class);
        w.push(". ");
    }
    question(w, case);
    w.push("\n");
    w.end_block();
    signature(w, case);
    let _ = department;
    w.end_block();
}

/// A short, telegraphic note full of abbreviations.
fn brief(w: &mut Writer, case: &Case) {
    set_typos(w, case);
    w.push(w.tr("Verw. cardio ", "Cardiology referral "));
    w.date(case.date);
    w.push(" - ");
    w.phi(&case.sender.institution.name, PhiType::Institution);
    w.push("\n");
    w.push(w.tr("Pt. ", "Pt: "));
    let style = if w.rng.chance(50) {
        NameStyle::TitleSurname
    } else {
        NameStyle::Formal
    };
    patient_name(w, case, style);
    if case.show_age {
        w.push(", ");
        w.age(case.patient.age_on(case.date), AgeForm::Predicate);
    }
    if case.show_sex {
        w.push(", ");
        w.sex_code(case.patient.person.sex);
    }
    w.push(w.tr(", geb. ", ", DOB "));
    w.date(case.patient.birth);
    w.push(", ");
    w.push(w.tr("BSN ", "NHS "));
    identifier(w, case);
    w.push("\n");
    w.end_block();

    if let Some(reason) = case.reason {
        w.push(w.tr("Reden: ", "PC: "));
        w.reason(reason);
        w.push("\n");
    }
    let history = history_items(case);
    w.push(w.tr("VG: ", "PMH: "));
    if history.is_empty() {
        w.push(w.tr("blanco", "nil"));
    }
    join_items(w, &history, ", ", ", ", |w, item| w.dx_list_item(item));
    w.push("\n");
    let family = case.with_status(Status::Family);
    if !family.is_empty() {
        w.push(w.tr("FA: ", "FH: "));
        join_items(w, &family, "; ", "; ", |w, item| w.dx_phrase(item));
        w.push("\n");
    }
    w.push(w.tr("Med: ", "DH: "));
    if case.medications.is_empty() {
        w.push(w.tr("geen", "nil"));
    }
    join_items(w, &case.medications, "; ", "; ", |w, item| {
        w.medication(item, MedStyle::Inline)
    });
    w.push("\n");
    allergy_line(w, case, w.tr("All: ", "Allergies: "));
    smoking_line(w, case, w.tr("Intox: ", "SH: "));
    w.end_block();

    w.push(w.tr("LO: ", "O/E: "));
    examination(w, case);
    if case.ntprobnp.is_some() || case.egfr.is_some() {
        w.push(w.tr("Lab: ", "Bloods: "));
        laboratory(w, case);
    }
    echo(w, case);
    nyha_line(w, case, "");
    w.push(w.tr("Vraag: ", "Q: "));
    question_with(w, case, false);
    if let Some(urgent) = case.urgency {
        w.push(w.tr(" Urgentie: ", " Priority: "));
        w.urgency_value(urgent);
    }
    w.push("\n");
    w.doctor(&case.sender.person);
    w.push("\n");
    w.end_block();
}
