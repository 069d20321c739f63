from tests.shared_fixtures import *  # noqa: F403
