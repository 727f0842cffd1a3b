// The classroom's Python: Pyodide in a Web Worker, with chainrule unpacked into its file system.
// Messages in:  {type: "init", base}   then   {type: "run", id, source}
// Messages out: {type: "ready", seconds} | {type: "failed", error}
//               {type: "stdout" | "stderr" | "show-html", id, text} while a run goes on
//               {type: "done", id, result: {stdout, stderr, error}}
//               {type: "crashed", id, error}   Python itself failed (not an exception of the code)
// Started from a blob: URL (see classroom.js), so every URL is made absolute from `base`.
let runner = null;
let runId = 0;

function post(kind, text) {
  self.postMessage({ type: kind, id: runId, text });
}

// Returns where the time to ready went, in seconds: Pyodide's start (fetching and compiling the
// interpreter, unpacking the standard library), chainrule.zip, importing the engine.
async function init(base) {
  const t0 = performance.now();
  const { loadPyodide } = await import(new URL("pyodide/pyodide.mjs", base).href);
  const pyodide = await loadPyodide({ indexURL: new URL("pyodide/", base).href });
  const t1 = performance.now();
  const response = await fetch(new URL("chainrule.zip", base));
  if (!response.ok) throw new Error(`chainrule.zip: HTTP ${response.status}`);
  pyodide.unpackArchive(await response.arrayBuffer(), "zip", { extractDir: "/lib/chainrule" });
  pyodide.runPython("import sys\nsys.path.insert(0, '/lib/chainrule')");
  const t2 = performance.now();
  const Runner = pyodide.pyimport("chainrule.classroom.runner").Runner;
  runner = Runner(post);
  const t3 = performance.now();
  return { pyodide: (t1 - t0) / 1000, zip: (t2 - t1) / 1000, imports: (t3 - t2) / 1000 };
}

self.onmessage = async (event) => {
  const message = event.data;
  if (message.type === "init") {
    try {
      const seconds = await init(message.base);
      self.postMessage({ type: "ready", seconds });
    } catch (error) {
      self.postMessage({ type: "failed", error: String((error && error.message) || error) });
    }
  } else if (message.type === "run") {
    runId = message.id;
    let result;
    try {
      const proxy = runner.run(message.source);
      result = proxy.toJs({ dict_converter: Object.fromEntries });
      proxy.destroy();
    } catch (error) {
      // Not a Python exception (the Runner says those): Python itself failed, and may be broken.
      // The page starts a fresh worker (classroom.js, "crashed").
      self.postMessage({ type: "crashed", id: message.id, error: String((error && error.message) || error) });
      return;
    }
    self.postMessage({ type: "done", id: message.id, result });
  }
};
