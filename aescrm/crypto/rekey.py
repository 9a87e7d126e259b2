"""Move rows to the key they belong under.

A row written before anyone knew whose it was (a website chat before the
visitor left their details) sits under the clinic key; once it is linked to
a patient it is re-encrypted under that patient's key, so erasure reaches it
in backups too (docs/decisions/0022).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models

from aescrm.crypto import keys
from aescrm.crypto.fields import EncryptedTextField, Sealed, subject_patient_id


def encrypted_fields(model: type[models.Model]) -> list[EncryptedTextField]:
    return [f for f in model._meta.get_fields() if isinstance(f, EncryptedTextField)]


def needs_rekey(obj: models.Model) -> list[str]:
    """The encrypted attributes of ``obj`` not under the key of the patient it is about."""
    subject = subject_patient_id(obj)
    stale = []
    for field in encrypted_fields(type(obj)):
        value = obj.__dict__.get(field.attname)
        if isinstance(value, Sealed) and keys.ciphertext_patient(value.blob) != subject:
            stale.append(field.attname)
    return stale


def rekey(objects: Iterable[models.Model]) -> int:
    """Re-encrypt each object's stale fields under its subject's key. Returns rows changed."""
    changed = 0
    for obj in objects:
        stale = needs_rekey(obj)
        if not stale:
            continue
        for name in stale:
            obj.__dict__[name] = getattr(obj, name)  # plaintext: pre_save encrypts afresh
        obj.save(update_fields=stale)
        changed += 1
    return changed
