"""Starts evcxr_jupyter for the clinkit Jupyter kernel ("Rust (clinkit)").

Written into the kernelspec folder by `clinkit kernel install`; Jupyter runs it as
`python launch.py {connection_file}` with the environment of kernel.json's `env` map:

  CLINKIT_KERNEL_CACHE   the kernel's persistent build folder (compiled crates live here)
  CLINKIT_EVCXR_JUPYTER  the evcxr_jupyter program
  CLINKIT_CRATE_DIR      the clinkit source folder (its Cargo.lock pins dependency versions)
  EVCXR_CONFIG_DIR       the folder with init.evcxr (read by evcxr itself)

Why a launcher at all: evcxr compiles every cell in one build folder (EVCXR_TMPDIR). Kept
between kernel starts, that folder makes a restart take seconds instead of minutes (clinkit
and its dependencies are already compiled). But two kernels must never share it: each
writes its cell code to the same file. So the launcher takes the first free *slot*
(`slot-0`, `slot-1`, ...), holds a lock on it for as long as the kernel runs (the lock
passes to evcxr_jupyter, which replaces this process), and gives evcxr that folder. A
second notebook open at the same time gets `slot-1`, which is slow only the first time.

It also writes `.cargo/config.toml` next to the slots (cargo reads it from the parent
folders of the build folder): dependencies, clinkit included, are built optimised while
cell code (`:opt 0` in init.evcxr) compiles fast.

And it sets RUST_SRC_PATH (for the kernel only) to `rust-src/` in the cache: links to the
standard library crates evcxr's built-in rust-analyzer needs to work out the types of
`let` variables (core, alloc, std, ...). Without it, rust-analyzer reads the whole
`library/` folder of rust-src (stdarch, tests, benches: about 2000 files) and asks cargo
about its workspace, at every kernel start. rustc ignores RUST_SRC_PATH.
"""

import os
import shutil
import subprocess
import sys

SLOTS = 4

# The standard library crates rust-analyzer looks for (its "stitched" sysroot).
STD_CRATES = ("core", "alloc", "std", "proc_macro", "panic_abort", "panic_unwind",
              "unwind", "test", "profiler_builtins", "backtrace")


def write_if_changed(path, text):
    try:
        with open(path, encoding="utf-8") as f:
            if f.read() == text:
                return
    except OSError:
        pass
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def std_sources(cache):
    """A folder of links to the standard library sources rust-analyzer needs, or None."""
    try:
        sysroot = subprocess.run(["rustc", "--print", "sysroot"], capture_output=True,
                                 text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    library = os.path.join(sysroot, "lib", "rustlib", "src", "rust", "library")
    if not os.path.isdir(os.path.join(library, "core")):
        return None  # no rust-src component: rust-analyzer works without std, as before
    folder = os.path.join(cache, "rust-src")
    os.makedirs(folder, exist_ok=True)
    for crate in STD_CRATES:
        source, link = os.path.join(library, crate), os.path.join(folder, crate)
        if not os.path.isdir(source) or (os.path.islink(link) and os.readlink(link) == source):
            continue
        if os.path.lexists(link):
            os.remove(link)  # a link to an older toolchain
        os.symlink(source, link)
    return folder


def take_slot(cache):
    """The first slot folder we can lock, or None when all are busy (or locks are missing)."""
    try:
        import fcntl
    except ImportError:  # Windows: no flock; one slot, shared.
        return os.path.join(cache, "slot-0")
    for number in range(SLOTS):
        folder = os.path.join(cache, "slot-%d" % number)
        os.makedirs(folder, exist_ok=True)
        fd = os.open(folder + ".lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            continue
        # Keep the descriptor (and with it the lock) open in evcxr_jupyter after exec.
        os.set_inheritable(fd, True)
        return folder
    return None


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: launch.py CONNECTION_FILE (Jupyter runs this; see kernel.json)")
    cache = os.environ["CLINKIT_KERNEL_CACHE"]
    evcxr = os.environ["CLINKIT_EVCXR_JUPYTER"]
    crate = os.environ.get("CLINKIT_CRATE_DIR", "")
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "cargo-config.toml"), encoding="utf-8") as f:
        write_if_changed(os.path.join(cache, ".cargo", "config.toml"), f.read())
    if "RUST_SRC_PATH" not in os.environ:
        sources = std_sources(cache)
        if sources:
            os.environ["RUST_SRC_PATH"] = sources
    slot = take_slot(cache)
    if slot is None:
        # evcxr then makes (and at exit removes) a temporary build folder; under the
        # cache folder it still sees .cargo/config.toml.
        busy = os.path.join(cache, "busy")
        os.makedirs(busy, exist_ok=True)
        os.environ["TMPDIR"] = busy
        os.environ.pop("EVCXR_TMPDIR", None)
        print(
            "clinkit kernel: all %d build folders are in use by other kernels; "
            "this one compiles from scratch" % SLOTS,
            file=sys.stderr,
        )
    else:
        lock = os.path.join(crate, "Cargo.lock")
        if crate and os.path.isfile(lock) and not os.path.exists(os.path.join(slot, "Cargo.lock")):
            # The same dependency versions as clinkit's own builds and tests (and no
            # need to ask the registry when they are already downloaded).
            shutil.copyfile(lock, os.path.join(slot, "Cargo.lock"))
        os.environ["EVCXR_TMPDIR"] = slot
    os.execv(evcxr, [evcxr, "--control_file", sys.argv[1]])


if __name__ == "__main__":
    main()
