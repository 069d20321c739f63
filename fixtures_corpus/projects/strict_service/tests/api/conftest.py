import pytest
import pytest_asyncio


class Session:
    async def close(self):
        pass


@pytest_asyncio.fixture
async def session():
    session = Session()
    yield session
    await session.close()


@pytest.fixture
def headers(token):
    return {"Authorization": token}
