"""What the rule lab says a learner's result is: the exact words and numbers (mutation holes, issue 23).

Each expected text is written out by hand from what the learner returned; each number is the
float the returned object stands for (10**400 is beyond the float range, so +-inf).
"""

from __future__ import annotations

import array
import decimal
import math

import numpy as np

from autograd.learn.answers import describe, read_answer, read_number, values_of
from autograd.value import Value


def test_numbers_beyond_the_float_range_keep_their_sign() -> None:
    assert read_number(10**400) == (math.inf, "")
    assert read_number(-(10**400)) == (-math.inf, "")
    assert read_number(decimal.Decimal("-1e400")) == (-math.inf, "")
    assert read_number(decimal.Decimal("1e400")) == (math.inf, "")


def test_what_a_non_number_is_called() -> None:
    assert describe(None) == "None"
    assert describe(x for x in ()) == "a generator (a ( ... for ... ) expression?), not a number"
    assert describe({1, 2}) == "a set ({1, 2}), not a number"
    assert read_number({1, 2}) == (None, "a set ({1, 2}), not a number")


def test_a_matrix_is_not_one_number_per_input() -> None:
    answer = read_answer(np.ones((2, 2)), 2, ("a", "b"))
    assert answer.values == ()
    assert answer.count == "an array of shape (2, 2), not one number per input, for an op of 2 input(s)"


def test_values_of_takes_only_a_list_from_tolist() -> None:
    class Odd:
        shape = (2,)

        def tolist(self) -> str:
            return "ab"

    assert values_of(Odd()) is None
    assert values_of(np.float64(2.0)) is None
    assert values_of(np.array([1.0, 2.0])) == [1.0, 2.0]


def test_none_is_named_for_every_input() -> None:
    answer = read_answer(None, 2, ("a", "b"))
    assert answer == read_answer(None, 2, ("a", "b"))
    assert answer.values == (None, None)
    assert answer.problems == ("None", "None")
    assert answer.blank


def test_the_wrong_number_of_values_is_counted_in_words() -> None:
    assert read_answer([1.0], 2, ("a", "b")).count == "1 value for an op of 2 inputs (a, b)"
    assert read_answer([1.0, 2.0], 1, ("x",)).count == "2 values for an op of 1 input (x)"
    assert read_answer([1.0, 2.0, 3.0], 2, ("a", "b")).count == "3 values for an op of 2 inputs (a, b)"


def test_a_container_that_is_not_a_tuple_of_numbers() -> None:
    assert read_answer({1: 2}, 2, ("a", "b")).count == (
        "a dict ({1: 2}), not a tuple of numbers, for an op of 2 inputs (a, b)"
    )
    assert read_answer((x for x in ()), 2, ("a", "b")).count == (
        "a generator (a ( ... for ... ) expression?), not a tuple of numbers, for an op of 2 inputs (a, b)"
    )


def test_every_form_of_a_number_reads_with_no_problem() -> None:
    assert read_number(Value(2.5)) == (2.5, "")  # a Value is read as its .data
    assert read_number(1.5) == (1.5, "")
    assert read_number(True) == (1.0, "")
    assert read_number(decimal.Decimal("0.25")) == (0.25, "")
    assert read_number(np.array(3)) == (3.0, "")  # 0-d arrays: int, unsigned, bool, float
    assert read_number(np.array(7, dtype=np.uint8)) == (7.0, "")
    assert read_number(np.array(True)) == (1.0, "")
    assert read_number(np.array(0.5)) == (0.5, "")


def test_a_complex_0d_array_is_called_complex() -> None:
    assert read_number(np.array(1 + 2j)) == (None, "a complex number (1+2j), not a real one")
    assert read_number(1 + 2j) == (None, "a complex number (1+2j), not a real one")


def test_an_array_of_several_values_for_one_input_is_not_a_number() -> None:
    answer = read_answer((np.array([1.0, 2.0]), 3.0), 2, ("a", "b"))
    assert answer.values == (None, 3.0)
    assert answer.problems == ("a ndarray (array([1., 2.])), not a number", "")


def test_values_of_a_matrix_is_not_a_list_of_values() -> None:
    assert values_of(np.ones((2, 2))) is None
    assert values_of(np.array([[1.0, 2.0]])) is None
    # array.array has tolist() but no shape: it is not taken for one value per input
    assert read_answer(array.array("d", [1.0, 2.0]), 2, ("a", "b")).count == (
        "a array (array('d', [1.0, 2.0])), not a tuple of numbers, for an op of 2 inputs (a, b)"
    )
