"""Objects a test class holds: made in its body, or by `setup_class`/`setUpClass` for all its tests."""

import unittest

import pytest

from shop.client import ShopClient


class TestShared:
    client = ShopClient()

    @pytest.mark.asyncio
    async def test_order(self):
        assert self.client.get_order(1)  # expect: AIO202


class TestSetUpOnce:
    @classmethod
    def setup_class(cls):
        cls.client = ShopClient()

    @pytest.mark.asyncio
    async def test_order(self):
        order = self.client.get_order(1)  # expect: AIO202
        assert order["total"] == 10


class TestUnittestClass(unittest.IsolatedAsyncioTestCase):
    @classmethod
    def setUpClass(cls):
        cls.client = ShopClient()

    async def test_order(self):
        self.assertTrue(self.client.get_order(1))  # expect: AIO202


class TestReplacedInATest:
    # Assigned again by a test: which object a test sees is not one thing.
    client = ShopClient()

    @pytest.mark.asyncio
    async def test_replaced(self):
        self.client = object()
        self.client.get_order(1)

    @pytest.mark.asyncio
    async def test_order(self):
        self.client.get_order(1)
