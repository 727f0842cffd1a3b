"""The tools that show the engine at work; they read the graph and never change how it computes.

``draw.py`` (Graphviz pictures: ``draw_dot``, ``render``), built on ``selection.py`` (which
nodes to draw and how to group them) and ``dot_text.py`` (escaping and number formats);
``page.py`` (the step-through HTML page, ``render_steps``); ``anomaly.py``
(``detect_anomaly``). They import the engine only, and nothing imports them but the
application and ``autograd``'s lazy names (``from autograd import draw_dot`` works).
"""
