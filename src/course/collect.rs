//! Collecting interns' work: copy each submission into a fresh folder of its own, run the
//! visible and hidden checks there within limits, and write a gradebook and feedback.
//!
//! A submission is an intern's workspace, as a folder or a `.zip` file named after the
//! intern (`alice/` or `alice.zip`). Whatever is in it, one submission cannot hang the
//! run, write outside its copy, or spoil the others' grades:
//!
//! - folders are copied without following symbolic links, up to a size limit;
//! - zip files whose entries would land outside the folder (`../../x`, absolute paths)
//!   are refused as a whole; links inside zips are skipped; unpacked size is limited;
//! - checks run with time and output limits and may write only inside the copy
//!   (see [`super::sandbox`]).

#[cfg(feature = "documents")]
use std::io::Read;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::check::{check_exercise, CheckOptions, ExerciseReport, Status};
use super::lesson::Lesson;
use super::plan::{Date, Plan};
use crate::error::{Error, Result};
use crate::text::escape_html;

/// The most bytes copied or unpacked from one submission.
pub const MAX_SUBMISSION_BYTES: u64 = 50 * 1024 * 1024;
/// The most files copied or unpacked from one submission.
pub const MAX_SUBMISSION_FILES: usize = 5_000;

/// Where an intern stands on one assigned lesson.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LessonStatus {
    /// No file of the lesson was handed in.
    NotStarted,
    /// Handed in; at least one check fails.
    Failing,
    /// Every visible and hidden check passes.
    Passing,
    /// The due date has passed and the lesson does not pass.
    Late,
}

impl LessonStatus {
    /// Words for tables.
    pub fn words(&self) -> &'static str {
        match self {
            LessonStatus::NotStarted => "not started",
            LessonStatus::Failing => "failing",
            LessonStatus::Passing => "passing",
            LessonStatus::Late => "late",
        }
    }
}

/// One intern's result on one assigned lesson.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LessonGrade {
    /// The lesson id.
    pub lesson: String,
    /// The lesson title.
    pub title: String,
    /// The due date from the plan.
    pub due: Date,
    /// Not started, failing, passing, late.
    pub status: LessonStatus,
    /// Every exercise's checks.
    pub exercises: Vec<ExerciseReport>,
}

/// One intern's results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InternGrades {
    /// The intern's name, as in the plan.
    pub intern: String,
    /// The submission (folder or zip) that was checked, if one was found.
    pub submission: Option<PathBuf>,
    /// Why the submission was refused or is missing, in plain words.
    pub problem: Option<String>,
    /// One grade per assigned lesson.
    pub lessons: Vec<LessonGrade>,
}

/// Everything `collect` found: the gradebook.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Gradebook {
    /// The plan's cohort.
    pub cohort: String,
    /// The day of collection (lateness is judged against it).
    pub collected: Date,
    /// True when checks could write only inside their own copy (Linux Landlock).
    pub writes_confined: bool,
    /// One entry per intern in the plan.
    pub interns: Vec<InternGrades>,
}

/// How a collection runs.
#[derive(Debug, Clone)]
pub struct CollectOptions {
    /// How checks are built and run (`hidden` is switched on by `collect`).
    pub check: CheckOptions,
    /// The day lateness is judged against (default today).
    pub today: Date,
    /// Where fresh copies of submissions are made (removed after each intern).
    pub scratch_dir: PathBuf,
}

/// Checks every intern of `plan` whose submission is in `submissions_dir`.
/// Progress goes to stderr, one line per intern.
pub fn collect(
    submissions_dir: &Path,
    plan: &Plan,
    catalogue: &[Lesson],
    options: &CollectOptions,
) -> Result<Gradebook> {
    if !submissions_dir.is_dir() {
        return Err(Error::io(
            submissions_dir,
            std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "no such folder of submissions",
            ),
        ));
    }
    let mut check = options.check.clone();
    check.hidden = true;
    let mut interns = Vec::new();
    for intern in &plan.interns {
        eprintln!("collect: {intern}");
        let scratch = options.scratch_dir.join(intern);
        let _ = std::fs::remove_dir_all(&scratch);
        std::fs::create_dir_all(&scratch).map_err(|e| Error::io(&scratch, e))?;
        let graded = grade_intern(
            submissions_dir,
            intern,
            plan,
            catalogue,
            &scratch,
            &check,
            options.today,
        );
        let _ = std::fs::remove_dir_all(&scratch);
        interns.push(graded?);
    }
    Ok(Gradebook {
        cohort: plan.cohort.clone(),
        collected: options.today,
        writes_confined: super::sandbox::write_confinement_available(),
        interns,
    })
}

fn grade_intern(
    submissions_dir: &Path,
    intern: &str,
    plan: &Plan,
    catalogue: &[Lesson],
    scratch: &Path,
    check: &CheckOptions,
    today: Date,
) -> Result<InternGrades> {
    let folder = submissions_dir.join(intern);
    let zip = submissions_dir.join(format!("{intern}.zip"));
    let copy = scratch.join("workspace");
    let (submission, prepared) = if is_real_dir(&folder) {
        (Some(folder.clone()), copy_tree(&folder, &copy))
    } else if is_real_file(&zip) {
        (Some(zip.clone()), unzip(&zip, &copy))
    } else {
        (
            None,
            Err(format!(
                "no submission (looked for {intern}/ and {intern}.zip)"
            )),
        )
    };
    let problem = prepared.err();
    let root = workspace_root(&copy, catalogue);
    let build_dir = scratch.join("crates");
    let mut lessons = Vec::new();
    for assignment in &plan.lessons {
        let lesson = super::lesson::find_lesson(catalogue, &assignment.id)?;
        let mut exercises = Vec::new();
        for exercise in &lesson.exercises {
            let file = super::workspace::exercise_file(&root, lesson, &exercise.name);
            if problem.is_some() || !is_real_file(&file) {
                exercises.push(ExerciseReport::not_started(lesson, exercise));
            } else {
                exercises.push(check_exercise(lesson, exercise, &file, &build_dir, check)?);
            }
        }
        let status = lesson_status(&exercises, assignment.due, today);
        lessons.push(LessonGrade {
            lesson: lesson.id.clone(),
            title: lesson.title.clone(),
            due: assignment.due,
            status,
            exercises,
        });
    }
    Ok(InternGrades {
        intern: intern.to_string(),
        submission,
        problem,
        lessons,
    })
}

/// Passing when every exercise passes; late when it does not and the due date is past;
/// not started when nothing was handed in; failing otherwise.
pub fn lesson_status(exercises: &[ExerciseReport], due: Date, today: Date) -> LessonStatus {
    if !exercises.is_empty() && exercises.iter().all(|e| e.status == Status::Passing) {
        LessonStatus::Passing
    } else if today > due {
        LessonStatus::Late
    } else if exercises.iter().all(|e| e.status == Status::NotStarted) {
        LessonStatus::NotStarted
    } else {
        LessonStatus::Failing
    }
}

fn is_real_dir(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.is_dir())
}

fn is_real_file(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.is_file())
}

/// The folder that holds the lesson folders: the copy itself, or its only subfolder
/// (a zip of `alice/01-.../`).
fn workspace_root(copy: &Path, catalogue: &[Lesson]) -> PathBuf {
    let has_lessons = |dir: &Path| {
        catalogue
            .iter()
            .any(|l| is_real_dir(&dir.join(l.folder_name())))
    };
    if has_lessons(copy) {
        return copy.to_path_buf();
    }
    let subfolders: Vec<PathBuf> = std::fs::read_dir(copy)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| is_real_dir(p))
                .collect()
        })
        .unwrap_or_default();
    match subfolders.as_slice() {
        [only] if has_lessons(only) => only.clone(),
        _ => copy.to_path_buf(),
    }
}

/// Counts what was copied, to stop at the limits.
#[derive(Default)]
struct Budget {
    bytes: u64,
    files: usize,
}

impl Budget {
    fn take(&mut self, bytes: u64) -> std::result::Result<(), String> {
        self.bytes += bytes;
        self.files += 1;
        if self.bytes > MAX_SUBMISSION_BYTES || self.files > MAX_SUBMISSION_FILES {
            return Err(format!(
                "submission too large (more than {MAX_SUBMISSION_FILES} files or {} MB): refused",
                MAX_SUBMISSION_BYTES / (1024 * 1024)
            ));
        }
        Ok(())
    }
}

/// Copies a folder without following symbolic links (they are skipped), leaving out
/// build folders (`.clinkit`, `target`).
pub fn copy_tree(from: &Path, to: &Path) -> std::result::Result<(), String> {
    let mut budget = Budget::default();
    copy_dir(from, to, &mut budget)
}

fn copy_dir(from: &Path, to: &Path, budget: &mut Budget) -> std::result::Result<(), String> {
    std::fs::create_dir_all(to).map_err(|e| format!("{}: {e}", to.display()))?;
    let entries = std::fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))?;
    for entry in entries.flatten() {
        let name = entry.file_name();
        if name == ".clinkit" || name == "target" {
            continue;
        }
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        let (source, target) = (entry.path(), to.join(&name));
        if kind.is_dir() {
            copy_dir(&source, &target, budget)?;
        } else if kind.is_file() {
            let size = entry.metadata().map(|m| m.len()).unwrap_or(0);
            budget.take(size)?;
            std::fs::copy(&source, &target).map_err(|e| format!("{}: {e}", source.display()))?;
        }
        // Symbolic links and special files are not followed or copied.
    }
    Ok(())
}

/// Unpacks a zip file into `to`, refusing it when any entry would land outside `to`.
#[cfg(feature = "documents")]
pub fn unzip(zip_path: &Path, to: &Path) -> std::result::Result<(), String> {
    let file = std::fs::File::open(zip_path).map_err(|e| format!("{}: {e}", zip_path.display()))?;
    let mut archive = zip::ZipArchive::new(file)
        .map_err(|e| format!("{}: not a readable zip file: {e}", zip_path.display()))?;
    // First look at every name: refuse before writing anything.
    for index in 0..archive.len() {
        let entry = archive
            .by_index(index)
            .map_err(|e| format!("{}: {e}", zip_path.display()))?;
        if entry.enclosed_name().is_none() {
            let name = entry.name().map(|n| n.into_owned()).unwrap_or_default();
            return Err(format!(
                "{}: entry `{name}` would be written outside the submission folder: refused",
                zip_path.display()
            ));
        }
    }
    std::fs::create_dir_all(to).map_err(|e| format!("{}: {e}", to.display()))?;
    let mut budget = Budget::default();
    for index in 0..archive.len() {
        let mut entry = archive
            .by_index(index)
            .map_err(|e| format!("{}: {e}", zip_path.display()))?;
        let Some(relative) = entry.enclosed_name() else {
            continue;
        };
        let target = to.join(relative);
        if entry.is_symlink() {
            continue;
        }
        if entry.is_dir() {
            std::fs::create_dir_all(&target).map_err(|e| format!("{}: {e}", target.display()))?;
            continue;
        }
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        // Count the bytes really unpacked: the size a zip claims can lie.
        let mut content = Vec::new();
        let limit = MAX_SUBMISSION_BYTES.saturating_sub(budget.bytes) + 1;
        (&mut entry)
            .take(limit)
            .read_to_end(&mut content)
            .map_err(|e| format!("{}: {e}", zip_path.display()))?;
        budget.take(content.len() as u64)?;
        std::fs::write(&target, content).map_err(|e| format!("{}: {e}", target.display()))?;
    }
    Ok(())
}

/// Without the `documents` feature zip files cannot be read.
#[cfg(not(feature = "documents"))]
pub fn unzip(zip_path: &Path, _to: &Path) -> std::result::Result<(), String> {
    Err(format!(
        "{}: reading zip files needs clinkit's `documents` feature",
        zip_path.display()
    ))
}

impl Gradebook {
    /// One CSV row per intern, lesson and exercise.
    pub fn to_csv(&self) -> Result<String> {
        let mut writer = csv::Writer::from_writer(Vec::new());
        let header = [
            "intern",
            "lesson",
            "exercise",
            "lesson_status",
            "exercise_status",
            "visible_passed",
            "visible_total",
            "hidden_passed",
            "hidden_total",
            "due",
            "problem",
        ];
        let csv_error =
            |e: csv::Error| Error::Refused(format!("cannot write the gradebook CSV: {e}"));
        writer.write_record(header).map_err(csv_error)?;
        for intern in &self.interns {
            for lesson in &intern.lessons {
                for exercise in &lesson.exercises {
                    let (visible_passed, visible_total) = exercise.counts(false);
                    let (hidden_passed, hidden_total) = exercise.counts(true);
                    writer
                        .write_record([
                            intern.intern.clone(),
                            lesson.lesson.clone(),
                            exercise.exercise.clone(),
                            lesson.status.words().to_string(),
                            exercise.status.words().to_string(),
                            visible_passed.to_string(),
                            visible_total.to_string(),
                            hidden_passed.to_string(),
                            hidden_total.to_string(),
                            lesson.due.to_string(),
                            intern.problem.clone().unwrap_or_default(),
                        ])
                        .map_err(csv_error)?;
                }
            }
        }
        let bytes = writer
            .into_inner()
            .map_err(|e| Error::Refused(format!("cannot write the gradebook CSV: {e}")))?;
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }

    /// The cohort table: one row per intern, one column per lesson.
    pub fn table(&self) -> (Vec<String>, Vec<(String, Vec<LessonStatus>)>) {
        let lessons: Vec<String> = self
            .interns
            .first()
            .map(|i| i.lessons.iter().map(|l| l.lesson.clone()).collect())
            .unwrap_or_default();
        let rows = self
            .interns
            .iter()
            .map(|i| {
                (
                    i.intern.clone(),
                    i.lessons.iter().map(|l| l.status).collect(),
                )
            })
            .collect();
        (lessons, rows)
    }

    /// The cohort table as plain text, for the terminal.
    pub fn render_text(&self) -> String {
        let (lessons, rows) = self.table();
        let width = rows
            .iter()
            .map(|(name, _)| name.chars().count())
            .max()
            .unwrap_or(6)
            .max(6);
        let mut out = format!("{:width$}", "intern");
        for lesson in &lessons {
            out.push_str(&format!("  {:<12}", format!("lesson {lesson}")));
        }
        out.push('\n');
        for (name, statuses) in rows {
            out.push_str(&format!("{name:width$}"));
            for status in statuses {
                out.push_str(&format!("  {:<12}", status.words()));
            }
            out.push('\n');
        }
        out
    }

    /// The cohort table as an HTML page.
    pub fn render_progress_html(&self) -> String {
        let (lessons, rows) = self.table();
        let mut body = format!(
            "<h1>Progress: {}</h1><p>Collected {}.</p><table><tr><th>intern</th>",
            escape_html(&self.cohort),
            self.collected
        );
        for lesson in &lessons {
            body.push_str(&format!("<th>lesson {}</th>", escape_html(lesson)));
        }
        body.push_str("</tr>");
        for (name, statuses) in rows {
            body.push_str(&format!("<tr><td>{}</td>", escape_html(&name)));
            for status in statuses {
                body.push_str(&format!("<td class=\"{0}\">{0}</td>", status.words()));
            }
            body.push_str("</tr>");
        }
        body.push_str("</table>");
        crate::eval::html_page(
            &format!("Progress: {}", self.cohort),
            &(progress_style() + &body),
        )
    }

    /// Writes `gradebook.csv`, `gradebook.json`, `progress.html` and
    /// `feedback/INTERN.html` into `out`; returns the files written.
    pub fn write(&self, out: &Path) -> Result<Vec<PathBuf>> {
        let feedback = out.join("feedback");
        std::fs::create_dir_all(&feedback).map_err(|e| Error::io(&feedback, e))?;
        let json = serde_json::to_string_pretty(self)
            .map_err(|e| Error::Refused(format!("cannot write the gradebook JSON: {e}")))?;
        let mut files = vec![
            (out.join("gradebook.csv"), self.to_csv()?),
            (out.join("gradebook.json"), json),
            (out.join("progress.html"), self.render_progress_html()),
        ];
        for intern in &self.interns {
            files.push((
                feedback.join(format!("{}.html", intern.intern)),
                intern.render_feedback_html(),
            ));
        }
        for (path, text) in &files {
            std::fs::write(path, text).map_err(|e| Error::io(path, e))?;
        }
        Ok(files.into_iter().map(|(path, _)| path).collect())
    }

    /// Reads a `gradebook.json` written by [`Gradebook::write`].
    pub fn read(path: &Path) -> Result<Gradebook> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        serde_json::from_str(&text).map_err(|e| {
            Error::invalid(
                crate::error::Location::file(path).line(e.line()),
                e.to_string(),
            )
        })
    }
}

fn progress_style() -> String {
    "<style>td.passing{background:#d9f2d9}td.failing{background:#fde2c8}td.late{background:#f7c6c6}td.not.started{color:#777}</style>".to_string()
}

impl InternGrades {
    /// Feedback for one intern: each lesson and exercise, failing checks with their
    /// messages, hints, compiler errors.
    pub fn render_feedback_html(&self) -> String {
        let mut body = format!("<h1>Feedback for {}</h1>", escape_html(&self.intern));
        if let Some(problem) = &self.problem {
            body.push_str(&format!("<p><strong>{}</strong></p>", escape_html(problem)));
        }
        for lesson in &self.lessons {
            body.push_str(&format!(
                "<h2>Lesson {}: {} — {}</h2><p>Due {}.</p><table><tr><th>exercise</th><th>status</th><th>checks</th><th>supervisor checks</th></tr>",
                escape_html(&lesson.lesson),
                escape_html(&lesson.title),
                lesson.status.words(),
                lesson.due
            ));
            for exercise in &lesson.exercises {
                let (vp, vt) = exercise.counts(false);
                let (hp, ht) = exercise.counts(true);
                body.push_str(&format!(
                    "<tr><td>{}</td><td>{}</td><td>{vp}/{vt}</td><td>{hp}/{ht}</td></tr>",
                    escape_html(&exercise.exercise),
                    exercise.status.words()
                ));
            }
            body.push_str("</table>");
            for exercise in &lesson.exercises {
                body.push_str(&exercise_details_html(exercise));
            }
        }
        crate::eval::html_page(&format!("Feedback: {}", self.intern), &body)
    }
}

fn exercise_details_html(exercise: &ExerciseReport) -> String {
    let mut html = String::new();
    if exercise.status == Status::CompileError {
        html.push_str(&format!(
            "<h3>{}: does not compile</h3><pre>{}</pre>",
            escape_html(&exercise.exercise),
            escape_html(&exercise.compiler_output)
        ));
    }
    for test in exercise.tests.iter().filter(|t| !t.passed) {
        html.push_str(&format!(
            "<h3>{} · {}{}: {}</h3><pre>{}</pre>",
            escape_html(&exercise.exercise),
            escape_html(&test.name),
            if test.hidden {
                " (supervisor check)"
            } else {
                ""
            },
            escape_html(&test.outcome),
            escape_html(&test.output)
        ));
    }
    if matches!(exercise.status, Status::Failing | Status::CompileError) {
        html.push_str(&format!(
            "<p><em>Hint:</em> {}</p>",
            escape_html(&exercise.hint)
        ));
    }
    html
}
