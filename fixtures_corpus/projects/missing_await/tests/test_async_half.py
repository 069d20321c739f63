"""The async half of a test module that is generated into a sync twin (`_IS_SYNC = False` here, `True` in the
twin): a sync test under a decorator asynclint cannot read (`@require_sync`, which skips it in this half) is
written for the sync twin, where the same calls are plain methods."""

import unittest

from shop.api import cancel_order

_IS_SYNC = False


def require_sync(func):
    return unittest.skipUnless(_IS_SYNC, "needs the sync API")(func)


class TestOrders(unittest.IsolatedAsyncioTestCase):
    @require_sync
    def test_cancel_from_a_thread(self):
        cancel_order(1)  # runs in the sync twin only

    def test_cancel_in_a_plain_sync_test(self):
        cancel_order(2)  # expect: AIO203

    async def test_cancel(self):
        cancel_order(3)  # expect: AIO201


class CancellingMixin:
    """Tests shared by the test cases of both halves."""

    @require_sync
    def test_cancel_twice(self):
        cancel_order(4)  # runs in the sync twin only
