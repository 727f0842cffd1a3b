"""The floor: each workload written by hand with plain Python floats and no graph.

Forward pass, hand-derived backward pass and (for training) the update, with nothing
recorded: the fastest pure Python can do the same arithmetic. The engine's speed is quoted
as a ratio to these.
"""

from __future__ import annotations

from collections.abc import Sequence
from math import exp, log
from operator import mul

Weights = list[list[list[float]]]  # layer -> neuron -> [w0, ..., w(n-1), b]
Matrix = list[list[float]]


def moons_step(weights: Weights, X: list[list[float]], y: list[float], lr: float, alpha: float) -> float:
    """One step of micrograd's moons demo on an MLP with ReLU hidden layers and a linear output.

    loss = mean_i relu(1 - y_i s_i) + alpha * sum p^2; backward by hand; SGD: p -= lr * dloss/dp.
    Updates ``weights`` in place and returns the loss before the update.

    Written for speed: every weighted sum is ``sum(map(mul, w, a), b)`` (the loop runs in C, and
    it adds in the engine's order, bias first); a sample whose margin is <= 0 adds nothing to the
    gradient and is skipped; a layer's weight gradients are summed over the samples at the end,
    one C-level dot product per weight (column of upstream gradients . column of inputs).
    """
    last = len(weights) - 1
    n = len(X)
    columns = [[list(col) for col in zip(*layer)] for layer in weights]  # W transposed, for dL/da
    upstreams: list[list[list[float]]] = [[] for _ in weights]  # per layer: each live sample's dL/dz
    inputs: list[list[list[float]]] = [[] for _ in weights]  # per layer: each live sample's input
    data_loss = 0.0
    for xs, target in zip(X, y):
        activations = [xs]
        a = xs
        for k, layer in enumerate(weights):
            z = [sum(map(mul, neuron, a), neuron[-1]) for neuron in layer]  # zip stops before b
            a = z if k == last else [v if v > 0.0 else 0.0 for v in z]
            activations.append(a)
        margin = 1.0 - target * a[0]
        if margin <= 0.0:
            continue  # relu'(margin) = 0: this sample adds nothing to the gradient
        data_loss += margin
        g = [-target / n]  # d loss / d score
        for k in range(last, -1, -1):
            upstreams[k].append(g)
            inputs[k].append(activations[k])
            if k:
                down = [sum(map(mul, g, col)) for col in columns[k]]  # dL/da of the layer below
                g = [d if z > 0.0 else 0.0 for d, z in zip(down, activations[k])]  # relu'
    reg = 0.0
    for k, layer in enumerate(weights):
        g_cols = list(zip(*upstreams[k])) or [() for _ in layer]
        a_cols = list(zip(*inputs[k])) or [() for _ in columns[k]]
        for neuron, g_col in zip(layer, g_cols):
            grads = [sum(map(mul, g_col, a_col)) for a_col in a_cols]  # dL/dw_j, summed over samples
            grads.append(sum(g_col))  # dL/db
            reg += sum(map(mul, neuron, neuron))
            neuron[:] = [p - lr * (d + 2.0 * alpha * p) for p, d in zip(neuron, grads)]
    return data_loss / n + alpha * reg


def mlp_outputs(weights: Weights, points: Sequence[Sequence[float]]) -> list[float]:
    """The output of an MLP with ReLU hidden layers and a linear output at each point (one output)."""
    last = len(weights) - 1
    outputs = []
    for point in points:
        a: Sequence[float] = point
        for k, layer in enumerate(weights):
            z = [sum(map(mul, neuron, a), neuron[-1]) for neuron in layer]
            a = z if k == last else [v if v > 0.0 else 0.0 for v in z]
        outputs.append(a[0])
    return outputs


def deep_chain(x0: float, ops: int, scale: float, shift: float) -> tuple[float, float]:
    """y = ((relu(x) * scale) + shift) repeated ops/3 times; returns (y, dy/dx0).

    The forward pass keeps each step's local derivative relu'(x) * scale (scale or 0.0); the
    backward pass multiplies them in reverse. (0.7x the time of keeping relu's masks as bools
    and choosing in the backward loop, measured interleaved on 300,000 ops.)
    """
    x = x0
    factors: list[float] = []
    keep = factors.append
    for _ in range(ops // 3):
        if x > 0.0:
            keep(scale)
            x = x * scale + shift
        else:
            keep(0.0)
            x = 0.0 * scale + shift
    grad = 1.0
    for factor in reversed(factors):
        grad = grad * factor
    return x, grad


def wide(ws: list[float], xs: list[float]) -> tuple[float, list[float], list[float]]:
    """s = sum_i w_i x_i; returns (s, ds/dw = x, ds/dx = w)."""
    s = sum([w * x for w, x in zip(ws, xs)])
    return s, list(xs), list(ws)


# --- the tiny GPT's training step (nn/gpt.py), by hand ---------------------------------------------

GPT_MATRICES = ("wte", "wpe", "wq", "wk", "wv", "wo", "fc1", "fc2", "lm_head")  # gpt_parameters' order
RMS_EPS = 1e-5  # nn.gpt.rmsnorm's


def _matvec(w: Matrix, x: Sequence[float]) -> list[float]:
    """W x: one C-level dot product per row."""
    return [sum(map(mul, row, x)) for row in w]


def _rms_scale(x: Sequence[float]) -> float:
    """s = (mean(x²) + 1e-5) ** -0.5, the factor RMSNorm multiplies x by."""
    return (sum(map(mul, x, x)) / len(x) + RMS_EPS) ** -0.5


def _rms_back(x: Sequence[float], s: float, dy: Sequence[float]) -> list[float]:
    """The backward pass of y = x s, s = (mean(x²) + eps)^(-1/2), for n = len(x).

    ds/dx_i = -1/2 (mean(x²) + eps)^(-3/2) 2 x_i / n = -s³ x_i / n, so
    dL/dx_i = s dL/dy_i + x_i ds/dx_i sum_j dL/dy_j x_j = s dL/dy_i - (s³/n) (dL/dy . x) x_i.
    """
    c = s * s * s / len(x) * sum(map(mul, dy, x))
    return [s * d - c * xi for d, xi in zip(dy, x)]


def _outer_sum(douts: list[list[float]], ins: list[list[float]]) -> Matrix:
    """dL/dW of y_t = W x_t summed over positions t: dL/dW_ij = sum_t dL/dy_t,i x_t,j.

    One C-level dot product per weight: the column of upstream gradients (over t) with the
    column of inputs (over t).
    """
    in_cols = list(zip(*ins))
    return [[sum(map(mul, d_col, a_col)) for a_col in in_cols] for d_col in zip(*douts)]


def _check_gpt_input(weights: dict[str, Matrix], seq: Sequence[int], n_head: int) -> None:
    """A ``ValueError`` naming the argument and its value when the model cannot take it."""
    missing = [name for name in GPT_MATRICES if name not in weights]
    if missing:
        raise ValueError(f"floor.gpt_grads: weights has no {', '.join(missing)}; it needs {GPT_MATRICES}")
    n_embd, vocab, context = len(weights["wpe"][0]), len(weights["wte"]), len(weights["wpe"])
    if isinstance(n_head, bool) or not isinstance(n_head, int) or n_head < 1 or n_embd % n_head:
        raise ValueError(f"floor.gpt_grads: n_head must divide the embedding width {n_embd}, got {n_head!r}")
    if not 2 <= len(seq) <= context + 1:
        raise ValueError(
            f"floor.gpt_grads: seq must have 2 to {context + 1} tokens (1 to {context} predictions), "
            f"got {len(seq)}"
        )
    for token in seq:
        if isinstance(token, bool) or not isinstance(token, int) or not 0 <= token < vocab:
            raise ValueError(f"floor.gpt_grads: a token must be an int in 0..{vocab - 1}, got {token!r}")


def gpt_grads(
    weights: dict[str, Matrix], seq: Sequence[int], n_head: int = 4
) -> tuple[float, dict[str, Matrix]]:
    """The tiny GPT's loss (``nn.gpt.gpt_loss``) and dloss/dW of every weight, on plain floats.

    ``weights`` holds ``nn.gpt.gpt_parameters``' matrices as lists of floats. The forward pass is
    the model's, position by position t (predicting ``seq[t + 1]`` from ``seq[: t + 1]``):
    x0 = wte[token] + wpe[t]; x1 = rmsnorm(x0); x2 = rmsnorm(x1); q, k, v = Wq x2, Wk x2, Wv x2;
    per head h: a_s = softmax_s(q_h . k_s,h / sqrt(d_h)) over s <= t, o_h = sum_s a_s v_s,h;
    x3 = Wo o + x1; u = fc1 rmsnorm(x3); x5 = fc2 relu(u) + x3; z = lm_head x5;
    loss = mean_t -log softmax(z)[target].

    The backward pass, by hand (each step's rule on its line below):
      cross-entropy:   dL/dz = (softmax(z) - onehot(target)) / T
      a linear y = W x: dL/dx = W^T dL/dy; dL/dW_ij = sum_t dL/dy_t,i x_t,j (``_outer_sum``)
      a residual y = f(x) + x: dL/dx = f's backward + dL/dy
      ReLU:            dL/du = dL/drelu(u) where u > 0, else 0
      RMSNorm:         ``_rms_back``
      attention (per head, position t): with g = dL/do_h,
                       dL/da_s = g . v_s,h;   dL/dv_s,h += a_s g;
                       dL/dscore_s = a_s (dL/da_s - sum_r a_r dL/da_r)   (softmax's Jacobian);
                       dL/dq_h = sum_s dL/dscore_s k_s,h / sqrt(d_h);
                       dL/dk_s,h += dL/dscore_s q_h / sqrt(d_h)
      embeddings:      dL/dwte[token] += dL/dx0 (a token met twice gets both); dL/dwpe[t] = dL/dx0.
    A key or value of position s gets gradient from every later position, so Wq, Wk, Wv and the
    two RMSNorms below them are passed back after the last position. Returns (loss, grads),
    grads shaped as ``weights`` (zero rows for tokens and positions not in ``seq``).
    """
    _check_gpt_input(weights, seq, n_head)
    wte, wpe, wo = weights["wte"], weights["wpe"], weights["wo"]
    fc1, fc2, lm_head = weights["fc1"], weights["fc2"], weights["lm_head"]
    wqkv = weights["wq"] + weights["wk"] + weights["wv"]  # q, k, v in one product of 3 x n_embd rows
    columns = {name: [list(col) for col in zip(*weights[name])] for name in ("wo", "fc1", "fc2", "lm_head")}
    qkv_columns = [list(col) for col in zip(*wqkv)]
    n_embd = len(wpe[0])
    d_h = n_embd // n_head
    root = d_h**0.5
    parts = [(h * d_h, (h + 1) * d_h) for h in range(n_head)]
    T = len(seq) - 1
    # kept for the second part of the backward pass and for the weight gradients
    key_parts: list[list[list[float]]] = [[] for _ in parts]  # [h][s]: k_s,h
    key_cols: list[list[list[float]]] = [[[] for _ in range(d_h)] for _ in parts]  # [h][j]: k_s,h,j over s
    value_cols: list[list[list[float]]] = [[[] for _ in range(d_h)] for _ in parts]  # [h][j]: v_s,h,j over s
    d_keys: list[list[list[float]]] = [[] for _ in parts]  # [h][s]: dL/dk_s,h so far
    d_values: list[list[list[float]]] = [[] for _ in parts]  # [h][s]: dL/dv_s,h so far
    d_queries: list[list[float]] = []
    x0s, s0s, x1s, s1s, x2s, d_x1_residual = [], [], [], [], [], []
    heads_in, d_x3s, x4s, d_us, hiddens, d_x5s, x5s, d_zs = [], [], [], [], [], [], [], []
    loss = 0.0
    for t in range(T):
        token, target = seq[t], seq[t + 1]
        # forward
        x0 = [a + b for a, b in zip(wte[token], wpe[t])]
        s0 = _rms_scale(x0)
        x1 = [v * s0 for v in x0]
        s1 = _rms_scale(x1)
        x2 = [v * s1 for v in x1]
        qkv = _matvec(wqkv, x2)
        q, k, v = qkv[:n_embd], qkv[n_embd : 2 * n_embd], qkv[2 * n_embd :]
        heads: list[float] = []
        attention: list[list[float]] = []
        for h, (lo, hi) in enumerate(parts):
            q_h = q[lo:hi]
            key_parts[h].append(k[lo:hi])
            for col, k_j in zip(key_cols[h], k[lo:hi]):
                col.append(k_j)
            for col, v_j in zip(value_cols[h], v[lo:hi]):
                col.append(v_j)
            scores = [sum(map(mul, q_h, k_s)) / root for k_s in key_parts[h]]
            top = max(scores)
            exps = [exp(z - top) for z in scores]
            total = sum(exps)
            a = [e / total for e in exps]
            attention.append(a)
            heads += [sum(map(mul, a, col)) for col in value_cols[h]]
        x3 = [a + b for a, b in zip(_matvec(wo, heads), x1)]
        s3 = _rms_scale(x3)
        x4 = [v * s3 for v in x3]
        u = _matvec(fc1, x4)
        hidden = [z if z > 0.0 else 0.0 for z in u]
        x5 = [a + b for a, b in zip(_matvec(fc2, hidden), x3)]
        z = _matvec(lm_head, x5)
        top = max(z)
        exps = [exp(v - top) for v in z]
        total = sum(exps)
        probs = [e / total for e in exps]
        loss -= log(probs[target])
        # backward down to this position's query and to the keys and values it read
        probs[target] -= 1.0
        d_z = [p / T for p in probs]  # cross-entropy
        d_x5 = [sum(map(mul, d_z, col)) for col in columns["lm_head"]]
        d_hidden = [sum(map(mul, d_x5, col)) for col in columns["fc2"]]
        d_u = [d if z > 0.0 else 0.0 for d, z in zip(d_hidden, u)]  # relu'
        d_x4 = [sum(map(mul, d_u, col)) for col in columns["fc1"]]
        d_x3 = [a + b for a, b in zip(_rms_back(x3, s3, d_x4), d_x5)]  # the MLP's residual
        d_heads = [sum(map(mul, d_x3, col)) for col in columns["wo"]]
        d_q: list[float] = []
        for h, (lo, hi) in enumerate(parts):
            g = d_heads[lo:hi]
            a = attention[h]
            dk_h, dv_h = d_keys[h], d_values[h]
            dk_h.append([0.0] * d_h)
            dv_h.append([0.0] * d_h)
            d_a = [sum(map(mul, g, v_s)) for v_s in zip(*value_cols[h])]
            mean = sum(map(mul, a, d_a))
            d_scores = [a_s * (da_s - mean) / root for a_s, da_s in zip(a, d_a)]  # softmax, then / sqrt(d_h)
            d_q += [sum(map(mul, d_scores, col)) for col in key_cols[h]]
            q_h = q[lo:hi]
            for s, (a_s, d_s) in enumerate(zip(a, d_scores)):
                dk_h[s] = [w + d_s * b for w, b in zip(dk_h[s], q_h)]
                dv_h[s] = [w + a_s * b for w, b in zip(dv_h[s], g)]
        d_queries.append(d_q)
        x0s.append(x0), s0s.append(s0), x1s.append(x1), s1s.append(s1), x2s.append(x2)
        d_x1_residual.append(d_x3)  # x3 = Wo o + x1: the attention's residual
        heads_in.append(heads), d_x3s.append(d_x3), x4s.append(x4), d_us.append(d_u)
        hiddens.append(hidden), d_x5s.append(d_x5), x5s.append(x5), d_zs.append(d_z)
    # the rest of the backward pass: through Wq, Wk, Wv, the two RMSNorms and the embeddings
    d_wte = [[0.0] * n_embd for _ in wte]
    d_wpe = [[0.0] * n_embd for _ in wpe]
    d_qkvs = []
    for t in range(T):
        d_qkv = d_queries[t] + [d for h in range(n_head) for d in d_keys[h][t]]
        d_qkv += [d for h in range(n_head) for d in d_values[h][t]]
        d_qkvs.append(d_qkv)
        d_x2 = [sum(map(mul, d_qkv, col)) for col in qkv_columns]
        d_x1 = [a + b for a, b in zip(_rms_back(x1s[t], s1s[t], d_x2), d_x1_residual[t])]
        d_x0 = _rms_back(x0s[t], s0s[t], d_x1)
        row = d_wte[seq[t]]
        row[:] = [a + b for a, b in zip(row, d_x0)]
        d_wpe[t] = d_x0
    d_wqkv = _outer_sum(d_qkvs, x2s)
    grads = {
        "wte": d_wte, "wpe": d_wpe,
        "wq": d_wqkv[:n_embd], "wk": d_wqkv[n_embd : 2 * n_embd], "wv": d_wqkv[2 * n_embd :],
        "wo": _outer_sum(d_x3s, heads_in), "fc1": _outer_sum(d_us, x4s), "fc2": _outer_sum(d_x5s, hiddens),
        "lm_head": _outer_sum(d_zs, x5s),
    }  # fmt: skip
    return loss / T, grads


def gpt_step(weights: dict[str, Matrix], seq: Sequence[int], lr: float = 0.01, n_head: int = 4) -> float:
    """``nn.gpt.gpt_step`` on floats: loss and gradients (``gpt_grads``), then SGD p -= lr * dL/dp.

    Updates ``weights`` in place and returns the loss before the update.
    """
    loss, grads = gpt_grads(weights, seq, n_head)
    for name, grad in grads.items():
        for row, g in zip(weights[name], grad):
            row[:] = [p - lr * d for p, d in zip(row, g)]
    return loss
