"""The ``chainrule`` command (also ``python -m chainrule``).

    chainrule lesson [--out DIR]                 replay the seed lesson, write pictures
    chainrule graph "tanh(w*x + b)" x=2 w=-3 b=6.88 [-o graph.svg] [--steps page.html]
                                                 [--no-grad] [--edge-labels]
    chainrule quiz "tanh(w*x + b)" x=2 w=-3 b=6.88     predict each gradient, one per line
    chainrule train {xor,moons,circles,blobs} [--batch-size N] [--flipbook run.html] [...]
    chainrule perceptron {and,or,nand,nor,xor} [--epochs N] [--lr LR] [--out DIR]
    chainrule optimizers {xor,moons,neuron} [-o optimizers.html] [--optimizers sgd,adam] [...]
    chainrule update-quiz [--optimizers sgd,momentum,adam] [--seed N]   predict an optimizer's step
    chainrule gpt [--steps N] [--fast] [--seed N] [--names FILE] [--save MODEL.json] [...]
                                                 train the tiny GPT on names, print samples
    chainrule --version

Expected mistakes (bad arguments, an expression that does not parse, a missing Graphviz)
end with a one-line message and a non-zero exit code, never a traceback.
"""

from __future__ import annotations

import argparse
import io
import itertools
import os
import sys
import unicodedata
import warnings
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from autograd.backward import topological_order
from autograd.value import Value
from chainrule import __version__
from chainrule.expression import ExpressionError, build_expression
from chainrule.optional import install_hint


class UserError(Exception):
    """A mistake the user can fix; printed as one line with exit code 1 (2 for bad arguments)."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def _assignment(text: str) -> tuple[str, float]:
    name, sep, number = text.partition("=")
    if not sep or not unicodedata.normalize("NFKC", name).isidentifier():
        raise argparse.ArgumentTypeError(f"expected NAME=NUMBER, got {text!r}")
    try:
        return name, float(number)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{name}: {number!r} is not a number") from None


def _positive_int(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r:.60}") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be >= 1, got {n}")
    return n


MAX_PARAMETERS = 100_000  # a scalar engine trains a few thousand comfortably; this is minutes per epoch
MAX_DEPTH = 100  # hidden layers
MAX_WIDTH = 1_000  # neurons in one hidden layer
MAX_EPOCHS = 1_000_000
MAX_SAMPLES = 100_000  # and samples x parameters is bounded too (chainrule.train.MAX_GRAPH)
MAX_STEPS = 100_000  # chainrule optimizers; with the page's own bound (chainrule.optimizers.MAX_PAGE_ENTRIES)
MAX_GRID = 100  # chainrule optimizers' surface: grid**2 forward passes over the data, 10,000 at most
MAX_GPT_STEPS = 100_000  # chainrule gpt: about two hours on the node engine, a name a step
MAX_GPT_SAMPLES = 1_000  # chainrule gpt: names drawn at the end


def _at_most(limit: int) -> Callable[[str], int]:
    """An argparse type: a whole number from 1 to ``limit``."""

    def bounded(text: str) -> int:
        n = _positive_int(text)
        if n > limit:
            raise argparse.ArgumentTypeError(f"the limit is {limit:,}, got {n:,}")
        return n

    return bounded


def _grid(text: str) -> int:
    """``--grid``: 0 (no surface) or 2 to MAX_GRID points per side."""
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r:.60}") from None
    if n == 1 or not 0 <= n <= MAX_GRID:
        raise argparse.ArgumentTypeError(f"must be 0 (no surface) or from 2 to {MAX_GRID}, got {n:,}")
    return n


def _sizes(text: str) -> list[int]:
    """Hidden layer sizes such as ``16,16``: at most MAX_DEPTH layers of at most MAX_WIDTH
    neurons, and at most MAX_PARAMETERS weights in all."""
    parts = text.split(",")
    if len(parts) > MAX_DEPTH:  # before reading them: a million-layer text stops here
        raise argparse.ArgumentTypeError(f"at most {MAX_DEPTH} hidden layers, got {len(parts):,}")
    try:
        sizes = [int(part) for part in parts if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected sizes such as 16,16, got {text!r:.60}") from None
    if any(n < 1 for n in sizes):
        raise argparse.ArgumentTypeError(f"layer sizes must be >= 1, got {text!r:.60}")
    if max(sizes, default=0) > MAX_WIDTH:
        raise argparse.ArgumentTypeError(
            f"a hidden layer has at most {MAX_WIDTH:,} neurons, got {max(sizes):,} in {text!r:.60}"
        )
    widths = [2, *sizes, 3]  # two inputs, at most three outputs
    count = sum((fan_in + 1) * fan_out for fan_in, fan_out in itertools.pairwise(widths))
    if count > MAX_PARAMETERS:
        raise argparse.ArgumentTypeError(
            f"{text!r:.60} makes an MLP of about {count:,} parameters; the limit is {MAX_PARAMETERS:,} "
            "(each parameter is a Python object: try 16,16)"
        )
    return sizes


def _positive_float(text: str) -> float:
    try:
        x = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not x > 0 or x == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a positive number, got {text!r}")
    return x


def _html_path(text: str) -> str:
    if not text.lower().endswith((".html", ".htm")):
        raise argparse.ArgumentTypeError(f"the page's name must end in .html, got {text!r}")
    return text


def _expression(args: argparse.Namespace) -> tuple[Value, dict[str, Value]]:
    """The graph of ``args.expression`` with ``args.variables``; bad ones are a UserError (exit 2)."""
    names = [unicodedata.normalize("NFKC", name) for name, _ in args.variables]  # as Python reads names
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:
        raise UserError(f"variable {twice[0]!r} is given twice", exit_code=2)
    variables = dict(args.variables)
    try:
        root, leaves = build_expression(args.expression, variables)
    except ExpressionError as err:
        raise UserError(f"in the expression: {err}", exit_code=2) from None
    if root.op:  # named "out", unless a variable is: then the variable keeps its name
        root.label = next((name for name in ("out", "result", "root") if name not in leaves), "out")
    return root, leaves


def _graph(args: argparse.Namespace) -> None:
    if Path(args.output).suffix.lower() not in (".svg", ".png", ".pdf"):
        raise UserError(f"-o {args.output}: the picture's name must end in .svg, .png or .pdf", exit_code=2)
    if args.steps and Path(args.steps).suffix.lower() not in (".html", ".htm"):
        raise UserError(f"--steps {args.steps}: the page's name must end in .html", exit_code=2)
    root, leaves = _expression(args)
    from autograd.see import draw, page

    values = len(topological_order(root))
    if values > draw.MAX_NODES:  # say it in the command's terms, after the numbers
        root.backward()
        _print_numbers(args.expression, root, leaves)
        raise UserError(
            f"the expression makes {values} values, more than the {draw.MAX_NODES} a picture or a page "
            "can show readably, so nothing was drawn; draw a smaller part of it"
        )
    try:
        written = []
        if args.steps:  # the page runs its own backward pass, in the page
            written.append(page.render_steps(root, args.steps, rankdir="auto", edge_labels=args.edge_labels))
        root.backward()
        _print_numbers(args.expression, root, leaves)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", draw.IllegibleGraphWarning)
            picture = draw.render(root, args.output, show_grad=not args.no_grad, edge_labels=args.edge_labels)
        written.insert(0, picture)
        _print_warnings(args.command, caught, draw.IllegibleGraphWarning)
    except draw.GraphvizMissing as err:  # no `dot` program: keep the DOT source, say how to draw it
        for path in written:  # the --steps page: it lays itself out in the browser without dot
            print(f"wrote {path} (laid out by the browser: no dot here)")
        source = Path(args.output).with_suffix(".dot")
        options = {"show_grad": not args.no_grad, "edge_labels": args.edge_labels}
        source.write_text(draw.draw_dot(root, **options).source, encoding="utf-8")
        raise UserError(f"{err}; wrote the DOT source to {source}") from None
    for path in written:
        print(f"wrote {path}")


def _print_warnings(command: str, caught: list[warnings.WarningMessage], illegible: type[Warning]) -> None:
    """Each ``IllegibleGraphWarning`` as one line in the command's terms (its ways out, ``collapse=``
    and ``focus=``, are options of the Python API, not of the command); any other warning as Python
    shows it."""
    for w in caught:
        if not issubclass(w.category, illegible):
            warnings.showwarning(w.message, w.category, w.filename, w.lineno, w.file, w.line)
            continue
        text = str(w.message).removeprefix("render: ").split(" Draw less:")[0]
        print(f"chainrule {command}: warning: {text} Draw a smaller part of the expression.", file=sys.stderr)


def _print_numbers(expression: str, root: Value, leaves: dict[str, Value]) -> None:
    print(f"value: {expression} = {root.data:.6g}")
    for name, leaf in leaves.items():
        print(f"d/d{name} = {leaf.grad:.6g}")


def _quiz(args: argparse.Namespace) -> None:
    from autograd.learn.quiz import plural, question_count, quiz

    root, _ = _expression(args)
    if question_count(root) == 0:
        raise UserError(
            f"{args.expression!r} gives the quiz nothing to ask: it asks for the gradient of each "
            "variable and each computed step below the result, and constants are not asked; "
            'try chainrule quiz "2*x" x=3',
            exit_code=2,
        )
    if sys.stdin is None:  # started with standard input closed (<&-)
        raise UserError("standard input is closed; the quiz reads one answer per line from it")
    if isinstance(sys.stdin, io.TextIOWrapper):  # a byte that is not text reads as an unreadable answer
        sys.stdin.reconfigure(errors="replace")
    if isinstance(sys.stdout, io.TextIOWrapper):  # ∂ and × on a console that cannot show them
        sys.stdout.reconfigure(errors="replace")
    result = quiz(root)
    if not result.finished:
        raise UserError(
            f"standard input ended after {result.asked} of {plural(result.questions, 'question')} "
            "(the quiz reads one answer per line)"
        )


def _classroom(args: argparse.Namespace) -> None:
    from chainrule.classroom.build import build_classroom
    from chainrule.classroom.fetch import ClassroomError

    try:
        written = build_classroom(args.out, args.pyodide)
    except ClassroomError as err:
        raise UserError(str(err)) from None
    size = sum(path.stat().st_size for path in written)
    print(f"wrote {len(written)} files ({size / 1e6:.1f} MB) to {args.out}/; serve the folder, e.g.")
    print(f"    python -m http.server --directory {args.out} 8000")
    print("and open http://localhost:8000/ in a browser")


def _lesson(args: argparse.Namespace) -> None:
    from chainrule.lesson import run_lesson

    run_lesson(Path(args.out))


def _perceptron(args: argparse.Namespace) -> None:
    from chainrule.perceptron import run_perceptron

    run_perceptron(args.gate, args.epochs, args.lr, Path(args.out))


def _train(args: argparse.Namespace) -> None:
    from chainrule.train import TrainingError, run_training

    try:
        run_training(args)
    except TrainingError as err:
        raise UserError(str(err), exit_code=err.exit_code) from None
    except ValueError as err:  # --load of a broken file
        raise UserError(str(err)) from None


def _optimizers(args: argparse.Namespace) -> None:
    from chainrule.optimizers import OptimizersError, run_optimizers

    try:
        lines = run_optimizers(args)
    except OptimizersError as err:
        raise UserError(str(err), exit_code=2) from None
    except ValueError as err:  # a hyperparameter the optimizer refuses
        raise UserError(str(err), exit_code=2) from None
    print("\n".join(lines))


def _update_quiz(args: argparse.Namespace) -> None:
    import random

    from chainrule.update_quiz import KINDS, run_quiz

    unknown = [k for k in args.optimizers if k not in KINDS]
    if unknown or not args.optimizers:
        raise UserError(
            f"--optimizers: unknown optimizer {unknown[0] if unknown else ''!r}; known: {', '.join(KINDS)}", 2
        )
    if sys.stdin is None:
        raise UserError("standard input is closed; the quiz reads one answer per line from it")
    if isinstance(sys.stdin, io.TextIOWrapper):
        sys.stdin.reconfigure(errors="replace")
    if isinstance(sys.stdout, io.TextIOWrapper):
        sys.stdout.reconfigure(errors="replace")
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(1_000_000)

    def read() -> str | None:
        line = sys.stdin.readline()
        return line.rstrip("\n") if line else None

    _, asked, finished = run_quiz(args.optimizers, seed, read)
    if not finished:
        raise UserError(
            f"standard input ended after {asked} of {len(args.optimizers)} questions (one answer per line)"
        )


def _gpt(args: argparse.Namespace) -> None:
    from chainrule.gpt import GPTError, run_gpt

    try:
        code = run_gpt(
            args.steps, lr=args.lr, seed=args.seed, fast=args.fast, samples=args.samples,
            temperature=args.temperature, names_file=args.names, save=args.save,
        )  # fmt: skip
    except GPTError as err:
        raise UserError(str(err), exit_code=err.exit_code) from None
    if code:
        raise KeyboardInterrupt  # Ctrl-C: the samples and the model so far are out; exit 130


def _names(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _add_expression_arguments(command: argparse.ArgumentParser, expression: str, variables: str) -> None:
    """EXPRESSION and NAME=NUMBER ..., as ``_expression`` reads them (graph and quiz)."""
    command.add_argument("expression", help=expression)
    command.add_argument("variables", nargs="*", type=_assignment, metavar="NAME=NUMBER", help=variables)


class _Parser(argparse.ArgumentParser):
    """argparse, except that an expression starting with ``-`` (``"-(x*y)"``) is an argument.

    argparse reads any word that starts with ``-`` as an option; a word with one leading ``-``,
    no ``=``, that no option of the command begins with, is read as the expression instead.
    """

    def _parse_optional(self, arg_string: str) -> Any:
        if _is_expression(arg_string, self._option_string_actions):
            return None  # a positional argument
        return super()._parse_optional(arg_string)


def _is_expression(word: str, options: Mapping[str, object]) -> bool:
    """Whether ``word`` starts with one ``-`` and is no option: ``-(x*y)``, ``-x``, ``-2*x``."""
    if len(word) < 2 or word[0] != "-" or word[1] == "-" or "=" in word:
        return False
    return not any(word.startswith(option) for option in options if not option.startswith("--"))


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="chainrule",
        description="See backpropagation work: a scalar autograd engine for teaching.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    lesson = commands.add_parser(
        "lesson",
        help="replay the lesson: a sigmoid neuron fails on XOR, an MLP solves it",
        description="Replay the seed lesson and write its pictures into DIR.",
    )
    lesson.add_argument(
        "--out", default="chainrule-out", metavar="DIR", help="where to write (default: %(default)s)"
    )
    lesson.set_defaults(run=_lesson)

    classroom = commands.add_parser(
        "classroom",
        help="write the lesson as a static folder that runs chainrule in the browser (Pyodide), offline",
        description="Write OUT, a folder of web pages (the lesson's parts, each with an editor that runs "
        "chainrule in the browser through Pyodide) for any static web server. Pyodide comes from "
        "--pyodide, or is fetched once with 'npm pack' into the user cache; its files are checked "
        "against pinned hashes.",
    )
    classroom.add_argument(
        "out", metavar="OUT", help="the folder to write (new, empty, or an earlier classroom)"
    )
    classroom.add_argument(
        "--pyodide",
        metavar="DIR|TGZ",
        help="the pinned Pyodide release's files: 'npm pack' output, packed (.tgz) or unpacked",
    )
    classroom.set_defaults(run=_classroom)

    perceptron = commands.add_parser(
        "perceptron",
        help="the perceptron rule on a logic gate, epoch by epoch: AND and OR learned, XOR never",
        description="Train a perceptron (a weighted sum and a step) on a logic gate with the perceptron "
        "rule; print the weights and mistakes per epoch and draw the decision line per epoch.",
    )
    perceptron.add_argument("gate", choices=["and", "or", "nand", "nor", "xor"])
    perceptron.add_argument("--epochs", type=_positive_int, default=20, help="at most (default: %(default)s)")
    perceptron.add_argument("--lr", type=_positive_float, default=1.0, help="(default: %(default)s)")
    perceptron.add_argument("--out", default="chainrule-out", metavar="DIR", help="where to draw")
    perceptron.set_defaults(run=_perceptron)

    graph = commands.add_parser(
        "graph",
        help="build an expression, run backward, print gradients and draw the graph",
        description="Build EXPRESSION from text (numbers, names, + - * / **, and calls such as tanh(x)), "
        "run backward and draw it.",
    )
    _add_expression_arguments(graph, 'e.g. "tanh(w1*x1 + w2*x2 + b)"', "e.g. x1=2 w1=-3")
    graph.add_argument("-o", "--output", default="graph.svg", help="picture to write: .svg, .png or .pdf")
    graph.add_argument("--steps", metavar="PAGE.html", help="also write the step-through page")
    graph.add_argument("--no-grad", action="store_true", help="draw data only, without gradients")
    graph.add_argument(
        "--edge-labels",
        action="store_true",
        help="write on each edge: local derivative × upstream gradient = contribution "
        "(on the picture and on the --steps page)",
    )
    graph.set_defaults(run=_graph)

    quiz = commands.add_parser(
        "quiz",
        help="predict each gradient of an expression's backward pass before it is shown",
        description="Build EXPRESSION, then walk its backward pass asking for each gradient "
        "(one number per line on standard input; a wrong answer gets a hint and one more try).",
    )
    _add_expression_arguments(quiz, 'e.g. "tanh(w*x + b)"', "e.g. x=2 w=-3")
    quiz.set_defaults(run=_quiz)

    train = commands.add_parser(
        "train",
        help="train an MLP on a toy data set and plot it",
        description="Train an MLP on a toy data set; write the loss curve, decision boundary and model.",
    )
    train.add_argument("dataset", choices=["xor", "moons", "circles", "blobs"])
    train.add_argument("--hidden", type=_sizes, default=[16, 16], help="hidden layer sizes (default: 16,16)")
    train.add_argument("--activation", default="relu", choices=["relu", "tanh", "sigmoid"])
    train.add_argument("--loss", default=None, choices=["hinge", "mse", "bce", "cross_entropy"])
    train.add_argument("--optimizer", default="sgd", choices=["sgd", "adam", "rmsprop"])
    train.add_argument(
        "--lr", type=_positive_float, default=None, help="learning rate (default: per optimizer)"
    )
    train.add_argument("--epochs", type=_at_most(MAX_EPOCHS), default=100, help="(default: %(default)s)")
    train.add_argument("--seed", type=int, default=0, help="seeds the data and the weights (default: 0)")
    train.add_argument(
        "--samples", type=_at_most(MAX_SAMPLES), default=100, help="data set size (default: %(default)s)"
    )
    train.add_argument(
        "--batch-size",
        type=_positive_int,
        default=None,
        metavar="N",
        help="mini-batch SGD: a step per N shuffled samples (default: all the data, a step an epoch)",
    )
    train.add_argument("--out", default="chainrule-out", metavar="DIR")
    train.add_argument("--load", metavar="MODEL.json", help="continue from a saved model")
    train.add_argument(
        "--flipbook",
        metavar="PAGE.html",
        type=_html_path,
        help="also write the run as a page to scrub through",
    )
    train.add_argument(
        "--fast", action="store_true", help="trace the loss once and run each step as generated float code"
    )
    train.set_defaults(run=_train)

    optimizers = commands.add_parser(
        "optimizers",
        help="train one model with SGD, momentum, Nesterov, RMSprop and Adam; write a page comparing them",
        description="Train the same model from the same start with several optimizers; write a page with "
        "their loss curves, their paths on the loss surface and each one's state, step by step.",
    )
    optimizers.add_argument("dataset", choices=["xor", "moons", "neuron"])
    optimizers.add_argument(
        "-o",
        "--output",
        default="optimizers.html",
        type=_html_path,
        metavar="PAGE.html",
        help="the page to write (default: optimizers.html)",
    )
    optimizers.add_argument(
        "--optimizers",
        type=_names,
        default=["sgd", "momentum", "nesterov", "rmsprop", "adam"],
        help="comma-separated, from sgd,momentum,nesterov,rmsprop,adam (default: all five)",
    )
    optimizers.add_argument(
        "--lr", type=_assignment, action="append", default=[], metavar="NAME=X", help="e.g. --lr adam=0.05"
    )
    optimizers.add_argument("--steps", type=_at_most(MAX_STEPS), default=100, help="(default: %(default)s)")
    optimizers.add_argument(
        "--grid", type=_grid, default=40, help="surface points per side, 0 for none (default: %(default)s)"
    )
    optimizers.add_argument(
        "--hidden", type=_sizes, default=None, help="hidden layer sizes (default: xor 4, moons 16,16)"
    )
    optimizers.add_argument("--activation", default=None, choices=["relu", "tanh", "sigmoid"])
    optimizers.add_argument("--seed", type=int, default=0, help="seeds the data and the weights (default: 0)")
    optimizers.add_argument(
        "--samples",
        type=_at_most(MAX_SAMPLES),
        default=100,
        help="moons: data set size (default: %(default)s)",
    )
    optimizers.set_defaults(run=_optimizers)

    update_quiz = commands.add_parser(
        "update-quiz",
        help="predict what SGD, momentum or Adam will do to w at one step, with the state shown",
        description="Each question shows w, its gradient, the hyperparameters and the optimizer's state, and "
        "asks for the change Δw (one number per line on standard input); a wrong answer gets the slip it "
        "matches, if it matches one, and one more try.",
    )
    update_quiz.add_argument(
        "--optimizers",
        type=_names,
        default=["sgd", "momentum", "adam"],
        help="from sgd,momentum,adam (default: all)",
    )
    update_quiz.add_argument(
        "--seed", type=int, default=None, help="repeat a quiz's questions (printed at the end)"
    )
    update_quiz.set_defaults(run=_update_quiz)

    gpt = commands.add_parser(
        "gpt",
        help="train a tiny GPT (4,192 Values) on names with a progress bar, then print names it makes up",
        description="Train the tiny GPT of nn/gpt.py (one attention layer of 4 heads, embedding 16, context "
        "16) on a list of names, one name a step, with Adam; show a progress bar on standard error and "
        "print names drawn from the model. Ctrl-C stops after the step under way and still prints them.",
    )
    gpt.add_argument(
        "--steps",
        type=_at_most(MAX_GPT_STEPS),
        default=200,
        help="training steps (default: %(default)s)",
    )
    gpt.add_argument("--lr", type=_positive_float, default=0.02, help="Adam's learning rate (default: 0.02)")
    gpt.add_argument(
        "--seed", type=int, default=0, help="seeds the weights, the names' order and the samples (default: 0)"
    )
    gpt.add_argument(
        "--fast", action="store_true", help="compile the loss once per name length (nn.ShapeCachedLoss)"
    )
    gpt.add_argument(
        "--samples", type=_at_most(MAX_GPT_SAMPLES), default=10, help="names to draw at the end (default: 10)"
    )
    gpt.add_argument(
        "--temperature", type=_positive_float, default=0.8, help="for the samples (default: %(default)s)"
    )
    gpt.add_argument(
        "--names", metavar="FILE", help="train on these names, one a line (default: nn/names.txt)"
    )
    gpt.add_argument("--save", metavar="MODEL.json", help="write the trained weights as JSON")
    gpt.set_defaults(run=_gpt)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code (0 ok, 1 user error, 2 usage error)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        args.run(args)
    except UserError as err:
        print(f"chainrule {args.command}: error: {err}", file=sys.stderr)
        return err.exit_code
    except ModuleNotFoundError as err:
        print(f"chainrule {args.command}: error: {err}; {install_hint('cli')}", file=sys.stderr)
        return 1
    except OSError as err:  # a file or folder that cannot be read or written
        print(f"chainrule {args.command}: error: {_os_error_text(err)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except MemoryError:  # the memory is free again once the run's frames are gone: say what was too large
        print(f"chainrule {args.command}: error: out of memory: {_too_large(args)}", file=sys.stderr)
        return 1
    except Exception as err:  # a bug: still one line, never a traceback (docs/cli.md)
        text = f"{type(err).__name__}: {err}"
        print(f"chainrule {args.command}: internal error ({text:.300}); please report it", file=sys.stderr)
        return 1
    return 0


def _too_large(args: argparse.Namespace) -> str:
    """What a command that ran out of memory was asked to hold, in the words of its arguments."""
    if args.command == "train":
        hidden = ",".join(map(str, args.hidden))
        sizes = f"--samples {args.samples}, --hidden {hidden}, --epochs {args.epochs}"
        load = f", --load {args.load}" if args.load else ""
        return f"the training run is too large ({sizes}{load}); try smaller ones"
    if args.command in ("graph", "quiz"):
        return f"the expression is too large ({len(args.expression):,} characters); try a smaller one"
    return "try again with more free memory"


def _os_error_text(err: OSError) -> str:
    """``cannot write 'g.svg': No such file or directory``, from any OSError."""
    if err.filename is None:
        return str(err.strerror or err)
    return f"{os.fsdecode(err.filename)!r}: {err.strerror or err}"


if __name__ == "__main__":
    sys.exit(main())
