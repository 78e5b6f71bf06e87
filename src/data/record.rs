//! The shape of one JSONL line: a [`Document`] with its gold or predicted labels.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::text::{char_len, Span};

/// The language a document is written in.
///
/// ```
/// use clinkit::data::Lang;
/// assert_eq!(serde_json::to_string(&Lang::Nl).unwrap(), "\"nl\"");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Dutch.
    Nl,
    /// English.
    En,
}

impl Lang {
    /// The two-letter code, `"nl"` or `"en"`.
    pub fn code(&self) -> &'static str {
        match self {
            Lang::Nl => "nl",
            Lang::En => "en",
        }
    }
}

/// One value together with its *evidence*: the places in the text that support it.
///
/// `value` is the normalised answer (for example the number `67`), `spans` point at
/// the words in the letter it came from (for example `"67-jarige"`).
///
/// ```
/// use clinkit::data::Grounded;
/// use clinkit::text::Span;
/// let age = Grounded::new(serde_json::json!(67), vec![Span::new(20, 22)]);
/// assert_eq!(serde_json::to_string(&age).unwrap(), r#"{"value":67,"spans":[[20,22]]}"#);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Grounded {
    /// The normalised value: a number, a word from a fixed list, a text, or an object
    /// (for a diagnosis or a medication).
    pub value: serde_json::Value,
    /// Where in the text the evidence for the value stands (character offsets).
    #[serde(default)]
    pub spans: Vec<Span>,
}

impl Grounded {
    /// A value with its evidence spans.
    pub fn new(value: serde_json::Value, spans: Vec<Span>) -> Self {
        Grounded { value, spans }
    }
}

/// The value of one field of a schema: a single grounded value (such as `age`) or a
/// list of them (such as `medications`, where every medication has its own evidence).
///
/// ```
/// use clinkit::data::FieldValue;
/// let one: FieldValue = serde_json::from_str(r#"{"value": 67, "spans": [[0, 2]]}"#).unwrap();
/// let many: FieldValue = serde_json::from_str(r#"[{"value": "penicillin", "spans": [[5, 15]]}]"#).unwrap();
/// assert!(matches!(one, FieldValue::One(_)));
/// assert!(matches!(many, FieldValue::Many(_)), "a list of one item is still a list");
/// assert_eq!(many.items()[0].value, "penicillin");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum FieldValue {
    /// A field with one value.
    One(Grounded),
    /// A field with a list of values.
    Many(Vec<Grounded>),
}

impl<'de> Deserialize<'de> for FieldValue {
    /// A JSON object is one value, a JSON array a list; anything else is an error that
    /// says what was expected.
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        match serde_json::Value::deserialize(deserializer)? {
            list @ serde_json::Value::Array(_) => Vec::<Grounded>::deserialize(list)
                .map(FieldValue::Many)
                .map_err(D::Error::custom),
            one @ serde_json::Value::Object(_) => Grounded::deserialize(one)
                .map(FieldValue::One)
                .map_err(D::Error::custom),
            other => Err(D::Error::custom(format!(
                "expected an object {{\"value\", \"spans\"}} or a list of them, found {other}"
            ))),
        }
    }
}

impl FieldValue {
    /// All grounded values of the field, one for a single field, all for a list.
    pub fn items(&self) -> &[Grounded] {
        match self {
            FieldValue::One(one) => std::slice::from_ref(one),
            FieldValue::Many(many) => many,
        }
    }
}

/// The kinds of protected health information (PHI) we find and remove.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum PhiType {
    /// A person's name: patient, relative, doctor.
    Name,
    /// A calendar date.
    Date,
    /// A person's age.
    Age,
    /// Burgerservicenummer: the Dutch citizen service number (9 digits, passes the elfproef).
    Bsn,
    /// Any other identifier: patient number, hospital number, AGB code.
    Id,
    /// A street address.
    Address,
    /// A postcode such as `2333 ZA`.
    Postcode,
    /// A telephone number.
    Phone,
    /// An e-mail address.
    Email,
    /// A web address.
    Url,
    /// A hospital, practice or other healthcare institution.
    Institution,
}

impl PhiType {
    /// Every PHI type, in a fixed order.
    pub const ALL: [PhiType; 11] = [
        PhiType::Name,
        PhiType::Date,
        PhiType::Age,
        PhiType::Bsn,
        PhiType::Id,
        PhiType::Address,
        PhiType::Postcode,
        PhiType::Phone,
        PhiType::Email,
        PhiType::Url,
        PhiType::Institution,
    ];

    /// The upper-case name used in files, such as `"NAME"`.
    pub fn as_str(&self) -> &'static str {
        match self {
            PhiType::Name => "NAME",
            PhiType::Date => "DATE",
            PhiType::Age => "AGE",
            PhiType::Bsn => "BSN",
            PhiType::Id => "ID",
            PhiType::Address => "ADDRESS",
            PhiType::Postcode => "POSTCODE",
            PhiType::Phone => "PHONE",
            PhiType::Email => "EMAIL",
            PhiType::Url => "URL",
            PhiType::Institution => "INSTITUTION",
        }
    }
}

/// One piece of protected health information: where it is and what kind it is.
///
/// ```
/// use clinkit::data::{PhiSpan, PhiType};
/// let phi: PhiSpan = serde_json::from_str(r#"{"start": 10, "end": 24, "type": "NAME"}"#).unwrap();
/// assert_eq!(phi.kind, PhiType::Name);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhiSpan {
    /// First character.
    pub start: usize,
    /// One past the last character.
    pub end: usize,
    /// What kind of PHI it is.
    #[serde(rename = "type")]
    pub kind: PhiType,
}

impl PhiSpan {
    /// The span as a [`Span`].
    pub fn span(&self) -> Span {
        Span::new(self.start, self.end)
    }
}

/// A part of a longer document: one letter, lab report or discharge summary inside a
/// patient file, with its date.
///
/// ```
/// use clinkit::data::Part;
/// let part: Part = serde_json::from_str(r#"{"kind": "lab", "date": "2024-03-01", "span": [0, 500]}"#).unwrap();
/// assert_eq!(part.kind, "lab");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Part {
    /// What kind of document the part is: `letter`, `discharge`, `lab`, `echo`, `medication_list`...
    pub kind: String,
    /// The date written on the part, as `YYYY-MM-DD`, if it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Where the part stands in the document's text.
    pub span: Span,
}

/// One line of a reference summary: which section of the summary it belongs to, what it
/// says, and the spans of the letter that support it.
///
/// Sections, in the order a doctor reads them: `who` (age, sex, reason, urgency),
/// `history`, `medication`, `findings`, `questions`.
///
/// ```
/// use clinkit::data::SummaryLine;
/// let line: SummaryLine = serde_json::from_str(
///     r#"{"section": "findings", "text": "LVEF 35%", "spans": [[40, 42]]}"#).unwrap();
/// assert_eq!(line.spans[0].start, 40);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SummaryLine {
    /// The section: `who`, `history`, `medication`, `findings` or `questions`.
    pub section: String,
    /// What the line says, in the letter's language.
    pub text: String,
    /// The evidence in the letter (character offsets).
    #[serde(default)]
    pub spans: Vec<Span>,
}

/// One document: its text and, for gold or prediction files, its labels.
///
/// ```
/// use clinkit::data::Document;
/// let line = r#"{"id": "ref-0001", "lang": "en", "kind": "referral", "text": "Mr. Smith, 67 years."}"#;
/// let doc: Document = serde_json::from_str(line).unwrap();
/// assert_eq!(doc.id, "ref-0001");
/// assert!(doc.fields.is_empty());
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Document {
    /// A name for the document that is unique within its file, such as `ref-0001`.
    pub id: String,
    /// The language of the text.
    pub lang: Lang,
    /// What kind of document this is: `referral`, `patient_file`, ...
    pub kind: String,
    /// For documents that belong to a patient: the patient's (pseudonymous) id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub patient_id: Option<String>,
    /// The full text.
    pub text: String,
    /// Gold or predicted values, by field name (see [`crate::data::referral`]).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: BTreeMap<String, FieldValue>,
    /// Gold or predicted PHI spans.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub phi: Vec<PhiSpan>,
    /// For long documents made of several parts (a patient file): the parts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<Part>,
    /// A reference summary of the document, one line a statement, each with its evidence
    /// (the synthetic generator writes one per referral letter; see [`crate::summarise`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub summary: Vec<SummaryLine>,
}

impl Document {
    /// A document with text and no labels.
    ///
    /// ```
    /// use clinkit::data::{Document, Lang};
    /// let doc = Document::new("note-1", Lang::Nl, "referral", "Geen diabetes.");
    /// assert_eq!(doc.char_len(), 14);
    /// ```
    pub fn new(
        id: impl Into<String>,
        lang: Lang,
        kind: impl Into<String>,
        text: impl Into<String>,
    ) -> Self {
        Document {
            id: id.into(),
            lang,
            kind: kind.into(),
            patient_id: None,
            text: text.into(),
            fields: BTreeMap::new(),
            phi: Vec::new(),
            parts: Vec::new(),
            summary: Vec::new(),
        }
    }

    /// The length of the text in characters.
    pub fn char_len(&self) -> usize {
        char_len(&self.text)
    }

    /// The text a span points at, or `None` if the span is outside the text.
    pub fn slice(&self, span: Span) -> Option<&str> {
        span.slice(&self.text)
    }
}
