//! Referral summaries a doctor can trust: a few lines per letter, every statement tied to
//! the words in the letter that support it.
//!
//! Before a consultation a cardiologist wants five lines, not two pages: **who and why**
//! (age, sex, reason, urgency), relevant **history**, current **medication**, key
//! **findings** (LVEF, NYHA, blood pressure, NT-proBNP, eGFR) and the referrer's open
//! **questions**, in the letter's own language.
//!
//! There are two ways to write them, side by side in the course:
//!
//! - [`template_summary`]: fill fixed sentences from an extraction result (gold fields, or
//!   what [`crate::extract::rules::extract`] found). Deterministic and faithful: every
//!   statement is built from a field with its evidence spans.
//! - a language model ([`model_summary`]), given the letter and the extracted fields; it
//!   writes more freely, and can invent a number or drop a "no".
//!
//! Either way, [`check_summary`] marks each statement that has no evidence, a number or a
//! drug that is not in the letter, or a flipped negation; [`evaluate_summaries`] measures
//! faithfulness, coverage of the gold fields and ROUGE-L against a reference summary.
//!
//! ```
//! use clinkit::data::{Document, Lang};
//! use clinkit::{extract, summarise};
//! let letter = Document::new("ex-1", Lang::Nl, "referral",
//!     "Graag zien wij deze 67-jarige man. Echo: LVEF 35%. RR 142/88 mmHg. Geen DM2.");
//! let found = extract::rules::extract(&letter);
//! let mut summary = summarise::template_summary(&found);
//! summarise::check_summary(&mut summary, &found);
//! assert!(summary.statements.iter().all(|s| s.is_supported()));
//! assert!(summary.render_text().contains("LVEF 35%"));
//! assert!(summary.render_text().contains("geen DM2"));
//! ```

mod check;
mod evaluate;
mod html;
mod llm;
mod rouge;
mod template;

pub use check::{check_summary, letter_numbers, numbers_in, Problem};
pub use evaluate::{evaluate_summaries, Estimate, SummaryDocumentScore, SummaryReport};
pub use html::summary_html;
pub use llm::{
    model_summary, prompt_document, summary_from_answer, summary_schema, summary_template,
    ModelSummaryOptions,
};
pub use rouge::{lcs_length, rouge_l, rouge_tokens, Rouge};
pub use template::template_summary;

use serde::{Deserialize, Serialize};

use crate::data::{Lang, SummaryLine};
use crate::text::Span;

/// The parts of a referral summary, in the order a doctor reads them.
///
/// ```
/// use clinkit::summarise::Section;
/// assert_eq!(Section::Findings.title(clinkit::data::Lang::Nl), "Bevindingen");
/// assert_eq!(Section::parse("medication"), Some(Section::Medication));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Section {
    /// Age, sex, reason for referral, urgency.
    Who,
    /// Relevant history: diagnoses (also denied ones), allergies, smoking.
    History,
    /// Current medication.
    Medication,
    /// LVEF, NYHA class, blood pressure, NT-proBNP, eGFR.
    Findings,
    /// What the referrer asks.
    Questions,
}

impl Section {
    /// Every section, in reading order.
    pub const ALL: [Section; 5] = [
        Section::Who,
        Section::History,
        Section::Medication,
        Section::Findings,
        Section::Questions,
    ];

    /// The name used in files: `who`, `history`, `medication`, `findings`, `questions`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Section::Who => "who",
            Section::History => "history",
            Section::Medication => "medication",
            Section::Findings => "findings",
            Section::Questions => "questions",
        }
    }

    /// The section from its file name, or `None` for an unknown name.
    pub fn parse(name: &str) -> Option<Section> {
        Section::ALL
            .into_iter()
            .find(|section| section.as_str() == name.trim().to_lowercase())
    }

    /// The heading a doctor sees, in the letter's language.
    pub fn title(&self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Section::Who, Lang::Nl) => "Patiënt",
            (Section::Who, Lang::En) => "Patient",
            (Section::History, Lang::Nl) => "Voorgeschiedenis",
            (Section::History, Lang::En) => "History",
            (Section::Medication, Lang::Nl) => "Medicatie",
            (Section::Medication, Lang::En) => "Medication",
            (Section::Findings, Lang::Nl) => "Bevindingen",
            (Section::Findings, Lang::En) => "Findings",
            (Section::Questions, Lang::Nl) => "Vraagstelling",
            (Section::Questions, Lang::En) => "Questions",
        }
    }
}

/// One statement of a summary: what it says, where the letter supports it, and what
/// [`check_summary`] found wrong with it (nothing, for a trustworthy statement).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Statement {
    /// The section it belongs to.
    pub section: Section,
    /// What it says.
    pub text: String,
    /// The evidence: character spans of the letter.
    pub spans: Vec<Span>,
    /// What is wrong with it; empty when it is supported by the letter.
    #[serde(default)]
    pub problems: Vec<Problem>,
}

impl Statement {
    /// A statement with its evidence and no problems found (yet).
    ///
    /// ```
    /// use clinkit::summarise::{Section, Statement};
    /// let s = Statement::new(Section::Findings, "LVEF 35%", vec![clinkit::text::Span::new(3, 5)]);
    /// assert!(s.is_supported());
    /// ```
    pub fn new(section: Section, text: impl Into<String>, spans: Vec<Span>) -> Statement {
        Statement {
            section,
            text: text.into(),
            spans,
            problems: Vec::new(),
        }
    }

    /// True when the check found nothing wrong (run [`check_summary`] first).
    pub fn is_supported(&self) -> bool {
        self.problems.is_empty()
    }
}

/// The summary of one letter: its statements, in section order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// The id of the letter it summarises.
    pub id: String,
    /// The letter's language (and so the summary's).
    pub lang: Lang,
    /// Who wrote it: `template`, or the name of a language-model backend.
    pub source: String,
    /// The statements.
    pub statements: Vec<Statement>,
}

impl Summary {
    /// The summary as a doctor reads it: one line per section, `Heading: statement; statement`.
    /// A statement the check did not support is marked with `[?]`.
    ///
    /// ```
    /// use clinkit::summarise::{Section, Statement, Summary};
    /// let summary = Summary { id: "x".into(), lang: clinkit::data::Lang::En, source: "template".into(),
    ///     statements: vec![Statement::new(Section::Findings, "LVEF 35%", vec![]),
    ///                      Statement::new(Section::Findings, "NYHA II", vec![])] };
    /// assert_eq!(summary.render_text(), "Findings: LVEF 35%; NYHA II\n");
    /// ```
    pub fn render_text(&self) -> String {
        let mut out = String::new();
        for section in Section::ALL {
            let texts: Vec<String> = self
                .statements
                .iter()
                .filter(|s| s.section == section)
                .map(|s| {
                    if s.is_supported() {
                        s.text.clone()
                    } else {
                        format!("[?] {}", s.text)
                    }
                })
                .collect();
            if !texts.is_empty() {
                out.push_str(&format!(
                    "{}: {}\n",
                    section.title(self.lang),
                    texts.join("; ")
                ));
            }
        }
        out
    }

    /// The summary without the statements the check did not support (`--strict`).
    pub fn strict(mut self) -> Summary {
        self.statements.retain(Statement::is_supported);
        self
    }

    /// All statements' texts joined with spaces: what ROUGE-L compares.
    pub fn plain_text(&self) -> String {
        let texts: Vec<&str> = self.statements.iter().map(|s| s.text.as_str()).collect();
        texts.join(" ")
    }

    /// The statements as [`SummaryLine`]s, the format of reference summaries in JSONL files.
    pub fn to_lines(&self) -> Vec<SummaryLine> {
        self.statements
            .iter()
            .map(|s| SummaryLine {
                section: s.section.as_str().to_string(),
                text: s.text.clone(),
                spans: s.spans.clone(),
            })
            .collect()
    }
}
