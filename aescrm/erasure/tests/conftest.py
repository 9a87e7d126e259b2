from aescrm.inbox.tests.conftest import console  # noqa: F401 (a fixture)
