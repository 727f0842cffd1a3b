"""chainrule, the application: the ``chainrule`` command, the lesson and the training runs.

It sits on top of everything else and may use all of it; nothing imports it. The engine is
``autograd``, the tools that show it are ``autograd.see``, the networks are ``nn``.

Where things are: ``cli.py`` (the command line: arguments, messages, exit codes),
``expression.py`` (text such as ``"tanh(w*x + b)"`` to a graph, safely), ``lesson.py``
(``chainrule lesson``: the story and its pictures), ``train.py`` (``chainrule train``:
progress bars, plots and saved models).
"""

__version__ = "0.1.0"
