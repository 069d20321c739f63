from tornado import gen

from .resilience import audited, cached, logged, maybe_logged, retry, sync_or_async, traced, with_params


@audited
@retry(times=5)
async def charge(order_id, amount):
    return {"order": order_id, "charged": amount}


@sync_or_async
async def export_ledger(path):
    return path


@cached
async def exchange_rate(currency):
    return 1.0


@gen.coroutine
def legacy_refund(order_id):
    yield gen.sleep(0)
    return order_id


class PaymentGateway:
    @retry()
    async def capture(self, order_id):
        return order_id


    @with_params("timeout")
    async def refund(self, order_id, params=None):
        return order_id

    @maybe_logged
    async def void(self, order_id):
        return order_id

    @traced
    async def settle(self, order_id):
        return order_id

    @traced
    def fee(self, order_id):
        return 0

    @logged("gateway")
    async def dispute(self, order_id):
        return order_id
