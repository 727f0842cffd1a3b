// The JavaScript twin of autograd/ops.py: the same ops, row for row and in the same order.
//
// Each op takes its inputs' numbers and returns [out, localGrads]: the output and, for each
// input, d(out)/d(input). Errors carry Python's exception name and Python's message, with
// numbers written as Python's repr writes them, so the page says what the engine would say.
// The live page (page_template.html) inlines this file; nothing here touches the page.
"use strict";

class OpError extends Error {
  constructor(type, message) {
    super(message);
    this.type = type;  // ZeroDivisionError, ValueError or OverflowError, as in Python
  }
}

// repr(x) of a Python float: shortest round-trip digits, exponent form below 1e-4 and from 1e16.
function pyRepr(x) {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const [mantissa, expText] = x.toExponential().split("e");
  const exp = Number(expText);
  const sign = x < 0 ? "-" : "";
  const digits = mantissa.replace("-", "").replace(".", "");
  if (exp < -4 || exp >= 16) {
    const m = digits.length > 1 ? digits[0] + "." + digits.slice(1) : digits;
    return sign + m + "e" + (exp < 0 ? "-" : "+") + String(Math.abs(exp)).padStart(2, "0");
  }
  if (exp < 0) return sign + "0." + "0".repeat(-exp - 1) + digits;
  if (digits.length <= exp + 1) return sign + digits + "0".repeat(exp + 1 - digits.length) + ".0";
  return sign + digits.slice(0, exp + 1) + "." + digits.slice(exp + 1);
}

// math.fsum: the exactly rounded sum (partial sums kept without loss, Shewchuk's method).
function fsum(values) {
  const partials = [];
  let special = 0;
  let infSum = 0;
  for (const value of values) {
    if (!Number.isFinite(value)) {
      if (!Number.isNaN(value)) infSum += value;
      special += value;
      partials.length = 0;
      continue;
    }
    let x = value;
    let kept = 0;
    for (let j = 0; j < partials.length; j++) {
      let y = partials[j];
      if (Math.abs(x) < Math.abs(y)) [x, y] = [y, x];
      const hi = x + y;
      const lo = y - (hi - x);
      if (lo !== 0) partials[kept++] = lo;
      x = hi;
    }
    if (!Number.isFinite(x)) throw OverflowError("intermediate overflow in fsum");
    partials.length = kept;
    if (x !== 0) partials.push(x);  // a zero is never kept, as in math.fsum: fsum([-0.0]) is 0.0
  }
  if (special !== 0 || Number.isNaN(special)) {
    if (Number.isNaN(infSum)) throw new OpError("ValueError", "-inf + inf in fsum");
    return special;
  }
  let n = partials.length;
  let hi = 0;
  if (n > 0) {
    hi = partials[--n];
    let lo = 0;
    while (n > 0) {  // add from the largest down until the sum stops being exact
      const x = hi;
      const y = partials[--n];
      hi = x + y;
      lo = y - (hi - x);
      if (lo !== 0) break;
    }
    if (n > 0 && ((lo < 0 && partials[n - 1] < 0) || (lo > 0 && partials[n - 1] > 0))) {
      const y = lo * 2;  // round half to even, as if the rest were added exactly
      const x = hi + y;
      if (y === x - hi) hi = x;
    }
  }
  return hi;
}

function OverflowError(message) {
  return new OpError("OverflowError", message);
}

// Python's float ** float where it differs from Math.pow: 1 ** anything and (-1) ** +-inf are 1.
function pyPow(x, n) {
  if (x === 1 || n === 0) return 1;
  if (x === -1 && (n === Infinity || n === -Infinity)) return 1;
  return Math.pow(x, n);
}

function checkedPow(x, n) {
  const out = pyPow(x, n);
  if (!Number.isFinite(out) && Number.isFinite(x) && Number.isFinite(n)) {
    throw OverflowError("pow: " + pyRepr(x) + " ** " + pyRepr(n) + " is too large for a float");
  }
  return out;
}

function sigmoidOf(x) {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

// --- arithmetic -------------------------------------------------------------------------------

function add(a, b) { return [a + b, [1, 1]]; }  // d/da = 1, d/db = 1

function sub(a, b) { return [a - b, [1, -1]]; }  // d/da = 1, d/db = -1

function neg(a) { return [-a, [-1]]; }  // d/da = -1

function mul(a, b) { return [a * b, mulGrads(null, a, b)]; }

function mulGrads(out, a, b) { return [b, a]; }  // d/da = b,  d/db = a

function div(a, b) {
  if (b === 0) throw new OpError("ZeroDivisionError", "div: division by zero (" + pyRepr(a) + " / " + pyRepr(b) + ")");
  const out = a / b;
  return [out, divGrads(out, a, b)];
}

function divGrads(out, a, b) { return [1 / b, -out / b]; }  // d/da = 1/b,  d/db = -a/b**2 = -out/b

function pow(x, n) {
  if (x < 0 && Number.isFinite(n) && !Number.isInteger(n)) {
    throw new OpError("ValueError", "pow: negative base " + pyRepr(x) + " to the non-integer power " + pyRepr(n) + " is not a real number");
  }
  if (x === 0 && n < 0) throw new OpError("ZeroDivisionError", "pow: 0.0 to the negative power " + pyRepr(n));
  const out = checkedPow(x, n);
  return [out, powGrads(out, x, n)];
}

function powGrads(out, x, n) {  // d/da = b * a**(b-1),  d/db = a**b * log(a) = out * log(a)
  // d/da is 0 for b = 0, +inf at a = 0 for 0 < b < 1, and +-inf where a**(b-1) overflows
  const dBase = n === 0 ? 0 : x === 0 && n < 1 ? Infinity : n * pyPow(x, n - 1);
  const dExponent = x > 0 ? out * Math.log(x) : 0;
  return [dBase, dExponent];
}

// --- functions of one input --------------------------------------------------------------------

function exp(a) {
  const out = Math.exp(a);
  if (out === Infinity && Number.isFinite(a)) throw OverflowError("exp: e ** " + pyRepr(a) + " is too large for a float");
  return [out, expGrads(out, a)];
}

function expGrads(out, a) { return [out]; }  // d/da = e**a = out

function log(x) {
  if (x <= 0) throw new OpError("ValueError", "log: input must be > 0, got " + pyRepr(x));
  const out = Math.log(x);
  return [out, logGrads(out, x)];
}

function logGrads(out, a) { return [1 / a]; }  // d/da = 1/a

function sqrt(x) {
  if (x < 0) throw new OpError("ValueError", "sqrt: input must be >= 0, got " + pyRepr(x));
  const out = Math.sqrt(x);
  return [out, sqrtGrads(out, x)];
}

function sqrtGrads(out, a) { return [out !== 0 ? 0.5 / out : Infinity]; }  // d/da = 0.5/out, +inf at 0

function tanh(a) {
  const out = Math.tanh(a);
  return [out, tanhGrads(out, a)];
}

function tanhGrads(out, a) { return [1 - out * out]; }  // d/da = 1 - out**2

function sigmoid(a) {
  const out = sigmoidOf(a);
  return [out, sigmoidGrads(out, a)];
}

function sigmoidGrads(out, a) { return [out * (1 - out)]; }  // d/da = out (1 - out)

function softplus(x) {  // max(x, 0) + log1p(e**-|x|)
  const out = (x > 0 ? x : 0) + Math.log1p(Math.exp(-Math.abs(x)));
  return [out, softplusGrads(out, x)];
}

function softplusGrads(out, a) { return [sigmoidOf(a)]; }  // d/da = sigmoid(a)

const GELU_C = Math.sqrt(2 / Math.PI);  // gelu's tanh form: tanh(GELU_C * (a + GELU_K * a**3))
const GELU_K = 0.044715;

function gelu(x) {  // a/2 (1 + tanh(sqrt(2/pi) (a + 0.044715 a**3))), PyTorch's approximate='tanh'
  const out = 0.5 * x * (1 + Math.tanh(GELU_C * (x + GELU_K * x * x * x)));
  return [out, geluGrads(out, x)];
}

function geluGrads(out, a) {  // d/da = (1 + tanh t)/2 + a/2 (1 - tanh(t)**2) sqrt(2/pi) (1 + 3 * 0.044715 a**2)
  const tanhT = Math.tanh(GELU_C * (a + GELU_K * a * a * a));
  return [0.5 * (1 + tanhT) + 0.5 * a * (1 - tanhT * tanhT) * GELU_C * (1 + 3 * GELU_K * a * a)];
}

function silu(x) {  // a sigmoid(a)
  const out = x * sigmoidOf(x);
  return [out, siluGrads(out, x)];
}

function siluGrads(out, a) {  // d/da = s + out (1 - s),  s = sigmoid(a)
  const s = sigmoidOf(a);
  return [s + out * (1 - s)];
}

function relu(x) {  // d/da = 1 if a > 0 else 0; NaN stays NaN
  if (x > 0) return [x, [1]];
  return [x <= 0 ? 0 : x, [0]];
}

function leaky_relu(x, slope) {  // d/da = 1 if a > 0 else slope
  if (x > 0) return [x, [1]];
  return [slope * x, [slope]];
}

function abs(x) {  // d/da = sign(a), 0 at 0
  const sign = x > 0 ? 1 : x < 0 ? -1 : 0;
  return [Math.abs(x), [sign]];
}

function sin(a) {  // NaN at +-inf, as in ops.py (and PyTorch)
  return [Math.sin(a), sinGrads(null, a)];
}

function sinGrads(out, a) { return [Math.cos(a)]; }  // d/da = cos(a)

function cos(a) {  // NaN at +-inf
  return [Math.cos(a), cosGrads(null, a)];
}

function cosGrads(out, a) { return [-Math.sin(a)]; }  // d/da = -sin(a)

function tan(a) {  // NaN at +-inf
  const out = Math.tan(a);
  return [out, tanGrads(out, a)];
}

function tanGrads(out, a) { return [1 + out * out]; }  // d/da = 1 + tan(a)**2 = 1 + out**2

function atan(a) {
  const out = Math.atan(a);
  return [out, atanGrads(out, a)];
}

function atanGrads(out, a) { return [1 / (1 + a * a)]; }  // d/da = 1 / (1 + a**2)

function identity(a) { return [a, [1]]; }  // d/da = 1

// --- fused n-ary ops: one node for many inputs --------------------------------------------------

function sum(...values) { return [fsum(values), values.map(() => 1)]; }  // d/dv[i] = 1

function dot(...inputs) {  // ws, then xs, then the bias if there is one
  const n = Math.floor(inputs.length / 2);
  let out = inputs.length > 2 * n ? inputs[2 * n] : 0;
  for (let i = 0; i < n; i++) out += inputs[i] * inputs[n + i];
  return [out, dotGrads(out, ...inputs)];
}

function dotGrads(out, ...inputs) {  // d/dw[i] = x[i],  d/dx[i] = w[i],  d/dbias = 1
  const n = Math.floor(inputs.length / 2);
  return [...inputs.slice(n, 2 * n), ...inputs.slice(0, n), ...inputs.slice(2 * n).map(() => 1)];
}

// The ops by the name a node records; leaky_relu also reads the node's slope.
const OPS = {
  add, sub, neg, mul, div, pow, exp, log, sqrt, tanh, sigmoid, softplus, gelu, silu, relu,
  leaky_relu, abs, sin, cos, tan, atan, identity, sum, dot,
};

// Run the op a node records: [out, localGrads], or an OpError.
function applyOp(op, args, slope) {
  const rule = Object.hasOwn(OPS, op) ? OPS[op] : undefined;  // not Object's own toString, constructor ...
  if (rule === undefined) throw new OpError("ValueError", op + ": this page has no JavaScript twin of this op");
  return op === "leaky_relu" ? rule(args[0], slope) : rule(...args);
}
