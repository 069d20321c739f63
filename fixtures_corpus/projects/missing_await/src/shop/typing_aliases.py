"""Names for annotations, bound to strings at runtime to avoid import cycles."""

from typing import TYPE_CHECKING

DeviceType = "Device"

if TYPE_CHECKING:
    import shop.devices

    DeviceType = shop.devices.Device
