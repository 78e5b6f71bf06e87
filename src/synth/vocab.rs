//! The clinical vocabularies of the generator: every way a diagnosis, medicine, allergen,
//! referral reason or frequency is written, mapped to the one canonical value of the gold
//! labels. DATASHEET.md lists the same vocabularies for readers.

use crate::data::Lang;

/// How a diagnosis is mentioned (the `status` of the schema): the same statuses the
/// ConText rules of the extraction step recognise.
pub(crate) use crate::extract::context::Status;

use Status::{Absent, Family, Historical, Hypothetical, Present};

/// A diagnosis (or, for the history, a procedure) and how it is written.
#[derive(Debug)]
pub(crate) struct Diagnosis {
    /// Canonical English lowercase name: the gold value.
    pub name: &'static str,
    /// Dutch words for it.
    pub nl: &'static [&'static str],
    /// English words for it.
    pub en: &'static [&'static str],
    /// Abbreviations, used in letters of both languages.
    pub abbreviations: &'static [&'static str],
    /// The statuses it can have in a letter.
    pub statuses: &'static [Status],
}

/// The diagnosis vocabulary.
pub(crate) const DIAGNOSES: [Diagnosis; 21] = [
    Diagnosis {
        name: "atrial fibrillation",
        nl: &[
            "atriumfibrilleren",
            "boezemfibrilleren",
            "paroxysmaal atriumfibrilleren",
        ],
        en: &["atrial fibrillation", "paroxysmal atrial fibrillation"],
        abbreviations: &["AF", "AFib", "PAF"],
        statuses: &[Present, Absent, Family, Hypothetical],
    },
    Diagnosis {
        name: "heart failure",
        nl: &["hartfalen", "decompensatio cordis"],
        en: &["heart failure", "congestive cardiac failure"],
        abbreviations: &["HF", "HFrEF", "CHF"],
        statuses: &[Present, Absent, Hypothetical],
    },
    Diagnosis {
        name: "hypertension",
        nl: &["hypertensie", "hoge bloeddruk"],
        en: &["hypertension", "high blood pressure"],
        abbreviations: &["HT", "HTN"],
        statuses: &[Present, Absent, Family],
    },
    Diagnosis {
        name: "diabetes mellitus type 2",
        nl: &[
            "diabetes mellitus type 2",
            "diabetes mellitus type II",
            "suikerziekte",
        ],
        en: &["type 2 diabetes", "type 2 diabetes mellitus", "diabetes"],
        abbreviations: &["DM2", "DM II", "T2DM", "DM"],
        statuses: &[Present, Absent, Family],
    },
    Diagnosis {
        name: "myocardial infarction",
        nl: &["hartinfarct", "myocardinfarct", "hartaanval"],
        en: &["myocardial infarction", "heart attack"],
        abbreviations: &["MI", "NSTEMI", "STEMI"],
        statuses: &[Historical, Family, Absent],
    },
    Diagnosis {
        name: "coronary artery disease",
        nl: &["coronairlijden", "coronaire hartziekte"],
        en: &["coronary artery disease", "ischaemic heart disease"],
        abbreviations: &["CAD", "IHD"],
        statuses: &[Present, Hypothetical, Family],
    },
    Diagnosis {
        name: "angina pectoris",
        nl: &["angina pectoris", "stabiele angina pectoris"],
        en: &["angina", "stable angina"],
        abbreviations: &["AP"],
        statuses: &[Present, Hypothetical, Absent],
    },
    Diagnosis {
        name: "hypercholesterolaemia",
        nl: &[
            "hypercholesterolemie",
            "dyslipidemie",
            "verhoogd cholesterol",
        ],
        en: &[
            "hypercholesterolaemia",
            "hyperlipidaemia",
            "high cholesterol",
        ],
        abbreviations: &[],
        statuses: &[Present, Family],
    },
    Diagnosis {
        name: "chronic kidney disease",
        nl: &["chronische nierschade", "nierinsufficiëntie"],
        en: &["chronic kidney disease"],
        abbreviations: &["CKD"],
        statuses: &[Present],
    },
    Diagnosis {
        name: "copd",
        nl: &["COPD"],
        en: &["COPD", "chronic obstructive pulmonary disease"],
        abbreviations: &["COPD"],
        statuses: &[Present, Absent],
    },
    Diagnosis {
        name: "stroke",
        nl: &["CVA", "herseninfarct"],
        en: &["stroke", "CVA"],
        abbreviations: &["CVA"],
        statuses: &[Historical, Family, Absent],
    },
    Diagnosis {
        name: "transient ischaemic attack",
        nl: &["TIA"],
        en: &["TIA", "transient ischaemic attack"],
        abbreviations: &["TIA"],
        statuses: &[Historical, Absent],
    },
    Diagnosis {
        name: "endocarditis",
        nl: &["endocarditis"],
        en: &["endocarditis", "infective endocarditis"],
        abbreviations: &[],
        statuses: &[Hypothetical, Historical],
    },
    Diagnosis {
        name: "aortic stenosis",
        nl: &["aortaklepstenose", "aortastenose"],
        en: &["aortic stenosis"],
        abbreviations: &["AS"],
        statuses: &[Present, Hypothetical],
    },
    Diagnosis {
        name: "pulmonary embolism",
        nl: &["longembolie", "longembolieën"],
        en: &["pulmonary embolism"],
        abbreviations: &["PE"],
        statuses: &[Historical, Hypothetical],
    },
    Diagnosis {
        name: "mitral regurgitation",
        nl: &["mitralisklepinsufficiëntie", "mitralisinsufficiëntie"],
        en: &["mitral regurgitation"],
        abbreviations: &["MR", "MI-lek"],
        statuses: &[Present, Hypothetical],
    },
    Diagnosis {
        name: "cardiomyopathy",
        nl: &["cardiomyopathie"],
        en: &["cardiomyopathy"],
        abbreviations: &["CMP"],
        statuses: &[Family, Hypothetical],
    },
    Diagnosis {
        name: "sudden cardiac death",
        nl: &["plotse hartdood", "plotselinge hartdood"],
        en: &["sudden cardiac death"],
        abbreviations: &["SCD"],
        statuses: &[Family],
    },
    Diagnosis {
        name: "coronary artery bypass grafting",
        nl: &["coronaire bypassoperatie", "bypassoperatie"],
        en: &["coronary artery bypass grafting", "bypass surgery"],
        abbreviations: &["CABG"],
        statuses: &[Historical],
    },
    Diagnosis {
        name: "percutaneous coronary intervention",
        nl: &["dotterbehandeling", "PCI met stent"],
        en: &["coronary stenting", "percutaneous coronary intervention"],
        abbreviations: &["PCI"],
        statuses: &[Historical],
    },
    Diagnosis {
        name: "obstructive sleep apnoea",
        nl: &["obstructief slaapapneusyndroom", "slaapapneu"],
        en: &["obstructive sleep apnoea", "sleep apnoea"],
        abbreviations: &["OSAS", "OSA"],
        statuses: &[Present, Hypothetical, Absent],
    },
];

/// The diagnosis called `name`.
pub(crate) fn diagnosis(name: &str) -> &'static Diagnosis {
    DIAGNOSES
        .iter()
        .find(|d| d.name == name)
        .expect("a name from the vocabulary")
}

/// The unit of a medicine dose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unit {
    Mg,
    Microgram,
    Mmol,
}

impl Unit {
    pub fn canonical(self) -> &'static str {
        match self {
            Unit::Mg => "mg",
            Unit::Microgram => "microgram",
            Unit::Mmol => "mmol",
        }
    }

    /// Ways the unit is written.
    pub fn surfaces(self, lang: Lang) -> &'static [&'static str] {
        match (self, lang) {
            (Unit::Mg, Lang::Nl) => &["mg", "mg", "mg", "milligram"],
            (Unit::Mg, Lang::En) => &["mg", "mg", "mg", "milligrams"],
            (Unit::Microgram, Lang::Nl) => &["microgram", "mcg", "µg"],
            (Unit::Microgram, Lang::En) => &["micrograms", "microgram", "mcg"],
            (Unit::Mmol, _) => &["mmol"],
        }
    }
}

/// How often a medicine is taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Frequency {
    Once,
    Twice,
    Thrice,
    AsNeeded,
}

impl Frequency {
    pub fn canonical(self) -> &'static str {
        match self {
            Frequency::Once => "once daily",
            Frequency::Twice => "twice daily",
            Frequency::Thrice => "three times daily",
            Frequency::AsNeeded => "as needed",
        }
    }

    /// Ways the frequency is written. Dutch prescriptions write `2dd1`: twice a day one tablet.
    pub fn surfaces(self, lang: Lang) -> &'static [&'static str] {
        match (self, lang) {
            (Frequency::Once, Lang::Nl) => &[
                "1dd1",
                "1dd1",
                "1 dd 1",
                "1dd",
                "1x daags",
                "1x per dag",
                "1-0-0",
                "dd 1",
            ],
            (Frequency::Twice, Lang::Nl) => {
                &["2dd1", "2dd1", "2 dd 1", "2x daags", "2x per dag", "1-0-1"]
            }
            (Frequency::Thrice, Lang::Nl) => &["3dd1", "3 dd 1", "3x daags", "3x per dag"],
            (Frequency::AsNeeded, Lang::Nl) => &["z.n.", "zo nodig", "zn"],
            (Frequency::Once, Lang::En) => &[
                "od",
                "OD",
                "o.d.",
                "once daily",
                "once a day",
                "mane",
                "nocte",
            ],
            (Frequency::Twice, Lang::En) => {
                &["bd", "BD", "b.d.", "twice daily", "bid", "twice a day"]
            }
            (Frequency::Thrice, Lang::En) => &["tds", "t.d.s.", "three times daily", "tid"],
            (Frequency::AsNeeded, Lang::En) => &["prn", "PRN", "as required", "when required"],
        }
    }
}

/// A medicine and how it is written.
#[derive(Debug, PartialEq)]
pub(crate) struct Drug {
    /// Generic lowercase name: the gold value.
    pub name: &'static str,
    pub nl: &'static [&'static str],
    pub en: &'static [&'static str],
    /// Strengths as prescribed (amount and unit); empty for a medicine dosed by a clinic.
    pub doses: &'static [(f64, Unit)],
    pub frequencies: &'static [Frequency],
    /// A group name: two drugs of one group are not prescribed together.
    pub group: &'static str,
}

use Frequency::{AsNeeded, Once, Thrice, Twice};
use Unit::{Mg, Microgram, Mmol};

/// The medicine vocabulary.
pub(crate) const DRUGS: [Drug; 30] = [
    Drug {
        name: "metoprolol",
        nl: &["metoprolol", "metoprolol retard", "Selokeen ZOC"],
        en: &["metoprolol"],
        doses: &[(25.0, Mg), (50.0, Mg), (100.0, Mg), (200.0, Mg)],
        frequencies: &[Once, Twice],
        group: "beta blocker",
    },
    Drug {
        name: "bisoprolol",
        nl: &["bisoprolol", "Emcor"],
        en: &["bisoprolol"],
        doses: &[(1.25, Mg), (2.5, Mg), (5.0, Mg), (10.0, Mg)],
        frequencies: &[Once],
        group: "beta blocker",
    },
    Drug {
        name: "acetylsalicylic acid",
        nl: &["acetylsalicylzuur", "Ascal", "ASA"],
        en: &["aspirin"],
        doses: &[(80.0, Mg), (75.0, Mg)],
        frequencies: &[Once],
        group: "antiplatelet",
    },
    Drug {
        name: "clopidogrel",
        nl: &["clopidogrel", "Plavix"],
        en: &["clopidogrel"],
        doses: &[(75.0, Mg)],
        frequencies: &[Once],
        group: "p2y12",
    },
    Drug {
        name: "ticagrelor",
        nl: &["ticagrelor", "Brilique"],
        en: &["ticagrelor"],
        doses: &[(90.0, Mg), (60.0, Mg)],
        frequencies: &[Twice],
        group: "p2y12",
    },
    Drug {
        name: "apixaban",
        nl: &["apixaban", "Eliquis"],
        en: &["apixaban", "Eliquis"],
        doses: &[(2.5, Mg), (5.0, Mg)],
        frequencies: &[Twice],
        group: "anticoagulant",
    },
    Drug {
        name: "rivaroxaban",
        nl: &["rivaroxaban", "Xarelto"],
        en: &["rivaroxaban"],
        doses: &[(15.0, Mg), (20.0, Mg)],
        frequencies: &[Once],
        group: "anticoagulant",
    },
    Drug {
        name: "acenocoumarol",
        nl: &["acenocoumarol", "Sintrom"],
        en: &[],
        doses: &[],
        frequencies: &[],
        group: "anticoagulant",
    },
    Drug {
        name: "warfarin",
        nl: &[],
        en: &["warfarin"],
        doses: &[],
        frequencies: &[],
        group: "anticoagulant",
    },
    Drug {
        name: "atorvastatin",
        nl: &["atorvastatine", "Lipitor"],
        en: &["atorvastatin"],
        doses: &[(10.0, Mg), (20.0, Mg), (40.0, Mg), (80.0, Mg)],
        frequencies: &[Once],
        group: "statin",
    },
    Drug {
        name: "rosuvastatin",
        nl: &["rosuvastatine", "Crestor"],
        en: &["rosuvastatin"],
        doses: &[(5.0, Mg), (10.0, Mg), (20.0, Mg)],
        frequencies: &[Once],
        group: "statin",
    },
    Drug {
        name: "simvastatin",
        nl: &["simvastatine"],
        en: &["simvastatin"],
        doses: &[(20.0, Mg), (40.0, Mg)],
        frequencies: &[Once],
        group: "statin",
    },
    Drug {
        name: "furosemide",
        nl: &["furosemide", "Lasix"],
        en: &["furosemide"],
        doses: &[(20.0, Mg), (40.0, Mg), (80.0, Mg)],
        frequencies: &[Once, Twice],
        group: "loop diuretic",
    },
    Drug {
        name: "bumetanide",
        nl: &["bumetanide", "Burinex"],
        en: &["bumetanide"],
        doses: &[(1.0, Mg), (2.0, Mg)],
        frequencies: &[Once],
        group: "loop diuretic",
    },
    Drug {
        name: "spironolactone",
        nl: &["spironolacton", "Aldactone"],
        en: &["spironolactone"],
        doses: &[(12.5, Mg), (25.0, Mg), (50.0, Mg)],
        frequencies: &[Once],
        group: "mra",
    },
    Drug {
        name: "hydrochlorothiazide",
        nl: &["hydrochloorthiazide"],
        en: &["hydrochlorothiazide"],
        doses: &[(12.5, Mg), (25.0, Mg)],
        frequencies: &[Once],
        group: "thiazide",
    },
    Drug {
        name: "lisinopril",
        nl: &["lisinopril"],
        en: &["lisinopril"],
        doses: &[(5.0, Mg), (10.0, Mg), (20.0, Mg)],
        frequencies: &[Once],
        group: "raas",
    },
    Drug {
        name: "ramipril",
        nl: &["ramipril", "Tritace"],
        en: &["ramipril"],
        doses: &[(2.5, Mg), (5.0, Mg), (10.0, Mg)],
        frequencies: &[Once],
        group: "raas",
    },
    Drug {
        name: "enalapril",
        nl: &["enalapril"],
        en: &["enalapril"],
        doses: &[(5.0, Mg), (10.0, Mg), (20.0, Mg)],
        frequencies: &[Twice],
        group: "raas",
    },
    Drug {
        name: "losartan",
        nl: &["losartan", "Cozaar"],
        en: &["losartan"],
        doses: &[(50.0, Mg), (100.0, Mg)],
        frequencies: &[Once],
        group: "raas",
    },
    Drug {
        name: "candesartan",
        nl: &["candesartan", "Atacand"],
        en: &["candesartan"],
        doses: &[(8.0, Mg), (16.0, Mg), (32.0, Mg)],
        frequencies: &[Once],
        group: "raas",
    },
    Drug {
        name: "amlodipine",
        nl: &["amlodipine"],
        en: &["amlodipine"],
        doses: &[(5.0, Mg), (10.0, Mg)],
        frequencies: &[Once],
        group: "calcium antagonist",
    },
    Drug {
        name: "digoxin",
        nl: &["digoxine"],
        en: &["digoxin"],
        doses: &[(0.125, Mg), (62.5, Microgram), (125.0, Microgram)],
        frequencies: &[Once],
        group: "digoxin",
    },
    Drug {
        name: "metformin",
        nl: &["metformine"],
        en: &["metformin"],
        doses: &[(500.0, Mg), (850.0, Mg), (1000.0, Mg)],
        frequencies: &[Twice, Thrice],
        group: "metformin",
    },
    Drug {
        name: "dapagliflozin",
        nl: &["dapagliflozine", "Forxiga"],
        en: &["dapagliflozin"],
        doses: &[(10.0, Mg)],
        frequencies: &[Once],
        group: "sglt2",
    },
    Drug {
        name: "empagliflozin",
        nl: &["empagliflozine", "Jardiance"],
        en: &["empagliflozin"],
        doses: &[(10.0, Mg), (25.0, Mg)],
        frequencies: &[Once],
        group: "sglt2",
    },
    Drug {
        name: "pantoprazole",
        nl: &["pantoprazol"],
        en: &["pantoprazole"],
        doses: &[(20.0, Mg), (40.0, Mg)],
        frequencies: &[Once],
        group: "ppi",
    },
    Drug {
        name: "nitroglycerin",
        nl: &["nitroglycerine spray", "nitrospray"],
        en: &["GTN spray", "glyceryl trinitrate spray"],
        doses: &[(0.4, Mg), (400.0, Microgram)],
        frequencies: &[AsNeeded],
        group: "nitrate",
    },
    Drug {
        name: "potassium chloride",
        nl: &["kaliumchloride", "KCl"],
        en: &["potassium chloride"],
        doses: &[(8.0, Mmol), (12.0, Mmol)],
        frequencies: &[Twice, Thrice],
        group: "potassium",
    },
    Drug {
        name: "levothyroxine",
        nl: &["levothyroxine", "Thyrax"],
        en: &["levothyroxine"],
        doses: &[(50.0, Microgram), (75.0, Microgram), (100.0, Microgram)],
        frequencies: &[Once],
        group: "thyroid",
    },
];

/// An allergen and how it is written.
#[derive(Debug)]
pub(crate) struct Allergen {
    pub name: &'static str,
    pub nl: &'static [&'static str],
    pub en: &'static [&'static str],
    pub reaction_nl: &'static [&'static str],
    pub reaction_en: &'static [&'static str],
}

/// The allergen vocabulary.
pub(crate) const ALLERGENS: [Allergen; 8] = [
    Allergen {
        name: "penicillin",
        nl: &["penicilline", "penicillines"],
        en: &["penicillin"],
        reaction_nl: &["exantheem", "huiduitslag"],
        reaction_en: &["rash", "hives"],
    },
    Allergen {
        name: "amoxicillin",
        nl: &["amoxicilline"],
        en: &["amoxicillin"],
        reaction_nl: &["huiduitslag"],
        reaction_en: &["rash"],
    },
    Allergen {
        name: "contrast agent",
        nl: &["jodiumhoudend contrast", "contrastmiddel"],
        en: &["iodinated contrast", "contrast media"],
        reaction_nl: &["urticaria", "benauwdheid"],
        reaction_en: &["urticaria", "wheeze"],
    },
    Allergen {
        name: "nsaids",
        nl: &["NSAID's", "NSAIDs"],
        en: &["NSAIDs"],
        reaction_nl: &["bronchospasme", "maagklachten"],
        reaction_en: &["bronchospasm"],
    },
    Allergen {
        name: "latex",
        nl: &["latex"],
        en: &["latex"],
        reaction_nl: &["contacteczeem"],
        reaction_en: &["contact dermatitis"],
    },
    Allergen {
        name: "codeine",
        nl: &["codeïne"],
        en: &["codeine"],
        reaction_nl: &["misselijkheid", "braken"],
        reaction_en: &["vomiting"],
    },
    Allergen {
        name: "sulfonamides",
        nl: &["sulfonamiden", "co-trimoxazol"],
        en: &["sulphonamides", "co-trimoxazole"],
        reaction_nl: &["exantheem"],
        reaction_en: &["rash"],
    },
    Allergen {
        name: "ace inhibitors",
        nl: &["ACE-remmers"],
        en: &["ACE inhibitors"],
        reaction_nl: &["prikkelhoest", "angio-oedeem"],
        reaction_en: &["dry cough", "angio-oedema"],
    },
];

/// A reason for referral: canonical English short text (the gold value) and how it is written.
#[derive(Debug)]
pub(crate) struct Reason {
    pub name: &'static str,
    pub nl: &'static [&'static str],
    pub en: &'static [&'static str],
}

/// The referral reasons.
pub(crate) const REASONS: [Reason; 9] = [
    Reason {
        name: "palpitations",
        nl: &["hartkloppingen", "palpitaties"],
        en: &["palpitations"],
    },
    Reason {
        name: "chest pain on exertion",
        nl: &[
            "pijn op de borst bij inspanning",
            "drukkend gevoel op de borst bij inspanning",
        ],
        en: &[
            "chest pain on exertion",
            "exertional chest pain",
            "chest tightness on exertion",
        ],
    },
    Reason {
        name: "dyspnoea on exertion",
        nl: &["kortademigheid bij inspanning", "dyspnoe d'effort"],
        en: &[
            "shortness of breath on exertion",
            "exertional dyspnoea",
            "breathlessness on exertion",
        ],
    },
    Reason {
        name: "heart murmur",
        nl: &["een souffle", "een hartgeruis"],
        en: &["a heart murmur", "a systolic murmur"],
    },
    Reason {
        name: "ankle oedema",
        nl: &["enkeloedeem", "dikke enkels"],
        en: &["ankle swelling", "ankle oedema"],
    },
    Reason {
        name: "abnormal ecg",
        nl: &["een afwijkend ECG", "afwijkingen op het ECG"],
        en: &["an abnormal ECG", "ECG abnormalities"],
    },
    Reason {
        name: "dizziness",
        nl: &["duizeligheid", "duizeligheidsklachten"],
        en: &["dizziness", "dizzy spells"],
    },
    Reason {
        name: "preoperative assessment",
        nl: &[
            "preoperatieve beoordeling",
            "cardiale screening voor een operatie",
        ],
        en: &["preoperative assessment", "cardiac review before surgery"],
    },
    Reason {
        name: "fatigue",
        nl: &["moeheid", "vermoeidheidsklachten"],
        en: &["fatigue", "tiredness"],
    },
];

/// A relative, for the family history.
#[derive(Debug)]
pub(crate) struct Relative {
    pub nl: &'static str,
    pub en: &'static str,
}

pub(crate) const RELATIVES: [Relative; 6] = [
    Relative {
        nl: "vader",
        en: "father",
    },
    Relative {
        nl: "moeder",
        en: "mother",
    },
    Relative {
        nl: "broer",
        en: "brother",
    },
    Relative {
        nl: "zus",
        en: "sister",
    },
    Relative {
        nl: "oom",
        en: "uncle",
    },
    Relative {
        nl: "tante",
        en: "aunt",
    },
];

/// A number as a Dutch letter writes it: decimal comma (`2,5`).
pub(crate) fn decimal(amount: f64, lang: Lang) -> String {
    let written = format!("{amount}");
    match lang {
        Lang::Nl => written.replace('.', ","),
        Lang::En => written,
    }
}

/// A number as JSON: whole numbers without `.0`.
pub(crate) fn number_json(amount: f64) -> serde_json::Value {
    if amount.fract() == 0.0 && amount.abs() < 1e15 {
        serde_json::json!(amount as i64)
    } else {
        serde_json::json!(amount)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_diagnosis_can_be_written_in_both_languages() {
        for diagnosis in &DIAGNOSES {
            assert!(
                !diagnosis.nl.is_empty() && !diagnosis.en.is_empty(),
                "{}",
                diagnosis.name
            );
            assert!(!diagnosis.statuses.is_empty());
        }
    }

    #[test]
    fn numbers_are_written_per_language() {
        assert_eq!(decimal(2.5, Lang::Nl), "2,5");
        assert_eq!(decimal(2.5, Lang::En), "2.5");
        assert_eq!(decimal(40.0, Lang::Nl), "40");
        assert_eq!(number_json(40.0), serde_json::json!(40));
        assert_eq!(number_json(0.125), serde_json::json!(0.125));
    }
}
