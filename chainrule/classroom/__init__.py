"""The classroom: chainrule in the browser, through Pyodide, as a static folder (``chainrule classroom``)."""
