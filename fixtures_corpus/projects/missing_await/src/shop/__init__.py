from .api import fetch_order
from .client import ShopClient

__all__ = ["ShopClient", "fetch_order"]
