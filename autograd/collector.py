"""``collector_paused()``: run a block of graph work without Python's cycle collector.

Reference counting frees a graph the moment its root goes away, because a graph has no
cycles (value.py). But every Value, and every tuple of its inputs, is also an object that
Python's *cycle collector* watches: after every 700 new objects it walks the young ones
looking for cycles, and as the objects pile up it walks them all again, and again. A graph
with no cycles gives it nothing to find, yet on a moons training step it costs about a tenth
of the time, and building a million-op chain about half (``python -m bench.profile``).

A Python object cannot opt out of the collector, so this pauses it for a block instead::

    with autograd.collector_paused():
        loss = loss_fn(model)      # build the graph
        loss.backward()
        optimizer.step()
        loss_value = loss.item()
        del loss                   # free the graph inside the block

Graphs built *and freed* inside the block never meet the collector. A graph still alive
when the block ends is simply collected later, as it would have been.

Safe because the pause is only a pause: leaving the block (normally or by an exception)
turns the collector back on, unless it was already off when the first block began. Blocks
nest, and blocks in several threads share one count: the collector resumes when the last
one ends. The switch itself is process-wide, so while a block runs, cycles made anywhere
(``backward(create_graph=True)`` makes one, see value.py) wait for it to end before they are
freed. The last block to end puts the collector back as it was when the first one began,
whatever was done to it in between. A block that never ends (one inside a generator that is
never finished) keeps the collector paused until the generator is freed.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_blocks = 0  # blocks running now, in every thread
_resume = False  # whether the last block to end turns the collector back on


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector until the block ends (see the module docstring)."""
    global _blocks, _resume
    with _lock:
        if _blocks == 0:
            _resume = gc.isenabled()
            gc.disable()
        _blocks += 1
    try:
        yield
    finally:
        with _lock:
            _blocks -= 1
            if _blocks == 0 and _resume:
                gc.enable()
