async def seed_orders(count):
    return list(range(count))


def reset_orders(client):
    # A helper module of the tests: a coroutine dropped in a sync function never runs, whoever calls it.
    from shop.api import cancel_order

    cancel_order(1)  # expect: AIO203


def pending_cancel():
    # Returned: the caller may await it.
    from shop.api import cancel_order

    return cancel_order(2)


async def drain(client: "ShopClient"):
    client.aclose()  # expect: AIO201


from shop import ShopClient  # noqa: E402


def autospec(target, *attributes):
    """Patches `attributes` of `target` with autospecced mocks while the decorated test runs."""
    from unittest.mock import patch

    def decorator(func):
        for attribute in attributes:
            func = patch.object(target, attribute, autospec=True)(func)
        return func

    return decorator
