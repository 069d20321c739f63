from unittest.mock import patch

import pytest

from shop.api import cancel_order, fetch_order


@pytest.mark.asyncio
async def test_patched_name(monkeypatch):
    monkeypatch.setattr(f"{__name__}.fetch_order", lambda order_id: {"id": order_id})
    assert fetch_order(1)["id"] == 1


@pytest.mark.asyncio
@patch(f"{__name__}.cancel_order", return_value=True)
async def test_patched_by_a_decorator(cancel):
    assert cancel_order(1)
