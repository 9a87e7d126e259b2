"""Errors of the encryption layer."""


class DecryptionError(Exception):
    pass


class PatientKeyDestroyed(DecryptionError):
    """The person was erased: their key no longer exists, so neither does their data."""
