"""Encryption of personal data at rest: keys, an authenticated cipher, blind indexes.

A stored value is ``<letter><version>:<base64(nonce ‖ ciphertext ‖ tag)>``: ``v`` for AES-256-GCM (the
default), ``s`` for SM4-GCM (``GONGZHI_CIPHER=sm4``, for deployments assessed for commercial
cryptography); the version names the data key that sealed it, so that keys can be rotated while the
site runs (``gongzhi keys rotate``). The prefix is authenticated with the value: a changed byte, a
changed prefix or a value moved from another key fails with :class:`TamperedValue`.

A blind index is a keyed HMAC (HMAC-SHA256; HMAC-SM3 with SM4) of the *normalised* value (ID numbers
upper case, phones digits only) under a separate index key: equal values give equal indexes, so
uniqueness and exact search work without decrypting, and without the key the index says nothing.

Keys come from ``GONGZHI_DATA_KEYS`` (settings, from the environment): JSON
``{"index": "<base64>", "1": "<base64>", "2": "<base64>"}``, or the same as ``index:<b64>,1:<b64>``, or the
path of a file holding either. The highest version seals new values; older versions only open. Keys
never come from the database. Lose the keys and the data they sealed is lost: see docs/security.md.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
import os
import re
import secrets
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

NONCE_BYTES = 12
TAG_BYTES = 16
KEY_BYTES = 32
CIPHER_LETTERS = {"aes": "v", "sm4": "s"}
LETTER_CIPHERS = {letter: name for name, letter in CIPHER_LETTERS.items()}
SEALED = re.compile(r"^([vs])(\d{1,6}):([A-Za-z0-9+/=]+)$")


class CryptoError(Exception):
    """Base of the errors of this module."""


class TamperedValue(CryptoError):
    """A stored value failed its authentication: changed, truncated, or sealed under an unknown key."""

    # For the logs; the page (500.html) says it in both languages.
    message = ("A stored personal value failed its integrity check (it was changed outside Gongzhi or its key is "
               "missing). Nothing was shown; the administrator must restore it from a backup.")

    def __str__(self) -> str:
        return self.message + (f" ({self.args[0]})" if self.args else "")


class MissingKeys(ImproperlyConfigured):
    pass


# --- keys -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class KeyRing:
    keys: dict[int, bytes]  # version → 32-byte master key
    index_key: bytes
    cipher: str = "aes"
    source: str = ""
    _derived: dict = field(default_factory=dict, compare=False, repr=False)

    @cached_property
    def current(self) -> int:
        return max(self.keys)

    @cached_property
    def prefix(self) -> str:
        return f"{CIPHER_LETTERS[self.cipher]}{self.current}"

    def data_key(self, cipher: str, version: int) -> bytes:
        """The key of one cipher and version, derived from the master so that AES and SM4 never share one."""
        if version not in self.keys:
            raise TamperedValue(f"no data key of version {version}")
        cached = self._derived.get((cipher, version))
        if cached is None:
            length = 32 if cipher == "aes" else 16
            cached = _hkdf(self.keys[version], f"gongzhi field {cipher}".encode(), length)
            self._derived[(cipher, version)] = cached
        return cached

    def index_subkey(self, algorithm: str) -> bytes:
        cached = self._derived.get(("index", algorithm))
        if cached is None:
            cached = _hkdf(self.index_key, f"gongzhi blind index {algorithm}".encode(), 32)
            self._derived[("index", algorithm)] = cached
        return cached


def _hkdf(master: bytes, info: bytes, length: int) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(algorithm=hashes.SHA256(), length=length, salt=b"gongzhi", info=info).derive(master)


def _decode_key(name: str, text: str) -> bytes:
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise MissingKeys(f"GONGZHI_DATA_KEYS: key {name!r} is not base64") from exc
    if len(raw) != KEY_BYTES:
        raise MissingKeys(f"GONGZHI_DATA_KEYS: key {name!r} must be {KEY_BYTES} bytes (it has {len(raw)})")
    return raw


def parse_keys(spec: str, *, cipher: str = "aes", source: str = "") -> KeyRing:
    """A key ring from JSON, ``name:base64`` pairs, or the path of a file holding either."""
    spec = (spec or "").strip()
    if not spec:
        raise MissingKeys("GONGZHI_DATA_KEYS is not set")
    if not spec.startswith("{") and (spec.startswith(("/", ".", "~")) or ":" not in spec):
        path = Path(spec).expanduser()
        if not path.is_file():
            raise MissingKeys(f"GONGZHI_DATA_KEYS: no key file at {path}")
        return parse_keys(path.read_text(), cipher=cipher, source=str(path))
    if spec.startswith("{"):
        try:
            items = {str(k): str(v) for k, v in json.loads(spec).items()}
        except (ValueError, AttributeError) as exc:
            raise MissingKeys("GONGZHI_DATA_KEYS: not valid JSON") from exc
    else:
        items = {}
        for pair in re.split(r"[,\s]+", spec):
            if pair:
                name, _sep, value = pair.partition(":")
                items[name.strip()] = value
    if "index" not in items:
        raise MissingKeys("GONGZHI_DATA_KEYS: the blind-index key ('index') is missing")
    keys = {}
    for name, value in items.items():
        if name == "index":
            continue
        if not name.lstrip("v").isdigit():
            raise MissingKeys(f"GONGZHI_DATA_KEYS: key name {name!r} is neither 'index' nor a version number")
        keys[int(name.lstrip("v"))] = _decode_key(name, value)
    if not keys:
        raise MissingKeys("GONGZHI_DATA_KEYS: no data key (e.g. \"1\")")
    if cipher not in CIPHER_LETTERS:
        raise MissingKeys(f"GONGZHI_CIPHER must be one of {', '.join(CIPHER_LETTERS)}")
    return KeyRing(keys, _decode_key("index", items["index"]), cipher, source or "environment")


def generate_keys(versions: dict[int, bytes] | None = None) -> str:
    """A new key file's text (JSON): a fresh index key and data key 1, or the given versions plus one more."""
    keys = dict(versions or {})
    keys[max(keys, default=0) + 1] = secrets.token_bytes(KEY_BYTES)
    return json.dumps({"index": base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode(),
                       **{str(v): base64.b64encode(k).decode() for v, k in sorted(keys.items())}}, indent=1)


def add_version(spec_text: str) -> str:
    """The key file's text with one more data key version (the index key kept)."""
    ring = parse_keys(spec_text)
    data = {"index": base64.b64encode(ring.index_key).decode(),
            **{str(v): base64.b64encode(k).decode() for v, k in sorted(ring.keys.items())}}
    data[str(ring.current + 1)] = base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode()
    return json.dumps(data, indent=1)


@cache
def keyring() -> KeyRing:
    return parse_keys(settings.GONGZHI_DATA_KEYS, cipher=settings.GONGZHI_CIPHER.lower())


def reset() -> None:
    """Forget the cached key ring (after settings change: tests, ``keys`` commands)."""
    keyring.cache_clear()


# --- sealing ------------------------------------------------------------------------------------------


def _aead(cipher: str, key: bytes):
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    if cipher == "aes":
        return AESGCM(key)
    return _SM4GCM(key)


class _SM4GCM:
    """SM4 in GCM mode with the AEAD interface of AESGCM (``cryptography`` has no SM4 AEAD class)."""

    def __init__(self, key: bytes):
        self.key = key

    def encrypt(self, nonce: bytes, data: bytes, aad: bytes) -> bytes:
        from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

        encryptor = Cipher(algorithms.SM4(self.key), modes.GCM(nonce)).encryptor()
        encryptor.authenticate_additional_data(aad)
        return encryptor.update(data) + encryptor.finalize() + encryptor.tag

    def decrypt(self, nonce: bytes, data: bytes, aad: bytes) -> bytes:
        from cryptography.exceptions import InvalidTag
        from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

        if len(data) < TAG_BYTES:
            raise InvalidTag
        decryptor = Cipher(algorithms.SM4(self.key), modes.GCM(nonce, data[-TAG_BYTES:])).decryptor()
        decryptor.authenticate_additional_data(aad)
        return decryptor.update(data[:-TAG_BYTES]) + decryptor.finalize()


_AEADS: dict[tuple[str, int, bytes], object] = {}


def _aead_for(ring: KeyRing, cipher: str, version: int):
    found = ring._derived.get(("aead", cipher, version))
    if found is None:
        key = ring.data_key(cipher, version)
        found = _AEADS.get((cipher, version, key))
        if found is None:
            found = _AEADS[(cipher, version, key)] = _aead(cipher, key)
        ring._derived[("aead", cipher, version)] = found
    return found


def is_sealed(value) -> bool:
    return isinstance(value, str) and SEALED.match(value) is not None


def seal(plain: str, ring: KeyRing | None = None) -> str:
    """The stored form of ``plain`` under the current key and cipher."""
    ring = ring or keyring()
    prefix = ring.prefix
    nonce = os.urandom(NONCE_BYTES)
    body = _aead_for(ring, ring.cipher, ring.current).encrypt(nonce, plain.encode(), prefix.encode())
    return f"{prefix}:{base64.b64encode(nonce + body).decode()}"


def unseal(stored: str, ring: KeyRing | None = None) -> str:
    """The plain value of a stored one; :class:`TamperedValue` when it does not authenticate."""
    from cryptography.exceptions import InvalidTag

    match = SEALED.match(stored or "")
    if match is None:
        raise TamperedValue("not an encrypted value")
    letter, version, body = match.groups()
    ring = ring or keyring()
    try:
        raw = base64.b64decode(body, validate=True)
        if len(raw) < NONCE_BYTES + TAG_BYTES:
            raise TamperedValue("too short")
        plain = _aead_for(ring, LETTER_CIPHERS[letter], int(version)).decrypt(
            raw[:NONCE_BYTES], raw[NONCE_BYTES:], f"{letter}{version}".encode())
        return plain.decode()
    except (InvalidTag, binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise TamperedValue(f"authentication failed for key {letter}{version}") from exc


def key_of(stored: str) -> str | None:
    """The cipher letter and version a stored value was sealed with (``"v1"``), None when not sealed."""
    match = SEALED.match(stored or "")
    return f"{match.group(1)}{match.group(2)}" if match else None


def needs_rotation(stored: str | None, ring: KeyRing | None = None) -> bool:
    if stored in (None, ""):
        return False
    return key_of(stored) != (ring or keyring()).prefix


# --- blind indexes and what stays visible ------------------------------------------------------------------


def normalise_id(value: str) -> str:
    return re.sub(r"\s+", "", str(value)).upper()


def normalise_phone(value: str) -> str:
    return re.sub(r"\D", "", str(value))


def normalise_text(value: str) -> str:
    return re.sub(r"\s+", " ", str(value)).strip()


def normalise_code(value: str) -> str:
    return str(value).strip()


NORMALISERS = {"id": normalise_id, "phone": normalise_phone, "text": normalise_text, "code": normalise_code}


def index_algorithm(cipher: str) -> str:
    return "sm3" if cipher == "sm4" else "sha256"


def _hmac(key: bytes, algorithm: str, data: bytes) -> str:
    if algorithm == "sha256":
        return hmac.digest(key, data, "sha256").hex()  # one call into OpenSSL: half the cost of hmac.new
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives import hmac as chmac

    mac = chmac.HMAC(key, hashes.SM3())
    mac.update(data)
    return mac.finalize().hex()


def blind_index(kind: str, value, ring: KeyRing | None = None, *, algorithm: str | None = None) -> str | None:
    """The blind index of a value of a kind (``id``, ``phone``, ``text``, ``code`` for a choice code); None for an
    empty value."""
    if value in (None, ""):
        return None
    normal = NORMALISERS[kind](value)
    if not normal:
        return None
    ring = ring or keyring()
    algorithm = algorithm or index_algorithm(ring.cipher)
    return _hmac(ring.index_subkey(algorithm), algorithm, f"{kind}\x1f{normal}".encode())


def blind_indexes(kind: str, value, ring: KeyRing | None = None) -> list[str]:
    """The indexes to look a value up by: the current algorithm's, and, while a change of cipher is being
    rotated through (``GONGZHI_CIPHER_PREVIOUS`` names the old one until ``keys rotate`` has recomputed
    every index), the previous algorithm's too."""
    ring = ring or keyring()
    first = blind_index(kind, value, ring)
    if first is None:
        return []
    previous = getattr(settings, "GONGZHI_CIPHER_PREVIOUS", "")
    if not previous or index_algorithm(previous) == index_algorithm(ring.cipher):
        return [first]
    return [first, blind_index(kind, value, ring, algorithm=index_algorithm(previous))]


def last_chars(kind: str, value, n: int = 4) -> str:
    """The last characters kept beside a value for masked display and suffix search."""
    if value in (None, ""):
        return ""
    return NORMALISERS[kind](value)[-n:]
