"""Holes the mutation session found in the small picture modules (docs/testing.md, issue 23):
``anomaly.py``, ``dot_text.py``, ``legibility.py``, ``palette.py``, ``notebook.py``.

Each case states a fact known without the module (a message's exact text, a site's file and
line read from this file, a size computed by hand from an SVG written here) and fails on the
surviving mutants named in its docstring.
"""

from __future__ import annotations

import _thread
import math
import sys

import pytest

import nn
from autograd import AnomalyError, InlinePage, Value, as_matrix, detect_anomaly, matmul, matrix_view, show
from autograd.see import anomaly
from autograd.see.dot_text import box_number, escape_record, escape_text
from autograd.see.flipbook import flipbook_page
from autograd.see.legibility import smallest_text
from autograd.see.matrix_page import matrix_view_html
from autograd.see.page import live_page
from autograd.see.palette import class_colour


def here() -> int:
    """The caller's line number: the oracle for a reported site."""
    return sys._getframe(1).f_lineno


# --- anomaly.py ----------------------------------------------------------------------------------


def test_the_site_of_a_call_from_engine_frames_only_is_the_outermost_of_them():
    """A thread whose every frame is in the autograd package (started with ``_thread``, so no
    frame of ``threading`` lies below it) gets the outermost frame's ``file:line``
    (mutants: ``sys._getframe(2)``, which is past the bottom of that stack; the loop's
    ``outermost = None``)."""
    engine_file = anomaly._ENGINE_DIR + "engine_frame.py"
    source = (
        "def run(report, done):\n"
        "    try:\n"
        "        report.append(caller_site())\n"  # line 3
        "    except BaseException as err:\n"
        "        report.append(err)\n"
        "    done.release()\n"
    )
    space: dict[str, object] = {"caller_site": anomaly._caller_site}
    exec(compile(source, engine_file, "exec"), space)
    report: list[object] = []
    done = _thread.allocate_lock()
    done.acquire()
    _thread.start_new_thread(space["run"], (report, done))  # type: ignore[arg-type]
    assert done.acquire(timeout=10)
    assert report == [f"{engine_file}:3"]


def test_check_new_node_records_the_callers_line():
    """``check_new_node`` called from user code records that code's ``file:line``: the first
    frame outside the package, which ``site_of`` then reports."""
    x = Value(2.0)
    line = here() + 1
    anomaly.check_new_node(x)
    assert anomaly.site_of(x) == f"{__file__}:{line}"


def test_a_node_made_outside_the_mode_is_reported_as_made_outside_it():
    """Backward under ``detect_anomaly()`` through a node made before it names the site as
    unknown, in those words (mutants: the default made ``None``, dropped, or its text changed)."""
    x = Value(0.0, label="x")
    r = x.sqrt()  # made outside the mode: no site kept
    r.label = "r"
    y = r * 0.0
    with detect_anomaly(), pytest.raises(AnomalyError) as err:
        y.backward()
    assert "backward through sqrt (node r, made at unknown (made outside detect_anomaly()), " in str(
        err.value
    )
    assert anomaly.site_of(r) == "unknown (made outside detect_anomaly())"


@pytest.mark.parametrize("grad", [math.inf, -math.inf, math.nan])
def test_backward_started_with_a_non_finite_grad_says_so(grad):
    """``backward(grad=inf)`` under the mode: 'detect_anomaly: backward was started with
    grad=inf' (mutant: the message made ``None``)."""
    y = Value(2.0) * 3.0
    with detect_anomaly(), pytest.raises(AnomalyError) as err:
        y.backward(grad)
    assert str(err.value) == f"detect_anomaly: backward was started with grad={grad}"


def test_the_checked_pass_starts_from_the_grad_it_was_given():
    """y = a * b with a = 2, b = -3, backward(grad=5): a.grad = 5b = -15, b.grad = 5a = 10, as
    without the mode (mutant: the checked pass started from 1.0)."""
    a, b = Value(2.0), Value(-3.0)
    with detect_anomaly():
        (a * b).backward(5.0)
    assert (a.grad, b.grad) == (-15.0, 10.0)


# --- notebook.py ---------------------------------------------------------------------------------


def test_an_inline_page_is_a_sandboxed_iframe_holding_the_escaped_page():
    """``_repr_html_``: ``<iframe srcdoc="...">`` with the page HTML-escaped (quotes too), only
    scripts allowed, as wide as the cell and ``height`` px high, 760 by default."""
    page = '<p class="a">x & y</p>'
    inline = InlinePage(page)
    assert inline.html == page and inline.height == 760
    assert inline._repr_html_() == (
        '<iframe srcdoc="&lt;p class=&quot;a&quot;&gt;x &amp; y&lt;/p&gt;" sandbox="allow-scripts" '
        'style="width: 100%; height: 760px; border: 1px solid #ccc;" title="chainrule page"></iframe>'
    )
    assert 'style="width: 100%; height: 300px;' in InlinePage(page, 300)._repr_html_()


def test_an_inline_page_saves_the_page_itself(tmp_path):
    """``save(path)`` writes the page, UTF-8, and returns the path it was given."""
    page = "<p>× — ü</p>"
    path = str(tmp_path / "page.html")
    assert InlinePage(page).save(path) == path
    assert (tmp_path / "page.html").read_bytes() == page.encode("utf-8")


@pytest.mark.parametrize("height", [True, 99, 0, -760, 760.0, "760", None])
def test_show_refuses_a_height_that_is_not_an_int_of_100_or_more(height):
    """'show: height must be an int >= 100 (pixels), got <repr>', before anything is drawn."""
    with pytest.raises(ValueError) as err:
        show(Value(1.0), height=height)
    assert str(err.value) == f"show: height must be an int >= 100 (pixels), got {height!r}"


def test_show_of_a_value_is_its_live_page_at_the_height_asked_for():
    """A Value: the live page with the options given (``live_page``); 100 px is allowed."""
    x = Value(2.0, label="x")
    y = x * 3.0
    y.label = "y"
    assert show(y, layout="browser").height == 760  # the default
    inline = show(y, height=100, layout="browser")
    assert isinstance(inline, InlinePage) and inline.height == 100
    assert inline.html == live_page(y, layout="browser")


class _Recorded:
    """A stand-in for ``TrainingRecorder``: only ``as_dict()``."""

    def __init__(self, run: dict[str, object]) -> None:
        self.run = run

    def as_dict(self) -> dict[str, object]:
        return self.run


def _run() -> dict[str, object]:
    model = nn.MLP(2, [2, 1], seed=0)
    X, y = [[0.0, 1.0], [1.0, 0.0]], [1.0, -1.0]
    recorder = nn.TrainingRecorder(model, X, y, grid=4)
    loss = nn.mse([model(p) for p in X], y)
    loss.backward()
    recorder.record(loss)
    return recorder.as_dict()


def test_show_of_a_recorded_run_or_its_dict_is_the_flipbook():
    """A recorder (anything with ``as_dict()``) or the dict itself: the flipbook, titled as asked."""
    run = _run()
    expected = flipbook_page(run, title="xor run")
    assert show(_Recorded(run), title="xor run").html == expected
    assert show(run, title="xor run", height=500).html == expected
    assert show(run, height=500).height == 500


def test_show_of_a_matrix_view_is_the_matrix_lens_page():
    """A ``matrix_view``: the matrix lens page, with the title given."""
    X = as_matrix([[1.0, 2.0]], "X")
    W = as_matrix([[0.5], [-1.0]], "W")
    (z,) = matmul(X, W)[0]
    z.backward()
    view = matrix_view(z, named={"X": X, "W": W})
    inline = show(view, title="lens", height=400)
    assert inline.html == matrix_view_html(view, title="lens") and inline.height == 400
    assert "<title>lens</title>" in inline.html


@pytest.mark.parametrize(
    ("what", "name"),
    [([1, 2, 3], "list"), ({"names": []}, "dict"), (_Recorded({"names": []}), "_Recorded"), (2.0, "float")],
)
def test_show_names_what_it_cannot_show(what, name):
    """Neither a Value, a run with frames nor a matrix view: a TypeError naming its type."""
    with pytest.raises(TypeError) as err:
        show(what)
    assert str(err.value) == (
        f"show: expected a Value, a recorded training run (TrainingRecorder) or a matrix_view, got {name}"
    )


# --- dot_text.py ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("{a|b}", "\\{a\\|b\\}"),
        ("<p>", "\\<p\\>"),
        ('say "hi"', 'say\\ \\"hi\\"'),
        ("back\\slash", "back\\\\slash"),
        ("a&b", "a&amp;b"),
        ("two\nlines", "two\\nlines"),
        ("tab\there", "tab\\ here"),
        ("bell\x07del\x7f", "bell\\ del\\ "),
        ("\x1f~", "\\ ~"),
        ("x1 ü €", "x1\\ ü\\ €"),
    ],
)
def test_escape_record_makes_each_special_character_literal(text, escaped):
    """Record syntax ``{ } | < >`` and space, DOT's ``"`` and backslash: a backslash before each;
    ``&`` as ``&amp;``; a newline as DOT's ``\\n``; other control characters (below 32, and 127)
    as an escaped space; anything else, ``~`` (126) and non-ASCII included, as it is."""
    assert escape_record(text) == escaped


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("<b>op</b>", "\\<b>op\\</b>"),
        ('a"b', 'a\\"b'),
        ("end\\", "end\\\\"),
        ("x & y", "x &amp; y"),
        ("tab\tnew\nline\x00\x1f\x7f~", "tab new line   ~"),
        ("{a|b} c", "{a|b} c"),
    ],
)
def test_escape_text_makes_backslash_quote_ampersand_and_less_than_literal(text, escaped):
    """A plain label: control characters become spaces, then backslash, ``"``, ``&`` and ``<``
    are made literal; record syntax (``{ | }``) and spaces mean nothing here and stay."""
    assert escape_text(text) == escaped


@pytest.mark.parametrize("escape", [escape_record, escape_text])
def test_a_label_that_is_not_a_str_is_named_with_its_repr_cut_at_40(escape):
    """'draw: a label must be a str, got <type> <repr, first 40 characters>'."""
    with pytest.raises(TypeError) as err:
        escape(123)
    assert str(err.value) == "draw: a label must be a str, got int 123"
    with pytest.raises(TypeError) as err:
        escape(b"x" * 60)
    assert str(err.value) == "draw: a label must be a str, got bytes " + repr(b"x" * 60)[:40]


@pytest.mark.parametrize(
    ("x", "shown"),
    [
        (-0.5, "-0.5000"),
        (3, "3.0000"),
        (0.0, "0.0000"),
        (-0.0, "0.0000"),
        (1e-4, "0.0001"),
        (-1e-4, "-0.0001"),
        (9.99e-5, "9.990e-05"),
        (-9.99e-5, "-9.990e-05"),
        (99999.9999, "99999.9999"),
        (1e5, "1.000e+05"),
        (-1e5, "-1.000e+05"),
        (1.234e-100, "1.234e-100"),
        (math.inf, "inf"),
        (-math.inf, "-inf"),
        (math.nan, "nan"),
    ],
)
def test_box_number_writes_four_decimals_between_1e_4_and_1e5_else_scientific(x, shown):
    """Four decimals for 1e-4 <= |x| < 1e5, three-digit scientific outside, 0.0000 for either
    zero, Python's own word for an infinity or NaN."""
    assert box_number(x) == shown


def test_box_number_of_a_value_is_its_number():
    """A grad after ``backward(create_graph=True)`` is a Value: its number is written."""
    assert box_number(Value(-2.5)) == "-2.5000"


@pytest.mark.parametrize(
    ("x", "name"), [("abc", "str 'abc'"), (None, "NoneType None"), ([1.0], "list [1.0]")]
)
def test_box_number_names_what_is_not_a_number(x, name):
    """'draw: data and grad must be numbers, got <type> <repr>'."""
    with pytest.raises(TypeError) as err:
        box_number(x)
    assert str(err.value) == f"draw: data and grad must be numbers, got {name}"


def test_box_number_cuts_a_long_repr_at_40_characters():
    with pytest.raises(TypeError) as err:
        box_number("y" * 80)
    assert str(err.value) == "draw: data and grad must be numbers, got str " + repr("y" * 80)[:40]


# --- palette.py ----------------------------------------------------------------------------------


def test_class_colours_repeat_after_six():
    """Okabe and Ito's order: blue, orange, bluish green, vermilion, sky blue, reddish purple;
    class 6 is class 0's colour again, class 13 class 1's."""
    okabe_ito = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7"]
    assert [class_colour(k) for k in range(14)] == okabe_ito * 2 + okabe_ito[:2]


# --- legibility.py -------------------------------------------------------------------------------


def _svg(width: str | None, height: str | None, view: str | None, body: str) -> str:
    size = "".join(
        f' {k}="{v}"' for k, v in (("width", width), ("height", height), ("viewBox", view)) if v is not None
    )
    return f'<svg xmlns="http://www.w3.org/2000/svg"{size}>{body}</svg>'


NODE_10 = '<g class="node"><text font-size="10">a</text></g>'


@pytest.mark.parametrize(
    ("width", "px"),
    [
        ("300pt", 400.0),
        ("400px", 400.0),
        ("400", 400.0),
        (" 400 px ", 400.0),
        ("2.5in", 240.0),
        ("12.5pt", 50 / 3),
    ],
)
def test_a_length_is_read_in_pt_px_in_or_plain_units(width, px):
    """1 pt = 4/3 px, 1 in = 96 px, a number without a unit is px; spaces around are allowed."""
    sizes = smallest_text(_svg(width, "100px", None, NODE_10))
    assert sizes.width_px == pytest.approx(px) and sizes.height_px == 100.0


@pytest.mark.parametrize(
    ("width", "height", "what", "got"),
    [("wide", "1pt", "width", "'wide'"), ("1pt", "-3pt", "height", "'-3pt'"), (None, "1pt", "width", "None"),
     ("1pt", "3em", "height", "'3em'"), ("1pt", "3ptx", "height", "'3ptx'")],
)  # fmt: skip
def test_a_size_that_is_not_a_length_is_named(width, height, what, got):
    """'smallest_text: the SVG's <width|height> must be a length such as '310pt', got <repr>'."""
    with pytest.raises(ValueError) as err:
        smallest_text(_svg(width, height, None, NODE_10))
    assert str(err.value) == f"smallest_text: the SVG's {what} must be a length such as '310pt', got {got}"


def test_sizes_by_hand_with_and_without_a_viewbox():
    """400 x 200 px fitted to 800 x 800: scale min(2, 4) = 2. With a viewBox 800 units wide a
    unit is 0.5 px, so font-size 10 is 10 px; without one a unit is a px, so 20 px. A text with
    no font-size is 14 units. Cluster titles and loose text count as node text."""
    body = (
        '<g class="cluster"><text font-size="6">layer</text></g>'
        '<g class="edge"><text font-size="8">1.0</text><text>2.0</text></g>'
        '<g class="node"><text font-size="9">x</text></g>'
    )
    sizes = smallest_text(_svg("400px", "200px", "0 0 800 400", body), (800, 800))
    assert (sizes.scale, sizes.width_px, sizes.height_px) == (2.0, 400.0, 200.0)
    assert sizes.node_px == pytest.approx(6 * 0.5 * 2) and sizes.edge_px == pytest.approx(8 * 0.5 * 2)
    plain = smallest_text(_svg("400px", "200px", None, body), (800, 800))
    assert plain.node_px == pytest.approx(12.0) and plain.edge_px == pytest.approx(16.0)
    loose = smallest_text(
        _svg("400px", "200px", None, '<text font-size="5">legend</text>' + NODE_10), (800, 800)
    )
    assert loose.node_px == pytest.approx(10.0)
    default = smallest_text(_svg("400px", "200px", None, '<g class="edge"><text>1</text></g>'), (800, 800))
    assert default.edge_px == pytest.approx(14 * 2) and default.node_px == math.inf


def test_a_viewbox_that_cannot_scale_is_ignored():
    """A viewBox with a zero width, or not four numbers, leaves a unit as 1 px."""
    for view in ("0 0 0 100", "0 0 800", "0 0 800 400 9"):
        assert smallest_text(_svg("400px", "200px", view, NODE_10), (400, 400)).node_px == pytest.approx(10.0)


def test_the_screen_limits_by_width_or_height_and_bytes_are_read_too():
    """1000 x 100 px on the default 1920 x 1080 screen: scale min(1.92, 10.8) = 1.92; on a
    500 x 1000 one: 0.5. An SVG given as bytes reads the same."""
    svg = _svg("1000px", "100px", None, NODE_10)
    assert smallest_text(svg).scale == pytest.approx(1.92)
    assert smallest_text(svg.encode()).node_px == pytest.approx(19.2)
    assert smallest_text(svg, (500, 1000)).scale == pytest.approx(0.5)


def test_a_group_without_a_known_class_keeps_the_group_it_is_in():
    """Text in a <g> with another class, or none, inside an edge is an edge label; an empty
    or blank text does not count."""
    body = (
        '<g class="edge"><g class="other"><text font-size="7">a</text></g><g><text font-size="6">b</text></g></g>'
        '<g class="node"><text font-size="1"></text><text font-size="2">  </text><text font-size="30">c</text></g>'
    )
    sizes = smallest_text(_svg("100px", "100px", None, body), (100, 100))
    assert sizes.edge_px == pytest.approx(6.0) and sizes.node_px == pytest.approx(30.0)


def test_the_innermost_node_edge_or_cluster_group_decides():
    """A text belongs to the innermost <g> of class node, edge or cluster around it: a node or
    cluster group inside an edge group holds node text, an edge group inside a node edge text."""
    body = (
        '<g class="edge"><g class="node"><text font-size="3">n</text></g>'
        '<g class="cluster"><text font-size="4">c</text></g><text font-size="20">e</text></g>'
        '<g class="node"><g class="edge"><text font-size="5">e2</text></g></g>'
    )
    sizes = smallest_text(_svg("100px", "100px", None, body), (100, 100))
    assert sizes.node_px == pytest.approx(3.0) and sizes.edge_px == pytest.approx(5.0)
    cluster_only = (
        '<g class="edge"><g class="cluster"><text font-size="4">c</text></g><text font-size="20">e</text></g>'
    )
    sizes = smallest_text(_svg("100px", "100px", None, cluster_only), (100, 100))
    assert sizes.node_px == pytest.approx(4.0) and sizes.edge_px == pytest.approx(20.0)


def test_a_text_of_blank_pieces_does_not_count_and_a_small_viewbox_scales():
    """Two blank <tspan>s make a blank text; a viewBox 0.5 units wide on a 100 px picture makes
    a unit 200 px, so font-size 0.01 is 2 px."""
    tspans = '<g class="node"><text font-size="1"><tspan> </tspan><tspan> </tspan></text><text font-size="9">a</text></g>'
    assert smallest_text(_svg("100px", "100px", None, tspans), (100, 100)).node_px == pytest.approx(9.0)
    tiny = '<g class="node"><text font-size="0.01">a</text></g>'
    assert smallest_text(_svg("100px", "50px", "0 0 0.5 0.25", tiny), (100, 100)).node_px == pytest.approx(
        2.0
    )
