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
