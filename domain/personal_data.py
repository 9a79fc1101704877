"""A creator's personal data, encrypted with that creator's own key.

``ContactDetailsRecorded`` stores only ciphertext: AES-256-GCM under a key kept
outside the event store (:mod:`domain.infrastructure.key_vault`), with the creator id as
associated data so a blob cannot be replayed onto another creator. Erasing the
key (``campaign-ledger forget-creator``) makes every copy unreadable — the
store, backups, exports — while every other event stays replayable
(crypto-shredding, for Indonesia's personal-data protection law and the GDPR).
"""

from __future__ import annotations

import base64
import json
import os
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Protocol
from uuid import UUID

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from domain import validation as v
from domain.errors import ValidationError

SEAL_VERSION = "v1"
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,190}\.[^@\s]{2,}$")
_PHONE = re.compile(r"^\+?[0-9 ()-]{6,24}$")


class KeyVault(Protocol):
    """Per-creator data keys; ``forget`` must make a key unrecoverable."""

    def key_for(self, creator_id: UUID, *, create: bool) -> bytes | None: ...

    def forget(self, creator_id: UUID) -> bool: ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class ContactDetails:
    legal_name: str
    email: str
    phone: str | None
    payout_account: str | None

    @classmethod
    def create(cls, data: Mapping[str, object]) -> ContactDetails:
        email = v.text(data.get("email"), "email", max_len=254)
        if not _EMAIL.match(email):
            raise ValidationError("email is not an e-mail address", field="email")
        phone = v.optional_text(data.get("phone"), "phone", max_len=24)
        if phone is not None and not _PHONE.match(phone):
            raise ValidationError("phone is not a phone number", field="phone")
        return cls(
            legal_name=v.text(data.get("legal_name"), "legal_name"),
            email=email.lower(),
            phone=phone,
            payout_account=v.optional_text(
                data.get("payout_account"), "payout_account", max_len=100
            ),
        )


def seal(vault: KeyVault, creator_id: UUID, details: ContactDetails) -> str:
    key = vault.key_for(creator_id, create=True)
    assert key is not None
    nonce = os.urandom(12)
    plaintext = json.dumps(asdict(details), sort_keys=True).encode("utf-8")
    sealed = nonce + AESGCM(key).encrypt(nonce, plaintext, creator_id.bytes)
    return f"{SEAL_VERSION}:{base64.b64encode(sealed).decode('ascii')}"


def unseal(vault: KeyVault, creator_id: UUID, sealed: str) -> ContactDetails | None:
    """The details, or ``None`` once the creator's key has been forgotten."""
    key = vault.key_for(creator_id, create=False)
    if key is None:
        return None
    version, _, body = sealed.partition(":")
    if version != SEAL_VERSION:
        raise ValueError(f"unknown sealing version {version!r}")
    raw = base64.b64decode(body)
    try:
        plaintext = AESGCM(key).decrypt(raw[:12], raw[12:], creator_id.bytes)
    except InvalidTag:
        raise ValueError("personal data does not match its creator's key") from None
    return ContactDetails(**json.loads(plaintext))
