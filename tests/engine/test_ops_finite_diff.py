"""Every op's backward against central finite differences (second oracle).

The ops, their domains and their kinks come from the shared table in op_cases.py; hypothesis
draws the points.
"""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Value
from tests.engine.op_cases import CASES, OpCase
from tests.oracles import central_difference


def point_in(case: OpCase) -> st.SearchStrategy[tuple[float, ...]]:
    """A point in the case's domains, at least 1e-3 from its kinks."""
    coordinates = [st.floats(lo, hi, allow_nan=False, allow_infinity=False) for lo, hi in case.domains]
    return st.tuples(*coordinates).filter(lambda p: all(abs(x - k) > 1e-3 for x in p for k in case.kinks))


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_backward_matches_central_differences(case):
    @settings(max_examples=25, deadline=None)
    @given(point=point_in(case))
    def check(point):
        vs = [Value(x) for x in point]
        case.apply(*vs).backward()
        for i, v in enumerate(vs):
            numeric = central_difference(case.apply, point, i)
            assert math.isclose(v.grad, numeric, rel_tol=1e-5, abs_tol=1e-6), (i, point, v.grad, numeric)

    check()
