import unittest

import pytest
from somelibrary.testing import AsyncTestMixin


class TestIsolated(unittest.IsolatedAsyncioTestCase):
    async def asyncSetUp(self):
        self.value = 1

    # expect-next-line: AIO108
    @pytest.mark.asyncio
    async def test_value(self):
        self.assertEqual(self.value, 1)


# expect-next-line: AIO108
@pytest.mark.asyncio
class TestMarkedClass(unittest.IsolatedAsyncioTestCase):
    async def test_value(self):
        self.assertTrue(True)


class TestWithLibraryMixin(AsyncTestMixin, unittest.TestCase):
    async def test_unknown_mixin(self):
        # the mixin may make async methods run: asynclint cannot read it, so it stays silent
        self.assertTrue(True)
