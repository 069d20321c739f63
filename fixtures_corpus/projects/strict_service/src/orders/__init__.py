"""A tiny order service used by the example tests."""
