//! The course book as a student meets it: it builds, no link inside it is broken, and a
//! real browser (headless Chromium) shows a chapter. The screenshot is kept as a CI
//! artifact in `target/ci-artifacts/`.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A program from PATH or `~/.cargo/bin`, or a panic that says how to install it.
fn program(name: &str, install: &str) -> PathBuf {
    let cargo_bin = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")))
        .map(|home| home.join("bin").join(name));
    let on_path = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(name))
            .find(|candidate| candidate.is_file())
    });
    on_path
        .or(cargo_bin.filter(|path| path.is_file()))
        .unwrap_or_else(|| panic!("`{name}` is not installed: run scripts/setup ({install})"))
}

/// Builds the book into a fresh folder and returns it.
fn build_book(out: &Path) {
    let mdbook = program("mdbook", "cargo install mdbook");
    let status = Command::new(mdbook)
        .arg("build")
        .arg(root().join("book"))
        .arg("--dest-dir")
        .arg(out)
        .status()
        .expect("mdbook runs");
    assert!(status.success(), "mdbook build failed");
}

/// Every `href="..."` and `src="..."` value in an HTML page.
fn links(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for attribute in ["href=\"", "src=\""] {
        let mut rest = html;
        while let Some(start) = rest.find(attribute) {
            rest = &rest[start + attribute.len()..];
            if let Some(end) = rest.find('"') {
                found.push(rest[..end].to_string());
                rest = &rest[end..];
            }
        }
    }
    found
}

/// True for links that leave the book (web addresses, e-mail) or stay on the same page.
fn is_external_or_anchor(link: &str) -> bool {
    link.is_empty()
        || link.starts_with('#')
        || link.contains("://")
        || link.starts_with("mailto:")
        || link.starts_with("javascript:")
        || link.starts_with("data:")
}

fn html_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            html_files(&path, found);
        } else if path.extension().is_some_and(|ext| ext == "html") {
            found.push(path);
        }
    }
}

#[test]
fn the_book_builds_and_no_link_inside_it_is_broken() {
    let dir = tempfile::tempdir().unwrap();
    build_book(dir.path());
    let mut pages = Vec::new();
    html_files(dir.path(), &mut pages);
    assert!(pages.len() >= 5, "only {} pages were built", pages.len());

    let mut broken = Vec::new();
    for page in &pages {
        let html = std::fs::read_to_string(page).unwrap();
        for link in links(&html) {
            if is_external_or_anchor(&link) {
                continue;
            }
            let target = link.split(['#', '?']).next().unwrap();
            let resolved = page.parent().unwrap().join(target);
            if !resolved.exists() {
                broken.push(format!(
                    "{}: {link}",
                    page.strip_prefix(dir.path()).unwrap().display()
                ));
            }
        }
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

/// Runs headless Chromium with the flags that keep it off the network.
fn chromium(profile: &Path, args: &[&str]) -> std::process::Output {
    Command::new(program("chromium", "apt-get install chromium"))
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .output()
        .expect("chromium runs")
}

#[test]
fn headless_chromium_shows_a_chapter() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("book");
    build_book(&book);
    let page = book.join("tokens.html");
    let url = format!("file://{}", page.display());

    let dom = chromium(&dir.path().join("profile-dom"), &["--dump-dom", &url]);
    let dom_text = String::from_utf8_lossy(&dom.stdout);
    assert!(
        dom_text.contains("Tokens: how a model reads a letter</h1>")
            || dom_text.contains("Tokens: how a model reads a letter</a></h1>"),
        "the chapter's title is not on the page Chromium rendered:\n{}",
        &dom_text[..dom_text.len().min(2000)]
    );
    assert!(dom_text.contains("Byte-pair encoding"));
    assert!(
        dom_text.contains("class=\"chapter\""),
        "the table of contents is missing"
    );

    let artifacts = root().join("target").join("ci-artifacts");
    std::fs::create_dir_all(&artifacts).unwrap();
    let screenshot = artifacts.join("book-tokens.png");
    let _ = std::fs::remove_file(&screenshot);
    let shot = chromium(
        &dir.path().join("profile-shot"),
        &[
            &format!("--screenshot={}", screenshot.display()),
            "--window-size=1280,900",
            &url,
        ],
    );
    assert!(
        screenshot.is_file(),
        "no screenshot: {}",
        String::from_utf8_lossy(&shot.stderr)
    );
    let pixmap = resvg::tiny_skia::Pixmap::load_png(&screenshot).expect("a PNG");
    assert_eq!((pixmap.width(), pixmap.height()), (1280, 900));
    let dark = pixmap
        .pixels()
        .iter()
        .filter(|pixel| pixel.red() < 128 && pixel.green() < 128 && pixel.blue() < 128)
        .count();
    let share = dark as f64 / pixmap.pixels().len() as f64;
    assert!(
        (0.005..0.5).contains(&share),
        "the screenshot does not look like a page of text ({:.1}% dark pixels)",
        100.0 * share
    );
}

/// Every chapter with Rust code is compiled and run as documentation tests (the
/// `course::book` module includes it), so no example in the book can silently rot.
#[test]
fn every_chapter_with_rust_code_is_doc_tested() {
    let listing = std::fs::read_to_string(root().join("src/course/mod.rs")).unwrap();
    let mut chapters: Vec<PathBuf> = std::fs::read_dir(root().join("book/src"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "md"))
        .collect();
    chapters.sort();
    for chapter in chapters {
        let text = std::fs::read_to_string(&chapter).unwrap();
        if !text
            .lines()
            .any(|line| line.trim_start().starts_with("```rust"))
        {
            continue;
        }
        let name = chapter.file_name().unwrap().to_string_lossy();
        let included = format!("include_str!(\"../../book/src/{name}\")");
        assert!(
            listing.contains(&included),
            "book/src/{name} has Rust code but is not in course::book (src/course/mod.rs)"
        );
    }
}
