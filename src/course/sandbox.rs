//! Running someone else's code safely: a time limit, an output limit, and (on Linux) no
//! writing outside one folder.
//!
//! An exercise check runs code an intern wrote. That code may loop forever, print
//! gigabytes, or (by mistake or on purpose) write files elsewhere on the machine.
//! [`run_limited`] starts the program in its own *process group*, so that on a time-out
//! the whole group (the program and everything it started) is killed at once; it keeps
//! only the first bytes of its output; and on Linux it asks the kernel (Landlock) to refuse
//! every write outside the folder the program was given.
//!
//! ```
//! # #[cfg(unix)] {
//! use std::time::Duration;
//! use clinkit::course::sandbox::{run_limited, Limits, Outcome};
//! let mut sleeper = std::process::Command::new("sleep");
//! sleeper.arg("30");
//! let limits = Limits { time: Duration::from_millis(300), output_bytes: 1000 };
//! let finished = run_limited(sleeper, &limits, None).unwrap();
//! assert_eq!(finished.outcome, Outcome::TimedOut);
//! # }
//! ```

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// How long a program may run and how much of its output is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Wall-clock time before the whole process group is killed.
    pub time: Duration,
    /// Bytes of stdout (and, separately, of stderr) kept; the rest is read and dropped.
    pub output_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            time: Duration::from_secs(10),
            output_bytes: 64 * 1024,
        }
    }
}

/// How a program ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// It exited by itself with this code (a killed program has no code: `-1`).
    Exited(i32),
    /// It ran past [`Limits::time`] and was killed.
    TimedOut,
}

impl Outcome {
    /// True when the program exited by itself with code 0.
    pub fn success(&self) -> bool {
        *self == Outcome::Exited(0)
    }
}

/// What a program did, within the limits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finished {
    /// How it ended.
    pub outcome: Outcome,
    /// The start of its standard output (lossy UTF-8).
    pub stdout: String,
    /// The start of its standard error (lossy UTF-8).
    pub stderr: String,
    /// True when output was cut at [`Limits::output_bytes`].
    pub truncated: bool,
    /// Seconds it ran.
    pub seconds: f64,
}

/// Runs `command` with `limits`: in its own process group, stdin closed, output kept up to
/// the limit. With `write_only_beneath`, the program (and its children) may write files
/// only inside that folder (Linux with Landlock; see [`write_confinement_available`]).
///
/// After the program ends, whatever it left running in its group is killed too.
pub fn run_limited(
    mut command: Command,
    limits: &Limits,
    write_only_beneath: Option<&Path>,
) -> Result<Finished> {
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        command.process_group(0);
        if let Some(folder) = write_only_beneath {
            confine_writes(&mut command, folder)?;
        }
    }
    #[cfg(not(unix))]
    let _ = write_only_beneath;
    let program = command.get_program().to_string_lossy().into_owned();
    let started = Instant::now();
    let mut child = command
        .spawn()
        .map_err(|e| Error::Refused(format!("cannot start {program}: {e}")))?;
    let (sender, receiver) = mpsc::channel();
    for (index, stream) in [
        child
            .stdout
            .take()
            .map(|s| Box::new(s) as Box<dyn Read + Send>),
        child
            .stderr
            .take()
            .map(|s| Box::new(s) as Box<dyn Read + Send>),
    ]
    .into_iter()
    .enumerate()
    {
        let sender = sender.clone();
        let cap = limits.output_bytes;
        std::thread::spawn(move || {
            let kept = stream.map(|s| read_capped(s, cap)).unwrap_or_default();
            let _ = sender.send((index, kept));
        });
    }
    drop(sender);
    let outcome = loop {
        if let Some(status) = child
            .try_wait()
            .map_err(|e| Error::Refused(format!("waiting for {program}: {e}")))?
        {
            break Outcome::Exited(status.code().unwrap_or(-1));
        }
        if started.elapsed() >= limits.time {
            kill_group(&mut child);
            let _ = child.wait();
            break Outcome::TimedOut;
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    // Children the program started may still hold its output open: end them as well.
    kill_group(&mut child);
    let mut streams = [(Vec::new(), false), (Vec::new(), false)];
    for _ in 0..2 {
        match receiver.recv_timeout(Duration::from_secs(2)) {
            Ok((index, kept)) => streams[index] = kept,
            Err(_) => break,
        }
    }
    let [(stdout, cut_out), (stderr, cut_err)] = streams;
    Ok(Finished {
        outcome,
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
        truncated: cut_out || cut_err,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// Reads a stream to its end, keeping the first `cap` bytes; true when more came.
fn read_capped(mut stream: impl Read, cap: usize) -> (Vec<u8>, bool) {
    let mut kept = Vec::new();
    let mut cut = false;
    let mut buffer = [0u8; 8192];
    while let Ok(n) = stream.read(&mut buffer) {
        if n == 0 {
            break;
        }
        let room = cap.saturating_sub(kept.len());
        kept.extend_from_slice(&buffer[..n.min(room)]);
        cut |= n > room;
    }
    (kept, cut)
}

#[cfg(unix)]
fn kill_group(child: &mut std::process::Child) {
    // The group id is the child's id (process_group(0)); a negative target is the group.
    let group = child.id() as libc::pid_t;
    // SAFETY: killpg only sends a signal; an already-empty group gives ESRCH, ignored.
    unsafe {
        libc::killpg(group, libc::SIGKILL);
    }
}

#[cfg(not(unix))]
fn kill_group(child: &mut std::process::Child) {
    let _ = child.kill();
}

/// True when this machine can confine a program's writes to one folder (Linux 5.13+ with
/// Landlock enabled). Without it, checks still run with time and output limits, each
/// submission in its own fresh copy, but a program could write elsewhere.
pub fn write_confinement_available() -> bool {
    landlock::abi_version() > 0
}

#[cfg(unix)]
fn confine_writes(command: &mut Command, folder: &Path) -> Result<()> {
    let abi = landlock::abi_version();
    if abi == 0 {
        return Ok(());
    }
    let folder_c = std::ffi::CString::new(folder.as_os_str().as_encoded_bytes())
        .map_err(|_| Error::Refused(format!("{}: path has a NUL byte", folder.display())))?;
    use std::os::unix::process::CommandExt;
    // SAFETY: the closure runs in the child between fork and exec; it only makes system
    // calls (open, prctl, the Landlock calls) on memory prepared before the fork.
    unsafe {
        command.pre_exec(move || landlock::restrict_writes(abi, &folder_c));
    }
    Ok(())
}

#[cfg(target_os = "linux")]
mod landlock {
    use std::ffi::CString;
    use std::io;

    const CREATE_RULESET_VERSION: libc::c_uint = 1;
    const RULE_PATH_BENEATH: libc::c_int = 1;
    const WRITE_FILE: u64 = 1 << 1;
    const REMOVE_DIR: u64 = 1 << 4;
    const REMOVE_FILE: u64 = 1 << 5;
    const MAKE_ALL: u64 = 0b111_1111 << 6; // char, dir, reg, sock, fifo, block, sym
    const REFER: u64 = 1 << 13;
    const TRUNCATE: u64 = 1 << 14;

    #[repr(C)]
    struct RulesetAttr {
        handled_access_fs: u64,
    }

    #[repr(C, packed)]
    struct PathBeneathAttr {
        allowed_access: u64,
        parent_fd: i32,
    }

    /// The kernel's Landlock version, 0 when there is none.
    pub fn abi_version() -> i64 {
        // SAFETY: asking for the version passes no memory.
        let version = unsafe {
            libc::syscall(
                libc::SYS_landlock_create_ruleset,
                std::ptr::null::<RulesetAttr>(),
                0usize,
                CREATE_RULESET_VERSION,
            )
        };
        version.max(0)
    }

    fn check(result: libc::c_long) -> io::Result<libc::c_long> {
        if result < 0 {
            Err(io::Error::last_os_error())
        } else {
            Ok(result)
        }
    }

    /// From now on this process may write only beneath `folder` (reads stay allowed).
    pub fn restrict_writes(abi: i64, folder: &CString) -> io::Result<()> {
        let mut handled = WRITE_FILE | REMOVE_DIR | REMOVE_FILE | MAKE_ALL;
        if abi >= 2 {
            handled |= REFER;
        }
        if abi >= 3 {
            handled |= TRUNCATE;
        }
        let attr = RulesetAttr {
            handled_access_fs: handled,
        };
        // SAFETY: plain system calls on valid pointers to the structs above.
        unsafe {
            let ruleset = check(libc::syscall(
                libc::SYS_landlock_create_ruleset,
                &attr as *const RulesetAttr,
                std::mem::size_of::<RulesetAttr>(),
                0u32,
            ))? as libc::c_int;
            let dir = libc::open(folder.as_ptr(), libc::O_PATH | libc::O_CLOEXEC);
            if dir < 0 {
                return Err(io::Error::last_os_error());
            }
            let rule = PathBeneathAttr {
                allowed_access: handled,
                parent_fd: dir,
            };
            check(libc::syscall(
                libc::SYS_landlock_add_rule,
                ruleset,
                RULE_PATH_BENEATH,
                &rule as *const PathBeneathAttr,
                0u32,
            ))?;
            check(libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) as libc::c_long)?;
            check(libc::syscall(
                libc::SYS_landlock_restrict_self,
                ruleset,
                0u32,
            ))?;
            libc::close(dir);
            libc::close(ruleset);
        }
        Ok(())
    }
}

#[cfg(not(target_os = "linux"))]
mod landlock {
    pub fn abi_version() -> i64 {
        0
    }
    #[cfg(unix)]
    pub fn restrict_writes(_abi: i64, _folder: &std::ffi::CString) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    fn shell(script: &str) -> Command {
        let mut command = Command::new("sh");
        command.arg("-c").arg(script);
        command
    }

    #[test]
    fn output_is_cut_at_the_limit_and_the_flood_is_stopped() {
        let limits = Limits {
            time: Duration::from_secs(5),
            output_bytes: 100,
        };
        let finished = run_limited(shell("yes clinkit | head -c 1000000"), &limits, None).unwrap();
        assert_eq!(finished.outcome, Outcome::Exited(0));
        assert_eq!(finished.stdout.len(), 100);
        assert!(finished.truncated);
    }

    #[test]
    fn a_time_out_kills_the_children_too() {
        let limits = Limits {
            time: Duration::from_millis(300),
            output_bytes: 100,
        };
        // The background sleeper holds stdout open: without killing the group we would hang.
        let finished = run_limited(shell("sleep 60 & sleep 60"), &limits, None).unwrap();
        assert_eq!(finished.outcome, Outcome::TimedOut);
        assert!(finished.seconds < 5.0, "{}", finished.seconds);
    }

    #[test]
    fn writes_outside_the_folder_are_refused() {
        if !write_confinement_available() {
            eprintln!("no Landlock on this machine: skipped");
            return;
        }
        let root = std::env::temp_dir().join(format!("clinkit-sandbox-{}", std::process::id()));
        let inside = root.join("inside");
        std::fs::create_dir_all(&inside).unwrap();
        let script = format!(
            "echo ok > {0}/mine.txt && echo bad > {1}/escaped.txt",
            inside.display(),
            root.display()
        );
        let finished = run_limited(shell(&script), &Limits::default(), Some(&inside)).unwrap();
        assert!(inside.join("mine.txt").exists());
        assert!(!root.join("escaped.txt").exists());
        assert_ne!(finished.outcome, Outcome::Exited(0));
        std::fs::remove_dir_all(&root).unwrap();
    }
}
