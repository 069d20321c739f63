"""A hook that may replace any fixture's function: what fixtures hand out here is not known."""


def pytest_fixture_setup(fixturedef, request):
    if fixturedef.argname.startswith("fake_"):
        fixturedef.func = lambda *args, **kwargs: None
