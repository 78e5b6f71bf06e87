"""Runs Jupyter notebooks from top to bottom, headlessly, and stops at the first failing cell.

Used by `clinkit notebooks run` (which passes the clinkit kernel and finds this Python);
it also runs on its own with the project's virtual environment:

    .venv/bin/python scripts/run_notebooks.py --kernel clinkit notebooks/*.ipynb

A cell fails when the kernel reports an error (a compile error on the Rust kernel) and
also when its error output contains `panicked at`: evcxr reports a panicking cell
(`unwrap()` on an error, a failed `assert!`) as finished without error.

Every notebook gets a fresh kernel, started in the notebook's folder (so relative paths in
cells work the same as in Jupyter). Progress goes to stderr; stdout gets one JSON
document:

    {"ok": false, "notebooks": [{"path": ..., "ok": ..., "kernel_start_s": ..., "cells": [...]}],
     "failure": {"path": ..., "cell": 3, "code_cell": 2, "reason": "panic", "source": ..., "output": ...}}

Exit status: 0 when every notebook ran, 1 when a cell failed, 2 when the notebooks or
the kernel could not be used at all.
"""

import argparse
import json
import os
import sys
import time

PANIC = "panicked at"


class CellFailure(Exception):
    """A cell that failed: its position, source, output and why."""

    def __init__(self, cell_index, code_cell, reason, source, output):
        super().__init__(reason)
        self.cell_index = cell_index
        self.code_cell = code_cell
        self.reason = reason
        self.source = source
        self.output = output


def output_text(cell):
    """All text a cell printed or raised, in order."""
    parts = []
    for output in cell.get("outputs", []):
        kind = output.get("output_type")
        if kind == "stream":
            parts.append(output.get("text", ""))
        elif kind == "error":
            parts.append("%s: %s" % (output.get("ename", ""), output.get("evalue", "")))
            parts.extend(output.get("traceback", []))
        elif kind in ("execute_result", "display_data"):
            data = output.get("data", {})
            if "text/plain" in data:
                parts.append(data["text/plain"])
            elif "text/html" in data:
                parts.append("[html output]")
    return "\n".join(str(part).rstrip("\n") for part in parts)


def stderr_text(cell):
    return "".join(
        output.get("text", "")
        for output in cell.get("outputs", [])
        if output.get("output_type") == "stream" and output.get("name") == "stderr"
    )


def run_notebook(path, args, log):
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    notebook = nbformat.read(path, as_version=4)
    folder = os.path.dirname(os.path.abspath(path))
    client = NotebookClient(
        notebook,
        kernel_name=args.kernel,
        timeout=args.timeout,
        startup_timeout=args.startup_timeout,
        allow_errors=False,
        resources={"metadata": {"path": folder}},
    )
    code_cells = {}
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "code":
            code_cells[index] = len(code_cells) + 1
    timings = []
    clock = {"start": time.monotonic(), "cell": None}
    report = {"path": path, "ok": False, "kernel_start_s": None, "cells": timings}

    def on_notebook_start(notebook):
        report["kernel_start_s"] = round(time.monotonic() - clock["start"], 2)
        log("  kernel ready after %.1f s" % report["kernel_start_s"])

    def on_cell_execute(cell, cell_index):
        clock["cell"] = time.monotonic()

    def on_cell_executed(cell, cell_index, execute_reply):
        seconds = round(time.monotonic() - clock["cell"], 2)
        timings.append({"cell": cell_index + 1, "seconds": seconds})
        log("  cell %d: %.1f s" % (cell_index + 1, seconds))
        if PANIC in stderr_text(cell):
            raise CellFailure(
                cell_index, code_cells.get(cell_index), "panic", cell.source, output_text(cell)
            )

    client.on_notebook_start = on_notebook_start
    client.on_cell_execute = on_cell_execute
    client.on_cell_executed = on_cell_executed
    failure = None
    current = {"index": None}

    def on_cell_start(cell, cell_index):
        current["index"] = cell_index

    client.on_cell_start = on_cell_start
    try:
        client.execute()
        report["ok"] = True
    except CellFailure as failed:
        failure = failed
    except (CellExecutionError, CellTimeoutError, DeadKernelError) as error:
        index = current["index"]
        cell = notebook.cells[index] if index is not None else {"source": "", "outputs": []}
        reason = {
            CellExecutionError: "error",
            CellTimeoutError: "timeout",
            DeadKernelError: "kernel died",
        }[type(error)]
        output = output_text(cell)
        if reason != "error":
            output = (output + "\n" + str(error)).strip()
        failure = CellFailure(index, code_cells.get(index), reason, cell.get("source", ""), output)
    if args.save_dir:
        os.makedirs(args.save_dir, exist_ok=True)
        nbformat.write(notebook, os.path.join(args.save_dir, os.path.basename(path)))
    return report, failure


def main():
    parser = argparse.ArgumentParser(
        description="Runs Jupyter notebooks headlessly; stops at the first failing cell."
    )
    parser.add_argument("notebooks", nargs="+", help=".ipynb files, run in this order")
    parser.add_argument("--kernel", default="clinkit", help="kernelspec name (default: clinkit)")
    parser.add_argument("--timeout", type=int, default=600, help="seconds a cell may run")
    parser.add_argument(
        "--startup-timeout",
        type=int,
        default=1800,
        help="seconds the kernel may take to start (a cold start compiles clinkit: minutes)",
    )
    parser.add_argument("--save-dir", help="also write the executed notebooks here")
    args = parser.parse_args()
    # Kernels inherit our stdout and print their own messages (evcxr: cargo's progress);
    # keep stdout for the one JSON document and send everything else to stderr.
    result_out = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)
    sys.stdout = sys.stderr

    def log(message):
        print(message, file=sys.stderr, flush=True)

    try:
        import nbclient  # noqa: F401
        import nbformat  # noqa: F401
        from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel
    except ImportError as error:
        log("cannot import Jupyter (%s): run scripts/setup" % error)
        return 2
    try:
        KernelSpecManager().get_kernel_spec(args.kernel)
    except NoSuchKernel:
        log("no Jupyter kernel named %r: run `clinkit kernel install`" % args.kernel)
        return 2

    result = {"ok": True, "notebooks": [], "failure": None}
    for path in args.notebooks:
        log("notebook %s" % path)
        try:
            report, failure = run_notebook(path, args, log)
        except Exception as error:  # the kernel did not start, the file is not a notebook
            log("  %s: %s" % (type(error).__name__, error))
            result["ok"] = False
            result["notebooks"].append({"path": path, "ok": False})
            result["failure"] = {
                "path": path,
                "cell": None,
                "code_cell": None,
                "reason": "%s: %s" % (type(error).__name__, error),
                "source": "",
                "output": "",
            }
            break
        result["notebooks"].append(report)
        if failure is not None:
            result["ok"] = False
            result["failure"] = {
                "path": path,
                "cell": None if failure.cell_index is None else failure.cell_index + 1,
                "code_cell": failure.code_cell,
                "reason": failure.reason,
                "source": failure.source,
                "output": failure.output,
            }
            break
    result_out.write(json.dumps(result, indent=2) + "\n")
    result_out.flush()
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
