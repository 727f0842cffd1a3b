"""What a picture selects (``selection.py``) and the data the flipbook and the optimizers page carry
(``flipbook.py``, ``optimizers.py``), checked line by line (issue 23, mutation testing).

The selection is checked on small graphs whose neurons are worked out by hand from the rule in
``neurons``' docstring; the pages' JSON against the run they were given (NaN and infinities as
the strings JavaScript's ``Number()`` reads back), and every refusal by its whole message.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from autograd import Value
from autograd.see.flipbook import flipbook_page, render_flipbook
from autograd.see.optimizers import (
    OPTIMIZER_STYLES,
    OTHER_STYLE,
    default_parameter,
    optimizers_page,
    render_optimizers,
)
from autograd.see.palette import CLASS_COLOURS, CLASS_NAMES, WEIGHT_COLOURS, WEIGHT_NAMES
from autograd.see.selection import neighbourhood, neurons, node_kind, parent, select


def run_data(text: str) -> dict[str, Any]:
    found = re.search(r'<script id="run-data" type="application/json">(.*?)</script>', text, re.S)
    assert found is not None
    data: dict[str, Any] = json.loads(found.group(1))
    return data


# --- selection -----------------------------------------------------------------------------------


class Model:
    """A model as the pictures see it: ``named_parameters()``, and ``layers[i].neurons[j].activation``."""

    def __init__(self, named: list[tuple[str, Value]], activations: list[list[Any]]) -> None:
        self._named = named
        self.layers = [
            SimpleNamespace(neurons=[SimpleNamespace(activation=a) for a in acts]) for acts in activations
        ]

    def named_parameters(self) -> list[tuple[str, Value]]:
        return list(self._named)


def two_neurons() -> dict[str, Value]:
    """h = tanh(w0·x + b0·k) (neuron N0, k an unlabelled constant), out = relu(w1·h), loss = out - 0.5.

    By the rule: w0, b0 -> N0 (their names); s = w0·x and bk = b0·k read N0's parameters -> N0;
    z = s + bk reads none, and two inputs -> no neuron; so h = tanh(z) is not an activation of a
    weighted sum either. q = w1·h -> N1; out = relu(q) -> N1 when N1's activation is relu (or, not
    named, relu is q's only use). k is used only by bk (N0) -> N0; 0.5 by loss (no neuron) -> none.
    """
    x = Value(1.5, "x")
    w0, b0, w1 = Value(0.5, "w0"), Value(-1.0, "b0"), Value(2.0, "w1")
    k = Value(3.0)
    s = w0 * x
    bk = b0 * k
    z = s + bk
    h = z.tanh()
    q = w1 * h
    out = q.relu()
    half = Value(0.5)
    loss = out - half
    return {
        "x": x,
        "w0": w0,
        "b0": b0,
        "w1": w1,
        "k": k,
        "s": s,
        "bk": bk,
        "z": z,
        "h": h,
        "q": q,
        "out": out,
        "half": half,
        "loss": loss,
    }


NAMED = [("layers.0.neurons.0.w.0", "w0"), ("layers.0.neurons.0.b", "b0"), ("layers.1.neurons.0.w.0", "w1")]
N0, N1 = "layers.0.neurons.0", "layers.1.neurons.0"


def test_parent_drops_indices_then_one_name() -> None:
    assert parent("layers.0.neurons.3.w.1") == "layers.0.neurons.3"
    assert parent("layers.0.neurons.3") == "layers.0"
    assert parent("layers.0.neurons.12.b") == "layers.0.neurons.12"
    assert parent("w") == "" and parent("3") == "" and parent("") == ""


def test_node_kind_names_each_colour() -> None:
    g = two_neurons()
    params = {g["w0"]}
    assert node_kind(g["loss"], g["loss"], {g["loss"]}) == "output"  # the root first
    assert node_kind(g["w0"], g["loss"], params) == "parameter"
    assert node_kind(g["z"], g["loss"], params) == "intermediate"
    assert node_kind(g["x"], g["loss"], params) == "input"
    assert node_kind(g["k"], g["loss"], params) == "constant"


@pytest.mark.parametrize(("activation", "out_in_n1"), [("relu", True), ("linear", False), (None, True)])
def test_neurons_follow_the_rule(activation: str | None, out_in_n1: bool) -> None:
    g = two_neurons()
    named = [(name, g[key]) for name, key in NAMED]
    acts = {N1: activation} if activation else {}
    found = neurons(list(reversed(_forward(g))), _consumers(g), named, acts)
    expected = {g["w0"]: N0, g["b0"]: N0, g["w1"]: N1, g["s"]: N0, g["bk"]: N0, g["k"]: N0, g["q"]: N1}
    if out_in_n1:
        expected[g["out"]] = N1
    assert found == expected


def test_an_activation_guessed_only_when_it_is_the_sums_one_use() -> None:
    w, x = Value(0.5, "w"), Value(2.0, "x")
    s = w * x
    for op in ("relu", "tanh", "sigmoid", "exp"):
        act = getattr(s, op)()
        order = [act, s, w, x]
        consumers = {s: [act], w: [s], x: [s]}
        assert neurons(order, consumers, [("n.w", w)]).get(act) == ("n" if op != "exp" else None)
    a, b = s.tanh(), s * 2.0  # s used twice: its tanh is not taken as the neuron's
    order = [a, b, s, w, x]
    assert neurons(order, {s: [a, b], w: [s], x: [s]}, [("n.w", w)]).get(a) is None


def test_a_constant_used_by_two_neurons_or_by_none_stays_out() -> None:
    w0, w1, k = Value(1.0, "w0"), Value(2.0, "w1"), Value(3.0)
    a, b = w0 * k, w1 * k
    root = a + b
    found = neurons(
        [root, a, b, w0, w1, k],
        {a: [root], b: [root], w0: [a], w1: [b], k: [a, b]},
        [("p.0.w", w0), ("q.0.w", w1)],
    )
    assert found == {w0: "p.0", w1: "q.0", a: "p.0", b: "q.0"}
    labelled = Value(3.0, "c")  # a labelled leaf is an input: never folded in
    c = w0 * labelled
    assert neurons([c, w0, labelled], {w0: [c], labelled: [c]}, [("p.w", w0)]) == {w0: "p", c: "p"}


def test_select_reads_activations_from_the_model_and_collapses() -> None:
    g = two_neurons()
    named = [(name, g[key]) for name, key in NAMED]
    model = Model(named, [["tanh"], ["linear"]])
    sel = select(g["loss"], model=model, collapse=True)
    assert sel.neuron_of[g["q"]] == N1 and g["out"] not in sel.neuron_of  # linear: relu is not N1's
    assert sel.boxes == {N0: "neuron0", N1: "neuron1"}
    assert sel.box_of == {n: sel.boxes[sel.neuron_of[n]] for n in sel.neuron_of}
    # boxes: x, z, h, out, half, loss shown alone, and the two neurons
    assert sel.box_count() == 8
    assert (
        sel.kind(g["w1"]) == "parameter"
        and sel.kind(g["loss"]) == "output"
        and sel.kind(g["k"]) == "constant"
    )
    plain = select(g["loss"], model=Model(named, [["tanh"], ["relu"]]))
    assert plain.neuron_of[g["out"]] == N1 and plain.boxes == {} and plain.box_of == {}
    assert plain.box_count() == len(plain.order) == 13
    assert plain.index == {n: k for k, n in enumerate(plain.order)}
    assert plain.consumers[g["h"]] == [g["q"]] and sorted(map(id, plain.consumers[g["w0"]])) == [id(g["s"])]


def test_activations_not_described_by_the_model_are_guessed() -> None:
    g = two_neurons()
    named = [(name, g[key]) for name, key in NAMED]

    class Odd:
        def __init__(self) -> None:
            self.layers = [
                SimpleNamespace(neurons=[SimpleNamespace(activation=math.tanh)]),
                SimpleNamespace(),
            ]

        def named_parameters(self) -> list[tuple[str, Value]]:
            return named

    sel = select(g["loss"], model=Odd())  # N1: no neurons attribute; N0: not a str
    assert sel.neuron_of[g["out"]] == N1  # guessed: relu, q's one use
    for layers in ([], 3, {"x": 1}, [SimpleNamespace(neurons={})]):  # IndexError, TypeError, KeyError
        model = Model(named, [])
        model.layers = layers  # type: ignore[assignment]
        assert select(g["loss"], model=model).neuron_of[g["out"]] == N1
    linear = Model(named, [[], ["linear"]])
    assert g["out"] not in select(g["loss"], model=linear).neuron_of


def test_a_model_with_top_level_parameters_is_its_own_neuron() -> None:
    w, x = Value(0.5, "w"), Value(2.0, "x")
    s = w * x
    act = s.tanh()

    class Flat:
        activation = "linear"

        def named_parameters(self) -> list[tuple[str, Value]]:
            return [("w", w)]

    assert select(act, model=Flat()).neuron_of == {w: "", s: ""}  # linear: the tanh stays out
    Flat.activation = "tanh"
    assert select(act, model=Flat()).neuron_of == {w: "", s: "", act: ""}


def test_a_lone_constant_belongs_to_no_neuron() -> None:
    k = Value(2.0)  # the whole graph: an unlabelled leaf nothing consumes
    assert neurons([k], {}, []) == {}
    assert select(k, model=Model([], [])).neuron_of == {}


def test_select_refuses_what_is_not_in_the_graph() -> None:
    g = two_neurons()
    with pytest.raises(TypeError) as caught:
        select(g["loss"], params=[g["w0"], 2.0])
    assert str(caught.value) == "draw_dot: params must hold Values, got float"
    stranger = Value(9.0, "stranger")
    with pytest.raises(ValueError) as caught_focus:
        select(g["loss"], focus=stranger)
    assert str(caught_focus.value) == f"draw_dot: focus {stranger!r} is not in the graph under root"
    sel = select(g["loss"], params=(g["x"],))
    assert sel.parameters == {g["x"]} and sel.kind(g["x"]) == "parameter" and sel.neuron_of == {}


def test_focus_shows_the_neighbourhood_both_ways() -> None:
    g = two_neurons()
    assert select(g["loss"], focus=g["h"], radius=0).shown == {g["h"]}
    assert select(g["loss"], focus=g["h"], radius=1).shown == {g["h"], g["z"], g["q"]}
    two = select(g["loss"], focus=g["h"]).shown  # radius 2 by default
    assert two == {g["h"], g["z"], g["q"], g["s"], g["bk"], g["w1"], g["out"]}
    assert select(g["loss"], focus=g["loss"], radius=1).shown == {
        g["loss"],
        g["out"],
        g["half"],
    }  # the root: no consumer
    consumers = _consumers(g)
    assert neighbourhood(g["k"], 3, consumers) == {g["k"], g["bk"], g["b0"], g["z"], g["s"], g["h"]}


def _forward(g: dict[str, Value]) -> list[Value]:
    from autograd import topological_order

    return list(reversed(topological_order(g["loss"])))


def _consumers(g: dict[str, Value]) -> dict[Value, list[Value]]:
    found: dict[Value, list[Value]] = {}
    for node in _forward(g):
        for child in node.inputs:
            found.setdefault(child, []).append(node)
    return found


# --- flipbook ------------------------------------------------------------------------------------


def flip_run() -> dict[str, Any]:
    return {
        "names": ["w", 7],
        "layers": [[{"w": [0], "b": 1}]],
        "frames": [
            {
                "step": 0,
                "loss": 2,
                "params": [0.5, -1],
                "grads": [math.nan, 0.25],
                "epoch": 0,
                "health": [
                    {
                        "name": "layer 1",
                        "activation": "tanh",
                        "saturated": 0.5,
                        "dead": 1,
                        "units": 2,
                        "grad_norm": math.inf,
                        "grad_data": None,
                    }
                ],
                "scores": [],
            },
            {
                "step": 1,
                "loss": math.inf,
                "params": [0.25, -1.5],
                "grads": [0.5, -math.inf],
                "epoch": None,
                "health": [],
                "scores": [1, -0.5],
            },
        ],
        "data": {"X": [[0.0, 1.0]], "y": [1]},
        "grid": {"xs": [0.0, 1.0]},
    }


def test_flipbook_data_is_the_run_as_javascript_reads_it() -> None:
    data = run_data(flipbook_page(flip_run()))
    assert data["names"] == ["w", "7"] and data["layers"] == [[{"w": [0], "b": 1}]]
    first, second = data["frames"]
    assert first == {
        "step": 0,
        "loss": 2.0,
        "params": [0.5, -1.0],
        "grads": ["NaN", 0.25],
        "epoch": 0,
        "health": [
            {
                "name": "layer 1",
                "activation": "tanh",
                "saturated": 0.5,
                "dead": 1.0,
                "units": 2.0,
                "grad_norm": "Infinity",
                "grad_data": None,
                "update_data": None,
            }
        ],
        "scores": [],
    }
    assert second == {
        "step": 1,
        "loss": "Infinity",
        "params": [0.25, -1.5],
        "grads": [0.5, "-Infinity"],
        "scores": [1.0, -0.5],
    }
    assert data["data"] == {"X": [[0.0, 1.0]], "y": [1]} and data["grid"] == {"xs": [0.0, 1.0]}
    assert data["palette"] == {
        "colours": list(CLASS_COLOURS),
        "names": list(CLASS_NAMES),
        "weights": list(WEIGHT_COLOURS),
        "weight_names": list(WEIGHT_NAMES),
    }


def test_flipbook_defaults_and_a_health_row_with_nothing_measured() -> None:
    run = {
        "names": [],
        "frames": [{"step": 3, "loss": -0.5, "params": [], "grads": [], "health": [{}]}],
        "layers": None,
    }
    text = flipbook_page(run)
    data = run_data(text)
    assert data["layers"] == [] and data["data"] is None and data["grid"] is None
    row = {
        "name": "",
        "activation": "",
        "saturated": None,
        "dead": None,
        "units": None,
        "grad_norm": None,
        "grad_data": None,
        "update_data": None,
    }
    assert data["frames"] == [{"step": 3, "loss": -0.5, "params": [], "grads": [], "health": [row]}]
    assert "<title>Training run</title>" in text and "<h1>Training run</h1>" in text
    titled = flipbook_page(run, title="<XOR> & run")
    assert "<h1>&lt;XOR&gt; &amp; run</h1>" in titled


@pytest.mark.parametrize(
    ("run", "error", "message"),
    [
        ([], TypeError, "render_flipbook: run must be a dict (TrainingRecorder.as_dict()), got list"),
        (
            {"names": []},
            ValueError,
            "render_flipbook: the run has no frames: call recorder.record(loss) at each step",
        ),
        ({"names": [], "frames": []}, ValueError, "render_flipbook: the run has no frames"),
        ({"names": [], "frames": ({"params": []},)}, ValueError, "render_flipbook: the run has no frames"),
        (
            {"names": ["w"], "frames": [{"params": [1.0]}, {"params": [1.0, 2.0]}]},
            ValueError,
            "render_flipbook: every frame needs one parameter value per name in run['names']",
        ),
        (
            {"names": ["w"], "frames": [{}]},
            ValueError,
            "render_flipbook: every frame needs one parameter value",
        ),
        (
            {"names": ("w",), "frames": [{"params": [1.0]}]},
            ValueError,
            "render_flipbook: every frame needs one",
        ),
    ],
)
def test_bad_runs_are_refused(run: Any, error: type[Exception], message: str) -> None:
    with pytest.raises(error) as caught:
        flipbook_page(run)
    assert str(caught.value).startswith(message)
    assert str(caught.value) in (
        message,
        "render_flipbook: the run has no frames: call recorder.record(loss) at each step",
        "render_flipbook: every frame needs one parameter value per name in run['names']",
    )


def test_render_flipbook_writes_html_only(tmp_path: Path) -> None:
    run = flip_run()
    for name in ("run.html", "RUN.HTM"):
        path = render_flipbook(run, str(tmp_path / name), "My run")
        assert isinstance(path, Path) and path == tmp_path / name
        assert path.read_text(encoding="utf-8") == flipbook_page(run, "My run")
    with pytest.raises(ValueError) as caught:
        render_flipbook(run, tmp_path / "run.png")
    assert (
        str(caught.value)
        == f"render_flipbook: the file name must end in .html, got {str(tmp_path / 'run.png')!r}"
    )
    assert not (tmp_path / "run.png").exists()
    assert "<h1>Training run</h1>" in render_flipbook(run, tmp_path / "d.html").read_text(encoding="utf-8")


# --- optimizers ----------------------------------------------------------------------------------


def comparison() -> dict[str, Any]:
    """Two parameters; sgd moves p0 by 0.5 and p1 by 0.25, adam p0 by 0.25 and p1 by 1.0 (then NaN)."""
    return {
        "names": ["p0", 1],
        "start": [1.0, 2.0],
        "runs": [
            {
                "name": "sgd",
                "optimizer": "SGD",
                "hyper": {"lr": 0.1},
                "loss": [2, 1.5],
                "params": [[1.0, 2.0], [1.5, 2.25]],
                "grads": [[-5, math.nan], [0.0, 1.0]],
                "state": [{}, {}],
            },
            {
                "name": "adam",
                "optimizer": "Adam",
                "hyper": {"lr": 0.01, "betas": (0.8, 0.99)},
                "loss": [2, math.inf],
                "params": [[1.0, 2.0], [1.25, 3.0]],
                "grads": [[1, 2], [3, 4]],
                "state": [{"m": [0.5, -math.inf], 3: (1, 2)}, {"m": [0.25, 0.0], 3: (0.5, 1)}],
            },
        ],
        "surface": {
            "kind": "plane",
            "axes": [[0, 1], [2.5, 3]],
            "values": [[1, math.nan], [2, 3]],
            "paths": [[[0, 1], [0.5, math.inf]]],
            "explained": 1,
            "seconds": 2,
        },
    }


def test_optimizers_data_is_the_comparison_as_javascript_reads_it() -> None:
    data = run_data(optimizers_page(comparison()))
    assert data["names"] == ["p0", "1"]
    sgd, adam = data["runs"]
    assert sgd == {
        "name": "sgd",
        "optimizer": "SGD",
        "hyper": {"lr": 0.1},
        "loss": [2.0, 1.5],
        "params": [[1.0, 2.0], [1.5, 2.25]],
        "grads": [[-5.0, "NaN"], [0.0, 1.0]],
        "state": [{}, {}],
    }
    assert adam["hyper"] == {"lr": 0.01, "betas": [0.8, 0.99]} and adam["loss"] == [2.0, "Infinity"]
    assert adam["state"] == [{"m": [0.5, "-Infinity"], "3": [1.0, 2.0]}, {"m": [0.25, 0.0], "3": [0.5, 1.0]}]
    assert data["surface"] == {
        "kind": "plane",
        "axes": [[0.0, 1.0], [2.5, 3.0]],
        "values": [[1.0, "NaN"], [2.0, 3.0]],
        "paths": [[[0.0, 1.0], [0.5, "Infinity"]]],
        "explained": 1.0,
        "seconds": 2.0,
    }
    assert type(data["surface"]["seconds"]) is float
    assert data["colours"] == [OPTIMIZER_STYLES["sgd"][0], OPTIMIZER_STYLES["adam"][0]]
    assert data["dashes"] == [OPTIMIZER_STYLES["sgd"][1], OPTIMIZER_STYLES["adam"][1]]
    assert data["selected"] == 1  # p0 moved 0.5 + 0.25, p1 0.25 + 1.0


def test_optimizers_page_defaults() -> None:
    comp = comparison()
    del comp["surface"]
    del comp["runs"][0]["hyper"]
    comp["runs"][0]["name"] = "my own"
    comp["surface"] = None
    text = optimizers_page(comp)
    data = run_data(text)
    assert data["surface"] is None and data["runs"][0]["hyper"] == {}
    assert data["colours"][0] == OTHER_STYLE[0] and data["dashes"][0] == OTHER_STYLE[1]
    assert "<title>Optimizers side by side</title>" in text and "<h1>Optimizers side by side</h1>" in text
    del comp["surface"]
    assert run_data(optimizers_page(comp, title="a < b"))["surface"] is None
    assert "<h1>a &lt; b</h1>" in optimizers_page(comp, title="a < b")


def test_each_optimizer_has_its_own_colour_and_dash() -> None:
    """Okabe and Ito's colours; sky blue (CLASS_COLOURS[4], too near blue) only for other names."""
    assert list(OPTIMIZER_STYLES) == ["sgd", "momentum", "nesterov", "rmsprop", "adam"]
    styles = [*OPTIMIZER_STYLES.values(), OTHER_STYLE]
    assert len({c for c, _ in styles}) == len({d for _, d in styles}) == 6
    assert {c for c, _ in styles} == set(CLASS_COLOURS) and OTHER_STYLE[0] == CLASS_COLOURS[4] == "#56B4E9"
    assert OPTIMIZER_STYLES["sgd"] == (CLASS_COLOURS[0], "")  # plain SGD: a solid line
    for _, dash in styles[1:]:
        assert re.fullmatch(r"\d+( \d+)+", dash), dash  # an SVG stroke-dasharray


@pytest.mark.parametrize(
    ("comp", "error", "message"),
    [
        (
            [],
            TypeError,
            "render_optimizers: comparison must be a dict (nn.compare_optimizers(...)), got list",
        ),
        ({"names": []}, ValueError, "render_optimizers: the comparison has no runs"),
        ({"names": [], "runs": []}, ValueError, "render_optimizers: the comparison has no runs"),
        (
            {"names": [], "runs": ({"params": []},)},
            ValueError,
            "render_optimizers: the comparison has no runs",
        ),
        (
            {"names": ["a"], "runs": [{"params": [[1.0], [1.0, 2.0]]}]},
            ValueError,
            "render_optimizers: every recorded point needs one number per name in 'names'",
        ),
        (
            {"names": ("a",), "runs": [{"params": [[1.0]]}]},
            ValueError,
            "render_optimizers: every recorded point needs one number per name in 'names'",
        ),
    ],
)
def test_bad_comparisons_are_refused(comp: Any, error: type[Exception], message: str) -> None:
    with pytest.raises(error) as caught:
        optimizers_page(comp)
    assert str(caught.value) == message


def test_render_optimizers_writes_html_only(tmp_path: Path) -> None:
    comp = comparison()
    for name in ("opt.html", "OPT.HTM"):
        path = render_optimizers(comp, str(tmp_path / name), "Mine")
        assert isinstance(path, Path) and path == tmp_path / name
        assert path.read_text(encoding="utf-8") == optimizers_page(comp, "Mine")
    with pytest.raises(ValueError) as caught:
        render_optimizers(comp, tmp_path / "opt.svg")
    assert (
        str(caught.value)
        == f"render_optimizers: the file name must end in .html, got {str(tmp_path / 'opt.svg')!r}"
    )
    default = render_optimizers(comp, tmp_path / "d.html").read_text(encoding="utf-8")
    assert "<h1>Optimizers side by side</h1>" in default


def test_default_parameter_is_the_one_moved_most() -> None:
    def comp(*runs: list[list[float]]) -> dict[str, Any]:
        return {"names": ["a", "b", "c"], "runs": [{"params": r} for r in runs]}

    assert default_parameter(comp([[0, 0, 0], [9, 9, 9], [1, -3, 2]])) == 1  # first to last: |-3| is largest
    assert default_parameter(comp([[5, 1, -2], [5.5, -1, -1.5]])) == 1  # moved 0.5, 2, 0.5
    assert default_parameter(comp([[0, 0, 0], [1, 2, 0]], [[0, 0, 0], [2, 0, 0]])) == 0  # 3 against 2
    assert default_parameter(comp([[0, 0, 0], [0, 1, 1]])) == 1  # a tie: the first
    assert default_parameter(comp([[0, math.nan, 0], [0, 5, 1]], [[math.inf, 0, 0], [0, 0, 0]])) == 2
    assert default_parameter({"names": [], "runs": [{"params": [[]]}]}) == 0
