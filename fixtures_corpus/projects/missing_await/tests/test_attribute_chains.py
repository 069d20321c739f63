"""Receivers reached through attributes whose class is declared: dataclass fields, annotated parameters."""

from unittest.mock import MagicMock

import pytest

from shop.wallets import AuditedService, Ledger, Node, Service, Wallet


@pytest.fixture
def node() -> Node:
    return Node(Wallet(Ledger()))


@pytest.mark.asyncio
async def test_dataclass_field(node):
    node.wallet.push(1)  # expect: AIO201


@pytest.mark.asyncio
async def test_chain_through_init_parameters(node):
    service = AuditedService(node)
    service.node.wallet.ledger.record(2)  # expect: AIO201


@pytest.mark.asyncio
async def test_optional_attribute_where_a_method_is_called(node):
    service = Service(node)
    # Declared `Optional[Wallet]`: None has no `push`, so where `push` is called it is the wallet's.
    service.backup.push(3)  # expect: AIO201


@pytest.mark.asyncio
async def test_an_attribute_holds_the_argument_it_was_given(node):
    # Declared `Wallet | None`, but this object was given a `Wallet`.
    service = Service(node, backup=Wallet(Ledger()))
    service.backup.push(3)  # expect: AIO201


@pytest.mark.asyncio
async def test_replaced_attribute_is_the_replacement(node):
    service = Service(node)
    service.node.wallet = MagicMock()
    service.node.wallet.push(4)


@pytest.mark.asyncio
async def test_awaited(node):
    await node.wallet.push(5)


@pytest.fixture
def wired_node() -> Node:
    # The fixture replaces the declared attribute: the test sees what it set.
    node = Node(Wallet(Ledger()))
    node.wallet = MagicMock()
    return node


@pytest.fixture
def audited():
    service = Service(Node(Wallet(Ledger())))
    service.node = Node(Wallet(Ledger()))
    return service


@pytest.mark.asyncio
async def test_attribute_the_fixture_replaced(wired_node, audited):
    wired_node.wallet.push(6)
    audited.node.wallet.push(7)  # expect: AIO201
