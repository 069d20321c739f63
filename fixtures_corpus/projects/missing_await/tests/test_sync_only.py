from shop import ShopClient
from shop.api import fetch_order


def test_order_is_ready():
    # A module of sync tests only: the callee decides, not the module's text.
    assert fetch_order(1)  # expect: AIO203


def test_client_closes():
    client = ShopClient()
    client.aclose()  # expect: AIO203
