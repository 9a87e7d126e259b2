"""Move a clinic's ciphertexts to a fresh data key."""

from __future__ import annotations

import uuid

from django.apps import apps
from django.db import transaction

from aescrm.audit.services import audit_record
from aescrm.core.tenancy import TenantModel, clinic_scope
from aescrm.crypto import keys, patient_keys
from aescrm.crypto.fields import EncryptedTextField, Sealed


def encrypted_models() -> list[tuple[type[TenantModel], list[EncryptedTextField]]]:
    found = []
    for model in apps.get_models():
        if not issubclass(model, TenantModel):
            continue
        fields = [f for f in model._meta.get_fields() if isinstance(f, EncryptedTextField)]
        if fields:
            found.append((model, fields))
    return found


def reencrypt_clinic(clinic_id: uuid.UUID, batch: int = 500) -> tuple[int, int]:
    """Create a new data key version and re-encrypt every encrypted field of the clinic.

    Rows are rewritten in batches; a row already under the new version is
    skipped, so the job can be re-run after an interruption.
    """
    version = keys.add_data_key_version(clinic_id)
    rows = 0
    with clinic_scope(clinic_id):
        for model, fields in encrypted_models():
            names = [f.attname for f in fields]
            for obj in model.objects.all().iterator(chunk_size=batch):
                stale = False
                for name in names:
                    value = obj.__dict__.get(name)
                    # Rows under a patient's key stay as they are: that key is re-wrapped
                    # below. Rows under an old clinic key move (to the patient's key if
                    # they are about one).
                    if (
                        isinstance(value, Sealed)
                        and keys.ciphertext_format(value.blob) == keys.FORMAT_V1
                        and keys.ciphertext_version(value.blob) != version
                    ):
                        obj.__dict__[name] = getattr(obj, name)  # plaintext: pre_save re-encrypts
                        stale = True
                if stale:
                    with transaction.atomic():
                        obj.save(update_fields=names)
                    rows += 1
        rewrapped = patient_keys.rewrap_clinic(clinic_id)
        audit_record(
            "key.reencrypt",
            object_type="clinic_key",
            detail={"version": version, "rows": rows, "patient_keys_rewrapped": rewrapped},
        )
    return version, rows
