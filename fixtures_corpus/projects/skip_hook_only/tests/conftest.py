import pytest


def pytest_addoption(parser):
    parser.addoption("--run-slow", action="store_true")


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: slow tests")
    config.addinivalue_line("markers", "asyncio: handled by pytest-asyncio")


def pytest_collection_modifyitems(config, items):
    # only adds skip marks: it does not decide which async tests run
    if config.getoption("--run-slow"):
        return
    skip = pytest.mark.skip(reason="needs --run-slow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)
