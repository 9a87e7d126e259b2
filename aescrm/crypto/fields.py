"""Model fields that keep patient data encrypted at rest.

``EncryptedTextField`` stores AES-256-GCM ciphertext; on the model instance
the attribute reads and writes plaintext. Encryption happens in
``pre_save`` (the only hook that sees the row, whose clinic and primary key
go into the associated data), decryption lazily on first read.

``BlindIndexField`` keeps a keyed hash of another field's normalised value,
so exact lookups (same email, same phone) work without decrypting.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.db import models

from aescrm.crypto import keys, patient_keys


class Sealed:
    """Ciphertext as loaded from the database, with its plaintext once decrypted."""

    __slots__ = ("blob", "plaintext")

    def __init__(self, blob: bytes, plaintext: str | None = None) -> None:
        self.blob = blob
        self.plaintext = plaintext

    def __repr__(self) -> str:
        return "<Sealed>"


class EncryptedQueryError(TypeError):
    pass


def subject_patient_id(instance: models.Model) -> Any:
    """Whose personal data a row holds, so it is encrypted under that patient's key.

    A model names the path in ``encryption_subject`` ("pk" for the patient
    itself, "session.patient_id" through a relation, "" for the clinic's own
    records that must outlive an erasure); otherwise a ``patient`` foreign key
    decides; rows about no one stay under the clinic key.
    """
    path = getattr(type(instance), "encryption_subject", None)
    if path is None:
        return getattr(instance, "patient_id", None)
    if not path:
        return None
    value: Any = instance
    for step in path.split("."):
        value = getattr(value, step, None)
        if value is None:
            return None
    return value


def associated_data(instance: models.Model, column: str) -> bytes:
    meta = instance._meta
    return f"aescrm:v1|{meta.db_table}|{column}|{instance.clinic_id}|{instance.pk}".encode()  # type: ignore[attr-defined]


_encrypted_attnames: dict[type, tuple[str, ...]] = {}


def prefetch_patient_keys(instances: list[Any]) -> None:
    """Unwrap, in one vault query per clinic, the patient keys a list of rows will need.

    Called when a tenant queryset has fetched its rows, so a page of patients
    (or of anyone's messages) costs one key lookup rather than one per person.
    """
    if len(instances) < 2:
        return
    model = type(instances[0])
    names = _encrypted_attnames.get(model)
    if names is None:
        names = tuple(
            f.attname for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)
        )
        _encrypted_attnames[model] = names
    if not names:
        return
    wanted: dict[Any, set[uuid.UUID]] = {}
    for obj in instances:
        for name in names:
            value = obj.__dict__.get(name)
            if isinstance(value, Sealed) and value.plaintext is None:
                subject = keys.ciphertext_patient(value.blob)
                if subject is not None:
                    wanted.setdefault(obj.clinic_id, set()).add(subject)
                break  # a row's values are all under the same key
    for clinic_id, patient_ids in wanted.items():
        patient_keys.prefetch(clinic_id, patient_ids)


def seal(instance: models.Model) -> None:
    """Encrypt the instance's values now rather than when it is saved (its primary key
    must be set), so the work is done before a write transaction is opened."""
    for field in instance._meta.concrete_fields:
        if isinstance(field, EncryptedTextField):
            field.pre_save(instance, add=True)


class _EncryptedDescriptor:
    def __init__(self, field: EncryptedTextField) -> None:
        self.field = field

    def __get__(self, instance: Any, owner: Any = None) -> Any:
        if instance is None:
            return self
        value = instance.__dict__.get(self.field.attname)
        if isinstance(value, Sealed):
            if value.plaintext is None:
                value.plaintext = keys.decrypt(
                    instance.clinic_id, associated_data(instance, self.field.column), value.blob
                )
            return value.plaintext
        return value

    def __set__(self, instance: Any, value: Any) -> None:
        if value is not None and not isinstance(value, (str, Sealed)):
            value = str(value)
        instance.__dict__[self.field.attname] = value


class EncryptedTextField(models.BinaryField):
    """Plaintext on the instance, AES-256-GCM ciphertext in the database."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("null", True)
        kwargs.setdefault("blank", True)
        kwargs["editable"] = True
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("editable", None)
        return name, path, args, kwargs

    def contribute_to_class(self, cls: Any, name: str, private_only: bool = False) -> None:
        super().contribute_to_class(cls, name, private_only=private_only)
        setattr(cls, self.attname, _EncryptedDescriptor(self))

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Sealed | None:
        if value is None:
            return None
        return Sealed(bytes(value))

    def to_python(self, value: Any) -> Any:
        return value

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        value = model_instance.__dict__.get(self.attname)
        if value is None or isinstance(value, Sealed):
            return value
        if value == "":
            model_instance.__dict__[self.attname] = None
            return None
        blob = keys.encrypt(
            model_instance.clinic_id,  # type: ignore[attr-defined]
            associated_data(model_instance, self.column),
            value,
            patient_id=subject_patient_id(model_instance),
        )
        sealed = Sealed(blob, value)
        model_instance.__dict__[self.attname] = sealed
        return sealed

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        if isinstance(value, Sealed):
            value = value.blob
        elif isinstance(value, str):
            raise EncryptedQueryError(
                f"{self.model.__name__}.{self.name} is encrypted: look it up through a blind index"
            )
        return super().get_db_prep_value(value, connection, prepared)

    def value_to_string(self, obj: Any) -> str:
        return str(getattr(obj, self.attname) or "")

    def formfield(self, **kwargs: Any) -> Any:  # type: ignore[override]
        from django import forms

        return forms.CharField(required=not self.blank, **kwargs)


class BlindIndexField(models.CharField):
    """HMAC-SHA-256 of ``source``'s normalised value, under the clinic's index key."""

    def __init__(
        self,
        *args: Any,
        source: str = "",
        normaliser: Callable[[str], str] | None = None,
        **kwargs: Any,
    ) -> None:
        self.source = source
        self.normaliser = normaliser
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("null", True)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("db_index", True)
        kwargs["editable"] = False
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        # Explicit, because __init__ defaults db_index to True.
        kwargs["db_index"] = self.db_index  # type: ignore[attr-defined]
        kwargs.pop("editable", None)
        return name, path, args, kwargs

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        plaintext = getattr(model_instance, self.source)
        if not plaintext:
            value = None
        else:
            normalised = self.normaliser(plaintext) if self.normaliser else plaintext
            value = keys.blind_index(model_instance.clinic_id, self.source, normalised)  # type: ignore[attr-defined]
        setattr(model_instance, self.attname, value)
        return value
