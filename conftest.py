"""Test set-up shared by every test: the environment comes from aescrm.testing.env (-p)."""

pytest_plugins = ["aescrm.testing.fixtures"]
