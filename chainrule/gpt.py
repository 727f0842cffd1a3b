"""``chainrule gpt``: train the tiny GPT (``nn/gpt.py``) on names, with a progress bar; print samples.

The model, the names and the training loop are the library's (``nn.gpt``); this module is what
the command adds around them: the arguments' checks, a progress bar on standard error (the
library reports each step to a callback and prints nothing), Ctrl-C, the samples, ``--save``.

Ctrl-C once: the step under way is finished and training stops there; the samples are drawn
from what was learnt so far, the model is saved if asked, and the command exits with 130.
Ctrl-C twice: it stops at once (exit 130, nothing more).
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import os
import random
import shutil
import signal
import stat
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import TextIO

from autograd.value import Value
from nn import gpt

MAX_NAMES_BYTES = 1_000_000  # a --names file: about 150,000 names
WINDOW = 20  # the progress bar's loss is the mean of the last WINDOW steps' losses


class GPTError(Exception):
    """A file the command cannot use (exit code 1), or a run that diverged (1)."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code


# --- the progress bar -----------------------------------------------------------------------------


def clock_text(seconds: float) -> str:
    """``0:07``, ``2:05``, ``1:02:03``: minutes and seconds, hours once there are any."""
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class Progress:
    """Steps done, the loss (mean of the last ``WINDOW`` steps), elapsed time and ETA, on ``stream``.

    On a terminal it is one line redrawn in place (``\\r``, at most ten times a second, and at
    the last step), cut to the terminal's width. Elsewhere (a file, a pipe, a CI log) it writes
    one line each time another ``every`` percent of the steps is done, so a log holds ten lines
    however long the run.
    The ETA is the time per step so far times the steps left (with ``--fast`` each name length's
    first step includes compiling it, so early ETAs run long).
    """

    def __init__(self, total: int, stream: TextIO, tty: bool | None = None, every: int = 10) -> None:
        self.total = total
        self.stream = stream
        self.tty = stream.isatty() if tty is None else tty
        self.every = every
        self.start = time.monotonic()
        self.drawn = 0.0  # when the terminal line was last drawn
        self.next_mark = 1  # the next multiple of ``every`` percent to write a line at
        self.recent: list[float] = []
        self.width = 0  # of the terminal line last drawn, to blank its rest
        self.columns = shutil.get_terminal_size().columns

    def line(self, step: int) -> str:
        elapsed = time.monotonic() - self.start
        left = elapsed / step * (self.total - step)
        loss = sum(self.recent) / len(self.recent)
        percent = 100 * step // self.total
        return (
            f"step {step:,}/{self.total:,} {percent:3d}%  loss {loss:.4f} (last {len(self.recent)})  "
            f"elapsed {clock_text(elapsed)}  ETA {clock_text(left)}"
        )

    def update(self, step: int, loss: float) -> None:
        """Step ``step`` (counted from 1) is done, with this loss."""
        self.recent = [*self.recent[-(WINDOW - 1) :], loss]
        if self.tty:
            now = time.monotonic()
            if now - self.drawn >= 0.1 or step == self.total:
                self.drawn = now
                bar = "#" * (20 * step // self.total)
                text = f"[{bar:<20}] {self.line(step)}"[
                    : self.columns - 1
                ]  # a wrapped line cannot be redrawn
                self.stream.write("\r" + text.ljust(self.width))
                self.width = len(text)
                self.stream.flush()
        elif 100 * step >= self.next_mark * self.every * self.total:
            while 100 * step >= self.next_mark * self.every * self.total:
                self.next_mark += 1
            self.stream.write(self.line(step) + "\n")
            self.stream.flush()

    def close(self) -> None:
        """End the terminal line (the last drawing stays on screen)."""
        if self.tty and self.width:
            self.stream.write("\n")
            self.stream.flush()


# --- Ctrl-C ---------------------------------------------------------------------------------------


@dataclass
class Interrupt:
    """Whether Ctrl-C was pressed (once: stop after this step)."""

    pressed: bool = False


@contextlib.contextmanager
def stop_after_step(stream: TextIO) -> Iterator[Interrupt]:
    """While inside: the first SIGINT sets ``pressed`` (and says so on ``stream``), a second one
    raises ``KeyboardInterrupt`` at once. Outside the main thread (where Python cannot catch
    signals) it changes nothing."""
    interrupt = Interrupt()
    if threading.current_thread() is not threading.main_thread():
        yield interrupt
        return

    def handler(signum: int, frame: FrameType | None) -> None:
        if interrupt.pressed:
            raise KeyboardInterrupt
        interrupt.pressed = True
        stream.write("\nCtrl-C: stopping after this step (press it again to quit at once)\n")
        stream.flush()

    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield interrupt
    finally:
        signal.signal(signal.SIGINT, previous)


# --- files ----------------------------------------------------------------------------------------


def read_names_file(path: str) -> list[str]:
    """The names in a text file, one a line (``nn.gpt.read_names``): a regular file of at most
    ``MAX_NAMES_BYTES``, in UTF-8; else a GPTError naming the file and what is wrong."""
    where = f"--names {path}"
    with open(path, "rb") as f:
        info = os.fstat(f.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise GPTError(f"{where}: not a regular file")
        data = f.read(MAX_NAMES_BYTES + 1)
    if len(data) > MAX_NAMES_BYTES:
        raise GPTError(f"{where}: the file has over {MAX_NAMES_BYTES:,} bytes, the most a names file has")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise GPTError(f"{where}: not UTF-8 text (byte {err.start})") from None
    try:
        return gpt.read_names(text.splitlines(), where)
    except ValueError as err:
        raise GPTError(str(err)) from None


def model_json(params: dict[str, gpt.Matrix], names: str, steps: int, seed: int) -> str:
    """The weights as JSON: each matrix by name, a list of rows of numbers, and how they were made."""
    return json.dumps(
        {
            "model": "nn.gpt tiny GPT",
            "sizes": {"vocab": gpt.VOCAB, "n_embd": gpt.N_EMBD, "n_head": gpt.N_HEAD, "block": gpt.BLOCK},
            "trained": {"names": names, "steps": steps, "seed": seed},
            "weights": {key: [[p.data for p in row] for row in m] for key, m in params.items()},
        }
    )


def write_file(path: Path, text: str) -> None:
    """``text`` into ``path`` all or nothing: a temporary file beside it, renamed over it."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise


def check_writable(path: Path) -> None:
    """Fail now, before training, if ``path`` cannot be written (an OSError naming it)."""
    if path.suffix.lower() != ".json":
        raise GPTError(f"--save {path}: the model file's name must end in .json", exit_code=2)
    if path.is_dir():
        raise IsADirectoryError(21, "Is a directory", str(path))
    probe = path.with_name(f".{path.name}.{os.getpid()}.probe")
    with open(probe, "w", encoding="utf-8"):
        pass
    probe.unlink()


# --- the command ----------------------------------------------------------------------------------


def samples_text(params: dict[str, gpt.Matrix], count: int, seed: int, temperature: float) -> str:
    """``count`` names drawn from the model, comma-separated; an empty draw shows as ``(empty)``."""
    rng = random.Random(seed)
    drawn = [gpt.sample(params, rng, temperature) for _ in range(count)]
    return ", ".join(name or "(empty)" for name in drawn)


def run_gpt(
    steps: int,
    *,
    lr: float,
    seed: int,
    fast: bool,
    samples: int,
    temperature: float,
    names_file: str | None,
    save: str | None,
    out: TextIO | None = None,
    err: TextIO | None = None,
    tty: bool | None = None,
) -> int:
    """Train as the command line asks, print the run and the samples; return the exit code
    (0, or 130 after Ctrl-C). Usage mistakes and a diverged run raise GPTError."""
    out = out or sys.stdout
    err = err or sys.stderr or io.StringIO()  # started with stderr closed (2>&-): no progress bar
    names = read_names_file(names_file) if names_file else gpt.names()
    source = names_file or "nn/names.txt"
    save_path = Path(save) if save else None
    if save_path is not None:
        check_writable(save_path)  # a bad --save fails in a second, not after the training
    params = gpt.gpt_parameters(Value, seed=seed)
    engine = "compiled once per name length (--fast)" if fast else "the node engine"
    print(
        f"tiny GPT: {len(gpt.flat(params)):,} parameters; {len(names):,} names from {source}; "
        f"{steps:,} steps of Adam (lr {lr:g}), one name each, on {engine}",
        file=out,
        flush=True,
    )
    progress = Progress(steps, err, tty=tty)
    with stop_after_step(err) as interrupt:

        def on_step(step: int, loss: float) -> bool:
            progress.update(step, loss)
            return not interrupt.pressed  # False: the run stops after this step

        run = gpt.train(params, names, steps, lr=lr, seed=seed, fast=fast, on_step=on_step)
    progress.close()
    if run.diverged:
        raise GPTError(f"{run.diverged} (lr {lr:g}); try a smaller --lr. No model written.")
    done = len(run.losses)
    if interrupt.pressed:
        print(
            f"interrupted after step {done:,} of {steps:,}: what follows is the model as it is now", file=out
        )
    if done:
        window = max(1, min(WINDOW, done // 2))  # two windows apart, once there are two steps
        steps_word = "steps" if window > 1 else "step"
        first = sum(run.losses[:window]) / window
        last = sum(run.losses[-window:]) / window
        print(
            f"loss: first step {run.losses[0]:.4f}; mean of the first {window} {steps_word} {first:.4f}, "
            f"of the last {window} {last:.4f} "
            f"(a uniform guess over the 27 tokens: log 27 = {math.log(gpt.VOCAB):.4f})",
            file=out,
        )
    if fast:
        print(f"{run.traces} traces (one per name length met), {run.retraces} retraces", file=out)
    print(
        f"samples (temperature {temperature:g}): {samples_text(params, samples, seed, temperature)}", file=out
    )
    if save_path is not None:
        write_file(save_path, model_json(params, source, done, seed))
        print(f"wrote {save_path}", file=out)
    return 130 if interrupt.pressed else 0
