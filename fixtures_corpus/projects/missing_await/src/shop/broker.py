"""A message broker client: a queue hands out messages, which are acknowledged asynchronously."""

from __future__ import annotations

from typing import Any, Callable, Optional


class Message:
    def __init__(self, body: bytes) -> None:
        self.body = body

    async def ack(self) -> None:
        pass

    async def reject(self, requeue: bool = False) -> None:
        pass


class Subscription:
    def __aiter__(self) -> Subscription:
        return self

    async def __anext__(self) -> Message:
        raise StopAsyncIteration


class Queue:
    def __init__(self, name: str) -> None:
        self.name = name

    async def bind(self, exchange: str) -> None:
        pass

    async def subscribe(self) -> Subscription:
        """Subscribe to the queue: awaiting it gives the subscription, which yields each message."""
        return Subscription()

    async def consume(self, callback: Callable[[Message], Any], no_ack: bool = False) -> str:
        """Call `callback` with each message that arrives."""
        return "consumer-1"

    async def get(self, timeout: float = 5) -> Optional[Message]:
        """The next message; None when there is none and `fail` is off."""
        return Message(b"")


class Channel:
    async def declare_queue(self, name: str) -> Queue:
        return Queue(name)
