"""Tests that other tests reuse as setup steps: their return values are meant."""

from typing import NoReturn

import pytest
from pytest import fail

ACCOUNTS: dict[int, dict[str, object]] = {}


async def open_account(owner: str) -> dict[str, object]:
    account = {"id": len(ACCOUNTS) + 1, "owner": owner, "balance": 0}
    ACCOUNTS[int(account["id"])] = account
    return account


async def test_open_account():
    account = await open_account("ada")
    assert account["balance"] == 0
    return account  # awaited by test_deposit below: a helper too


async def test_deposit():
    account = await test_open_account()
    account["balance"] = 10
    assert ACCOUNTS[account["id"]]["balance"] == 10


async def test_make_owner():
    owner = {"name": "grace"}
    assert owner["name"]
    return owner  # imported by test_transfers.py


async def test_needs_a_bank():
    return pytest.skip("no bank in this environment")  # skip raises: nothing is returned


async def test_closed_accounts():
    if not ACCOUNTS:
        return fail("no accounts to close")  # fail raises too
    assert all(a["balance"] >= 0 for a in ACCOUNTS.values())


async def test_balance_is_checked():
    account = await open_account("alan")
    return account["balance"] == 0  # expect: AIO504


class TestStatements:
    async def test_statement(self):
        statement = {"lines": []}
        assert statement["lines"] == []
        return statement

    async def test_uses_statement(self):
        statement = await self.test_statement()
        assert "lines" in statement

    async def test_statement_total(self):
        return 0  # expect: AIO504


def needs_ledger(reason: str) -> NoReturn:
    raise pytest.skip.Exception(reason)


def require_replica_set(name):
    raise RuntimeError(f"{name} needs a replica set")


async def test_ledger_export():
    if not ACCOUNTS:
        return needs_ledger("no ledger")  # annotated NoReturn: nothing is returned
    assert ACCOUNTS


async def test_replicated_accounts():
    if "replica" not in ACCOUNTS:
        return require_replica_set("accounts")  # always raises: nothing is returned
    assert ACCOUNTS["replica"]
