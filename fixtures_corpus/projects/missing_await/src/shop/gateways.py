"""A gateway that connects in `start()`, not in `__init__`: its attributes exist once `start()` ran."""

from __future__ import annotations

import asyncio
from typing import Awaitable

from shop.wallets import Ledger, Wallet


class Channel:
    async def send(self, message: str) -> None:
        await asyncio.sleep(0)

    @classmethod
    async def open(cls) -> Channel:
        return cls()


class Gateway:
    #: Handed in by whoever builds the gateway; awaited once, in `start()`.
    ledger_ready: Awaitable[Ledger]

    def __init__(self, ledger_ready: Awaitable[Ledger]) -> None:
        self.ledger_ready = ledger_ready
        self.backup = None

    async def start(self) -> None:
        self.channel = await Channel.open()
        self.ledger = await self.ledger_ready
        self.wallet = Wallet(self.ledger)
        self.backup = Channel()

    def swap(self, channel: Channel) -> None:
        self.spare = channel

    def pick(self, fast: bool) -> None:
        self.route = Channel() if fast else None
