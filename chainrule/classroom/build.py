"""``chainrule classroom OUT/``: the lesson as a static folder that runs chainrule in the browser.

The folder (served by any static web server; nothing is installed on the learners' machines):

    index.html            the start page: the lesson's parts, in order
    <slug>.html           one page per part of ``chainrule.classroom.parts.PARTS``: its intro,
                          an editor opened with its code, Run and Stop, the output
    classroom.js          the page: editor, output, ``window.classroom`` (ready, run, stop)
    classroom-worker.js   the Web Worker that runs Python (Pyodide) and chainrule
    classroom.css
    chainrule.zip         chainrule's own Python (autograd, nn, chainrule; viz-js inside
                          autograd/see/vendor), the graphviz package and the exercises' grader
                          (exercises/check.py, run_learner.py, from a checkout), unpacked into
                          Pyodide's file system at start (no micropip, no network)
    pyodide/              Pyodide's interpreter, loader and standard library (pinned, checked: fetch.py)
    licences/             the licence of everything shipped, and an index naming which is whose

Every page carries a Content-Security-Policy (``CSP``) that lets it reach its own origin only;
the worker is started from a ``blob:`` URL so that it keeps the page's policy (a worker fetched
from a plain URL would get the policy of its own HTTP response: none from a static server).
"""

from __future__ import annotations

import html
import json
import re
import zipfile
from collections.abc import Sequence
from importlib import metadata, resources
from pathlib import Path

from autograd.see.page import VIZ_VERSION
from chainrule import __version__
from chainrule.classroom.fetch import PYODIDE, ClassroomError, Release, release_files
from chainrule.classroom.parts import PARTS, Part

# 'wasm-unsafe-eval': Pyodide compiles its WebAssembly; blob: the worker (and the graph page
# opened in a new tab); 'unsafe-inline' scripts and styles: the live graph page, one
# self-contained HTML text made by Python in the page, shown in a sandboxed srcdoc frame, which
# keeps this policy. Nothing names another origin, so no request can leave this one.
CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' 'wasm-unsafe-eval'; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self'; "
    "connect-src 'self'; worker-src 'self' blob:; child-src 'self' blob:; frame-src 'self' blob:; "
    "object-src 'none'; base-uri 'none'; form-action 'none'"
)
STATIC = ("classroom.js", "classroom-worker.js", "classroom.css")
PACKAGES = ("autograd", "nn", "chainrule", "graphviz")  # what chainrule.zip holds
LEFT_OUT = ("__pycache__", "static", "licences")  # folders chainrule.zip leaves out (anywhere)
# The exercises' grader, from exercises/ beside the packages (a checkout), as exercises/ in the zip:
# the exercises part grades the learner's functions with it in the page (in-process there).
EXERCISE_GRADER = ("check.py", "run_learner.py")
SLUG = re.compile(r"[a-z0-9-]+")
MARKER = "classroom-worker.js"  # a folder holding it is a classroom: building again may overwrite it


def build_classroom(
    out: str | Path,
    pyodide: str | Path | None = None,
    *,
    release: Release = PYODIDE,
    parts: Sequence[Part] = PARTS,
    cache: Path | None = None,
    npm: str = "npm",
) -> list[Path]:
    """Write the classroom folder ``out``; return the files written, in the order written.

    ``pyodide`` is a folder or tarball of the pinned Pyodide release (``--pyodide``); without it
    the release comes from the user cache, fetched with ``npm`` (``fetch.release_files``).
    ``out`` must be a new or empty folder, or a classroom built before (it is overwritten).
    Raises ``ClassroomError`` (one line, naming the file) for everything the user can fix.
    """
    out = Path(out)
    _check_parts(parts)
    _check_out(out)
    files = release_files(release, None if pyodide is None else Path(pyodide), cache, npm)
    written: list[Path] = []

    def write(name: str, data: bytes | str) -> None:
        path = out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, str):
            path.write_text(data, encoding="utf-8", newline="\n")
        else:
            path.write_bytes(data)
        written.append(path)

    for name, data in files.items():
        write(f"pyodide/{name}", data)
    write("chainrule.zip", python_zip())
    for name in STATIC:
        write(name, _static(name))
    write("index.html", start_page(parts, release))
    for number, part in enumerate(parts, 1):
        write(f"{part.slug}.html", part_page(parts, number, release))
    for name, text in licences(release).items():
        write(f"licences/{name}", text)
    write("licences/index.html", licence_page(release))
    return written


def _check_parts(parts: Sequence[Part]) -> None:
    seen: set[str] = set()
    for part in parts:
        if not isinstance(part, Part):
            raise TypeError(f"build_classroom: parts must be Part objects, got {type(part).__name__}")
        if not SLUG.fullmatch(part.slug) or part.slug == "index":
            raise ValueError(
                f"build_classroom: a part's slug must match [a-z0-9-]+ and not be 'index', got {part.slug!r}"
            )
        if part.slug in seen:
            raise ValueError(f"build_classroom: two parts have the slug {part.slug!r}")
        seen.add(part.slug)
    if not parts:
        raise ValueError("build_classroom: no parts to build pages from")


def _check_out(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise ClassroomError(f"{out}: exists and is not a folder")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise ClassroomError(
            f"{out}: the folder is not empty and holds no classroom; choose a new or empty folder"
        )


def _static(name: str) -> str:
    folder = resources.files("chainrule.classroom").joinpath("static")
    return folder.joinpath(name).read_text(encoding="utf-8")


def _fill(template: str, slots: dict[str, str]) -> str:
    """``template`` with each ``{{name}}`` replaced by ``slots[name]`` (already escaped)."""
    text = _static(template)
    for name, value in slots.items():
        text = text.replace("{{" + name + "}}", value)
    left = re.search(r"\{\{\w+\}\}", text)
    if left:
        raise AssertionError(f"{template}: slot {left.group()} was not filled")
    return text


def _paragraphs(text: str) -> str:
    """Plain text, paragraphs separated by blank lines, as escaped ``<p>`` elements."""
    blocks = [block.strip() for block in re.split(r"\n\s*\n", text) if block.strip()]
    return "\n".join(f"<p>{html.escape(block)}</p>" for block in blocks)


def start_page(parts: Sequence[Part], release: Release = PYODIDE) -> str:
    """index.html: the parts in order, each a link to its page."""
    items = "\n".join(
        f'<li><a href="{part.slug}.html">{html.escape(part.title)}</a></li>' for part in parts
    )
    return _fill(
        "index.html", {"csp": CSP, "parts": items, "version": __version__, "pyodide": release.version}
    )


def part_page(parts: Sequence[Part], number: int, release: Release = PYODIDE) -> str:
    """The page of ``parts[number - 1]``: intro, editor with its code, links to its neighbours."""
    part = parts[number - 1]
    previous = f' · <a href="{parts[number - 2].slug}.html" rel="prev">previous</a>' if number > 1 else ""
    following = f' · <a href="{parts[number].slug}.html" rel="next">next</a>' if number < len(parts) else ""
    data = json.dumps({"slug": part.slug, "source": part.source, "numbers": part.numbers})
    data = data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return _fill(
        "page.html",
        {
            "csp": CSP,
            "title": html.escape(part.title),
            "slug": part.slug,
            "number": str(number),
            "count": str(len(parts)),
            "previous": previous,
            "next": following,
            "intro": _paragraphs(part.intro),
            "source": html.escape(part.source),
            "part_json": data,
            "pyodide": release.version,
        },
    )


def python_zip() -> bytes:
    """chainrule.zip: the .py files and package data of ``PACKAGES``, as they are installed here,
    the same bytes for the same files (sorted, with one fixed time stamp)."""
    import io

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for package in PACKAGES:
            root = _package_folder(package)
            for path in sorted(root.rglob("*")):
                relative = path.relative_to(root)
                if not path.is_file() or path.suffix == ".pyc":
                    continue
                if any(part in LEFT_OUT for part in relative.parts):
                    continue
                info = zipfile.ZipInfo(f"{package}/{relative.as_posix()}", date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                archive.writestr(info, path.read_bytes())
        grader = _package_folder("chainrule").parent / "exercises"
        for name in EXERCISE_GRADER:
            if (grader / name).is_file():
                info = zipfile.ZipInfo(f"exercises/{name}", date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                archive.writestr(info, (grader / name).read_bytes())
    return buffer.getvalue()


def _package_folder(package: str) -> Path:
    spec = __import__(package)
    file = getattr(spec, "__file__", None)
    if file is None:
        raise ClassroomError(f"the {package} package has no folder to copy into chainrule.zip")
    return Path(file).parent


def licences(release: Release = PYODIDE) -> dict[str, str]:
    """File name -> licence text, for everything the folder ships."""
    own = resources.files("chainrule.classroom").joinpath("licences")
    vendor = resources.files("autograd.see").joinpath("vendor")  # viz-js, inside chainrule.zip
    return {
        "pyodide-MPL-2.0.txt": own.joinpath("MPL-2.0.txt").read_text(encoding="utf-8"),
        "python-PSF-2.0.txt": own.joinpath("PSF-2.0.txt").read_text(encoding="utf-8"),
        "chainrule-MIT.txt": own.joinpath("chainrule-MIT.txt").read_text(encoding="utf-8"),
        "graphviz-python-MIT.txt": _graphviz_licence(),
        "viz-js-MIT.txt": vendor.joinpath("LICENSE-viz-js.txt").read_text(encoding="utf-8"),
        "graphviz-EPL-1.0.txt": vendor.joinpath("LICENSE-graphviz.txt").read_text(encoding="utf-8"),
        "expat-MIT.txt": vendor.joinpath("LICENSE-expat.txt").read_text(encoding="utf-8"),
    }


def _graphviz_licence() -> str:
    """The graphviz Python package's licence file, from its installed metadata."""
    try:
        dist = metadata.distribution("graphviz")
    except metadata.PackageNotFoundError:
        raise ClassroomError("the graphviz Python package is not installed: pip install graphviz") from None
    for file in dist.files or ():
        if file.name.upper().startswith(("LICENSE", "LICENCE", "COPYING")):
            return file.read_text(encoding="utf-8")
    raise ClassroomError(f"the graphviz Python package ({dist.version}) has no licence file in its metadata")


LICENCE_ROWS = (
    ("pyodide-MPL-2.0.txt", "Pyodide {version}: Python for the browser (pyodide/)", "MPL-2.0"),
    ("python-PSF-2.0.txt", "Python (CPython) and its standard library, inside Pyodide", "PSF-2.0"),
    ("chainrule-MIT.txt", "chainrule: autograd, nn and chainrule (chainrule.zip)", "MIT"),
    ("graphviz-python-MIT.txt", "graphviz, the Python package, in chainrule.zip", "MIT"),
    ("viz-js-MIT.txt", "viz-js {viz}, which lays the live graph page out (in chainrule.zip)", "MIT"),
    ("graphviz-EPL-1.0.txt", "Graphviz, compiled into viz-js", "EPL-1.0"),
    ("expat-MIT.txt", "Expat, compiled into viz-js", "MIT"),
)


def licence_page(release: Release = PYODIDE) -> str:
    """licences/index.html: which licence covers which part of the folder."""
    versions = {"version": release.version, "viz": VIZ_VERSION}
    rows = "\n".join(
        f'<li><a href="{name}">{html.escape(what.format(**versions))}</a>: {spdx}</li>'
        for name, what, spdx in LICENCE_ROWS
    )
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        "<title>Licences · chainrule classroom</title>\n"
        '<link rel="icon" href="data:,">\n<link rel="stylesheet" href="../classroom.css">\n'
        '</head>\n<body class="start">\n'
        "<header><h1>Licences</h1></header>\n<main>\n"
        "<p>This folder ships the following software, each under its licence (full texts):</p>\n"
        f"<ul>\n{rows}\n</ul>\n"
        '<p><a href="../index.html">Back to the classroom</a></p>\n</main>\n</body>\n</html>\n'
    )
