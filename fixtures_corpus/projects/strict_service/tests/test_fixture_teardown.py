"""Teardown written after `return`: it never runs."""

import pytest


class Database:
    def drop(self):
        pass


@pytest.fixture
def database():
    db = Database()
    return db  # expect: AIO305
    db.drop()


@pytest.fixture
def maybe_database(request):
    if request.config.getoption("verbose"):
        return None  # expect: AIO305
        print("never printed")
    return Database()


@pytest.fixture
def yielded_database():
    db = Database()
    yield db
    db.drop()


def test_databases(database, maybe_database, yielded_database):
    assert database is not None
