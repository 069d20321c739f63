"""A message relay and the pytest plugin it ships for its users' tests."""
