"""JSON Schemas of the package format, published in docs/sync-schema.json (a test keeps it current).

MANIFEST is also what an arriving package's header is checked against (sync/manifest.py):
the bounds here are the ones enforced.
"""
from __future__ import annotations

import json

from app.sync.codec import json_schema
from app.sync.identity import synced_tables

_HEX64 = {"type": "string", "pattern": "^[0-9a-f]{64}$"}
_COUNTER = {"type": "integer", "minimum": 0, "maximum": 2 ** 63 - 1}
_WHEN = {"type": "string", "format": "date-time", "maxLength": 32,
         "description": "UTC, no offset: YYYY-MM-DDTHH:MM:SS[.ffffff]"}
_PARTY = {
    "type": "object", "additionalProperties": False,
    "required": ["installation_id", "name", "role", "municipality_code", "key_id"],
    "properties": {"installation_id": {"type": "string", "minLength": 1, "maxLength": 64},
                   "name": {"type": "string", "maxLength": 5000},
                   "role": {"enum": ["municipal", "region"]},
                   "municipality_code": {"type": "string", "maxLength": 32},
                   "key_id": {"type": "string", "pattern": "^[0-9a-f]{64}$",
                              "description": "fingerprint: SHA-256 of b'metodset-keys\\0' + Ed25519 + X25519 public keys"}},
}
_COUNT = {"type": "object", "required": ["records", "deleted"],
          "properties": {"records": _COUNTER, "deleted": _COUNTER}}

MANIFEST = {
    "$schema": "https://json-schema.org/draft/2020-12/schema", "title": "Заголовок (манифест) пакета МетодСети",
    "type": "object",
    "required": ["format", "format_version", "kind", "package_id", "schema_revision", "created_at", "sender",
                 "receiver", "sequence", "previous_sha256", "acknowledged_sequence", "since_change_seq",
                 "upto_change_seq", "snapshot", "personal_data", "counts", "parts", "encryption"],
    "properties": {
        "format": {"const": "metodset-sync"},
        "format_version": {"const": 1},
        "kind": {"enum": ["delta", "receipt", "catalogue"]},
        "package_id": {"type": "string", "format": "uuid"},
        "schema_revision": {"type": "string", "maxLength": 64,
                            "description": "Alembic revision of the sender's database"},
        "created_at": _WHEN,
        "sender": _PARTY,
        "receiver": {"anyOf": [_PARTY, {"type": "null"}], "description": "null: a catalogue for everyone"},
        "sequence": {**_COUNTER, "minimum": 1, "description": "per sender → receiver channel and kind"},
        "previous_sha256": {"anyOf": [_HEX64, {"type": "null"}],
                            "description": "SHA-256 of the previous package file"},
        "acknowledged_sequence": {**_COUNTER,
                                  "description": "the sender's package whose receipt the delta starts from"},
        "since_change_seq": _COUNTER, "upto_change_seq": _COUNTER,
        "snapshot": {"type": "boolean"},
        "personal_data": {"enum": ["full", "pseudonymised", "aggregates", "none"],
                          "description": "delta: full, pseudonymised or aggregates; receipts and catalogues: none"},
        "pseudonym_key_id": {"type": "string", "pattern": "^[0-9a-f]{64}$",
                             "description": "pseudonymised deltas only: SHA-256 of b'metodset-pseudonym\\0' + the "
                                            "region's key"},
        "restart": {"type": "object", "required": ["restored_at"],
                    "properties": {"restored_at": _WHEN},
                    "description": "deltas only: the sender restored a backup; this snapshot starts its chain "
                                   "again and is the truth about the sender's rows"},
        "counts": {"type": "object", "additionalProperties": _COUNT},
        "parts": {"type": "array", "maxItems": 1000, "items": {
            "type": "object", "required": ["name", "size", "records", "sha256"],
            "properties": {"name": {"type": "string", "pattern": "^(records/[a-z_]{1,64}\\.jsonl|"
                                                                 "aggregates/organizations\\.jsonl|"
                                                                 "keys/pseudonymisation\\.json)$"},
                           "size": _COUNTER, "records": _COUNTER,
                           "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"}}}},
        "encryption": {"oneOf": [
            {"type": "object", "required": ["scheme", "ephemeral_key", "chunk_size"],
             "properties": {"scheme": {"const": "X25519-HKDF-SHA256-AES-256-GCM-1MiB-chunks"},
                            "ephemeral_key": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
                            "chunk_size": {"const": 1048576}}},
            {"type": "object", "required": ["scheme"], "properties": {"scheme": {"const": "none"}}}]},
        "acknowledges": {"type": "object", "description": "receipts only",
                         "required": ["package_id", "sequence", "sha256", "upto_change_seq", "changes"],
                         "properties": {"package_id": {"type": "string", "format": "uuid"},
                                        "sequence": {**_COUNTER, "minimum": 1}, "sha256": _HEX64,
                                        "upto_change_seq": _COUNTER, "changes": {"type": "object"}}},
    },
}

KEYCARD = {
    "$schema": "https://json-schema.org/draft/2020-12/schema", "title": "Карточка открытых ключей",
    "type": "object",
    "required": ["format", "version", "installation_id", "name", "role", "municipality_code", "sign_key",
                 "encrypt_key", "fingerprint"],
    "properties": {"format": {"const": "metodset-keycard"}, "version": {"const": 1},
                   "installation_id": {"type": "string"}, "name": {"type": "string"},
                   "role": {"enum": ["municipal", "region"]}, "municipality_code": {"type": "string"},
                   "sign_key": {"type": "string", "pattern": "^[0-9a-f]{64}$", "description": "Ed25519, raw"},
                   "encrypt_key": {"type": "string", "pattern": "^[0-9a-f]{64}$", "description": "X25519, raw"},
                   "fingerprint": {"type": "string", "pattern": "^[0-9a-f]{64}$"}},
}


_YEAR_CREDITS = {"type": "object", "patternProperties": {"^[0-9]{4}$": {"type": "number", "minimum": 0}},
                 "additionalProperties": False}
AGGREGATE = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Строка aggregates/organizations.jsonl (пакет «только сводные показатели»)",
    "type": "object", "additionalProperties": False,
    "required": ["organization_id", "organization_name", "teachers", "covered", "due_soon", "overdue", "young",
                 "credits_by_year"],
    "properties": {
        "organization_id": {"type": "string", "maxLength": 36,
                            "description": "the municipality's organisation UUID; all zeros: teachers without one"},
        "organization_name": {"type": "string", "maxLength": 500},
        "teachers": {"type": "integer", "minimum": 0, "description": "live teachers"},
        "covered": {"type": "integer", "minimum": 0, "description": "PD completed within three years"},
        "due_soon": {"type": "integer", "minimum": 0}, "overdue": {"type": "integer", "minimum": 0},
        "young": {"type": "integer", "minimum": 0, "description": "under 35 or under three years of work"},
        "credits_by_year": {**_YEAR_CREDITS, "description": "credits of completed route items by year of completion"},
    },
}
PSEUDONYM_KEY = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "keys/pseudonymisation.json (каталог, адресованный одному муниципалитету)",
    "type": "object", "additionalProperties": False, "required": ["key", "key_id"],
    "properties": {"key": {"type": "string", "pattern": "^[0-9a-f]{64}$", "description": "32 random bytes"},
                   "key_id": {"type": "string", "pattern": "^[0-9a-f]{64}$"}},
}


def all_schemas() -> dict:
    return {"manifest": MANIFEST, "keycard": KEYCARD, "aggregate": AGGREGATE, "pseudonym_key": PSEUDONYM_KEY,
            "records": {t.name: json_schema(t) for t in synced_tables()}}


def schemas_text() -> str:
    return json.dumps(all_schemas(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
