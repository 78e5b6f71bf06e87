//! Extraction with a language model: retrieve, prompt, parse, ground, merge.
//!
//! For one document, [`LlmExtractor`] does five steps:
//!
//! 1. **Retrieve.** The text is cut into sentences ([`crate::text::sentences`]). When the
//!    whole text fits in the model's token budget it is sent as it is. A 200-page patient
//!    file does not fit, so for every field of the schema the sentences most like the
//!    field's description are picked by TF-IDF cosine similarity
//!    ([`crate::embed::tfidf`]); the picked sentences, in document order, are packed into as
//!    few prompts ("windows") as the budget allows. (MiniLM embeddings from
//!    [`crate::embed`] would rank paraphrases better; they would replace the TF-IDF scores
//!    in [`relevant_chunks`], nothing else changes.)
//! 2. **Prompt.** Each window is shown to the model with the [`Template`] and the schema;
//!    the model must answer with JSON that follows the schema (`response_format`).
//! 3. **Parse.** An answer that is not JSON, is cut off, or does not have the schema's shape
//!    makes the document fail: the batch runner writes an error record and goes on.
//! 4. **Ground.** Every value's quote is looked up in the sentences the model was shown
//!    ([`crate::extract::grounding`]). Values found exactly or fuzzily go into the document's
//!    fields with their spans; values whose quote is not found are *flagged* in the
//!    record's `grounding` list and left out of the fields, never silently kept.
//! 5. **Merge.** Windows can disagree. For a field with one value (LVEF, NYHA class,
//!    smoking) the **most recent dated value wins**: the date is that of the document part
//!    ([`crate::data::Part`]) the evidence stands in; a dated value beats an undated one,
//!    and among equals the one later in the text wins (later letters come later in a
//!    file). List fields (diagnoses, medications) keep every distinct value once, with the
//!    evidence of its most recent mention.
//!
//! Token use (prompt and generated tokens) is added up per document and written in the record.
//!
//! ```no_run
//! use clinkit::extract::batch::Extractor;
//! use clinkit::extract::llm::LlmExtractor;
//! use clinkit::extract::schema::ExtractionSchema;
//! use clinkit::llm::openai::OpenAiBackend;
//! let server = OpenAiBackend::new("http://127.0.0.1:8080/v1").unwrap();
//! let mut extractor = LlmExtractor::new(Box::new(server), ExtractionSchema::referral());
//! let letter = clinkit::data::Document::new("a", clinkit::data::Lang::Nl, "referral", "Pt. is 67 jaar.");
//! let found = extractor.extract(&letter).unwrap();
//! println!("{:?} ({} prompt tokens)", found.document.fields, found.prompt_tokens);
//! ```

use std::collections::BTreeMap;

use serde_json::Value;

use crate::data::{Document, FieldValue, Grounded};
use crate::embed::tfidf::TfIdf;
use crate::error::{Error, Result};
use crate::extract::batch::{Extracted, Extractor};
use crate::extract::grounding::{ground_in, Alignment, FieldGrounding};
use crate::extract::schema::{ExtractionSchema, SchemaField};
use crate::llm::{Backend, FinishReason, GenerateOptions};
use crate::prompt::{check_budget, describe_schema, PromptValues, Template, TokenCounter};
use crate::text::{sentences, Span};

/// Sizes of the prompts and answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LlmOptions {
    /// The most tokens the model reads at once (prompt and answer together).
    pub context_window: usize,
    /// The most tokens of an answer.
    pub answer_tokens: usize,
    /// How many sentences to retrieve per field when a document does not fit.
    pub chunks_per_field: usize,
    /// At most this many tokens of document text per prompt (`None`: what the context
    /// window leaves after the template, the examples and the answer).
    pub window_tokens: Option<usize>,
}

impl Default for LlmOptions {
    fn default() -> Self {
        LlmOptions {
            context_window: 4096,
            answer_tokens: 512,
            chunks_per_field: 3,
            window_tokens: None,
        }
    }
}

/// One prompt's worth of a document: the sentences shown to the model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Window {
    /// The sentences (character spans into the document), in document order.
    pub chunks: Vec<Span>,
}

impl Window {
    /// The text the model sees: the sentences, one per line.
    pub fn text(&self, document: &str) -> String {
        self.chunks
            .iter()
            .filter_map(|span| span.slice(document))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// A language-model extraction pipeline over any [`Backend`] (see the module text).
pub struct LlmExtractor {
    backend: Box<dyn Backend>,
    schema: ExtractionSchema,
    template: Template,
    counter: TokenCounter,
    /// Sizes of prompts and answers.
    pub options: LlmOptions,
}

impl LlmExtractor {
    /// A pipeline with the default [`Template::extraction`], token estimates and options.
    pub fn new(backend: Box<dyn Backend>, schema: ExtractionSchema) -> LlmExtractor {
        LlmExtractor {
            backend,
            schema,
            template: Template::extraction(),
            counter: TokenCounter::Estimate,
            options: LlmOptions::default(),
        }
    }

    /// The same pipeline with another prompt template.
    pub fn with_template(mut self, template: Template) -> LlmExtractor {
        self.template = template;
        self
    }

    /// The same pipeline counting tokens with `counter` (the model's tokenizer, if you have it).
    pub fn with_counter(mut self, counter: TokenCounter) -> LlmExtractor {
        self.counter = counter;
        self
    }

    /// The same pipeline with other sizes.
    pub fn with_options(mut self, options: LlmOptions) -> LlmExtractor {
        self.options = options;
        self
    }

    /// How many document tokens fit in one prompt.
    fn window_budget(&self) -> usize {
        if let Some(tokens) = self.options.window_tokens {
            return tokens;
        }
        let schema = describe_schema(&self.schema);
        let empty = self.template.render(&PromptValues {
            schema: &schema,
            document: "",
        });
        let fixed = self.counter.count_messages(&empty) + self.options.answer_tokens;
        self.options.context_window.saturating_sub(fixed)
    }

    /// The windows of `document`: all of it if it fits, else the retrieved sentences packed.
    pub fn windows(&self, document: &str) -> Vec<Window> {
        let chunks = sentences(document);
        let budget = self.window_budget();
        let all_tokens: usize = chunks
            .iter()
            .map(|span| self.counter.count(span.slice(document).unwrap_or_default()) + 1)
            .sum();
        let picked = if all_tokens <= budget {
            chunks
        } else {
            relevant_chunks(
                document,
                &chunks,
                &self.schema.fields,
                self.options.chunks_per_field,
            )
        };
        pack(document, picked, budget, &self.counter)
    }

    /// Prompts the model with one window and returns its parsed answer.
    fn ask(
        &mut self,
        document: &str,
        window: &Window,
        usage: &mut (usize, usize),
    ) -> Result<Value> {
        let schema = describe_schema(&self.schema);
        let text = window.text(document);
        let messages = self.template.render(&PromptValues {
            schema: &schema,
            document: &text,
        });
        check_budget(
            &messages,
            &self.counter,
            self.options.answer_tokens,
            self.options.context_window,
        )?;
        let options = GenerateOptions {
            max_tokens: self.options.answer_tokens,
            json_schema: Some(self.schema.json.clone()),
            ..GenerateOptions::default()
        };
        let answer = self.backend.chat(&messages, &options)?;
        usage.0 += answer.prompt_tokens;
        usage.1 += answer.completion_tokens;
        if answer.finish_reason == FinishReason::Length {
            return Err(Error::Refused(format!(
                "the answer was cut off after {} tokens (raise answer_tokens): {}",
                answer.completion_tokens,
                answer.text.chars().take(200).collect::<String>()
            )));
        }
        serde_json::from_str(&answer.text).map_err(|e| {
            Error::Refused(format!(
                "the answer is not JSON ({e}): {}",
                answer.text.chars().take(200).collect::<String>()
            ))
        })
    }
}

impl Extractor for LlmExtractor {
    fn name(&self) -> String {
        format!("llm {}", self.backend.name())
    }

    fn extract(&mut self, document: &Document) -> Result<Extracted> {
        let mut usage = (0, 0);
        let mut findings = Vec::new();
        for (number, window) in self.windows(&document.text).iter().enumerate() {
            let answer = self
                .ask(&document.text, window, &mut usage)
                .map_err(|e| Error::Refused(format!("window {}: {e}", number + 1)))?;
            let values = answer_values(&answer, &self.schema)
                .map_err(|e| Error::Refused(format!("window {}: {e}", number + 1)))?;
            for (field, value, quote) in values {
                findings.push(ground_value(document, &window.chunks, field, value, quote));
            }
        }
        let mut found = Document::new(
            document.id.clone(),
            document.lang,
            document.kind.clone(),
            document.text.clone(),
        );
        found.patient_id = document.patient_id.clone();
        found.parts = document.parts.clone();
        found.fields = merge_findings(&findings, &self.schema);
        Ok(Extracted {
            document: found,
            prompt_tokens: usage.0,
            completion_tokens: usage.1,
            grounding: findings,
        })
    }
}

/// The sentences most relevant to any field: for each field, the `per_field` sentences whose
/// TF-IDF vectors are closest to the field's name and description (only those sharing a
/// word), all together in document order without repeats.
///
/// ```
/// use clinkit::extract::llm::relevant_chunks;
/// use clinkit::extract::schema::SchemaField;
/// let text = "Zij fietst graag. Echo: LVEF 35%. Het weer was mooi.";
/// let chunks = clinkit::text::sentences(text);
/// let lvef = SchemaField { name: "lvef_percent".into(), is_list: false, description: "ejection fraction (LVEF, echo)".into() };
/// let picked = relevant_chunks(text, &chunks, &[lvef], 1);
/// assert_eq!(picked[0].slice(text), Some("Echo: LVEF 35%."));
/// ```
pub fn relevant_chunks(
    document: &str,
    chunks: &[Span],
    fields: &[SchemaField],
    per_field: usize,
) -> Vec<Span> {
    let texts: Vec<&str> = chunks
        .iter()
        .map(|span| span.slice(document).unwrap_or_default())
        .collect();
    let model = TfIdf::fit(&texts);
    let mut picked: Vec<usize> = Vec::new();
    for field in fields {
        let query = format!("{} {}", field.name.replace('_', " "), field.description);
        for (index, score) in model.nearest(&query, &texts, per_field) {
            if score > 0.0 && !picked.contains(&index) {
                picked.push(index);
            }
        }
    }
    picked.sort_unstable();
    picked.into_iter().map(|index| chunks[index]).collect()
}

/// Packs sentences, in order, into windows of at most `budget` tokens (a sentence longer
/// than the budget gets a window of its own; the budget check before prompting then says so).
fn pack(document: &str, chunks: Vec<Span>, budget: usize, counter: &TokenCounter) -> Vec<Window> {
    let mut windows = Vec::new();
    let mut current = Window { chunks: Vec::new() };
    let mut used = 0;
    for span in chunks {
        let tokens = counter.count(span.slice(document).unwrap_or_default()) + 1;
        if used + tokens > budget && !current.chunks.is_empty() {
            windows.push(std::mem::replace(
                &mut current,
                Window { chunks: Vec::new() },
            ));
            used = 0;
        }
        current.chunks.push(span);
        used += tokens;
    }
    if !current.chunks.is_empty() {
        windows.push(current);
    }
    windows
}

/// The (field, value, quote) triples of an answer, checked against the schema's shape.
/// `null` values and absent fields are skipped.
///
/// ```
/// use clinkit::extract::llm::answer_values;
/// use clinkit::extract::schema::ExtractionSchema;
/// let schema = ExtractionSchema::referral();
/// let answer = serde_json::json!({"age": {"value": 67, "quote": "67 jr"}, "smoking": null});
/// let values = answer_values(&answer, &schema).unwrap();
/// assert_eq!(values.len(), 1);
/// assert_eq!(values[0].0.name, "age");
/// let wrong = serde_json::json!({"age": [1, 2]});
/// assert!(answer_values(&wrong, &schema).unwrap_err().to_string().contains("field `age`"));
/// ```
pub fn answer_values<'s>(
    answer: &Value,
    schema: &'s ExtractionSchema,
) -> Result<Vec<(&'s SchemaField, Value, String)>> {
    let object = answer
        .as_object()
        .ok_or_else(|| Error::Refused(format!("the answer is not a JSON object: {answer}")))?;
    let mut values = Vec::new();
    for (key, found) in object {
        let field = schema.field(key).ok_or_else(|| {
            Error::Refused(format!(
                "the answer has field `{key}`, which the schema lacks"
            ))
        })?;
        let items: Vec<&Value> = match (found, field.is_list) {
            (Value::Null, _) => Vec::new(),
            (Value::Array(list), true) => list.iter().collect(),
            (Value::Object(_), false) => vec![found],
            _ => {
                let expected = if field.is_list {
                    "a list"
                } else {
                    "one {\"value\", \"quote\"} object"
                };
                return Err(Error::Refused(format!(
                    "field `{key}` should be {expected}, the answer has {found}"
                )));
            }
        };
        for item in items {
            let value = item.get("value").cloned().unwrap_or(Value::Null);
            let quote = item.get("quote").and_then(Value::as_str);
            match (value.is_null(), quote) {
                (true, _) => continue,
                (false, Some(quote)) => values.push((field, value, quote.to_string())),
                (false, None) => {
                    return Err(Error::Refused(format!(
                        "field `{key}` has a value without a \"quote\": {item}"
                    )))
                }
            }
        }
    }
    Ok(values)
}

/// Grounds one value in the sentences the model was shown. An empty quote falls back to
/// the value itself when it is a number or a text (`67` may stand in the letter as is).
fn ground_value(
    document: &Document,
    shown: &[Span],
    field: &SchemaField,
    value: Value,
    quote: String,
) -> FieldGrounding {
    let mut evidence = ground_in(&document.text, &quote, shown);
    if evidence.status == Alignment::NotFound && quote.trim().is_empty() {
        let as_text = match &value {
            Value::String(text) => text.clone(),
            Value::Number(number) => number.to_string(),
            _ => String::new(),
        };
        evidence = ground_in(&document.text, &as_text, shown);
    }
    let date = evidence.span.and_then(|span| date_at(document, span.start));
    FieldGrounding {
        field: field.name.clone(),
        value,
        quote,
        status: evidence.status,
        span: evidence.span,
        similarity: evidence.similarity,
        date,
    }
}

/// The date (`YYYY-MM-DD`) of the document part that holds character `position`, if dated.
fn date_at(document: &Document, position: usize) -> Option<String> {
    document
        .parts
        .iter()
        .find(|part| part.span.start <= position && position < part.span.end)
        .and_then(|part| part.date.clone())
}

/// Merges the grounded findings of all windows into a document's fields (see the module
/// text): one-value fields take the most recent dated value, list fields keep each distinct
/// value once. Not-found findings are left out (they stay flagged in the record).
///
/// ```
/// use clinkit::extract::grounding::{Alignment, FieldGrounding};
/// use clinkit::extract::llm::merge_findings;
/// use clinkit::extract::schema::ExtractionSchema;
/// use clinkit::text::Span;
/// let lvef = |value: u32, start: usize, date: &str| FieldGrounding {
///     field: "lvef_percent".into(), value: value.into(), quote: String::new(),
///     status: Alignment::Exact, span: Some(Span::new(start, start + 8)), similarity: 1.0,
///     date: Some(date.into()) };
/// // The 2024 echo stands earlier in the file than the 2019 one, but is more recent.
/// let fields = merge_findings(&[lvef(35, 0, "2024-05-03"), lvef(55, 40, "2019-01-12")], &ExtractionSchema::referral());
/// assert_eq!(fields["lvef_percent"].items()[0].value, 35);
/// ```
pub fn merge_findings(
    findings: &[FieldGrounding],
    schema: &ExtractionSchema,
) -> BTreeMap<String, FieldValue> {
    let mut fields = BTreeMap::new();
    for field in &schema.fields {
        let mut grounded: Vec<&FieldGrounding> = findings
            .iter()
            .filter(|f| f.field == field.name && f.status != Alignment::NotFound)
            .collect();
        // Oldest first: undated before dated, then by date, then by place in the text.
        grounded.sort_by_key(|finding| recency(finding));
        let as_grounded =
            |f: &FieldGrounding| Grounded::new(f.value.clone(), f.span.into_iter().collect());
        if field.is_list {
            let mut distinct: Vec<&FieldGrounding> = Vec::new();
            for finding in grounded.iter().rev() {
                if !distinct.iter().any(|kept| kept.value == finding.value) {
                    distinct.push(finding);
                }
            }
            distinct.sort_by_key(|f| f.span.map(|s| s.start));
            if !distinct.is_empty() {
                let items = distinct.into_iter().map(as_grounded).collect();
                fields.insert(field.name.clone(), FieldValue::Many(items));
            }
        } else if let Some(newest) = grounded.last() {
            fields.insert(field.name.clone(), FieldValue::One(as_grounded(newest)));
        }
    }
    fields
}

/// How recent a finding is, for sorting: (has a date, the date, place in the text).
fn recency(finding: &FieldGrounding) -> (bool, String, usize) {
    (
        finding.date.is_some(),
        finding.date.clone().unwrap_or_default(),
        finding.span.map_or(0, |span| span.start),
    )
}

#[cfg(test)]
mod tests {
    use std::collections::VecDeque;

    use super::*;
    use crate::data::{Lang, Part};
    use crate::llm::{Completion, Message};

    /// A fake backend for unit tests of the pipeline's logic (not a model): it returns
    /// scripted answers in order and records the prompts it was sent. The real model is
    /// tested in tests/extract_llm.rs against a llama.cpp server.
    struct ScriptedBackend {
        answers: VecDeque<String>,
        prompts: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
    }

    impl Backend for ScriptedBackend {
        fn name(&self) -> String {
            "scripted".into()
        }
        fn stream(
            &mut self,
            _: &str,
            _: &GenerateOptions,
            _: &mut dyn FnMut(&str),
        ) -> Result<Completion> {
            unreachable!("the pipeline chats")
        }
        fn chat(&mut self, messages: &[Message], options: &GenerateOptions) -> Result<Completion> {
            assert!(options.json_schema.is_some(), "the schema is always sent");
            self.prompts
                .lock()
                .unwrap()
                .push(messages.last().unwrap().content.clone());
            let text = self.answers.pop_front().expect("a scripted answer left");
            Ok(Completion {
                finish_reason: FinishReason::Stop,
                prompt_tokens: 100,
                completion_tokens: text.len(),
                text,
                logprobs: None,
                seconds: 0.0,
            })
        }
    }

    fn scripted(answers: &[&str]) -> (LlmExtractor, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
        let prompts = std::sync::Arc::default();
        let backend = ScriptedBackend {
            answers: answers.iter().map(|a| a.to_string()).collect(),
            prompts: std::sync::Arc::clone(&prompts),
        };
        (
            LlmExtractor::new(Box::new(backend), ExtractionSchema::referral()),
            prompts,
        )
    }

    /// A patient file of two dated letters, the newer one first.
    fn patient_file() -> Document {
        let newer = "Brief 2024. Echo: LVEF 35%. NYHA III.";
        let older = "Brief 2019. Echo: LVEF 55%. Rookt niet.";
        let mut file = Document::new("p1", Lang::Nl, "patient_file", format!("{newer}\n{older}"));
        let newer_len = newer.chars().count();
        file.parts = vec![
            Part {
                kind: "letter".into(),
                date: Some("2024-05-03".into()),
                span: Span::new(0, newer_len),
            },
            Part {
                kind: "letter".into(),
                date: Some("2019-01-12".into()),
                span: Span::new(newer_len + 1, file.char_len()),
            },
        ];
        file
    }

    #[test]
    fn the_most_recent_dated_value_wins_across_windows() {
        let newer = r#"{"lvef_percent": {"value": 35, "quote": "LVEF 35%"}, "nyha_class": {"value": "III", "quote": "NYHA III"}}"#;
        let older = r#"{"lvef_percent": {"value": 55, "quote": "LVEF 55%"}, "smoking": {"value": "never", "quote": "Rookt niet"}}"#;
        let (extractor, prompts) = scripted(&[newer, older]);
        // About one letter of text per window: two prompts.
        let mut extractor = extractor.with_options(LlmOptions {
            window_tokens: Some(15),
            ..LlmOptions::default()
        });
        let file = patient_file();
        let found = extractor.extract(&file).unwrap();
        assert_eq!(prompts.lock().unwrap().len(), 2);
        assert!(prompts.lock().unwrap()[1].ends_with("Letter:\nEcho: LVEF 55%.\nRookt niet."));
        let lvef = &found.document.fields["lvef_percent"].items()[0];
        assert_eq!(lvef.value, 35, "2024 beats 2019 although 2019 came last");
        assert_eq!(found.document.slice(lvef.spans[0]), Some("LVEF 35%"));
        assert_eq!(found.document.fields["smoking"].items()[0].value, "never");
        // The fake counts one generated token per byte of its answer.
        assert_eq!(
            (found.prompt_tokens, found.completion_tokens),
            (200, newer.len() + older.len())
        );
        let dates: Vec<Option<&str>> = found.grounding.iter().map(|g| g.date.as_deref()).collect();
        assert_eq!(
            dates,
            [
                Some("2024-05-03"),
                Some("2024-05-03"),
                Some("2019-01-12"),
                Some("2019-01-12")
            ]
        );
    }

    #[test]
    fn values_without_evidence_are_flagged_not_kept() {
        let (mut extractor, _) = scripted(&[
            r#"{"age": {"value": 80, "quote": "80 jaar"}, "lvef_percent": {"value": 35, "quote": "lvef 35 %"},
                "allergies": [{"value": "penicilline", "quote": "penicilline"}, {"value": "jodium", "quote": "jodium"}]}"#,
        ]);
        let letter = Document::new(
            "a",
            Lang::Nl,
            "referral",
            "Echo: LVEF 35 %. Allergie: penicilline.",
        );
        let found = extractor.extract(&letter).unwrap();
        let statuses: Vec<(&str, Alignment)> = found
            .grounding
            .iter()
            .map(|g| (g.field.as_str(), g.status))
            .collect();
        assert_eq!(
            statuses,
            [
                ("age", Alignment::NotFound),
                ("lvef_percent", Alignment::Fuzzy),
                ("allergies", Alignment::Exact),
                ("allergies", Alignment::NotFound),
            ]
        );
        assert!(
            !found.document.fields.contains_key("age"),
            "no evidence: not kept"
        );
        assert_eq!(found.document.fields["allergies"].items().len(), 1);
        assert_eq!(
            found
                .document
                .slice(found.document.fields["lvef_percent"].items()[0].spans[0]),
            Some("LVEF 35 %")
        );
    }

    #[test]
    fn bad_answers_are_errors_that_say_why() {
        let letter = Document::new("a", Lang::En, "referral", "Aged 67.");
        for (answer, expected) in [
            ("not json", "window 1: the answer is not JSON"),
            (
                r#"{"shoe_size": 44}"#,
                "field `shoe_size`, which the schema lacks",
            ),
            (
                r#"{"diagnoses": {"value": "AF", "quote": "AF"}}"#,
                "field `diagnoses` should be a list",
            ),
            (r#"{"age": {"value": 67}}"#, "without a \"quote\""),
        ] {
            let (mut extractor, _) = scripted(&[answer]);
            let error = extractor.extract(&letter).unwrap_err().to_string();
            assert!(error.contains(expected), "{error}");
        }
    }

    #[test]
    fn long_documents_are_cut_into_retrieved_windows_within_budget() {
        let filler = "Patiënt fietst graag in het weekend. ".repeat(40);
        let text = format!("{filler}Echo: LVEF 35%. {filler}RR 142/88 mmHg.");
        let (extractor, _) = scripted(&[]);
        let extractor = extractor.with_options(LlmOptions {
            window_tokens: Some(60),
            chunks_per_field: 2,
            ..LlmOptions::default()
        });
        let windows = extractor.windows(&text);
        let shown: Vec<String> = windows.iter().map(|w| w.text(&text)).collect();
        assert!(
            shown.iter().any(|w| w.contains("Echo: LVEF 35%.")),
            "{shown:?}"
        );
        assert!(
            shown.iter().any(|w| w.contains("RR 142/88 mmHg.")),
            "{shown:?}"
        );
        for window in &windows {
            let tokens: usize = window
                .chunks
                .iter()
                .map(|s| TokenCounter::Estimate.count(s.slice(&text).unwrap()) + 1)
                .sum();
            assert!(tokens <= 60, "{tokens}");
        }
        let total_chunks: usize = windows.iter().map(|w| w.chunks.len()).sum();
        assert!(
            total_chunks < sentences(&text).len(),
            "only retrieved sentences are sent"
        );
    }
}
