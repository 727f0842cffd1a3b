// The classroom page: the editor, Run and Stop, the output, and window.classroom, the hook
// tests and teachers' own pages use:
//   window.classroom.ready        a Promise, resolved when Python and chainrule are loaded
//                                 (after Stop, a new Promise for the fresh Python)
//   window.classroom.run(source)  a Promise of {stdout, stderr, error} after running source
//   window.classroom.stop()       end the running code: the worker is terminated, a fresh one started
// Python runs in a Web Worker (classroom-worker.js), so code that never ends cannot freeze the page.
// The worker is started from a blob: URL, so it keeps this page's Content-Security-Policy.
"use strict";
(function () {
  const base = new URL(".", document.baseURI).href;
  let worker = null;
  let workerUrl = null;
  let current = null;       // the run in progress: {id, resolve, stdout, stderr}
  let queue = Promise.resolve();
  let runs = 0;
  const listeners = { output: [], show: [], state: [] };

  function emit(kind, detail) {
    for (const listener of listeners[kind]) listener(detail);
  }

  async function workerSource() {
    if (workerUrl === null) {
      const response = await fetch(new URL("classroom-worker.js", base));
      if (!response.ok) throw new Error(`classroom-worker.js: HTTP ${response.status}`);
      const text = await response.text();
      workerUrl = URL.createObjectURL(new Blob([text], { type: "text/javascript" }));
    }
    return workerUrl;
  }

  function start() {
    const started = performance.now();
    emit("state", { state: "loading" });
    const ready = (async () => {
      const url = await workerSource();
      const fresh = new Worker(url, { type: "module", name: "python" });
      worker = fresh;
      await new Promise((resolve, reject) => {
        fresh.onmessage = (event) => {
          const message = event.data;
          if (message.type === "ready") {
            classroom.readyParts = message.seconds;
            resolve();
          }
          else if (message.type === "failed") reject(new Error(message.error));
          else received(message);
        };
        fresh.onerror = (event) => reject(new Error(event.message || "the Python worker could not start"));
        fresh.postMessage({ type: "init", base });
      });
      fresh.onerror = (event) => {
        if (current) restart(crashText(event.message || "the worker stopped"));
      };
      const seconds = (performance.now() - started) / 1000;
      classroom.readySeconds = seconds;
      emit("state", { state: "ready", seconds });
    })();
    ready.catch((error) => emit("state", { state: "failed", error: startError(error) }));
    classroom.ready = ready;
    return ready;
  }

  // Why Python could not start, in words a teacher can act on.
  function startError(error) {
    if (location.protocol === "file:") {
      return "this page was opened as a file; browsers run Python only from a web server: serve the folder " +
        "(e.g. python3 -m http.server --directory FOLDER 8000) and open http://localhost:8000/";
    }
    return String((error && error.message) || error);
  }

  function received(message) {
    if (!current || message.id !== current.id) return;
    if (message.type === "stdout" || message.type === "stderr") {
      current[message.type] += message.text;
      emit("output", { stream: message.type, text: message.text });
    } else if (message.type === "show-html") {
      emit("show", { html: message.text });
    } else if (message.type === "done") {
      finish(message.result);
    } else if (message.type === "crashed") {
      restart(crashText(message.error));
    }
  }

  // What the learner reads when Python itself failed: what the browser said, that Python was
  // started afresh, and the one known cause of a stack overflow, as a fact (not as a diagnosis).
  function crashText(error) {
    let text = `Python in this page failed (${error}) and was started afresh: names defined before are gone.`;
    if (/Maximum call stack size exceeded/i.test(error)) {
      text += "\nIn the browser, Python's stack is small: dropping a graph of more than about 2,000 operations overflows it." +
        "\nTake such a graph apart first with autograd.free_graph(root) (see the lesson's code).";
    }
    return text + "\n";
  }

  // End the worker (still running, or broken) and start a fresh one; the current run ends with `error`.
  function restart(error) {
    worker.terminate();
    const partial = current;
    start();
    finish({ stdout: partial.stdout, stderr: partial.stderr, error });
  }

  function finish(result) {
    const run = current;
    current = null;
    emit("state", { state: "done", result });
    run.resolve(result);
  }

  function run(source) {
    if (typeof source !== "string") return Promise.reject(new TypeError(`classroom.run: source must be a string, got ${typeof source}`));
    const next = queue.then(async () => {
      await classroom.ready;
      return new Promise((resolve) => {
        runs += 1;
        current = { id: runs, resolve, stdout: "", stderr: "" };
        emit("state", { state: "running" });
        worker.postMessage({ type: "run", id: runs, source });
      });
    });
    queue = next.catch(() => undefined);
    return next;
  }

  function stop() {
    if (!current) return false;
    restart("Stopped: the code was still running when Stop was pressed. Python starts afresh (names defined before are gone).\n");
    return true;
  }

  let pageSetUp = false;
  const classroom = {
    ready: null,
    readySeconds: null,  // seconds from the worker's start to ready
    readyParts: null,    // where they went: {pyodide, zip, imports}
    run,
    stop,
    get running() { return current !== null; },
    on(kind, listener) { listeners[kind].push(listener); },
  };
  window.classroom = classroom;
  start();
  document.addEventListener("DOMContentLoaded", () => setUp(classroom));
  if (document.readyState !== "loading") setUp(classroom);

  // --- the page ------------------------------------------------------------------------------
  function setUp(room) {
    if (pageSetUp) return;
    pageSetUp = true;
    const status = document.getElementById("status");
    const code = document.getElementById("code");
    room.on("state", ({ state, seconds, error, result }) => {
      if (!status) return;
      if (state === "loading") status.textContent = "Loading Python…";
      else if (state === "ready") status.textContent = `Python ready (${seconds.toFixed(1)} s)`;
      else if (state === "failed") status.textContent = `Python could not start: ${error}`;
      else if (state === "running") status.textContent = "Running…";
      else if (state === "done") status.textContent = result.error ? (result.error.startsWith("Stopped") ? "Stopped" : result.error.startsWith("Python in this page failed") ? "Python failed: started afresh" : "Finished with an error") : "Finished";
      if (code) {
        document.getElementById("run").disabled = state === "running";
        document.getElementById("stop").disabled = state !== "running";
      }
    });
    if (code) editor(room, code);
  }

  function editor(room, code) {
    const slug = document.body.dataset.slug;
    const key = `chainrule-classroom:${slug}`;
    const partSource = JSON.parse(document.getElementById("part").textContent).source;
    const gutter = document.getElementById("gutter");
    const output = document.getElementById("output");
    const graph = document.getElementById("graph");
    const frame = document.getElementById("graph-frame");
    const tab = document.getElementById("graph-tab");
    let saved = null;
    try { saved = localStorage.getItem(key); } catch (_) { /* storage may be off */ }
    if (saved !== null) code.value = saved;

    function numberLines() {
      const lines = code.value.split("\n").length;
      let text = "";
      for (let i = 1; i <= lines; i++) text += i + "\n";
      gutter.textContent = text;
      gutter.scrollTop = code.scrollTop;
    }
    function save() {
      try { localStorage.setItem(key, code.value); } catch (_) { /* storage may be full or off */ }
    }
    code.addEventListener("input", () => { numberLines(); save(); });
    code.addEventListener("scroll", () => { gutter.scrollTop = code.scrollTop; });
    code.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        runEditor();
      } else if (event.key === "Tab" && !event.shiftKey) {
        event.preventDefault();
        code.setRangeText("    ", code.selectionStart, code.selectionEnd, "end");
        numberLines();
        save();
      }
    });
    numberLines();

    function append(text, kind) {
      const span = document.createElement("span");
      span.className = kind;
      span.textContent = text;
      output.appendChild(span);
    }
    // Output arrives line by line; the page writes what came since the last frame at once.
    let arrived = [];
    room.on("output", ({ stream, text }) => {
      if (arrived.length === 0) requestAnimationFrame(showArrived);
      arrived.push([stream, text]);
    });
    function showArrived() {
      let k = 0;
      while (k < arrived.length) {  // runs of one stream become one span
        let text = "";
        const stream = arrived[k][0];
        for (; k < arrived.length && arrived[k][0] === stream; k++) text += arrived[k][1];
        append(text, stream);
      }
      arrived = [];
    }
    room.on("show", ({ html }) => {
      graph.hidden = false;
      frame.srcdoc = html;
      if (tab.href.startsWith("blob:")) URL.revokeObjectURL(tab.href);
      tab.href = URL.createObjectURL(new Blob([html], { type: "text/html" }));
    });
    room.on("state", ({ state, result }) => {
      if (state === "running") {  // any run: the Run button's or classroom.run's
        arrived = [];
        output.textContent = "";
        graph.hidden = true;
      } else if (state === "done") {
        arrived = [];
        output.textContent = "";  // the final text, with "output truncated" where it was
        append(result.stdout, "stdout");
        append(result.stderr, "stderr");
        append(result.error, "error");
      }
    });
    function runEditor() {
      if (room.running) return;
      room.run(code.value).catch((error) => {
        output.textContent = "";
        append(`Python could not start: ${startError(error)}\n`, "error");
      });
    }
    document.getElementById("run").addEventListener("click", runEditor);
    document.getElementById("stop").addEventListener("click", () => room.stop());
    document.getElementById("reset").addEventListener("click", () => {
      code.value = partSource;
      save();
      numberLines();
    });
    document.getElementById("download").addEventListener("click", () => {
      const link = document.createElement("a");
      link.href = URL.createObjectURL(new Blob([code.value], { type: "text/x-python" }));
      link.download = `${slug}.py`;
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 1000);
    });
  }
})();
