//! The course is consistent: lessons/ is the source of truth for the book's SUMMARY and
//! the notebooks; every reference solution passes its visible and hidden checks; every
//! unsolved exercise fails; the `clinkit lessons` commands. (tests/book.rs checks the
//! book's links.)
//!
//! The first run on a machine compiles clinkit for the exercise crates (minutes); later
//! runs reuse target/clinkit-exercises ($CLINKIT_EXERCISE_TARGET).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use clinkit::course::{self, check::check_exercise, CheckOptions, Status};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn catalogue() -> Vec<course::Lesson> {
    course::read_catalogue(&root().join("lessons")).unwrap()
}

/// The chapter files SUMMARY.md links to, in order.
fn summary_links() -> Vec<String> {
    let summary = std::fs::read_to_string(root().join("book/src/SUMMARY.md")).unwrap();
    markdown_links(&summary)
}

/// Targets of `[text](target)` links in markdown, code blocks left out.
fn markdown_links(markdown: &str) -> Vec<String> {
    let mut links = Vec::new();
    let mut in_code = false;
    for line in markdown.lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            continue;
        }
        let mut rest = line;
        while let Some(at) = rest.find("](") {
            let after = &rest[at + 2..];
            let Some(end) = after.find(')') else { break };
            links.push(after[..end].to_string());
            rest = &after[end..];
        }
    }
    links
}

#[test]
fn the_book_summary_lists_every_lesson_chapter_in_order() {
    let links = summary_links();
    let lessons = catalogue();
    let chapters: Vec<&str> = links
        .iter()
        .map(String::as_str)
        .filter(|link| lessons.iter().any(|l| l.chapter == *link))
        .collect();
    let expected: Vec<&str> = lessons.iter().map(|l| l.chapter.as_str()).collect();
    assert_eq!(
        chapters, expected,
        "book/src/SUMMARY.md against lessons/*/lesson.toml"
    );
    for lesson in &lessons {
        assert!(
            root().join("book/src").join(&lesson.chapter).is_file(),
            "{}",
            lesson.chapter
        );
    }
    assert!(
        links.iter().any(|l| l == "glossary.md"),
        "the glossary is in the book"
    );
}

#[test]
fn every_notebook_belongs_to_a_lesson_and_every_lesson_has_one() {
    let lessons = catalogue();
    let mut notebooks: Vec<String> = std::fs::read_dir(root().join("notebooks"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".ipynb"))
        .map(|name| format!("notebooks/{name}"))
        .collect();
    notebooks.sort();
    let mut expected: Vec<String> = lessons.iter().map(|l| l.notebook.clone()).collect();
    expected.sort();
    assert_eq!(
        notebooks, expected,
        "notebooks/ against lessons/*/lesson.toml"
    );
    for lesson in &lessons {
        let notebook = lesson.notebook.trim_start_matches("notebooks/");
        assert!(
            notebook.starts_with(&format!("{}-", lesson.id)),
            "{notebook} starts with the lesson id"
        );
    }
}

fn options(hidden: bool) -> CheckOptions {
    CheckOptions {
        hidden,
        ..CheckOptions::default()
    }
}

#[test]
fn every_solution_passes_and_every_unsolved_exercise_fails() {
    let build = tempfile::tempdir().unwrap();
    let mut problems = Vec::new();
    for lesson in catalogue() {
        for exercise in &lesson.exercises {
            let solved = check_exercise(
                &lesson,
                exercise,
                &lesson.solution(exercise),
                build.path(),
                &options(true),
            )
            .unwrap();
            let (visible, hidden) = (solved.counts(false), solved.counts(true));
            if solved.status != Status::Passing || visible.1 < 2 || hidden.1 < 1 {
                problems.push(format!(
                    "{} {}: solution {solved:#?}",
                    lesson.id, exercise.name
                ));
            }
            let unsolved = check_exercise(
                &lesson,
                exercise,
                &lesson.starting_file(exercise),
                build.path(),
                &options(false),
            )
            .unwrap();
            if unsolved.status != Status::Failing {
                problems.push(format!(
                    "{} {}: unsolved exercise is {:?}",
                    lesson.id, exercise.name, unsolved.status
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

fn clinkit(args: &[&str], env: &[(&str, &Path)]) -> std::process::Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_clinkit"));
    command.args(args).current_dir(root());
    for (name, value) in env {
        command.env(name, value);
    }
    command.output().unwrap()
}

#[test]
fn start_copies_the_exercises_and_never_overwrites_work() {
    let workspace = tempfile::tempdir().unwrap();
    let ws = workspace.path().to_str().unwrap();
    let first = clinkit(
        &["lessons", "start", "01", "--workspace", ws, "--json"],
        &[],
    );
    let started = common::json_of_success(&first);
    assert_eq!(started["copied"].as_array().unwrap().len(), 3);
    let mine = workspace.path().join("01-rust-basics/count_words.rs");
    std::fs::write(&mine, "// my work\n").unwrap();
    let again = clinkit(&["lessons", "start", "1", "--workspace", ws, "--json"], &[]);
    let started: serde_json::Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(started["copied"].as_array().unwrap().len(), 0);
    assert_eq!(started["kept"].as_array().unwrap().len(), 3);
    assert_eq!(std::fs::read_to_string(&mine).unwrap(), "// my work\n");
}

#[test]
fn list_show_next_and_an_unknown_lesson() {
    let list = clinkit(&["lessons", "list", "--json"], &[]);
    let lessons: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
    assert_eq!(lessons[0]["id"], "00");
    assert_eq!(lessons.as_array().unwrap().len(), catalogue().len());
    let show = clinkit(&["lessons", "show", "01"], &[]);
    let text = String::from_utf8_lossy(&show.stdout);
    assert!(
        text.contains("Just enough Rust") && text.contains("Before: lessons 00"),
        "{text}"
    );
    let workspace = tempfile::tempdir().unwrap();
    let next = clinkit(
        &["lessons", "next", "--json"],
        &[("CLINKIT_WORKSPACE", workspace.path())],
    );
    let next: serde_json::Value = serde_json::from_slice(&next.stdout).unwrap();
    assert_eq!(next["id"], "00");
    let unknown = clinkit(&["lessons", "show", "42"], &[]);
    assert_eq!(unknown.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("no lesson 42"));
}

#[test]
fn check_runs_the_visible_checks_and_prints_hints() {
    let workspace = tempfile::tempdir().unwrap();
    let ws = workspace.path().to_str().unwrap();
    clinkit(&["lessons", "start", "01", "--workspace", ws], &[]);
    let lesson = course::find_lesson(&catalogue(), "01").unwrap().clone();
    let solved = lesson.exercise("mean_age").unwrap();
    std::fs::copy(
        lesson.solution(solved),
        workspace.path().join("01-rust-basics/mean_age.rs"),
    )
    .unwrap();
    let output = clinkit(&["lessons", "check", "01", "--workspace", ws], &[]);
    let text = String::from_utf8_lossy(&output.stdout);
    common::assert_success(&output);
    assert!(
        text.contains("mean_age             passing           3/3 checks"),
        "{text}"
    );
    assert!(
        text.contains("count_words          failing           0/3 checks"),
        "{text}"
    );
    assert!(text.contains("hint: text.split_whitespace()"), "{text}");
    assert!(text.contains("not yet implemented"), "{text}");
    let next = clinkit(&["lessons", "next", "--workspace", ws, "--json"], &[]);
    let next: serde_json::Value = serde_json::from_slice(&next.stdout).unwrap();
    assert_eq!(next["id"], "00", "lesson 00 is not done yet");
}

#[test]
fn assign_writes_a_plan_and_bad_plans_name_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan.toml");
    let output = clinkit(
        &[
            "lessons",
            "assign",
            "--out",
            plan.to_str().unwrap(),
            "--cohort",
            "ward-7",
            "--interns",
            "alice,bob",
            "--lesson",
            "0=2026-12-01,01=2026-12-08",
        ],
        &[],
    );
    common::assert_success(&output);
    let read = course::Plan::read(&plan, &catalogue()).unwrap();
    assert_eq!(read.interns, ["alice", "bob"]);
    assert_eq!(read.due("01").unwrap().to_string(), "2026-12-08");

    std::fs::write(
        &plan,
        "cohort = \"x\"\ninterns = [\"a\"]\n\n[[lessons]]\nid = \"01\"\ndue = \"2026-13-01\"\n",
    )
    .unwrap();
    let error = course::Plan::read(&plan, &catalogue())
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("plan.toml:6")
            && error.contains("lessons[0].due")
            && error.contains("2026-13-01"),
        "{error}"
    );
    let bad_date = clinkit(
        &[
            "lessons",
            "assign",
            "--out",
            "x.toml",
            "--interns",
            "a",
            "--lesson",
            "01=soon",
        ],
        &[],
    );
    assert_eq!(bad_date.status.code(), Some(1));
}

#[test]
fn collect_and_progress_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let submissions = dir.path().join("submissions");
    let lesson = course::find_lesson(&catalogue(), "00").unwrap().clone();
    let folder = submissions.join("alice").join(lesson.folder_name());
    std::fs::create_dir_all(&folder).unwrap();
    for exercise in &lesson.exercises {
        std::fs::copy(
            lesson.solution(exercise),
            folder.join(format!("{}.rs", exercise.name)),
        )
        .unwrap();
    }
    let plan = dir.path().join("plan.toml");
    let out = dir.path().join("grades");
    let p = plan.to_str().unwrap();
    clinkit(
        &[
            "lessons",
            "assign",
            "--out",
            p,
            "--interns",
            "alice,bob",
            "--lesson",
            "00=2026-12-01",
        ],
        &[],
    );
    let collect = clinkit(
        &[
            "lessons",
            "collect",
            submissions.to_str().unwrap(),
            "--plan",
            p,
            "--out",
            out.to_str().unwrap(),
            "--today",
            "2026-12-05",
            "--json",
        ],
        &[],
    );
    let book = common::json_of_success(&collect);
    assert_eq!(book["interns"][0]["lessons"][0]["status"], "passing");
    assert_eq!(book["interns"][1]["lessons"][0]["status"], "late");
    let html = dir.path().join("progress.html");
    let progress = clinkit(
        &[
            "lessons",
            "progress",
            "--gradebook",
            out.join("gradebook.json").to_str().unwrap(),
            "--html",
            html.to_str().unwrap(),
        ],
        &[],
    );
    let table = String::from_utf8_lossy(&progress.stdout);
    assert!(
        table
            .lines()
            .any(|l| l.starts_with("alice") && l.contains("passing")),
        "{table}"
    );
    assert!(
        table
            .lines()
            .any(|l| l.starts_with("bob") && l.contains("late")),
        "{table}"
    );
    assert!(std::fs::read_to_string(&html)
        .unwrap()
        .contains("<td class=\"late\">late</td>"));
    assert!(out.join("feedback/bob.html").is_file());
}
