"""``autograd``'s public names: ``from autograd import *`` replaces no builtin, and every name it
lists is there."""

from __future__ import annotations

import builtins

import autograd


def test_star_import_replaces_no_builtin():
    namespace: dict[str, object] = {}
    exec("from autograd import *", namespace)
    shadowed = sorted(name for name in namespace if name != "__builtins__" and hasattr(builtins, name))
    assert shadowed == []
    assert "Value" in namespace and "tanh" in namespace  # the import did bring the engine's names


def test_sum_stays_reachable_as_autograd_sum():
    values = [autograd.Value(1.5), autograd.Value(2.0)]
    total = autograd.sum(values)
    assert total.op == "sum" and total.data == 3.5
    assert sum([1, 2]) == 3  # the builtin, untouched


def test_every_name_in_all_is_importable():
    for name in autograd.__all__:
        assert getattr(autograd, name) is not None, name
