"""Endpoints forward requests to their device: plain methods that hand back the device's coroutine."""

from shop.typing_aliases import DeviceType


class Device:
    async def request(self, cluster, data):
        return (cluster, data)

    async def reply(self, cluster, data):
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


class Animator:
    async def __call__(self, frames):
        return frames


async def ping():
    return "pong"


def ping_later():
    return ping()


async def open_pair():
    return Device(), Endpoint(Device(), 2)
