//! Constrained decoding over the packaged Gemma 3 model: with a JSON Schema constraint the
//! base 270M model writes schema-valid JSON for every one of 50 referral prompts (two
//! worked examples, then a letter); with the instruction alone, its free answers break the
//! schema while the constraint makes the very same prompts valid.
//!
//! The schema (tests/fixtures/constrain/referral_fields.schema.json) asks for three fields of
//! the referral schema: `nyha_class`, `lvef_percent` and `medications`. Validity is checked
//! independently of the grammar engine, by deserialising into [`ReferralFields`] (unknown
//! fields refused) and checking the ranges and patterns the schema sets by hand.
#![cfg(feature = "models")]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use clinkit::data::{read_jsonl, Document};
use clinkit::llm::constrain::{ConstraintVocab, JsonLayout, JsonSchemaConstraint};
use clinkit::llm::gemma3::{Gemma3, KvCache};
use clinkit::llm::gguf::GgufModelFile;
use clinkit::llm::TokenConstraint;
use clinkit::text::char_to_byte;
use serde::Deserialize;

const PROMPTS: usize = 50;
/// Enough for the longest answer the schema allows (see its `$comment`), so a constrained
/// answer is never cut off; typical answers take 25-45 tokens, most of them forced.
const MAX_TOKENS: usize = 128;
/// The run without examples stops once it has found this many invalid free answers.
const ENOUGH_INVALID: usize = 3;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/constrain")
        .join(name)
}

fn schema() -> serde_json::Value {
    let text = std::fs::read_to_string(fixture("referral_fields.schema.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// The three fields as a Rust type: what "valid" means, checked without llguidance.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReferralFields {
    // Only read by serde: a class outside I-IV fails to parse, which is the check.
    #[allow(dead_code)]
    nyha_class: Option<Nyha>,
    lvef_percent: Option<i64>,
    medications: Vec<Medication>,
}

/// Roman numerals, as the schema writes them.
#[derive(Debug, Deserialize)]
#[allow(clippy::upper_case_acronyms)]
enum Nyha {
    I,
    II,
    III,
    IV,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Medication {
    name: String,
    dose: String,
}

/// Why `text` is not a valid answer, or `None` when it is.
fn invalid_because(text: &str) -> Option<String> {
    let fields: ReferralFields = match serde_json::from_str(text) {
        Ok(fields) => fields,
        Err(e) => return Some(e.to_string()),
    };
    let _ = fields
        .nyha_class
        .map(|class| matches!(class, Nyha::I | Nyha::II | Nyha::III | Nyha::IV));
    if let Some(lvef) = fields.lvef_percent.filter(|lvef| !(5..=90).contains(lvef)) {
        return Some(format!("lvef_percent {lvef} outside 5..=90"));
    }
    if fields.medications.len() > 2 {
        return Some(format!(
            "{} medications, at most 2",
            fields.medications.len()
        ));
    }
    for medication in &fields.medications {
        if !plain_name(&medication.name) || !plain_dose(&medication.dose) {
            return Some(format!(
                "medication {medication:?} does not match the schema's patterns"
            ));
        }
    }
    None
}

/// `^[A-Za-z][A-Za-z0-9 -]{1,19}$`, written out by hand.
fn plain_name(name: &str) -> bool {
    let mut chars = name.chars();
    let first_is_letter = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    let rest_ok = chars.all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '-');
    first_is_letter && rest_ok && (2..=20).contains(&name.len())
}

/// `^[0-9A-Za-z .,/-]{1,10}$`, written out by hand.
fn plain_dose(dose: &str) -> bool {
    let chars_ok = dose
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || " .,/-".contains(c));
    chars_ok && (1..=10).contains(&dose.len())
}

struct Gemma {
    model: Gemma3,
    vocab: ConstraintVocab,
}

/// The packaged model and its vocabulary, loaded once for all tests in this file.
fn gemma() -> &'static Gemma {
    static GEMMA: OnceLock<Gemma> = OnceLock::new();
    GEMMA.get_or_init(|| {
        let path = clinkit::models::ready_dir("gemma-3-270m-q4_k_m")
            .expect("the packaged Gemma 3 model (run scripts/setup)")
            .join("gemma-3-270m-q4_k_m.gguf");
        let file = GgufModelFile::open(&path).unwrap();
        Gemma {
            model: Gemma3::load(&file).unwrap(),
            vocab: ConstraintVocab::from_gguf(&path).unwrap(),
        }
    })
}

const EOS: u32 = 1;
const END_OF_TURN: u32 = 106;

/// How [`generate`] uses the JSON Schema.
enum Use<'a> {
    /// Mask every step: only tokens that keep the answer schema-valid.
    Constrain(&'a mut JsonSchemaConstraint),
    /// No mask; the schema only watches, and generation stops at the first token after
    /// which no schema-valid answer is possible any more (the answer is invalid then,
    /// whatever would follow, so there is no need to generate the rest).
    Watch(&'a mut JsonSchemaConstraint),
}

/// Greedy decoding: always the most likely allowed token. With a constraint, forced tokens
/// are appended and read by the model in one step. Generation stops at the end-of-text
/// token, at a newline (the end of an answer in the prompt's format) or after `MAX_TOKENS`.
fn generate(gemma: &Gemma, mut cache: KvCache, prompt: &[u32], mut schema: Use) -> (String, usize) {
    let mut logits = gemma.model.forward(prompt, &mut cache).unwrap();
    let mut generated: Vec<u32> = Vec::new();
    let mut allowed = vec![true; logits.len()];
    if let Use::Constrain(json) = &mut schema {
        let forced = json.forced_tokens().unwrap();
        if !forced.is_empty() {
            logits = gemma.model.forward(&forced, &mut cache).unwrap();
            generated.extend(forced);
        }
    }
    while generated.len() < MAX_TOKENS {
        if let Use::Constrain(json) = &mut schema {
            allowed.fill(true);
            json.mask(&mut allowed).unwrap();
        }
        let best = (0..logits.len())
            .filter(|&id| allowed[id])
            .max_by(|&a, &b| logits[a].total_cmp(&logits[b]))
            .expect("the mask leaves at least one token") as u32;
        if best == EOS || best == END_OF_TURN || gemma.vocab.token_text(best).contains('\n') {
            break;
        }
        generated.push(best);
        let mut next = vec![best];
        match &mut schema {
            Use::Constrain(json) => {
                json.accept(best).unwrap();
                if json.is_finished() {
                    break;
                }
                let forced = json.forced_tokens().unwrap();
                next.extend(&forced);
                generated.extend(forced);
            }
            Use::Watch(json) => {
                if !still_possible(gemma, json, &generated) {
                    break;
                }
            }
        }
        logits = gemma.model.forward(&next, &mut cache).unwrap();
    }
    let text: String = generated
        .iter()
        .map(|&id| gemma.vocab.token_text(id))
        .collect();
    (text, generated.len())
}

/// Tells the watching schema about the newest token; false once no schema-valid answer
/// can start with the text so far. The free model may write a space before `{` (the
/// grammar's document starts at `{`), so the text is only handed over from its first
/// non-space character on, re-cut into tokens once at that point.
fn still_possible(gemma: &Gemma, json: &mut JsonSchemaConstraint, generated: &[u32]) -> bool {
    let newest = *generated.last().unwrap();
    if !json.tokens().is_empty() {
        return json.accept(newest).is_ok();
    }
    let text: String = generated
        .iter()
        .map(|&id| gemma.vocab.token_text(id))
        .collect();
    let start = text.trim_start();
    start.is_empty()
        || gemma
            .vocab
            .tokenize(start)
            .into_iter()
            .all(|id| json.accept(id).is_ok())
}

/// The lines of a letter that hold the evidence for the three fields (or its reason for
/// referral), so that prompts stay short.
fn excerpt(document: &Document) -> String {
    let mut lines: Vec<&str> = Vec::new();
    for field in [
        "nyha_class",
        "lvef_percent",
        "medications",
        "referral_reason",
    ] {
        if field == "referral_reason" && !lines.is_empty() {
            break;
        }
        let Some(value) = document.fields.get(field) else {
            continue;
        };
        for span in value.items().iter().flat_map(|item| &item.spans) {
            let line = line_at(&document.text, span.start);
            if !lines.contains(&line) && lines.len() < 4 {
                lines.push(line);
            }
        }
    }
    if lines.is_empty() {
        lines.push(document.text.lines().next().unwrap_or_default());
    }
    lines.join("\n")
}

fn line_at(text: &str, char_index: usize) -> &str {
    let at = char_to_byte(text, char_index).unwrap();
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    text[start..end].trim()
}

const INSTRUCTIONS: &str = "Extract the NYHA class, the LVEF and the medications from each cardiology referral as JSON.\n\n\
Letter: Medicatie: metoprolol 50 mg 2dd1. Echo: LVEF 35%. NYHA klasse III.\n\
JSON: {\"nyha_class\": \"III\", \"lvef_percent\": 35, \"medications\": [{\"name\": \"metoprolol\", \"dose\": \"50 mg\"}]}\n\n\
Letter: Reason for referral: chest pain on exertion.\n\
JSON: {\"nyha_class\": null, \"lvef_percent\": null, \"medications\": []}\n\n";

/// 50 synthetic referral letters (dev split), as short prompts after shared instructions.
fn prompts() -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("datasets-synthetic/referrals/dev.jsonl");
    read_jsonl(&path)
        .unwrap()
        .iter()
        .take(PROMPTS)
        .map(|document| format!("Letter: {}\nJSON: ", excerpt(document).replace('\n', " ")))
        .collect()
}

/// The tokens of `INSTRUCTIONS` read once; every prompt continues from a copy.
fn instructions_cache(gemma: &Gemma) -> KvCache {
    let mut cache = gemma.model.new_cache();
    let mut prefix = vec![2u32]; // <bos>
    prefix.extend(gemma.vocab.tokenize(INSTRUCTIONS));
    gemma.model.forward(&prefix, &mut cache).unwrap();
    cache
}

#[test]
fn fifty_referral_prompts_give_schema_valid_json_with_the_constraint() {
    let gemma = gemma();
    let schema = schema();
    let instructions = instructions_cache(gemma);
    let prompts = prompts();
    assert_eq!(prompts.len(), PROMPTS);
    let mut invalid = Vec::new();
    let (mut mask_seconds, mut masks, mut tokens_used) = (0.0, 0, 0);
    for (index, prompt) in prompts.iter().enumerate() {
        let tokens = gemma.vocab.tokenize(prompt);
        let mut json = JsonSchemaConstraint::new(&gemma.vocab, &schema).unwrap();
        let (answer, used) = generate(
            gemma,
            instructions.clone(),
            &tokens,
            Use::Constrain(&mut json),
        );
        let (average, count) = json.mask_cost();
        mask_seconds += average.as_secs_f64() * count as f64;
        masks += count;
        tokens_used += used;
        eprintln!("{index:2} {used:3} tokens: {answer}");
        if let Some(why) = invalid_because(&answer) {
            invalid.push(format!("prompt {index}: {answer:?}: {why}"));
        }
    }
    eprintln!(
        "{tokens_used} tokens, {masks} sampled under a mask of {:.2} ms on average",
        1000.0 * mask_seconds / masks.max(1) as f64,
    );
    assert!(invalid.is_empty(), "{invalid:#?}");
}

/// The same letters with the instruction alone (no worked examples): what an intern
/// writes first. With two worked examples in the prompt the base model copies their
/// format and was valid on the first five prompts even without the constraint (seen
/// while writing these tests); with the instruction alone it is not, and the constraint is what makes the
/// very same prompts give valid answers.
#[test]
fn without_examples_the_constraint_is_what_makes_the_answers_valid() {
    let gemma = gemma();
    let schema = schema();
    let mut instructions = gemma.model.new_cache();
    let mut prefix = vec![2u32]; // <bos>
    prefix.extend(
        gemma
            .vocab
            .tokenize(INSTRUCTIONS.split("\n\n").next().unwrap()),
    );
    gemma.model.forward(&prefix, &mut instructions).unwrap();
    let mut invalid = Vec::new();
    for (index, prompt) in prompts().iter().enumerate() {
        let prompt = format!("\n\n{}", prompt.trim_end());
        let tokens = gemma.vocab.tokenize(&prompt);
        // Any whitespace is fine when the model writes freely.
        let mut watch =
            JsonSchemaConstraint::with_layout(&gemma.vocab, &schema, JsonLayout::Flexible).unwrap();
        let (free, _) = generate(gemma, instructions.clone(), &tokens, Use::Watch(&mut watch));
        eprintln!("{index:2} free: {free:?}");
        let Some(why) = invalid_because(&free) else {
            continue;
        };
        let tokens = gemma.vocab.tokenize(&format!("{prompt} "));
        let mut json = JsonSchemaConstraint::new(&gemma.vocab, &schema).unwrap();
        let (constrained, _) = generate(
            gemma,
            instructions.clone(),
            &tokens,
            Use::Constrain(&mut json),
        );
        eprintln!("   constrained: {constrained}");
        assert_eq!(
            invalid_because(&constrained),
            None,
            "prompt {index}: {constrained:?}"
        );
        invalid.push((index, free, why));
        if invalid.len() == ENOUGH_INVALID {
            break;
        }
    }
    assert_eq!(
        invalid.len(),
        ENOUGH_INVALID,
        "free answers were valid: {invalid:#?}"
    );
}

/// A hand-written answer, cut into Gemma tokens, is allowed token by token; tokens that
/// would break the schema are masked out on the way.
#[test]
fn a_valid_answer_is_allowed_step_by_step_and_wrong_tokens_are_masked() {
    let vocab = &gemma().vocab;
    let answer = r#"{"nyha_class": "III", "lvef_percent": 35, "medications": [{"name": "bisoprolol", "dose": "5 mg"}]}"#;
    let tokens = vocab.tokenize(answer);
    let mut json = JsonSchemaConstraint::new(vocab, &schema()).unwrap();
    let mut allowed = vec![true; vocab.len()];
    for &token in &tokens {
        allowed.fill(true);
        json.mask(&mut allowed).unwrap();
        assert!(
            allowed[token as usize],
            "token {token} ({:?}) masked after {:?}",
            vocab.token_text(token),
            json.text()
        );
        assert!(
            !allowed[EOS as usize],
            "end of text allowed in the middle: {:?}",
            json.text()
        );
        let text = json.text();
        if text.ends_with("\"lvef_percent\": ") {
            // A number or null; not a string, not a word, not a negative number.
            for wrong in ["\"", "abc", "-", "{"] {
                let id = vocab.tokenize(wrong)[0];
                assert!(!allowed[id as usize], "{wrong:?} allowed after {text:?}");
            }
            assert!(allowed[vocab.tokenize("null")[0] as usize]);
        }
        json.accept(token).unwrap();
    }
    assert_eq!(json.text(), answer);
    assert!(json.is_complete());
    allowed.fill(true);
    json.mask(&mut allowed).unwrap();
    let open: Vec<usize> = (0..allowed.len()).filter(|&id| allowed[id]).collect();
    assert_eq!(
        open,
        [EOS as usize, END_OF_TURN as usize],
        "after the closing brace only an end token"
    );
    json.accept(EOS).unwrap();
    assert!(json.is_finished());
}

#[test]
fn ranges_and_enums_of_the_schema_are_enforced_token_by_token() {
    let vocab = &gemma().vocab;
    let mut json = JsonSchemaConstraint::new(vocab, &schema()).unwrap();
    for token in vocab.tokenize(r#"{"nyha_class": "I"#) {
        json.accept(token).unwrap();
    }
    let mut allowed = vec![true; vocab.len()];
    json.mask(&mut allowed).unwrap();
    let allowed_text = |allowed: &[bool], text: &str| {
        let ids = vocab.tokenize(text);
        assert_eq!(ids.len(), 1, "{text:?} is one Gemma token");
        allowed[ids[0] as usize]
    };
    // "I" may become "II", "III", "IV" or close; never "IX".
    assert!(allowed_text(&allowed, "V"));
    assert!(allowed_text(&allowed, "I"));
    assert!(!allowed_text(&allowed, "X"));
    for token in vocab.tokenize(r#"I", "lvef_percent": 9"#) {
        json.accept(token).unwrap();
    }
    allowed.fill(true);
    json.mask(&mut allowed).unwrap();
    assert!(allowed_text(&allowed, "0"), "90 is the maximum");
    assert!(!allowed_text(&allowed, "5"), "95 is above the maximum");
    let error = json.accept(vocab.tokenize("5")[0]).unwrap_err();
    assert!(error.to_string().contains("not allowed"), "{error}");
}

#[test]
fn forced_tokens_fill_in_what_only_the_schema_decides() {
    let vocab = &gemma().vocab;
    let mut json = JsonSchemaConstraint::new(vocab, &schema()).unwrap();
    let forced = json.forced_tokens().unwrap();
    let text: String = forced.iter().map(|&id| vocab.token_text(id)).collect();
    assert!(text.starts_with("{\"nyha_class\":"), "{text:?}");
    assert_eq!(json.text(), text);
    // Nothing is forced where the model has a choice.
    assert_eq!(json.forced_tokens().unwrap(), Vec::<u32>::new());
}

#[test]
fn flexible_layout_allows_newlines_between_items() {
    let vocab = &gemma().vocab;
    let mut json =
        JsonSchemaConstraint::with_layout(vocab, &schema(), JsonLayout::Flexible).unwrap();
    let mut compact = JsonSchemaConstraint::new(vocab, &schema()).unwrap();
    let newline = vocab.tokenize("\n")[0] as usize;
    for constraint in [&mut json, &mut compact] {
        constraint.accept(vocab.tokenize("{")[0]).unwrap();
    }
    let mut allowed = vec![true; vocab.len()];
    json.mask(&mut allowed).unwrap();
    assert!(allowed[newline]);
    allowed.fill(true);
    compact.mask(&mut allowed).unwrap();
    assert!(!allowed[newline]);
}

#[test]
fn a_schema_file_with_broken_json_names_the_file_and_line() {
    let vocab = &gemma().vocab;
    let path = fixture("broken_json.schema.json");
    let error = JsonSchemaConstraint::from_file(vocab, &path)
        .err()
        .unwrap()
        .to_string();
    assert!(error.contains("broken_json.schema.json:5"), "{error}");
    assert!(error.contains("not valid JSON"), "{error}");
}

#[test]
fn a_schema_with_an_unknown_type_names_the_file_and_the_type() {
    let vocab = &gemma().vocab;
    let path = fixture("unknown_type.schema.json");
    let error = JsonSchemaConstraint::from_file(vocab, &path)
        .err()
        .unwrap()
        .to_string();
    assert!(error.contains("unknown_type.schema.json"), "{error}");
    assert!(error.contains("integr"), "{error}");
    let missing = JsonSchemaConstraint::from_file(vocab, &fixture("missing.schema.json"))
        .err()
        .unwrap();
    assert!(
        missing.to_string().contains("missing.schema.json"),
        "{missing}"
    );
}

#[test]
fn the_schema_file_constrains_like_the_same_schema_as_a_value() {
    let vocab = &gemma().vocab;
    let mut from_file =
        JsonSchemaConstraint::from_file(vocab, &fixture("referral_fields.schema.json")).unwrap();
    let mut from_value = JsonSchemaConstraint::new(vocab, &schema()).unwrap();
    assert_eq!(
        from_file.forced_tokens().unwrap(),
        from_value.forced_tokens().unwrap()
    );
}
