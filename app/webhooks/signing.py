"""Webhook secrets and signatures (R-84, Standard Webhooks).

A secret is `whsec_` and 32 random bytes in base64, shown to its owner once. The database
keeps it sealed with Fernet (AES-128-CBC and HMAC-SHA256) under WEBHOOK_SECRETS_KEY, so a
reader of the database or of a backup cannot sign a webhook; the worker unseals it to sign.
Signing is the `standardwebhooks` library's: `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`.
While a rotated-out secret is still valid, each delivery carries both signatures,
space-separated, and a receiver holding either verifies it.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from datetime import datetime
from functools import lru_cache

from cryptography.fernet import Fernet
from standardwebhooks.webhooks import Webhook

PREFIX = "whsec_"


def new_secret() -> str:
    return PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


@lru_cache(maxsize=8)
def _fernet(key: str) -> Fernet:
    # Any configured string: its SHA-256 is the 32 bytes Fernet wants.
    return Fernet(base64.urlsafe_b64encode(hashlib.sha256(key.encode()).digest()))


def seal(key: str, secret: str) -> str:
    return _fernet(key).encrypt(secret.encode()).decode()


def unseal(key: str, sealed: str) -> str:
    return _fernet(key).decrypt(sealed.encode()).decode()


def signature(secrets_: list[str], message_id: str, timestamp: datetime, body: str) -> str:
    """The `webhook-signature` header: one `v1,...` per valid secret."""
    return " ".join(Webhook(secret).sign(message_id, timestamp, body) for secret in secrets_)
