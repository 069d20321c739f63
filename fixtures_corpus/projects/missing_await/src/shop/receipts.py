"""Receipts: functions and classes whose parameters say what they want (a loaded order, not a coroutine)."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any, Optional, Protocol, TypeVar

T = TypeVar("T")


class Order:
    def __init__(self, order_id: int) -> None:
        self.order_id = order_id


class Closable(Protocol):
    def close(self) -> None: ...


class LazyOrder:
    """Awaitable itself: a function asking for one may well be handed a coroutine's peer."""

    def __await__(self):
        yield
        return Order(1)


class Receipt:
    def __init__(self, order: Order, note: str = "") -> None:
        self.order = order
        self.note = note


class Printer:
    def print_order(self, order: Order, copies: int = 1) -> str:
        return f"{order.order_id} x{copies}"

    def print_maybe(self, order: Optional[Order]) -> str:
        return "" if order is None else str(order.order_id)

    def print_union(self, order: Order | None) -> str:
        return "" if order is None else str(order.order_id)

    def print_quoted(self, order: "Order") -> str:
        return str(order.order_id)

    def print_total(self, total: int) -> str:
        return str(total)

    def print_lines(self, *, lines: list[str]) -> str:
        return "\n".join(lines)

    @staticmethod
    def header(order: Order) -> str:
        return f"order {order.order_id}"

    # Parameters that may take a coroutine: silent.
    def print_later(self, order: Awaitable[Order]) -> str:
        return repr(order)

    def print_any(self, order: Any) -> str:
        return repr(order)

    def print_plain(self, order) -> str:
        return repr(order)

    def print_closable(self, order: Closable) -> str:
        return repr(order)

    def print_generic(self, order: T) -> T:
        return order

    def print_lazy(self, order: LazyOrder) -> str:
        return repr(order)

    def print_either(self, order: Order | Receipt) -> str:
        return repr(order)

    def print_many(self, *orders: Order) -> str:
        return repr(orders)


async def load_order(order_id: int) -> Order:
    return Order(order_id)


async def count_orders() -> int:
    return 3


def archive(order: Order) -> None:
    del order
