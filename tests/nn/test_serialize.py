"""state_dict / load_state_dict and nn.save / nn.load: round trips, and every bad input refused."""

import json

import pytest

import nn


def weights(model):
    return [p.data for p in model.parameters()]


def test_state_dict_round_trip():
    a = nn.MLP(3, [4, 2], activation="tanh", seed=1)
    b = nn.MLP(3, [4, 2], activation="tanh", seed=2)
    assert weights(a) != weights(b)
    b.load_state_dict(a.state_dict())
    assert weights(a) == weights(b)
    assert list(a.state_dict()) == [name for name, _ in a.named_parameters()]


@pytest.mark.parametrize(
    "model",
    [
        nn.MLP(2, [5, 3, 1], activation=["sigmoid", "tanh", "linear"], seed=3),
        nn.Layer(3, 2, activation="sigmoid", seed=4),
        nn.Neuron(4, activation="tanh", seed=5),
    ],
)
def test_save_and_load_round_trip(tmp_path, model):
    path = tmp_path / "model.json"
    nn.save(model, path)
    loaded = nn.load(path)
    assert type(loaded) is type(model)
    assert repr(loaded) == repr(model)
    assert weights(loaded) == weights(model)  # JSON keeps every bit of a float (shortest repr)
    x = [0.3, -0.7, 1.1, 0.2][: model.nin]
    out, out2 = model(x), loaded(x)
    assert [v.data for v in (out if isinstance(out, list) else [out])] == [
        v.data for v in (out2 if isinstance(out2, list) else [out2])
    ]


def test_file_is_plain_json_with_format_version_and_architecture(tmp_path):
    path = tmp_path / "m.json"
    nn.save(nn.MLP(2, [3, 1], seed=0), path)
    doc = json.loads(path.read_text())
    assert doc["format"] == "chainrule.nn" and doc["version"] == 1 and doc["model"] == "MLP"
    assert doc["config"] == {"nin": 2, "nouts": [3, 1], "activation": ["relu", "linear"]}
    assert len(doc["state_dict"]) == 13


BAD_STATES = [
    (lambda s: s.pop("layers.0.neurons.0.b"), "missing keys \\['layers.0.neurons.0.b'\\]"),
    (lambda s: s.update({"layers.9.neurons.0.b": 1.0}), "unexpected keys \\['layers.9.neurons.0.b'\\]"),
    (lambda s: s.update({"layers.1.neurons.0.w.2": [1.0, 2.0]}), "must be a number, got list"),
    (lambda s: s.update({"layers.1.neurons.0.w.2": "0.5"}), "must be a number, got str"),
    (lambda s: s.update({"layers.1.neurons.0.w.2": True}), "must be a number, got bool"),
    (lambda s: s.update({"layers.1.neurons.0.w.2": float("nan")}), "must be finite, got nan"),
]


@pytest.mark.parametrize(("spoil", "message"), BAD_STATES)
def test_bad_state_dict_raises_and_leaves_model_unchanged(spoil, message):
    model = nn.MLP(2, [3, 1], seed=0)
    before = weights(model)
    state = {k: v + 1.0 for k, v in model.state_dict().items()}  # every value would change...
    spoil(state)
    with pytest.raises(ValueError, match=message):
        model.load_state_dict(state)
    assert weights(model) == before  # ...but none did


def test_load_state_dict_rejects_a_non_dict():
    with pytest.raises(ValueError, match="expected a dict of parameter values, got list"):
        nn.MLP(2, [1]).load_state_dict([1.0, 2.0, 3.0])


def good_document():
    return json.loads(nn.serialize.to_json(nn.MLP(2, [3, 1], seed=0)))


def spoiled(change):
    doc = good_document()
    change(doc)
    return json.dumps(doc)


BAD_FILES = [
    ('{"format": "chainrule.nn", "version": 1, "model": "ML', "not valid JSON"),
    ("", "not valid JSON"),
    ("[1, 2, 3]", "expected a JSON object, got list"),
    ("[" * 100000 + "]" * 100000, "nested too deeply|not valid JSON"),
    ('{"a": NaN}', "NaN is not allowed"),
    ('{"a": 1, "a": 2}', "a key appears twice"),
    (spoiled(lambda d: d.pop("config")), "missing key\\(s\\) \\['config'\\]"),
    (spoiled(lambda d: d.update(format="pickle")), "not a chainrule model file"),
    (spoiled(lambda d: d.update(version=99)), "unsupported format version 99"),
    (spoiled(lambda d: d.update(model="os.system")), "unknown model type 'os.system'"),
    (spoiled(lambda d: d["config"].update(nouts=[10**9, 10**9])), "config needs .* but state_dict has 13"),
    (spoiled(lambda d: d["config"].update(nouts=[3, 2])), "config needs 17 parameters but state_dict has 13"),
    (spoiled(lambda d: d["config"].update(nin=-1)), "nin must be a positive int, got -1"),
    (spoiled(lambda d: d["config"].update(activation=["relu", "gelu"])), "unknown activation 'gelu'"),
    (spoiled(lambda d: d["config"].update(activation="relu")), "activation must be a list of 2 names"),
    (spoiled(lambda d: d.update(state_dict=[1.0] * 13)), "state_dict must be an object, got list"),
    (
        spoiled(lambda d: d["state_dict"].update({"layers.0.neurons.0.w.0": {"x": 1}})),
        "'layers.0.neurons.0.w.0' must be a number, got dict",
    ),
    (
        spoiled(lambda d: d["state_dict"].update({"layers.0.neurons.0.w.0": 1e400})),
        "not valid JSON|Infinity is not allowed|must be finite",
    ),
]


@pytest.mark.parametrize(("text", "message"), BAD_FILES, ids=[m[:40] for _, m in BAD_FILES])
def test_bad_files_raise_a_clear_value_error(tmp_path, text, message):
    path = tmp_path / "bad.json"
    path.write_text(text)
    with pytest.raises(ValueError, match=message):
        nn.load(path)


def test_non_utf8_file(tmp_path):
    path = tmp_path / "bad.json"
    path.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(ValueError, match="not UTF-8 text"):
        nn.load(path)


def test_save_refuses_unknown_modules(tmp_path):
    with pytest.raises(TypeError, match="can save a Neuron, Layer or MLP, got Module"):
        nn.save(nn.Module(), tmp_path / "x.json")
