import pytest

asyncio_mark = pytest.mark.asyncio
