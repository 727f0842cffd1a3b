"""The lesson's parts as the classroom's pages open them: the code in each page's editor.

Each part's ``source`` runs the same in CPython and in Pyodide (one process: no subprocess, no
``dot``, no terminal, no ``input()``); ``numbers`` is an expression, evaluated after ``source`` in
the same namespace, whose floats the two runtimes must agree on. The parts follow the seed lesson
(the perceptron, activations, forward propagation, backpropagation, losses, optimizers, XOR) and
then the tools (the quiz, the rule lab, the exercises, the tape, the flipbook, a training run),
with the numbers ``chainrule lesson`` and docs/tutorial.md print. A part that opens a page calls
``show(...)`` only where the page defines it (``if "show" in globals()``): plain Python prints
the same story as text. ``tests/app/test_classroom_parts.py`` runs every part natively and checks
its numbers against answers derived independently (by hand, plain-float loops, PyTorch).

No part shows the answer of an exercise (exercises/derivatives.py): the rule lab's deliberate
mistakes are in ops the exercises do not ask for, and the tape is that of a product and a sum.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Part:
    """One page of the classroom.

    ``slug`` is the page's file name without ``.html`` (``[a-z0-9-]+``); ``intro`` is plain text,
    paragraphs separated by blank lines (the builder escapes it); ``source`` is the Python the
    editor opens with; ``numbers`` evaluates, after ``source``, to a list of floats.
    """

    slug: str
    title: str
    intro: str
    source: str
    numbers: str


PERCEPTRON = """\
import nn

# A perceptron: y_hat = step(w·x + b), with step(z) = 1 if z > 0 else 0.
# The step is flat wherever it has a derivative, so there is no gradient to follow.
# It learns with its own rule, one sample at a time:
#     w += lr·(y - y_hat)·x        b += lr·(y - y_hat)
p = nn.Perceptron(2)                      # w = (0, 0), b = 0, lr = 1
X, y = nn.data.logic_gate("and")          # the four corners, labelled 0, 0, 0, 1
result = p.fit(X, y)
for e in result.epochs:
    print(f"epoch {e.epoch}: w = {e.w}, b = {e.b}, mistakes {e.mistakes}")
print("converged:", result.converged, " predictions:", [p(x) for x in X])

# XOR: no straight line puts (0,1) and (1,0) on one side and (0,0), (1,1) on the other.
xor = nn.Perceptron(2).fit(*nn.data.logic_gate("xor"))
j, k = xor.cycle
print("XOR converged:", xor.converged, f" after epoch {k} the weights are those after epoch {j}: a cycle")
"""

ACTIVATIONS = """\
from autograd import Value

# Three activation functions, their values and their slopes (d out/d z, from backward()).
#   sigmoid(z) = 1 / (1 + e^-z)   between 0 and 1
#   relu(z)    = max(0, z)        0 for z < 0 (and its slope at 0 is taken as 0)
#   tanh(z)                       between -1 and 1
zs = [-2.0, -0.5, 0.0, 0.5, 2.0]
table = []
print("     z   sigmoid   slope     relu   slope     tanh   slope")
for z in zs:
    row = [z]
    for activation in (Value.sigmoid, Value.relu, Value.tanh):
        x = Value(z, label="z")
        out = activation(x)
        out.backward()
        row += [out.data, x.grad]
    table.append(row)
    print("  ".join(f"{number:7.4f}" for number in row))
"""

FORWARD = """\
import math
import nn
from autograd import Value

# The lesson's network, a = sigmoid(w1*x1 + w2*x2 + b), at its starting weights
# (numpy's np.random.seed(1); np.random.randn(2, 1)) and b = 0, on the four XOR inputs.
w1 = Value(1.6243453636632417, label="w1")
w2 = Value(-0.6117564136500754, label="w2")
b = Value(0.0, label="b")
X, y = nn.data.xor()
outputs = []
for x1, x2 in X:
    z = w1 * x1 + w2 * x2 + b          # the weighted sum
    a = z.sigmoid()                    # the activation
    outputs.append(a.data)
    print(f"x = ({x1:.0f}, {x2:.0f})   z = {z.data:+.4f}   a = {a.data:.4f}")

# Layer by layer: an MLP(2, [4, 1]) with tanh hidden units. Each layer's outputs are the
# next layer's inputs.
model = nn.MLP(2, [4, 1], activation="tanh", seed=0)
hidden = model.layers[0]([1.0, 0.0])
print("hidden layer:", [round(h.data, 4) for h in hidden])
score = model.layers[1](hidden)
print("output (a logit):", round(score.data, 4), " probability:", round(1 / (1 + math.exp(-score.data)), 4))
"""

BACKPROP = """\
from autograd import Value

# One sigmoid neuron, a = sigmoid(w*x + b), at x = 0.5, w = 2, b = -1: z = 0, so a = 0.5.
x = Value(0.5, label="x")
w = Value(2.0, label="w")
b = Value(-1.0, label="b")
z = w * x + b
z.label = "z"
a = z.sigmoid()
a.label = "a"

# The backward pass: from da/da = 1, each node adds (local derivative) × (its own grad)
# into its inputs' grads, the chain rule one step at a time. backward_steps() is
# a.backward() with every step written out: it fills the same grads.
for step in a.backward_steps():
    print(step)
print("a =", a.data, " da/dx =", x.grad, " da/dw =", w.grad, " da/db =", b.grad)
print(w.explain(a))

if "show" in globals():  # the classroom page's show(): the live graph page, to step through
    show(a)
"""

LOSSES = """\
import nn
from autograd import Value

# The lesson's neuron at its starting weights on the four XOR samples, and two losses of its
# outputs a against the targets y (both averaged over the m = 4 samples):
#   MSE  = mean (a - y)^2
#   BCE  = mean -(y log a + (1 - y) log(1 - a))     (binary cross-entropy)
X, y = nn.data.xor()
w1 = Value(1.6243453636632417, label="w1")
w2 = Value(-0.6117564136500754, label="w2")
b = Value(0.0, label="b")
a = [(w1 * x1 + w2 * x2 + b).sigmoid() for x1, x2 in X]

bce = nn.binary_cross_entropy(a, y)
bce.backward()
bce_grads = [w1.grad, w2.grad, b.grad]
print(f"BCE = {bce.data:.4f}  dw1 = {w1.grad:+.4f}  dw2 = {w2.grad:+.4f}  db = {b.grad:+.4f}")
print("   (the lesson's dw = X.T @ (a - y) / m and db = sum(a - y) / m)")

for p in (w1, w2, b):
    p.grad = 0.0                       # a leaf's grad adds up over backward() calls: reset it
mse = nn.mse(a, y)
mse.backward()
mse_grads = [w1.grad, w2.grad, b.grad]
print(f"MSE = {mse.data:.4f}  dw1 = {w1.grad:+.4f}  dw2 = {w2.grad:+.4f}  db = {b.grad:+.4f}")
print("   (MSE's gradient has the sigmoid's slope a(1 - a) in it; BCE's cancels it)")
"""

OPTIMIZERS = """\
import nn
from autograd import Value, no_grad

# One neuron z = w*x + b on seven points of a line, trained on BCE with logits from
# w = -1.5, b = 1.5 by three optimizers, 100 steps each.
xs = [-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0]
ys = [0, 0, 1, 0, 1, 1, 1]


def train(make_optimizer, steps=100):
    w, b = Value(-1.5, label="w"), Value(1.5, label="b")
    optimizer = make_optimizer([w, b])
    for step in range(steps):
        loss = nn.binary_cross_entropy_with_logits([w * x + b for x in xs], ys)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    with no_grad():
        loss = nn.binary_cross_entropy_with_logits([w * x + b for x in xs], ys)
    return [loss.data, w.data, b.data]


results = {
    "SGD": train(lambda params: nn.SGD(params, lr=0.5)),          # step = -lr * grad
    "Adam": train(lambda params: nn.Adam(params, lr=0.1)),        # per-parameter steps, momentum
    "RMSprop": train(lambda params: nn.RMSprop(params, lr=0.05)), # steps scaled by recent grads
}
# The lowest loss this neuron can reach is about 0.3497. Adam's and RMSprop's steps are about
# lr long whatever the gradient's size: try other learning rates, and fewer steps.
for name, (loss, w, b) in results.items():
    print(f"{name:8} loss {loss:.4f}   w = {w:+.4f}   b = {b:+.4f}")
"""

XOR = """\
import math
import autograd
import nn

# XOR needs a hidden layer: MLP(2, [4, 1]), tanh hidden units, a logit output,
# BCE with logits, plain gradient descent (lr 0.5), 1000 steps, as `chainrule lesson` does.
X, y = nn.data.xor()
model = nn.MLP(2, [4, 1], activation="tanh", seed=0)
optimizer = nn.SGD(model.parameters(), lr=0.5)
losses = []
for step in range(1000):
    loss = nn.binary_cross_entropy_with_logits([model(x) for x in X], y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    losses.append(loss.data)
    autograd.free_graph(loss)          # take the step's graph apart (a browser's stack is small)
    if step % 200 == 0:
        print(f"step {step:4}  loss {loss.data:.4f}")

with autograd.no_grad():
    probabilities = [1 / (1 + math.exp(-model(x).data)) for x in X]
for x, target, p in zip(X, y, probabilities):
    print(f"x = ({x[0]:.0f}, {x[1]:.0f})   target {target}   output {p:.4f}")
print(f"final loss {losses[-1]:.4f}")
"""

QUIZ = '''\
import io
from autograd.learn.quiz import quiz
from chainrule.expression import build_expression

# The quiz of `chainrule quiz "tanh(w*x + b)" x=2 w=-3 b=6.88`: predict each gradient
# d out/d n, in the order backward() completes them.
out, leaves = build_expression("tanh(w*x + b)", {"x": 2.0, "w": -3.0, "b": 6.88})
out.label = "out"

# Your answers, one per line: 0.5, -1/3, 1e-3, inf or nan. Run to see the forward pass and
# the first question; add a line and run again. A wrong answer gets a hint, and your next
# line is its second try.
answers = """
"""

result = quiz(out, input=io.StringIO(answers.strip()))
'''

RULE_LAB = """\
import math
from autograd import check_op, check_backward


# check_op grades a local derivative: derivative(x, out) returns d(out)/dx.
def relu(x):
    return max(0.0, x)


def relu_derivative(x, out):
    return 1.0                   # a deliberate mistake: fix it, and run again


report = check_op(relu, relu_derivative, domain=(-3, 3))
print(report)
print()


# check_backward grades a micrograd-style backward: add into the inputs' grads.
def mul(a, b):
    return a * b


def mul_backward(a, b, out):
    a.grad = b.data * out.grad   # a deliberate mistake: a value used twice needs its grads added
    b.grad = a.data * out.grad


report_backward = check_backward(mul, mul_backward)
print(report_backward)

# Your own op: write a forward rule and its derivative, then grade it.
# def softsign(x): return x / (1 + abs(x))
# def softsign_derivative(x, out): return ...
# print(check_op(softsign, softsign_derivative))
"""

EXERCISES = '''\
"""Your derivatives (exercises/derivatives.py): fill in each function, then run.

Each function gets the op's inputs and then its output out (already computed for you), and
returns the local derivative d(out)/d(input): one number for one input, a tuple for several,
in the order of the inputs. Keep each answer to plain arithmetic on the numbers you are given:
an answer that calls the engine (Value ops, backward(), autograd.grad) or takes a finite
difference fails, and the grader says so. It draws new points each run.
"""

import math


def sigmoid_derivative(x, out):
    """out = sigmoid(x) = 1 / (1 + e**-x).  Return d(out)/dx."""
    return None  # your answer here


def tanh_derivative(x, out):
    """out = tanh(x).  Return d(out)/dx."""
    return None  # your answer here


def mse_derivative(prediction, target, out):
    """out = (prediction - target)**2, one example's squared error.

    Return (d(out)/d(prediction), d(out)/d(target)).
    """
    return None  # your answer here


def cross_entropy_derivative(logit, target, out):
    """out = log(1 + e**logit) - target * logit: binary cross-entropy of sigmoid(logit) against target.

    Return (d(out)/d(logit), d(out)/d(target)).
    """
    return None  # your answer here


def neuron_derivative(w1, w2, b, x1, x2, out):
    """out = tanh(w1*x1 + w2*x2 + b), one neuron.

    Return the derivatives with respect to (w1, w2, b, x1, x2), in that order.
    """
    return None  # your answer here


def tanh_backward(x, out):
    """micrograd style: x and out are Values. out.data = tanh(x.data), out.grad = upstream gradient.

    Add this op's share into x.grad (return nothing).
    """
    pass  # your answer here


# --- the grader, exercises/check.py, in this page's Python (leave this part as it is) ---
import pathlib
import sys

import chainrule

grader = pathlib.Path(chainrule.__file__).resolve().parents[1] / "exercises"
if not (grader / "check.py").is_file():
    raise SystemExit(f"the grader is not here ({grader / 'check.py'}): build the classroom from a checkout")
sys.path.insert(0, str(grader))
import check  # noqa: E402

seed = check.new_seed()
verdicts = check.grade_functions(globals(), seed)
for verdict in verdicts:
    print(verdict, end="\\n\\n")
print(check.summary(verdicts))
print(f"{sum(v.ok for v in verdicts)} of {len(verdicts)} exercises pass (points drawn with seed {seed})")
'''

TAPE = """\
from autograd import trace


# Karpathy's example: L = (a*b + c) * f. The tape is the Wengert list of one run:
# one line per op going forward, one adjoint line per edge going back.
def expression(a, b, c, f):
    e = a * b
    e.label = "e"
    d = e + c
    d.label = "d"
    L = d * f
    L.label = "L"
    return L


t = trace(expression, 2.0, -3.0, 10.0, -2.0)
print(t.table())
print(t.source())                 # the same tape as Python on plain floats
L_and_grads = t.compile()         # that function, ready to call
value, grads = L_and_grads(2.0, -3.0, 10.0, -2.0)
print("L =", value, " dL/d(a, b, c, f) =", grads)
"""

FLIPBOOK = """\
import autograd
import nn
from autograd.see.flipbook import flipbook_page

# A training run kept step by step (loss, weights, grads, the decision boundary), for the
# flipbook: a page with a scrubber over the steps.
X, y = nn.data.xor()
model = nn.MLP(2, [4, 1], activation="tanh", seed=0)
optimizer = nn.SGD(model.parameters(), lr=0.5)
recorder = nn.TrainingRecorder(model, X, y)
for step in range(120):
    loss = nn.binary_cross_entropy_with_logits([model(x) for x in X], y)
    optimizer.zero_grad()
    loss.backward()
    recorder.record(loss)              # after backward(): this step's grads
    optimizer.step()
    autograd.free_graph(loss)

run = recorder.as_dict()
page = flipbook_page(run, "XOR, MLP(2, [4, 1]), 120 steps")
losses = [frame["loss"] for frame in run["frames"]]
print(f"{len(run['frames'])} frames; loss {losses[0]:.4f} -> {losses[-1]:.4f}; page {len(page):,} characters")
if "show" in globals():  # the classroom page's show(): the flipbook opens, where it can
    try:
        show(recorder)
    except TypeError as refused:  # a show() that opens graphs (Values) only
        print(f"({refused}; the flipbook's HTML is in page)")
"""

TRAIN = """\
from chainrule.train import load_dataset, make_loss, make_optimizer, train_epochs
from nn import LambdaLR, MLP

# `chainrule train moons --samples 40 --hidden 8 --epochs 40 --fast`, small, as text:
# the loss is traced once and each epoch replays it as float code (same numbers, faster).
X, labels, classes = load_dataset("moons", 40, seed=0)
model = MLP(2, [8, 1], activation="relu", seed=0)
loss_fn = make_loss("hinge", classes, labels)
optimizer = make_optimizer("sgd", model.parameters(), lr=0.5)
schedule = LambdaLR(optimizer, lambda k: 1.0 - 0.9 * k / 40)   # lr falls to lr/10
run = train_epochs(model, loss_fn, optimizer, schedule, X, labels, "hinge", epochs=40, fast=True)
for epoch in range(0, 40, 8):
    print(f"epoch {epoch + 1:3}  loss {run.losses[epoch]:.4f}  accuracy {run.accuracies[epoch]:.0%}")
print(f"final loss {run.final_loss:.4f}, accuracy {run.final_accuracy:.0%}")
"""

PARTS: tuple[Part, ...] = (
    Part(
        slug="perceptron",
        title="The perceptron",
        intro=(
            "The lesson's first model: a weighted sum and a step, learned with the perceptron "
            "rule instead of gradients.\n\n"
            "It learns AND in six epochs. On XOR it never stops: no straight line separates the "
            "classes, so the same epochs repeat for ever."
        ),
        source=PERCEPTRON,
        numbers=(
            "[*p.w, p.b, float(len(result.epochs)), float(result.converged), float(xor.converged), "
            "*map(float, xor.cycle)]"
        ),
    ),
    Part(
        slug="activations",
        title="Sigmoid, ReLU, tanh",
        intro=(
            "An activation function bends the weighted sum so that layers can learn more than "
            "straight lines.\n\n"
            "Each row gives one input z, then each function's value and its slope d out/d z, "
            "which backward() multiplies into every gradient that passes through it."
        ),
        source=ACTIVATIONS,
        numbers="[number for row in table for number in row]",
    ),
    Part(
        slug="forward",
        title="Forward propagation",
        intro=(
            "Forward propagation: take the inputs, form each neuron's weighted sum, apply the "
            "activation, layer by layer, up to the output.\n\n"
            "First the lesson's one-neuron network at its starting weights, then a small MLP one "
            "layer at a time."
        ),
        source=FORWARD,
        numbers="[*outputs, *(h.data for h in hidden), score.data]",
    ),
    Part(
        slug="backprop",
        title="Backpropagation by the chain rule",
        intro=(
            "backward() starts from d a/d a = 1 and walks the graph from the output back: each "
            "node adds its local derivative times its consumer's gradient into its inputs' "
            "grads.\n\n"
            "Here z = w·x + b = 0, so a = 0.5 and the sigmoid's slope is a(1 - a) = 0.25: "
            "da/dw = 0.25 × x = 0.125."
        ),
        source=BACKPROP,
        numbers="[a.data, x.grad, w.grad, b.grad]",
    ),
    Part(
        slug="losses",
        title="MSE and cross-entropy",
        intro=(
            "A loss says how far the outputs are from the targets; its gradient says which way "
            "to move each weight.\n\n"
            "With binary cross-entropy the sigmoid's slope cancels and dz = a - y, the lesson's "
            "backward pass. With the mean squared error it stays in, and the gradients are "
            "smaller where the neuron is sure."
        ),
        source=LOSSES,
        numbers="[bce.data, *bce_grads, mse.data, *mse_grads]",
    ),
    Part(
        slug="optimizers",
        title="SGD, Adam and RMSprop",
        intro=(
            "An optimizer turns gradients into steps. SGD steps by the learning rate times the "
            "gradient; Adam and RMSprop scale each parameter's step by the size of its recent "
            "gradients.\n\n"
            "The same neuron, from the same start, trained by each of them."
        ),
        source=OPTIMIZERS,
        numbers="[number for name in ('SGD', 'Adam', 'RMSprop') for number in results[name]]",
    ),
    Part(
        slug="xor",
        title="XOR with a hidden layer",
        intro=(
            "One neuron cannot learn XOR (the lesson's loop ends with 0.5 for every input). One "
            "hidden layer can: it maps the four points to features in which they are separable "
            "by a line.\n\n"
            "These are the numbers `chainrule lesson` prints for the MLP."
        ),
        source=XOR,
        numbers="[*probabilities, losses[-1]]",
    ),
    Part(
        slug="quiz",
        title="The quiz: predict each gradient",
        intro=(
            "The backward pass, one question at a time: the quiz computes each gradient itself "
            "and asks for it before showing it.\n\n"
            "Type your answers in the answers text, one per line, and run. A wrong answer gets "
            "the name of the slip it looks like, a hint, and a second try."
        ),
        source=QUIZ,
        numbers=(
            "[float(result.right), float(result.second_try), float(result.asked), float(result.questions)]"
        ),
    ),
    Part(
        slug="rule-lab",
        title="The rule lab: grade your own derivative",
        intro=(
            "check_op tries your derivative at many points against central differences of the "
            "forward rule, then uses it inside graphs; check_backward does the same for a "
            "micrograd-style backward. Each names the mistake when it recognises one.\n\n"
            "Both examples hold a deliberate mistake: read the report, fix the code, run again."
        ),
        source=RULE_LAB,
        numbers=(
            "[float(report.ok), float(len(report.mistakes)), float(report_backward.ok), "
            "float(len(report_backward.mistakes))]"
        ),
    ),
    Part(
        slug="exercises",
        title="The exercises, graded in the page",
        intro=(
            "Six derivatives to write yourself, the ones the lesson uses: sigmoid, tanh, the squared "
            "error, binary cross-entropy, a whole neuron, and a micrograd-style backward.\n\n"
            "The grader draws fresh points each run, compares your numbers with the derivative of "
            "the forward rule, and names the mistake when it recognises one. In the browser it runs "
            "your code in this page's Python (no process can be started there): "
            "docs/exercises.md says what that changes."
        ),
        source=EXERCISES,
        numbers=(
            "[float(sum(v.ok for v in verdicts)), float(len(verdicts)), "
            "float(sum('blank' in v.kinds for v in verdicts))]"
        ),
    ),
    Part(
        slug="tape",
        title="The tape: trace(...).table() and .source()",
        intro=(
            "The same backward pass written as a Wengert list: one line per op going forward, "
            "one adjoint line per edge going back (x̄ is d L/d x, what backward() stores in "
            "x.grad).\n\n"
            ".source() is that tape as a Python function on plain floats; .compile() runs it."
        ),
        source=TAPE,
        numbers="[value, *grads]",
    ),
    Part(
        slug="flipbook",
        title="The flipbook of a training run",
        intro=(
            "A run recorded step by step: the loss, every weight and grad, the decision "
            "boundary. The flipbook shows it with a scrubber; the page opens it where it can "
            "show pages."
        ),
        source=FLIPBOOK,
        numbers="[float(len(run['frames'])), losses[0], losses[29], losses[-1]]",
    ),
    Part(
        slug="train",
        title="A small training run",
        intro=(
            "chainrule train's own code path with --fast, small: two moons, 40 points, an "
            "MLP(2, [8, 1]), hinge loss, 40 epochs.\n\n"
            "With --fast the loss is traced once and replayed as float code: the same numbers "
            "as the node engine, several times faster."
        ),
        source=TRAIN,
        numbers="[run.losses[0], run.losses[-1], run.final_loss, run.final_accuracy]",
    ),
)
