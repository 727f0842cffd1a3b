"""The tools that show the engine at work; they read the graph and never change how it computes.

``draw.py`` (Graphviz pictures: ``draw_dot``, ``render``), built on ``selection.py`` (which
nodes to draw and how to group them) and ``dot_text.py`` (escaping and number formats);
``page.py`` + ``page_template.html`` + ``ops_twin.js`` (the live graph page, ``render_steps``:
edit the inputs, step through backward); ``flipbook.py`` + ``flipbook_template.html`` (a
recorded training run, ``render_flipbook``); ``notebook.py`` (``show``: either page inline in
a notebook); ``anomaly.py`` (``detect_anomaly``). They import the engine only, and nothing
imports them but the application and ``autograd``'s lazy names (``from autograd import draw_dot`` works).
"""
