"""The benchmark's workloads at tiny sizes: the engine, the plain-float floor and micrograd agree.

This checks that every baseline computes the same thing as the engine (a hand-derived backward
pass against autodiff), not speed: speed is measured by `python -m bench.run`.
"""

import pytest

import nn
from autograd import Value
from bench import floor, profile, run, workloads

pytestmark = pytest.mark.slow  # subprocesses and trainings


def test_moons_step_engine_floor_and_micrograd_agree():
    X, y = workloads.moons_data(n=20, seed=3)
    model = nn.MLP(2, [4, 4, 1], seed=5)
    weights = workloads.weights_of(model)
    floor_weights = [[list(n) for n in layer] for layer in weights]
    micro = workloads.micrograd_model(weights)

    ours = workloads.moons_step(model, X, y, lr=0.1)
    theirs = floor.moons_step(floor_weights, X, y, lr=0.1, alpha=workloads.ALPHA)
    micro_loss = workloads.micrograd_moons_step(micro, X, y, lr=0.1)

    assert ours == pytest.approx(theirs, rel=1e-12) and ours == pytest.approx(micro_loss, rel=1e-12)
    # after one SGD step the three sets of weights are the same: the gradients agreed
    after = workloads.weights_of(model)
    micro_after = [p.data for p in micro.parameters()]
    flat = [p for layer in after for n in layer for p in n]
    assert flat == pytest.approx(
        [p for layer in floor_weights for n in layer for p in n], rel=1e-12, abs=1e-15
    )
    assert flat == pytest.approx(micro_after, rel=1e-12, abs=1e-15)
    assert flat != [p for layer in weights for n in layer for p in n]  # the step changed something


def test_bare_engine_mlp_matches_nn_mlp():
    """The moons row without nn (Value + autograd.dot) computes what nn.MLP computes."""
    X, y = workloads.moons_data(n=20, seed=3)
    model = nn.MLP(2, [4, 4, 1], seed=5)
    bare = workloads.bare_mlp(workloads.weights_of(model))
    assert workloads.bare_moons_step(bare, X, y, lr=0.1) == pytest.approx(
        workloads.moons_step(model, X, y, lr=0.1), rel=1e-12
    )
    after = [p.data for p in workloads.bare_parameters(bare)]
    assert after == pytest.approx([p for layer in workloads.weights_of(model) for n in layer for p in n])


def test_deep_chain_engine_and_floor_agree():
    for x0 in (0.5, -0.5):
        assert workloads.deep_chain(x0, 3000, 1.0001, 1e-4) == pytest.approx(
            floor.deep_chain(x0, 3000, 1.0001, 1e-4)
        )
    value, grad = floor.deep_chain(0.5, 30, 2.0, 0.0)
    assert (value, grad) == (0.5 * 2**10, 2.0**10)  # relu of a positive number is itself


@pytest.mark.parametrize("f", [workloads.wide_builtin_sum, workloads.wide_fused_sum, workloads.wide_dot])
def test_wide_variants_agree_with_the_floor(f):
    ws, xs = workloads.random_vector(50, 1), workloads.random_vector(50, 2)
    value, grads = f([Value(v) for v in ws], [Value(v) for v in xs])
    expected, d_ws, d_xs = floor.wide(ws, xs)
    assert value == pytest.approx(expected, rel=1e-12) and grads == d_ws and d_xs == ws


def test_compiled_moons_step_is_the_floors_step():
    """The traced-and-compiled step and the hand-written floor: same loss, same weights after."""
    X, y = workloads.moons_data(n=20, seed=3)
    model = nn.MLP(2, [4, 4, 1], seed=5)
    floor_weights = [[list(n) for n in layer] for layer in workloads.weights_of(model)]
    compiled = workloads.compiled_moons(model, X, y)
    for _ in range(3):
        ours = workloads.compiled_moons_step(compiled, lr=0.1)
        theirs = floor.moons_step(floor_weights, X, y, lr=0.1, alpha=workloads.ALPHA)
        assert ours == pytest.approx(theirs, rel=1e-12)
    flat = [p for layer in workloads.weights_of(model) for n in layer for p in n]
    assert flat == pytest.approx(
        [p for layer in floor_weights for n in layer for p in n], rel=1e-12, abs=1e-15
    )


def test_compiled_deep_chain_is_the_floors_chain():
    run_compiled = workloads.compiled_deep_chain(3000, 1.0001, 1e-4)
    for x0 in (0.5, 2.0):
        assert run_compiled(x0) == pytest.approx(floor.deep_chain(x0, 3000, 1.0001, 1e-4), rel=1e-12)


def test_render_workload_draws_an_svg():
    assert workloads.render_sample(nn.MLP(2, [3, 1], seed=0), collapse=True) > 500


def test_quick_run_writes_json(tmp_path, capsys):
    import json

    path = tmp_path / "figures.json"
    assert run.main(["--quick", "--json", str(path)]) == 0
    results = json.loads(path.read_text())
    rows = {row["workload"]: row for row in results["rows"]}
    assert rows["moons step, nn.MLP"]["ratio"] > 0 and "moons step, micrograd 0.1.0" in rows
    assert (
        rows["moons step, compiled trace"]["ratio"] > 0
        and rows["deep chain, compiled, 6,000 ops"]["ratio"] > 0
    )
    chain = rows["deep chain, 30,000 ops"]
    # the graph alone <= with its grads <= the peak during backward
    assert 0 < chain["heap_bytes_per_node"] <= chain["heap_bytes_per_node_with_grads"]
    assert chain["heap_bytes_per_node_with_grads"] <= chain["heap_bytes_per_node_peak"]
    assert results["commit"]
    lean = {row["workload"]: row for row in results["vs_lean"]}
    assert lean["tiny GPT step (4 positions, 4,192 params)"]["ratio"] > 0 and len(lean) == 6
    assert all(
        row["floor_s"] > 0 and row["floor_ratio"] > 0 and row["lean_floor_ratio"] > 0 for row in lean.values()
    )
    assert "ratio" in capsys.readouterr().out


def test_profile_runs(capsys):
    assert profile.main(["--quick", "--what-if"]) == 0
    out = capsys.readouterr().out
    assert "inside the cycle collector" in out and "what if" in out
