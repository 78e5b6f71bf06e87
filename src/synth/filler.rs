//! Filler: text without field labels (but with PHI) that fills up a page of a patient file.
//!
//! Real files are full of text that is not an answer to anything: contact details, copies,
//! nursing notes, extra lab panels, echo measurements. A model that reads a 200-page file
//! has to skip it. Filler never names a diagnosis, medicine or measurement of the schema,
//! so it never changes the gold labels; it does hold PHI, which is labelled.

use crate::data::{Lang, PhiType};

use super::case::Sender;
use super::date::Date;
use super::names::{Institution, Person};
use super::render::NameStyle;
use super::rng::Rng;
use super::vocab;
use super::writer::{Text, Writer};

/// The kind of part a filler has to blend into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FillerKind {
    /// A letter of the GP.
    Referral,
    /// A hospital letter or discharge letter.
    Letter,
    Lab,
    Echo,
    Medication,
}

/// Who and where, for the PHI in filler text.
pub(crate) struct Contacts<'a> {
    pub lang: Lang,
    pub hospital: &'a Institution,
    pub gp: &'a Sender,
    pub pharmacy: &'a Institution,
    pub colleagues: &'a [Person],
}

/// Filler paragraphs that hold PHI; each is used at most once a page.
const PHI_FILLERS: [u16; 7] = [0, 1, 2, 3, 4, 5, 6];

/// One filler paragraph. `used` lists the PHI paragraphs already on this page.
pub(crate) fn filler(
    rng: &mut Rng,
    contacts: &Contacts,
    kind: FillerKind,
    date: Date,
    used: &mut Vec<u16>,
) -> Text {
    let mut w = Writer::new(rng, contacts.lang);
    let options: Vec<u16> = PHI_FILLERS
        .iter()
        .copied()
        .filter(|id| fits(*id, kind) && !used.contains(id))
        .collect();
    let use_phi = !options.is_empty() && w.rng.chance(45);
    if use_phi {
        let id = options[w.rng.below(options.len())];
        used.push(id);
        phi_paragraph(&mut w, contacts, id, date);
    } else {
        match kind {
            FillerKind::Lab if w.rng.chance(60) => lab_panel(&mut w, date),
            FillerKind::Echo if !used.contains(&100) && w.rng.chance(70) => {
                used.push(100);
                echo_measurements(&mut w);
            }
            _ => sentences(&mut w, kind, used),
        }
    }
    let (blocks, _) = w.finish();
    let mut text = Text::default();
    for block in blocks {
        text.append(block);
    }
    text
}

/// Whether a PHI paragraph fits a kind of part.
fn fits(id: u16, kind: FillerKind) -> bool {
    match kind {
        FillerKind::Referral => matches!(id, 0 | 4 | 5),
        FillerKind::Letter => true,
        FillerKind::Lab => matches!(id, 3 | 6),
        FillerKind::Echo => matches!(id, 3 | 6),
        FillerKind::Medication => matches!(id, 6),
    }
}

fn phi_paragraph(w: &mut Writer, contacts: &Contacts, id: u16, date: Date) {
    match id {
        0 => {
            w.push(w.tr("Telefonisch contact ", "Telephone contact "));
            let call = date.plus_days(-w.rng.range(1, 20));
            w.date(call);
            w.push(": ");
            w.prose_one_of(if w.nl() {
                &[
                    "patiënt belt met vragen over de afspraken. Uitleg gegeven, patiënt is gerustgesteld.",
                    "partner belt namens patiënt; vraag over de uitslagen beantwoord.",
                    "patiënt meldt zich beter te voelen. Afspraak blijft staan.",
                ]
            } else {
                &[
                    "the patient called with questions about appointments. Explained and reassured.",
                    "the partner called on the patient's behalf; questions about results answered.",
                    "the patient reports feeling better. Appointment stays as planned.",
                ]
            });
            w.push("\n\n");
        }
        1 => {
            w.push(w.tr("Kopie aan: ", "Copy to: "));
            w.doctor(&contacts.gp.person);
            w.push(", ");
            w.phi(&contacts.gp.institution.name, PhiType::Institution);
            w.push(", ");
            w.address_lines(&contacts.gp.institution.address, true);
            w.push("\n\n");
        }
        2 => {
            w.prose(w.tr(
                "Bij vragen kunt u contact opnemen met de polikliniek via ",
                "If you have any questions please contact the clinic on ",
            ));
            w.phi(&contacts.hospital.phone, PhiType::Phone);
            w.push(w.tr(" of per e-mail via ", " or by e-mail at "));
            let email = format!(
                "{}@{}",
                w.tr("cardiologie", "cardiology"),
                contacts.hospital.domain
            );
            w.phi(&email, PhiType::Email);
            w.push(w.tr(
                ". Bereikbaar op werkdagen van 8.30 tot 17.00 uur.\n\n",
                ". The line is open on weekdays, 8.30 am to 5 pm.\n\n",
            ));
        }
        3 => {
            w.prose(w.tr(
                "Uitslagen en afspraken zijn ook te zien in het patiëntenportaal op ",
                "Results and appointments can also be seen in the patient portal at ",
            ));
            let url = format!("https://mijn.{}", contacts.hospital.domain);
            w.phi(&url, PhiType::Url);
            w.push(w.tr(
                ". Inloggen gaat met DigiD.\n\n",
                ". Log in with your NHS login.\n\n",
            ));
        }
        4 => {
            w.push(w.tr("Verpleegkundig spreekuur (", "Nurse clinic ("));
            let nurse = contacts.colleagues[1 % contacts.colleagues.len()].clone();
            w.name(&nurse, NameStyle::Full, false);
            w.push("): ");
            w.prose_one_of(if w.nl() {
                &[
                    "uitleg over de medicatie gegeven en therapietrouw besproken. Weegschaal thuis aanwezig. Folders meegegeven.",
                    "leefstijl besproken: zoutbeperking, dagelijks wegen, voldoende bewegen. Patiënt is gemotiveerd.",
                ]
            } else {
                &[
                    "medicines explained and adherence discussed. Has scales at home. Leaflets given.",
                    "lifestyle discussed: less salt, daily weights, regular exercise. Patient is motivated.",
                ]
            });
            w.push("\n\n");
        }
        5 => {
            w.push(w.tr("Waarneming door ", "Seen by locum "));
            let locum = contacts.colleagues[3 % contacts.colleagues.len()].clone();
            w.name(&locum, NameStyle::Formal, false);
            w.push(w.tr(" namens ", " for "));
            w.phi(&contacts.gp.institution.name, PhiType::Institution);
            w.push(w.tr(", telefoon ", ", tel. "));
            w.phi(&contacts.gp.institution.phone, PhiType::Phone);
            w.push(".\n\n");
        }
        _ => {
            w.push(w.tr(
                "Elektronisch geautoriseerd door ",
                "Electronically authorised by ",
            ));
            let colleague = contacts.colleagues[0].clone();
            w.name(&colleague, NameStyle::Formal, false);
            w.push(w.tr(" op ", " on "));
            w.date(date);
            w.push(w.tr(
                ". Geen handtekening nodig.\n\n",
                ". No signature required.\n\n",
            ));
            let _ = contacts.pharmacy;
        }
    }
}

const CLINICAL_NL: [&str; 26] = [
    "Patiënt geeft aan zich de laatste weken wat vermoeider te voelen.",
    "De inspanningstolerantie is stabiel gebleven.",
    "Er is geen sprake van nachtelijke benauwdheid.",
    "Patiënt slaapt op twee kussens.",
    "Het gewicht is stabiel ten opzichte van de vorige meting.",
    "Eetlust is goed, ontlasting zonder bijzonderheden.",
    "Patiënt wandelt dagelijks ongeveer drie kwartier.",
    "Bij auscultatie van het hart normale harttonen.",
    "Over de longen vesiculair ademgeruis zonder bijgeluiden.",
    "Geen pitting oedeem aan de onderbenen.",
    "Centraal veneuze druk niet verhoogd.",
    "Het ECG toont een sinusritme met een normale as en normale geleidingstijden.",
    "Geen repolarisatiestoornissen op het ECG.",
    "Patiënt heeft vragen over autorijden; uitgelegd wat de regels zijn.",
    "Besproken dat bij pijn op de borst langer dan een kwartier 112 gebeld moet worden.",
    "Griepvaccinatie wordt geadviseerd.",
    "Patiënt werkt nog parttime als administratief medewerker.",
    "Alcoholgebruik beperkt tot enkele glazen per week.",
    "De partner is aanwezig bij het gesprek.",
    "Patiënt wil graag deelnemen aan hartrevalidatie.",
    "Verwijzing naar de diëtist voor een zoutbeperkt dieet.",
    "Uitleg gegeven over de werking en de bijwerkingen van de medicatie.",
    "De therapietrouw lijkt goed; patiënt gebruikt een baxterrol.",
    "Geen klachten bij het opstaan.",
    "Patiënt woont zelfstandig en is zelfredzaam in de ADL.",
    "Het beleid is met patiënt en partner besproken en zij gaan hiermee akkoord.",
];

const CLINICAL_EN: [&str; 26] = [
    "The patient has felt a little more tired over the last few weeks.",
    "Exercise tolerance has stayed the same.",
    "No paroxysmal nocturnal dyspnoea.",
    "Sleeps on two pillows.",
    "Weight is stable compared with the last visit.",
    "Appetite is good, bowels normal.",
    "Walks for about forty-five minutes every day.",
    "Heart sounds normal on auscultation.",
    "Chest clear with vesicular breath sounds.",
    "No pitting oedema of the lower legs.",
    "JVP not raised.",
    "The ECG shows sinus rhythm with a normal axis and normal intervals.",
    "No repolarisation abnormalities on the ECG.",
    "Asked about driving; the DVLA rules were explained.",
    "Advised to call 999 for chest pain lasting more than fifteen minutes.",
    "Flu vaccination is recommended.",
    "Still works part time in an office.",
    "Drinks a few glasses of wine a week.",
    "The partner was present during the consultation.",
    "Keen to attend cardiac rehabilitation.",
    "Referred to the dietitian for a low-salt diet.",
    "The action and side effects of the medicines were explained.",
    "Adherence seems good; uses a dosette box.",
    "No symptoms on standing.",
    "Lives independently and manages all activities of daily living.",
    "The plan was discussed with the patient and partner, who agree with it.",
];

const LAB_NL: [&str; 6] = [
    "Monster licht hemolytisch; kaliumwaarde met voorzichtigheid interpreteren.",
    "Referentiewaarden gelden voor volwassenen.",
    "Berekening eGFR volgens CKD-EPI 2009.",
    "Afwijkende waarden zijn gemarkeerd.",
    "Uitslag geautoriseerd volgens het kwaliteitssysteem van het laboratorium.",
    "Bij vragen over de uitslag kunt u contact opnemen met de dienstdoende klinisch chemicus.",
];

const LAB_EN: [&str; 6] = [
    "Sample slightly haemolysed; interpret potassium with caution.",
    "Reference ranges apply to adults.",
    "eGFR calculated with the CKD-EPI 2009 equation.",
    "Abnormal results are flagged.",
    "Results authorised under the laboratory quality system.",
    "For advice on these results please contact the duty biochemist.",
];

const ECHO_NL: [&str; 9] = [
    "Aortaklep: tricuspide, normale opening.",
    "Mitralisklep: normale morfologie.",
    "Tricuspidalisklep: geringe lekkage.",
    "Pericard: geen vocht.",
    "Rechteratrium niet gedilateerd.",
    "Vena cava inferior normaal van diameter met goede ademvariatie.",
    "Diastolische functie: graad I (vertraagde relaxatie).",
    "Beeldkwaliteit matig door habitus.",
    "Ritme tijdens het onderzoek regulair.",
];

const ECHO_EN: [&str; 9] = [
    "Aortic valve: trileaflet, opens normally.",
    "Mitral valve: normal morphology.",
    "Tricuspid valve: trivial leak.",
    "Pericardium: no effusion.",
    "Right atrium not dilated.",
    "IVC normal in size with normal respiratory variation.",
    "Diastolic function: grade I (impaired relaxation).",
    "Image quality limited by body habitus.",
    "Regular rhythm during the study.",
];

const MEDICATION_NL: [&str; 6] = [
    "Dit overzicht is gebaseerd op de afleverhistorie van de afgelopen twaalf maanden.",
    "Interactie- en contra-indicatiecontrole uitgevoerd, geen bijzonderheden.",
    "Openingstijden: maandag tot en met vrijdag van 8.00 tot 18.00 uur.",
    "Neem dit overzicht mee naar elke afspraak in het ziekenhuis.",
    "Bewaar geneesmiddelen buiten bereik van kinderen.",
    "Wijzigingen worden automatisch doorgegeven aan de huisarts.",
];

const MEDICATION_EN: [&str; 6] = [
    "This list is based on the dispensing history of the last twelve months.",
    "Interaction and contraindication check done, nothing to report.",
    "Opening hours: Monday to Friday, 8 am to 6 pm.",
    "Please bring this list to every hospital appointment.",
    "Keep medicines out of the reach of children.",
    "Changes are passed on to the GP automatically.",
];

/// A few sentences of clinical text without labels, inside a letter's history.
pub(crate) fn clinical_sentences(w: &mut Writer, count: usize) {
    let pool: &[&str] = if w.nl() { &CLINICAL_NL } else { &CLINICAL_EN };
    let chosen = distinct(w, pool, count);
    w.prose(&chosen.join(" "));
    w.push(" ");
}

/// `count` different sentences of a pool.
fn distinct<'p>(w: &mut Writer, pool: &[&'p str], count: usize) -> Vec<&'p str> {
    distinct_avoiding(w, pool, count, &mut Vec::new())
}

/// `count` different sentences of a pool, avoiding those already on the page (`used`
/// holds `1000 + index` for each) while there are others left.
fn distinct_avoiding<'p>(
    w: &mut Writer,
    pool: &[&'p str],
    count: usize,
    used: &mut Vec<u16>,
) -> Vec<&'p str> {
    let mut chosen: Vec<usize> = Vec::new();
    while chosen.len() < count.min(pool.len()) {
        let fresh: Vec<usize> = (0..pool.len())
            .filter(|i| !chosen.contains(i) && !used.contains(&(1000 + *i as u16)))
            .collect();
        let index = if fresh.is_empty() {
            let rest: Vec<usize> = (0..pool.len()).filter(|i| !chosen.contains(i)).collect();
            rest[w.rng.below(rest.len())]
        } else {
            fresh[w.rng.below(fresh.len())]
        };
        chosen.push(index);
        used.push(1000 + index as u16);
    }
    chosen.iter().map(|index| pool[*index]).collect()
}

/// Two to four sentences of plain text that fit the kind of part.
fn sentences(w: &mut Writer, kind: FillerKind, used: &mut Vec<u16>) {
    let pool: &[&str] = match (kind, w.lang) {
        (FillerKind::Lab, Lang::Nl) => &LAB_NL,
        (FillerKind::Lab, Lang::En) => &LAB_EN,
        (FillerKind::Echo, Lang::Nl) => &ECHO_NL,
        (FillerKind::Echo, Lang::En) => &ECHO_EN,
        (FillerKind::Medication, Lang::Nl) => &MEDICATION_NL,
        (FillerKind::Medication, Lang::En) => &MEDICATION_EN,
        (_, Lang::Nl) => &CLINICAL_NL,
        (_, Lang::En) => &CLINICAL_EN,
    };
    let count = w.rng.range(2, 4) as usize;
    let paragraph = distinct_avoiding(w, pool, count, used);
    w.prose(&paragraph.join(" "));
    w.push("\n\n");
}

/// An older panel of lab values that are not in the schema, with its date.
fn lab_panel(w: &mut Writer, date: Date) {
    let nl = w.nl();
    let rows: [(&str, &str, i64, i64, &str); 6] = if nl {
        [
            ("CRP", "mg/l", 1, 40, "<10"),
            ("Glucose", "mmol/l", 48, 98, "4,0-7,8"),
            ("LDL-cholesterol", "mmol/l", 16, 46, "<2,6"),
            ("TSH", "mU/l", 5, 42, "0,4-4,0"),
            ("ALAT", "U/l", 12, 60, "<45"),
            ("HbA1c", "mmol/mol", 36, 68, "<53"),
        ]
    } else {
        [
            ("CRP", "mg/L", 1, 40, "<5"),
            ("Glucose", "mmol/L", 48, 98, "4.0-7.8"),
            ("LDL cholesterol", "mmol/L", 16, 46, "<3.0"),
            ("TSH", "mU/L", 5, 42, "0.4-4.0"),
            ("ALT", "U/L", 12, 60, "<45"),
            ("HbA1c", "mmol/mol", 36, 68, "<48"),
        ]
    };
    w.push(w.tr("Overige bepalingen, afname ", "Other tests, collected "));
    let when = date.plus_days(-w.rng.range(30, 400));
    w.date(when);
    w.push("\n");
    let take = w.rng.range(3, 6) as usize;
    for (name, unit, low, high, reference) in rows.iter().take(take) {
        let raw = w.rng.range(*low, *high);
        let value = if matches!(
            *name,
            "Glucose" | "LDL-cholesterol" | "LDL cholesterol" | "TSH"
        ) {
            vocab::decimal(raw as f64 / 10.0, w.lang)
        } else {
            raw.to_string()
        };
        let line = format!(
            "{}{}{}{reference}\n",
            pad(name, 22),
            pad(&value, 11),
            pad(unit, 18)
        );
        w.push(&line);
    }
    w.push("\n");
}

/// The echo measurements table (numbers not in the schema; PASP in mmHg is a trap for blood pressure rules).
fn echo_measurements(w: &mut Writer) {
    w.line(w.tr("Metingen", "Measurements"));
    let values = [
        ("IVSd", format!("{} mm", w.rng.range(8, 14))),
        ("LVPWd", format!("{} mm", w.rng.range(8, 13))),
        ("LAVI", format!("{} ml/m2", w.rng.range(22, 52))),
        (
            "E/A",
            vocab::decimal(w.rng.range(6, 20) as f64 / 10.0, w.lang),
        ),
        ("E/e'", format!("{}", w.rng.range(6, 18))),
        ("Ao root", format!("{} mm", w.rng.range(28, 40))),
        (
            "TR Vmax",
            format!(
                "{} m/s",
                vocab::decimal(w.rng.range(18, 32) as f64 / 10.0, w.lang)
            ),
        ),
        ("PASP", format!("{} mmHg", w.rng.range(22, 48))),
    ];
    for (name, value) in values {
        w.line(&format!("{}{value}", pad(name, 12)));
    }
    w.push("\n");
}

/// `text` followed by spaces up to `width` characters (at least one space).
pub(crate) fn pad(text: &str, width: usize) -> String {
    let length = text.chars().count();
    format!("{text}{}", " ".repeat(width.saturating_sub(length).max(1)))
}
