import os


def pytest_configure(config):
    if os.environ.get("CI"):
        config.option.asyncio_mode = "strict"
