//! An intern's workspace: one folder per started lesson, holding the exercise files.
//!
//! ```text
//! clinkit-work/
//!   01-rust-basics/count_words.rs     the intern's work
//!   .clinkit/crates/                  test crates built by `clinkit lessons check`
//!   .clinkit/results.json             the last check of each lesson (for `next`)
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::check::{check_exercise, CheckOptions, ExerciseReport, Status};
use super::lesson::Lesson;
use crate::error::{Error, Result};

/// The workspace folder: `$CLINKIT_WORKSPACE`, else `clinkit-work` in the current folder.
pub fn default_workspace() -> PathBuf {
    std::env::var_os("CLINKIT_WORKSPACE")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("clinkit-work"))
}

/// The intern's file for an exercise of a lesson.
pub fn exercise_file(workspace: &Path, lesson: &Lesson, exercise: &str) -> PathBuf {
    workspace
        .join(lesson.folder_name())
        .join(format!("{exercise}.rs"))
}

/// What `start` did with each exercise file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Started {
    /// Files copied into the workspace.
    pub copied: Vec<PathBuf>,
    /// Files already there, left as they were (the intern's work is never overwritten).
    pub kept: Vec<PathBuf>,
}

/// Copies the lesson's exercise files into the workspace, keeping any file already there.
pub fn start(workspace: &Path, lesson: &Lesson) -> Result<Started> {
    let folder = workspace.join(lesson.folder_name());
    std::fs::create_dir_all(&folder).map_err(|e| Error::io(&folder, e))?;
    let mut started = Started {
        copied: Vec::new(),
        kept: Vec::new(),
    };
    for exercise in &lesson.exercises {
        let target = exercise_file(workspace, lesson, &exercise.name);
        let source = lesson.starting_file(exercise);
        // create_new: never replaces a file, even one that appeared a moment ago.
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&target)
        {
            Ok(mut file) => {
                let content = std::fs::read(&source).map_err(|e| Error::io(&source, e))?;
                std::io::Write::write_all(&mut file, &content)
                    .map_err(|e| Error::io(&target, e))?;
                started.copied.push(target);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => started.kept.push(target),
            Err(e) => return Err(Error::io(&target, e)),
        }
    }
    Ok(started)
}

/// The results of checking every exercise of a lesson.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LessonReport {
    /// The lesson id.
    pub lesson: String,
    /// The lesson title.
    pub title: String,
    /// One report per exercise, in order.
    pub exercises: Vec<ExerciseReport>,
}

impl LessonReport {
    /// The lesson's status: not started when no exercise is, passing when every one is,
    /// failing otherwise.
    pub fn status(&self) -> Status {
        if self
            .exercises
            .iter()
            .all(|e| e.status == Status::NotStarted)
        {
            Status::NotStarted
        } else if self.exercises.iter().all(|e| e.status == Status::Passing) {
            Status::Passing
        } else {
            Status::Failing
        }
    }
}

/// Checks every exercise of `lesson` in the workspace (building under `.clinkit/crates`)
/// and records the result for [`next`].
pub fn check_lesson(
    workspace: &Path,
    lesson: &Lesson,
    options: &CheckOptions,
) -> Result<LessonReport> {
    let build_dir = workspace.join(".clinkit").join("crates");
    let mut exercises = Vec::new();
    for exercise in &lesson.exercises {
        let file = exercise_file(workspace, lesson, &exercise.name);
        exercises.push(check_exercise(
            lesson, exercise, &file, &build_dir, options,
        )?);
    }
    let report = LessonReport {
        lesson: lesson.id.clone(),
        title: lesson.title.clone(),
        exercises,
    };
    record(workspace, &report)?;
    Ok(report)
}

fn results_file(workspace: &Path) -> PathBuf {
    workspace.join(".clinkit").join("results.json")
}

/// The last recorded status of each checked lesson, by id.
pub fn recorded(workspace: &Path) -> BTreeMap<String, Status> {
    std::fs::read_to_string(results_file(workspace))
        .ok()
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default()
}

fn record(workspace: &Path, report: &LessonReport) -> Result<()> {
    let mut results = recorded(workspace);
    results.insert(report.lesson.clone(), report.status());
    let path = results_file(workspace);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    }
    let text = serde_json::to_string_pretty(&results).unwrap_or_default();
    std::fs::write(&path, text).map_err(|e| Error::io(&path, e))
}

/// The lesson to work on next: the first one, in course order, whose last check did not
/// pass (a lesson without exercises counts as done once started).
///
/// ```
/// let lessons = clinkit::course::read_catalogue(&clinkit::kernel::crate_dir().join("lessons")).unwrap();
/// let empty = tempfile::tempdir().unwrap();
/// assert_eq!(clinkit::course::next(empty.path(), &lessons).unwrap().id, "00");
/// ```
pub fn next<'a>(workspace: &Path, lessons: &'a [Lesson]) -> Option<&'a Lesson> {
    let results = recorded(workspace);
    lessons.iter().find(|lesson| {
        let started = workspace.join(lesson.folder_name()).is_dir();
        let passed = results.get(&lesson.id) == Some(&Status::Passing);
        !(passed || (started && lesson.exercises.is_empty()))
    })
}
