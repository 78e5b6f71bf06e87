//! `collect` on a cohort with broken and malicious submissions: an infinite loop, panics,
//! a flood of output, a zip with path traversal, code that writes outside its folder, a
//! symbolic link out of the folder. None of them hangs the run or escapes, and the
//! gradebook is right for everyone.
//!
//! The first run on a machine compiles clinkit for the exercise crates (minutes); later
//! runs reuse target/clinkit-exercises ($CLINKIT_EXERCISE_TARGET).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use clinkit::course::{
    self, sandbox::Limits, CheckOptions, CollectOptions, Date, Gradebook, LessonStatus, Status,
};

fn catalogue() -> Vec<course::Lesson> {
    course::read_catalogue(&course::default_lessons_dir()).unwrap()
}

fn lesson_01() -> course::Lesson {
    course::find_lesson(&catalogue(), "01").unwrap().clone()
}

/// A workspace folder for lesson 01 with the reference solutions, then `changes`
/// (exercise name, new source) applied.
fn workspace(root: &Path, changes: &[(&str, String)]) -> PathBuf {
    let lesson = lesson_01();
    let folder = root.join(lesson.folder_name());
    std::fs::create_dir_all(&folder).unwrap();
    for exercise in &lesson.exercises {
        std::fs::copy(
            lesson.solution(exercise),
            folder.join(format!("{}.rs", exercise.name)),
        )
        .unwrap();
    }
    for (name, source) in changes {
        std::fs::write(folder.join(format!("{name}.rs")), source).unwrap();
    }
    root.to_path_buf()
}

const COUNT_TERM: &str = "pub fn count_term(text: &str, term: &str) -> usize {
    let term = term.to_lowercase();
    text.split_whitespace()
        .map(|w| w.trim_matches(|c| \".,;:()\".contains(c)).to_lowercase())
        .filter(|w| *w == term)
        .count()
}
";

fn count_words_with(body: &str) -> String {
    format!("pub fn count_words(text: &str) -> usize {{\n{body}\n}}\n{COUNT_TERM}")
}

fn zip_folder(folder: &Path, zip_path: &Path, extra: &[(&str, &str)]) {
    let file = std::fs::File::create(zip_path).unwrap();
    let mut zip = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default();
    let lesson = lesson_01();
    for entry in std::fs::read_dir(folder.join(lesson.folder_name())).unwrap() {
        let path = entry.unwrap().path();
        let name = format!(
            "{}/{}",
            lesson.folder_name(),
            path.file_name().unwrap().to_string_lossy()
        );
        zip.start_file(name, options).unwrap();
        zip.write_all(&std::fs::read(&path).unwrap()).unwrap();
    }
    for (name, content) in extra {
        zip.start_file(*name, options).unwrap();
        zip.write_all(content.as_bytes()).unwrap();
    }
    zip.finish().unwrap();
}

fn grades<'a>(book: &'a Gradebook, intern: &str) -> &'a course::InternGrades {
    book.interns.iter().find(|i| i.intern == intern).unwrap()
}

fn exercise<'a>(book: &'a Gradebook, intern: &str, name: &str) -> &'a course::ExerciseReport {
    grades(book, intern).lessons[0]
        .exercises
        .iter()
        .find(|e| e.exercise == name)
        .unwrap()
}

#[test]
fn a_cohort_with_malicious_submissions_is_graded_right() {
    let root = tempfile::tempdir().unwrap();
    let submissions = root.path().join("submissions");
    let outside = root.path().join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    let scratch = tempfile::tempdir().unwrap();

    // good: the reference solutions, as a folder.
    workspace(&submissions.join("good"), &[]);
    // zipped: the reference solutions, as a zip with a top folder.
    let zipped = workspace(&root.path().join("zipped-src"), &[]);
    zip_folder(&zipped, &submissions.join("zipped.zip"), &[]);
    // looper: count_words never returns.
    workspace(
        &submissions.join("looper"),
        &[(
            "count_words",
            count_words_with("loop { std::hint::black_box(text); }"),
        )],
    );
    // flooder: prints without end.
    workspace(
        &submissions.join("flooder"),
        &[(
            "count_words",
            count_words_with("loop { println!(\"{}\", \"flood \".repeat(10_000)); }"),
        )],
    );
    // escaper: right answers, but writes outside its folder (absolute and relative paths).
    let absolute = outside.join("escaped.txt");
    let escaping = format!(
        "let _ = std::fs::write({absolute:?}, \"escaped\");\n\
         let _ = std::fs::write(\"../../../../escaped-relative.txt\", \"escaped\");\n\
         text.split_whitespace().count()"
    );
    workspace(
        &submissions.join("escaper"),
        &[("count_words", count_words_with(&escaping))],
    );
    // panicker: the unsolved starting files (todo!() panics).
    let lesson = lesson_01();
    let starting: Vec<(&str, String)> = lesson
        .exercises
        .iter()
        .map(|e| {
            (
                e.name.as_str(),
                std::fs::read_to_string(lesson.starting_file(e)).unwrap(),
            )
        })
        .collect();
    workspace(&submissions.join("panicker"), &starting);
    // broken: does not compile.
    workspace(
        &submissions.join("broken"),
        &[("mean_age", "pub fn mean_age( {".to_string())],
    );
    // traversal: a zip with an entry that climbs out of the folder.
    let traversal_src = workspace(&root.path().join("traversal-src"), &[]);
    zip_folder(
        &traversal_src,
        &submissions.join("traversal.zip"),
        &[("../../evil.rs", "pwned")],
    );
    // linker: the lesson folder holds symbolic links to files outside the submission.
    let linker = submissions.join("linker").join(lesson.folder_name());
    std::fs::create_dir_all(&linker).unwrap();
    for e in &lesson.exercises {
        std::fs::copy(lesson.solution(e), outside.join(format!("{}.rs", e.name))).unwrap();
        std::os::unix::fs::symlink(
            outside.join(format!("{}.rs", e.name)),
            linker.join(format!("{}.rs", e.name)),
        )
        .unwrap();
    }

    let interns = [
        "good",
        "zipped",
        "looper",
        "flooder",
        "escaper",
        "panicker",
        "broken",
        "traversal",
        "linker",
        "absent",
    ];
    let plan = course::assign(
        "test-cohort",
        &interns.map(String::from),
        &[("01".into(), "2026-12-01".parse().unwrap())],
        &catalogue(),
    )
    .unwrap();
    let options = CollectOptions {
        check: CheckOptions {
            test_limits: Limits {
                time: Duration::from_secs(2),
                output_bytes: 4096,
            },
            ..CheckOptions::default()
        },
        today: "2026-11-27".parse::<Date>().unwrap(),
        scratch_dir: scratch.path().to_path_buf(),
    };
    let book = course::collect(&submissions, &plan, &catalogue(), &options).unwrap();
    let status = |intern: &str| grades(&book, intern).lessons[0].status;

    assert_eq!(status("good"), LessonStatus::Passing);
    assert_eq!(status("zipped"), LessonStatus::Passing);
    for e in &grades(&book, "good").lessons[0].exercises {
        assert_eq!(e.status, Status::Passing, "{e:?}");
        assert_eq!(e.counts(false).0, e.counts(false).1);
        assert!(e.counts(true).1 >= 1, "hidden checks ran: {e:?}");
    }

    let looped = exercise(&book, "looper", "count_words");
    assert_eq!(looped.status, Status::Failing);
    let slow: Vec<_> = looped
        .tests
        .iter()
        .filter(|t| t.outcome.starts_with("timed out"))
        .collect();
    assert!(!slow.is_empty(), "{looped:?}");
    assert_eq!(
        exercise(&book, "looper", "mean_age").status,
        Status::Passing
    );

    let flooded = exercise(&book, "flooder", "count_words");
    assert_eq!(flooded.status, Status::Failing);
    assert!(
        flooded.tests.iter().all(|t| t.output.len() < 10_000),
        "output is capped"
    );

    assert!(!absolute.exists(), "the escaper wrote outside its folder");
    assert!(!root.path().join("escaped-relative.txt").exists());
    assert!(!submissions.join("escaped-relative.txt").exists());
    if course::sandbox::write_confinement_available() {
        assert!(book.writes_confined);
    }
    assert_eq!(
        status("escaper"),
        LessonStatus::Passing,
        "its answers are right"
    );

    assert_eq!(status("panicker"), LessonStatus::Failing);
    let panicked = exercise(&book, "panicker", "blood_pressure");
    assert!(panicked.tests.iter().all(|t| !t.passed));
    assert!(
        panicked.tests[0].output.contains("not yet implemented"),
        "{panicked:?}"
    );

    let broken = exercise(&book, "broken", "mean_age");
    assert_eq!(broken.status, Status::CompileError);
    assert!(
        broken.compiler_output.contains("error"),
        "{}",
        broken.compiler_output
    );
    assert_eq!(
        exercise(&book, "broken", "count_words").status,
        Status::Passing
    );

    let traversal = grades(&book, "traversal");
    assert!(
        traversal
            .problem
            .as_deref()
            .unwrap()
            .contains("../../evil.rs"),
        "{traversal:?}"
    );
    assert_eq!(status("traversal"), LessonStatus::NotStarted);
    assert!(!root.path().join("evil.rs").exists() && !scratch.path().join("evil.rs").exists());

    assert_eq!(
        status("linker"),
        LessonStatus::NotStarted,
        "links are not followed"
    );
    assert!(grades(&book, "absent")
        .problem
        .as_deref()
        .unwrap()
        .contains("no submission"));

    // The gradebook: CSV, JSON that reads back, progress page and feedback per intern.
    let out = root.path().join("grades");
    book.write(&out).unwrap();
    let csv = std::fs::read_to_string(out.join("gradebook.csv")).unwrap();
    assert_eq!(csv.lines().count(), 1 + interns.len() * 3);
    assert!(
        csv.contains("good,01,count_words,passing,passing,3,3,2,2,2026-12-01,"),
        "{csv}"
    );
    assert_eq!(Gradebook::read(&out.join("gradebook.json")).unwrap(), book);
    let feedback = std::fs::read_to_string(out.join("feedback/looper.html")).unwrap();
    assert!(
        feedback.contains("timed out") && feedback.contains("Hint:"),
        "{feedback}"
    );
    let progress = std::fs::read_to_string(out.join("progress.html")).unwrap();
    assert!(progress.contains("<td class=\"passing\">passing</td>"));
    let table = book.render_text();
    assert!(
        table
            .lines()
            .any(|l| l.starts_with("looper") && l.contains("failing")),
        "{table}"
    );
}

#[test]
fn past_the_due_date_a_lesson_that_does_not_pass_is_late() {
    let lesson = lesson_01();
    let not_started: Vec<_> = lesson
        .exercises
        .iter()
        .map(|e| course::ExerciseReport::not_started(&lesson, e))
        .collect();
    let due: Date = "2026-12-01".parse().unwrap();
    let status =
        |today: &str| course::collect::lesson_status(&not_started, due, today.parse().unwrap());
    assert_eq!(status("2026-12-01"), LessonStatus::NotStarted);
    assert_eq!(status("2026-12-02"), LessonStatus::Late);
}
