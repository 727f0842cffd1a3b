"""The classroom page's Python side (chainrule.classroom.runner), run natively: what Run says.

The same Runner runs in the browser's worker (tests/app/test_classroom_browser.py runs it there).
"""

from __future__ import annotations

import pytest

from chainrule.classroom.runner import LIMIT, CappedStream, Runner


def test_a_run_gives_its_output_and_no_error():
    result = Runner().run("print('hi', 2 + 3)\nimport sys\nprint('careful', file=sys.stderr)\n")
    assert result == {"stdout": "hi 5\n", "stderr": "careful\n", "error": ""}


def test_names_stay_from_one_run_to_the_next():
    room = Runner()
    room.run("from autograd import Value\nx = Value(3.0)\ny = x * x\ny.backward()\n")
    assert room.run("print(x.grad)")["stdout"] == "6.0\n"  # d(x²)/dx = 2x = 6
    assert room.run("print(__name__)")["stdout"] == "__main__\n"


def test_an_exception_is_pythons_traceback_from_the_learners_line_on():
    result = Runner().run("a = 1\nb = 0\nprint('before')\nc = a / b\n")
    assert result["stdout"] == "before\n"
    error = result["error"]
    assert error.startswith("Traceback (most recent call last):\n")
    assert 'line 4, in <module>\n    c = a / b\n' in error
    assert error.rstrip().endswith("ZeroDivisionError: division by zero")
    assert "runner.py" not in error and "exec(" not in error  # the runner's own frame is left out


def test_an_old_functions_traceback_shows_its_own_runs_lines():
    room = Runner()
    room.run("def f(v):\n    return 1 / v\n")
    error = room.run("x = 1\ny = 2\nf(0)\n")["error"]
    assert 'File "<run 2>", line 3, in <module>\n    f(0)' in error
    assert 'File "<run 1>", line 2, in f\n    return 1 / v' in error


def test_a_syntax_error_says_where():
    error = Runner().run("x = (1,\n")["error"]
    assert "SyntaxError" in error and '"<run 1>", line 1' in error


def test_exit_and_keyboard_interrupt_are_said_not_raised():
    room = Runner()
    assert room.run("raise SystemExit(3)")["error"].rstrip().endswith("SystemExit: 3")
    assert room.run("raise KeyboardInterrupt")["error"].rstrip().endswith("KeyboardInterrupt")
    assert room.run("print('still here')")["stdout"] == "still here\n"


def test_a_megabyte_print_is_truncated_and_says_how_much_was_left_out():
    result = Runner().run("print('x' * 1_000_000)")
    kept, note = result["stdout"][:LIMIT], result["stdout"][LIMIT:]
    assert kept == "x" * LIMIT
    assert note == f"\n[output truncated: {1_000_001 - LIMIT:,} more bytes]\n"  # a million x and a newline


def test_the_limit_counts_bytes_and_never_splits_a_character():
    stream = CappedStream("stdout", lambda kind, text: None, limit=5)
    stream.write("é" * 4)  # 8 bytes: two characters (4 bytes) fit, the third would be cut
    assert stream.text() == "éé\n[output truncated: 4 more bytes]\n"


def test_the_page_gets_each_line_as_it_is_printed():
    posts: list[tuple[str, str]] = []
    seen_at_line: list[int] = []
    room = Runner(lambda kind, text: posts.append((kind, text)))
    room.namespace["mark"] = lambda: seen_at_line.append(len(posts))
    result = room.run("print('a'); mark()\nprint('b', end=''); mark()\nprint('c'); mark()\nprint('x' * 300_000)\n")
    assert seen_at_line == [1, 1, 2]  # 'a\n' handed on at once; 'b' waits for its line's end
    assert posts[:2] == [("stdout", "a\n"), ("stdout", "bc\n")]
    streamed = "".join(text for kind, text in posts if kind == "stdout")
    assert streamed == "a\nbc\n" + "x" * (LIMIT - 5)  # what was kept, no more
    assert result["stdout"].startswith(streamed)


def test_a_long_line_without_an_end_is_handed_on_in_pieces():
    posts: list[str] = []
    stream = CappedStream("stdout", lambda kind, text: posts.append(text))
    for _ in range(12):
        stream.write("y" * 1000)
    assert posts == ["y" * 5000, "y" * 5000]  # FLUSH_BYTES = 4096 passed at the fifth and tenth writes
    stream.flush()
    assert posts == ["y" * 5000, "y" * 5000, "y" * 2000]


def test_a_write_that_is_not_text_is_the_learners_type_error():
    error = Runner().run("import sys\nsys.stdout.write(b'bytes')")["error"]
    assert "TypeError: write() argument must be str, not bytes" in error


def test_show_hands_the_live_page_laid_out_in_the_browser_to_the_page():
    posts: list[tuple[str, str]] = []
    room = Runner(lambda kind, text: posts.append((kind, text)))
    result = room.run(
        "from autograd import Value\nx = Value(2.0, label='x')\nv = (x * 3).tanh(); v.label = 'v'\nshow(v)\n"
    )
    assert result["error"] == ""
    [(kind, page)] = posts
    assert kind == "show-html" and page.lstrip().lower().startswith("<!doctype html")
    assert 'id="cr-dot"' in page and "Viz" in page  # the DOT text and viz-js: laid out in the browser
    from autograd.see.page import live_page

    assert page == live_page(room.namespace["v"], layout="browser")  # the same page, not dot's
    assert room.run("print(x.grad, v.grad)")["stdout"] == "0.0 0.0\n"  # the graph was read, not changed


def test_show_passes_its_options_to_render_steps():
    result = Runner().run("from autograd import Value\nv = Value(1.0) * 2 + 3\nshow(v, max_nodes=2)\n")
    assert "ValueError: render_steps: the graph has 5 nodes, more than max_nodes=2" in result["error"]


def test_show_of_a_recorded_run_is_the_flipbook():
    posts: list[tuple[str, str]] = []
    room = Runner(lambda kind, text: posts.append((kind, text)))
    result = room.run(
        "import nn\nfrom nn.record import TrainingRecorder\n"
        "X, y = nn.data.make_moons(20, noise=0.1, seed=3)\nmodel = nn.MLP(2, [3, 1], seed=1)\n"
        "optimizer = nn.SGD(model.parameters(), lr=0.1)\nrecorder = TrainingRecorder(model, X, y, grid=8)\n"
        "for _ in range(3):\n"
        "    loss = nn.hinge([model(x) for x in X], [2.0 * t - 1.0 for t in y])\n"
        "    optimizer.zero_grad(); loss.backward(); recorder.record(loss); optimizer.step()\n"
        "show(recorder, title='three steps')\n"
    )
    assert result["error"] == ""
    [(kind, page)] = posts
    from autograd.see.flipbook import flipbook_page

    assert kind == "show-html" and page == flipbook_page(room.namespace["recorder"].as_dict(), title="three steps")


def test_show_of_something_else_is_a_type_error_in_the_output():
    error = Runner().run("show(3.0)")["error"]
    assert "TypeError: show: expected a Value, a recorded training run" in error and "got float" in error


def test_source_that_is_not_text_is_refused():
    with pytest.raises(TypeError, match="run: source must be str, got bytes"):
        Runner().run(b"print(1)")  # type: ignore[arg-type]


def test_input_says_there_is_no_keyboard_and_the_real_stdin_comes_back():
    import sys

    before = sys.stdin
    result = Runner().run("print('asking')\nn = input('n? ')\n")
    assert result["stdout"] == "asking\nn? "
    assert result["error"].rstrip().endswith(
        "EOFError: input(): the classroom's Python has no keyboard input; write the value into the code instead"
    )
    assert "runner.py" not in result["error"] and 'line 2, in <module>\n    n = input' in result["error"]
    assert sys.stdin is before


def test_an_error_inside_the_engine_keeps_the_engines_frames():
    error = Runner().run("from autograd import Value\nValue(0.0).log()\n")["error"]
    lines = error.splitlines()
    assert lines[1] == '  File "<run 1>", line 2, in <module>'
    assert any("autograd" in line and "ops.py" in line for line in lines)  # where log refused it
    assert lines[-1].startswith("ValueError: log")


def test_show_of_a_page_file_shows_that_page(tmp_path):
    posts: list[tuple[str, str]] = []
    room = Runner(lambda kind, text: posts.append((kind, text)))
    page = tmp_path / "run.html"
    page.write_text("<!DOCTYPE html><p>a page</p>", encoding="utf-8")
    assert room.run(f"show({str(page)!r})")["error"] == ""
    assert posts == [("show-html", "<!DOCTYPE html><p>a page</p>")]
    missing = room.run(f"show({str(tmp_path / 'none.html')!r})")["error"]
    assert "FileNotFoundError" in missing and "none.html" in missing
    notes = tmp_path / "notes.txt"
    notes.write_text("x")
    error = room.run(f"show({str(notes)!r})")["error"]
    assert "ValueError: show: a file to show must be a page ending in .html" in error
    assert "TypeError: show: a page file takes no options, got title" in room.run(f"show({str(page)!r}, title='t')")["error"]
