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

Last, it shows rust-analyzer a smaller world than the compiler sees. rust-analyzer asks
`cargo metadata` which crates the cell crate depends on, then works out the names and types
in all of them: for clinkit with `models` that is about 150 downloaded crates (candle, its
matrix kernels, tokenizers, llguidance, ...), most of a warm start. evcxr only needs it for
the types of a cell's `let` variables, which are clinkit's and the standard library's types.
So rust-analyzer gets its own `cargo` (the `analyzer-toolchain/` folder in the cache) that
leaves the downloaded crates out of `cargo metadata`: clinkit's own code and std are
analysed, and cells still compile against everything. rust-analyzer finds that `cargo`
through RUSTC (only rust-analyzer reads it: evcxr gives cargo its own RUSTC), whose
`rustc --print sysroot` names the folder; rustup then runs the folder's `bin/cargo`. A `let`
whose type comes from a downloaded crate (a candle Tensor) needs its type written out:
`let t: candle_core::Tensor = ...`. That `cargo` is a shell script; only a full
`cargo metadata` starts Python (metadata_filter.py) to leave the downloaded crates out.

Last, it tells evcxr's memory allocator not to use 2 MiB pages (see main()).
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


def rust_sysroot():
    """The folder of the Rust toolchain (`rustc --print sysroot`), or None."""
    try:
        return subprocess.run(["rustc", "--print", "sysroot"], capture_output=True,
                              text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


def same_sysroot_without_override(sysroot):
    """True when rustup picks the toolchain at `sysroot` even without RUSTUP_TOOLCHAIN."""
    env = dict(os.environ)
    env.pop("RUSTUP_TOOLCHAIN", None)
    try:
        other = subprocess.run(["rustc", "--print", "sysroot"], capture_output=True,
                               text=True, check=True, env=env).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return False
    return other == sysroot


def std_sources(cache, sysroot):
    """A folder of links to the standard library sources rust-analyzer needs, or None."""
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


# The `cargo` rust-analyzer runs: cargo itself, except that `cargo metadata` lists only the
# crates on this machine's disk by path (the cell crate and clinkit), not downloaded ones.
# A shell script, not Python: rust-analyzer runs cargo about fifteen times at a kernel start
# (version, configuration, target, ...), and starting Python for each cost ~50 ms of the
# ~10 s. Only a full `cargo metadata` goes through the Python filter below.
ANALYZER_CARGO = """#!/bin/sh
# Written by the clinkit kernel's launcher (launch.py); see its notes.
unset RUSTUP_TOOLCHAIN
case " $* " in
  *" --no-deps "*) ;;
  *" metadata "*) exec %(python)s -S %(filter)s "$@" ;;
esac
exec %(cargo)s "$@"
"""

# `cargo metadata` without the downloaded crates (run by the cargo above).
METADATA_FILTER = """# Written by the clinkit kernel's launcher (launch.py); see its notes.
import json, subprocess, sys

CARGO = %(cargo)r


def local_crates_only(metadata):
    local = {p["id"] for p in metadata["packages"] if p.get("source") is None}
    metadata["packages"] = [p for p in metadata["packages"] if p["id"] in local]
    resolve = metadata.get("resolve") or {"nodes": []}
    resolve["nodes"] = [node for node in resolve["nodes"] if node["id"] in local]
    for node in resolve["nodes"]:
        node["dependencies"] = [d for d in node["dependencies"] if d in local]
        node["deps"] = [d for d in node["deps"] if d["pkg"] in local]
    return metadata


done = subprocess.run([CARGO] + sys.argv[1:], stdout=subprocess.PIPE)
if done.returncode != 0:
    sys.stdout.buffer.write(done.stdout)
    sys.exit(done.returncode)
json.dump(local_crates_only(json.loads(done.stdout)), sys.stdout)
"""

# The `rustc` rust-analyzer asks for the sysroot (RUSTC): it names the folder above.
ANALYZER_RUSTC = """#!/bin/sh
if [ "$#" = 2 ] && [ "$1" = "--print" ] && [ "$2" = "sysroot" ]; then
    echo %(folder)s
    exit 0
fi
exec %(rustc)s "$@"
"""


def write_program(path, text):
    write_if_changed(path, text)
    os.chmod(path, 0o755)


def shell_quote(text):
    return "'" + text.replace("'", "'\\''") + "'"


def analyzer_toolchain(cache, sysroot):
    """The RUSTC that shows rust-analyzer clinkit without its downloaded crates, or None."""
    cargo = os.path.join(sysroot, "bin", "cargo")
    rustc = os.path.join(sysroot, "bin", "rustc")
    if os.name != "posix" or not (os.path.isfile(cargo) and os.path.isfile(rustc)):
        return None
    folder = os.path.join(cache, "analyzer-toolchain")
    os.makedirs(os.path.join(folder, "bin"), exist_ok=True)
    metadata_filter = os.path.join(folder, "metadata_filter.py")
    write_if_changed(metadata_filter, METADATA_FILTER % {"cargo": cargo})
    write_program(os.path.join(folder, "bin", "cargo"),
                  ANALYZER_CARGO % {"python": shell_quote(sys.executable),
                                    "filter": shell_quote(metadata_filter),
                                    "cargo": shell_quote(cargo)})
    link = os.path.join(folder, "bin", "rustc")
    if not (os.path.islink(link) and os.readlink(link) == rustc):
        if os.path.lexists(link):
            os.remove(link)
        os.symlink(rustc, link)
    program = os.path.join(folder, "rustc-for-analyzer")
    write_program(program, ANALYZER_RUSTC % {"folder": shell_quote(folder),
                                            "rustc": shell_quote(rustc)})
    return program


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
    sysroot = rust_sysroot()
    if sysroot and "RUST_SRC_PATH" not in os.environ:
        sources = std_sources(cache, sysroot)
        if sources:
            os.environ["RUST_SRC_PATH"] = sources
    if sysroot and "RUSTC" not in os.environ:
        rustc = analyzer_toolchain(cache, sysroot)
        if rustc:
            os.environ["RUSTC"] = rustc
            # rust-analyzer prefers a CARGO variable over the sysroot's cargo. Jupyter started
            # by hand has none, but one started from `cargo test` or `cargo bench` inherits
            # cargo's own: without this line the benchmark and CI would time (and test) a
            # different kernel than interns get. evcxr finds cargo on PATH either way.
            os.environ.pop("CARGO", None)
            # Likewise RUSTUP_TOOLCHAIN (cargo sets it for what it runs): with it, rustup
            # hands rust-analyzer the toolchain's own cargo, not the folder's. Dropped only
            # when rustup picks the same toolchain without it.
            if "RUSTUP_TOOLCHAIN" in os.environ and same_sysroot_without_override(sysroot):
                os.environ.pop("RUSTUP_TOOLCHAIN")
    # evcxr's memory allocator (mimalloc) asks Linux for 2 MiB "huge" pages where it can;
    # rust-analyzer inside evcxr then makes the kernel zero ~90 MB more memory than it
    # uses (peak 410 MB instead of 325 MB). Fresh memory is slow to hand out on a virtual
    # machine: measured on a 2-core VM, warm start to first result 6.8-7.8 s with this line,
    # 8.0-10.3 s without (runs interleaved). An intern's own setting wins.
    os.environ.setdefault("MIMALLOC_ALLOW_THP", "0")
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
