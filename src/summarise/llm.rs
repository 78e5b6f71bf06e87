//! The language-model summary: a model reads the letter and the extracted fields and writes
//! the summary lines itself; clinkit then looks up each line's evidence in the letter and
//! checks it like any other summary.
//!
//! The steps, for one letter:
//!
//! 1. **Prompt.** [`summary_template`] (a [`Template`] from [`crate::prompt`]) shows the
//!    extracted facts, each with the letter's words for it, then the letter itself
//!    ([`prompt_document`]). One worked example shows the answer's shape.
//! 2. **Answer as JSON.** The model must follow [`summary_schema`]
//!    (`GenerateOptions::json_schema`): a list of lines, each with a `section`, a `text` in the
//!    letter's language and a `quote`, the words of the letter that support it.
//! 3. **Ground.** Each quote is looked up in the letter ([`crate::extract::grounding`]); when
//!    the quote is not there, the line's own text is tried. A line whose words are nowhere in
//!    the letter gets no evidence span.
//! 4. **Check.** [`super::check_summary`] then marks the lines with no evidence, an invented
//!    number, an unknown drug or a flipped negation; [`Summary::strict`] drops them.
//!
//! A model writes more freely than [`super::template_summary`], and that is the danger:
//! a small model copies a number from the example, turns "geen DM2" into "DM2", or repeats
//! itself. The check shows which lines to distrust.
//!
//! ```no_run
//! use clinkit::llm::openai::OpenAiBackend;
//! use clinkit::summarise::{check_summary, model_summary, ModelSummaryOptions};
//! let mut server = OpenAiBackend::new("http://127.0.0.1:8080/v1").unwrap();
//! let letter = clinkit::data::Document::new("a", clinkit::data::Lang::Nl, "referral",
//!     "Graag zien wij deze 67-jarige man. Echo: LVEF 35%. Geen DM2.");
//! let found = clinkit::extract::rules::extract(&letter);
//! let mut summary = model_summary(&mut server, &found, &ModelSummaryOptions::default()).unwrap();
//! check_summary(&mut summary, &found);
//! print!("{}", summary.render_text()); // unsupported lines start with [?]
//! ```

use serde::Deserialize;
use serde_json::{json, Value};

use crate::data::{Document, Grounded};
use crate::error::{Error, Result};
use crate::extract::grounding::{ground, Alignment};
use crate::llm::{Backend, FinishReason, GenerateOptions};
use crate::prompt::{check_budget, Example, PromptValues, Template, TokenCounter};
use crate::text::Span;

use super::{Section, Statement, Summary};

/// Sizes of the prompt and the answer.
///
/// ```
/// let options = clinkit::summarise::ModelSummaryOptions::default();
/// assert_eq!((options.max_lines, options.answer_tokens), (6, 384));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ModelSummaryOptions {
    /// The most lines the model may write (the JSON Schema's `maxItems`).
    pub max_lines: usize,
    /// The most tokens of one answer; an answer cut off here is an error.
    pub answer_tokens: usize,
    /// The model's context window in tokens (prompt and answer together).
    pub context_window: usize,
}

impl Default for ModelSummaryOptions {
    fn default() -> Self {
        ModelSummaryOptions {
            max_lines: 6,
            answer_tokens: 384,
            context_window: 4096,
        }
    }
}

/// The longest line text and quote the schema allows, in characters: keeps answers short.
const MAX_LINE_CHARS: usize = 120;
const MAX_QUOTE_CHARS: usize = 80;

/// The JSON Schema of the model's answer: `{"lines": [{"section", "text", "quote"}]}`, with
/// at most `max_lines` lines and short texts.
///
/// ```
/// let schema = clinkit::summarise::summary_schema(4);
/// assert_eq!(schema["properties"]["lines"]["maxItems"], 4);
/// assert_eq!(schema["properties"]["lines"]["items"]["properties"]["section"]["enum"][0], "who");
/// ```
pub fn summary_schema(max_lines: usize) -> Value {
    let sections: Vec<&str> = Section::ALL.iter().map(Section::as_str).collect();
    json!({
        "type": "object",
        "properties": {
            "lines": {
                "type": "array",
                "minItems": 1,
                "maxItems": max_lines,
                "items": {
                    "type": "object",
                    "properties": {
                        "section": {"enum": sections},
                        "text": {"type": "string", "maxLength": MAX_LINE_CHARS},
                        "quote": {"type": "string", "maxLength": MAX_QUOTE_CHARS}
                    },
                    "required": ["section", "text", "quote"],
                    "additionalProperties": false
                }
            }
        },
        "required": ["lines"],
        "additionalProperties": false
    })
}

/// What the sections mean, for the prompt's `{schema}` placeholder.
const SECTIONS_TEXT: &str = "- who: age, sex, reason for referral, urgency\n\
- history: diagnoses (also the ones the patient does NOT have), allergies, smoking\n\
- medication: current medicines with dose\n\
- findings: LVEF, NYHA class, blood pressure, NT-proBNP, eGFR\n\
- questions: what the referrer asks to rule out";

/// The prompt: rules in the system text, the sections, the facts and the letter, and one
/// worked example whose quotes are checked to stand in its letter.
///
/// ```
/// let template = clinkit::summarise::summary_template();
/// assert_eq!(template.examples.len(), 1);
/// assert!(template.user.contains("{document}") && template.user.contains("{schema}"));
/// ```
pub fn summary_template() -> Template {
    let example = Example::new(
        prompt_document(&example_letter()),
        json!({"lines": [
            {"section": "who", "text": "71-jarige vrouw, met spoed verwezen wegens kortademigheid bij inspanning",
             "quote": "71-jarige vrouw"},
            {"section": "history", "text": "hypertensie; geen diabetes", "quote": "Geen diabetes"},
            {"section": "medication", "text": "metoprolol 50 mg 2dd1", "quote": "metoprolol 50 mg 2dd1"},
            {"section": "findings", "text": "LVEF 40%", "quote": "LVEF 40%"},
            {"section": "questions", "text": "uitsluiten hartfalen", "quote": "uitsluiten hartfalen"}
        ]}),
    )
    .expect("the built-in example's quotes are in its letter");
    Template::new(
        "You write short summaries of referral letters for a cardiologist. Answer with JSON \
         only. Write in the language of the letter (a Dutch letter gets a Dutch summary). Each \
         line states facts of one section and has a quote: the exact words of the letter that \
         support it, copied character for character. Use only facts the letter states; never \
         add a number, a medicine or a diagnosis, and keep every 'no' (geen) of the letter.",
        "Sections:\n{schema}\n\n{document}",
    )
    .expect("the built-in template is valid")
    .with_examples(vec![example])
}

/// The short letter of the worked example, with the fields an extraction would give.
fn example_letter() -> Document {
    let text = "Geachte collega, graag zien wij met spoed deze 71-jarige vrouw wegens \
                kortademigheid bij inspanning. Voorgeschiedenis: hypertensie. Geen diabetes. \
                Medicatie: metoprolol 50 mg 2dd1. Echo: LVEF 40%. Graag uitsluiten hartfalen.";
    let letter = Document::new("example", crate::data::Lang::Nl, "referral", text);
    crate::extract::rules::extract(&letter)
}

/// What fills the template's `{document}`: the extracted facts, each with the letter's
/// words for it, then the letter.
///
/// ```
/// use clinkit::data::{Document, Lang};
/// let letter = clinkit::extract::rules::extract(&Document::new("a", Lang::Nl, "referral",
///     "Deze 67-jarige man. Geen DM2."));
/// let shown = clinkit::summarise::prompt_document(&letter);
/// assert!(shown.starts_with("Facts:\n- age: 67 (\"67\")"));
/// assert!(shown.contains("- diagnoses: diabetes mellitus type 2, absent (\"DM2\")"));
/// assert!(shown.ends_with("Letter:\nDeze 67-jarige man. Geen DM2."));
/// ```
pub fn prompt_document(extracted: &Document) -> String {
    let mut facts = String::from("Facts:\n");
    for (name, value) in &extracted.fields {
        for item in value.items() {
            facts.push_str(&format!(
                "- {name}: {}{}\n",
                fact_value(&item.value),
                evidence_words(extracted, item)
            ));
        }
    }
    if extracted.fields.is_empty() {
        facts.push_str("(none found)\n");
    }
    format!("{facts}\nLetter:\n{}", extracted.text)
}

/// A field value in words: `67`, `female`, `diabetes, absent`, `metoprolol 50 mg twice daily`.
fn fact_value(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Object(map) => {
            let word = |key: &str| {
                map.get(key)
                    .filter(|v| !v.is_null())
                    .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
            };
            let mut text = word("name").unwrap_or_default();
            if let Some(status) = word("status") {
                text.push_str(&format!(", {status}"));
            }
            for key in ["dose", "unit", "frequency"] {
                if let Some(part) = word(key) {
                    text.push_str(&format!(" {part}"));
                }
            }
            text
        }
        other => other.to_string(),
    }
}

/// ` ("the letter's words")` for an item with evidence, else nothing.
fn evidence_words(letter: &Document, item: &Grounded) -> String {
    item.spans
        .first()
        .and_then(|span| letter.slice(*span))
        .map(|words| format!(" ({words:?})"))
        .unwrap_or_default()
}

/// One line of the model's answer as it is written in the JSON.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AnswerLine {
    section: String,
    text: String,
    #[serde(default)]
    quote: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Answer {
    lines: Vec<AnswerLine>,
}

/// Asks `backend` for the summary of `extracted` (a letter with its extracted fields: gold,
/// rules or a model's) and grounds every line in the letter ([`summary_from_answer`]).
/// Errors when the prompt does not fit the context window, or the answer is cut off or
/// not the schema's JSON. Run [`super::check_summary`] on the result before trusting it.
pub fn model_summary(
    backend: &mut dyn Backend,
    extracted: &Document,
    options: &ModelSummaryOptions,
) -> Result<Summary> {
    let shown = prompt_document(extracted);
    let messages = summary_template().render(&PromptValues {
        schema: SECTIONS_TEXT,
        document: &shown,
    });
    check_budget(
        &messages,
        &TokenCounter::Estimate,
        options.answer_tokens,
        options.context_window,
    )?;
    let generate = GenerateOptions {
        max_tokens: options.answer_tokens,
        json_schema: Some(summary_schema(options.max_lines)),
        ..GenerateOptions::default()
    };
    let answer = backend.chat(&messages, &generate)?;
    if answer.finish_reason == FinishReason::Length {
        return Err(Error::Refused(format!(
            "{}: the summary was cut off after {} tokens (raise answer_tokens): {}",
            extracted.id,
            answer.completion_tokens,
            answer.text.chars().take(200).collect::<String>()
        )));
    }
    summary_from_answer(&answer.text, extracted, &backend.name())
}

/// Reads a model's answer (the JSON of [`summary_schema`]) into a [`Summary`] of `letter`,
/// each line's evidence looked up in the letter: first its quote, then its own text. A
/// line found nowhere keeps no span (the check then marks it `no_evidence`). Errors name
/// the letter and the line.
///
/// ```
/// use clinkit::data::{Document, Lang};
/// use clinkit::summarise::{check_summary, summary_from_answer, Problem};
/// let letter = clinkit::extract::rules::extract(&Document::new("a", Lang::Nl, "referral",
///     "Echo: LVEF 35%. Geen DM2."));
/// let answer = r#"{"lines": [{"section": "findings", "text": "LVEF 53%", "quote": "LVEF 35%"}]}"#;
/// let mut summary = summary_from_answer(answer, &letter, "hand-written").unwrap();
/// assert_eq!(letter.slice(summary.statements[0].spans[0]), Some("LVEF 35%"));
/// check_summary(&mut summary, &letter);
/// assert_eq!(summary.statements[0].problems, vec![Problem::InventedNumber { number: "53".into() }]);
/// ```
pub fn summary_from_answer(answer: &str, letter: &Document, source: &str) -> Result<Summary> {
    let parsed: Answer = serde_json::from_str(answer).map_err(|e| {
        Error::Refused(format!(
            "{}: the summary is not the expected JSON ({e}): {}",
            letter.id,
            answer.chars().take(200).collect::<String>()
        ))
    })?;
    let mut statements = Vec::new();
    for (number, line) in parsed.lines.iter().enumerate() {
        let section = Section::parse(&line.section).ok_or_else(|| {
            Error::Refused(format!(
                "{}: line {} has the unknown section `{}` (known: who, history, medication, findings, questions)",
                letter.id,
                number + 1,
                line.section
            ))
        })?;
        let text = line.text.trim();
        if text.is_empty() {
            continue;
        }
        statements.push(Statement::new(
            section,
            text,
            evidence(letter, &line.quote, text),
        ));
    }
    // In reading order, like the template's; lines of one section keep the model's order.
    statements.sort_by_key(|s| s.section);
    Ok(Summary {
        id: letter.id.clone(),
        lang: letter.lang,
        source: source.to_string(),
        statements,
    })
}

/// The span of the quote in the letter, else of the line's own text, else none.
fn evidence(letter: &Document, quote: &str, text: &str) -> Vec<Span> {
    [quote, text]
        .iter()
        .filter(|words| !words.trim().is_empty())
        .map(|words| ground(&letter.text, words.trim()))
        .find(|found| found.status != Alignment::NotFound)
        .and_then(|found| found.span)
        .into_iter()
        .collect()
}
