"""A backward pass to step through in pdb (see docs/debugging.md).

From the repository root, find the chain-rule line (this prints exactly one line, starting
with its number), then start pdb on this demo and stop at that line:

    grep -n "the chain rule; +=" autograd/backward.py
    python -m pdb -m demos.step_through
    (Pdb) b autograd/backward.py:NUMBER
    (Pdb) c

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
