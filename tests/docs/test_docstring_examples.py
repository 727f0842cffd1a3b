"""The examples in the engine's docstrings run and print what they show."""

import doctest

import pytest

import autograd.value


@pytest.mark.parametrize("module", [autograd.value])
def test_docstring_examples(module):
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0
