import pytest

from .base import AsyncServiceTestCase, ServiceTestCase


class TestThroughBase(ServiceTestCase):
    async def test_never_awaited(self):  # expect: AIO107
        self.assertIsNotNone(self.service)


class TestAsyncBase(AsyncServiceTestCase):
    async def test_runs(self):
        self.assertIsNotNone(self.service)

    @pytest.mark.asyncio  # expect: AIO108
    async def test_marked_for_nothing(self):
        self.assertIsNotNone(self.service)
