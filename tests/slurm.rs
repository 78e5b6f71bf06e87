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
