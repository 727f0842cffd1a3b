"""The examples in the docstrings of the engine and of nn/layers.py run and print what they show."""

import doctest

import pytest

import autograd.value
import nn.layers


@pytest.mark.parametrize("module", [autograd.value, nn.layers])
def test_docstring_examples(module):
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0
