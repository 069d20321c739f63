def pytest_configure(config):
    # overrides asyncio_mode = auto from pytest.ini for these tests
    config.option.asyncio_mode = "strict"
