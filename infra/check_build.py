"""After `sam build`: every compiled extension in the artifacts is for Lambda's platform.

The functions run on arm64 with CPython 3.13. A wheel for the build machine
(x86_64) or another Python would import-fail only in AWS, so check here: each
``.so`` must be an AArch64 ELF file, and CPython-tagged ones must be for 3.13.
abi3 file names do not say the architecture, so the ELF header is read.
"""

from __future__ import annotations

import sys
from pathlib import Path

EM_AARCH64 = 183


def problems(build_dir: Path) -> list[str]:
    found = []
    for path in sorted(build_dir.rglob("*.so")):
        header = path.read_bytes()[:20]
        if header[:4] != b"\x7fELF" or int.from_bytes(header[18:20], "little") != EM_AARCH64:
            found.append(f"{path}: not an AArch64 ELF shared object")
        if ".cpython-" in path.name and ".cpython-313-" not in path.name:
            found.append(f"{path}: built for another CPython")
    return found


def main(build_dir: str = ".aws-sam/build") -> int:
    root = Path(build_dir)
    extensions = list(root.rglob("*.so"))
    if not extensions:
        print(f"{root}: no compiled extensions found; did sam build run?")
        return 1
    errors = problems(root)
    for error in errors:
        print(error)
    print(f"{len(extensions)} compiled extensions checked, {len(errors)} wrong")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
