//! The word lists of the rules baseline: how diagnoses, medicines and allergens are written.
//!
//! Each entry maps the ways a term is written in Dutch and English letters (including
//! common abbreviations) to one canonical English name, the name used in gold labels.
//! These lists were written for clinkit from clinical usage; extend them for your project.

use std::sync::OnceLock;

use regex::Regex;
use serde_json::json;

use crate::data::Grounded;
use crate::extract::context::{mention_status, Status};
use crate::text::{char_to_byte, Span};

use super::{char_span, number_value, parse_number};

/// Canonical diagnosis names and the ways they are written.
const DIAGNOSES: &[(&str, &str)] = &[
    (
        "atrial fibrillation",
        r"atrial fibrillation|atriumfibrilleren|boezemfibrilleren|af|afib|paf",
    ),
    (
        "heart failure",
        r"heart failure|hartfalen|decompensatio cordis|hf|hfref|hfpef|chf",
    ),
    ("hypertension", r"hypertension|hypertensie|ht|htn"),
    (
        "diabetes mellitus type 2",
        r"diabetes mellitus type 2|diabetes mellitus type ii|diabetes type 2|type 2 diabetes|diabetes mellitus|diabetes|dm2|dm ii|dm type 2|dm|t2dm",
    ),
    (
        "myocardial infarction",
        r"myocardial infarction|myocardinfarct|hartinfarct|hartaanval|heart attack|mi|stemi|nstemi",
    ),
    (
        "coronary artery disease",
        r"coronary artery disease|coronairlijden|coronaire hartziekte|cad|ischemic heart disease|ischaemic heart disease",
    ),
    ("angina pectoris", r"angina pectoris|angina|ap"),
    (
        "hypercholesterolaemia",
        r"hypercholesterolaemia|hypercholesterolemia|hypercholesterolemie|hypercholesterolaemie|hyperlipidaemia|hyperlipidemia|dyslipidemie|dyslipidaemia",
    ),
    (
        "chronic kidney disease",
        r"chronic kidney disease|chronische nierschade|chronische nierinsufficiëntie|nierinsufficiëntie|ckd",
    ),
    ("copd", r"copd|chronic obstructive pulmonary disease"),
    (
        "stroke",
        r"stroke|cva|herseninfarct|beroerte|cerebrovascular accident",
    ),
    (
        "transient ischaemic attack",
        r"transient ischaemic attack|transient ischemic attack|tia",
    ),
    ("endocarditis", r"endocarditis"),
    (
        "aortic stenosis",
        r"aortic stenosis|aortaklepstenose|aortastenose|as",
    ),
    ("pulmonary embolism", r"pulmonary embolism|longembolie|pe"),
    (
        "mitral regurgitation",
        r"mitral regurgitation|mitralisinsufficiëntie|mitralisklepinsufficiëntie|mitraliskleplekkage",
    ),
    ("cardiomyopathy", r"cardiomyopathy|cardiomyopathie|dcm|hcm"),
    (
        "sudden cardiac death",
        r"sudden cardiac death|plotse hartdood|plotselinge hartdood|acute hartdood",
    ),
    (
        "coronary artery bypass grafting",
        r"coronary artery bypass grafting|coronary artery bypass|cabg|bypassoperatie|coronaire bypassoperatie|bypass surgery",
    ),
    (
        "percutaneous coronary intervention",
        r"percutaneous coronary intervention|pci|dotterbehandeling|dotterprocedure|coronary stenting|stentplaatsing",
    ),
    (
        "obstructive sleep apnoea",
        r"obstructive sleep apnoea|obstructive sleep apnea|osas|osa|slaapapneu|slaapapneusyndroom|obstructief slaapapneusyndroom",
    ),
];

/// Canonical reasons for referral and the complaints that stand for them.
const REASONS: &[(&str, &str)] = &[
    ("palpitations", r"palpitations|palpitaties|hartkloppingen"),
    (
        "chest pain on exertion",
        r"chest pain on exertion|exertional chest pain|chest tightness on exertion|pijn op de borst bij inspanning|drukkend gevoel op de borst bij inspanning|angineuze klachten",
    ),
    (
        "dyspnoea on exertion",
        r"dyspnoea on exertion|exertional dyspnoea|shortness of breath on exertion|breathlessness on exertion|kortademigheid bij inspanning|dyspnoe d'effort|dyspneu d'effort",
    ),
    (
        "heart murmur",
        r"heart murmur|systolic murmur|souffle|hartgeruis|geruis",
    ),
    (
        "ankle oedema",
        r"ankle oedema|ankle swelling|ankle edema|enkeloedeem|dikke enkels",
    ),
    (
        "abnormal ecg",
        r"abnormal ecg|ecg abnormalities|afwijkend ecg|afwijkingen op het ecg",
    ),
    (
        "dizziness",
        r"dizziness|dizzy spells|duizeligheid|duizeligheidsklachten|vertigo",
    ),
    (
        "preoperative assessment",
        r"preoperative assessment|pre-operative assessment|cardiac review before surgery|preoperatieve beoordeling|preoperatieve screening|cardiale screening voor een operatie",
    ),
    (
        "fatigue",
        r"fatigue|tiredness|moeheid|vermoeidheidsklachten|vermoeidheid",
    ),
];

/// Generic medicine names (lowercase) and the ways they are written, brand names included.
const MEDICATIONS: &[(&str, &str)] = &[
    ("metoprolol", r"metoprolol|selokeen|lopressor"),
    ("bisoprolol", r"bisoprolol|emcor"),
    ("atenolol", r"atenolol"),
    ("carvedilol", r"carvedilol"),
    (
        "acetylsalicylic acid",
        r"acetylsalicylzuur|ascal|aspirin|aspirine|asa",
    ),
    ("clopidogrel", r"clopidogrel|plavix"),
    ("ticagrelor", r"ticagrelor|brilique"),
    ("apixaban", r"apixaban|eliquis"),
    ("rivaroxaban", r"rivaroxaban|xarelto"),
    ("dabigatran", r"dabigatran|pradaxa"),
    ("edoxaban", r"edoxaban|lixiana"),
    ("acenocoumarol", r"acenocoumarol|sintrom"),
    ("warfarin", r"warfarin"),
    ("atorvastatin", r"atorvastatine|atorvastatin|lipitor"),
    ("simvastatin", r"simvastatine|simvastatin|zocor"),
    ("rosuvastatin", r"rosuvastatine|rosuvastatin|crestor"),
    ("furosemide", r"furosemide|lasix"),
    ("bumetanide", r"bumetanide|burinex"),
    (
        "hydrochlorothiazide",
        r"hydrochloorthiazide|hydrochlorothiazide|hct|hctz",
    ),
    ("spironolactone", r"spironolacton|spironolactone|aldactone"),
    ("lisinopril", r"lisinopril"),
    ("enalapril", r"enalapril"),
    ("ramipril", r"ramipril|tritace"),
    ("perindopril", r"perindopril"),
    ("losartan", r"losartan|cozaar"),
    ("valsartan", r"valsartan|diovan"),
    ("candesartan", r"candesartan|atacand"),
    (
        "sacubitril/valsartan",
        r"sacubitril/valsartan|sacubitril-valsartan|entresto",
    ),
    ("amlodipine", r"amlodipine|norvasc"),
    ("digoxin", r"digoxine|digoxin|lanoxin"),
    ("metformin", r"metformine|metformin|glucophage"),
    ("gliclazide", r"gliclazide"),
    ("insulin", r"insuline|insulin"),
    ("dapagliflozin", r"dapagliflozine|dapagliflozin|forxiga"),
    ("empagliflozin", r"empagliflozine|empagliflozin|jardiance"),
    ("pantoprazole", r"pantoprazol|pantoprazole"),
    ("omeprazole", r"omeprazol|omeprazole"),
    (
        "nitroglycerin",
        r"nitroglycerine|nitroglycerin|isosorbidemononitraat|isosorbide mononitrate|nitro",
    ),
    ("amiodarone", r"amiodaron|amiodarone|cordarone"),
    ("flecainide", r"flecainide|tambocor"),
    (
        "potassium chloride",
        r"kaliumchloride|potassium chloride|kcl",
    ),
    ("levothyroxine", r"levothyroxine|thyrax|euthyrox"),
];

/// Allergens (canonical lowercase name) and the ways they are written.
const ALLERGENS: &[(&str, &str)] = &[
    (
        "penicillin",
        r"penicillines|penicilline|penicillins|penicillin|peni",
    ),
    ("amoxicillin", r"amoxicilline|amoxicillin"),
    (
        "sulfonamides",
        r"sulfonamiden|sulfonamides|sulfa|sulphonamides|co-trimoxazol|cotrimoxazole",
    ),
    (
        "contrast agent",
        r"jodiumhoudend contrast|contrastmiddelen|contrastmiddel|contrast agents?|contrast media|iodinated contrast|contrast|jodium|iodine",
    ),
    ("nsaids", r"nsaids?|nsaid's|ibuprofen|diclofenac|naproxen"),
    ("latex", r"latex"),
    ("ace inhibitors", r"ace-remmers?|ace inhibitors?"),
    ("statins", r"statines|statins"),
    ("codeine", r"codeïne|codeine"),
    ("morphine", r"morfine|morphine"),
    (
        "acetylsalicylic acid",
        r"acetylsalicylzuur|aspirine|aspirin",
    ),
    ("peanuts", r"pinda's|pinda|peanuts?"),
    ("shellfish", r"schaaldieren|shellfish"),
];

/// A word list compiled into one case-insensitive, whole-word pattern per name.
type CompiledList = Vec<(&'static str, Regex)>;

fn compile(list: &[(&'static str, &str)]) -> CompiledList {
    list.iter()
        .map(|(name, forms)| {
            let pattern = format!(r"(?i)(?:^|[^\w/-])({forms})(?:[^\w/-]|$)");
            (
                *name,
                Regex::new(&pattern).expect("the word lists are valid patterns"),
            )
        })
        .collect()
}

/// All mentions of known diagnoses as (canonical name, span), in reading order.
/// Where two written forms overlap, the longer one wins ("diabetes mellitus" over "dm").
pub fn diagnosis_mentions(text: &str) -> Vec<(&'static str, Span)> {
    static LIST: OnceLock<CompiledList> = OnceLock::new();
    mentions(text, LIST.get_or_init(|| compile(DIAGNOSES)))
}

/// All mentions of the words in `list`, longest first where they overlap, in reading order.
fn mentions(text: &str, list: &[(&'static str, Regex)]) -> Vec<(&'static str, Span)> {
    let mut found: Vec<(&'static str, Span)> = Vec::new();
    for (name, pattern) in list {
        for captures in pattern.captures_iter(text) {
            let group = captures.get(1).expect("group 1 is the written form");
            found.push((name, char_span(text, group.start(), group.end())));
        }
    }
    found.sort_by_key(|(_, span)| (span.start, std::cmp::Reverse(span.len())));
    let mut kept: Vec<(&'static str, Span)> = Vec::new();
    for (name, span) in found {
        if kept.iter().all(|(_, other)| !other.overlaps(&span)) {
            kept.push((name, span));
        }
    }
    kept
}

/// All mentions of complaints that are reasons for referral, as (canonical reason, span).
pub fn reason_mentions(text: &str) -> Vec<(&'static str, Span)> {
    static LIST: OnceLock<CompiledList> = OnceLock::new();
    mentions(text, LIST.get_or_init(|| compile(REASONS)))
}

/// The dose, unit and frequency that may follow a medicine's name: `50 mg 2dd1`.
fn dose_pattern() -> &'static Regex {
    static DOSE: OnceLock<Regex> = OnceLock::new();
    DOSE.get_or_init(|| {
        Regex::new(concat!(
            r"(?i)^\s*(?:\(\w+\)\s*)?(\d+(?:[.,]\d+)?)\s*(mg|mcg|µg|microgram|microg|g|mmol|ie|e|eh|units?)\b\s*",
            r"(\d\s?dd\s?\d?|dd\s?\d|\dx\s?(?:daags|per dag|/dag)|o\.?d\.?|b\.?d\.?|b\.?i\.?d\.?|t\.?d\.?s\.?|t\.?i\.?d\.?",
            r"|q\.?d\.?|z\.?n\.?|p\.?r\.?n\.?|once daily|twice daily|three times daily|four times daily|as needed",
            r"|once a day|twice a day|daily|dagelijks)?"
        ))
        .expect("valid dose pattern")
    })
}

/// Medicines with dose, unit and frequency where they follow the name
/// (`metoprolol 50 mg 2dd1`). The span covers the whole mention.
pub fn medications(text: &str) -> Vec<Grounded> {
    static LIST: OnceLock<CompiledList> = OnceLock::new();
    let mut found: Vec<Grounded> = Vec::new();
    for (name, span) in mentions(text, LIST.get_or_init(|| compile(MEDICATIONS))) {
        if found.iter().any(|item| item.value["name"] == name) {
            continue;
        }
        let mut value = json!({"name": name});
        let mut evidence = span;
        let after = char_to_byte(text, span.end).expect("span inside text");
        if let Some(captures) = dose_pattern().captures(&text[after..]) {
            value["dose"] = parse_number(&captures[1])
                .map(number_value)
                .unwrap_or_default();
            value["unit"] = json!(canonical_unit(&captures[2]));
            if let Some(frequency) = captures.get(3) {
                value["frequency"] = json!(canonical_frequency(frequency.as_str()));
            }
            let written = captures[0].trim_end();
            evidence = Span::new(
                span.start,
                char_span(text, after, after + written.len()).end,
            );
        }
        found.push(Grounded::new(value, vec![evidence]));
    }
    found
}

/// Allergens named after an allergy heading or phrase ("Allergieën: penicilline", "allergic to"),
/// unless denied ("geen allergie voor penicilline").
pub fn allergies(text: &str) -> Vec<Grounded> {
    static LIST: OnceLock<CompiledList> = OnceLock::new();
    static CUE: OnceLock<Regex> = OnceLock::new();
    let list = LIST.get_or_init(|| compile(ALLERGENS));
    let cue = CUE.get_or_init(|| {
        Regex::new(r"(?i)(?:allergie(?:ën|en)?|allergisch voor|overgevoelig(?:heid)? voor|intolerantie|allerg(?:y|ies)|allergic to|intolerance)[^\n.]{0,80}")
            .expect("valid allergy cue")
    });
    let mut found: Vec<Grounded> = Vec::new();
    for cue_match in cue.find_iter(text) {
        let offset = char_span(text, 0, cue_match.start()).end;
        for (name, span) in mentions(cue_match.as_str(), list) {
            let span = span.shifted(offset);
            let denied = mention_status(text, span) == Status::Absent;
            if !denied && !found.iter().any(|item| item.value == name) {
                found.push(Grounded::new(json!(name), vec![span]));
            }
        }
    }
    found
}

/// Units as written → the canonical unit of the gold labels.
fn canonical_unit(written: &str) -> &'static str {
    match written.to_lowercase().as_str() {
        "mg" => "mg",
        "g" => "g",
        "mcg" | "µg" | "microgram" | "microg" => "microgram",
        "mmol" => "mmol",
        _ => "IU",
    }
}

/// Frequencies as written (`2dd1`, `b.d.`, `twice daily`) → a canonical frequency.
fn canonical_frequency(written: &str) -> &'static str {
    let compact: String = written
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect();
    match compact.as_str() {
        "2dd" | "2dd1" | "2dd2" | "2xdaags" | "2xperdag" | "2xdag" | "bd" | "bid"
        | "twicedaily" | "twiceaday" => "twice daily",
        "3dd" | "3dd1" | "3xdaags" | "3xperdag" | "3xdag" | "tds" | "tid" | "threetimesdaily" => {
            "three times daily"
        }
        "4dd" | "4dd1" | "4xdaags" | "fourtimesdaily" => "four times daily",
        "zn" | "prn" | "asneeded" => "as needed",
        _ => "once daily",
    }
}
