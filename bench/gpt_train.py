"""The tiny GPT trained for 200 steps, three ways: ``python -m bench.gpt_train [--quick]`` (issue 24, item 3).

``bench/gpt.py``'s model (one transformer block, embedding 16, 4 heads, 4,192 parameters) is
trained by plain SGD for ``--steps`` steps (200), one name of ``gpt.NAMES`` per step in a
fixed order (16 names of 3 to 9 letters: 7 sequence lengths, so 7 graph shapes), from the same
initial weights, on:

- **node**: chainrule's node engine, ``loss.backward()`` at every step; both forms of the model,
  ``gpt.gpt_loss`` (tokens as indices: the cheaper graph) and ``gpt.gpt_loss_one_hot``;
- **lean**: ``bench/lean.py``'s four-slot engine running the same two functions;
- **compiled**: ``nn.ShapeCachedLoss`` on ``gpt.gpt_loss_one_hot``, one trace per length, the
  tracing and compiling *included* in the time (a new loss object per run, so every run traces
  its 7 shapes again).

Every run must end at the same final loss (to 1e-9; they do the same arithmetic) or the
benchmark stops. The runs of one round go one after the other in this process, the rounds
repeat (``--rounds``, 3), times are CPU seconds (``time.process_time``: the machine is shared),
and the figures are the medians over the rounds of each run's time and of the per-round ratios
to the compiled run.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable, Sequence
from typing import Any

import nn
from autograd import Value
from bench import gpt
from bench.lean import LeanValue

LR = 0.01


def sequences(steps: int) -> list[list[int]]:
    """The token sequence of each step: ' name ', the names of ``gpt.NAMES`` in turn."""
    return [gpt.tokens(f" {gpt.NAMES[i % len(gpt.NAMES)]} ") for i in range(steps)]


def sgd(flat: list[Any]) -> None:
    for p in flat:
        p.data -= LR * p.grad
        p.grad = 0.0


def engine_run(value: type, one_hot: bool, steps: int) -> float:
    """``steps`` SGD steps on the engine whose Value class is ``value``; the last step's loss."""
    params = gpt.gpt_parameters(value)
    flat = gpt.flat(params)
    loss_value = 0.0
    for seq in sequences(steps):
        if one_hot:
            xs, ys = gpt.one_hot(seq)
            loss = gpt.gpt_loss_one_hot(
                params, [[value(o) for o in row] for row in xs], [[value(o) for o in row] for row in ys]
            )
        else:
            loss = gpt.gpt_loss(params, seq)
        loss.backward()
        loss_value = loss.data
        sgd(flat)
    return loss_value


def compiled_run(steps: int) -> float:
    """``steps`` SGD steps on ``nn.ShapeCachedLoss`` (tracing and compiling included)."""
    params = gpt.gpt_parameters(Value)
    flat = gpt.flat(params)
    loss = nn.ShapeCachedLoss(lambda xs, ys: gpt.gpt_loss_one_hot(params, xs, ys), flat)
    loss_value = 0.0
    for seq in sequences(steps):
        loss_value = loss(*gpt.one_hot(seq))
        sgd(flat)
    return loss_value


RUNS: dict[str, Callable[[int], float]] = {
    "compiled (ShapeCachedLoss, one-hot)": compiled_run,
    "node engine, indexed": lambda steps: engine_run(Value, False, steps),
    "node engine, one-hot": lambda steps: engine_run(Value, True, steps),
    "lean engine, indexed": lambda steps: engine_run(LeanValue, False, steps),
    "lean engine, one-hot": lambda steps: engine_run(LeanValue, True, steps),
}


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.gpt_train", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="20 steps, one round: a smoke run")
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--only", nargs="*", help="run only these (their first words: compiled node lean)")
    args = parser.parse_args(argv)
    steps, rounds = (20, 1) if args.quick else (args.steps, args.rounds)
    runs = {k: f for k, f in RUNS.items() if not args.only or k.split()[0] in args.only}
    times: dict[str, list[float]] = {k: [] for k in runs}
    losses: dict[str, float] = {}
    for r in range(rounds):
        for name, run in runs.items():
            start = time.process_time()
            losses[name] = run(steps)
            times[name].append(time.process_time() - start)
            print(
                f"round {r + 1}: {name}: {times[name][-1]:.1f} s, final loss {losses[name]:.12f}", flush=True
            )
        first = next(iter(losses.values()))
        for name, value in losses.items():
            if abs(value - first) > 1e-9:
                raise AssertionError(f"{name}: final loss {value!r} != {first!r}")
    print(f"\nthe tiny GPT, {steps} SGD steps, one name per step; CPU seconds, medians of {rounds} round(s)")
    base = "compiled (ShapeCachedLoss, one-hot)"
    for name, ts in times.items():
        shown = f"{name:40s} {statistics.median(ts):8.1f} s"
        if base in times and name != base:
            ratio = statistics.median(t / c for t, c in zip(ts, times[base]))
            shown += f"   {ratio:5.1f}x the compiled run's time"
        print(shown)


if __name__ == "__main__":
    main()
