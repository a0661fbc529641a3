"""After `sam build`: bytecode for Lambda's Python, and every compiled extension for its platform.

The functions run on arm64 with CPython 3.13, from a read-only /var/task and /opt: Python cannot
write the bytecode it compiles there, so a module shipped without a ``cpython-313.pyc`` is
compiled from source on every cold start (Kabar's own code and the layer's libraries: pydantic,
Powertools, PyYAML, markdown; some 200-350 ms per cold start on the bench machine). ``sam build``
ships none (pip writes bytecode for the Python that runs it, here not 3.13), so ``--compile``
compiles the whole build with a CPython 3.13 (``KABAR_LAMBDA_PYTHON``, ``python3.13`` on the
PATH, or pyenv's), in ``unchecked-hash`` mode: the artifacts are immutable, and Lambda does not
keep the files' times, which the default mode would compare. Other versions' bytecode goes.

A wheel for the build machine (x86_64) or another Python would import-fail only in AWS, so each
``.so`` must be an AArch64 ELF file, and CPython-tagged ones must be for 3.13. abi3 file names do
not say the architecture, so the ELF header is read.

Usage: ``check_build.py [--compile [--if-available]] BUILD_DIR``. ``--if-available`` (``make
test``) skips compiling, saying so, where no CPython 3.13 is installed; ``make build`` requires it.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
from pathlib import Path

EM_AARCH64 = 183
LAMBDA_PYTHON = (3, 13)
TAG = f"cpython-{LAMBDA_PYTHON[0]}{LAMBDA_PYTHON[1]}"


def problems(build_dir: Path) -> list[str]:
    found = []
    for path in sorted(build_dir.rglob("*.so")):
        header = path.read_bytes()[:20]
        if header[:4] != b"\x7fELF" or int.from_bytes(header[18:20], "little") != EM_AARCH64:
            found.append(f"{path}: not an AArch64 ELF shared object")
        if ".cpython-" in path.name and f".{TAG}-" not in path.name:
            found.append(f"{path}: built for another CPython")
    return found


def lambda_python() -> str | None:
    """A CPython of Lambda's version on this machine, or None."""
    version = ".".join(map(str, LAMBDA_PYTHON))
    candidates = [os.environ.get("KABAR_LAMBDA_PYTHON"), shutil.which(f"python{version}"),
                  *sorted(glob.glob(os.path.expanduser(f"~/.pyenv/versions/{version}*/bin/python{version}"))),
                  f"/usr/bin/python{version}", f"/usr/local/bin/python{version}"]  # fmt: skip
    for candidate in candidates:
        if not candidate:
            continue
        try:
            done = subprocess.run([candidate, "-c", "import sys; print(sys.version_info[:2])"],
                                  capture_output=True, text=True, timeout=30, check=False)  # fmt: skip
        except OSError:
            continue
        if done.returncode == 0 and done.stdout.strip() == str(LAMBDA_PYTHON):
            return candidate
    return None


def compile_bytecode(build_dir: Path, python: str) -> None:
    """Every module's bytecode for Lambda's Python, and no other version's."""
    for stale in build_dir.rglob("*.pyc"):
        if f".{TAG}." not in stale.name:
            stale.unlink()
    subprocess.run([python, "-m", "compileall", "-q", "-j", "0", "--invalidation-mode", "unchecked-hash",
                    str(build_dir)], check=True)  # fmt: skip


def bytecode_problems(build_dir: Path) -> list[str]:
    """Modules without bytecode for Lambda's Python (each one compiled on every cold start)."""
    missing = [path for path in sorted(build_dir.rglob("*.py"))
               if not (path.parent / "__pycache__" / f"{path.stem}.{TAG}.pyc").exists()]  # fmt: skip
    return [f"{path}: no {TAG} bytecode" for path in missing[:20]] + (
        [f"... and {len(missing) - 20} more"] if len(missing) > 20 else []
    )


def main(*args: str) -> int:
    build_dir = Path(next((arg for arg in args if not arg.startswith("--")), ".aws-sam/build"))
    extensions = list(build_dir.rglob("*.so"))
    if not extensions:
        print(f"{build_dir}: no compiled extensions found; did sam build run?")
        return 1
    errors = problems(build_dir)
    if "--compile" in args:
        python, version = lambda_python(), "CPython {}.{}".format(*LAMBDA_PYTHON)
        if python is None and "--if-available" in args:
            print(f"no {version} here: bytecode not compiled (make build needs it)")
        elif python is None:
            print(f"no {version} found: install it (Lambda's runtime), or set KABAR_LAMBDA_PYTHON")
            return 1
        else:
            compile_bytecode(build_dir, python)
            errors += bytecode_problems(build_dir)
            print(f"bytecode compiled for {TAG} with {python}")
    for error in errors:
        print(error)
    print(f"{len(extensions)} compiled extensions checked, {len(errors)} problems")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
