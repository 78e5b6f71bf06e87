//! Prompts: the text a language model is given, built from a template.
//!
//! A prompt for extraction has four parts: a *system* text (who the model is and the rules),
//! *instructions* with a description of the schema, a few worked *examples* (few-shot: a
//! letter and the right answer), and finally the *document*. A [`Template`] holds the fixed
//! texts with named placeholders such as `{document}`; [`Template::render`] fills them in and
//! gives chat messages. Placeholders are checked when the template is made: a misspelled
//! `{documnet}` is an error at once, not a prompt that silently lacks the letter.
//!
//! ```
//! use clinkit::prompt::{Template, PromptValues};
//! let template = Template::new("You extract data.", "Fields:\n{schema}\n\nLetter:\n{document}").unwrap();
//! let messages = template.render(&PromptValues { schema: "- age", document: "67 jr" });
//! assert_eq!(messages.last().unwrap().content, "Fields:\n- age\n\nLetter:\n67 jr");
//! assert!(Template::new("", "{documnet}").unwrap_err().to_string().contains("unknown placeholder {documnet}"));
//! ```

use serde_json::Value;

use crate::error::{Error, Location, Result};
use crate::extract::grounding::{ground, Alignment};
use crate::extract::schema::ExtractionSchema;
use crate::llm::{Message, Role};

/// The placeholders a template may use.
pub const PLACEHOLDERS: [&str; 2] = ["document", "schema"];

/// A worked example for few-shot prompting: a short letter and the answer a model should give.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    /// The example letter.
    pub text: String,
    /// The right answer, in the schema's shape (`{"age": {"value": 67, "quote": "67 jr"}}`).
    pub answer: Value,
}

impl Example {
    /// An example whose every `quote` is checked to stand word for word in `text`: an example
    /// with an invented quote would teach the model to invent quotes.
    ///
    /// ```
    /// use clinkit::prompt::Example;
    /// let good = Example::new("Pt. is 67 jr.", serde_json::json!({"age": {"value": 67, "quote": "67 jr"}}));
    /// assert!(good.is_ok());
    /// let bad = Example::new("Pt. is 67 jr.", serde_json::json!({"age": {"value": 67, "quote": "67 years"}}));
    /// assert!(bad.unwrap_err().to_string().contains("field `age.quote`"));
    /// ```
    pub fn new(text: impl Into<String>, answer: Value) -> Result<Example> {
        let text = text.into();
        check_quotes(&text, &answer, "")?;
        Ok(Example { text, answer })
    }
}

/// Fails on the first `quote` in `answer` that is not verbatim in `text`.
fn check_quotes(text: &str, answer: &Value, path: &str) -> Result<()> {
    let here = |key: &str| {
        if path.is_empty() {
            key.to_string()
        } else {
            format!("{path}.{key}")
        }
    };
    match answer {
        Value::Object(map) => {
            for (key, value) in map {
                if key == "quote" {
                    let quote = value.as_str().unwrap_or_default();
                    if ground(text, quote).status != Alignment::Exact {
                        return Err(Error::invalid(
                            Location::default().field(here(key)),
                            format!(
                                "the example's quote {quote:?} is not word for word in its text"
                            ),
                        ));
                    }
                } else {
                    check_quotes(text, value, &here(key))?;
                }
            }
            Ok(())
        }
        Value::Array(items) => items
            .iter()
            .enumerate()
            .try_for_each(|(index, item)| check_quotes(text, item, &format!("{path}[{index}]"))),
        _ => Ok(()),
    }
}

/// What fills a template's placeholders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PromptValues<'a> {
    /// `{schema}`: the fields to extract, described for the model.
    pub schema: &'a str,
    /// `{document}`: the text to read.
    pub document: &'a str,
}

/// A prompt template: a system text, a user text with placeholders, and few-shot examples.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    /// The system message (rules that hold for the whole conversation); may use placeholders.
    pub system: String,
    /// The user message with the instructions, `{schema}` and `{document}`.
    pub user: String,
    /// Worked examples, shown as earlier user/assistant turns.
    pub examples: Vec<Example>,
}

impl Template {
    /// A template from its two texts. Errors on an unknown placeholder, an unclosed `{`,
    /// or a user text without `{document}`. Write `{{` and `}}` for literal braces.
    pub fn new(system: impl Into<String>, user: impl Into<String>) -> Result<Template> {
        let (system, user) = (system.into(), user.into());
        let at = Location::default();
        placeholders(&system, &at.clone().field("system"))?;
        let used = placeholders(&user, &at.clone().field("user"))?;
        if !used.iter().any(|name| name == "document") {
            return Err(Error::invalid(
                at.field("user"),
                "the template never shows the document: add {document}",
            ));
        }
        Ok(Template {
            system,
            user,
            examples: Vec::new(),
        })
    }

    /// The same template with few-shot examples.
    pub fn with_examples(mut self, examples: Vec<Example>) -> Template {
        self.examples = examples;
        self
    }

    /// The chat: the system message, each example as a user turn and the assistant's
    /// answer (compact JSON), then the user turn with the document.
    pub fn render(&self, values: &PromptValues) -> Vec<Message> {
        let mut messages = Vec::new();
        let system = fill(&self.system, values);
        if !system.is_empty() {
            messages.push(message(Role::System, system));
        }
        for example in &self.examples {
            let shown = PromptValues {
                document: &example.text,
                ..*values
            };
            messages.push(message(Role::User, fill(&self.user, &shown)));
            messages.push(message(Role::Assistant, example.answer.to_string()));
        }
        messages.push(message(Role::User, fill(&self.user, values)));
        messages
    }

    /// The template clinkit uses for extraction: English rules (the letters may be Dutch or
    /// English), copy quotes exactly, leave out what is not written, one short example.
    ///
    /// ```
    /// let template = clinkit::prompt::Template::extraction();
    /// assert_eq!(template.examples.len(), 1);
    /// assert!(template.user.contains("{document}"));
    /// ```
    pub fn extraction() -> Template {
        let example = Example::new(
            "Geachte collega, graag zien wij deze 71-jarige vrouw. Echo: LVEF 40%. Geen diabetes.",
            serde_json::json!({
                "age": {"value": 71, "quote": "71-jarige"},
                "sex": {"value": "female", "quote": "vrouw"},
                "diagnoses": [{"value": {"name": "diabetes", "status": "absent"}, "quote": "Geen diabetes"}],
                "lvef_percent": {"value": 40, "quote": "LVEF 40%"}
            }),
        )
        .expect("the built-in example's quotes are in its text");
        Template::new(
            "You extract data from clinical letters. Answer with JSON only. Every value needs a \
             quote: the exact words of the letter it was read in, copied character for character. \
             Leave out fields the letter does not mention; never guess.",
            "Fields to extract:\n{schema}\n\nLetter:\n{document}",
        )
        .expect("the built-in template is valid")
        .with_examples(vec![example])
    }
}

fn message(role: Role, content: String) -> Message {
    Message { role, content }
}

/// The names of the placeholders in `text`, checking each is known and every `{` is closed.
fn placeholders(text: &str, at: &Location) -> Result<Vec<String>> {
    let mut names = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find(['{', '}']) {
        let after = &rest[open + 1..];
        if rest[open..].starts_with("{{") || rest[open..].starts_with("}}") {
            rest = &rest[open + 2..];
            continue;
        }
        if rest[open..].starts_with('}') {
            return Err(Error::invalid(
                at.clone(),
                "a `}` without `{` (write `}}` for a literal brace)",
            ));
        }
        let close = after.find('}').ok_or_else(|| {
            Error::invalid(
                at.clone(),
                "a `{` that is never closed (write `{{` for a literal brace)",
            )
        })?;
        let name = &after[..close];
        if !PLACEHOLDERS.contains(&name) {
            return Err(Error::invalid(
                at.clone(),
                format!("unknown placeholder {{{name}}}; known: {{document}}, {{schema}}"),
            ));
        }
        names.push(name.to_string());
        rest = &after[close + 1..];
    }
    Ok(names)
}

/// `text` with its placeholders filled in and `{{`/`}}` turned into single braces.
fn fill(text: &str, values: &PromptValues) -> String {
    let mut out = String::with_capacity(text.len() + values.document.len());
    let mut rest = text;
    while let Some(open) = rest.find(['{', '}']) {
        out.push_str(&rest[..open]);
        let tail = &rest[open..];
        if tail.starts_with("{{") || tail.starts_with("}}") {
            out.push_str(&tail[..1]);
            rest = &tail[2..];
        } else if let Some(value) = tail.strip_prefix("{document}") {
            out.push_str(values.document);
            rest = value;
        } else if let Some(value) = tail.strip_prefix("{schema}") {
            out.push_str(values.schema);
            rest = value;
        } else {
            out.push_str(&tail[..1]); // cannot happen for a checked template
            rest = &tail[1..];
        }
    }
    out.push_str(rest);
    out
}

/// The schema's fields as a list for the prompt: `- name (list): description`.
///
/// ```
/// let schema = clinkit::extract::schema::ExtractionSchema::referral();
/// let text = clinkit::prompt::describe_schema(&schema);
/// assert!(text.starts_with("- age: The patient's age in years"));
/// assert!(text.contains("- medications (a list): Medications"));
/// ```
pub fn describe_schema(schema: &ExtractionSchema) -> String {
    schema
        .fields
        .iter()
        .map(|field| {
            let list = if field.is_list { " (a list)" } else { "" };
            format!("- {}{list}: {}", field.name, field.description)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// How a chat is written as one text for a model without a server that applies its format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChatFormat {
    /// Gemma: `<start_of_turn>user\n...<end_of_turn>\n<start_of_turn>model\n`; the system text
    /// goes at the start of the first user turn (Gemma has no system role).
    Gemma,
    /// ChatML (Qwen and others): `<|im_start|>system\n...<|im_end|>\n`.
    ChatMl,
}

impl ChatFormat {
    /// The chat as one prompt text, ending where the model's answer starts.
    ///
    /// ```
    /// use clinkit::llm::{Message, Role};
    /// use clinkit::prompt::ChatFormat;
    /// let chat = [Message { role: Role::System, content: "Be brief.".into() },
    ///             Message { role: Role::User, content: "Age?".into() }];
    /// assert_eq!(ChatFormat::Gemma.apply(&chat),
    ///     "<start_of_turn>user\nBe brief.\n\nAge?<end_of_turn>\n<start_of_turn>model\n");
    /// assert!(ChatFormat::ChatMl.apply(&chat).ends_with("<|im_start|>assistant\n"));
    /// ```
    pub fn apply(&self, messages: &[Message]) -> String {
        match self {
            ChatFormat::Gemma => gemma(messages),
            ChatFormat::ChatMl => {
                let mut text = String::new();
                for m in messages {
                    let role = match m.role {
                        Role::System => "system",
                        Role::User => "user",
                        Role::Assistant => "assistant",
                    };
                    text.push_str(&format!("<|im_start|>{role}\n{}<|im_end|>\n", m.content));
                }
                text + "<|im_start|>assistant\n"
            }
        }
    }
}

fn gemma(messages: &[Message]) -> String {
    let mut text = String::new();
    let mut pending_system = String::new();
    for m in messages {
        match m.role {
            Role::System => pending_system = format!("{}\n\n", m.content),
            Role::User => {
                let content = std::mem::take(&mut pending_system) + &m.content;
                text.push_str(&format!("<start_of_turn>user\n{content}<end_of_turn>\n"));
            }
            Role::Assistant => text.push_str(&format!(
                "<start_of_turn>model\n{}<end_of_turn>\n",
                m.content
            )),
        }
    }
    text + "<start_of_turn>model\n"
}

/// Counts the tokens of a text: with the model's real tokenizer when there is one, else an
/// estimate of one token per [`ESTIMATED_CHARS_PER_TOKEN`] characters.
pub enum TokenCounter {
    /// The model's own tokenizer (exact).
    Tokenizer(Box<dyn crate::tokenize::TextTokenizer + Send + Sync>),
    /// An estimate from the number of characters (for a server whose tokenizer we lack).
    Estimate,
}

/// Characters per token for the estimate: Gemma's tokenizer gives about 3.5 on Dutch and
/// English letters (book chapter on tokens); 3 errs on the safe side (more tokens counted).
pub const ESTIMATED_CHARS_PER_TOKEN: usize = 3;

/// Tokens a chat format adds around each message (turn markers, role names).
pub const TOKENS_PER_MESSAGE: usize = 6;

impl TokenCounter {
    /// The number of tokens of `text`.
    ///
    /// ```
    /// assert_eq!(clinkit::prompt::TokenCounter::Estimate.count("één twee"), 3); // 8 characters / 3, rounded up
    /// ```
    pub fn count(&self, text: &str) -> usize {
        match self {
            TokenCounter::Tokenizer(tokenizer) => tokenizer
                .count(text)
                .unwrap_or_else(|_| TokenCounter::Estimate.count(text)),
            TokenCounter::Estimate => {
                crate::text::char_len(text).div_ceil(ESTIMATED_CHARS_PER_TOKEN)
            }
        }
    }

    /// The tokens of a whole chat, with [`TOKENS_PER_MESSAGE`] for each message's markers.
    pub fn count_messages(&self, messages: &[Message]) -> usize {
        messages
            .iter()
            .map(|m| self.count(&m.content) + TOKENS_PER_MESSAGE)
            .sum()
    }
}

/// Checks that a chat and an answer of `answer_tokens` fit in `context_window` tokens;
/// the error says by how much it is too long. Returns the chat's token count.
///
/// ```
/// use clinkit::llm::{Message, Role};
/// use clinkit::prompt::{check_budget, TokenCounter};
/// let chat = [Message { role: Role::User, content: "x".repeat(300) }];
/// assert_eq!(check_budget(&chat, &TokenCounter::Estimate, 100, 512).unwrap(), 106);
/// assert!(check_budget(&chat, &TokenCounter::Estimate, 100, 200).unwrap_err().to_string().contains("6 tokens too many"));
/// ```
pub fn check_budget(
    messages: &[Message],
    counter: &TokenCounter,
    answer_tokens: usize,
    context_window: usize,
) -> Result<usize> {
    let prompt = counter.count_messages(messages);
    let needed = prompt + answer_tokens;
    if needed > context_window {
        return Err(Error::Refused(format!(
            "the prompt takes {prompt} tokens and the answer up to {answer_tokens}: {} tokens too many \
             for a context window of {context_window}",
            needed - context_window
        )));
    }
    Ok(prompt)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn braces_are_escaped_and_placeholders_filled() {
        let template = Template::new("Answer as {{\"age\": ...}}.", "{schema}|{document}").unwrap();
        let messages = template.render(&PromptValues {
            schema: "- age",
            document: "Mevr. {X}, 67 jr",
        });
        assert_eq!(messages[0].content, "Answer as {\"age\": ...}.");
        // A brace inside the document is text, never a placeholder.
        assert_eq!(messages[1].content, "- age|Mevr. {X}, 67 jr");
    }

    #[test]
    fn bad_templates_are_errors() {
        for (system, user, expected) in [
            ("", "no letter", "add {document}"),
            (
                "{system}",
                "{document}",
                "field `system`: unknown placeholder {system}",
            ),
            ("", "{document", "never closed"),
            ("", "{document} }", "without `{`"),
        ] {
            let error = Template::new(system, user).unwrap_err().to_string();
            assert!(error.contains(expected), "{error}");
        }
    }

    #[test]
    fn examples_become_earlier_turns() {
        let messages = Template::extraction().render(&PromptValues {
            schema: "- age: the age",
            document: "Dhr. is 80 jaar.",
        });
        let roles: Vec<Role> = messages.iter().map(|m| m.role).collect();
        assert_eq!(
            roles,
            [Role::System, Role::User, Role::Assistant, Role::User]
        );
        assert!(messages[1].content.ends_with("Letter:\nGeachte collega, graag zien wij deze 71-jarige vrouw. Echo: LVEF 40%. Geen diabetes."));
        assert!(messages[2]
            .content
            .starts_with("{\"age\":{\"value\":71,\"quote\":\"71-jarige\"}"));
        assert_eq!(
            messages[3].content,
            "Fields to extract:\n- age: the age\n\nLetter:\nDhr. is 80 jaar."
        );
    }

    #[test]
    fn quotes_inside_lists_are_checked_with_their_path() {
        let answer = serde_json::json!({"diagnoses": [
            {"value": {"name": "AF", "status": "present"}, "quote": "AF"},
            {"value": {"name": "DM", "status": "absent"}, "quote": "geen DM"}]});
        let error = Example::new("Bekend met AF.", answer)
            .unwrap_err()
            .to_string();
        assert!(error.contains("field `diagnoses[1].quote`"), "{error}");
    }
}
