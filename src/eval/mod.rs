//! Evaluation: the numbers an intern must show before anyone trusts their extraction.
//!
//! A system (rules, a language model) read some letters and filled in the referral
//! schema. A gold standard says what the right answers are. Evaluation puts the two side
//! by side and counts: what did the system get right, what did it invent, what did it
//! miss — and how sure can we be of those numbers?
//!
//! | idea | where |
//! | --- | --- |
//! | true/false positives, precision, recall, F1, micro and macro averages | [`Counts`], [`micro_average`], [`macro_average`] |
//! | when two answers are "the same" (normalising text, numbers, units, frequencies) | [`normalize_text`], [`values_match`], [`medication_attributes`] |
//! | pairing items one-to-one | [`max_matching`], [`Matching`] |
//! | span scores, strict and lenient, for evidence and PHI | [`span_counts`] |
//! | confidence intervals by resampling documents | [`Bootstrap`] |
//! | agreement beyond chance, confusion matrices | [`cohen_kappa`], [`ConfusionMatrix`] |
//! | agreement on ordered classes (NYHA I–IV), where a near miss counts less | [`weighted_cohen_kappa`], [`KappaWeights`] |
//! | is system B better than system A? | [`compare`] |
//! | the mistakes themselves, with their context in the letter | [`ErrorCase`], [`Snippet`], [`group_errors`] |
//! | everything at once, as text, JSON, HTML and charts (SVG; PNG with the `png` feature) | [`evaluate`], [`EvalReport`], [`Svg`] |
//!
//! In a notebook:
//!
//! ```no_run
//! use clinkit::eval::{evaluate_files, EvalOptions};
//! let report = evaluate_files("gold.jsonl".as_ref(), "pred.jsonl".as_ref(), &EvalOptions::default()).unwrap();
//! println!("{}", report.render_text());
//! report.f1_chart(); // shows a bar chart inline in Jupyter (evcxr)
//! ```
//!
//! # Pairing documents
//!
//! Gold and prediction documents are paired by `id`. A prediction whose id is not in the
//! gold file is an error (naming the prediction file, line and id). A gold document
//! without a prediction counts as an empty prediction (all its items missed), with a
//! warning. Referral documents are checked against the schema first, so a bad line gives
//! an error such as `gold.jsonl:7: field `fields.age.value`: expected a whole number`.
//!
//! # Counting fields
//!
//! Each field of each document is a small set of values (one value for `age`, a list for
//! `medications`), and gold and predicted values are paired one-to-one by the rule of the
//! field's kind (see [`values_match`] for the table). A wrong single value counts as one
//! false positive plus one false negative. Micro averages add up all counts; macro
//! averages take the mean over the fields that gold or prediction ever filled in.

mod analysis;
mod bootstrap;
mod compare;
mod confusion;
mod counts;
mod document;
mod fields;
mod html;
mod matching;
mod normalize;
mod pairing;
pub(crate) mod plot;
#[cfg(feature = "png")]
mod png;
mod report;
mod spans;
mod terminal;

pub use analysis::{find_mention, group_errors, ErrorCase, ErrorGroup, ErrorKind, Snippet};
pub use bootstrap::{quantile, Bootstrap, Interval};
pub use compare::{compare, compare_files, Comparison, Difference};
pub use confusion::{
    cohen_kappa, weighted_cohen_kappa, Agreement, ConfusionMatrix, KappaWeights, OrderedAgreement,
    NOT_MENTIONED, ORDERED_FIELDS,
};
pub use counts::{label_counts, macro_average, micro_average, Counts, Scores};
pub use fields::{display_value, match_field, medication_attributes, values_match, AttributeCheck};
pub use html::{escape_html, html_page, HTML_STYLE};
pub use matching::{max_matching, Matching};
pub use normalize::{
    doses_match, fold_accent, milligrams_per, normalize_frequency, normalize_text, normalize_unit,
    numbers_match,
};
pub use plot::{confusion_chart, f1_chart, Svg};
#[cfg(feature = "png")]
pub use png::PNG_SCALE;
pub use report::{
    evaluate, evaluate_files, AttributeRow, Average, EvalOptions, EvalReport, FieldRow, SpanTable,
};
pub use spans::{span_counts, SpanCounts, SpanRow};
