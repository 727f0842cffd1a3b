"""Hostile and careless input to nn (issue 15): saves that cannot lose a model, optimizers that
update with numbers, and clear errors for weights that are not finite floats."""

from __future__ import annotations

import errno
import json
import math
import os

import pytest

import nn
from autograd import Value
from nn import serialize


def _model(seed: int = 0, width: int = 3) -> nn.MLP:
    return nn.MLP(2, [width, 1], activation="tanh", seed=seed)


# --- nn.save: all or nothing ----------------------------------------------------------------------


class _HalfThenInterrupt:
    """A file whose write() writes part of the text, flushes it, then raises ``error``."""

    error: BaseException = KeyboardInterrupt()
    room = None  # how many characters fit; None: half the text

    def __init__(self, f):
        self.f = f

    def write(self, text):
        self.f.write(text[: self.room if self.room is not None else len(text) // 2])
        self.f.flush()
        raise self.error

    def __getattr__(self, name):
        return getattr(self.f, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.f.close()


def test_save_interrupted_mid_write_keeps_the_old_model(tmp_path, monkeypatch):
    path = tmp_path / "model.json"
    old = _model(seed=1)
    nn.save(old, path)
    before = path.read_bytes()

    real_open, real_fdopen = open, os.fdopen
    monkeypatch.setattr(
        serialize, "open", lambda *a, **k: _HalfThenInterrupt(real_open(*a, **k)), raising=False
    )
    monkeypatch.setattr(os, "fdopen", lambda *a, **k: _HalfThenInterrupt(real_fdopen(*a, **k)))
    with pytest.raises(KeyboardInterrupt):
        nn.save(_model(seed=2, width=50), path)
    monkeypatch.undo()

    assert path.read_bytes() == before  # the good model is still there, whole
    assert nn.load(path).state_dict() == old.state_dict()
    assert os.listdir(tmp_path) == ["model.json"]  # no temporary file left behind


class _FullDisk(_HalfThenInterrupt):
    error = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    room = 16 * 1024


def test_save_onto_a_full_disk_keeps_the_old_model(tmp_path, monkeypatch):
    """A full disk, simulated: after 16 KiB, write fails with ENOSPC as on a 16 KiB tmpfs.

    (Mounting a real tmpfs needs CAP_SYS_ADMIN, which the test sandbox does not grant.)
    """
    path = tmp_path / "model.json"
    old = _model(seed=1)
    nn.save(old, path)
    before = path.read_bytes()

    real_open, real_fdopen = open, os.fdopen
    monkeypatch.setattr(serialize, "open", lambda *a, **k: _FullDisk(real_open(*a, **k)), raising=False)
    monkeypatch.setattr(os, "fdopen", lambda *a, **k: _FullDisk(real_fdopen(*a, **k)))
    with pytest.raises(OSError) as caught:
        nn.save(_model(seed=2, width=200), path)
    monkeypatch.undo()
    assert caught.value.errno == errno.ENOSPC
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["model.json"]


def test_save_replaces_the_file_and_keeps_usual_permissions(tmp_path):
    path = tmp_path / "model.json"
    nn.save(_model(seed=1), path)
    new = _model(seed=2)
    nn.save(new, path)
    assert nn.load(path).state_dict() == new.state_dict()
    umask = os.umask(0)
    os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask  # as open(path, "w") would create it


# --- optimizers update with numbers ---------------------------------------------------------------


@pytest.mark.parametrize(
    "make",
    [
        lambda p: nn.SGD(p, lr=0.1),
        lambda p: nn.Adam(p, lr=0.1),
        lambda p: nn.RMSprop(p, lr=0.1),
        lambda p: nn.SGD(p, lr=0.1, weight_decay=0.5),
    ],
)
def test_step_after_create_graph_keeps_parameters_floats(make, tmp_path):
    """After backward(create_graph=True) the grads are Values; a step must use their numbers.

    The same step taken with float grads is the independent answer."""
    model, twin = _model(seed=4), _model(seed=4)
    x = [0.5, -1.5]
    for m, create_graph in ((model, True), (twin, False)):
        optimizer = make(m.parameters())
        m(x).backward(create_graph=create_graph)
        optimizer.step()
    assert all(type(p.data) is float for p in model.parameters())
    assert model.state_dict() == pytest.approx(twin.state_dict(), rel=1e-15)
    model(x).backward()  # the next forward and backward still work
    nn.save(model, tmp_path / "m.json")  # and so does saving


def test_step_refuses_a_grad_that_is_not_a_number():
    p = Value(1.0)
    p.grad = "abc"  # type: ignore[assignment]
    optimizer = nn.SGD([Value(2.0), p], lr=0.1)
    with pytest.raises(TypeError, match=r"SGD.step: parameter 1 has grad 'abc', not a number"):
        optimizer.step()
    assert p.data == 1.0


def test_step_refuses_data_that_is_not_a_float():
    p = Value(1.0)
    p.data = Value(3.0)  # type: ignore[assignment]
    with pytest.raises(TypeError, match=r"Adam.step: parameter 0 has data Value\(data=3.0"):
        nn.Adam([p], lr=0.1).step()


# --- weights that are not finite floats -------------------------------------------------------------


def test_load_of_a_401_digit_weight_names_the_file_and_key(tmp_path):
    path = tmp_path / "big.json"
    nn.save(_model(), path)
    document = json.loads(path.read_text())
    document["state_dict"]["layers.0.neurons.1.w.0"] = 10**400
    path.write_text(json.dumps(document))
    with pytest.raises(
        ValueError, match=r"big\.json.*'layers\.0\.neurons\.1\.w\.0' is too large for a float"
    ):
        nn.load(path)


def test_load_of_a_weight_beyond_the_digit_limit_names_the_file(tmp_path):
    path = tmp_path / "huge.json"
    nn.save(_model(), path)
    text = path.read_text().replace(
        '"layers.0.neurons.0.b": ', '"layers.0.neurons.0.b": ' + "9" * 5000 + ', "x": ', 1
    )
    path.write_text(text)
    with pytest.raises(ValueError, match=r"huge\.json"):
        nn.load(path)


@pytest.mark.torch
@pytest.mark.parametrize("bad", [math.nan, math.inf])
def test_from_torch_refuses_non_finite_weights_as_load_does(torch, bad):
    seq = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.Tanh(), torch.nn.Linear(2, 1))
    with torch.no_grad():
        seq[2].weight[0, 1] = bad
    with pytest.raises(ValueError, match=r"'layers\.1\.neurons\.0\.w\.1' must be finite"):
        nn.MLP.from_torch(seq)


@pytest.mark.parametrize(
    ("bad", "words"), [(math.nan, "must be finite, got nan"), ("abc", "must be a number, got str 'abc'")]
)
def test_save_refuses_a_weight_load_would_refuse_and_keeps_the_old_file(bad, words, tmp_path):
    path = tmp_path / "model.json"
    model = _model()
    nn.save(model, path)
    before = path.read_bytes()
    model.layers[1].neurons[0].b.data = bad
    with pytest.raises(ValueError, match=rf"save: 'layers\.1\.neurons\.0\.b' {words}"):
        nn.save(model, path)
    assert path.read_bytes() == before


# --- nn.load reads a bounded regular file (issue 23) ------------------------------------------------


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero on this system")
def test_load_refuses_a_symlink_to_dev_zero_before_reading(tmp_path):
    link = tmp_path / "zero.json"
    link.symlink_to("/dev/zero")
    with pytest.raises(ValueError, match=r"zero.json'\): not a regular file \(a character device\)"):
        nn.load(link)  # it read until MemoryError before


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this system")
def test_load_refuses_a_pipe_without_waiting_for_a_writer(tmp_path):
    pipe = tmp_path / "pipe.json"
    os.mkfifo(pipe)
    with pytest.raises(ValueError, match=r"not a regular file \(a pipe\)"):
        nn.load(pipe)  # opening it for reading blocked forever before


def test_load_refuses_a_folder(tmp_path):
    with pytest.raises(ValueError, match=r"not a regular file \(a folder\)"):
        nn.load(tmp_path)


def test_load_refuses_a_file_over_the_limit_naming_it_and_the_size(tmp_path):
    path = tmp_path / "huge.json"
    with open(path, "wb") as f:
        f.truncate(serialize.MAX_FILE_BYTES + 1)  # sparse: no disk space used
    assert serialize.MAX_FILE_BYTES == 64 * 1024 * 1024  # the number docs/cli.md and the docstring give
    with pytest.raises(ValueError, match="the file has 67,108,865 bytes; a model file is at most 67,108,864"):
        nn.load(path)


def test_load_follows_a_symlink_to_a_model(tmp_path):
    model = _model(seed=3)
    nn.save(model, tmp_path / "real.json")
    (tmp_path / "link.json").symlink_to("real.json")
    assert nn.load(tmp_path / "link.json").state_dict() == model.state_dict()


@pytest.mark.parametrize(("version", "shown"), [(0, "0"), (True, "True"), (1.0, "1.0"), ("1", "'1'")])
def test_load_refuses_other_format_versions(tmp_path, version, shown):
    document = json.loads(serialize.to_json(_model()))
    document["version"] = version
    path = tmp_path / "old.json"
    path.write_text(json.dumps(document))
    with pytest.raises(ValueError, match=f"unsupported format version {shown} \\(expected 1\\)"):
        nn.load(path)


def test_load_refuses_nin_0(tmp_path):
    document = json.loads(serialize.to_json(nn.Neuron(1, seed=0)))
    document["config"]["nin"] = 0
    document["state_dict"] = {"b": 0.5}  # what a Neuron of no inputs would hold: the count fits
    path = tmp_path / "nin0.json"
    path.write_text(json.dumps(document))
    with pytest.raises(ValueError, match="nin must be a positive int, got 0"):
        nn.load(path)


# --- nn.save keeps the link, the mode, and no stale temporary file (issue 23) ----------------------


def test_save_through_a_symlink_replaces_the_target_and_keeps_the_link(tmp_path):
    (tmp_path / "models").mkdir()
    target = tmp_path / "models" / "real.json"
    nn.save(_model(seed=1), target)
    link = tmp_path / "link.json"
    link.symlink_to(target)
    new = _model(seed=2)
    nn.save(new, link)
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert nn.load(target).state_dict() == new.state_dict()
    assert sorted(os.listdir(tmp_path / "models")) == ["real.json"]


@pytest.mark.skipif(os.name != "posix", reason="permission bits are POSIX")
@pytest.mark.parametrize("mode", [0o600, 0o640, 0o444])
def test_save_keeps_the_files_permission_bits(tmp_path, mode):
    path = tmp_path / "model.json"
    nn.save(_model(seed=1), path)
    path.chmod(mode)
    nn.save(_model(seed=2), path)  # a read-only file is replaced too, as its folder is writable
    assert path.stat().st_mode & 0o777 == mode


def _dead_pid() -> int:
    import subprocess
    import sys

    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


@pytest.mark.skipif(os.name != "posix", reason="a process is asked whether it runs on POSIX only")
@pytest.mark.parametrize("then", ["save", "load"])
def test_save_or_load_removes_stale_temporary_files_and_keeps_live_ones(tmp_path, then):
    path = tmp_path / "model.json"
    nn.save(_model(seed=1), path)
    dead = tmp_path / f".model.json.{_dead_pid()}-0badc0de.tmp"  # left by kill -9
    old = tmp_path / ".model.json.1a2b3c4d.tmp"  # an older version's name, two hours old
    live = tmp_path / f".model.json.{os.getppid()}-12345678.tmp"  # a save still running
    other = tmp_path / ".other.json.1a2b3c4d.tmp"  # another file's: not ours to judge
    for stray in (dead, old, live, other):
        stray.write_text("{")
    os.utime(old, (0, 0))
    os.utime(other, (0, 0))
    if then == "save":
        nn.save(_model(seed=2), path)
    else:
        nn.load(path)
    assert sorted(os.listdir(tmp_path)) == sorted([".other.json.1a2b3c4d.tmp", live.name, "model.json"])


_KILLED_MID_SAVE = """
import os, sys, time
import nn
real_fsync = os.fsync
def hang(fd):
    print("writing", flush=True)
    time.sleep(60)
os.fsync = hang
nn.save(nn.MLP(2, [3, 1], seed=0), sys.argv[1])
"""


@pytest.mark.slow
@pytest.mark.skipif(os.name != "posix", reason="kill -9 is POSIX")
def test_a_save_killed_mid_write_leaves_a_temporary_file_the_next_load_removes(tmp_path):
    import signal
    import subprocess
    import sys

    path = tmp_path / "model.json"
    nn.save(_model(seed=1), path)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    child = subprocess.Popen(
        [sys.executable, "-c", _KILLED_MID_SAVE, str(path)], stdout=subprocess.PIPE, text=True, env=env
    )
    assert child.stdout is not None and child.stdout.readline() == "writing\n"
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert len(os.listdir(tmp_path)) == 2  # the model and the killed save's temporary file
    assert nn.load(path).state_dict() == _model(seed=1).state_dict()
    assert os.listdir(tmp_path) == ["model.json"]
