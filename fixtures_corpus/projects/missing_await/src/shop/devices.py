"""Endpoints forward requests to their device: plain methods that hand back the device's coroutine."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from shop.typing_aliases import DeviceType

#: How many times a request is sent again (tests set it to 0).
RETRIES = 3


class Device:
    async def request(self, cluster, data):
        return (cluster, data)

    async def reply(self, cluster, data):
        return (cluster, data)

    async def ping(self):
        return "pong"


class FakeDevice:
    """A stand-in tests pass where a `Device` is declared: its methods are plain."""

    def request(self, cluster, data):
        return (cluster, data)


class Endpoint:
    def __init__(self, device: DeviceType, endpoint_id: int):
        self._device = device
        self.endpoint_id = endpoint_id

    @property
    def device(self) -> DeviceType:
        return self._device

    def request(self, cluster, data):
        # No `await`: the caller gets the device's coroutine and must await it.
        return self.device.request(cluster, data)

    def reply(self, cluster, data):
        return self.request(cluster, data)

    def describe(self):
        return f"endpoint {self.endpoint_id}"

    def ping(self):
        return self.device.ping()

    def checked_request(self, cluster, data):
        if cluster < 0:
            raise ValueError(cluster)
        return self.device.request(cluster, data)


class Animator:
    async def __call__(self, frames):
        return frames


async def ping():
    return "pong"


def ping_later():
    return ping()


async def open_pair():
    return Device(), Endpoint(Device(), 2)


@asynccontextmanager
async def running_device() -> AsyncIterator[Device]:
    device = Device()
    yield device


@asynccontextmanager
async def running_endpoint():
    yield Endpoint(Device(), 4)


class Pool:
    """Awaiting a pool starts it and gives the pool itself."""

    def __init__(self, limit):
        self.limit = limit

    async def start(self):
        return self

    def __await__(self):
        return self.start().__await__()

    async def close(self):
        pass


class Server:
    def __await__(self):
        async def _():
            await self.listen()
            return self

        return _().__await__()

    async def listen(self):
        pass

    async def stop(self):
        pass


class Handle:
    """Awaiting a handle gives its result, not the handle."""

    def __await__(self):
        return self.result().__await__()

    async def result(self):
        return 42

    async def cancel(self):
        pass
