//! The course: lessons, exercises that check themselves, and the supervisor's side
//! (assignment plans, collecting work, gradebooks, progress).
//!
//! Every lesson is a folder `lessons/NN-name/` with a `lesson.toml` ([`Lesson`]): its
//! title, objectives, prerequisites, time, notebook, book chapter and exercises. An
//! exercise is a Rust file with a `todo!()` to complete, in the spirit of
//! [rustlings](https://rustlings.rust-lang.org): the intern copies it into a workspace
//! ([`start`]), edits it, and runs the checks ([`check_lesson`]); each check is a
//! `#[test]` compiled together with the intern's file against clinkit
//! ([`check::check_exercise`]). Supervisors write a [`Plan`] ([`assign`]), then
//! [`collect`] every intern's workspace and run the visible and hidden checks in
//! isolation ([`sandbox`]), which gives a [`Gradebook`] (CSV, JSON, HTML feedback, a
//! cohort progress table).
//!
//! ```
//! let lessons = clinkit::course::read_catalogue(&clinkit::course::default_lessons_dir()).unwrap();
//! let rust = clinkit::course::find_lesson(&lessons, "1").unwrap();
//! assert_eq!(rust.folder_name(), "01-rust-basics");
//! assert!(!rust.exercises.is_empty());
//! ```

pub mod check;
pub mod collect;
pub mod lesson;
pub mod plan;
pub mod sandbox;
pub mod workspace;

pub use check::{CheckOptions, ExerciseReport, Status, TestResult};
pub use collect::{collect, CollectOptions, Gradebook, InternGrades, LessonGrade, LessonStatus};
pub use lesson::{default_lessons_dir, find_lesson, read_catalogue, Exercise, Lesson};
pub use plan::{assign, Assignment, Date, Plan};
pub use workspace::{check_lesson, default_workspace, next, start, LessonReport, Started};

/// The book chapters, compiled as documentation tests: every ```` ```rust ```` block in
/// `book/src/` runs against clinkit in `cargo test --doc`, as `mdbook test` would.
#[cfg(doctest)]
pub mod book {
    #[doc = include_str!("../../book/src/00-notebooks.md")]
    pub struct Lesson00;
    #[doc = include_str!("../../book/src/01-rust-basics.md")]
    pub struct Lesson01;
    #[doc = include_str!("../../book/src/privacy.md")]
    pub struct Lesson02;
    #[doc = include_str!("../../book/src/tokens.md")]
    pub struct Lesson03;
    #[doc = include_str!("../../book/src/embeddings.md")]
    pub struct Lesson04;
    #[doc = include_str!("../../book/src/language-models.md")]
    pub struct Lesson05;
    #[doc = include_str!("../../book/src/prompting.md")]
    pub struct Lesson06;
    #[doc = include_str!("../../book/src/evaluation.md")]
    pub struct Lesson07;
    #[doc = include_str!("../../book/src/project.md")]
    pub struct Lesson08;
    #[doc = include_str!("../../book/src/glossary.md")]
    pub struct Glossary;
}
