"""`chainrule quiz`: answers on standard input, exit 0 whatever the score, bad expressions refused."""

import io
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
    assert "hint: dout/dx = sum over the edges out of x of local × upstream" in out
    assert out.rstrip().endswith("score: 0/3")


def test_end_of_input_ends_the_quiz_with_the_score_so_far(monkeypatch, capsys):
    code, out, _ = run_main(monkeypatch, capsys, ["tanh(w*x + b)", "x=2", "w=-3", "b=1"], "")
    assert code == 0
    assert out.rstrip().endswith("score: 0/0 (input ended after 0 of 5 questions)")


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
