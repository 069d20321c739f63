import pytest


class TestWithInit:
    def __init__(self):
        self.x = 1

    async def test_never_collected(self):
        # pytest does not collect classes with __init__: not a test
        assert self.x


class TestDisabled:
    __test__ = False

    async def test_not_collected(self):
        assert True


class Helpers:
    async def test_looks_like_a_test(self):
        # the class name does not match python_classes
        assert True


class TestOuter:
    pytestmark = pytest.mark.asyncio

    class TestInner:
        async def test_inner_gets_outer_mark(self):
            assert True


class TestNoMark:
    class TestInner:
        async def test_inner_unmarked(self):  # expect: AIO101
            assert True
