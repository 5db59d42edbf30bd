"""Opening a package that arrived: who signed it, whom it is for, where it stands in the sequence.

Order matters: the signature is checked with the trust store's key before
the header is parsed, the header before anything is decrypted, and the
payload's records before anything is written.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session

from app.storage.migrate import HEAD_REVISION
from app.storage.models import SyncPackage, SyncPartner
from app.sync import aggregates, envelope, manifest, payload, personal_data, row_checks
from app.sync.codec import decode_part
from app.sync.errors import PackageRefused
from app.sync.identity import KeyPair, Profile, fingerprint_groups, synced_tables
from app.sync.ledger import find, last_in
from app.sync.partners import trusted_by_fingerprint

KINDS = {"delta": "изменения муниципалитета", "receipt": "квитанция о приёме", "catalogue": "каталог региона"}


@dataclass
class Inbound:
    path: Path
    header: dict
    sha256: str
    partner: SyncPartner
    already: SyncPackage | None = None           # this very package was imported before
    records: dict[str, list[dict]] = field(default_factory=dict)
    aggregates: list[dict] | None = None          # an «aggregates only» delta's figures
    pseudonym_secret: bytes | None = None         # the region's key, in a catalogue addressed to us

    @property
    def personal_data(self) -> str:
        return self.header.get("personal_data", "full")

    @property
    def kind(self) -> str:
        return self.header["kind"]

    @property
    def sequence(self) -> int:
        return self.header["sequence"]


def open_package(s: Session, path: Path, profile: Profile, keys: KeyPair) -> Inbound:
    path = Path(path)
    data = envelope.read_file(path)
    fingerprint = envelope.sender_of(data, path.name)
    partner = trusted_by_fingerprint(s, fingerprint)
    if partner is None and fingerprint == keys.fingerprint:
        raise PackageRefused(
            f"Пакет {path.name} выгружен этой же установкой: его загружают у получателя, а не здесь. "
            "Пакеты от партнёров приходят в файлах, которые они выгрузили у себя.")
    if partner is None:
        raise PackageRefused(
            f"Пакет {path.name} подписан неизвестным отправителем (отпечаток {fingerprint_groups(fingerprint)}). "
            "Если вы доверяете отправителю, сначала добавьте его карточку ключей (sync trust).")
    if partner.revoked_at is not None:
        raise PackageRefused(f"Доверие к отправителю «{partner.name}» отозвано {partner.revoked_at:%d.%m.%Y}; "
                             "его пакеты не принимаются.")
    opened = envelope.verify(data, path.name, bytes.fromhex(partner.sign_key))
    header = opened.header
    if header.get("schema_revision") != HEAD_REVISION:      # a newer program may shape its header otherwise
        raise PackageRefused(_revision_refusal(path.name, header.get("schema_revision"), partner.name))
    manifest.check_manifest(header, path.name)
    inbound = Inbound(path, header, opened.sha256, partner)
    _check_header(inbound, profile)
    inbound.already = find(s, "in", package_id=header["package_id"])
    if inbound.already is None:
        _check_sequence(s, inbound)
    plain = envelope.decrypt(opened, keys.encryption)
    tables = {t.name: t for t in synced_tables()}
    declared_parts = header["parts"] if isinstance(header["parts"], list) else []
    parts = payload.read(plain, declared_parts, set(tables), frozenset({aggregates.PART, personal_data.KEY_PART}))
    declared = {p.get("name"): p.get("records") for p in declared_parts if isinstance(p, dict)}
    _read_special_parts(inbound, parts)
    for name, body in parts.items():
        table = tables[payload.table_of(name)]
        rows = decode_part(table, body, name)
        if len(rows) != declared[name]:
            raise PackageRefused(f"В файле «{name}» {len(rows)} записей, а в описи пакета — {declared[name]}.")
        row_checks.check_rows(table.name, rows, path.name)
        inbound.records[table.name] = rows
    _check_personal_data(inbound)
    return inbound


def _read_special_parts(inbound: Inbound, parts: dict[str, bytes]) -> None:
    """Takes the aggregates and the pseudonymisation key out of ``parts``, where the package may carry them."""
    name = inbound.path.name
    body = parts.pop(aggregates.PART, None)
    if body is not None:
        if inbound.kind != "delta" or inbound.personal_data != "aggregates":
            raise PackageRefused(f"Пакет {name}: сводные показатели допустимы только в пакете «только сводные».")
        inbound.aggregates = aggregates.decode(body)
    body = parts.pop(personal_data.KEY_PART, None)
    if body is not None:
        if inbound.kind != "catalogue" or inbound.header.get("receiver") is None:
            raise PackageRefused(f"Пакет {name}: ключ псевдонимизации передаётся только в каталоге, "
                                 "зашифрованном для одного муниципалитета.")
        inbound.pseudonym_secret = personal_data.read_key_part(body, name)


def _check_personal_data(inbound: Inbound) -> None:
    """The records must be what the declared level allows; the level is checked, not trusted."""
    name, level = inbound.path.name, inbound.personal_data
    if inbound.kind != "delta":
        return
    if level not in personal_data.LEVELS:
        raise PackageRefused(f"Пакет {name}: неизвестный уровень персональных данных «{level}».")
    if level == "aggregates":
        if inbound.records:
            raise PackageRefused(f"Пакет {name} объявлен «только сводные показатели», но содержит записи "
                                 f"({', '.join(sorted(inbound.records))}). Пакет отклонён.")
        if inbound.aggregates is None:
            raise PackageRefused(f"В пакете {name} нет сводных показателей.")
    elif level == "pseudonymised":
        for rec in inbound.records.get("teacher", []):
            personal_data.check_pseudonymised(rec, name)
        for table, rows in inbound.records.items():
            personal_data.check_free_text_blank(table, rows, name)


def _revision_refusal(name: str, theirs, sender: str) -> str:
    """Whose program is behind: the revisions this one knows are all older than its head."""
    from app.storage.migrate import known_revisions

    shown = str(theirs)[:64] if theirs else "не указана"
    if isinstance(theirs, str) and theirs in known_revisions():
        return (f"Пакет {name} создан более старой версией МетодСети (схема базы {shown}, у вас {HEAD_REVISION}). "
                f"Обновите МетодСеть у отправителя «{sender}» и выгрузите пакет заново; этот пакет не загружен.")
    return (f"Пакет {name} создан более новой версией МетодСети (схема базы {shown}, у вас {HEAD_REVISION}). "
            "Обновите МетодСеть на этом компьютере и загрузите пакет снова; сейчас он не загружен.")


def _check_header(inbound: Inbound, profile: Profile) -> None:
    h, partner, name = inbound.header, inbound.partner, inbound.path.name
    try:
        kind, sequence = h["kind"], h["sequence"]
        sender, receiver = h["sender"], h["receiver"]
        h["package_id"], h["created_at"], h["parts"]
    except (KeyError, TypeError):
        raise PackageRefused(f"Заголовок пакета {name} неполон.") from None
    if kind not in KINDS or not isinstance(sequence, int) or sequence < 1:
        raise PackageRefused(f"Заголовок пакета {name} повреждён (вид или номер пакета).")
    if not isinstance(sender, dict) or sender.get("installation_id") != partner.installation_id:
        raise PackageRefused(f"Пакет {name} подписан ключом «{partner.name}», но называет другого отправителя.")
    if receiver is None:
        if kind != "catalogue":
            raise PackageRefused(f"В пакете {name} не указан получатель.")
    elif not isinstance(receiver, dict) or receiver.get("installation_id") != profile.installation_id:
        who = receiver.get("name") if isinstance(receiver, dict) else "?"
        code = receiver.get("municipality_code") if isinstance(receiver, dict) else "?"
        same_name = (" — другая установка с тем же названием (например, программа переустановлена: "
                     "отправителю нужна новая карточка ключей)" if who == profile.name else "")
        raise PackageRefused(f"Пакет {name} адресован другой установке: «{who}» (код {code}), "
                             f"а это «{profile.name}»{same_name}. Пакет не загружен.")
    if receiver is not None and (h.get("encryption") or {}).get("scheme") == "none":
        # Only a catalogue for everyone travels open; whatever names its receiver is encrypted for it.
        raise PackageRefused(f"Пакет {name} адресован этой установке, но не зашифрован. Такой пакет МетодСеть "
                             "не создаёт; он не загружен. Попросите отправителя выгрузить пакет заново.")
    wanted = {"delta": ("municipal", "region"), "receipt": ("region", "municipal"),
              "catalogue": ("region", "municipal")}[kind]
    if (partner.role, profile.role) != wanted:
        raise PackageRefused(f"Пакет {name} ({KINDS[kind]}) не предназначен для установки с ролью «{profile.role}» "
                             f"от отправителя с ролью «{partner.role}».")


def is_restart(h: dict) -> bool:
    restart = h.get("restart")
    return (h.get("kind") == "delta" and isinstance(restart, dict) and isinstance(restart.get("restored_at"), str)
            and h.get("snapshot") is True and h.get("since_change_seq") == 0)


def _check_sequence(s: Session, inbound: Inbound) -> None:
    h, partner = inbound.header, inbound.partner
    last = last_in(s, partner.installation_id, inbound.kind)
    have = last.sequence if last else 0
    n = h["sequence"]
    if inbound.kind == "receipt":
        return
    if is_restart(h):
        return      # the sender restored a backup: this snapshot starts its chain again (plan.py applies it)
    if n <= have:
        raise PackageRefused(f"Пакет № {n} от «{partner.name}» старше уже загруженного № {have}; "
                             "он не нужен и не загружен.")
    if inbound.kind != "delta":
        return
    based_on = h.get("acknowledged_sequence")
    if not isinstance(based_on, int) or based_on < 0:
        raise PackageRefused("Заголовок пакета повреждён (acknowledged_sequence).")
    if based_on > have:
        raise PackageRefused(
            f"Не хватает пакета № {have + 1} от «{partner.name}»: пакет № {n} продолжает пакет № {based_on}, "
            f"а здесь загружен только № {have}. Загрузите пакет № {have + 1} или попросите муниципалитет "
            "выгрузить пакет заново.")
    if last is not None and n == have + 1 and h.get("previous_sha256") != last.sha256:
        raise PackageRefused(f"Цепочка пакетов нарушена: пакет № {n} ссылается не на тот пакет № {have}, "
                             "что был загружен. Пакет отклонён.")
