"""The tape against hand-written float code: ``python -m bench.tape [--quick]`` (issue 24, item 6).

One sample of an MLP loss, ``nn.MLP(2, [16, 16, 1])`` and the hinge loss relu(1 - y s) of
micrograd's moons demo, its value and its gradient with respect to all 337 parameters, computed
three ways in the same process:

- **generated**: ``autograd.trace_values`` of the loss, compiled (``Trace.compile()``), called
  as training calls it: ``compiled.function(*parameters)``;
- **straight-line**: the same arithmetic as straight-line float code of my own design
  (``straight_line_source``): the parameters unpacked into locals, one line per neuron
  (``z = b + w0 * h0 + ... + w15 * h15``, the engine's order of adds), relu and its derivative
  as conditional expressions, each hidden adjoint one sum (``(w0k * d0 + ... ) if z > 0.0 else
  0.0``), every weight's gradient written into the returned tuple, no temporaries. It is 300
  lines of code, so this file writes it out with loops (it does not come from autograd.trace);
  it is the tightest plain-float code I could write for one sample, and the baseline of the ratio;
- **loops**: ``loss_and_grad``, the same by hand with lists, list comprehensions and C-level
  dot products (``sum(map(mul, w, a), b)``), as one writes it without unrolling (slower).

All three are checked to give the node engine's loss and gradient (to 1e-12) before anything is
timed. Each timed run calls one of them ``calls`` times; they alternate, times are CPU seconds
(``time.process_time``, the machine is shared), and each figure is the median of the per-round
ratios to the straight-line code.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable, Sequence
from operator import mul
from typing import Any

import autograd
import nn

SAMPLE = ([0.5, -0.3], 1.0)  # x, y: a sample whose margin is positive, so every gradient is live
SIZES = [2, 16, 16, 1]


def model() -> nn.MLP:
    return nn.MLP(2, SIZES[1:], seed=0)


def loss_and_grad(p: Sequence[float], x0: float, x1: float, y: float) -> tuple[float, list[float]]:
    """relu(1 - y s(x)) for ``MLP(2, [16, 16, 1])`` and its gradient, by hand on floats.

    ``p`` is the parameters in ``named_parameters()`` order: the 16 first-layer neurons as
    (w0, w1, b), the 16 second-layer neurons as (w0..w15, b), the output neuron as (w0..w15, b).
    The gradient comes back in the same order. Forward: z1 = W1 x + b1, h1 = relu(z1), z2 = W2 h1
    + b2, h2 = relu(z2), s = w3 . h2 + b3, m = 1 - y s, loss = relu(m). Backward: dm = relu'(m),
    ds = -y dm, dw3 = h2 ds, dh2 = w3 ds, dz2 = relu'(z2) dh2, dW2 = dz2 h1^T, dh1 = W2^T dz2,
    dz1 = relu'(z1) dh1, dW1 = dz1 x^T (each bias's gradient is its dz).
    """
    rows1 = [p[k : k + 3] for k in range(0, 48, 3)]
    rows2 = [p[k : k + 17] for k in range(48, 320, 17)]
    row3 = p[320:337]
    z1 = [b + w0 * x0 + w1 * x1 for w0, w1, b in rows1]  # sum((w0*x0, w1*x1), b): the same adds
    h1 = [z if z > 0.0 else 0.0 for z in z1]
    z2 = [sum(map(mul, row, h1), row[16]) for row in rows2]  # map stops at the 16 weights
    h2 = [z if z > 0.0 else 0.0 for z in z2]
    s = sum(map(mul, row3, h2), row3[16])
    m = 1.0 - y * s
    loss = m if m > 0.0 else 0.0
    ds = -y * (1.0 if m > 0.0 else 0.0)
    dz2 = [w * ds if z > 0.0 else 0.0 for w, z in zip(row3, z2)]
    dh1 = [sum(map(mul, column, dz2)) for column in zip(*rows2)]  # 17 columns: the last (biases) unused
    grad: list[float] = []
    for d, z in zip(dh1, z1):
        d = d if z > 0.0 else 0.0
        grad += (x0 * d, x1 * d, d)
    for d in dz2:
        grad += [h * d for h in h1]
        grad.append(d)
    grad += [h * ds for h in h2]
    grad.append(ds)
    return loss, grad


def straight_line_source(x0: float, x1: float, y: float) -> str:
    """Python source of ``straight(p) -> (loss, gradient)`` for the sample (x0, x1), label y.

    The design (see the module docstring) is mine; the loops below only write it out for the
    337 parameters, named a<k>_<j> (first layer), c<k>_<j> (second), e<j> (output neuron).
    """
    x0_, x1_, y_ = repr(float(x0)), f"({float(x1)!r})", repr(float(y))
    names = [n for k in range(16) for n in (f"a{k}_0", f"a{k}_1", f"a{k}_b")]
    names += [n for k in range(16) for n in (*(f"c{k}_{j}" for j in range(16)), f"c{k}_b")]
    names += [*(f"e{j}" for j in range(16)), "e_b"]
    code = ["def straight(p):", f"    ({', '.join(names)}) = p"]
    for k in range(16):  # first layer: z = b + w0 x0 + w1 x1, h = relu(z)
        code += [
            f"    z{k} = a{k}_b + a{k}_0 * {x0_} + a{k}_1 * {x1_}",
            f"    h{k} = z{k} if z{k} > 0.0 else 0.0",
        ]
    for k in range(16):  # second layer
        code.append(f"    u{k} = c{k}_b + " + " + ".join(f"c{k}_{j} * h{j}" for j in range(16)))
        code.append(f"    g{k} = u{k} if u{k} > 0.0 else 0.0")
    code.append("    s = e_b + " + " + ".join(f"e{j} * g{j}" for j in range(16)))
    code.append(f"    m = 1.0 - {y_} * s")
    code.append(f"    loss, ds = (m, -{y_}) if m > 0.0 else (0.0, 0.0)")
    code += [f"    du{k} = e{k} * ds if u{k} > 0.0 else 0.0" for k in range(16)]
    for j in range(16):  # dL/dz1_j = relu'(z1_j) * sum_k c_kj du_k
        code.append(
            f"    dz{j} = ("
            + " + ".join(f"c{k}_{j} * du{k}" for k in range(16))
            + f") if z{j} > 0.0 else 0.0"
        )
    grads = [g for k in range(16) for g in (f"{x0_} * dz{k}", f"{x1_} * dz{k}", f"dz{k}")]
    grads += [g for k in range(16) for g in (*(f"h{j} * du{k}" for j in range(16)), f"du{k}")]
    grads += [*(f"g{j} * ds" for j in range(16)), "ds"]
    code.append(f"    return loss, ({', '.join(grads)})")
    return "\n".join(code) + "\n"


def candidates() -> tuple[dict[str, Callable[[], Any]], autograd.Trace]:
    """The three ways on the same parameters, each checked against the node engine; and the trace."""
    net = model()
    (x0, x1), y = SAMPLE
    trace = autograd.trace_values(lambda: nn.hinge([net([x0, x1])], [y]), net.named_parameters())
    function = trace.compile().function
    namespace: dict[str, Any] = {}
    exec(compile(straight_line_source(x0, x1, y), "<bench.tape straight-line>", "exec"), namespace)
    straight = namespace["straight"]
    params = [p.data for p in net.parameters()]
    ways: dict[str, Callable[[], Any]] = {
        "straight-line (hand)": lambda: straight(params),
        "generated (trace)": lambda: function(*params),
        "loops (hand)": lambda: loss_and_grad(params, x0, x1, y),
    }
    loss = nn.hinge([net([x0, x1])], [y])
    loss.backward()
    engine = [p.grad for p in net.parameters()]
    for name, way in ways.items():
        value, grad = way()
        if abs(value - loss.data) > 1e-12 or len(grad) != len(engine):
            raise AssertionError(f"{name}: loss {value!r} != the node engine's {loss.data!r}")
        worst = max(abs(a - b) for a, b in zip(grad, engine))
        if worst > 1e-12:
            raise AssertionError(f"{name}: a gradient differs from the node engine's by {worst!r}")
    return ways, trace


def measure(ways: dict[str, Callable[[], Any]], rounds: int, calls: int) -> dict[str, dict[str, float]]:
    """For each way: the median CPU seconds per call, and the median per-round ratio to the first."""
    times: dict[str, list[float]] = {name: [] for name in ways}
    for _ in range(rounds):
        for name, way in ways.items():
            start = time.process_time()
            for _ in range(calls):
                way()
            times[name].append((time.process_time() - start) / calls)
    base = times[next(iter(ways))]
    return {
        name: {
            "per_call_s": statistics.median(ts),
            "ratio": statistics.median(t / b for t, b in zip(ts, base)),
        }
        for name, ts in times.items()
    }


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.tape", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="a smoke run of a second or two")
    parser.add_argument("--rounds", type=int, default=21)
    parser.add_argument("--calls", type=int, default=1000)
    args = parser.parse_args(argv)
    rounds, calls = (3, 50) if args.quick else (args.rounds, args.calls)
    ways, trace = candidates()
    for _ in range(30):  # the adaptive interpreter specializes straight-line code after a few calls
        for way in ways.values():
            way()
    results = measure(ways, rounds, calls)
    print(f"one sample of MLP(2, [16, 16, 1]), hinge loss and its gradient ({len(trace.lines)} traced ops);")
    print(f"CPU time per call, medians of {rounds} rounds of {calls} calls each, the three alternating")
    for name, row in results.items():
        print(f"  {name:22s} {row['per_call_s'] * 1e6:8.2f} us   {row['ratio']:5.2f}x the straight-line code")


if __name__ == "__main__":
    main()
