"""`chainrule classroom OUT/`: the folder it writes, from a small fake Pyodide release.

The fake release has the real release's six file names with a few bytes each, and its own pinned
hashes, so that what is checked is the builder: files present, hashes checked (a corrupt or
missing file named), the npm cache, the CSP on every page, the licences, bad arguments.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import stat
import tarfile
import zipfile
from pathlib import Path

import graphviz
import pytest

import autograd
import chainrule
import nn
from chainrule.classroom.build import CSP, build_classroom, python_zip
from chainrule.classroom.fetch import PYODIDE, ClassroomError, Release, integrity_of, release_files
from chainrule.classroom.parts import PARTS, Part
from chainrule.cli import main

REPO = Path(__file__).resolve().parents[2]


def fake_files() -> dict[str, bytes]:
    return {name: f"fake {name} of the test\n".encode() for name in PYODIDE.files}


def tgz_of(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(f"package/{name}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


FAKE_FILES = fake_files()
FAKE_TGZ = tgz_of(FAKE_FILES)
FAKE = Release(
    name="pyodide",
    version="314.0.8",
    integrity=integrity_of(FAKE_TGZ),
    files={name: hashlib.sha256(data).hexdigest() for name, data in FAKE_FILES.items()},
)


@pytest.fixture
def fake_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "pyodide-files"
    folder.mkdir()
    for name, data in FAKE_FILES.items():
        (folder / name).write_bytes(data)
    return folder


@pytest.fixture
def fake_tgz(tmp_path: Path) -> Path:
    path = tmp_path / "pyodide-314.0.8.tgz"
    path.write_bytes(FAKE_TGZ)
    return path


def fake_npm(folder: Path, payload: bytes, name: str = "pyodide-314.0.8.tgz") -> str:
    """A program called like npm (`npm pack SPEC --pack-destination DIR ...`) that writes ``payload``."""
    folder.mkdir(parents=True, exist_ok=True)
    data = folder / "payload.tgz"
    data.write_bytes(payload)
    log = folder / "calls.log"
    script = folder / "npm"
    script.write_text(f'#!/bin/sh\necho "$@" >> {log}\ncp {data} "$4/{name}"\n')
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return str(script)


# --- the folder ----------------------------------------------------------------------------------


def test_the_folder_holds_pyodide_the_pages_the_scripts_the_zip_and_the_licences(fake_dir, tmp_path):
    out = tmp_path / "room"
    written = build_classroom(out, fake_dir, release=FAKE)
    names = {path.relative_to(out).as_posix() for path in written}
    expected = {f"pyodide/{name}" for name in PYODIDE.files} | {
        "index.html",
        "classroom.js",
        "classroom-worker.js",
        "classroom.css",
        "chainrule.zip",
        "licences/index.html",
        "licences/pyodide-MPL-2.0.txt",
        "licences/python-PSF-2.0.txt",
        "licences/chainrule-MIT.txt",
        "licences/graphviz-python-MIT.txt",
        "licences/viz-js-MIT.txt",
        "licences/graphviz-EPL-1.0.txt",
        "licences/expat-MIT.txt",
    } | {f"{part.slug}.html" for part in PARTS}
    assert names == expected
    assert {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()} == expected
    for name, data in FAKE_FILES.items():
        assert (out / "pyodide" / name).read_bytes() == data


def test_the_pinned_release_is_the_npm_one():
    """The real pins: six files of pyodide 314.0.8, hashes in the formats npm and sha256sum print."""
    assert PYODIDE.spec == "pyodide@314.0.8"
    assert set(PYODIDE.files) == {
        "pyodide.mjs",
        "pyodide.asm.mjs",
        "pyodide.asm.wasm",
        "python_stdlib.zip",
        "pyodide-lock.json",
        "package.json",
    }
    assert re.fullmatch(r"sha512-[A-Za-z0-9+/]{86}==", PYODIDE.integrity)
    assert all(re.fullmatch(r"[0-9a-f]{64}", digest) for digest in PYODIDE.files.values())


def test_the_tarball_gives_the_same_folder_as_the_unpacked_files(fake_dir, fake_tgz, tmp_path):
    build_classroom(tmp_path / "a", fake_dir, release=FAKE)
    build_classroom(tmp_path / "b", fake_tgz, release=FAKE)
    for path in (tmp_path / "a").rglob("*"):
        if path.is_file():
            assert path.read_bytes() == (tmp_path / "b" / path.relative_to(tmp_path / "a")).read_bytes()


def test_an_unpacked_npm_pack_with_its_package_folder_is_accepted(fake_dir, tmp_path):
    unpacked = tmp_path / "unpacked"
    unpacked.mkdir()
    fake_dir.rename(unpacked / "package")
    build_classroom(tmp_path / "room", unpacked, release=FAKE)
    assert (tmp_path / "room" / "pyodide" / "pyodide.mjs").read_bytes() == FAKE_FILES["pyodide.mjs"]


def test_every_page_has_a_csp_that_allows_its_own_origin_only(fake_dir, tmp_path):
    out = tmp_path / "room"
    build_classroom(out, fake_dir, release=FAKE)
    pages = sorted(out.rglob("*.html"))
    assert len(pages) == len(PARTS) + 2
    for page in pages:
        text = page.read_text(encoding="utf-8")
        found = re.findall(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', text)
        assert found == [CSP], page
        head, _, _ = text.partition("</head>")
        assert head.index("Content-Security-Policy") < min(
            (head.index(tag) for tag in ("<script", "<link rel=\"stylesheet\"") if tag in head), default=len(head)
        ), "the policy must come before anything it governs"
    directives = dict(d.strip().split(" ", 1) for d in CSP.split(";"))
    allowed = {"'self'", "'none'", "'unsafe-inline'", "'wasm-unsafe-eval'", "data:", "blob:"}
    for name, sources in directives.items():
        assert set(sources.split()) <= allowed, (name, sources)  # no host, no scheme such as https:
    assert directives["default-src"] == "'self'" and directives["connect-src"] == "'self'"
    assert "blob:" in directives["worker-src"]  # the worker starts from a blob: URL and keeps the policy


def test_no_page_or_script_names_another_origin(fake_dir, tmp_path):
    out = tmp_path / "room"
    build_classroom(out, fake_dir, release=FAKE)
    for path in [*out.glob("*.html"), *out.glob("*.js"), *out.glob("*.css")]:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}", text, re.IGNORECASE), path


def test_the_licences_are_the_full_texts(fake_dir, tmp_path):
    out = tmp_path / "room"
    build_classroom(out, fake_dir, release=FAKE)
    licences = out / "licences"
    mpl = (licences / "pyodide-MPL-2.0.txt").read_text()
    assert mpl.startswith("Mozilla Public License Version 2.0") and "Exhibit B" in mpl and len(mpl) > 15000
    assert (licences / "python-PSF-2.0.txt").read_text().startswith("PYTHON SOFTWARE FOUNDATION LICENSE VERSION 2")
    if (REPO / "LICENSE").is_file():
        assert (licences / "chainrule-MIT.txt").read_text() == (REPO / "LICENSE").read_text()
    gv = (licences / "graphviz-python-MIT.txt").read_text()
    assert "Permission is hereby granted" in gv and "Sebastian Bank" in gv
    vendor = REPO / "autograd" / "see" / "vendor"  # viz-js and what it holds, shipped in chainrule.zip
    assert (licences / "viz-js-MIT.txt").read_text() == (vendor / "LICENSE-viz-js.txt").read_text()
    epl = (licences / "graphviz-EPL-1.0.txt").read_text()
    assert "Eclipse Public License - v 1.0" in epl and len(epl) > 10000
    assert "Permission is hereby granted" in (licences / "expat-MIT.txt").read_text()
    index = (licences / "index.html").read_text()
    assert "viz-js 3.31.0" in index and "Pyodide 314.0.8" in index
    for path in licences.glob("*.txt"):
        assert f'href="{path.name}"' in index


def test_the_zip_holds_the_installed_python_of_autograd_nn_chainrule_and_graphviz():
    names = set(zipfile.ZipFile(io.BytesIO(python_zip())).namelist())
    for module in (autograd, nn, chainrule, graphviz):
        root = Path(module.__file__).parent
        py = {
            f"{module.__name__}/{p.relative_to(root).as_posix()}"
            for p in root.rglob("*.py")
            if "__pycache__" not in p.parts
        }
        assert py <= names, sorted(py - names)[:5]
    assert "autograd/see/page_template.html" in names and "autograd/see/ops_twin.js" in names
    assert "autograd/see/vendor/viz-global.js" in names  # the live page's layout in the browser
    assert "chainrule/classroom/runner.py" in names and "chainrule/classroom/parts.py" in names
    assert not any("__pycache__" in n or n.endswith(".pyc") or "/static/" in n for n in names)
    assert python_zip() == python_zip()  # the same bytes for the same files


@pytest.mark.slow  # a subprocess
def test_the_zip_runs_the_engine_from_its_files_alone(tmp_path):
    """Unpacked anywhere, the zip's own files give chainrule (its parts' numbers, natively)."""
    zipfile.ZipFile(io.BytesIO(python_zip())).extractall(tmp_path)
    import subprocess
    import sys

    program = (
        "import sys, json; sys.path.insert(0, sys.argv[1]); import autograd, chainrule.classroom.runner as r\n"
        "assert autograd.__file__.startswith(sys.argv[1]), autograd.__file__\n"
        "from chainrule.classroom.parts import PARTS\n"
        "ns = {}\nexec(PARTS[0].source, ns)\nprint(json.dumps(eval(PARTS[0].numbers, ns)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-I", "-c", program, str(tmp_path)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    namespace: dict[str, object] = {}
    exec(PARTS[0].source, namespace)
    assert json.loads(done.stdout.splitlines()[-1]) == eval(PARTS[0].numbers, namespace)


def test_a_part_page_opens_with_the_parts_code_escaped(fake_dir, tmp_path):
    tricky = Part(
        slug="tricky-1",
        title="a < b & </title>",
        intro="First <b>paragraph</b>.\n\nSecond one.",
        source="print('</textarea><script>alert(1)</script>')\n",
        numbers="[1.0]",
    )
    out = tmp_path / "room"
    build_classroom(out, fake_dir, release=FAKE, parts=(PARTS[0], tricky))
    page = (out / "tricky-1.html").read_text()
    assert "<script>alert" not in page and "</textarea><script>" not in page
    assert "&lt;/textarea&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<p>First &lt;b&gt;paragraph&lt;/b&gt;.</p>\n<p>Second one.</p>" in page
    data = re.search(r'<script type="application/json" id="part">(.*?)</script>', page, re.S)
    assert data and json.loads(data.group(1))["source"] == tricky.source
    assert f'<a href="{PARTS[0].slug}.html" rel="prev">' in page and "part 2 of 2" in page
    index = (out / "index.html").read_text()
    assert index.index(f'href="{PARTS[0].slug}.html"') < index.index('href="tricky-1.html"')
    assert "a &lt; b &amp; &lt;/title&gt;" in index


# --- hashes, the cache and npm -----------------------------------------------------------------------


def test_a_corrupt_file_in_the_folder_is_named(fake_dir, tmp_path):
    (fake_dir / "python_stdlib.zip").write_bytes(b"changed")
    with pytest.raises(ClassroomError, match=r"python_stdlib\.zip: corrupt or not pyodide@314\.0\.8's") as err:
        build_classroom(tmp_path / "room", fake_dir, release=FAKE)
    assert str(fake_dir / "python_stdlib.zip") in str(err.value) and "\n" not in str(err.value)
    assert not (tmp_path / "room").exists()  # nothing written from a bad release


def test_a_missing_file_in_the_folder_is_named(fake_dir, tmp_path):
    (fake_dir / "pyodide.asm.wasm").unlink()
    with pytest.raises(ClassroomError, match=r"pyodide\.asm\.wasm: missing"):
        build_classroom(tmp_path / "room", fake_dir, release=FAKE)


def test_a_corrupt_file_in_the_tarball_is_named(tmp_path):
    files = {**FAKE_FILES, "pyodide.asm.mjs": b"tampered"}
    tgz = tmp_path / "pyodide-314.0.8.tgz"
    tgz.write_bytes(tgz_of(files))
    with pytest.raises(ClassroomError, match=r"pyodide-314\.0\.8\.tgz!package/pyodide\.asm\.mjs: corrupt"):
        release_files(FAKE, tgz)


@pytest.mark.parametrize("payload", [b"not a tarball", FAKE_TGZ[: len(FAKE_TGZ) // 2]])
def test_a_file_that_is_no_tarball_is_named(tmp_path, payload):
    tgz = tmp_path / "pyodide.tgz"
    tgz.write_bytes(payload)
    with pytest.raises(ClassroomError, match=re.escape(str(tgz))):
        release_files(FAKE, tgz)


def test_npm_fills_the_cache_once_and_the_cache_is_used_after(tmp_path):
    npm = fake_npm(tmp_path / "bin", FAKE_TGZ)
    cache = tmp_path / "cache"
    assert release_files(FAKE, cache=cache, npm=npm) == FAKE_FILES
    assert (cache / "pyodide-314.0.8.tgz").read_bytes() == FAKE_TGZ
    calls = (tmp_path / "bin" / "calls.log").read_text().splitlines()
    assert len(calls) == 1 and calls[0].startswith("pack pyodide@314.0.8 --pack-destination ")
    assert release_files(FAKE, cache=cache, npm="no-such-npm-program") == FAKE_FILES  # no npm needed now


def test_a_corrupt_cached_tarball_is_fetched_again(tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "pyodide-314.0.8.tgz").write_bytes(FAKE_TGZ[:-10])
    npm = fake_npm(tmp_path / "bin", FAKE_TGZ)
    assert release_files(FAKE, cache=cache, npm=npm) == FAKE_FILES
    assert (cache / "pyodide-314.0.8.tgz").read_bytes() == FAKE_TGZ


def test_a_tarball_from_npm_that_is_not_the_pinned_one_is_refused_and_not_cached(tmp_path):
    npm = fake_npm(tmp_path / "bin", tgz_of({**FAKE_FILES, "package.json": b"{}"}))
    cache = tmp_path / "cache"
    with pytest.raises(ClassroomError, match=r"pyodide-314\.0\.8\.tgz from npm: integrity sha512-.* pinned"):
        release_files(FAKE, cache=cache, npm=npm)
    assert not (cache / "pyodide-314.0.8.tgz").exists()


def test_without_npm_and_without_pyodide_the_error_names_both_ways(tmp_path):
    with pytest.raises(ClassroomError) as err:
        release_files(FAKE, cache=tmp_path / "cache", npm="no-such-npm-program")
    message = str(err.value)
    assert "'no-such-npm-program' program was not found" in message
    assert "--pyodide DIR|TGZ" in message and "install npm" in message and "\n" not in message


def test_npm_failing_is_said_with_its_words_and_both_ways(tmp_path):
    script = tmp_path / "npm"
    script.write_text("#!/bin/sh\necho 'npm error code E404 no such package' >&2\nexit 1\n")
    script.chmod(0o755)
    with pytest.raises(ClassroomError, match=r"exit status 1: npm error code E404.*--pyodide DIR\|TGZ"):
        release_files(FAKE, cache=tmp_path / "cache", npm=str(script))


def test_the_cache_folder_follows_xdg_cache_home(monkeypatch, tmp_path):
    from chainrule.classroom.fetch import cache_dir

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache_dir() == tmp_path / "chainrule"
    monkeypatch.setenv("XDG_CACHE_HOME", "")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_dir() == tmp_path / "home" / ".cache" / "chainrule"


# --- bad arguments -----------------------------------------------------------------------------------


def test_the_out_folder_must_be_new_empty_or_a_classroom(fake_dir, tmp_path):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "essay.txt").write_text("keep me")
    with pytest.raises(ClassroomError, match="not empty and holds no classroom"):
        build_classroom(mine, fake_dir, release=FAKE)
    assert [p.name for p in mine.iterdir()] == ["essay.txt"]
    afile = tmp_path / "afile"
    afile.write_text("")
    with pytest.raises(ClassroomError, match="exists and is not a folder"):
        build_classroom(afile, fake_dir, release=FAKE)
    room = tmp_path / "room"
    build_classroom(room, fake_dir, release=FAKE)
    build_classroom(room, fake_dir, release=FAKE)  # an earlier classroom is built again in place


@pytest.mark.parametrize("slug", ["Neuron", "a b", "index", "../x", ""])
def test_a_bad_slug_is_refused(fake_dir, tmp_path, slug):
    with pytest.raises(ValueError, match=re.escape(repr(slug))):
        build_classroom(tmp_path / "room", fake_dir, release=FAKE, parts=(Part(slug, "t", "", "", "[]"),))


def test_two_parts_with_one_slug_are_refused(fake_dir, tmp_path):
    with pytest.raises(ValueError, match=f"two parts have the slug '{PARTS[0].slug}'"):
        build_classroom(tmp_path / "room", fake_dir, release=FAKE, parts=(PARTS[0], PARTS[0]))


def test_the_command_names_a_corrupt_file_in_one_line(fake_dir, tmp_path, capsys):
    """The command uses the real pins: the fake files are not pyodide 314.0.8's, and it says so."""
    assert main(["classroom", str(tmp_path / "room"), "--pyodide", str(fake_dir)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("chainrule classroom: error: ")
    assert "pyodide.mjs: corrupt or not pyodide@314.0.8's pyodide.mjs" in err


def test_the_command_says_when_the_pyodide_path_does_not_exist(tmp_path, capsys):
    assert main(["classroom", str(tmp_path / "room"), "--pyodide", str(tmp_path / "nowhere")]) == 1
    assert f"--pyodide {tmp_path / 'nowhere'}: no such file or folder" in capsys.readouterr().err


def test_the_command_without_npm_names_both_ways(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("PATH", str(tmp_path))  # no npm
    assert main(["classroom", str(tmp_path / "room")]) == 1
    err = capsys.readouterr().err
    assert "cannot fetch pyodide@314.0.8: the 'npm' program was not found" in err and "--pyodide" in err
