"""``python -m autograd``: the same as the ``chainrule`` command."""

import sys

from autograd.cli import main

sys.exit(main())
