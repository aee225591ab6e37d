"""Fixtures that start real servers for integration tests."""
