"""Identity at rest: authenticated encryption with rotating keys, and keyed blind indexes.

Every identity value of the registry (names, birth date, CURP, phone, a guardian's or a
relative's name, free-text notes) is stored as ``<key id>$<base64 of nonce + AES-256-GCM
ciphertext>``; the field's name is bound to the ciphertext (associated data), so a value
copied into another column does not decrypt. Keys come from the environment:

- ``OBSERVATORIO_REGISTRY_KEYS``: ``id:key,id:key…`` (each key 32 bytes in URL-safe base64);
  the first encrypts, every one decrypts. Rotation: put a new key first, run
  ``observatorio registry_rotate_keys --commit`` (every value is written again with it),
  then drop the old key.
- ``OBSERVATORIO_REGISTRY_INDEX_KEY``: the HMAC-SHA256 key of the blind indexes, the exact-
  match search and duplicate detection work on (a value is never searched in clear). The
  rotation command computes the indexes again with the key in force.

Without them (development and tests only, ``OBSERVATORIO_DEBUG`` on) both keys are derived
from ``SECRET_KEY``; with debugging off the registry refuses to run without them.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import unicodedata
from dataclasses import dataclass
from functools import cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

NONCE = 12
SEPARATOR = "$"


@dataclass(frozen=True)
class Keys:
    current: str
    keys: dict[str, bytes]
    index: bytes


def _decode(text: str) -> bytes:
    try:
        raw = base64.urlsafe_b64decode(text.strip() + "=" * (-len(text.strip()) % 4))
    except ValueError:
        raw = b""
    if len(raw) != 32:
        raise ImproperlyConfigured("Cada llave del registro debe medir 32 bytes (base64 URL-safe).")
    return raw


def _derived(label: str) -> bytes:
    return hashlib.sha256(f"observatorio-registry:{label}:{settings.SECRET_KEY}".encode()).digest()


@cache
def keys() -> Keys:
    """The keys in force (read once per process; :func:`reset` forgets them)."""
    listed = os.environ.get("OBSERVATORIO_REGISTRY_KEYS", "").strip()
    index = os.environ.get("OBSERVATORIO_REGISTRY_INDEX_KEY", "").strip()
    if not listed or not index:
        if not getattr(settings, "REGISTRY_DEV_KEYS", False):
            raise ImproperlyConfigured(
                "Con OBSERVATORIO_DEBUG=0 el registro necesita OBSERVATORIO_REGISTRY_KEYS y "
                "OBSERVATORIO_REGISTRY_INDEX_KEY (ver ARCHITECTURE.md)."
            )
        derived = {"dev": _derived("data")}
        return Keys("dev", derived, _derived("index"))
    found: dict[str, bytes] = {}
    order = []
    for item in listed.split(","):
        name, _sep, key = item.strip().partition(":")
        if not name or not key or SEPARATOR in name:
            raise ImproperlyConfigured("OBSERVATORIO_REGISTRY_KEYS: escriba id:llave,id:llave.")
        found[name] = _decode(key)
        order.append(name)
    return Keys(order[0], found, _decode(index))


def reset() -> None:
    """Forget the keys read (after the environment changes: tests, rotation)."""
    keys.cache_clear()


def new_key() -> str:
    """A fresh random key, written as the environment expects it."""
    return base64.urlsafe_b64encode(os.urandom(32)).decode().rstrip("=")


def encrypt(value: str, purpose: str) -> str:
    """*value* encrypted with the current key; "" stays "" (nothing to hide)."""
    if value == "":
        return ""
    k = keys()
    nonce = os.urandom(NONCE)
    sealed = AESGCM(k.keys[k.current]).encrypt(nonce, value.encode("utf-8"), purpose.encode())
    return k.current + SEPARATOR + base64.b64encode(nonce + sealed).decode("ascii")


def decrypt(token: str, purpose: str) -> str:
    if token == "":
        return ""
    name, _sep, body = token.partition(SEPARATOR)
    key = keys().keys.get(name)
    if key is None:
        raise ImproperlyConfigured(f"Falta la llave «{name}» del registro.")
    raw = base64.b64decode(body)
    return AESGCM(key).decrypt(raw[:NONCE], raw[NONCE:], purpose.encode()).decode("utf-8")


def key_of(token: str) -> str:
    """The id of the key *token* was encrypted with ("" for an empty value)."""
    return token.partition(SEPARATOR)[0] if token else ""


def normal(text: str) -> str:
    """Upper case, no accents, one space between words: how people write a name differently."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.upper().split())


def blind(kind: str, value: str) -> str:
    """The keyed index of *value* for exact-match search ("" for an empty value)."""
    value = normal(value)
    if not value:
        return ""
    digest = hmac.new(keys().index, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()
    return digest[:32]


def phone_digits(phone: str) -> str:
    """The last ten digits of a phone number: how it is compared."""
    digits = "".join(c for c in phone or "" if c.isdigit())
    return digits[-10:]
