"""Saving a model to JSON and loading it back: ``nn.save(model, path)``, ``nn.load(path)``.

The file is plain JSON, readable in any editor, never pickle (unpickling runs code):

    {"format": "chainrule.nn", "version": 1,
     "model": "MLP",
     "config": {"nin": 2, "nouts": [4, 1], "activation": ["tanh", "linear"]},
     "state_dict": {"layers.0.neurons.0.w.0": 0.53, ...}}

``load`` checks the whole file before it builds anything: the JSON must parse (no NaN or
Infinity, no repeated keys), the format and version must be known, the config must
describe a model whose parameter count equals the number of weights in the file (so a
hostile config cannot ask for a billion neurons), and every weight must be a finite
number under the right name. Any failure is a ``ValueError`` naming the file and the problem.
``load`` reads only regular files (a symlink is followed; a device, a pipe or a folder is refused
before anything is read) of at most ``MAX_FILE_BYTES`` (64 MB; a 100,000-parameter model, the
command line's limit, takes about 5 MB).

``save`` writes all or nothing through a temporary file ``.NAME.PID-XXXXXXXX.tmp`` beside the
file, renamed over it. Saving to a symlink writes through it to its target (the link stays), and
a file that exists keeps its permission bits. The temporary file of a process that was killed
(kill -9) is removed by the next ``save`` or ``load`` of that file (once its process is gone, or
after an hour where that cannot be known).
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import secrets
import stat
import time
from collections.abc import Callable
from functools import partial
from typing import Any, Union

from nn.layers import MLP, Layer, Neuron
from nn.module import Module, check_parameter_value

FORMAT = "chainrule.nn"
VERSION = 1
MAX_FILE_BYTES = 64 * 1024 * 1024
STALE_SECONDS = 3600  # a temporary file this old is stale even where its process cannot be asked
PathLike = Union[str, "os.PathLike[str]"]


def model_config(model: Module) -> tuple[str, dict[str, Any]]:
    """The class name and constructor arguments that rebuild ``model``'s architecture."""
    if isinstance(model, MLP):
        return "MLP", model.config()
    if isinstance(model, Layer):
        return "Layer", {"nin": model.nin, "nout": model.nout, "activation": model.activation}
    if isinstance(model, Neuron):
        return "Neuron", {"nin": model.nin, "activation": model.activation}
    raise TypeError(f"save: can save a Neuron, Layer or MLP, got {type(model).__name__}")


def to_json(model: Module) -> str:
    """The file's text for ``model``."""
    name, config = model_config(model)
    state = model.state_dict()
    for key, x in state.items():  # what load would refuse is refused now, naming the weight
        check_parameter_value(x, key, "save")
    document = {
        "format": FORMAT,
        "version": VERSION,
        "model": name,
        "config": config,
        "state_dict": state,
    }
    return json.dumps(document, indent=1, allow_nan=False)


def from_json(text: str, source: str = "<string>") -> Module:
    """The model described by ``text`` (the contents of a file written by ``save``)."""
    where = f"load({source})"
    document = _parse(text, where)
    if not isinstance(document, dict):
        raise ValueError(f"{where}: expected a JSON object, got {type(document).__name__}")
    missing = [k for k in ("format", "version", "model", "config", "state_dict") if k not in document]
    if missing:
        raise ValueError(f"{where}: missing key(s) {missing}")
    if document["format"] != FORMAT:
        raise ValueError(f"{where}: not a chainrule model file (format {document['format']!r})")
    if type(document["version"]) is not int or document["version"] != VERSION:  # not true, not 1.0
        raise ValueError(f"{where}: unsupported format version {document['version']!r} (expected {VERSION})")
    state = document["state_dict"]
    if not isinstance(state, dict):
        raise ValueError(f"{where}: state_dict must be an object, got {type(state).__name__}")
    build = _builder(document["model"], document["config"], len(state), where)
    model = build()
    try:
        model.load_state_dict(state)
    except ValueError as e:  # a weight that is not a finite float: name the file too
        raise ValueError(f"{where}: {e}") from None
    return model


def save(model: Module, path: PathLike) -> None:
    """Write ``model``'s architecture and weights to ``path`` as JSON, all or nothing.

    The text goes to a temporary file in the same folder, which is flushed to disk and then
    renamed over ``path`` (``os.replace`` is atomic). A failure on the way (a full disk,
    Ctrl-C) removes the temporary file and leaves whatever ``path`` held before untouched.
    A symlink is written through (its target is replaced, the link kept); an existing file's
    permission bits are kept; stale temporary files of this path (``remove_stale_temporaries``)
    are removed first.
    """
    text = to_json(model)
    target = os.path.realpath(path)  # through any symlinks: the link stays a link
    folder, name = os.path.split(target)
    remove_stale_temporaries(target)
    try:
        mode: int | None = stat.S_IMODE(os.stat(target).st_mode)
    except OSError:  # a new file: the mode open() gives (0o666 less the umask)
        mode = None
    temporary = os.path.join(folder, f".{name}.{os.getpid()}-{secrets.token_hex(4)}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            if mode is not None and hasattr(os, "fchmod"):
                os.fchmod(f.fileno(), mode)
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def load(path: PathLike) -> Module:
    """Read a model written by ``save``; any problem with the file is a ``ValueError``.

    Only a regular file (after symlinks) of at most ``MAX_FILE_BYTES`` is read.
    """
    where = f"load({os.fspath(path)!r})"
    # O_NONBLOCK: opening a FIFO must not wait for a writer; the check below refuses it anyway
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ValueError(f"{where}: not a regular file ({_file_kind(info.st_mode)})")
        if info.st_size > MAX_FILE_BYTES:
            raise ValueError(
                f"{where}: the file has {info.st_size:,} bytes; a model file is at most {MAX_FILE_BYTES:,}"
            )
    except BaseException:
        os.close(fd)
        raise
    with os.fdopen(fd, "rb") as f:
        data = f.read(MAX_FILE_BYTES + 1)  # a file still growing is cut here
    if len(data) > MAX_FILE_BYTES:
        raise ValueError(f"{where}: the file has over {MAX_FILE_BYTES:,} bytes, the most a model file has")
    remove_stale_temporaries(os.path.realpath(path))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ValueError(f"{where}: file is not UTF-8 text ({e.reason})") from None
    return from_json(text, repr(os.fspath(path)))


def remove_stale_temporaries(target: str) -> None:
    """Remove ``save``'s temporary files of ``target`` left by a process that died mid-write.

    A temporary file ``.NAME.PID-XXXXXXXX.tmp`` is stale when process PID no longer runs (POSIX),
    or when it is older than ``STALE_SECONDS`` (any name ``.NAME.*.tmp``: other systems, older
    versions, a reused PID). The temporary file of a save still running is left alone.
    """
    folder, name = os.path.split(target)
    prefix = f".{name}."
    try:
        entries = [e for e in os.listdir(folder) if e.startswith(prefix) and e.endswith(".tmp")]
    except OSError:
        return
    for entry in entries:
        full = os.path.join(folder, entry)
        try:
            old = time.time() - os.lstat(full).st_mtime > STALE_SECONDS
        except OSError:
            continue  # gone already
        if old or _writer_is_gone(entry[len(prefix) : -len(".tmp")]):
            with contextlib.suppress(OSError):
                os.unlink(full)


def _writer_is_gone(tag: str) -> bool:
    """Whether the process named in a temporary file's ``PID-XXXXXXXX`` tag has ended (POSIX only)."""
    pid_text, dash, _ = tag.partition("-")
    if os.name != "posix" or not dash or not pid_text.isdigit():
        return False  # cannot tell: only age makes it stale
    pid = int(pid_text)
    if pid == os.getpid():
        return False  # this process: maybe another thread's save
    try:
        os.kill(pid, 0)  # signal 0: asks whether the process exists, sends nothing
    except ProcessLookupError:
        return True
    except (PermissionError, OverflowError, OSError):
        return False
    return False


def _file_kind(mode: int) -> str:
    """'a folder', 'a character device' ... for a file that is not regular."""
    kinds = [
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISFIFO, "a pipe"),
        (stat.S_ISSOCK, "a socket"),
    ]
    return next((kind for test, kind in kinds if test(mode)), "not a regular file")


# --- checking the document ------------------------------------------------------------------------


def _parse(text: str, where: str) -> Any:
    def reject_constant(name: str) -> None:
        raise ValueError(f"{name} is not allowed in a model file")  # load names the file once, below

    def no_repeats(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        keys = [k for k, _ in pairs]
        if len(set(keys)) != len(keys):
            raise ValueError("a key appears twice in one object")
        return dict(pairs)

    try:
        return json.loads(text, parse_constant=reject_constant, object_pairs_hook=no_repeats)
    except json.JSONDecodeError as e:
        raise ValueError(f"{where}: not valid JSON (truncated or corrupt?): {e}") from None
    except ValueError as e:  # e.g. an integer longer than Python's digit limit
        raise ValueError(f"{where}: {e}") from None
    except RecursionError:
        raise ValueError(f"{where}: JSON nested too deeply") from None


def _builder(kind: object, config: object, n_weights: int, where: str) -> Callable[[], Module]:
    """A function making the model, once the config is known to be sound and to fit the weights."""
    if not isinstance(config, dict):
        raise ValueError(f"{where}: config must be an object, got {type(config).__name__}")

    def field(name: str) -> Any:
        if name not in config:
            raise ValueError(f"{where}: config is missing {name!r}")
        return config[name]

    def size(x: object, what: str) -> int:
        if isinstance(x, bool) or not isinstance(x, int) or x < 1:
            raise ValueError(f"{where}: {what} must be a positive int, got {x!r}")
        return x

    def activation(x: object) -> str:
        if x not in ("relu", "tanh", "sigmoid", "linear"):
            raise ValueError(f"{where}: unknown activation {x!r}")
        return str(x)

    if kind == "Neuron":
        nin, act = size(field("nin"), "nin"), activation(field("activation"))
        count = nin + 1
        result: Callable[[], Module] = partial(Neuron, nin, activation=act)
    elif kind == "Layer":
        nin, nout = size(field("nin"), "nin"), size(field("nout"), "nout")
        act = activation(field("activation"))
        count = (nin + 1) * nout
        result = partial(Layer, nin, nout, activation=act)
    elif kind == "MLP":
        nin, nouts, acts = field("nin"), field("nouts"), field("activation")
        if not isinstance(nouts, list) or not nouts:
            raise ValueError(f"{where}: nouts must be a non-empty list, got {nouts!r}")
        if not isinstance(acts, list) or len(acts) != len(nouts):
            raise ValueError(f"{where}: activation must be a list of {len(nouts)} names, got {acts!r}")
        sizes = [size(nin, "nin")] + [size(n, "each of nouts") for n in nouts]
        names = [activation(a) for a in acts]
        count = 0
        for fan_in, fan_out in itertools.pairwise(sizes):
            count += (fan_in + 1) * fan_out
            if count > n_weights:
                break  # stop early: a hostile config can make this count astronomically large
        result = partial(MLP, sizes[0], sizes[1:], activation=names)
    else:
        raise ValueError(f"{where}: unknown model type {kind!r} (expected Neuron, Layer or MLP)")
    if count != n_weights:
        raise ValueError(f"{where}: config needs {count} parameters but state_dict has {n_weights}")
    return result
