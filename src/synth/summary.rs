//! The reference summary of a generated referral letter: what a cardiologist would jot
//! down after reading it, written from the gold facts.
//!
//! It is phrased the way doctors write notes ("Vrouw van 43 jaar, regulier verwezen i.v.m.
//! palpitaties. VG: aortastenose, atriumfibrilleren."), not in the words of
//! [`crate::summarise::template_summary`]: ROUGE-L against a reference that the template
//! wrote itself would only measure how alike two copies of one template are.
//!
//! The summary uses its own random stream (`"summary"`), so adding it leaves every letter,
//! gold field and PHI span of a corpus exactly as it was.

use serde_json::Value;

use crate::data::{Document, FieldValue, Grounded, Lang, SummaryLine};
use crate::text::Span;

use super::rng::Rng;
use super::vocab::{self, decimal, ALLERGENS, DRUGS, REASONS};

/// Writes the reference summary of `letter` from its gold `fields`, in the letter's
/// language: a line on who and why, the history (diagnoses, what the patient does not
/// have, family history, allergies, smoking), the medication, the key findings and the
/// referrer's question. Each line carries the spans of the gold values it states.
/// `rng` picks between a few ways of phrasing; the letter and its fields are not touched.
///
/// ```
/// use clinkit::synth::{generate_referral, reference_summary, Rng};
/// let letter = generate_referral(42, 0).document;
/// let lines = reference_summary(&letter, &mut Rng::for_item(42, "summary", 0));
/// assert_eq!(lines[0].section, "who");
/// assert_eq!(lines, letter.summary); // what the generator stores with the letter
/// ```
pub fn reference_summary(letter: &Document, rng: &mut Rng) -> Vec<SummaryLine> {
    let notes = Notes {
        letter,
        nl: letter.lang == Lang::Nl,
    };
    let mut lines = Vec::new();
    lines.extend(notes.who(rng));
    lines.extend(notes.history(rng));
    lines.extend(notes.medication(rng));
    lines.extend(notes.findings(rng));
    lines.extend(notes.question(rng));
    lines
}

/// The letter being summarised, with the helpers every line needs.
struct Notes<'a> {
    letter: &'a Document,
    nl: bool,
}

impl<'a> Notes<'a> {
    fn items(&self, field: &str) -> &'a [Grounded] {
        self.letter.fields.get(field).map_or(&[], FieldValue::items)
    }

    fn single(&self, field: &str) -> Option<&'a Grounded> {
        self.items(field).first()
    }

    /// Dutch or English words.
    fn say(&self, nl: &'static str, en: &'static str) -> &'static str {
        if self.nl {
            nl
        } else {
            en
        }
    }

    fn number(&self, value: &Value) -> String {
        match value.as_f64() {
            Some(amount) => decimal(amount, self.letter.lang),
            None => value.as_str().unwrap_or_default().to_string(),
        }
    }

    /// "Vrouw van 43 jaar, regulier verwezen i.v.m. palpitaties."
    fn who(&self, rng: &mut Rng) -> Option<SummaryLine> {
        let (age, sex) = (self.single("age"), self.single("sex"));
        let (reason, urgency) = (self.single("referral_reason"), self.single("urgency"));
        let person = match sex.and_then(|s| s.value.as_str()) {
            Some("male") => self.say("man", "man"),
            Some("female") => self.say("vrouw", "woman"),
            _ => self.say("patiënt", "patient"),
        };
        let mut text = match (age, self.nl, rng.chance(50)) {
            (Some(age), true, true) => format!("{} van {} jaar", capital(person), age.value),
            (Some(age), true, false) => format!("{}-jarige {person}", age.value),
            (Some(age), false, true) => format!("{}-year-old {person}", age.value),
            (Some(age), false, false) => format!("{}, {} years old", capital(person), age.value),
            (None, _, _) => capital(person),
        };
        let urgent = urgency.map(|u| u.value == "urgent");
        let referred = match (urgent, self.nl) {
            (Some(true), true) => "met spoed verwezen",
            (Some(false), true) => "regulier verwezen",
            (None, true) => "verwezen",
            (Some(true), false) => "urgent referral",
            (Some(false), false) => "routine referral",
            (None, false) => "referred",
        };
        match reason.and_then(|r| reason_words(r, self.letter.lang)) {
            Some(words) => {
                let because = self.say("i.v.m.", "for");
                text.push_str(&format!(", {referred} {because} {words}."));
            }
            None => text.push_str(&format!(", {referred}.")),
        }
        let spans = spans_of([age, sex, reason, urgency].into_iter().flatten());
        (!spans.is_empty()).then(|| line("who", text, spans))
    }

    /// The diagnoses by status, then allergies and smoking: one line each.
    fn history(&self, rng: &mut Rng) -> Vec<SummaryLine> {
        let diagnoses = self.items("diagnoses");
        let with_status = |statuses: &[&str]| -> Vec<&Grounded> {
            diagnoses
                .iter()
                .filter(|d| statuses.contains(&d.value["status"].as_str().unwrap_or("present")))
                .collect()
        };
        let mut lines = Vec::new();
        let known = with_status(&["present", "historical"]);
        if !known.is_empty() {
            let names: Vec<String> = known.iter().map(|d| self.history_item(d)).collect();
            let label = if rng.chance(50) {
                self.say("VG", "PMH")
            } else {
                self.say("Voorgeschiedenis", "Past history")
            };
            lines.push(line(
                "history",
                format!("{label}: {}.", names.join(", ")),
                spans_of(known.into_iter()),
            ));
        }
        let absent = with_status(&["absent"]);
        if !absent.is_empty() {
            let names: Vec<String> = absent.iter().map(|d| self.diagnosis_name(d)).collect();
            let text = if self.nl {
                format!("Geen {}.", join_or(&names, "of"))
            } else {
                format!("No {}.", join_or(&names, "or"))
            };
            lines.push(line("history", text, spans_of(absent.into_iter())));
        }
        let family = with_status(&["family"]);
        if !family.is_empty() {
            let names: Vec<String> = family.iter().map(|d| self.diagnosis_name(d)).collect();
            let label = self.say("Familieanamnese positief voor", "FHx");
            let separator = if self.nl { " " } else { ": " };
            lines.push(line(
                "history",
                format!("{label}{separator}{}.", names.join(", ")),
                spans_of(family.into_iter()),
            ));
        }
        let allergies = self.items("allergies");
        if !allergies.is_empty() {
            let names: Vec<&str> = allergies
                .iter()
                .map(|a| allergen_word(a, self.letter.lang))
                .collect();
            let label = self.say("Allergisch voor", "Allergic to");
            lines.push(line(
                "history",
                format!("{label} {}.", names.join(", ")),
                spans_of(allergies.iter()),
            ));
        }
        if let Some(smoking) = self.single("smoking") {
            let text = match (smoking.value.as_str(), self.nl) {
                (Some("current"), true) => "Rookt.",
                (Some("former"), true) => "Gestopt met roken.",
                (_, true) => "Nooit gerookt.",
                (Some("current"), false) => "Current smoker.",
                (Some("former"), false) => "Ex-smoker.",
                (_, false) => "Never smoked.",
            };
            lines.push(line("history", text.to_string(), smoking.spans.clone()));
        }
        lines
    }

    /// A known diagnosis, "st.n." before a past event.
    fn history_item(&self, diagnosis: &Grounded) -> String {
        let name = self.diagnosis_name(diagnosis);
        if diagnosis.value["status"] == "historical" {
            format!("{} {name}", self.say("st.n.", "previous"))
        } else {
            name
        }
    }

    /// A diagnosis in the words a doctor of the letter's language uses.
    fn diagnosis_name(&self, diagnosis: &Grounded) -> String {
        let name = diagnosis.value["name"].as_str().unwrap_or_default();
        let known = vocab::DIAGNOSES.iter().find(|d| d.name == name);
        let word = match known {
            Some(d) if self.nl => d.nl.first().copied(),
            Some(d) => d.abbreviations.first().or(d.en.first()).copied(),
            None => None,
        };
        word.unwrap_or(name).to_string()
    }

    /// "Medicatie: bisoprolol 2,5 mg 1dd, ..."
    fn medication(&self, rng: &mut Rng) -> Option<SummaryLine> {
        let medicines = self.items("medications");
        if medicines.is_empty() {
            return None;
        }
        let written: Vec<String> = medicines.iter().map(|m| self.prescription(m)).collect();
        let label = if rng.chance(50) {
            self.say("Med", "DHx")
        } else {
            self.say("Medicatie", "Medication")
        };
        Some(line(
            "medication",
            format!("{label}: {}.", written.join(", ")),
            spans_of(medicines.iter()),
        ))
    }

    /// One medicine as on a prescription: name, dose, unit, short frequency.
    fn prescription(&self, medicine: &Grounded) -> String {
        let value = &medicine.value;
        let name = value["name"].as_str().unwrap_or_default();
        let mut words = vec![drug_word(name, self.letter.lang).to_string()];
        if let Some(dose) = value.get("dose").filter(|d| d.is_number()) {
            words.push(self.number(dose));
            let unit = value["unit"].as_str().unwrap_or("mg");
            words.push(if unit == "microgram" { "µg" } else { unit }.to_string());
        }
        let frequency = match (value["frequency"].as_str(), self.nl) {
            (Some("once daily"), true) => Some("1dd"),
            (Some("twice daily"), true) => Some("2dd"),
            (Some("three times daily"), true) => Some("3dd"),
            (Some("as needed"), true) => Some("z.n."),
            (Some("once daily"), false) => Some("od"),
            (Some("twice daily"), false) => Some("bd"),
            (Some("three times daily"), false) => Some("tds"),
            (Some("as needed"), false) => Some("prn"),
            _ => None,
        };
        words.extend(frequency.map(str::to_string));
        words.join(" ")
    }

    /// "LVEF 35%, NYHA II, RR 142/88, NT-proBNP 1326 ng/l, eGFR 67."
    fn findings(&self, rng: &mut Rng) -> Option<SummaryLine> {
        let mut parts = Vec::new();
        let mut used = Vec::new();
        if let Some(lvef) = self.single("lvef_percent") {
            let label = if rng.chance(50) { "EF" } else { "LVEF" };
            parts.push(format!("{label} {}%", self.number(&lvef.value)));
            used.push(lvef);
        }
        if let Some(nyha) = self.single("nyha_class") {
            parts.push(format!("NYHA {}", self.number(&nyha.value)));
            used.push(nyha);
        }
        if let (Some(high), Some(low)) = (self.single("bp_systolic"), self.single("bp_diastolic")) {
            let label = self.say("RR", "BP");
            parts.push(format!(
                "{label} {}/{}",
                self.number(&high.value),
                self.number(&low.value)
            ));
            used.extend([high, low]);
        }
        if let Some(bnp) = self.single("ntprobnp_ng_l") {
            let unit = self.say("ng/l", "ng/L");
            parts.push(format!("NT-proBNP {} {unit}", self.number(&bnp.value)));
            used.push(bnp);
        }
        if let Some(egfr) = self.single("egfr") {
            parts.push(format!("eGFR {}", self.number(&egfr.value)));
            used.push(egfr);
        }
        if parts.is_empty() {
            return None;
        }
        Some(line(
            "findings",
            format!("{}.", parts.join(", ")),
            spans_of(used.into_iter()),
        ))
    }

    /// "Vraag: aanwijzingen voor endocarditis?"
    fn question(&self, rng: &mut Rng) -> Option<SummaryLine> {
        let asked: Vec<&Grounded> = self
            .items("diagnoses")
            .iter()
            .filter(|d| d.value["status"] == "hypothetical")
            .collect();
        if asked.is_empty() {
            return None;
        }
        let names: Vec<String> = asked.iter().map(|d| self.diagnosis_name(d)).collect();
        let text = match (self.nl, rng.chance(50)) {
            (true, true) => format!("Vraag: aanwijzingen voor {}?", join_or(&names, "of")),
            (true, false) => format!("Graag beoordeling: {}?", join_or(&names, "of")),
            (false, true) => format!("Query {}.", join_or(&names, "or")),
            (false, false) => format!("Please assess for {}.", join_or(&names, "or")),
        };
        Some(line("questions", text, spans_of(asked.into_iter())))
    }
}

fn line(section: &str, text: String, spans: Vec<Span>) -> SummaryLine {
    SummaryLine {
        section: section.to_string(),
        text,
        spans,
    }
}

/// The evidence spans of the values a line states, sorted, without repeats.
fn spans_of<'b>(items: impl Iterator<Item = &'b Grounded>) -> Vec<Span> {
    let mut spans: Vec<Span> = items.flat_map(|item| item.spans.iter().copied()).collect();
    spans.sort();
    spans.dedup();
    spans
}

fn capital(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// "a, b of c": a list with its last two joined by `or` (Dutch `of`).
fn join_or(names: &[String], or: &str) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} {or} {last}", rest.join(", ")),
    }
}

/// The reason for referral in the letter's language, without a leading "a"/"een".
fn reason_words(reason: &Grounded, lang: Lang) -> Option<&'static str> {
    let name = reason.value.as_str()?;
    let known = REASONS.iter().find(|r| r.name == name)?;
    let words = match lang {
        Lang::Nl => known.nl.first()?,
        Lang::En => known.en.first()?,
    };
    Some(
        words
            .strip_prefix("een ")
            .or_else(|| words.strip_prefix("an "))
            .or_else(|| words.strip_prefix("a "))
            .unwrap_or(words),
    )
}

/// A medicine's generic name in the letter's language ("metoprolol", "pantoprazol").
fn drug_word(name: &str, lang: Lang) -> &str {
    let known = DRUGS.iter().find(|d| d.name == name);
    let word = known.and_then(|d| match lang {
        Lang::Nl => d.nl.first(),
        Lang::En => d.en.first(),
    });
    word.copied().unwrap_or(name)
}

/// An allergen in the letter's language.
fn allergen_word(allergy: &Grounded, lang: Lang) -> &str {
    let name = allergy.value.as_str().unwrap_or_default();
    let known = ALLERGENS.iter().find(|a| a.name == name);
    let word = known.and_then(|a| match lang {
        Lang::Nl => a.nl.first(),
        Lang::En => a.en.first(),
    });
    word.copied().unwrap_or(name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn letter(lang: Lang) -> Document {
        let mut doc = Document::new("t", lang, "referral", "x".repeat(100));
        let one = |value: Value, start: usize| {
            FieldValue::One(Grounded::new(value, vec![Span::new(start, start + 2)]))
        };
        doc.fields.insert("age".into(), one(json!(67), 10));
        doc.fields.insert("sex".into(), one(json!("male"), 20));
        doc.fields
            .insert("referral_reason".into(), one(json!("palpitations"), 30));
        doc.fields.insert("urgency".into(), one(json!("urgent"), 0));
        doc.fields.insert(
            "diagnoses".into(),
            FieldValue::Many(vec![
                Grounded::new(
                    json!({"name": "diabetes mellitus type 2", "status": "absent"}),
                    vec![Span::new(40, 43)],
                ),
                Grounded::new(
                    json!({"name": "endocarditis", "status": "hypothetical"}),
                    vec![Span::new(50, 60)],
                ),
            ]),
        );
        doc.fields.insert(
            "medications".into(),
            FieldValue::Many(vec![Grounded::new(
                json!({"name": "bisoprolol", "dose": 2.5, "unit": "mg", "frequency": "once daily"}),
                vec![Span::new(70, 80)],
            )]),
        );
        doc
    }

    fn texts(lines: &[SummaryLine]) -> Vec<&str> {
        lines.iter().map(|l| l.text.as_str()).collect()
    }

    #[test]
    fn a_dutch_letter_gets_a_dutch_summary_with_its_facts_and_spans() {
        let lines = reference_summary(&letter(Lang::Nl), &mut Rng::new(1));
        let all = texts(&lines).join(" ");
        assert!(all.contains("67") && all.contains("man"), "{all}");
        assert!(
            all.contains("met spoed verwezen i.v.m. hartkloppingen"),
            "{all}"
        );
        assert!(all.contains("Geen diabetes mellitus type 2."), "{all}");
        assert!(all.contains("bisoprolol 2,5 mg 1dd"), "{all}");
        assert!(all.contains("endocarditis?"), "{all}");
        assert_eq!(
            lines[0].spans,
            vec![
                Span::new(0, 2),
                Span::new(10, 12),
                Span::new(20, 22),
                Span::new(30, 32)
            ]
        );
        let sections: Vec<&str> = lines.iter().map(|l| l.section.as_str()).collect();
        assert_eq!(sections, ["who", "history", "medication", "questions"]);
    }

    #[test]
    fn an_english_letter_gets_english_shorthand() {
        let lines = reference_summary(&letter(Lang::En), &mut Rng::new(1));
        let all = texts(&lines).join(" ");
        assert!(all.contains("urgent referral for palpitations"), "{all}");
        assert!(all.contains("No DM2."), "{all}");
        assert!(all.contains("bisoprolol 2.5 mg od"), "{all}");
    }

    #[test]
    fn a_letter_without_fields_has_no_summary() {
        let empty = Document::new("e", Lang::En, "referral", "Dear colleague.");
        assert!(reference_summary(&empty, &mut Rng::new(1)).is_empty());
    }
}
