"""The SQLite database backend with a write gate (see ``base``)."""
