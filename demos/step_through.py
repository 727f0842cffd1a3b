"""A backward pass to step through in pdb (see docs/debugging.md).

Find the chain-rule line (this prints exactly one line, starting with the file and its line
number: FILE:NUMBER:), then start pdb on this demo from the repository root (or on your own
script, from any folder: python -m pdb my_script.py) and stop at that line:

    grep -Hn "the chain rule; +=" "$(python -c 'import autograd.backward as m; print(m.__file__)')"
    python -m pdb -m demos.step_through
    (Pdb) b FILE:NUMBER
    (Pdb) c

The whole path, because pdb looks a relative one (autograd/backward.py) up along sys.path,
where an editable install (pip install -e .) does not put the repository.

The numbers are chosen so every chain-rule value is easy to check by hand:

    a = 2, b = -3, c = a*b = -6, d = c + a = -4, L = d*d = 16
    dL/dd = 2d = -8;  dL/dc = dL/dd * 1 = -8;  dL/da = dL/dc * b + dL/dd * 1 = 24 - 8 = 16
    dL/db = dL/dc * a = -16
"""

from autograd import Value


def main() -> None:
    a = Value(2.0, label="a")
    b = Value(-3.0, label="b")
    c = a * b
    c.label = "c"
    d = c + a
    d.label = "d"
    loss = d * d
    loss.label = "L"
    loss.backward()
    print(f"a.grad = {a.grad}, b.grad = {b.grad}")


if __name__ == "__main__":
    main()
