"""The published schemas match what the code writes and accepts."""
from __future__ import annotations

import json
from pathlib import Path

from app.sync.envelope import FORMAT_VERSION
from app.sync.schema import all_schemas, schemas_text

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_docs_hold_the_current_json_schemas():
    assert (DOCS / "sync-schema.json").read_text(encoding="utf-8") == schemas_text(), \
        "regenerate: python -c 'from app.sync.schema import schemas_text; print(schemas_text(), end=\"\")' > docs/sync-schema.json"


def test_a_real_manifest_has_every_required_field(mun_and_region, tmp_path):
    from app.sync import envelope
    from app.sync.export import export_delta
    from app.sync.identity import load_keys, load_profile

    mun, _region = mun_and_region
    mun.records.create("organizations", {"full_name": "Школа", "kind": "school"})
    export_delta(mun.db, tmp_path / "p.msp")
    with mun.db.read() as s:
        sign_key = load_keys(load_profile(s)).public_raw()[0]
    header = envelope.verify((tmp_path / "p.msp").read_bytes(), "p.msp", sign_key).header
    manifest = all_schemas()["manifest"]
    assert set(manifest["required"]) <= set(header) <= set(manifest["properties"])
    assert header["format_version"] == FORMAT_VERSION
    assert "format_version" in (DOCS / "sync-format.md").read_text(encoding="utf-8")
    record_schema = all_schemas()["records"]["organization"]
    assert record_schema["additionalProperties"] is False and "search_key" not in record_schema["properties"]
    assert json.loads(json.dumps(record_schema)) == record_schema
