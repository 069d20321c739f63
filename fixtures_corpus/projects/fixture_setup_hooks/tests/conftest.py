pytest_plugins = ["relay.pytest_plugin"]
