"""Coroutine functions behind decorators: reported when the decorators' source shows they stay coroutine
functions, silent when a decorator decides at runtime."""

import pytest

from shop.payments import PaymentGateway, charge, exchange_rate, export_ledger, legacy_refund


@pytest.mark.asyncio
async def test_charge():
    # `@audited` returns the function, `@retry(times=5)` an `async def` wrapper that awaits it.
    charge(1, 10)  # expect: AIO201


@pytest.mark.asyncio
async def test_capture():
    gateway = PaymentGateway()
    gateway.capture(1)  # expect: AIO201


@pytest.mark.asyncio
async def test_export():
    # Called from async code, `@sync_or_async` returns the coroutine.
    export_ledger("ledger.csv")  # expect: AIO201


def test_export_from_sync_code():
    # Called from sync code, it runs the coroutine itself: nothing to await.
    export_ledger("ledger.csv")


@pytest.mark.asyncio
async def test_legacy_refund():
    # Tornado's `gen.coroutine` starts it and returns a Future nobody waits for.
    legacy_refund(1)  # expect: AIO201


@pytest.mark.asyncio
async def test_rate():
    # `@cached` returns whatever the first call returned: unknown, not reported.
    exchange_rate("EUR")


@pytest.mark.asyncio
async def test_refund():
    # `@with_params(...)` returns a wrapper that returns the call of the method: its coroutine.
    gateway = PaymentGateway()
    gateway.refund(1, timeout=3)  # expect: AIO201


@pytest.mark.asyncio
async def test_void():
    # `@maybe_logged` returns None on one path: not known to hand back the coroutine.
    gateway = PaymentGateway()
    gateway.void(1)


@pytest.mark.asyncio
async def test_settle_and_dispute():
    # `@traced` and `@logged(...)` return an `async def` wrapper for a coroutine function (they check with
    # `iscoroutinefunction`), and another for a plain function.
    gateway = PaymentGateway()
    gateway.settle(1)  # expect: AIO201
    gateway.dispute(1)  # expect: AIO201
    assert gateway.fee(1) == 0
