"""Where the classroom's Pyodide comes from: a pinned npm release, checked file by file.

Pyodide (CPython compiled to WebAssembly, MPL-2.0) is published on the npm registry as
``pyodide``. The classroom ships six of its fourteen files (the loader, the interpreter, the
standard library and the two small files the loader reads), each checked against the SHA-256
recorded here, so a folder built today and a folder built next year run the same Python.

The files come from one of:

- ``--pyodide DIR``: an unpacked ``npm pack pyodide@VERSION`` (the files, or a ``package/`` folder
  holding them);
- ``--pyodide TGZ``: the packed ``pyodide-VERSION.tgz`` itself;
- otherwise the user cache (``$XDG_CACHE_HOME/chainrule/``, else ``~/.cache/chainrule/``), filled
  by running ``npm pack pyodide@VERSION`` once; the tarball is checked against npm's pinned
  SHA-512 ``integrity`` before it is kept.

Every failure is a ``ClassroomError`` whose message is one line naming the file, or, when no way
worked, naming both ways (npm, or ``--pyodide``).
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path


class ClassroomError(Exception):
    """A classroom that cannot be built: a missing or corrupt file, no way to fetch Pyodide, a bad
    argument. The message is one line the user can act on."""


@dataclass(frozen=True)
class Release:
    """One npm release: its name and version, npm's ``integrity`` of the tarball (SHA-512,
    base64), and the SHA-256 (hex) of each file the classroom ships from it."""

    name: str
    version: str
    integrity: str
    files: Mapping[str, str]

    @property
    def spec(self) -> str:
        """What ``npm pack`` is given: ``pyodide@314.0.8``."""
        return f"{self.name}@{self.version}"

    @property
    def tgz_name(self) -> str:
        """The tarball's file name as ``npm pack`` writes it."""
        return f"{self.name}-{self.version}.tgz"


PYODIDE = Release(
    name="pyodide",
    version="314.0.8",  # Python 3.14.2
    integrity="sha512-74Wq1kXOC+CCEzAfxuRAO701nAcCMLjf8NrwvWpu8S41dVMXwXmLQ05dYB+F4e46AdnGo0oq7YHSVUpHsoarLQ==",
    files={
        "pyodide.mjs": "1bb8cc14f9405aaa7cd4e00c12edd0a8539de9cc026618d6ee5a9663f367dc70",
        "pyodide.asm.mjs": "22514b8be6980e28a02c8b1d6387ce8dfe666fc4edf8d547cff5dce29ff4d972",
        "pyodide.asm.wasm": "e14d49ceca9b4a0e274ea918f3a898de2d3880b6e5573a6cfe1a2267ecc70329",
        "python_stdlib.zip": "2bd3394a145bfbbe5bbc9d9d6ab9136abbb986c6fef6c142b3a2962227aa5c28",
        "pyodide-lock.json": "5dc2fc119108bc148c7457dc86e7675b5c87e1cafd420b9c34c1eaef7b36c010",
        "package.json": "cf0265c994f7de049944185538891e5d5c362ebef249e08b145ce64c3a562dd6",
    },
)


def cache_dir() -> Path:
    """``$XDG_CACHE_HOME/chainrule``, or ``~/.cache/chainrule`` when it is unset or empty."""
    root = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(root) / "chainrule"


def integrity_of(data: bytes) -> str:
    """npm's ``integrity`` string of ``data``: ``sha512-`` and the base64 SHA-512 digest."""
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode("ascii")


def release_files(
    release: Release, given: Path | None = None, cache: Path | None = None, npm: str = "npm"
) -> dict[str, bytes]:
    """The release's shipped files, name -> bytes, each checked against its pinned SHA-256.

    ``given`` is a folder or a ``.tgz`` (``--pyodide``); without it the tarball comes from
    ``cache`` (default ``cache_dir()``), fetched there with ``npm pack`` when it is missing or
    does not match the pinned integrity.
    """
    if given is not None:
        if given.is_dir():
            return _from_folder(release, given)
        if given.is_file():
            return _from_tgz(release, given, given.read_bytes())
        raise ClassroomError(f"--pyodide {given}: no such file or folder")
    tgz = (cache or cache_dir()) / release.tgz_name
    if not (tgz.is_file() and integrity_of(tgz.read_bytes()) == release.integrity):
        _fetch(release, tgz, npm)
    return _from_tgz(release, tgz, tgz.read_bytes())


def _checked(release: Release, where: Path, name: str, data: bytes) -> bytes:
    digest = hashlib.sha256(data).hexdigest()
    if digest != release.files[name]:
        raise ClassroomError(
            f"{where}: corrupt or not {release.spec}'s {name} (sha256 {digest[:16]}..., "
            f"pinned {release.files[name][:16]}...)"
        )
    return data


def _from_folder(release: Release, folder: Path) -> dict[str, bytes]:
    if (folder / "package").is_dir() and not (folder / next(iter(release.files))).exists():
        folder = folder / "package"  # the folder `tar xzf pyodide-VERSION.tgz` makes
    files = {}
    for name in release.files:
        path = folder / name
        if not path.is_file():
            raise ClassroomError(f"{path}: missing (the folder must hold {release.spec}'s files)")
        files[name] = _checked(release, path, name, path.read_bytes())
    return files


def _from_tgz(release: Release, path: Path, data: bytes) -> dict[str, bytes]:
    if data[:2] != b"\x1f\x8b":
        raise ClassroomError(f"{path}: not a gzipped tar (expected npm pack's {release.tgz_name})")
    files = {}
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
            for name in release.files:
                try:
                    member = tar.extractfile(f"package/{name}")
                except KeyError:
                    member = None
                if member is None:
                    raise ClassroomError(f"{path}: holds no package/{name} (is it {release.spec}?)")
                files[name] = _checked(release, Path(f"{path}!package/{name}"), name, member.read())
    except (tarfile.TarError, EOFError, OSError) as err:
        raise ClassroomError(f"{path}: corrupt tarball ({err})") from None
    return files


def _fetch(release: Release, tgz: Path, npm: str) -> None:
    """``npm pack`` the release into ``tgz``'s folder; keep it only if its integrity is the pinned one."""
    both_ways = (
        f"give the files with --pyodide DIR|TGZ (the unpacked or packed output of "
        f"'npm pack {release.spec}'), or install npm with access to its registry and build again"
    )
    program = shutil.which(npm)
    if program is None:
        raise ClassroomError(f"cannot fetch {release.spec}: the '{npm}' program was not found; {both_ways}")
    tgz.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="chainrule-npm-", dir=tgz.parent) as work:
        try:
            done = subprocess.run(
                [program, "pack", release.spec, "--pack-destination", work, "--silent"],
                capture_output=True,
                text=True,
                timeout=600,
                cwd=work,
            )
        except (OSError, subprocess.TimeoutExpired) as err:
            raise ClassroomError(f"cannot fetch {release.spec} with npm ({err}); {both_ways}") from None
        packed = Path(work) / release.tgz_name
        if done.returncode != 0 or not packed.is_file():
            said = " ".join((done.stderr or done.stdout or "").split())[:300]
            raise ClassroomError(
                f"cannot fetch {release.spec} with npm (exit status {done.returncode}"
                f"{': ' + said if said else ''}); {both_ways}"
            )
        got = integrity_of(packed.read_bytes())
        if got != release.integrity:
            raise ClassroomError(
                f"{packed.name} from npm: integrity {got[:24]}... is not the pinned "
                f"{release.integrity[:24]}...; {both_ways}"
            )
        os.replace(packed, tgz)
