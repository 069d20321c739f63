import unittest

from shop import ShopClient
from shop.api import fetch_order
from twisted.internet.defer import inlineCallbacks  # not installed


def test_order_is_ready():
    # A module of sync tests only: the callee decides, not the module's text.
    assert fetch_order(1)  # expect: AIO203


def test_client_closes():
    client = ShopClient()
    client.aclose()  # expect: AIO203


def run_in_loop(test):
    def wrapper():
        return test()

    return wrapper


@run_in_loop
def test_wrapped():
    # Whatever wraps the body, a coroutine it drops never runs.
    fetch_order(1)  # expect: AIO203


class TestClient(unittest.TestCase):
    def setUp(self):
        # Set to None here, to a client in the tests: a method call on it means the client.
        self.client = None

    def tearDown(self):
        if self.client is not None:
            self.client.aclose()  # expect: AIO203

    @inlineCallbacks
    def test_generator_under_a_runner(self):
        self.client = ShopClient()
        self.client.aclose()  # expect: AIO203
        yield self.client
