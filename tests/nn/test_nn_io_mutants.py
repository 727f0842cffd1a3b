"""Mutation-testing holes of nn's file, bridge, compiled-loss, comparison and GPT modules (issue 23).

Each test pins a behaviour a user sees (a model file read back with its numbers, the exact text of an
error, a gradient derived by hand) that a surviving mutant of ``nn/serialize.py``,
``nn/torch_bridge.py``, ``nn/compiled.py``, ``nn/compare.py`` or ``nn/gpt.py`` changed unnoticed.
"""

from __future__ import annotations

import inspect
import json
import math
import os
import random
import time
from typing import Any

import pytest

import nn
from autograd import Value
from autograd.trace import REUSE_NAMES_ABOVE
from nn import compiled as nn_compiled
from nn import gpt, serialize

# --- nn/serialize.py ------------------------------------------------------------------------------


def _document(model: nn.Module) -> dict[str, Any]:
    return json.loads(serialize.to_json(model))  # type: ignore[no-any-return]


def _load_text(tmp_path: Any, document: object) -> nn.Module:
    path = tmp_path / "m.json"
    path.write_text(json.dumps(document))
    return serialize.load(path)


def _error(tmp_path: Any, document: object) -> str:
    with pytest.raises(ValueError) as info:
        _load_text(tmp_path, document)
    return str(info.value)


@pytest.mark.parametrize(
    ("model", "kind", "config", "count"),
    [
        (nn.Neuron(3, activation="tanh", seed=1), "Neuron", {"nin": 3, "activation": "tanh"}, 4),
        (
            nn.Layer(2, 3, activation="sigmoid", seed=1),
            "Layer",
            {"nin": 2, "nout": 3, "activation": "sigmoid"},
            9,
        ),
    ],
)
def test_a_neuron_and_a_layer_are_written_and_read_back(tmp_path, model, kind, config, count):
    document = _document(model)
    assert document["format"] == "chainrule.nn" and document["version"] == 1
    assert document["model"] == kind and document["config"] == config
    assert len(document["state_dict"]) == count  # (nin + 1) weights per neuron
    back = _load_text(tmp_path, document)
    assert type(back) is type(model) and back.state_dict() == model.state_dict()
    x = [0.5, -1.25, 2.0][: config["nin"]]
    out, again = model(x), back(x)
    outs = out if isinstance(out, list) else [out]
    agains = again if isinstance(again, list) else [again]
    assert [o.data for o in agains] == [o.data for o in outs]


def test_a_file_text_is_indented_json_without_nan():
    text = serialize.to_json(nn.Neuron(1, seed=0))
    assert text.startswith('{\n "format": "chainrule.nn",\n "version": 1,')  # indent=1


def _spoil(model: nn.Module, change: Any) -> dict[str, Any]:
    document = _document(model)
    change(document)
    return document


def test_the_config_errors_name_the_file_and_the_problem(tmp_path):
    where = f"load({str(tmp_path / 'm.json')!r})"
    mlp = nn.MLP(2, [3, 1], seed=0)
    cases = [
        (_spoil(mlp, lambda d: d["config"].pop("nouts")), "config is missing 'nouts'"),
        (_spoil(mlp, lambda d: d["config"].update(nouts=[])), "nouts must be a non-empty list, got []"),
        (_spoil(mlp, lambda d: d["config"].update(nouts=5)), "nouts must be a non-empty list, got 5"),
        (
            _spoil(mlp, lambda d: d["config"].update(nouts=[3, 0])),
            "each of nouts must be a positive int, got 0",
        ),
        (_spoil(mlp, lambda d: d["config"].update(nin=True)), "nin must be a positive int, got True"),
        (_spoil(mlp, lambda d: d["config"].update(nin=2.0)), "nin must be a positive int, got 2.0"),
        (
            _spoil(mlp, lambda d: d["config"].update(activation=["tanh"])),
            "activation must be a list of 2 names, got ['tanh']",
        ),
        (_spoil(mlp, lambda d: d.update(config=[2, [3, 1]])), "config must be an object, got list"),
        (_spoil(mlp, lambda d: d.update(model=7)), "unknown model type 7 (expected Neuron, Layer or MLP)"),
        (_spoil(mlp, lambda d: d.update(format="other")), "not a chainrule model file (format 'other')"),
        (_spoil(mlp, lambda d: d.update(version=True)), "unsupported format version True (expected 1)"),
        (_spoil(mlp, lambda d: d.update(state_dict=3)), "state_dict must be an object, got int"),
        (
            _spoil(mlp, lambda d: [d.pop(k) for k in ("model", "version")]),
            "missing key(s) ['version', 'model']",
        ),
        ([1], "expected a JSON object, got list"),
        (
            _spoil(nn.Neuron(2, seed=0), lambda d: d["config"].update(nin=3)),
            "config needs 4 parameters but state_dict has 3",
        ),
        (
            _spoil(nn.Layer(2, 3, seed=0), lambda d: d["config"].update(nout=2)),
            "config needs 6 parameters but state_dict has 9",
        ),
        (
            _spoil(nn.Layer(2, 3, seed=0), lambda d: d["config"].update(activation="gelu")),
            "unknown activation 'gelu'",
        ),
        (
            _spoil(nn.Neuron(2, seed=0), lambda d: d["config"].pop("activation")),
            "config is missing 'activation'",
        ),
    ]
    for document, message in cases:
        assert _error(tmp_path, document) == f"{where}: {message}"


def test_an_mlp_config_that_asks_for_more_weights_stops_counting_but_says_so(tmp_path):
    # 2 -> 3 -> 1 has 9 + 4 = 13 weights; 2 -> 3 -> 5 -> 1 has 9 + 20 + 6 = 35
    document = _spoil(
        nn.MLP(2, [3, 1], seed=0),
        lambda d: d["config"].update(nouts=[3, 5, 1], activation=["tanh", "tanh", "linear"]),
    )
    message = _error(tmp_path, document)
    assert message.endswith("parameters but state_dict has 13")
    count = int(message.split("config needs ")[1].split(" ")[0])
    assert count > 13  # the count stops once it passes the file's, which is enough to refuse


def test_a_weight_that_is_not_a_number_names_the_file_and_the_weight(tmp_path):
    document = _spoil(nn.Neuron(1, seed=0), lambda d: d["state_dict"].update(b="x"))
    where = f"load({str(tmp_path / 'm.json')!r})"
    assert _error(tmp_path, document) == f"{where}: Neuron.load_state_dict: 'b' must be a number, got str 'x'"


def test_json_errors_name_the_file_once(tmp_path):
    """NaN, Infinity or a repeated key named the file twice before: 'load(f): load(f): ...'."""
    path = tmp_path / "m.json"
    where = f"load({str(path)!r})"
    for text, message in [
        ('{"a": Infinity}', "Infinity is not allowed in a model file"),
        ('{"a": -Infinity}', "-Infinity is not allowed in a model file"),
        ('{"a": {"b": 1, "b": 1}}', "a key appears twice in one object"),
    ]:
        path.write_text(text)
        with pytest.raises(ValueError) as info:
            serialize.load(path)
        assert str(info.value) == f"{where}: {message}"
    path.write_text('{"a": ')
    with pytest.raises(ValueError) as info:
        serialize.load(path)
    assert str(info.value).startswith(f"{where}: not valid JSON (truncated or corrupt?): Expecting value")
    path.write_text("1" * 5000)  # past Python's integer digit limit
    with pytest.raises(ValueError) as info:
        serialize.load(path)
    assert str(info.value).startswith(f"{where}: ") and "digit" in str(info.value)
    path.write_bytes(b'{"a": "\xff"}')
    with pytest.raises(ValueError) as info:
        serialize.load(path)
    assert str(info.value) == f"{where}: file is not UTF-8 text (invalid start byte)"


def test_from_json_names_its_source():
    with pytest.raises(ValueError) as info:
        serialize.from_json("[]")
    assert str(info.value) == "load(<string>): expected a JSON object, got list"


def test_save_writes_a_new_file_with_the_umask_mode_and_leaves_no_temporary(tmp_path):
    old = os.umask(0o022)
    try:
        path = tmp_path / "new.json"
        serialize.save(nn.Neuron(2, seed=3), path)
    finally:
        os.umask(old)
    assert os.stat(path).st_mode & 0o777 == 0o644
    assert os.listdir(tmp_path) == ["new.json"]
    assert serialize.load(path).state_dict() == nn.Neuron(2, seed=3).state_dict()


def test_save_keeps_a_read_only_mode(tmp_path):
    path = tmp_path / "m.json"
    serialize.save(nn.Neuron(1, seed=0), path)
    os.chmod(path, 0o600)
    serialize.save(nn.Neuron(1, seed=1), path)
    assert os.stat(path).st_mode & 0o777 == 0o600
    assert serialize.load(path).state_dict() == nn.Neuron(1, seed=1).state_dict()


def test_the_liveness_check_sends_no_signal(tmp_path, monkeypatch):
    """``os.kill(pid, 0)`` only asks whether a process exists; any other number is a real signal
    (1 is SIGHUP: it would hang up the process that owns the temporary file). Stands first among
    the tests that ask about live processes, so a mutant sending one fails here before those run."""
    sent: list[tuple[int, int]] = []
    monkeypatch.setattr(os, "kill", lambda pid, sig: sent.append((pid, sig)))  # every pid "alive"
    temporary = tmp_path / ".m.json.424242-0123abcd.tmp"
    temporary.write_text("x")
    assert serialize._writer_is_gone("424242-0123abcd") is False
    serialize.save(nn.Neuron(1, seed=0), tmp_path / "m.json")
    assert sent == [(424242, 0), (424242, 0)] and temporary.exists()


def test_save_names_its_temporary_file_as_documented(tmp_path, monkeypatch):
    """The module docstring: ``.NAME.PID-XXXXXXXX.tmp``, eight hex digits (``token_hex(4)``)."""
    import re

    made: list[str] = []
    real = os.replace
    monkeypatch.setattr(os, "replace", lambda src, dst: (made.append(src), real(src, dst)))
    serialize.save(nn.Neuron(1, seed=0), tmp_path / "m.json")
    serialize.save(nn.Neuron(1, seed=0), tmp_path / "m.json")
    names = [os.path.basename(m) for m in made]
    pattern = rf"\.m\.json\.{os.getpid()}-[0-9a-f]{{8}}\.tmp"
    assert len(names) == 2 and all(re.fullmatch(pattern, n) for n in names), names


def test_a_failed_save_whose_temporary_is_gone_raises_its_own_error(tmp_path, monkeypatch):
    """A disk that fills mid-write: the temporary file is removed (here it is gone already, so
    its removal fails with FileNotFoundError, which is ignored) and the disk's error is what the
    caller gets, not an error of the clean-up; the file saved before is untouched."""
    import errno

    path = tmp_path / "m.json"
    serialize.save(nn.Neuron(1, seed=0), path)
    before = path.read_text()

    def full_disk(fd: int) -> None:
        for entry in os.listdir(tmp_path):
            if entry.endswith(".tmp"):
                os.unlink(tmp_path / entry)
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(OSError) as info:
        serialize.save(nn.Neuron(1, seed=1), path)
    assert type(info.value) is OSError and info.value.errno == errno.ENOSPC
    assert path.read_text() == before and os.listdir(tmp_path) == ["m.json"]


def test_a_layer_configs_sizes_are_named_in_the_error(tmp_path):
    where = f"load({str(tmp_path / 'm.json')!r})"
    layer = nn.Layer(2, 3, seed=0)
    for field, bad in [("nin", 0), ("nout", -1), ("nin", 2.5), ("nout", True)]:
        document = _spoil(layer, lambda d: d["config"].update({field: bad}))
        assert _error(tmp_path, document) == f"{where}: {field} must be a positive int, got {bad!r}"


def _gone_pid() -> int:
    pid = 4_000_000
    while True:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return pid
        except OSError:
            pass
        pid -= 1


def test_stale_temporaries_of_a_dead_writer_or_an_old_age_go_and_the_others_stay(tmp_path):
    target = tmp_path / "m.json"
    dead = tmp_path / f".m.json.{_gone_pid()}-0123abcd.tmp"
    mine = tmp_path / f".m.json.{os.getpid()}-0123abcd.tmp"
    alive = tmp_path / f".m.json.{os.getppid()}-0123abcd.tmp"
    odd = tmp_path / ".m.json.notapid.tmp"
    nodash = tmp_path / f".m.json.{_gone_pid()}.tmp"
    old = tmp_path / ".m.json.whatever.tmp"
    other = tmp_path / ".n.json.1-0123abcd.tmp"
    notmp = tmp_path / f".m.json.{_gone_pid()}-0123abcd.tmpx"
    for f in (dead, mine, alive, odd, nodash, old, other, notmp):
        f.write_text("x")
    hour = time.time() - serialize.STALE_SECONDS - 60
    os.utime(old, (hour, hour))
    recent = time.time() - serialize.STALE_SECONDS + 60  # under an hour: kept
    os.utime(odd, (recent, recent))
    serialize.remove_stale_temporaries(str(target))
    left = sorted(os.listdir(tmp_path))
    assert left == sorted(f.name for f in (mine, alive, odd, nodash, other, notmp))


def test_writer_is_gone_reads_the_pid_before_the_dash():
    gone = _gone_pid()
    assert serialize._writer_is_gone(f"{gone}-abcd") is True
    assert serialize._writer_is_gone(f"{os.getpid()}-abcd") is False
    assert serialize._writer_is_gone(f"{os.getppid()}-abcd") is False
    assert serialize._writer_is_gone(f"{gone}") is False
    assert serialize._writer_is_gone(f"{gone}-ab-cd") is True  # the pid is what comes before the first dash
    assert serialize._writer_is_gone("x1-abcd") is False
    assert serialize._writer_is_gone(f"{10**30}-abcd") is False  # OverflowError: cannot tell


def test_remove_stale_temporaries_of_a_missing_folder_does_nothing(tmp_path):
    serialize.remove_stale_temporaries(str(tmp_path / "no" / "m.json"))


def test_file_kinds_are_named():
    import stat

    assert serialize._file_kind(stat.S_IFDIR) == "a folder"
    assert serialize._file_kind(stat.S_IFCHR) == "a character device"
    assert serialize._file_kind(stat.S_IFBLK) == "a block device"
    assert serialize._file_kind(stat.S_IFIFO) == "a pipe"
    assert serialize._file_kind(stat.S_IFSOCK) == "a socket"
    assert serialize._file_kind(stat.S_IFREG) == "not a regular file"


def test_model_config_refuses_other_modules_by_name():
    class Other(nn.Module):
        pass

    with pytest.raises(TypeError) as info:
        serialize.model_config(Other())
    assert str(info.value) == "save: can save a Neuron, Layer or MLP, got Other"


def test_save_refuses_an_infinite_weight_naming_it(tmp_path):
    model = nn.Neuron(1, seed=0)
    model.b.data = math.inf
    with pytest.raises(ValueError) as info:
        serialize.save(model, tmp_path / "m.json")
    assert str(info.value) == "save: 'b' must be finite, got inf"
    assert os.listdir(tmp_path) == []


# --- nn/gpt.py ------------------------------------------------------------------------------------


def _probe_parameters(column0: dict[int, float]) -> dict[str, Any]:
    """Every weight 0 but wpe[pos][0] = 1 and lm_head[t][0] = column0[t]: the block then passes
    x = rmsnorm(e_0) = e_0 / sqrt(1/16 + 1e-5) straight through (the attention and the MLP add 0), so
    the logits are z_t = column0[t] / sqrt(1/16 + 1e-5) at every position, whatever the tokens."""
    params = gpt.gpt_parameters(Value, seed=0)
    for matrix in params.values():
        for row in matrix:
            for p in row:
                p.data = 0.0
    for row in params["wpe"]:
        row[0].data = 1.0
    for t, x in column0.items():
        params["lm_head"][t][0].data = x
    return params


SCALE = 1.0 / math.sqrt(1.0 / 16 + 1e-5)


def test_next_logits_are_the_hand_derived_ones():
    params = _probe_parameters({0: 1.0, 3: -2.0, 26: 0.5})
    logits = gpt.next_logits(params, gpt.name_tokens("ada")[:3])
    expected = [0.0] * 27
    expected[0], expected[3], expected[26] = SCALE, -2.0 * SCALE, 0.5 * SCALE
    assert logits == pytest.approx(expected, rel=1e-12, abs=1e-15)
    assert all(p.grad == 0.0 for p in gpt.flat(params))


def test_the_loss_is_the_mean_cross_entropy_of_the_hand_derived_logits():
    params = _probe_parameters({0: 1.0, 3: -2.0})
    seq = gpt.name_tokens("ad")  # [26, 0, 3, 26]: predictions 0, 3, 26
    z = [0.0] * 27
    z[0], z[3] = SCALE, -2.0 * SCALE
    log_total = math.log(sum(math.exp(v) for v in z))
    expected = sum(log_total - z[t] for t in seq[1:]) / 3
    assert gpt.gpt_loss(params, seq).data == pytest.approx(expected, rel=1e-12)
    inputs, targets = gpt.one_hot(seq)
    assert gpt.gpt_loss_one_hot(params, inputs, targets).data == pytest.approx(expected, rel=1e-12)


def test_one_hot_rows_pair_each_token_with_the_next():
    inputs, targets = gpt.one_hot([26, 0, 3])
    assert len(inputs) == 2 and len(targets) == 2
    assert all(len(r) == 27 for r in inputs + targets)
    assert [r.index(1.0) for r in inputs] == [26, 0] and [r.index(1.0) for r in targets] == [0, 3]
    assert all(sorted(r) == [0.0] * 26 + [1.0] for r in inputs + targets)


def test_softmax_unshifted_is_exp_over_its_sum():
    out = gpt.softmax_unshifted([Value(0.0), Value(1.0), Value(-2.0)])
    total = 1.0 + math.e + math.exp(-2.0)
    assert [o.data for o in out] == pytest.approx(
        [1.0 / total, math.e / total, math.exp(-2.0) / total], rel=1e-14
    )


def test_the_one_hot_loss_has_the_node_engines_value_and_gradient():
    params = gpt.gpt_parameters(Value, seed=4)
    seq = gpt.name_tokens("bo")
    loss = gpt.gpt_loss(params, seq)
    loss.backward()
    grads = [p.grad for p in gpt.flat(params)]
    for p in gpt.flat(params):
        p.grad = 0.0
    again = gpt.gpt_loss_one_hot(params, *gpt.one_hot(seq))
    again.backward()
    assert again.data == pytest.approx(loss.data, rel=1e-12)
    assert [p.grad for p in gpt.flat(params)] == pytest.approx(grads, rel=1e-9, abs=1e-13)


def test_sample_writes_the_likeliest_letter_until_the_context_is_full_or_the_boundary_comes():
    rng = random.Random(0)
    assert gpt.sample(_probe_parameters({0: 10.0}), rng) == "a" * 15  # exp(-40/0.8): never anything else
    assert gpt.sample(_probe_parameters({26: 10.0}), rng) == ""


def test_sample_temperature_divides_the_logits():
    # z_boundary - z_a = 0.25 * SCALE ~ 1: at temperature 1 the boundary comes first with chance
    # e / (e + 1 + 25) ~ 0.1; at 1e-3 'a' is exp(-1000) times as likely and the rest less: "" always.
    params = _probe_parameters({0: 2.0, 26: 2.25})
    assert [gpt.sample(params, random.Random(s), temperature=1e-3) for s in range(6)] == [""] * 6


def test_sample_draws_at_temperature_0_8_by_default():
    # z_a = 30, z_boundary = 31, the rest 0 (weight e^-31): P(a) = 1 / (1 + e^(1/T)), 0.2227 at T = 0.8
    # and 0.3646 at T = 1.8. choices() takes 'a' (token 0, first) iff u * total < w_a, u = 0.3238 the
    # first draw of Random(7): the boundary at 0.8, an 'a' at 1.8.
    params = _probe_parameters({0: 30.0 / SCALE, 26: 31.0 / SCALE})
    assert random.Random(7).random() == pytest.approx(0.32383276483316237)
    assert gpt.sample(params, random.Random(7)) == ""
    assert gpt.sample(params, random.Random(7), temperature=1.8).startswith("a")


@pytest.mark.parametrize("bad", [0.0, -1.0, math.nan, math.inf])
def test_sample_refuses_a_temperature_that_is_not_positive_and_finite(bad):
    with pytest.raises(ValueError) as info:
        gpt.sample(_probe_parameters({}), random.Random(0), temperature=bad)
    assert str(info.value) == f"sample: temperature must be a positive number, got {bad!r}"


def test_the_shipped_names_are_read_from_the_package():
    names = gpt.names()
    assert len(names) == 270 and len(set(names)) == 270
    assert all(1 <= len(n) <= 15 and set(n) <= set(gpt.ALPHABET) for n in names)


# --- nn/compiled.py -------------------------------------------------------------------------------


def test_compiled_loss_adds_into_grad_and_counts_every_retrace():
    w = Value(1.0)

    def loss() -> Value:
        return (w - 2.0) * (w - 2.0) if w > 0.0 else -w  # d/dw: 2(w - 2), or -1 for w <= 0

    compiled = nn.CompiledLoss(loss, [w])
    assert compiled() == 1.0 and w.grad == -2.0
    assert compiled() == 1.0 and w.grad == -4.0  # added, as backward() adds
    w.data, w.grad = -3.0, 0.0
    assert compiled() == 3.0 and w.grad == -1.0 and compiled.retraces == 1
    w.data, w.grad = 3.0, 0.0
    assert compiled() == 1.0 and w.grad == 2.0 and compiled.retraces == 2


def test_shape_cached_loss_adds_into_grad_counts_retraces_and_returns_aux():
    w = Value(1.0)

    def loss(xs: list[Value]) -> tuple[Value, list[Value]]:
        total = sum(((w - x) * (w - x) for x in xs), Value(0.0))  # d/dw: sum 2(w - x)
        return (total if w > 0.0 else -w * len(xs)), xs

    compiled = nn.ShapeCachedLoss(loss, [w], has_aux=True, names=["weight"], max_shapes=1)
    value, aux = compiled([3.0, 0.0])
    assert value == 5.0 and list(aux) == [3.0, 0.0] and w.grad == -2.0  # 2(1-3) + 2(1-0)
    compiled([3.0, 0.0])
    assert w.grad == -4.0
    assert "weight" in compiled.source(((2, ((), ())),))
    w.data, w.grad = -1.0, 0.0
    assert compiled([3.0, 0.0])[0] == 2.0 and w.grad == -2.0 and compiled.retraces == 1
    w.data, w.grad = 1.0, 0.0
    assert compiled([3.0, 0.0])[0] == 5.0 and compiled.retraces == 2
    assert compiled([1.0])[0] == 0.0 and list(compiled.cache) == [((1, ((),)),)]  # max_shapes=1 evicts


def test_shape_cached_loss_tells_nested_shapes_apart():
    w = Value(2.0)
    compiled = nn.ShapeCachedLoss(lambda rows: sum((w * x for r in rows for x in r), Value(0.0)), [w])
    assert compiled([[1.0, 2.0]]) == 6.0
    assert compiled([[1.0, 2.0, 3.0]]) == 12.0 and w.grad == 3.0 + 6.0
    assert compiled.traces == 2


def test_shape_cached_loss_errors_are_exact():
    w = Value(1.0)
    with pytest.raises(ValueError) as info:
        nn.ShapeCachedLoss(lambda x: w * x, [w], names=["a", "b"])
    assert str(info.value) == "ShapeCachedLoss: 2 names for 1 parameters"
    with pytest.raises(TypeError) as info:
        nn.ShapeCachedLoss(lambda x: w * x, [w])(["a"])
    assert str(info.value) == "ShapeCachedLoss: data[0] must be numbers or sequences of numbers, got str"
    with pytest.raises(TypeError) as info:
        nn.ShapeCachedLoss(lambda x: w * x, [w], key=lambda *d: 0)(1.0, ["x"])
    assert str(info.value) == "ShapeCachedLoss: data[1] must be numbers or sequences of numbers, got 'x'"


def test_identifier_keeps_letters_of_either_case_and_digits():
    assert nn_compiled._identifier("layers.0.neurons.3.w.2") == "l0_n3_w2"
    assert nn_compiled._identifier("Emb.W-x") == "Emb_W_x"


def _weighted_sum(w: Value) -> nn.ShapeCachedLoss:
    """loss(xs) = w * x0 + w * x1 + ...: one product and one sum per number."""
    return nn.ShapeCachedLoss(lambda xs: sum((w * x for x in xs), Value(0.0)), [w])


def test_a_shape_cached_trace_is_named_loss_as_compiled_loss_names_it():
    """``CompiledLoss`` traces under the name ``loss``; so does ``ShapeCachedLoss``, in its code
    (``def loss_value_and_grad``) and in what the trace says to the learner."""
    w = Value(1.0)
    compiled = _weighted_sum(w)
    assert compiled([2.0]) == 2.0
    assert compiled.source(((1, ((),)),)).startswith("def loss_value_and_grad(")
    assert nn.CompiledLoss(lambda: w * 2.0, [w]).source().startswith("def loss_value_and_grad(")
    with pytest.raises(TypeError) as info:
        nn.ShapeCachedLoss(lambda xs: w * xs[0], [w], has_aux=True)([2.0])
    assert str(info.value).startswith("trace: with has_aux=True, loss must return (output, aux), got ")


def test_a_shape_cached_functions_source_is_its_own_code_with_every_name_kept():
    """``inspect.getsource`` (and a traceback) of a compiled shape reads the code it runs: each
    shape's own (two shapes compiled one after the other keep apart), with every value under its
    own name (``source(reuse_names=False)``), line by line."""
    w = Value(3.0)
    compiled = _weighted_sum(w)
    assert compiled([1.0]) == 3.0 and compiled([1.0, 2.0]) == 9.0
    for key, n in [(((1, ((),)),), 1), (((2, ((), ())),), 2)]:
        shape = compiled.cache[key]
        text = shape.trace.source(reuse_names=False)
        assert text.count(" * ") >= n  # each shape's own products
        assert inspect.getsource(shape.function) == text == compiled.source(key)


def test_a_long_shape_cached_trace_runs_with_every_name_kept():
    """Past ``REUSE_NAMES_ABOVE`` lines ``source()`` reuses dead names; the shape's compiled code
    still keeps every name (``_compile``'s docstring), as ``inspect.getsource`` shows."""

    w = Value(0.5)
    compiled = _weighted_sum(w)
    n = REUSE_NAMES_ABOVE // 2 + 1  # n products and n sums: past the threshold
    xs = [float(i) for i in range(n)]
    assert compiled(xs) == 0.5 * sum(xs) and w.grad == sum(xs)
    shape = compiled.cache[((n, ((),) * n),)]
    assert len(shape.trace.lines) > REUSE_NAMES_ABOVE
    kept = shape.trace.source(reuse_names=False)
    assert kept != shape.trace.source()
    assert inspect.getsource(shape.function) == kept


def test_a_shape_cached_function_runs_without_builtins():
    """As ``Trace.compile``'s (``trace_rules.HELPERS``: 'no builtins at all')."""
    w = Value(1.0)
    compiled = _weighted_sum(w)
    compiled([2.0])
    (shape,) = compiled.cache.values()
    assert shape.function.__globals__["__builtins__"] == {}


# --- nn/compare.py --------------------------------------------------------------------------------


def _neuron_and_loss() -> tuple[nn.Module, Any]:
    neuron = nn.Neuron(1, activation="linear", seed=0)
    xs, ys = [-1.0, 2.0], [1.0, 0.5]
    return neuron, lambda: sum(((neuron([x]) - y) ** 2 for x, y in zip(xs, ys)), Value(0.0))


def test_compare_optimizers_errors_are_exact():
    neuron, loss = _neuron_and_loss()
    cases: list[tuple[dict[str, Any], type[Exception], str]] = [
        ({"loss": 3}, TypeError, "compare_optimizers: loss must be a function of no arguments, got 3"),
        (
            {"optimizers": "adam"},
            TypeError,
            "compare_optimizers: optimizers must be a list of names or a dict "
            "of name: hyperparameters, got 'adam'",
        ),
        ({"optimizers": []}, ValueError, "compare_optimizers: optimizers is empty; name at least one"),
        (
            {"optimizers": {"sgd": 3}},
            TypeError,
            "compare_optimizers: the hyperparameters of 'sgd' must be a dict, got 3",
        ),
        ({"grid": 1}, ValueError, "compare_optimizers: grid must be 0 (no surface) or >= 2, got 1"),
        ({"grid": -1}, ValueError, "compare_optimizers: grid must be >= 0, got -1"),
        ({"grid": 2.0}, TypeError, "compare_optimizers: grid must be an int, got float 2.0"),
    ]
    for kwargs, kind, message in cases:
        with pytest.raises(kind) as info:
            nn.compare_optimizers(neuron, kwargs.pop("loss", loss), **kwargs)
        assert str(info.value) == message


def test_the_defaults_are_100_steps_and_a_40_by_40_exact_surface():
    neuron, loss = _neuron_and_loss()
    result = nn.compare_optimizers(neuron, loss, {"sgd": {"lr": 0.05}})
    run = result["runs"][0]
    assert len(run["loss"]) == 101 and run["steps_taken"] == 100 and run["optimizer"] == "SGD"
    assert run["hyper"]["lr"] == 0.05
    surface = result["surface"]
    assert len(surface["axes"][0]) == 40 and len(surface["values"]) == 40 and surface["evaluations"] == 1600
    assert 0.0 <= surface["seconds"] < 60.0
    # the exact surface's axes: the path's range padded by max(15% of it, 0.25), 40 even steps
    for axis in (0, 1):
        seen = [theta[axis] for theta in run["params"]]
        low, high = min(seen), max(seen)
        pad = max(0.15 * (high - low), 0.25)
        axes = surface["axes"][axis]
        assert axes[0] == pytest.approx(low - pad) and axes[-1] == pytest.approx(high + pad)
        assert axes[1] - axes[0] == pytest.approx((high - low + 2 * pad) / 39)
    # values[j][i]: the loss at w = axes[0][i], b = axes[1][j], by hand
    w, b = surface["axes"][0][7], surface["axes"][1][31]
    assert surface["values"][31][7] == pytest.approx((b - w - 1.0) ** 2 + (2 * w + b - 0.5) ** 2, rel=1e-12)


def test_the_pca_surface_explains_the_share_numpy_gives():
    np = pytest.importorskip("numpy")
    model = nn.MLP(1, [2, 1], activation="tanh", seed=3)
    xs, ys = [[-1.0], [0.5], [2.0]], [0.2, -0.4, 0.9]

    def loss() -> Value:
        return sum(((model(x) - y) ** 2 for x, y in zip(xs, ys)), Value(0.0))  # type: ignore[operator]

    result = nn.compare_optimizers(model, loss, ["momentum", "adam"], steps=15, grid=3)
    start = np.array(result["start"])
    rows = np.array([theta for run in result["runs"] for theta in run["params"]]) - start
    sigma = np.linalg.svd(rows, compute_uv=False)
    surface = result["surface"]
    assert surface["kind"] == "pca"
    assert surface["explained"] == pytest.approx((sigma[0] ** 2 + sigma[1] ** 2) / (sigma**2).sum(), rel=1e-9)
    a = surface["paths"][0][-1]
    d = np.array(surface["directions"])
    assert a == pytest.approx(list(d @ (np.array(result["runs"][0]["params"][-1]) - start)), abs=1e-12)
    for axis in (0, 1):
        seen = [xy[axis] for path in surface["paths"] for xy in path]
        low, high = min(seen), max(seen)
        pad = max(0.15 * (high - low), 0.05 * max(abs(low), abs(high), 1e-3))
        assert surface["axes"][axis] == pytest.approx([low - pad, (low + high) / 2, high + pad], abs=1e-12)
    # the middle of the grid is theta_0 + mid_a d_1 + mid_b d_2: the loss there, from the Values
    theta = start + surface["axes"][0][1] * d[0] + surface["axes"][1][1] * d[1]
    for p, x in zip(model.parameters(), theta):
        p.data = float(x)
    assert surface["values"][1][1] == pytest.approx(loss().data, rel=1e-12)


# --- nn/torch_bridge.py ---------------------------------------------------------------------------


def test_without_torch_each_direction_names_itself_and_the_install(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "torch", None)  # import torch now raises ImportError
    for call, where in [
        (lambda: nn.MLP(1, [1], seed=0).to_torch(), "MLP.to_torch"),
        (lambda: nn.MLP.from_torch(object()), "MLP.from_torch"),
    ]:
        with pytest.raises(ImportError) as info:
            call()
        assert str(info.value) == (
            f"{where} needs PyTorch, which is not installed: pip install torch (or pip install 'chainrule[torch]')"
        )


@pytest.mark.torch
def test_to_torch_keeps_a_bias_in_float64():
    torch = pytest.importorskip("torch")
    model = nn.MLP(1, [1], activation="linear", seed=0)
    model.layers[0].neurons[0].b.data = 0.1  # not a float32 number
    seq = model.to_torch()
    assert seq[0].bias.dtype == torch.float64 and seq[0].bias.item() == 0.1


@pytest.mark.torch
def test_from_torch_reads_a_float32_network_exactly_and_names_what_it_refuses():
    torch = pytest.importorskip("torch")
    linear = torch.nn.Linear(1, 1)
    with torch.no_grad():
        linear.weight.fill_(0.1)
        linear.bias.fill_(-0.3)
    model = nn.MLP.from_torch(torch.nn.Sequential(linear, torch.nn.Tanh()))
    assert model.state_dict() == {
        "layers.0.neurons.0.w.0": float(torch.tensor(0.1, dtype=torch.float32)),
        "layers.0.neurons.0.b": float(torch.tensor(-0.3, dtype=torch.float32)),
    }
    assert model.layers[0].activation == "tanh"
    for seq, message in [
        (torch.nn.Sequential(torch.nn.ReLU()), "MLP.from_torch: module 0 (ReLU) must follow a Linear"),
        (
            torch.nn.Sequential(torch.nn.GELU()),
            "MLP.from_torch: module 0 is GELU; only Linear, ReLU, Tanh, Sigmoid and Identity can be converted",
        ),
        (torch.nn.Sequential(), "MLP.from_torch: the Sequential has no Linear layer"),
    ]:
        with pytest.raises(ValueError) as info:
            nn.MLP.from_torch(seq)
        assert str(info.value) == message


@pytest.mark.torch
def test_from_torch_refuses_a_complex_linear_and_reads_half_precision_exactly():
    """A complex Linear was read with its imaginary parts dropped (another function, silently);
    a float16 or bfloat16 Linear is read number for number (each of its values is a float64 one)."""
    torch = pytest.importorskip("torch")
    for dtype in (torch.complex64, torch.complex128):
        linear = torch.nn.Linear(1, 1, dtype=dtype)
        with torch.no_grad():
            linear.weight.fill_(1 + 2j)
        with pytest.raises(ValueError) as info:
            nn.MLP.from_torch(torch.nn.Sequential(torch.nn.Linear(1, 1), linear))
        assert (
            str(info.value)
            == f"MLP.from_torch: module 1 is a Linear of {dtype} numbers; chainrule's weights are real"
        )
    linear = torch.nn.Linear(1, 1)  # real weights, a complex bias
    linear.bias = torch.nn.Parameter(torch.zeros(1, dtype=torch.complex64))
    with pytest.raises(ValueError) as info:
        nn.MLP.from_torch(torch.nn.Sequential(linear))
    assert (
        str(info.value)
        == "MLP.from_torch: module 0 is a Linear of torch.complex64 numbers; chainrule's weights are real"
    )
    for dtype in (torch.float16, torch.bfloat16):
        linear = torch.nn.Linear(2, 1, dtype=dtype)
        with torch.no_grad():
            linear.weight.copy_(torch.tensor([[0.1, -3.3]]))
            linear.bias.fill_(0.7)
        model = nn.MLP.from_torch(torch.nn.Sequential(linear))
        assert list(model.state_dict().values()) == [
            float(torch.tensor(x, dtype=dtype)) for x in (0.1, -3.3, 0.7)
        ]


def test_an_mlp_config_with_a_layer_past_the_files_weights_is_refused(tmp_path):
    # 2 -> 3 -> 1 uses the file's 13 weights exactly; one more layer (1 -> 2) needs 4 more: 17
    document = _spoil(
        nn.MLP(2, [3, 1], seed=0),
        lambda d: d["config"].update(nouts=[3, 1, 2], activation=["tanh", "linear", "linear"]),
    )
    where = f"load({str(tmp_path / 'm.json')!r})"
    assert _error(tmp_path, document) == f"{where}: config needs 17 parameters but state_dict has 13"


def test_save_writes_its_temporary_file_beside_the_target(tmp_path, monkeypatch):
    elsewhere = tmp_path / "cwd"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    replaced: list[tuple[str, str]] = []
    real = os.replace

    def spy(src: str, dst: str) -> None:
        replaced.append((src, dst))
        real(src, dst)

    monkeypatch.setattr(os, "replace", spy)
    serialize.save(nn.Neuron(1, seed=0), tmp_path / "m.json")
    ((src, dst),) = replaced
    assert os.path.dirname(src) == str(tmp_path) and dst == str(tmp_path / "m.json")


def test_read_names_messages_show_40_letters_and_the_default_source():
    long = "a" * 45
    with pytest.raises(ValueError) as info:
        gpt.read_names([long])
    assert str(info.value) == (
        f"<names>, line 1: {'a' * 40!r} has 45 letters; the model's context of 16 positions holds names of at most 15"
    )
    with pytest.raises(ValueError) as info:
        gpt.read_names(["", long + "1"])
    assert str(info.value) == f"<names>, line 2: {'a' * 40!r} has '1'; a name is letters a to z"
    with pytest.raises(ValueError) as info:
        gpt.read_names(["# only a comment"])
    assert str(info.value) == "<names>: no names in it (one name a line, letters a to z)"
    assert gpt.read_names(["b" * 15]) == ["b" * 15]  # 15 letters fit the context


def test_train_refuses_bad_arguments_by_name():
    params = _probe_parameters({})
    for kwargs, message in [
        ({"names": ["ab"], "steps": -1}, "train: steps must be a whole number >= 0, got -1"),
        ({"names": ["ab"], "steps": True}, "train: steps must be a whole number >= 0, got True"),
        ({"names": [], "steps": 1}, "train: names is empty; give at least one name"),
        ({"names": ["ab", ""], "steps": 1}, "train: '' is not a name of 1 to 15 letters a to z"),
        ({"names": ["a" * 16], "steps": 1}, f"train: {'a' * 16!r} is not a name of 1 to 15 letters a to z"),
        ({"names": ["a1"], "steps": 1}, "train: 'a1' is not a name of 1 to 15 letters a to z"),
        ({"names": [3], "steps": 1}, "train: 3 is not a name of 1 to 15 letters a to z"),
    ]:
        with pytest.raises(ValueError) as info:
            gpt.train(params, **kwargs)
        assert str(info.value) == message
    assert gpt.train(params, ["a", "b" * 15, gpt.ALPHABET[:15]], 0).losses == []  # 1 and 15 letters are names


def test_train_reports_each_step_from_1_and_stops_when_told():
    params = _probe_parameters({0: 1.0, 26: -1.0})
    first = gpt.gpt_loss(params, gpt.name_tokens("a")).data  # the loss at the starting weights
    seen: list[tuple[int, float]] = []
    run = gpt.train(params, ["a"], 5, on_step=lambda i, loss: seen.append((i, loss)) or i < 2)
    assert [i for i, _ in seen] == [1, 2] and run.losses == [loss for _, loss in seen]
    assert run.losses[0] == pytest.approx(first, rel=1e-12) and run.diverged == "" and run.traces == 0
    assert run.losses[1] < run.losses[0]  # Adam's first step went downhill
