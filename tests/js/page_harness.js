// Runs the live page's pure JavaScript under node, outside the browser, for the fast test loop
// (tests/see/test_js_page.py calls it): the op twin (autograd/see/ops_twin.js, run whole) and
// the page's own functions read out of autograd/see/page_template.html by name: forward (the
// twin ops over the graph), startGrads and backward (the page's chain rule), boxNumber and short
// (its number formats). They run as the page runs them, on the same page data (graph_data).
//
//   node page_harness.js OPS_TWIN.js PAGE_TEMPLATE.html < requests.json > results.json
//
// requests: {"ops": [[op, [args], slope], ...], "format": [x, ...], "pyformat": [[x, "f" or "e",
// digits], ...] (pyFixed and pyExp, Python's f"{x:.{digits}f}" and "e"), "typed": [text, ...]
// (typedNumber: a predicted answer as read, null when it is not one), "graphs": [{"G": data,
// "leaves": {index: x}, "edits": [{index: x}, ...]}, ...]} (edits: the learner changing leaves
// again on the same page, a forward and backward pass after each; each graph's answer has its
// steps' deps: {up, after}, the steps the upstream grad and each input's new grad come from);
// numbers that JSON cannot hold travel as strings Number() reads ("NaN", "-Infinity", "-0"), and
// come back the same way.
"use strict";
const fs = require("fs");
const vm = require("vm");

const [opsPath, templatePath] = process.argv.slice(2);
const template = fs.readFileSync(templatePath, "utf8");

// The text of `function NAME(...) { ... }` in the template: braces counted, strings, template
// literals, regular expressions in the code read (/.../), and comments skipped.
function extract(name) {
  const start = template.search(new RegExp("function " + name + "\\("));
  if (start < 0) throw new Error("page_template.html has no function " + name + "(): was it renamed?");
  let depth = 0;
  let i = template.indexOf("{", start);
  for (; i < template.length; i++) {
    const c = template[i];
    if (c === "/" && template[i + 1] === "/") { i = template.indexOf("\n", i); continue; }
    if (c === "/" && template[i + 1] === "*") { i = template.indexOf("*/", i) + 1; continue; }
    if (c === '"' || c === "'" || c === "`") {
      for (i++; template[i] !== c; i++) if (template[i] === "\\") i++;
      continue;
    }
    if (c === "{") depth++;
    if (c === "}" && --depth === 0) return template.slice(start, i + 1);
  }
  throw new Error("page_template.html: function " + name + "() never ends");
}

const context = vm.createContext({});
vm.runInContext(fs.readFileSync(opsPath, "utf8"), context, { filename: opsPath });
vm.runInContext(
  [
    "let G, nodes, N, M, state;",
    "const num = (v) => Number(v);  // as the page reads its data",
    ...["exactDecimal", "roundHalfEven", "signOf", "pyFixed", "pyExp", "boxNumber", "short", "pythonFloat", "typedNumber", "forward", "startGrads", "backward"].map(extract),
    // the page's state (page_template.html), for page data G with some leaves set to new numbers
    `function load(data, leaves) {
      G = data; nodes = G.nodes; N = nodes.length; M = G.computed;
      state = { data: nodes.map((n) => num(n.data)), local: nodes.map((n) => n.local.map(num)),
                errors: new Map(), blocked: new Set(), steps: [], position: 0, predict: 0,
                revealed: new Set() };
      for (const [k, x] of Object.entries(leaves || {})) state.data[Number(k)] = num(x);
    }`,
  ].join("\n"),
  context,
  { filename: templatePath },
);

const OpError = vm.runInContext("OpError", context);  // a class: not a property of the global object
const encode = (x) => (Object.is(x, -0) ? "-0" : String(x));
const requests = JSON.parse(fs.readFileSync(0, "utf8"));
const results = {};
results.ops = (requests.ops || []).map(([op, args, slope]) => {
  try {
    const [out, local] = context.applyOp(op, args.map(Number), slope);
    return { out: encode(out), local: local.map(encode) };
  } catch (err) {
    if (!(err instanceof OpError)) throw err;
    return { error: err.type, message: err.message };
  }
});
results.opNames = vm.runInContext("Object.keys(OPS)", context);
results.format = (requests.format || []).map((x) => {
  const n = Number(x);
  return { box: context.boxNumber(n), short: context.short(n), repr: context.pyRepr(n) };
});
results.pyformat = (requests.pyformat || []).map(([x, kind, digits]) =>
  kind === "f" ? context.pyFixed(Number(x), digits) : context.pyExp(Number(x), digits));
results.typed = (requests.typed || []).map((text) => {
  const x = context.typedNumber(text);
  return x === null ? null : encode(x);
});
results.graphs = (requests.graphs || []).map(({ G: data, leaves, edits }) => {
  context.load(data, leaves);
  vm.runInContext("forward(); backward();", context);
  for (const edit of edits || []) {  // later edits of leaves on the same page, each followed by a pass
    const numbers = vm.runInContext("state.data", context);
    for (const [k, x] of Object.entries(edit)) numbers[Number(k)] = Number(x);
    vm.runInContext("forward(); backward();", context);
  }
  const state = vm.runInContext("state", context);
  const errors = [...state.errors].map(([k, err]) => [k, err.type, err.message]);
  // each step's deps (predict mode's record of which steps a number comes from), as sorted lists
  const sorted = (deps) => [...deps].sort((a, b) => a - b);
  const deps = state.steps.map((s) => ({ up: sorted(s.upDeps), after: s.terms.map((t) => sorted(t.afterDeps)) }));
  return { data: state.data.map(encode), grads: (state.final || []).map(encode), errors,
           steps: state.steps.length, deps };
});
process.stdout.write(JSON.stringify(results));
