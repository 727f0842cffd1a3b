"""The lesson's backward pass, line by line: dz = a - y, dw = Xᵀ·dz / m, db = Σ dz / m.

    python demos/17_matrix_backward.py

The lesson's sigmoid neuron on its four XOR points, written with matrices of Values
(``autograd.matmul``: every entry an ordinary node), at the lesson's first weights
(np.random.seed(1); np.random.randn(2, 1)) and bias 0. ``backward()`` of the mean binary
cross-entropy fills in every grad edge by edge; each of the lesson's three lines is then
computed from the numbers and compared with those grads.

What to notice:
- dz = a - y is dL/dz times m: σ'(z) = a(1 - a) times BCE's ∂/∂a = (a - y)/(a(1 - a)), which
  cancel. The lesson's dz belongs to the binary cross-entropy: with the squared error the
  same product is 2(a - y)·a(1 - a), another number;
- dw = Xᵀ·dz / m: weight t sits on one edge into each example's z, from X[i][t], so its grad
  collects X[i][t]·dz[i] / m over the four examples: row t of Xᵀ times dz;
- db = Σ dz / m: the one bias is added to every row (broadcast), so it collects every row's.
Each line matches the engine's grads to 1e-15.
"""

from __future__ import annotations

from autograd import as_matrix, log, matmul, matrix_add, matrix_data, matrix_grad, matrix_map, matrix_mean
from autograd import sigmoid as value_sigmoid

X_ROWS = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
Y = [0.0, 1.0, 1.0, 0.0]
W0 = [[1.6243453636632417], [-0.6117564136500754]]  # np.random.seed(1); np.random.randn(2, 1)


def build() -> dict[str, object]:
    """The neuron with matrices of Values; ``backward()`` of the mean BCE already run."""
    X = as_matrix(X_ROWS, "X")
    W = as_matrix(W0, "W")
    b = as_matrix([[0.0]], "b")
    Z = matrix_add(matmul(X, W), b)  # z = np.dot(X, weights) + bias: b broadcast to every row
    A = matrix_map(value_sigmoid, Z)  # a = sigmoid(z)
    per_row = [[y * log(a) + (1 - y) * log(1 - a)] for y, (a,) in zip(Y, A)]
    loss = -matrix_mean(per_row)  # the mean binary cross-entropy over the m = 4 rows
    loss.backward()
    return {"X": X, "W": W, "b": b, "Z": Z, "A": A, "loss": loss}


def lines(net: dict[str, object]) -> dict[str, object]:
    """The lesson's three lines, from the numbers, beside the engine's grads."""
    m = len(X_ROWS)
    a = [row[0] for row in matrix_data(net["A"])]
    dz = [ai - yi for ai, yi in zip(a, Y)]  # dz = a - y
    dbce_da = [-yi / ai + (1 - yi) / (1 - ai) for ai, yi in zip(a, Y)]  # ∂/∂a of -(y log a + (1-y) log(1-a))
    chain = [ai * (1 - ai) * g for ai, g in zip(a, dbce_da)]  # σ'(z) · ∂BCE/∂a
    mse = [2 * (ai - yi) * ai * (1 - ai) for ai, yi in zip(a, Y)]  # σ'(z) · ∂(a - y)²/∂a
    dw = [sum(X_ROWS[i][t] * dz[i] for i in range(m)) / m for t in range(2)]  # np.dot(X.T, dz) / m
    db = sum(dz) / m  # np.sum(dz) / m
    return {
        "a": a, "dz": dz, "chain": chain, "mse": mse, "dw": dw, "db": db,
        "engine_dz": [row[0] * m for row in matrix_grad(net["Z"])],
        "engine_dw": [row[0] for row in matrix_grad(net["W"])],
        "engine_db": matrix_grad(net["b"])[0][0],
    }  # fmt: skip


def main() -> None:
    net = build()
    r = lines(net)
    m = len(X_ROWS)
    print(f"the lesson's neuron at its first weights: loss (mean BCE) = {net['loss'].data:.6f}")  # type: ignore[attr-defined]
    print("\n1. dz = a - y   (the engine's dL/dz, times m = 4)")
    print("   i   a         y    a - y      sigma'(z)*dBCE/da   engine m*dL/dz   MSE's 2(a-y)a(1-a)")
    for i in range(m):
        print(
            f"   {i}   {r['a'][i]:.6f}  {Y[i]:.0f}  {r['dz'][i]:+.6f}   {r['chain'][i]:+.6f}"
            f"           {r['engine_dz'][i]:+.6f}        {r['mse'][i]:+.6f}"
        )
    worst = max(abs(p - q) for p, q in zip(r["dz"], r["engine_dz"]))
    print(f"   a - y matches the engine to {worst:.0e} (<= 1e-15: {worst <= 1e-15}); MSE's is another number")
    print("\n2. dw = X^T . dz / m   (each weight's edges over the four examples)")
    for t in range(2):
        terms = " + ".join(f"X[{i}][{t}]*dz[{i}]" for i in range(m))
        nums = " + ".join(f"{X_ROWS[i][t]:.0f}*({r['dz'][i]:+.4f})" for i in range(m))
        diff = abs(r["dw"][t] - r["engine_dw"][t])
        print(f"   W[{t}][0].grad = ({terms}) / 4")
        print(
            f"                = ({nums}) / 4 = {r['dw'][t]:+.6f};"
            f"  engine {r['engine_dw'][t]:+.6f}  (<= 1e-15: {diff <= 1e-15})"
        )
    print("\n3. db = sum(dz) / m   (the bias is added to every row, so it collects every row's)")
    nums = " + ".join(f"({d:+.4f})" for d in r["dz"])
    diff = abs(r["db"] - r["engine_db"])
    print(
        f"   b.grad = ({nums}) / 4 = {r['db']:+.6f};  engine {r['engine_db']:+.6f}"
        f"  (<= 1e-15: {diff <= 1e-15})"
    )


if __name__ == "__main__":
    main()
