//! `clinkit lessons`: the course's lessons for interns, and assignments, collection and
//! progress for supervisors (thin over [`crate::course`]).

use std::path::PathBuf;
use std::time::Duration;

use serde::Serialize;

use crate::course::{self, sandbox::Limits, CheckOptions, CollectOptions, Date, Lesson, Status};

/// Where the lessons and the intern's work are.
#[derive(Debug, Clone, clap::Args)]
pub struct Where {
    /// The lessons folder (default: $CLINKIT_LESSONS, else lessons/ of the clinkit folder).
    #[arg(long, value_name = "DIR", global = true)]
    lessons: Option<PathBuf>,
    /// Print one JSON document instead of text.
    #[arg(long, global = true)]
    json: bool,
}

/// Subcommands of `clinkit lessons`.
#[derive(Debug, clap::Subcommand)]
pub enum LessonsCommand {
    /// List the lessons: id, title, time, exercises.
    List(Where),
    /// One lesson: objectives, time, prerequisites, notebook, chapter, exercises.
    Show {
        /// The lesson id, such as 01.
        id: String,
        #[command(flatten)]
        at: Where,
    },
    /// Copy a lesson's exercise files into your workspace (never overwrites your work).
    Start {
        /// The lesson id.
        id: String,
        /// Your workspace (default: $CLINKIT_WORKSPACE, else ./clinkit-work).
        #[arg(long, value_name = "DIR")]
        workspace: Option<PathBuf>,
        #[command(flatten)]
        at: Where,
    },
    /// Run a lesson's checks on your work, with hints for what fails.
    Check {
        /// The lesson id.
        id: String,
        /// Your workspace (default: $CLINKIT_WORKSPACE, else ./clinkit-work).
        #[arg(long, value_name = "DIR")]
        workspace: Option<PathBuf>,
        /// Seconds one check may run.
        #[arg(long, default_value_t = 10)]
        time_limit: u64,
        #[command(flatten)]
        at: Where,
    },
    /// The lesson to do next: the first one whose checks do not pass yet.
    Next {
        /// Your workspace (default: $CLINKIT_WORKSPACE, else ./clinkit-work).
        #[arg(long, value_name = "DIR")]
        workspace: Option<PathBuf>,
        #[command(flatten)]
        at: Where,
    },
    /// Write an assignment plan (TOML) for an intern or a cohort.
    Assign {
        /// The plan file to write.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// The cohort's name (default: the intern's name when there is one).
        #[arg(long)]
        cohort: Option<String>,
        /// The interns, comma-separated (their submissions are named after them).
        #[arg(long, value_delimiter = ',', required = true)]
        interns: Vec<String>,
        /// A lesson and its due date, as ID=YYYY-MM-DD; repeat or comma-separate.
        #[arg(
            long = "lesson",
            value_delimiter = ',',
            required = true,
            value_name = "ID=DATE"
        )]
        assignments: Vec<String>,
        #[command(flatten)]
        at: Where,
    },
    /// Check every intern's workspace (folders or zips in DIR) against a plan; write a
    /// gradebook (CSV, JSON), per-intern HTML feedback and a progress page.
    Collect {
        /// The folder of submissions: INTERN/ folders or INTERN.zip files.
        dir: PathBuf,
        /// The assignment plan.
        #[arg(long, value_name = "FILE")]
        plan: PathBuf,
        /// Where the gradebook and feedback go.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Seconds one check may run before its whole process group is killed.
        #[arg(long, default_value_t = 10)]
        time_limit: u64,
        /// Judge lateness against this day instead of today (YYYY-MM-DD).
        #[arg(long, value_name = "DATE")]
        today: Option<Date>,
        #[command(flatten)]
        at: Where,
    },
    /// The cohort table (lesson x intern) from a collected gradebook; optionally as HTML.
    Progress {
        /// The gradebook.json written by `collect`.
        #[arg(long, value_name = "FILE")]
        gradebook: PathBuf,
        /// Also write the table as an HTML page.
        #[arg(long, value_name = "FILE")]
        html: Option<PathBuf>,
        #[command(flatten)]
        at: Where,
    },
}

impl Where {
    fn catalogue(&self) -> crate::Result<Vec<Lesson>> {
        let dir = self
            .lessons
            .clone()
            .unwrap_or_else(course::default_lessons_dir);
        course::read_catalogue(&dir)
    }
}

/// One line of `list`.
#[derive(Serialize)]
struct Summary<'a> {
    id: &'a str,
    title: &'a str,
    estimated_minutes: u32,
    exercises: usize,
    prerequisites: &'a [String],
}

/// Runs a `clinkit lessons` subcommand.
pub fn run(command: LessonsCommand) -> crate::Result<()> {
    match command {
        LessonsCommand::List(at) => list(&at),
        LessonsCommand::Show { id, at } => show(&id, &at),
        LessonsCommand::Start { id, workspace, at } => {
            let catalogue = at.catalogue()?;
            let lesson = course::find_lesson(&catalogue, &id)?;
            let workspace = workspace.unwrap_or_else(course::default_workspace);
            let started = course::start(&workspace, lesson)?;
            if at.json {
                return super::print_json(&started);
            }
            for path in &started.copied {
                println!("new   {}", path.display());
            }
            for path in &started.kept {
                println!("kept  {} (your work, not overwritten)", path.display());
            }
            println!("Edit the files, then: clinkit lessons check {}", lesson.id);
            Ok(())
        }
        LessonsCommand::Check {
            id,
            workspace,
            time_limit,
            at,
        } => {
            let catalogue = at.catalogue()?;
            let lesson = course::find_lesson(&catalogue, &id)?;
            let workspace = workspace.unwrap_or_else(course::default_workspace);
            let options = CheckOptions {
                test_limits: Limits {
                    time: Duration::from_secs(time_limit),
                    ..Limits::default()
                },
                ..CheckOptions::default()
            };
            eprintln!(
                "checking lesson {} (the first check on a machine compiles clinkit: minutes)",
                lesson.id
            );
            let report = course::check_lesson(&workspace, lesson, &options)?;
            if at.json {
                return super::print_json(&report);
            }
            print_check(&report);
            Ok(())
        }
        LessonsCommand::Next { workspace, at } => {
            let catalogue = at.catalogue()?;
            let workspace = workspace.unwrap_or_else(course::default_workspace);
            let next = course::next(&workspace, &catalogue);
            if at.json {
                return super::print_json(
                    &next.map(|l| serde_json::json!({"id": l.id, "title": l.title})),
                );
            }
            match next {
                Some(lesson) => println!(
                    "Next: lesson {} {} (clinkit lessons show {0}; clinkit lessons start {0})",
                    lesson.id, lesson.title
                ),
                None => println!("Every lesson passes. Well done."),
            }
            Ok(())
        }
        LessonsCommand::Assign {
            out,
            cohort,
            interns,
            assignments,
            at,
        } => {
            let catalogue = at.catalogue()?;
            let lessons = assignments
                .iter()
                .map(|item| parse_assignment(item))
                .collect::<crate::Result<Vec<_>>>()?;
            let cohort = cohort.unwrap_or_else(|| interns.join("-"));
            let plan = course::assign(&cohort, &interns, &lessons, &catalogue)?;
            plan.write(&out)?;
            if at.json {
                return super::print_json(&plan);
            }
            println!(
                "wrote {} ({} interns, {} lessons)",
                out.display(),
                plan.interns.len(),
                plan.lessons.len()
            );
            Ok(())
        }
        LessonsCommand::Collect {
            dir,
            plan,
            out,
            time_limit,
            today,
            at,
        } => {
            let catalogue = at.catalogue()?;
            let plan = course::Plan::read(&plan, &catalogue)?;
            let options = CollectOptions {
                check: CheckOptions {
                    test_limits: Limits {
                        time: Duration::from_secs(time_limit),
                        ..Limits::default()
                    },
                    ..CheckOptions::default()
                },
                today: today.unwrap_or_else(Date::today),
                scratch_dir: out.join(".scratch"),
            };
            let gradebook = course::collect(&dir, &plan, &catalogue, &options)?;
            let _ = std::fs::remove_dir_all(&options.scratch_dir);
            let files = gradebook.write(&out)?;
            if !gradebook.writes_confined {
                eprintln!("note: this machine cannot confine the checks' writes (no Landlock); each ran in a fresh copy with time and output limits");
            }
            if at.json {
                return super::print_json(&gradebook);
            }
            print!("{}", gradebook.render_text());
            for file in files {
                eprintln!("wrote {}", file.display());
            }
            Ok(())
        }
        LessonsCommand::Progress {
            gradebook,
            html,
            at,
        } => {
            let gradebook = course::Gradebook::read(&gradebook)?;
            if let Some(path) = &html {
                std::fs::write(path, gradebook.render_progress_html())
                    .map_err(|e| crate::Error::io(path, e))?;
            }
            if at.json {
                let (lessons, rows) = gradebook.table();
                let rows: Vec<_> = rows
                    .iter()
                    .map(|(intern, statuses)| serde_json::json!({"intern": intern, "lessons": lessons.iter().zip(statuses).map(|(l, s)| (l.clone(), serde_json::json!(s))).collect::<serde_json::Map<_, _>>()}))
                    .collect();
                return super::print_json(
                    &serde_json::json!({"cohort": gradebook.cohort, "collected": gradebook.collected, "interns": rows}),
                );
            }
            print!("{}", gradebook.render_text());
            Ok(())
        }
    }
}

fn parse_assignment(item: &str) -> crate::Result<(String, Date)> {
    let (id, due) = item.split_once('=').ok_or_else(|| {
        crate::Error::Refused(format!(
            "--lesson {item}: write ID=YYYY-MM-DD, such as 01=2026-12-08"
        ))
    })?;
    let due = due
        .parse()
        .map_err(|e| crate::Error::Refused(format!("--lesson {item}: {e}")))?;
    Ok((id.to_string(), due))
}

fn list(at: &Where) -> crate::Result<()> {
    let catalogue = at.catalogue()?;
    if at.json {
        let summaries: Vec<Summary> = catalogue
            .iter()
            .map(|l| Summary {
                id: &l.id,
                title: &l.title,
                estimated_minutes: l.estimated_minutes,
                exercises: l.exercises.len(),
                prerequisites: &l.prerequisites,
            })
            .collect();
        return super::print_json(&summaries);
    }
    for lesson in &catalogue {
        println!(
            "{}  {:<52} {:>4} min  {} exercises",
            lesson.id,
            lesson.title,
            lesson.estimated_minutes,
            lesson.exercises.len()
        );
    }
    Ok(())
}

fn show(id: &str, at: &Where) -> crate::Result<()> {
    let catalogue = at.catalogue()?;
    let lesson = course::find_lesson(&catalogue, id)?;
    if at.json {
        return super::print_json(lesson);
    }
    println!("Lesson {}: {}", lesson.id, lesson.title);
    println!("Time: about {} minutes", lesson.estimated_minutes);
    if lesson.prerequisites.is_empty() {
        println!("Before: nothing");
    } else {
        println!("Before: lessons {}", lesson.prerequisites.join(", "));
    }
    println!(
        "Notebook: {}\nBook chapter: book/src/{}",
        lesson.notebook, lesson.chapter
    );
    println!("After this lesson you can:");
    for objective in &lesson.objectives {
        println!("  - {objective}");
    }
    if !lesson.exercises.is_empty() {
        println!("Exercises (clinkit lessons start {}):", lesson.id);
        for exercise in &lesson.exercises {
            println!("  {:<20} {}", exercise.name, exercise.task);
        }
    }
    Ok(())
}

fn print_check(report: &course::LessonReport) {
    println!("Lesson {}: {}", report.lesson, report.title);
    for exercise in &report.exercises {
        let (passed, total) = exercise.counts(false);
        println!(
            "  {:<20} {:<17} {passed}/{total} checks",
            exercise.exercise,
            exercise.status.words()
        );
        if exercise.status == Status::CompileError {
            println!("{}", indent(&exercise.compiler_output));
        }
        for test in exercise.tests.iter().filter(|t| !t.passed) {
            println!(
                "    ✗ {}: {}\n{}",
                test.name,
                test.outcome,
                indent(&test.output)
            );
        }
        if matches!(exercise.status, Status::Failing | Status::CompileError) {
            println!("    hint: {}", exercise.hint);
        }
        if exercise.status == Status::NotStarted {
            println!("    not started: clinkit lessons start {}", report.lesson);
        }
    }
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|l| format!("      {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}
