//! The names every notebook cell on the clinkit kernel can use without a `use` line.
//!
//! The kernel's `init.evcxr` ends with the single line `use clinkit::kernel::prelude::*;`,
//! so what a notebook sees is decided here, in the library, where it is compiled and tested.
//! Modules come in by name (write `rules::extract(&letter)`, `eval::evaluate(...)`), and
//! the few types every lesson uses come in directly.
//!
//! ```
//! use clinkit::kernel::prelude::*;
//! let letter = Document::new("ex-1", Lang::Nl, "referral", "Deze 67-jarige patiënt.");
//! let found = rules::extract(&letter);
//! assert_eq!(found.fields["age"].items()[0].value, 67);
//! assert_eq!(letter.slice(Span::new(5, 7)), Some("67"));
//! ```

pub use crate::data::{self, Document, FieldValue, Grounded, Lang, PhiSpan, PhiType};
pub use crate::deid;
pub use crate::embed;
pub use crate::eval::{self, EvalOptions, EvalReport, Svg};
pub use crate::extract::{self, rules};
pub use crate::kernel::display::{show_fields, show_text, Html, ShowDebug};
pub use crate::models;
pub use crate::synth;
pub use crate::text::{self, Span};
pub use crate::tokenize;
