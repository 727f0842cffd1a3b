"""collector_paused(): graph work inside it never runs the cycle collector, and the collector
always comes back as it was (nesting, exceptions, threads)."""

from __future__ import annotations

import gc
import threading
import weakref
from collections.abc import Iterator

import pytest

import nn
from autograd import Value, collector_paused


@pytest.fixture(autouse=True)
def collector_on() -> Iterator[None]:
    was_on = gc.isenabled()
    gc.enable()
    yield
    if not was_on:
        gc.disable()


class Collections:
    """Counts the collector's runs while installed in gc.callbacks."""

    def __init__(self) -> None:
        self.runs = 0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self.runs += 1

    def __enter__(self) -> Collections:
        gc.callbacks.append(self)
        return self

    def __exit__(self, *exc: object) -> None:
        gc.callbacks.remove(self)


def training_step(model: nn.MLP, points: list[list[float]], seen: Collections) -> tuple[float, int]:
    """A small MSE step (about 1,300 nodes, freed on return): its loss, and the collector's runs
    counted while its graph was still alive."""
    loss = sum(((model(x) - 1.0) ** 2 for x in points), Value(0.0))
    model.zero_grad()
    loss.backward()
    runs_with_the_graph_alive = seen.runs
    for p in model.parameters():
        p.data -= 0.01 * p.grad
    return loss.item(), runs_with_the_graph_alive


POINTS = [[i / 10, 1 - i / 10] for i in range(20)]


def test_without_the_pause_the_collector_walks_the_graph():
    # the control: outside the block the collector runs while the graph is alive
    model = nn.MLP(2, [8, 8, 1], seed=0)
    gc.collect()
    with Collections() as seen:
        _, runs = training_step(model, POINTS, seen)
    assert runs >= 1


def test_a_step_inside_the_pause_runs_no_collection_and_leaves_nothing_to_collect():
    model = nn.MLP(2, [8, 8, 1], seed=0)
    twin = nn.MLP(2, [8, 8, 1], seed=0)
    gc.collect()
    with Collections() as seen:
        with collector_paused():
            paused_loss, runs = training_step(model, POINTS, seen)
            assert seen.runs == runs == 0
        # the graph was freed inside the block: its ~3,900 objects are not waiting for the
        # collector (a few dozen young objects remain: caches and the frames of this test)
        assert len(gc.get_objects(generation=0)) < 300
        assert paused_loss == training_step(twin, POINTS, seen)[0]  # and the numbers are the same
    assert [p.data for p in model.parameters()] == [p.data for p in twin.parameters()]


def test_the_collector_is_back_after_the_block_even_on_an_exception():
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(ZeroDivisionError), collector_paused():
        Value(1.0) / 0.0
    assert gc.isenabled()


def test_nested_blocks_resume_only_at_the_outermost_end():
    with collector_paused():
        with collector_paused():
            pass
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_collector_switched_off_before_stays_off():
    gc.disable()
    with collector_paused():
        pass
    assert not gc.isenabled()


def test_blocks_in_two_threads_resume_when_the_last_one_ends():
    first_inside, second_done = threading.Event(), threading.Event()
    seen_after_second: list[bool] = []

    def first() -> None:
        with collector_paused():
            first_inside.set()
            second_done.wait(10)
            seen_after_second.append(gc.isenabled())  # the other thread's block has ended

    thread = threading.Thread(target=first)
    thread.start()
    first_inside.wait(10)
    with collector_paused():
        pass
    second_done.set()
    thread.join(10)
    assert seen_after_second == [False]
    assert gc.isenabled()


def test_a_cycle_made_inside_waits_for_the_collector_after_the_block():
    # backward(create_graph=True) leaves a cycle (x.grad's graph refers to x), which only the
    # collector frees: inside the block it stays, once the collector is back it goes
    with collector_paused():
        x = Value(3.0)
        (x * x).backward(create_graph=True)
        alive = weakref.ref(x)
        del x
        [Value(1.0) * 2.0 for _ in range(3000)]  # enough new objects to trigger a collection
        assert alive() is not None
    gc.collect()
    assert alive() is None
