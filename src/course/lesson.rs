//! The lesson catalogue: one `lessons/NN-name/lesson.toml` per lesson.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Location, Result};

/// One exercise of a lesson: a Rust file the intern completes, checked by tests.
///
/// In the lesson folder, exercise `name` has four files:
/// `exercises/name.rs` (what the intern starts from), `checks/name.rs` (the checks the
/// intern runs), `hidden/name.rs` (more checks, for supervisors) and `solutions/name.rs`.
/// Check files start with `use crate::exercise::*;` and hold `#[test]` functions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exercise {
    /// Short name, also the file name without `.rs`, such as `count_words`.
    pub name: String,
    /// What to do, in one sentence.
    pub task: String,
    /// A nudge in the right direction, shown when a check fails.
    pub hint: String,
}

/// One lesson, as written in its `lesson.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lesson {
    /// Two digits, such as `"01"`: the order of the course.
    pub id: String,
    /// The title, as in the book.
    pub title: String,
    /// What the intern can do after the lesson.
    pub objectives: Vec<String>,
    /// Ids of lessons to do first.
    #[serde(default)]
    pub prerequisites: Vec<String>,
    /// Minutes the lesson takes, reading and exercises included.
    pub estimated_minutes: u32,
    /// The notebook, relative to the clinkit folder (`notebooks/NN-....ipynb`).
    pub notebook: String,
    /// The book chapter, relative to `book/src/` (`NN-....md`).
    pub chapter: String,
    /// The exercises, in order.
    #[serde(default)]
    pub exercises: Vec<Exercise>,
    /// The lesson's folder (filled in when read, not written in the file).
    #[serde(skip)]
    pub dir: PathBuf,
}

impl Lesson {
    /// The folder name, such as `01-rust-basics`: also the folder in an intern's workspace.
    pub fn folder_name(&self) -> String {
        self.dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| self.id.clone())
    }

    /// The exercise called `name`.
    pub fn exercise(&self, name: &str) -> Option<&Exercise> {
        self.exercises.iter().find(|e| e.name == name)
    }

    /// The file the intern starts from (`exercises/NAME.rs`).
    pub fn starting_file(&self, exercise: &Exercise) -> PathBuf {
        self.dir
            .join("exercises")
            .join(format!("{}.rs", exercise.name))
    }

    /// The checks the intern runs (`checks/NAME.rs`).
    pub fn visible_checks(&self, exercise: &Exercise) -> PathBuf {
        self.dir
            .join("checks")
            .join(format!("{}.rs", exercise.name))
    }

    /// The supervisors' extra checks (`hidden/NAME.rs`).
    pub fn hidden_checks(&self, exercise: &Exercise) -> PathBuf {
        self.dir
            .join("hidden")
            .join(format!("{}.rs", exercise.name))
    }

    /// The reference solution (`solutions/NAME.rs`).
    pub fn solution(&self, exercise: &Exercise) -> PathBuf {
        self.dir
            .join("solutions")
            .join(format!("{}.rs", exercise.name))
    }
}

/// The lessons folder: `$CLINKIT_LESSONS`, else `lessons/` of the clinkit source folder.
pub fn default_lessons_dir() -> PathBuf {
    std::env::var_os("CLINKIT_LESSONS")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| crate::kernel::crate_dir().join("lessons"))
}

/// Reads one `lesson.toml`, checking that its id matches the folder and that every
/// exercise has its four files.
pub fn read_lesson(dir: &Path) -> Result<Lesson> {
    let path = dir.join("lesson.toml");
    let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
    let deserializer = toml::Deserializer::new(&text);
    let mut lesson: Lesson = serde_path_to_error::deserialize(deserializer).map_err(|e| {
        let line = e
            .inner()
            .span()
            .map(|span| text[..span.start].lines().count().max(1));
        let mut at = Location::file(&path).field(e.path().to_string());
        if let Some(line) = line {
            at = at.line(line);
        }
        Error::invalid(at, e.inner().message().to_string())
    })?;
    lesson.dir = dir.to_path_buf();
    let folder = lesson.folder_name();
    if !folder.starts_with(&format!("{}-", lesson.id)) {
        return Err(Error::invalid(
            Location::file(&path).field("id"),
            format!(
                "id `{}` does not match the folder name `{folder}`",
                lesson.id
            ),
        ));
    }
    for exercise in &lesson.exercises {
        for file in [
            lesson.starting_file(exercise),
            lesson.visible_checks(exercise),
            lesson.hidden_checks(exercise),
            lesson.solution(exercise),
        ] {
            if !file.is_file() {
                return Err(Error::invalid(
                    Location::file(&path).field(format!("exercises.{}", exercise.name)),
                    format!("missing file {}", file.display()),
                ));
            }
        }
    }
    Ok(lesson)
}

/// Reads every lesson in `lessons_dir` (folders `NN-name` with a `lesson.toml`), in order.
/// A prerequisite may name a lesson that is not written yet (the course grows); `show`
/// lists it all the same.
///
/// ```
/// let dir = clinkit::kernel::crate_dir().join("lessons");
/// let lessons = clinkit::course::read_catalogue(&dir).unwrap();
/// assert_eq!(lessons[0].id, "00");
/// assert!(lessons.windows(2).all(|w| w[0].id < w[1].id));
/// ```
pub fn read_catalogue(lessons_dir: &Path) -> Result<Vec<Lesson>> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(lessons_dir)
        .map_err(|e| Error::io(lessons_dir, e))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.join("lesson.toml").is_file())
        .collect();
    dirs.sort();
    let lessons = dirs
        .iter()
        .map(|dir| read_lesson(dir))
        .collect::<Result<Vec<_>>>()?;
    for pair in lessons.windows(2) {
        if pair[0].id == pair[1].id {
            return Err(Error::invalid(
                Location::file(pair[1].dir.join("lesson.toml")).field("id"),
                format!("two lessons have id {}", pair[1].id),
            ));
        }
    }
    Ok(lessons)
}

/// The lesson with this id (`"1"` and `"01"` both find lesson 01).
pub fn find_lesson<'a>(lessons: &'a [Lesson], id: &str) -> Result<&'a Lesson> {
    let wanted = format!("{:0>2}", id.trim());
    lessons.iter().find(|l| l.id == wanted).ok_or_else(|| {
        let known: Vec<&str> = lessons.iter().map(|l| l.id.as_str()).collect();
        Error::Refused(format!("no lesson {id} (lessons: {})", known.join(", ")))
    })
}
