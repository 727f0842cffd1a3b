"""`chainrule quiz`: answers on standard input, exit 0 whatever the score, 1 if input ends early."""

import io
import shlex
import subprocess
import sys

import pytest

from chainrule.cli import main


def run_main(monkeypatch, capsys, args, stdin):
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(["quiz", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_all_right_scores_full_marks(monkeypatch, capsys):
    # out = x*y + x at x=2, y=3: dout/d(x*y) = 1, dout/dx = y + 1 = 4, dout/dy = x = 2
    code, out, _ = run_main(monkeypatch, capsys, ["x*y + x", "x=2", "y=3"], "1\n4\n2\n")
    assert code == 0
    assert out.rstrip().endswith("score: 3/3")


def test_a_low_score_is_not_an_error(monkeypatch, capsys):
    code, out, _ = run_main(monkeypatch, capsys, ["x*y + x", "x=2", "y=3"], "0\n0\n0\n0\n0\n0\n")
    assert code == 0
    assert "    from v1: ∂v1/∂x × d out/d v1 = 3.0 × 1.0" in out
    assert out.rstrip().endswith("score: 0/3")


@pytest.mark.parametrize(("answers", "asked"), [("", 0), ("1\n", 1), ("1\n0\n4\n", 2)])
def test_end_of_input_ends_the_quiz_with_the_score_so_far_and_one_error_line(
    monkeypatch, capsys, answers, asked
):
    code, out, err = run_main(monkeypatch, capsys, ["x*y + x", "x=2", "y=3"], answers)
    assert code == 1
    assert out.rstrip().endswith(f"(input ended after {asked} of 3 questions)")
    assert err == (
        f"chainrule quiz: error: standard input ended after {asked} of 3 questions "
        "(the quiz reads one answer per line)\n"
    )


def test_closed_standard_input_is_one_error_line_not_an_internal_error(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", None)  # what Python sets when started with fd 0 closed
    assert main(["quiz", "x*y", "x=2", "y=3"]) == 1
    err = capsys.readouterr().err
    assert (
        err == "chainrule quiz: error: standard input is closed; the quiz reads one answer per line from it\n"
    )


def test_a_leading_minus_is_an_expression_not_an_option(monkeypatch, capsys):
    # out = -(x*y): d out/d v1 = -1, d out/d x = -y = -3, d out/d y = -x = -2
    code, out, err = run_main(monkeypatch, capsys, ["-(x*y)", "x=2", "y=3"], "-1\n-3\n-2\n")
    assert (code, err) == (0, "")
    assert "out = neg(v1) = -6.0" in out and out.rstrip().endswith("score: 3/3")
    code, out, _ = run_main(monkeypatch, capsys, ["-x", "x=2"], "-1\n")
    assert code == 0 and out.rstrip().endswith("score: 1/1")


@pytest.mark.parametrize(
    ("argv", "expression", "output"),
    [
        (["graph", "-(x*y)", "x=2", "y=3", "-o", "g.png"], "-(x*y)", "g.png"),
        (["graph", "-x", "x=2", "-og.pdf"], "-x", "g.pdf"),
        (["graph", "x", "x=2", "--output=-x.svg"], "x", "-x.svg"),
        (["graph", "x", "x=2", "-o", "-x.svg"], "x", "-x.svg"),
        (["quiz", "-2*x", "x=2"], "-2*x", None),
    ],
)
def test_options_still_read_as_options(argv, expression, output):
    from chainrule.cli import build_parser

    args = build_parser().parse_args(argv)
    assert args.expression == expression and getattr(args, "output", None) == output


def test_a_caret_gets_the_hint_in_every_command_that_reads_an_expression(monkeypatch, capsys, tmp_path):
    monkeypatch.chdir(tmp_path)
    for command in ("quiz", "graph"):
        code = main([command, "x^2 + y", "x=2", "y=1"])
        err = capsys.readouterr().err
        assert code == 2
        assert err == (
            f"chainrule {command}: error: in the expression: column 2: ^ is not a power in Python "
            "(it is bitwise xor): write x**2 + y\n"
        )


def test_a_line_that_is_not_text_is_asked_again(monkeypatch, capsys):
    stdin = io.TextIOWrapper(io.BytesIO(b"\xff\xfe\n3\n2\n"), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", stdin)
    code = main(["quiz", "x*y", "x=2", "y=3"])
    out = capsys.readouterr().out
    assert code == 0 and "could not read" in out and out.rstrip().endswith("score: 2/2")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["tanh(x", "x=1"], "in the expression: column"),
        (["x + y", "x=1"], "in the expression"),
        (["x", "x=1", "x=2"], "variable 'x' is given twice"),
    ],
)
def test_bad_expressions_are_refused_as_graph_refuses_them(monkeypatch, capsys, args, message):
    code, _, err = run_main(monkeypatch, capsys, args, "")
    assert code == 2
    assert err.startswith("chainrule quiz: error: ") and message in err
    assert "Traceback" not in err
    code_graph = main(["graph", *args])
    assert code_graph == code


@pytest.mark.slow
def test_the_command_reads_a_pipe():
    result = subprocess.run(
        [sys.executable, "-m", "chainrule", "quiz", "x*x", "x=3"],
        input="5\n6\n",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "x is used 2 times: the shares add up" in result.stdout
    assert result.stdout.rstrip().endswith("score: 0/1 (1 more right on the second try)")


@pytest.mark.slow
@pytest.mark.parametrize("stdin", ["< /dev/null", "<&-"])
def test_the_command_with_no_input_ends_with_one_line(stdin):
    command = f"{shlex.quote(sys.executable)} -m chainrule quiz 'x*y' x=2 y=3 {stdin}"
    result = subprocess.run(["bash", "-c", command], capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert len(result.stderr.splitlines()) == 1 and "internal error" not in result.stderr
    assert result.stderr.startswith("chainrule quiz: error: standard input ")


@pytest.mark.slow
def test_importing_the_engine_loads_no_learning_or_seeing_tool():
    code = (
        "import sys, autograd, nn\n"
        "loaded = [m for m in sys.modules if m.startswith(('autograd.learn', 'autograd.see'))]\n"
        "assert not loaded, loaded\n"
        "autograd.check_op\n"
        "assert 'autograd.learn.check' in sys.modules and 'autograd.see.draw' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


def test_the_transcript_in_docs_cli_is_what_the_command_prints(monkeypatch, capsys):
    import re
    import shlex
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[2] / "docs" / "cli.md").read_text()
    block = re.search(r"```text\n\$ printf '(.*?)' \| (chainrule quiz .*?)\n(.*?)```", doc, re.S)
    assert block, "docs/cli.md has no quiz transcript"
    answers, command, shown = block.groups()
    args = shlex.split(command)[2:]
    code, out, _ = run_main(monkeypatch, capsys, args, answers.replace("\\n", "\n"))
    assert code == 0
    assert out.rstrip() == shown.rstrip()


def test_quiz_has_help(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["quiz", "--help"])
    assert stop.value.code == 0
    assert "usage: chainrule quiz" in capsys.readouterr().out


def test_a_variable_named_out_keeps_its_name(monkeypatch, capsys):
    code, out, _ = run_main(monkeypatch, capsys, ["out*2", "out=1"], "2\n")
    assert code == 0
    assert "    result = mul(out, v2) = 2.0" in out and "right: d result/d out = 2.0" in out
