"""``chainrule update-quiz``: what will SGD, momentum or Adam do to w at this step?

Each question shows one parameter w, its gradient g, the optimizer's hyperparameters and its state
before the step (torch.optim's: the momentum buffer b; Adam's m, v and the step count), and asks
for the change Δw = w_new − w. The true answer is what ``nn.SGD`` / ``nn.Adam`` do when given that
state (``optimizer.state[p]``), not a formula of this file. A wrong answer is compared with the
answers of known slips, each computed by its own formula:

    SGD       went up the gradient (+lr·g); forgot the learning rate (−g)
    momentum  forgot the buffer (−lr·g); used the old buffer (−lr·b); averaged, b = μb + (1−μ)g;
              went up the gradient
    Adam      forgot the bias correction (m, v for m̂, v̂); forgot ε; used g instead of m̂;
              squared in the wrong place (v from ((1−β₂)g)², or from (β₂v + (1−β₂)g)²);
              ε inside the square root; used the state before this step's gradient;
              went up the gradient

A slip is named only when the answer matches it and it is told apart from the true answer and
from every other slip (questions are drawn until all of them are at least 5% apart, and a slip
that cannot be told apart, such as forgetting an ε of 1e-8, is not in the list: that answer is
right). An answer that matches none is called wrong without a named reason, and the worked
answer follows the second try.
"""

from __future__ import annotations

import math
import random
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TextIO

from autograd import Value
from nn.optim import SGD, Adam

KINDS = ("sgd", "momentum", "adam")
TOLERANCE = 0.01  # an answer within 1% of a number is that number (the question shows 4 digits)
APART = 0.05  # the true answer and every slip are at least 5% apart


def fmt(x: float) -> str:
    """A number as the quiz shows it: 4 significant digits, never more than it needs."""
    return f"{x:.4g}"


def fp(x: float) -> str:
    """A factor in a product: a negative one in parentheses."""
    return f"({fmt(x)})" if x < 0 else fmt(x)


@dataclass
class Question:
    """One update to predict: the parameter, its gradient, the hyperparameters and the state."""

    kind: str
    w: float
    g: float
    lr: float
    momentum: float = 0.0
    b: float | None = None  # SGD's momentum_buffer before the step (None: the first step)
    betas: tuple[float, float] = (0.9, 0.999)
    eps: float = 1e-8
    t: int = 1  # Adam: the step this is (state["step"] before it is t - 1)
    m: float = 0.0
    v: float = 0.0
    slips: list[tuple[str, float]] = field(default_factory=list)

    def true_change(self) -> float:
        """Δw as nn.optim computes it from this state."""
        p = Value(self.w)
        p.grad = self.g
        if self.kind == "adam":
            opt: SGD | Adam = Adam([p], lr=self.lr, betas=self.betas, eps=self.eps)
            if self.t > 1:
                opt.state[p].update(step=self.t - 1, exp_avg=self.m, exp_avg_sq=self.v)
        else:
            opt = SGD([p], lr=self.lr, momentum=self.momentum)
            if self.b is not None:
                opt.state[p]["momentum_buffer"] = self.b
        opt.step()
        return p.data - self.w

    def text(self) -> str:
        """The question as shown to the learner."""
        head = {"sgd": "SGD", "momentum": "SGD with momentum", "adam": "Adam"}[self.kind]
        lines = []
        if self.kind == "sgd":
            lines.append(f"{head}: lr = {self.lr}")
        elif self.kind == "momentum":
            lines.append(
                f"{head}: lr = {self.lr}, momentum μ = {self.momentum} (dampening 0, as torch's default)"
            )
        else:
            b1, b2 = self.betas
            lines.append(f"{head}, step t = {self.t}: lr = {self.lr}, β₁ = {b1}, β₂ = {b2}, ε = {self.eps:g}")
        lines.append(f"  w = {self.w}, its gradient g = {self.g}")
        if self.kind == "momentum":
            lines.append(f"  state before this step: momentum buffer b = {self.b}")
        elif self.kind == "adam":
            if self.t == 1:
                lines.append("  state before this step: none (the first step: m = 0, v = 0)")
            else:
                lines.append(
                    f"  state before this step: m = {self.m}, v = {self.v} (after step {self.t - 1})"
                )
        lines.append(f"What will {head} do to w at this step? Type the change Δw = w_new − w.")
        return "\n".join(lines)

    def worked(self) -> str:
        """The rule, written out with this question's numbers."""
        d = self.true_change()
        if self.kind == "sgd":
            return f"Δw = −lr·g = −{self.lr} × {fp(self.g)} = {fmt(d)}"
        if self.kind == "momentum":
            b = self.momentum * (self.b or 0.0) + self.g
            b_old = self.b or 0.0
            return (
                f"b = μ·b + g = {self.momentum} × {fp(b_old)} + {fp(self.g)} = {fmt(b)};  "
                f"Δw = −lr·b = −{self.lr} × {fp(b)} = {fmt(d)}"
            )
        b1, b2 = self.betas
        m = b1 * self.m + (1 - b1) * self.g
        v = b2 * self.v + (1 - b2) * self.g**2
        m_hat, v_hat = m / (1 - b1**self.t), v / (1 - b2**self.t)
        return (
            f"m = β₁·m + (1−β₁)·g = {fmt(m)};  v = β₂·v + (1−β₂)·g² = {fmt(v)};  "
            f"m̂ = m/(1−β₁^{self.t}) = {fmt(m_hat)};  v̂ = v/(1−β₂^{self.t}) = {fmt(v_hat)};  "
            f"Δw = −lr·m̂/(√v̂ + ε) = −{self.lr} × {fp(m_hat)} / ({fmt(math.sqrt(v_hat))} + {self.eps:g})"
            f" = {fmt(d)}"
        )


def slip_answers(q: Question) -> Iterator[tuple[str, float]]:
    """Every known slip for this question and the Δw it gives (see the module docstring)."""
    lr, g = q.lr, q.g
    if q.kind == "sgd":
        yield "you went up the gradient: the step is −lr·g, against the gradient", lr * g
        yield "you forgot the learning rate: Δw = −lr·g, not −g", -g
        return
    if q.kind == "momentum":
        mu, b = q.momentum, q.b or 0.0
        yield "you forgot the momentum buffer: that is plain SGD's −lr·g; momentum uses b = μ·b + g", -lr * g
        yield "you used the old buffer b; first add this step's gradient: b = μ·b + g", -lr * b
        yield (
            "you averaged, b = μ·b + (1−μ)·g; torch's SGD (dampening 0) adds the whole gradient: b = μ·b + g",
            -lr * (mu * b + (1 - mu) * g),
        )
        yield "you went up the gradient: Δw = −lr·b", lr * (mu * b + g)
        return
    b1, b2, eps, t = q.betas[0], q.betas[1], q.eps, q.t
    m = b1 * q.m + (1 - b1) * g
    v = b2 * q.v + (1 - b2) * g * g
    c1, c2 = 1 - b1**t, 1 - b2**t

    def adam(m_: float, v_: float, corrected: bool = True, eps_: float = eps) -> float:
        mh, vh = (m_ / c1, v_ / c2) if corrected else (m_, v_)
        return -lr * mh / (math.sqrt(vh) + eps_)

    yield "you forgot the bias correction: m̂ = m/(1−β₁ᵗ) and v̂ = v/(1−β₂ᵗ), not m and v", adam(m, v, False)
    yield "you forgot ε in the denominator √v̂ + ε", adam(m, v, eps_=0.0)
    yield "you used g instead of m̂ in the numerator", -lr * g / (math.sqrt(v / c2) + eps)
    yield (
        "you squared in the wrong place: v adds (1−β₂)·g², not ((1−β₂)·g)²",
        adam(m, b2 * q.v + ((1 - b2) * g) ** 2),
    )
    yield (
        "you squared in the wrong place: v = β₂·v + (1−β₂)·g², not (β₂·v + (1−β₂)·g)²",
        adam(m, (b2 * q.v + (1 - b2) * g) ** 2),
    )
    yield (
        "you put ε inside the square root: the denominator is √v̂ + ε",
        -lr * (m / c1) / math.sqrt(v / c2 + eps),
    )
    if t > 1 and q.v > 0:
        yield (
            "you used m and v from before this step: first fold in this step's gradient",
            -lr * (q.m / c1) / (math.sqrt(q.v / c2) + eps),
        )
    yield "you went up the gradient: Δw = −lr·m̂/(√v̂ + ε)", -adam(m, v)


def _apart(a: float, b: float) -> bool:
    return abs(a - b) > APART * max(abs(a), abs(b))


def make_question(kind: str, rng: random.Random) -> Question:
    """A question of ``kind`` whose slips are all told apart (see the module docstring)."""
    if kind not in KINDS:
        raise ValueError(f"update quiz: unknown optimizer {kind!r}; known: {', '.join(KINDS)}")

    def nonzero(low: float, high: float) -> float:
        while True:
            x = round(rng.uniform(low, high), 2)
            if abs(x) >= 0.05:
                return x

    for _ in range(10_000):
        q = Question(kind, w=nonzero(-1.0, 1.0), g=nonzero(-2.0, 2.0), lr=rng.choice([0.01, 0.05, 0.1]))
        if kind == "momentum":
            q.momentum, q.b = 0.9, nonzero(-2.0, 2.0)
        elif kind == "adam":
            q.eps = rng.choice([1e-8, 0.01, 0.1])
            q.t = rng.choice([1, 2, 3, 10])
            m = v = 0.0  # the state after t - 1 earlier gradients, shown (and used) to 4 digits
            for _ in range(q.t - 1):
                earlier = nonzero(-2.0, 2.0)
                m = q.betas[0] * m + (1 - q.betas[0]) * earlier
                v = q.betas[1] * v + (1 - q.betas[1]) * earlier * earlier
            q.m, q.v = float(f"{m:.4g}"), float(f"{v:.4g}")
        true = q.true_change()
        slips = [
            (name, value) for name, value in slip_answers(q) if math.isfinite(value) and _apart(value, true)
        ]
        if true != 0 and all(_apart(a, b) for i, (_, a) in enumerate(slips) for _, b in slips[i + 1 :]):
            q.slips = slips
            return q
    raise RuntimeError("update quiz: no question with its slips told apart was found")  # never seen


@dataclass
class Verdict:
    """How an answer compares: right, the slips it matches (named), or neither."""

    right: bool
    slips: list[str]
    note: str = ""


def grade(q: Question, answer: float) -> Verdict:
    """Right when within 1% of the true Δw; else the slips it matches, if any."""
    true = q.true_change()

    def near(a: float, b: float) -> bool:
        return math.isfinite(a) and abs(a - b) <= TOLERANCE * abs(b) + 1e-12

    if near(answer, true):
        return Verdict(True, [])
    if near(answer, q.w + true) and _apart(q.w + true, true):
        return Verdict(True, [], f"that is w after the step; the change is Δw = {fmt(true)}")
    return Verdict(False, [name for name, value in q.slips if near(answer, value)])


def run_quiz(
    kinds: list[str],
    seed: int,
    read: Callable[[], str | None],
    out: TextIO | None = None,
) -> tuple[int, int, bool]:
    """Ask one question per kind; return (right, asked, finished). ``out``: standard output."""
    out = out if out is not None else sys.stdout
    rng = random.Random(seed)
    right = asked = 0
    for kind in kinds:
        q = make_question(kind, rng)
        print(q.text(), file=out)
        outcome = _ask(q, read, out)
        if outcome is None:
            return right, asked, False
        asked += 1
        right += outcome
        print(file=out)
    print(f"{right} of {asked} right (seed {seed}: --seed {seed} asks these again)", file=out)
    return right, asked, True


def _ask(q: Question, read: Callable[[], str | None], out: TextIO) -> int | None:
    for attempt in (1, 2):
        print("Δw = ? ", end="", file=out, flush=True)
        line = read()
        if line is None:
            print(file=out)
            return None
        try:
            answer = float(line.strip().replace("−", "-"))
        except ValueError:
            print(f"{line.strip()[:40]!r} is not a number", file=out)
            continue
        verdict = grade(q, answer)
        if verdict.right:
            print("right" + (f" ({verdict.note})" if verdict.note else "") + f": {q.worked()}", file=out)
            return 1
        if verdict.slips:
            print("not quite: " + "; or ".join(verdict.slips), file=out)
        else:
            print("not right, and no slip I know of gives that number", file=out)
        if attempt == 1:
            print("one more try", file=out)
    print(f"the answer: {q.worked()}", file=out)
    return 0
