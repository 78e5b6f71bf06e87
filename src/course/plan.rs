//! Assignment plans: which lessons an intern (or a cohort) does, and by when.
//!
//! A plan is a small TOML file a supervisor writes with `clinkit lessons assign`:
//!
//! ```toml
//! cohort = "cardiology-2026"
//! interns = ["alice", "bob"]
//!
//! [[lessons]]
//! id = "01"
//! due = "2026-12-08"
//! ```

use std::fmt;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::lesson::Lesson;
use crate::error::{Error, Location, Result};
use crate::text::calendar::{civil_from_days, days_from_civil};

/// A calendar day, such as 2026-12-08.
///
/// ```
/// use clinkit::course::Date;
/// let due: Date = "2026-12-08".parse().unwrap();
/// let later: Date = "2027-01-02".parse().unwrap();
/// assert!(due < later);
/// assert_eq!(later.days_since_1970() - due.days_since_1970(), 25);
/// assert!("2026-02-30".parse::<Date>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// The year.
    pub year: i32,
    /// The month, 1 to 12.
    pub month: u32,
    /// The day of the month, from 1.
    pub day: u32,
}

impl Date {
    /// Days from 1970-01-01 (negative before it), the proleptic Gregorian calendar.
    pub fn days_since_1970(&self) -> i64 {
        days_from_civil(self.year, self.month, self.day)
    }

    /// The date `days` days after 1970-01-01.
    pub fn from_days_since_1970(days: i64) -> Date {
        let (year, month, day) = civil_from_days(days);
        Date { year, month, day }
    }

    /// Today (UTC), from the system clock.
    pub fn today() -> Date {
        Date::of_time(std::time::SystemTime::now())
    }

    /// The day (UTC) of a moment, such as a file's modification time.
    pub fn of_time(time: std::time::SystemTime) -> Date {
        let seconds = match time.duration_since(std::time::UNIX_EPOCH) {
            Ok(after) => after.as_secs() as i64,
            Err(before) => -(before.duration().as_secs() as i64),
        };
        Date::from_days_since_1970(seconds.div_euclid(86_400))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl std::str::FromStr for Date {
    type Err = String;

    fn from_str(text: &str) -> std::result::Result<Self, String> {
        let wrong = || format!("`{text}` is not a date like 2026-12-08");
        let mut parts = text.trim().splitn(3, '-');
        let mut next = || {
            parts
                .next()
                .and_then(|p| p.parse::<i64>().ok())
                .ok_or_else(wrong)
        };
        let (year, month, day) = (next()?, next()?, next()?);
        if !(1..=12).contains(&month) || day < 1 {
            return Err(wrong());
        }
        let date = Date {
            year: year as i32,
            month: month as u32,
            day: day as u32,
        };
        // A day past the month's end (2026-02-30) comes back as another date.
        if Date::from_days_since_1970(date.days_since_1970()) != date {
            return Err(wrong());
        }
        Ok(date)
    }
}

impl Serialize for Date {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> std::result::Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// One assigned lesson and its due date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Assignment {
    /// The lesson id, such as `"01"`.
    pub id: String,
    /// The last day to finish it.
    pub due: Date,
}

/// An assignment plan for one intern or a cohort.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    /// The cohort's name (or the intern's, for a plan of one).
    pub cohort: String,
    /// The interns: also the names of their submitted folders or zip files.
    pub interns: Vec<String>,
    /// The lessons, in order.
    pub lessons: Vec<Assignment>,
}

impl Plan {
    /// Reads a plan and checks it against the lesson catalogue.
    pub fn read(path: &Path, catalogue: &[Lesson]) -> Result<Plan> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        let plan: Plan =
            serde_path_to_error::deserialize(toml::Deserializer::new(&text)).map_err(|e| {
                let mut at = Location::file(path).field(e.path().to_string());
                if let Some(span) = e.inner().span() {
                    at = at.line(text[..span.start].lines().count().max(1));
                }
                Error::invalid(at, e.inner().message().to_string())
            })?;
        plan.validate(catalogue).map_err(|(field, message)| {
            Error::invalid(Location::file(path).field(field), message)
        })?;
        Ok(plan)
    }

    /// Checks that every lesson exists and every intern name is a plain folder name.
    fn validate(&self, catalogue: &[Lesson]) -> std::result::Result<(), (String, String)> {
        for (index, assignment) in self.lessons.iter().enumerate() {
            if !catalogue.iter().any(|l| l.id == assignment.id) {
                return Err((
                    format!("lessons[{index}].id"),
                    format!("no lesson {}", assignment.id),
                ));
            }
        }
        for (index, intern) in self.interns.iter().enumerate() {
            if !is_plain_name(intern) {
                return Err((
                    format!("interns[{index}]"),
                    format!("`{intern}` must be a plain name (letters, digits, - _ .)"),
                ));
            }
        }
        Ok(())
    }

    /// Writes the plan as TOML.
    pub fn write(&self, path: &Path) -> Result<()> {
        let text = toml::to_string_pretty(self)
            .map_err(|e| Error::Refused(format!("cannot write the plan: {e}")))?;
        std::fs::write(path, text).map_err(|e| Error::io(path, e))
    }

    /// The due date of a lesson, if it is in the plan.
    pub fn due(&self, lesson: &str) -> Option<Date> {
        self.lessons.iter().find(|a| a.id == lesson).map(|a| a.due)
    }
}

/// True for a name that is safe as a folder name: letters, digits, `-`, `_`, `.`, not
/// starting with a dot.
pub fn is_plain_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// Makes a plan: `interns` doing `lessons` (id, due date), checked against the catalogue.
///
/// ```
/// use clinkit::course::{assign, read_catalogue};
/// let catalogue = read_catalogue(&clinkit::kernel::crate_dir().join("lessons")).unwrap();
/// let plan = assign("ward-7", &["alice".into()], &[("1".into(), "2026-12-08".parse().unwrap())], &catalogue).unwrap();
/// assert_eq!(plan.lessons[0].id, "01");
/// assert!(assign("x", &["../bob".into()], &[], &catalogue).is_err());
/// ```
pub fn assign(
    cohort: &str,
    interns: &[String],
    lessons: &[(String, Date)],
    catalogue: &[Lesson],
) -> Result<Plan> {
    let plan = Plan {
        cohort: cohort.to_string(),
        interns: interns.to_vec(),
        lessons: lessons
            .iter()
            .map(|(id, due)| {
                Ok(Assignment {
                    id: super::lesson::find_lesson(catalogue, id)?.id.clone(),
                    due: *due,
                })
            })
            .collect::<Result<_>>()?,
    };
    plan.validate(catalogue)
        .map_err(|(field, message)| Error::Refused(format!("{field}: {message}")))?;
    Ok(plan)
}
