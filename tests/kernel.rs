//! `clinkit kernel install | uninstall | doctor` into temporary folders, and the launcher's
//! build-folder slots. No Jupyter kernel is started here (see tests/notebooks.rs).

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

fn clinkit(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_clinkit"))
        .args(args)
        .output()
        .unwrap()
}

fn json_of(output: &Output) -> serde_json::Value {
    assert!(
        output.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("--json prints exactly one JSON document")
}

fn text(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// A stand-in for evcxr_jupyter: a shell script that records how it was started.
fn fake_evcxr(dir: &Path, body: &str) -> PathBuf {
    let path = dir.join("fake_evcxr");
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    path
}

/// Installs into `prefix` with `evcxr` as the kernel program; returns the kernel.json.
fn install(prefix: &Path, cache: &Path, evcxr: &Path) -> serde_json::Value {
    let output = clinkit(&[
        "kernel",
        "install",
        "--prefix",
        text(prefix),
        "--cache-dir",
        text(cache),
        "--evcxr",
        text(evcxr),
        "--json",
    ]);
    let installed = json_of(&output);
    let kernel_json = installed["kernel_json"].as_str().unwrap();
    serde_json::from_str(&std::fs::read_to_string(kernel_json).unwrap()).unwrap()
}

#[test]
fn install_writes_a_clinkit_kernelspec_that_starts_evcxr_with_clinkits_configuration() {
    let dir = tempfile::tempdir().unwrap();
    let prefix = dir.path().join("venv");
    let cache = dir.path().join("cache");
    let evcxr = fake_evcxr(dir.path(), "exit 0");
    let spec = prefix.join("share/jupyter/kernels/clinkit");
    let kernel = install(&prefix, &cache, &evcxr);

    assert_eq!(kernel["display_name"], "Rust (clinkit)");
    assert_eq!(kernel["language"], "rust");
    assert_eq!(kernel["interrupt_mode"], "message");
    let argv: Vec<&str> = kernel["argv"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    assert_eq!(argv.len(), 3);
    assert!(Path::new(argv[0]).is_absolute(), "python: {}", argv[0]);
    assert_eq!(argv[1], text(&spec.join("launch.py")));
    assert_eq!(argv[2], "{connection_file}");
    assert!(spec.join("launch.py").is_file());

    let env = &kernel["env"];
    assert_eq!(env["EVCXR_CONFIG_DIR"], text(&spec.join("evcxr")));
    assert_eq!(env["CLINKIT_KERNEL_CACHE"], text(&cache));
    assert_eq!(env["CLINKIT_EVCXR_JUPYTER"], text(&evcxr));
    assert_eq!(env["CLINKIT_CRATE_DIR"], env!("CARGO_MANIFEST_DIR"));

    let init = std::fs::read_to_string(spec.join("evcxr/init.evcxr")).unwrap();
    let dep = format!(
        ":dep clinkit = {{ path = \"{}\", default-features = false, features = [\"models\"] }}",
        env!("CARGO_MANIFEST_DIR")
    );
    assert!(init.contains(&dep), "{init}");
    assert!(init.contains(":cache 4096\n"), "{init}");
    assert!(init.contains(":opt 0\n"), "{init}");
    assert!(
        init.ends_with("\nuse clinkit::kernel::prelude::*;\n"),
        "{init}"
    );
    assert!(
        !spec.join("evcxr/prelude.rs").exists(),
        "no second compile at start"
    );
    let cargo = std::fs::read_to_string(spec.join("cargo-config.toml")).unwrap();
    assert!(cargo.contains(clinkit::kernel::OPTIMISED_DEPENDENCIES));
    assert!(
        !prefix.join("share/jupyter/kernels/rust").exists(),
        "evcxr's own `rust` kernel is left alone"
    );

    // A second install changes nothing.
    let again = json_of(&clinkit(&[
        "kernel",
        "install",
        "--prefix",
        text(&prefix),
        "--cache-dir",
        text(&cache),
        "--evcxr",
        text(&evcxr),
        "--json",
    ]));
    assert_eq!(again["changed"], serde_json::json!([]));

    // Features for notebooks go into the :dep line.
    let output = clinkit(&[
        "kernel",
        "install",
        "--prefix",
        text(&prefix),
        "--cache-dir",
        text(&cache),
        "--evcxr",
        text(&evcxr),
        "--features",
        "hf-tokenizers",
    ]);
    assert!(output.status.success());
    let init = std::fs::read_to_string(spec.join("evcxr/init.evcxr")).unwrap();
    assert!(init.contains("default-features = false, features = [\"hf-tokenizers\"] }"));
}

#[test]
fn uninstall_removes_the_kernelspec_and_with_purge_the_build_folder() {
    let dir = tempfile::tempdir().unwrap();
    let prefix = dir.path().join("venv");
    let cache = dir.path().join("cache");
    let evcxr = fake_evcxr(dir.path(), "exit 0");
    install(&prefix, &cache, &evcxr);
    std::fs::create_dir_all(cache.join("slot-0")).unwrap();
    let spec = prefix.join("share/jupyter/kernels/clinkit");

    let removed = json_of(&clinkit(&[
        "kernel",
        "uninstall",
        "--prefix",
        text(&prefix),
        "--json",
    ]));
    assert_eq!(removed["removed"], text(&spec));
    assert!(!spec.exists());
    assert!(cache.exists(), "without --purge the build folder stays");
    let nothing = json_of(&clinkit(&[
        "kernel",
        "uninstall",
        "--prefix",
        text(&prefix),
        "--json",
    ]));
    assert_eq!(nothing["removed"], serde_json::Value::Null);

    install(&prefix, &cache, &evcxr);
    let output = clinkit(&["kernel", "uninstall", "--prefix", text(&prefix), "--purge"]);
    assert!(output.status.success());
    assert!(!cache.exists());

    // A build folder with someone else's files in it is not deleted.
    install(&prefix, &cache, &evcxr);
    std::fs::write(cache.join("thesis.docx"), "four years of work").unwrap();
    let output = clinkit(&["kernel", "uninstall", "--prefix", text(&prefix), "--purge"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("did not make"));
    assert!(cache.join("thesis.docx").exists());
    assert!(spec.exists(), "nothing removed");
}

#[test]
fn uninstall_leaves_a_clinkit_kernel_it_did_not_write() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("share/jupyter/kernels/clinkit");
    std::fs::create_dir_all(&spec).unwrap();
    std::fs::write(
        spec.join("kernel.json"),
        r#"{"argv": ["x"], "display_name": "x"}"#,
    )
    .unwrap();
    let output = clinkit(&["kernel", "uninstall", "--prefix", text(dir.path())]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("not written by `clinkit kernel install`")
    );
    assert!(spec.join("kernel.json").exists());
}

#[test]
fn doctor_names_the_missing_kernelspec_and_the_command_that_installs_it() {
    let dir = tempfile::tempdir().unwrap();
    let output = clinkit(&["kernel", "doctor", "--prefix", text(dir.path()), "--json"]);
    assert_eq!(output.status.code(), Some(1), "something is missing");
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["ok"], false);
    let checks = report["checks"].as_array().unwrap();
    let names: Vec<&str> = checks.iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        [
            "rust",
            "jupyter",
            "evcxr",
            "crates",
            "kernelspec",
            "models",
            "cache"
        ]
    );
    let crates = checks.iter().find(|c| c["name"] == "crates").unwrap();
    assert_eq!(
        crates["status"], "ok",
        "scripts/setup downloaded them: {crates}"
    );
    let spec = checks.iter().find(|c| c["name"] == "kernelspec").unwrap();
    assert_eq!(spec["status"], "missing");
    assert_eq!(
        spec["fix"],
        format!("clinkit kernel install --prefix {}", dir.path().display())
    );
    for check in checks {
        if check["status"] != "ok" {
            assert!(check["fix"].is_string(), "every problem has a fix: {check}");
        }
    }
    let plain = clinkit(&["kernel", "doctor", "--prefix", text(dir.path())]);
    let shown = String::from_utf8_lossy(&plain.stdout);
    assert!(shown.contains("MISSING  kernelspec"), "{shown}");
    assert!(
        shown.contains("fix: clinkit kernel install --prefix"),
        "{shown}"
    );
}

#[test]
fn doctor_names_crates_that_are_not_downloaded_and_the_command_that_fetches_them() {
    // An empty cargo download folder: what a machine has before `cargo fetch` (the kernel
    // starts offline, so its first start would fail).
    let dir = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_clinkit"))
        .args(["kernel", "doctor", "--prefix", text(dir.path()), "--json"])
        .env("CARGO_HOME", dir.path().join("empty-cargo-home"))
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let crates = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "crates")
        .unwrap();
    assert_eq!(crates["status"], "missing", "{crates}");
    let fix = crates["fix"].as_str().unwrap();
    assert!(fix.starts_with("cargo fetch --manifest-path "), "{fix}");
    assert!(fix.ends_with("Cargo.toml"), "{fix}");
}

/// Runs the installed launcher the way Jupyter does, with the fake evcxr.
fn launch(kernel: &serde_json::Value, stdout: Stdio) -> Child {
    let argv = kernel["argv"].as_array().unwrap();
    let mut command = Command::new(argv[0].as_str().unwrap());
    command
        .arg(argv[1].as_str().unwrap())
        .arg("/tmp/connection.json");
    for (key, value) in kernel["env"].as_object().unwrap() {
        command.env(key, value.as_str().unwrap());
    }
    command.stdout(stdout).spawn().unwrap()
}

#[cfg(unix)]
#[test]
fn each_running_kernel_gets_its_own_build_folder() {
    let dir = tempfile::tempdir().unwrap();
    let prefix = dir.path().join("venv");
    let cache = dir.path().join("cache");
    let record = dir.path().join("started");
    // The fake kernel writes where it builds, then stays alive (holding its slot) until
    // the file `stop` appears.
    let evcxr = fake_evcxr(
        dir.path(),
        &format!(
            "echo \"$EVCXR_TMPDIR $1 $2\" >> {}\nwhile [ ! -f {} ]; do sleep 0.05; done",
            record.display(),
            dir.path().join("stop").display()
        ),
    );
    let kernel = install(&prefix, &cache, &evcxr);
    let mut first = launch(&kernel, Stdio::null());
    let started = Instant::now();
    while std::fs::read_to_string(&record).map_or(true, |r| r.lines().count() < 1) {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the first kernel did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let mut second = launch(&kernel, Stdio::null());
    while std::fs::read_to_string(&record).map_or(true, |r| r.lines().count() < 2) {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the second kernel did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    std::fs::write(dir.path().join("stop"), "").unwrap();
    first.wait().unwrap();
    second.wait().unwrap();
    let lines: Vec<String> = std::fs::read_to_string(&record)
        .unwrap()
        .lines()
        .map(String::from)
        .collect();
    assert_eq!(
        lines,
        [
            format!(
                "{} --control_file /tmp/connection.json",
                text(&cache.join("slot-0"))
            ),
            format!(
                "{} --control_file /tmp/connection.json",
                text(&cache.join("slot-1"))
            ),
        ]
    );
    // The launcher put the cargo profile beside the slots and pinned dependency versions.
    let cargo = std::fs::read_to_string(cache.join(".cargo/config.toml")).unwrap();
    assert!(cargo.contains("opt-level = 2\ndebug-assertions = false"));
    let lock = std::fs::read_to_string(cache.join("slot-0/Cargo.lock")).unwrap();
    assert_eq!(
        lock,
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.lock")).unwrap()
    );

    // With the first kernel gone, its slot is free again.
    std::fs::remove_file(dir.path().join("stop")).unwrap();
    std::fs::write(&record, "").unwrap();
    std::fs::write(dir.path().join("stop"), "").unwrap();
    let mut third = launch(&kernel, Stdio::null());
    third.wait().unwrap();
    assert_eq!(
        std::fs::read_to_string(&record).unwrap().trim(),
        format!(
            "{} --control_file /tmp/connection.json",
            text(&cache.join("slot-0"))
        )
    );
}

/// The standard library sources rustup's `rust-src` put beside the toolchain, if any.
fn rust_src_library() -> Option<PathBuf> {
    let output = Command::new("rustc")
        .args(["--print", "sysroot"])
        .output()
        .ok()?;
    let sysroot = String::from_utf8(output.stdout).ok()?;
    let library = Path::new(sysroot.trim()).join("lib/rustlib/src/rust/library");
    library.join("core").is_dir().then_some(library)
}

#[cfg(unix)]
#[test]
fn the_launcher_points_rust_analyzer_at_a_small_standard_library_folder() {
    let dir = tempfile::tempdir().unwrap();
    let prefix = dir.path().join("venv");
    let cache = dir.path().join("cache");
    let record = dir.path().join("rust-src-path");
    let evcxr = fake_evcxr(
        dir.path(),
        &format!("echo \"$RUST_SRC_PATH\" > {}", record.display()),
    );
    let kernel = install(&prefix, &cache, &evcxr);
    let mut command = Command::new(kernel["argv"][0].as_str().unwrap());
    command
        .arg(kernel["argv"][1].as_str().unwrap())
        .arg("/tmp/connection.json")
        .env_remove("RUST_SRC_PATH");
    for (key, value) in kernel["env"].as_object().unwrap() {
        command.env(key, value.as_str().unwrap());
    }
    assert!(command.status().unwrap().success());
    let seen = std::fs::read_to_string(&record).unwrap();
    match rust_src_library() {
        Some(library) => {
            let folder = cache.join("rust-src");
            assert_eq!(seen.trim(), text(&folder));
            // core, alloc and std lead to the real sources; tests and stdarch stay out.
            for crate_name in ["core", "alloc", "std"] {
                assert_eq!(
                    std::fs::read_link(folder.join(crate_name)).unwrap(),
                    library.join(crate_name)
                );
                assert!(folder.join(crate_name).join("src/lib.rs").is_file());
            }
            assert!(!folder.join("coretests").exists());
            assert!(!folder.join("stdarch").exists());
        }
        // Without rust-src, rust-analyzer gets no standard library either way.
        None => assert_eq!(seen.trim(), ""),
    }
}

/// Runs `program` with `args` (and RUSTUP_TOOLCHAIN set, as rust-analyzer sets it) and
/// returns its stdout.
fn stdout_of(program: &Path, args: &[&str]) -> String {
    let output = Command::new(program)
        .args(args)
        .env("RUSTUP_TOOLCHAIN", program.parent().unwrap())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{} {args:?}: {}",
        program.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

#[cfg(unix)]
#[test]
fn the_launcher_shows_rust_analyzer_clinkit_without_its_downloaded_crates() {
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    let record = dir.path().join("rustc");
    let evcxr = fake_evcxr(
        dir.path(),
        &format!(
            "echo \"$RUSTC\" > {0}\necho \"$MIMALLOC_ALLOW_THP\" >> {0}",
            record.display()
        ),
    );
    let kernel = install(&dir.path().join("venv"), &cache, &evcxr);
    let mut command = Command::new(kernel["argv"][0].as_str().unwrap());
    command
        .arg(kernel["argv"][1].as_str().unwrap())
        .arg("/tmp/connection.json")
        .env_remove("RUSTC")
        .env_remove("MIMALLOC_ALLOW_THP");
    for (key, value) in kernel["env"].as_object().unwrap() {
        command.env(key, value.as_str().unwrap());
    }
    assert!(command.status().unwrap().success());

    // RUSTC (read by rust-analyzer only) names a sysroot whose cargo is the filter.
    let folder = cache.join("analyzer-toolchain");
    let recorded = std::fs::read_to_string(&record).unwrap();
    let mut recorded = recorded.lines();
    let rustc = PathBuf::from(recorded.next().unwrap());
    // evcxr's allocator is told not to use huge pages (less fresh memory to zero).
    assert_eq!(recorded.next(), Some("0"));
    assert_eq!(rustc, folder.join("rustc-for-analyzer"));
    assert_eq!(
        stdout_of(&rustc, &["--print", "sysroot"]).trim(),
        text(&folder)
    );
    assert!(stdout_of(&rustc, &["-V"]).starts_with("rustc "));

    // `cargo metadata` of a cell crate that depends on clinkit with `models`, as rust-analyzer
    // asks for it: the ~150 downloaded crates are left out, clinkit (a crate on disk) stays.
    let cell = dir.path().join("cell");
    std::fs::create_dir_all(cell.join("src")).unwrap();
    std::fs::write(cell.join("src/lib.rs"), "").unwrap();
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::copy(crate_dir.join("Cargo.lock"), cell.join("Cargo.lock")).unwrap();
    std::fs::write(
        cell.join("Cargo.toml"),
        format!(
            "[package]\nname = \"ctx\"\nversion = \"1.0.0\"\nedition = \"2021\"\n\n[dependencies]\n\
             clinkit = {{ path = {:?}, default-features = false, features = [\"models\"] }}\n",
            text(crate_dir)
        ),
    )
    .unwrap();
    let host = stdout_of(&rustc, &["-vV"])
        .lines()
        .find_map(|line| line.strip_prefix("host: ").map(String::from))
        .unwrap();
    let cargo = folder.join("bin").join("cargo");
    let manifest = cell.join("Cargo.toml");
    let args = [
        "metadata",
        "--format-version",
        "1",
        "--offline",
        "--filter-platform",
        &host,
        "--manifest-path",
        text(&manifest),
    ];
    let metadata: serde_json::Value = serde_json::from_str(&stdout_of(&cargo, &args)).unwrap();
    let names: Vec<&str> = metadata["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|package| package["name"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(
        names.contains(&"ctx") && names.contains(&"clinkit"),
        "{names:?}"
    );
    for node in metadata["resolve"]["nodes"].as_array().unwrap() {
        let deps: Vec<&str> = node["deps"]
            .as_array()
            .unwrap()
            .iter()
            .map(|dep| dep["name"].as_str().unwrap())
            .collect();
        let expected: &[&str] = if node["id"].as_str().unwrap().contains("clinkit") {
            &[]
        } else {
            &["clinkit"]
        };
        assert_eq!(deps, expected);
    }
    // Every other cargo command is cargo's own.
    assert!(stdout_of(&cargo, &["--version"]).starts_with("cargo "));
}
