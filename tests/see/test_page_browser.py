"""The live graph page in a real headless Chromium, driven over the DevTools protocol.

The test loads the page from a file, clicks through every step (buttons, arrow keys, slider)
and compares the numbers in the panel with the steps computed in Python; edits inputs through
the page's own text fields and sliders and compares every value and grad with the engine run
again on the new numbers; checks that an input outside an op's domain shows Python's error at
that node, that labels and the title stay text, and that the page is legible at 1920x1080.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from autograd import Value, backward_steps, render_steps, topological_order
from autograd.see.dot_text import box_number
from autograd.see.page import safe_json
from tests.see.browser import Browser, needs_browser, start_browser

pytestmark = [pytest.mark.slow, needs_browser]


PANEL = """(() => {
  const rows = [...document.querySelectorAll('#terms tbody tr')].map(tr => {
    const cell = c => tr.querySelector('td.' + c);
    const out = {name: cell('name').textContent};
    for (const c of ['local', 'upstream', 'contribution', 'before', 'after']) {
      out[c] = Number(cell(c).dataset.value);
      out[c + '_text'] = cell(c).textContent;
    }
    return out;
  });
  return {title: document.getElementById('step-title').textContent,
          upstream: document.getElementById('step-rule').dataset.value,
          position: document.getElementById('slider').value,
          current: [...document.querySelectorAll('g.cr-current title')].map(t => t.textContent),
          inputs: [...document.querySelectorAll('g.cr-input title')].map(t => t.textContent),
          rows};
})()"""

GRADS = """Object.fromEntries([...document.querySelectorAll('#graph g.node')].map(g => [
  g.querySelector('title').textContent,
  [...g.querySelectorAll('text')].map(t => t.textContent).find(s => s.startsWith('grad ')) || null]))"""


def neuron_graph() -> tuple[Value, list[Value]]:
    """micrograd's neuron, with a fan-out (w1 used twice) and hostile labels."""
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1 = Value(-3.0, label="<script>window.__pwned = 1</script>")
    w2 = Value(1.0, label="</script><script>window.__pwned2 = 1</script>")
    b = Value(6.8813735870195432, label='b"&amp;{|}')
    n = x1 * w1 + x2 * w2 + b + w1 * w1 * 0.01
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    return o, [x1, x2, w1, w2, b]


def number_text(text: str) -> float:
    return float(text.lstrip("×=→ ").strip())


def test_clicking_through_matches_python_steps(browser: Browser, tmp_path: Path) -> None:
    root, leaves = neuron_graph()
    page = render_steps(root, tmp_path / "steps.html", edge_labels=True, rankdir="LR")  # ops in ovals
    # The oracle: the same graph built again and stepped through in Python.
    twin, twin_leaves = neuron_graph()
    expected = list(backward_steps(twin))
    assert len(expected) == 8

    html_text = page.read_text(encoding="utf-8")
    assert "http://" not in html_text.replace("http://www.w3.org", "")  # no fetches: only XML namespaces
    assert "https://" not in html_text

    browser.open(page)
    end = browser.evaluate(PANEL)
    assert end["position"] == str(len(expected))  # the page opens with the whole pass done
    browser.press("Home")
    start = browser.evaluate(PANEL)
    assert start["position"] == "0" and start["rows"] == [] and start["title"].startswith("Start")
    grads = browser.evaluate(GRADS)
    assert grads["v0"] == "grad 1.0000" and grads["v1"] == "grad 0.0000"  # root seeded, the rest zeroed

    for k, step in enumerate(expected, start=1):
        browser.evaluate("document.getElementById('next').click()")
        shown = browser.evaluate(PANEL)
        assert shown["position"] == str(k)
        assert step.name in shown["title"] and step.node.op in shown["title"]
        assert float(shown["upstream"]) == step.upstream
        assert sorted(shown["current"]) == sorted(
            {f"v{_index(twin, step.node)}", f"v{_index(twin, step.node)}_op"}
        )
        assert len(shown["rows"]) == len(step.terms)
        for row, term in zip(shown["rows"], step.terms):
            assert row["name"] == f"{term.name}.grad +="
            for key, value in (
                ("local", term.local_grad),
                ("upstream", term.upstream),
                ("contribution", term.contribution),
                ("before", term.grad_before),
                ("after", term.grad_after),
            ):
                assert row[key] == value, (k, key)  # exact: JSON carries floats losslessly
                assert math.isclose(number_text(row[key + "_text"]), value, rel_tol=1e-3, abs_tol=1e-12)

    # At the end the boxes show the grads backward() leaves on a fresh graph (four decimals, as drawn).
    grads = browser.evaluate(GRADS)
    for leaf, fresh in zip(leaves, twin_leaves):
        k = _index(root, leaf)
        assert grads[f"v{k}"] == f"grad {fresh.grad:.4f}"
        assert leaf.grad == 0.0  # and the page changed nothing in the graph
    assert browser.evaluate("window.__pwned === undefined && window.__pwned2 === undefined")
    labels = browser.evaluate("[...document.querySelectorAll('#graph text')].map(t => t.textContent)")
    assert "<script>window.__pwned = 1</script>" in labels
    assert "</script><script>window.__pwned2 = 1</script>" in labels
    assert 'b"&amp;{|}' in labels
    assert browser.evaluate("document.querySelectorAll('script').length") == 2  # data + page code only

    # Back with the keyboard and the slider.
    browser.evaluate("document.activeElement.blur()")
    browser.press("ArrowLeft")
    assert browser.evaluate(PANEL)["position"] == str(len(expected) - 1)
    browser.press("Home")
    assert browser.evaluate(PANEL)["position"] == "0"
    browser.press("ArrowRight")
    assert browser.evaluate(PANEL)["position"] == "1"
    browser.evaluate(
        "const s = document.getElementById('slider'); s.value = '3'; s.dispatchEvent(new Event('input'))"
    )
    third = browser.evaluate(PANEL)
    assert [r["after"] for r in third["rows"]] == [t.grad_after for t in expected[2].terms]
    browser.evaluate("document.getElementById('prev').click()")
    assert browser.evaluate(PANEL)["position"] == "2"
    browser.screenshot("steps.png")


def _index(root: Value, node: Value) -> int:
    return topological_order(root).index(node)


def test_safe_json_cannot_close_the_script_element() -> None:
    text = safe_json({"label": "</script><!-- & \u2028"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"label": "</script><!-- & \u2028"}


def test_leaf_root_page_has_no_steps(browser: Browser, tmp_path: Path) -> None:
    x = Value(3.0, label="x")
    page = render_steps(x, tmp_path / "leaf.html")
    browser.open(page)
    shown = browser.evaluate(PANEL)
    assert shown["rows"] == [] and "nothing to pass on" in browser.evaluate(
        "document.getElementById('step-rule').textContent"
    )
    assert browser.evaluate("window.chainrule.grad('x')") == 1.0  # the seed
    assert x.grad == 0.0  # the page ran its own pass, not x's backward


def two_layer_graph(x1: float, x2: float, w: float, b: float) -> tuple[Value, list[Value]]:
    """A graph with every kind of node: fan-out, a constant, log (a domain), sqrt, sum and dot."""
    a, c = Value(x1, label="x1"), Value(x2, label="x2")
    wv, bv = Value(w, label="w"), Value(b, label="b")
    h = autograd_dot([wv, wv], [a, c], bv).tanh()
    k = (a * a + 1.5).log() + (c * c).sqrt() * h + autograd_sum([h, wv, a]) / 2.0
    k.label = "k"
    return k, [a, c, wv, bv]


def autograd_dot(ws: list[Value], xs: list[Value], bias: Value) -> Value:
    from autograd import dot

    return dot(ws, xs, bias)


def autograd_sum(values: list[Value]) -> Value:
    from autograd import sum as value_sum

    return value_sum(values)


def check_page_matches_engine(browser: Browser, leaves: dict[str, float]) -> None:
    """Every node's value and grad in the page equal the engine's, run anew on ``leaves``."""
    root, _ = two_layer_graph(leaves["x1"], leaves["x2"], leaves["w"], leaves["b"])
    root.backward()
    names = browser.evaluate("window.chainrule.names()")
    order = topological_order(root)
    assert len(names) == len(order)
    shown = browser.evaluate(
        "window.chainrule.names().map(n => [window.chainrule.value(n), window.chainrule.grad(n)])"
    )
    boxes = browser.evaluate(
        """window.chainrule.names().map((n, k) => {
             const g = [...document.querySelectorAll('#graph g.node')].find(g => g.querySelector('title').textContent === 'v' + k);
             return [...g.querySelectorAll('text')].map(t => t.textContent); })"""
    )
    for k, node in enumerate(order):
        value, grad = shown[k]
        assert math.isclose(value, node.data, rel_tol=1e-12, abs_tol=1e-300), (names[k], value, node.data)
        assert math.isclose(grad, node.grad, rel_tol=1e-12, abs_tol=1e-300), (names[k], grad, node.grad)
        assert f"data {box_number(node.data)}" in boxes[k] and f"grad {box_number(node.grad)}" in boxes[k]
        assert names[k] in boxes[k]  # every node shows its name, v<k> when unlabelled


def test_editing_inputs_in_the_page_recomputes_every_value_and_grad(browser: Browser, tmp_path: Path) -> None:
    root, _ = two_layer_graph(0.5, -1.25, 0.75, 0.1)
    page = render_steps(root, tmp_path / "live.html", edge_labels=True)
    browser.open(page)
    numbers = {"x1": 0.5, "x2": -1.25, "w": 0.75, "b": 0.1}
    check_page_matches_engine(browser, numbers)

    # Typed into the page's own text field, as a learner would.
    k = browser.evaluate("window.chainrule.names().indexOf('x1')")
    browser.type_into(f"#leaf-{k}", "-2.5")
    numbers["x1"] = -2.5
    check_page_matches_engine(browser, numbers)

    # Slid with the page's own slider.
    k = browser.evaluate("window.chainrule.names().indexOf('w')")
    browser.evaluate(
        f"(() => {{ const r = document.getElementById('range-{k}'); r.value = '1.5'; r.dispatchEvent(new Event('input')); }})()"
    )
    numbers["w"] = 1.5
    check_page_matches_engine(browser, numbers)
    assert browser.evaluate(f"document.getElementById('leaf-{k}').value") == "1.5"

    # Through the scripting interface, then the step-through runs on the new numbers.
    browser.evaluate("window.chainrule.set('b', -0.3)")
    numbers["b"] = -0.3
    check_page_matches_engine(browser, numbers)
    twin, _ = two_layer_graph(numbers["x1"], numbers["x2"], numbers["w"], numbers["b"])
    expected = list(backward_steps(twin))
    assert browser.evaluate("window.chainrule.steps()") == len(expected)
    for k, step in enumerate(expected, start=1):
        shown = browser.evaluate(f"window.chainrule.step({k})")
        assert shown["name"] == step.name and math.isclose(shown["upstream"], step.upstream, rel_tol=1e-12)
        for term, t in zip(step.terms, shown["terms"]):
            assert t["name"] == term.name
            assert math.isclose(t["after"], term.grad_after, rel_tol=1e-12, abs_tol=1e-300)
        panel = browser.evaluate(PANEL)
        assert [r["after"] for r in panel["rows"]] == [t["after"] for t in shown["terms"]]
    assert browser.console_errors() == []


def test_input_outside_a_domain_shows_pythons_error_at_that_node(browser: Browser, tmp_path: Path) -> None:
    x = Value(2.0, label="x")
    y = (x - 1.0).log()
    y.label = "y"
    out = y * 3.0
    page = render_steps(out, tmp_path / "domain.html")
    browser.open(page)
    x_field = f"#leaf-{browser.evaluate('window.chainrule.names().indexOf(`x`)')}"
    browser.type_into(x_field, "0.5")
    with pytest.raises(ValueError) as python_error:
        (Value(0.5) - 1.0).log()
    error = browser.evaluate("window.chainrule.error()")
    assert error == {"node": "y", "type": "ValueError", "message": str(python_error.value)}
    k = browser.evaluate("window.chainrule.names().indexOf('y')")
    note = browser.evaluate(
        f"""(() => {{ const note = document.querySelector('#graph g.cr-error-note[data-node="v{k}"]');
             const box = [...document.querySelectorAll('#graph g.node')].find(g => g.querySelector('title').textContent === 'v{k}');
             const card = note.querySelector('rect').getBoundingClientRect(), b = box.getBoundingClientRect();
             return {{text: note.querySelector('text').textContent, last: note === note.parentNode.lastElementChild,
                     below: card.top >= b.bottom - 1 && card.top - b.bottom < 12}}; }})()"""
    )
    # the message at its node, on a card drawn after everything else, so no edge crosses it
    assert note == {"text": f"ValueError: {python_error.value}", "last": True, "below": True}
    assert str(python_error.value) in browser.evaluate("document.getElementById('message').textContent")
    assert browser.evaluate("window.chainrule.value('y')") is None
    assert browser.evaluate("window.chainrule.steps()") == 0
    browser.screenshot("domain-error.png")
    assert browser.console_errors() == []
    browser.type_into(x_field, "3")
    assert browser.evaluate("window.chainrule.error()") is None
    assert math.isclose(
        browser.evaluate("window.chainrule.grad('x')"), 3.0 / 2.0, rel_tol=1e-12
    )  # d/dx 3 log(x-1)


def test_title_and_labels_stay_text(browser: Browser, tmp_path: Path) -> None:
    x = Value(1.0, label="x")
    out = x * 2.0
    out.label = "</title><script>window.__title_pwned = 1</script>"
    page = render_steps(out, tmp_path / "title.html")
    browser.open(page)
    assert browser.evaluate("window.__title_pwned === undefined")
    assert "</title><script>window.__title_pwned = 1</script>" in browser.evaluate("document.title")
    assert browser.evaluate("document.querySelectorAll('script').length") == 2


def test_legible_at_1920x1080_and_legend_matches_the_colours(browser: Browser, tmp_path: Path) -> None:
    root, _ = two_layer_graph(0.5, -1.25, 0.75, 0.1)
    page = render_steps(root, tmp_path / "legible.html", edge_labels=True)
    browser.open(page)
    assert browser.evaluate("[window.innerWidth, window.innerHeight]") == [1920, 1080]
    sizes = browser.evaluate(
        """(() => {
          const h = (els) => [...els].filter(t => t.textContent.trim()).map(t => t.getBoundingClientRect().height);
          const px = (els) => [...els].filter(e => e.textContent.trim()).map(e => parseFloat(getComputedStyle(e).fontSize));
          return {nodes: h(document.querySelectorAll('#graph g.node text')),
                  edges: h(document.querySelectorAll('#graph g.edge text')),
                  panel: px(document.querySelectorAll('#side h2, #side p, #side td, #side th, #side label, #side li'))};
        })()"""
    )
    assert sizes["nodes"] and min(sizes["nodes"]) >= 14
    assert sizes["edges"] and min(sizes["edges"]) >= 12
    assert min(sizes["panel"]) >= 14
    # The view opens around the current step: its box is on screen.
    browser.evaluate("window.chainrule.step(3)")
    browser.press("p")  # presentation mode: larger still
    browser.press("p")
    rect = browser.evaluate(
        """(() => { const k = window.chainrule.names().indexOf(window.chainrule.step(3).node);
             const g = [...document.querySelectorAll('#graph g.node')].find(g => g.querySelector('title').textContent === 'v' + k);
             const r = g.getBoundingClientRect(), v = document.getElementById('graph').getBoundingClientRect();
             return [r.left >= v.left, r.right <= v.right, r.top >= v.top, r.bottom <= v.bottom]; })()"""
    )
    assert rect == [True, True, True, True]
    legend = browser.evaluate(
        "[...document.querySelectorAll('#legend .swatch')].map(s => [getComputedStyle(s).backgroundColor, getComputedStyle(s).borderTopColor])"
    )
    used = browser.evaluate(
        """(() => { const c = new Set(); for (const s of document.querySelectorAll('#graph polygon, #graph ellipse')) {
             const st = getComputedStyle(s); c.add(st.fill); c.add(st.stroke); } return [...c]; })()"""
    )
    browser.evaluate("window.chainrule.step(1)")
    current = browser.evaluate(
        "[...document.querySelectorAll('g.cr-current polygon, g.cr-current ellipse')].map(s => getComputedStyle(s).stroke)"
    )
    fills = [bg for bg, _ in legend[:-3]]  # the boxes; then the two step borders and the dashed edge
    assert all(f in used for f in fills)  # every box colour in the legend is on the page
    assert legend[-3][1] in current  # and the step colour is the current node's border
    assert len(set(fills)) == len(fills)  # no colour has two meanings
    browser.screenshot("live-page.png")


def test_wheel_and_drag_pan_and_zoom(browser: Browser, tmp_path: Path) -> None:
    root, _ = two_layer_graph(0.5, -1.25, 0.75, 0.1)
    browser.open(render_steps(root, tmp_path / "zoom.html"))
    before = browser.evaluate("document.getElementById('canvas').style.transform")
    browser.send("Input.dispatchMouseEvent", type="mouseWheel", x=500, y=500, deltaX=0, deltaY=-120)
    zoomed = browser.evaluate("document.getElementById('canvas').style.transform")
    assert zoomed != before and float(zoomed.split("scale(")[1].rstrip(")")) > 1.25
    for kind, x in (("mousePressed", 500), ("mouseMoved", 600), ("mouseReleased", 600)):
        browser.send(
            "Input.dispatchMouseEvent", type=kind, x=x, y=500, button="left", buttons=1, clickCount=1
        )
    dragged = browser.evaluate("document.getElementById('canvas').style.transform")
    assert dragged.split("scale(")[1] == zoomed.split("scale(")[1] and dragged != zoomed


VIEW = """(() => {
  const v = document.getElementById('graph').getBoundingClientRect();
  const boxes = [...document.querySelectorAll('#graph g.node')].map(g => g.getBoundingClientRect());
  const svg = document.querySelector('#canvas svg').getBoundingClientRect();
  const text = [...document.querySelectorAll('#graph g.node text')].filter(t => t.textContent.trim())
    .map(t => t.getBoundingClientRect().height);
  return {inside: boxes.filter(r => r.left >= v.left && r.right <= v.right && r.top >= v.top && r.bottom <= v.bottom).length,
          boxes: boxes.length, text: Math.min(...text),
          svg: [svg.left, svg.top, svg.right, svg.bottom], view: [v.left, v.top, v.right, v.bottom]};
})()"""


def lecture_neuron() -> Value:
    """The lecture's neuron o = tanh(x1 w1 + x2 w2 + b): drawn left to right it is too wide for the page."""
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2, b = Value(-3.0, label="w1"), Value(1.0, label="w2"), Value(6.8813735870195432, label="b")
    n = x1 * w1 + x2 * w2 + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    return o


def test_the_lecture_neuron_opens_whole_and_readable_at_1920x1080(browser: Browser, tmp_path: Path) -> None:
    # Laid out for the whole screen it was 1749 px wide, in a graph panel of 1295: the page opened
    # zoomed in on the last step, with the output o off screen. Laid out for the panel, it fits.
    browser.open(render_steps(lecture_neuron(), tmp_path / "neuron.html"))
    view = browser.evaluate(VIEW)
    assert (
        view["boxes"] >= 9 and view["inside"] == view["boxes"]
    )  # 9 values (and the op ovals), all on screen
    assert view["text"] >= 14


def test_a_1024x768_projector_gives_the_graph_more_than_half_and_the_table_fits(tmp_path: Path) -> None:
    # the side panel was 625 px at every width: on 1024 x 768 the graph had 399 px
    page = render_steps(lecture_neuron(), tmp_path / "small.html")
    for browser in start_browser("1024,768"):
        browser.open(page)
        sizes = browser.evaluate(
            """(() => { const side = document.getElementById('side'), graph = document.getElementById('graph');
                 return {graph: graph.getBoundingClientRect().width, overflow: side.scrollWidth - side.clientWidth,
                         table: document.getElementById('terms').getBoundingClientRect().right,
                         side: side.getBoundingClientRect().right}; })()"""
        )
        assert sizes["graph"] > 512
        assert sizes["overflow"] <= 0 and sizes["table"] <= sizes["side"]  # no column cut off


def test_a_graph_too_tall_to_fit_opens_on_the_step_with_no_empty_margin(
    browser: Browser, tmp_path: Path
) -> None:
    x = Value(0.5, label="x")
    y = x
    for i in range(15):
        y = y.sin() if i % 2 else y * 1.1
    browser.open(render_steps(y, tmp_path / "chain.html"))
    view = browser.evaluate(VIEW)
    (left, top, right, bottom), (v_left, v_top, v_right, v_bottom) = view["svg"], view["view"]
    assert top <= v_top and bottom >= v_bottom  # taller than the view: it covers it, no gap above
    assert abs((left - v_left) - (v_right - right)) < 2  # narrower than the view: centred
    assert view["text"] >= 14
    step = browser.evaluate(
        """(() => { const k = window.chainrule.names().indexOf(window.chainrule.step(15).node);
             const g = [...document.querySelectorAll('#graph g.node')].find(g => g.querySelector('title').textContent === 'v' + k);
             const r = g.getBoundingClientRect(), v = document.getElementById('graph').getBoundingClientRect();
             return r.top >= v.top && r.bottom <= v.bottom && r.left >= v.left && r.right <= v.right; })()"""
    )
    assert step  # the last step, where the page opens, is on screen
    browser.screenshot("live-page-tall-graph.png")


def test_refuses_a_too_large_graph_before_backward(tmp_path: Path) -> None:
    root, leaves = two_layer_graph(0.5, -1.25, 0.75, 0.1)
    with pytest.raises(ValueError, match="more than max_nodes=5"):
        render_steps(root, tmp_path / "big.html", max_nodes=5)
    assert [leaf.grad for leaf in leaves] == [0.0, 0.0, 0.0, 0.0]  # nothing ran
    assert not (tmp_path / "big.html").exists()


def test_page_json_is_the_engine_data(tmp_path: Path) -> None:
    root, _ = two_layer_graph(0.5, -1.25, 0.75, 0.1)
    text = render_steps(root, tmp_path / "data.html").read_text(encoding="utf-8")
    data = json.loads(text.split('<script id="steps-data" type="application/json">')[1].split("</script>")[0])
    assert [n["data"] for n in data["nodes"]] == [n.data for n in topological_order(root)]


def test_predict_mode_hides_grads_until_the_learner_types_them(browser: Browser, tmp_path: Path) -> None:
    root, _ = neuron_graph()
    twin, _ = neuron_graph()
    expected = list(backward_steps(twin))
    browser.open(render_steps(root, tmp_path / "predict.html"))
    browser.evaluate("document.getElementById('predict').click()")  # the page's own switch
    assert browser.evaluate("window.chainrule.predicting()")
    browser.evaluate("window.chainrule.step(0)")
    browser.evaluate("document.getElementById('next').click()")  # step 1: o = tanh(n)
    step = expected[0]
    n_index = _index(twin, step.terms[0].input)
    assert browser.evaluate(GRADS)[f"v{n_index}"] == "grad ?"
    assert browser.evaluate(f"window.chainrule.grad({json.dumps(step.terms[0].name)})") is None
    assert browser.evaluate("document.querySelectorAll('td.after input').length") == 1

    # A wrong answer is marked and the grad stays hidden.
    browser.type_into("td.after input", "0.9")
    browser.press("Enter")
    assert browser.evaluate("document.querySelector('td.after input').classList.contains('wrong')")
    assert browser.evaluate(GRADS)[f"v{n_index}"] == "grad ?"

    # The right answer (1 - tanh(n)**2, to 4 digits) reveals it in the box and the panel.
    browser.type_into("td.after input", f"{step.terms[0].grad_after:.4g}")
    browser.press("Enter")
    assert browser.evaluate(GRADS)[f"v{n_index}"] == f"grad {box_number(step.terms[0].grad_after)}"
    assert browser.evaluate(PANEL)["rows"][0]["after"] == step.terms[0].grad_after
    assert (
        browser.evaluate(f"window.chainrule.grad({json.dumps(step.terms[0].name)})")
        == step.terms[0].grad_after
    )

    # The next step asks again; "show the answer" reveals without typing.
    browser.evaluate("document.getElementById('next').click()")
    assert browser.evaluate("document.querySelectorAll('td.after input').length") == len(expected[1].terms)
    browser.screenshot("predict.png")
    browser.evaluate("document.getElementById('reveal').click()")
    assert [r["after"] for r in browser.evaluate(PANEL)["rows"]] == [t.grad_after for t in expected[1].terms]
    browser.evaluate("document.activeElement.blur()")
    browser.press("g")  # the key switches it off: every grad is shown
    assert not browser.evaluate("window.chainrule.predicting()")
    assert "grad ?" not in browser.evaluate(GRADS).values()


def test_model_parameters_go_by_their_names(browser: Browser, tmp_path: Path) -> None:
    import nn

    model = nn.MLP(2, [2, 1], seed=0)
    out = model([1.0, 2.0])
    labels = [p.label for p in model.parameters()]
    browser.open(render_steps(out, tmp_path / "mlp.html", model=model))
    assert [p.label for p in model.parameters()] == labels  # the labels are put back
    names = browser.evaluate("window.chainrule.names()")
    assert {name for name, _ in model.named_parameters()} <= set(names)
    browser.evaluate("window.chainrule.set('layers.0.neurons.0.w.0', 0.5)")
    model.layers[0].neurons[0].w[0].data = 0.5
    again = model([1.0, 2.0])
    assert all(p.grad == 0.0 for p in model.parameters())  # render_steps changed no grad
    again.backward()
    assert math.isclose(browser.evaluate("window.chainrule.value('v0')"), again.data, rel_tol=1e-12)
    for name, p in model.named_parameters():
        assert math.isclose(
            browser.evaluate(f"window.chainrule.grad('{name}')"), p.grad, rel_tol=1e-12, abs_tol=1e-300
        )


def test_dragging_an_input_box_changes_its_value(browser: Browser, tmp_path: Path) -> None:
    root, _ = two_layer_graph(0.5, -1.25, 0.75, 0.1)
    browser.open(render_steps(root, tmp_path / "drag.html"))
    k = browser.evaluate("window.chainrule.names().indexOf('w')")
    x, y = browser.evaluate(
        f"""(() => {{ const g = [...document.querySelectorAll('#graph g.node')].find(g => g.querySelector('title').textContent === 'v{k}');
             g.scrollIntoView(); const r = g.getBoundingClientRect(); return [r.left + r.width / 2, r.top + r.height / 2]; }})()"""
    )
    scale = float(
        browser.evaluate("document.getElementById('canvas').style.transform").split("scale(")[1].rstrip(")")
    )
    for kind, dx in (("mousePressed", 0), ("mouseMoved", 20), ("mouseMoved", 40), ("mouseReleased", 40)):
        browser.send(
            "Input.dispatchMouseEvent", type=kind, x=x + dx, y=y, button="left", buttons=1, clickCount=1
        )
    moved = round(40 / scale) * 0.01  # 1% of |w| is below 0.01: 0.01 per pixel of the graph
    assert math.isclose(browser.evaluate("window.chainrule.value('w')"), 0.75 + moved, rel_tol=1e-9)
    w = browser.evaluate("window.chainrule.value('w')")
    check_page_matches_engine(browser, {"x1": 0.5, "x2": -1.25, "w": w, "b": 0.1})
    assert browser.evaluate(f"document.getElementById('leaf-{k}').value") == str(w)


def test_a_leaky_relu_made_at_a_positive_input_keeps_its_slope_in_the_page(
    browser: Browser, tmp_path: Path
) -> None:
    """Its local derivative there is 1.0; dragged below 0 the page must use the real slope, 0.2."""
    x = Value(2.0, label="x")
    y = (x * 1.5).leaky_relu(0.2)
    y.label = "y"
    browser.open(render_steps(y, tmp_path / "leaky.html"))
    browser.type_into(f"#leaf-{browser.evaluate('window.chainrule.names().indexOf(`x`)')}", "-3")
    x2 = Value(-3.0)
    y2 = (x2 * 1.5).leaky_relu(0.2)
    y2.backward()
    assert math.isclose(browser.evaluate("window.chainrule.value('y')"), y2.data, rel_tol=1e-12)
    assert math.isclose(browser.evaluate("window.chainrule.grad('x')"), x2.grad, rel_tol=1e-12)
    assert browser.console_errors() == []


def test_the_inputs_panel_says_which_leaves_are_constants(browser: Browser, tmp_path: Path) -> None:
    """In 1 - y the 1 is a leaf the page can edit too; its row must say it is a constant, not an input."""
    y = Value(0.25, label="y")
    w = Value(2.0, label="w")
    out = (1.0 - y) * w
    out.label = "out"
    browser.open(render_steps(out, tmp_path / "c.html"))
    rows = browser.evaluate("[...document.querySelectorAll('#leaves label')].map((l) => l.textContent)")
    constant = [name for name in rows if name.endswith(" (constant)")]
    assert sorted(rows[:2]) == ["w", "y"] and len(constant) == 1 and rows[2] == constant[0], (
        rows
    )  # constants last
    k = browser.evaluate(f"window.chainrule.names().indexOf({constant[0].split()[0]!r})")
    assert browser.evaluate(f"document.getElementById('leaf-{k}').value") == "1"  # the 1 of 1 - y
