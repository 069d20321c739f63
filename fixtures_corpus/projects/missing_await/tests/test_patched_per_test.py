"""A patch applied by one test's decorator, `with` block or function-scoped `mocker`/`monkeypatch` is undone
when that test ends: the other tests call the real method, and an `async def` one is never awaited there. So is
one a decorator of the project's own applies to one test (`@autospec(Executor, "settle")`)."""

import unittest
from unittest.mock import Mock, patch

import pytest

from tests.helpers import autospec


class Executor:
    async def validate_balance(self) -> bool:
        return True

    async def place_order(self) -> None:
        pass

    async def cancel_order(self) -> None:
        pass

    async def refresh(self) -> None:
        pass

    async def settle(self) -> None:
        pass


class TestExecutor(unittest.TestCase):
    @patch.object(Executor, "validate_balance", new=Mock(return_value=True))
    def test_start_validates(self) -> None:
        assert Executor().validate_balance()  # the patch is this test's own: a plain mock is called

    def test_validate_balance(self) -> None:
        executor = Executor()
        # The method is real here, and a sync test cannot await it.
        executor.validate_balance()  # expect: AIO203

    def test_place_order_in_a_block(self) -> None:
        with patch.object(Executor, "place_order"):
            Executor().place_order()  # patched inside the block

    def test_place_order(self) -> None:
        Executor().place_order()  # expect: AIO203


@pytest.mark.asyncio
async def test_cancel_with_mocker(mocker) -> None:
    mocker.patch.object(Executor, "cancel_order")
    Executor().cancel_order()  # this test's mocker replaced it


@pytest.mark.asyncio
async def test_cancel(mocker) -> None:
    Executor().cancel_order()  # expect: AIO201


class TestRefresh(unittest.TestCase):
    def setUp(self) -> None:
        # Started in setUp and never stopped in sight: every test may run with it.
        patch.object(Executor, "refresh").start()

    def test_refresh(self) -> None:
        Executor().refresh()


class TestSettle(unittest.TestCase):
    @patch.object(Executor, "refresh")
    @autospec(Executor, "settle")
    def test_settle_patched(self, settle: Mock, refresh: Mock) -> None:
        Executor().settle()  # replaced while this test runs

    def test_settle(self) -> None:
        Executor().settle()  # expect: AIO203
