//! Errors that tell a beginner what went wrong and where.
//!
//! A good error message answers three questions: *which file*, *which line*, and
//! *which field*. Every error that comes from reading a user's file carries a
//! [`Location`] so the message can say exactly that, for example:
//!
//! ```text
//! gold.jsonl:12: field `fields.age.value`: expected an integer, found "sixty"
//! ```

use std::fmt;
use std::path::{Path, PathBuf};

/// Where in a user's input something went wrong: a file, and if known a line and a field.
///
/// ```
/// use clinkit::error::Location;
/// let here = Location::file("gold.jsonl").line(12).field("fields.age");
/// assert_eq!(here.to_string(), "gold.jsonl:12: field `fields.age`");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Location {
    /// The file the problem is in.
    pub path: Option<PathBuf>,
    /// The line number, starting at 1 (as text editors count).
    pub line: Option<usize>,
    /// A dotted path to the field, such as `fields.age.value`.
    pub field: Option<String>,
}

impl Location {
    /// A location that names only a file.
    pub fn file(path: impl AsRef<Path>) -> Self {
        Location {
            path: Some(path.as_ref().to_path_buf()),
            ..Location::default()
        }
    }

    /// The same location, narrowed to a line (1-based).
    pub fn line(mut self, line: usize) -> Self {
        self.line = Some(line);
        self
    }

    /// The same location, narrowed to a field such as `fields.age`.
    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        match (&self.path, self.line) {
            (Some(path), Some(line)) => parts.push(format!("{}:{line}", path.display())),
            (Some(path), None) => parts.push(path.display().to_string()),
            (None, Some(line)) => parts.push(format!("line {line}")),
            (None, None) => {}
        }
        if let Some(field) = &self.field {
            parts.push(format!("field `{field}`"));
        }
        write!(f, "{}", parts.join(": "))
    }
}

/// Everything that can go wrong in clinkit.
///
/// Each variant is a *kind* of problem. The message always names the place
/// ([`Location`]) where a user can go and fix it.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be opened, read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file we tried to use.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// The input was read but its content is wrong (bad JSON, a missing or unknown field, a bad value).
    #[error("{at}: {message}")]
    Invalid {
        /// Where the problem is.
        at: Location,
        /// What is wrong, in plain words.
        message: String,
    },
    /// A model file is missing or damaged.
    #[error("model `{name}`: {message}")]
    Model {
        /// The model's name, as in `clinkit models`.
        name: String,
        /// What is wrong and how to fix it.
        message: String,
    },
    /// Something the user asked for that we cannot do (for example a host that is not allowed).
    #[error("{0}")]
    Refused(String),
}

impl Error {
    /// An [`Error::Io`] for `path`.
    pub fn io(path: impl AsRef<Path>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.as_ref().to_path_buf(),
            source,
        }
    }

    /// An [`Error::Invalid`] at `at` with a plain-words message.
    pub fn invalid(at: Location, message: impl Into<String>) -> Self {
        Error::Invalid {
            at,
            message: message.into(),
        }
    }
}

/// Shorthand for `std::result::Result<T, clinkit::Error>`.
pub type Result<T> = std::result::Result<T, Error>;
