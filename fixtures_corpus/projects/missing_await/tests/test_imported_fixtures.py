"""A fixture imported by name is the module's fixture: its value is known from where it is defined."""

from tests.shared_fixtures import shared_endpoint  # noqa: F401


def test_uses_the_imported_fixture(shared_endpoint):
    shared_endpoint.request(1, b"")  # expect: AIO203
