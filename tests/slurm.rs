//! clinkit on a real SLURM cluster: a one-node cluster (slurmctld, slurmd, munged) started
//! on this machine by `scripts/slurm/test-cluster`, job arrays submitted with `sbatch`.
//!
//! The harness needs root and Debian's slurm-wlm and munge (it installs them with apt-get
//! when they are missing). Where it cannot run, these tests fail and say why: they never
//! pass without having run SLURM.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// A running test cluster; dropping it stops its daemons, also when a test fails.
struct Cluster {
    state: tempfile::TempDir,
}

fn harness() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/slurm/test-cluster")
}

fn stderr_of(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

impl Cluster {
    fn start() -> Cluster {
        let state = tempfile::Builder::new()
            .prefix("clinkit-slurm-")
            .tempdir()
            .unwrap();
        let cluster = Cluster { state };
        let output = Command::new(harness())
            .arg("start")
            .arg(cluster.state.path())
            .output()
            .expect("scripts/slurm/test-cluster could not be run");
        assert!(
            output.status.success(),
            "the SLURM test cluster did not start, so the SLURM tests cannot run:\n{}",
            stderr_of(&output)
        );
        cluster
    }

    fn conf(&self) -> PathBuf {
        self.state.path().join("slurm.conf")
    }

    /// A SLURM client command (sbatch, squeue, scancel, scontrol) aimed at this cluster.
    fn command(&self, program: &str) -> Command {
        let mut command = Command::new(program);
        command.env("SLURM_CONF", self.conf());
        command
    }

    fn run(&self, program: &str, args: &[&str]) -> String {
        let output = self.command(program).args(args).output().unwrap();
        assert!(
            output.status.success(),
            "{program} {args:?} failed: {}",
            stderr_of(&output)
        );
        String::from_utf8(output.stdout).unwrap()
    }

    /// `sbatch --parsable ARGS`, returning the job id.
    fn sbatch(&self, args: &[&str]) -> String {
        let mut all = vec!["--parsable"];
        all.extend_from_slice(args);
        let id = self.run("sbatch", &all);
        id.trim().split(';').next().unwrap().to_string()
    }

    /// The state of a job or array task ("COMPLETED", "RUNNING", ...), from scontrol.
    fn job_states(&self, job: &str) -> Vec<String> {
        let text = self.run("scontrol", &["show", "job", "--oneliner", job]);
        text.lines()
            .filter_map(|line| {
                line.split_whitespace()
                    .find_map(|word| word.strip_prefix("JobState="))
                    .map(str::to_string)
            })
            .collect()
    }

    /// Waits until every task of the job has ended, and returns their states.
    fn wait_for(&self, job: &str, limit: Duration) -> Vec<String> {
        let start = Instant::now();
        loop {
            let states = self.job_states(job);
            let ended = |state: &String| {
                [
                    "COMPLETED",
                    "FAILED",
                    "CANCELLED",
                    "TIMEOUT",
                    "OUT_OF_MEMORY",
                    "NODE_FAIL",
                ]
                .contains(&state.as_str())
            };
            if !states.is_empty() && states.iter().all(ended) {
                return states;
            }
            assert!(
                start.elapsed() < limit,
                "job {job} still not ended after {limit:?}: {states:?}\nslurmctld log:\n{}",
                self.log_tail()
            );
            std::thread::sleep(Duration::from_millis(300));
        }
    }

    fn log_tail(&self) -> String {
        let log = self.state.path().join("log/slurmctld.log");
        let text = std::fs::read_to_string(log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(30)..].join("\n")
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let stopped = Command::new(harness())
            .arg("stop")
            .arg(self.state.path())
            .status();
        if !matches!(stopped, Ok(status) if status.success()) {
            eprintln!(
                "test-cluster stop failed for {}",
                self.state.path().display()
            );
        }
    }
}

fn pids_of(state: &Path) -> Vec<u32> {
    ["run/slurmctld.pid", "run/slurmd.pid", "munge/munged.pid"]
        .iter()
        .filter_map(|file| std::fs::read_to_string(state.join(file)).ok())
        .filter_map(|text| text.trim().parse().ok())
        .collect()
}

fn is_alive(pid: u32) -> bool {
    Path::new(&format!("/proc/{pid}")).exists()
}

#[test]
fn an_array_and_a_dependent_job_run_on_the_test_cluster() {
    let cluster = Cluster::start();
    let work = tempfile::tempdir().unwrap();
    let out = work.path().display().to_string();
    // Each task writes its index and the array size; the dependent job joins them in order.
    let array = cluster.sbatch(&[
        "--array=0-3",
        &format!("--output={out}/task-%a.log"),
        "--wrap",
        &format!(
            "echo $SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT > {out}/part-$SLURM_ARRAY_TASK_ID"
        ),
    ]);
    let join = cluster.sbatch(&[
        &format!("--dependency=afterok:{array}"),
        &format!("--output={out}/join.log"),
        "--wrap",
        &format!("cat {out}/part-0 {out}/part-1 {out}/part-2 {out}/part-3 > {out}/joined"),
    ]);
    let states = cluster.wait_for(&array, Duration::from_secs(60));
    assert_eq!(states, vec!["COMPLETED"; 4]);
    assert_eq!(
        cluster.wait_for(&join, Duration::from_secs(60)),
        vec!["COMPLETED"]
    );
    let joined = std::fs::read_to_string(work.path().join("joined")).unwrap();
    assert_eq!(joined, "0/4\n1/4\n2/4\n3/4\n");
}

#[test]
fn two_clusters_run_side_by_side_and_stop_leaves_no_daemon() {
    let first = Cluster::start();
    let second = Cluster::start();
    assert_ne!(
        std::fs::read_to_string(first.conf()).unwrap(),
        std::fs::read_to_string(second.conf()).unwrap(),
        "two clusters need their own ports and folders"
    );
    let job = second.sbatch(&["--wrap", "true", "--output=/dev/null"]);
    assert_eq!(
        second.wait_for(&job, Duration::from_secs(60)),
        vec!["COMPLETED"]
    );
    let pids = pids_of(first.state.path());
    assert_eq!(
        pids.len(),
        3,
        "munged, slurmctld and slurmd should be running"
    );
    drop(first);
    for pid in pids {
        assert!(!is_alive(pid), "daemon {pid} still runs after stop");
    }
}

fn submit(cluster: &Cluster, args: &[&str]) -> Vec<(String, String)> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/slurm/submit");
    let output = cluster
        .command(script.to_str().unwrap())
        .args(args)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "submit failed: {}",
        stderr_of(&output)
    );
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|line| {
            let (what, id) = line.split_once(' ').expect("lines like `array 12`");
            (what.to_string(), id.to_string())
        })
        .collect()
}

/// The `ArrayTaskId=` values of a pending or finished array job, e.g. ["1"] or ["0-2"].
fn array_tasks(cluster: &Cluster, job: &str) -> Vec<String> {
    let text = cluster.run("scontrol", &["show", "job", "--oneliner", job]);
    let mut tasks: Vec<String> = text
        .lines()
        .filter_map(|line| {
            line.split_whitespace()
                .find_map(|word| word.strip_prefix("ArrayTaskId="))
                .map(str::to_string)
        })
        .collect();
    tasks.sort();
    tasks
}

#[test]
fn the_merge_job_names_shards_that_failed_and_resume_resubmits_only_those() {
    let cluster = Cluster::start();
    let work = tempfile::tempdir().unwrap();
    let run = work.path().join("run");
    let input =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("datasets-synthetic/patients/patients.jsonl");
    // A clinkit that is not there: every task fails, as when a node lacks the binary.
    let jobs = submit(
        &cluster,
        &[
            "--input",
            input.to_str().unwrap(),
            "--work",
            run.to_str().unwrap(),
            "--shards",
            "3",
            "--clinkit",
            work.path().join("no-such-clinkit").to_str().unwrap(),
        ],
    );
    assert_eq!(jobs[0].0, "array");
    assert_eq!(jobs[1].0, "merge");
    let array_states = cluster.wait_for(&jobs[0].1, Duration::from_secs(60));
    assert_eq!(array_states, vec!["FAILED"; 3]);
    // afterany: the merge job still runs, finds no shard done, and says so.
    let merge_states = cluster.wait_for(&jobs[1].1, Duration::from_secs(60));
    assert_eq!(merge_states, vec!["FAILED"]);
    let log = std::fs::read_to_string(run.join(format!("logs/merge-{}.log", jobs[1].1))).unwrap();
    assert!(log.contains("shards not done: 0,1,2 of 3"), "{log}");
    assert!(log.contains("submit --resume"), "{log}");
    let task_log =
        std::fs::read_to_string(run.join(format!("logs/extract-{}_1.log", jobs[0].1))).unwrap();
    assert!(task_log.contains("shard 1/3"), "{task_log}");
    assert!(task_log.contains("no-such-clinkit"), "{task_log}");

    // Shards 0 and 2 finished (their markers are there): --resume reruns shard 1 alone.
    std::fs::write(run.join("done/0"), "").unwrap();
    std::fs::write(run.join("done/2"), "").unwrap();
    let resumed = submit(&cluster, &["--resume", run.to_str().unwrap()]);
    assert_eq!(resumed[0].0, "array");
    assert_eq!(array_tasks(&cluster, &resumed[0].1), vec!["1"]);
    cluster.wait_for(&resumed[0].1, Duration::from_secs(60));
    let task_log =
        std::fs::read_to_string(run.join(format!("logs/extract-{}_1.log", resumed[0].1))).unwrap();
    assert!(
        task_log.contains("shard 1/3"),
        "a resubmitted task keeps the shard count of the run: {task_log}"
    );
}

// ---- clinkit extract on the cluster ----

fn clinkit_bin() -> &'static str {
    env!("CARGO_BIN_EXE_clinkit")
}

fn read_repo_file(relative: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)).unwrap()
}

/// The input of the cluster runs: the 8 shortest patient files (5 to 43 pages; the longer
/// ones would make the test slow without testing more), the 80 dev referral letters, and
/// one corrupt line (line 89), in one JSONL file.
fn input_with_a_corrupt_line(dir: &Path) -> PathBuf {
    let patients = read_repo_file("datasets-synthetic/patients/patients.jsonl");
    let mut text: String = patients
        .lines()
        .take(8)
        .map(|line| format!("{line}\n"))
        .collect();
    text.push_str(&read_repo_file("datasets-synthetic/referrals/dev.jsonl"));
    text.push_str("{\"id\": \"broken-1\", \"text\": \"cut off mid\n");
    let path = dir.join("input.jsonl");
    std::fs::write(&path, text).unwrap();
    path
}

/// `clinkit extract` in one process, for comparison.
fn single_process_run(input: &Path, out: &Path) {
    let output = Command::new(clinkit_bin())
        .args([
            "extract",
            input.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ])
        .args(["--backend", "rules", "--format", "jsonl"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr_of(&output));
}

/// Each line of a JSONL output file, by document id; fails on a duplicate id.
fn lines_by_id(path: &Path) -> std::collections::BTreeMap<String, serde_json::Value> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut by_id = std::collections::BTreeMap::new();
    for line in text.lines() {
        let value: serde_json::Value = serde_json::from_str(line).unwrap();
        let id = value["id"].as_str().unwrap().to_string();
        assert!(
            by_id.insert(id.clone(), value).is_none(),
            "{id} twice in {}",
            path.display()
        );
    }
    by_id
}

fn record_count(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|entry| entry.ok())
                .filter(|entry| entry.file_name().to_string_lossy().ends_with(".json"))
                .count()
        })
        .unwrap_or(0)
}

fn submit_extract(cluster: &Cluster, input: &Path, run: &Path, shards: &str) -> (String, String) {
    let jobs = submit(
        cluster,
        &[
            "--input",
            input.to_str().unwrap(),
            "--work",
            run.to_str().unwrap(),
            "--shards",
            shards,
            "--clinkit",
            clinkit_bin(),
            "--",
            "--backend",
            "rules",
            "--format",
            "jsonl",
        ],
    );
    (jobs[0].1.clone(), jobs[1].1.clone())
}

/// The merged result equals a single-process run, document for document, and the corrupt
/// line is an error record in both.
fn assert_same_as_single_process(run: &Path, single: &Path) {
    let merged = lines_by_id(&run.join("merged/predictions.jsonl"));
    let alone = lines_by_id(&single.join("predictions.jsonl"));
    assert_eq!(merged.len(), 88, "8 patient files and 80 letters");
    assert_eq!(
        merged.keys().collect::<Vec<_>>(),
        alone.keys().collect::<Vec<_>>()
    );
    for (id, document) in &merged {
        assert_eq!(document, &alone[id], "document {id} differs");
    }
    let errors = std::fs::read_to_string(run.join("merged/errors.jsonl")).unwrap();
    assert_eq!(errors.lines().count(), 1, "{errors}");
    assert!(errors.contains("input.jsonl:89:"), "{errors}");
    assert_eq!(
        errors,
        std::fs::read_to_string(single.join("errors.jsonl")).unwrap()
    );
}

#[test]
fn an_extract_array_merges_to_the_single_process_result() {
    let cluster = Cluster::start();
    let work = tempfile::tempdir().unwrap();
    let input = input_with_a_corrupt_line(work.path());
    let run = work.path().join("run");
    let (array, merge) = submit_extract(&cluster, &input, &run, "4");
    assert_eq!(
        cluster.wait_for(&array, Duration::from_secs(300)),
        vec!["COMPLETED"; 4]
    );
    assert_eq!(
        cluster.wait_for(&merge, Duration::from_secs(120)),
        vec!["COMPLETED"]
    );
    let single = work.path().join("single");
    single_process_run(&input, &single);
    assert_same_as_single_process(&run, &single);
}

#[test]
fn a_task_cancelled_midway_resumes_and_the_result_is_complete_without_duplicates() {
    let cluster = Cluster::start();
    let work = tempfile::tempdir().unwrap();
    let input = input_with_a_corrupt_line(work.path());
    let run = work.path().join("run");
    let (array, merge) = submit_extract(&cluster, &input, &run, "2");
    // Cancel task 1 once it has written some documents but not all.
    let records = run.join("shards/1/documents");
    let start = Instant::now();
    while record_count(&records) < 3 {
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "task 1 wrote nothing"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    cluster.run("scancel", &[&format!("{array}_1")]);
    cluster.wait_for(&array, Duration::from_secs(120));
    let written_before = record_count(&records);
    assert!(
        !run.join("done/1").exists(),
        "task 1 finished before it was cancelled"
    );
    // The merge job ran (afterany), saw shard 1 missing and merged nothing.
    assert_eq!(
        cluster.wait_for(&merge, Duration::from_secs(120)),
        vec!["FAILED"]
    );
    assert!(!run.join("merged/predictions.jsonl").exists());

    let resumed = submit(&cluster, &["--resume", run.to_str().unwrap()]);
    assert_eq!(array_tasks(&cluster, &resumed[0].1), vec!["1"]);
    assert_eq!(
        cluster.wait_for(&resumed[0].1, Duration::from_secs(300)),
        vec!["COMPLETED"]
    );
    assert_eq!(
        cluster.wait_for(&resumed[1].1, Duration::from_secs(120)),
        vec!["COMPLETED"]
    );
    let log =
        std::fs::read_to_string(run.join(format!("logs/extract-{}_1.log", resumed[0].1))).unwrap();
    assert!(
        log.contains(&format!(
            "{written_before} documents already done (resuming)"
        )),
        "the resubmitted task skips what was written: {log}"
    );
    let single = work.path().join("single");
    single_process_run(&input, &single);
    assert_same_as_single_process(&run, &single);
}
