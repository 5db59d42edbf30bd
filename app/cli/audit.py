"""`audit [--user-name ИМЯ] [--kind ВИД] [--since дд.мм.гггг] [--until дд.мм.гггг] [--out файл.xlsx]`."""
from __future__ import annotations

from app.cli.security import open_signed_in
from app.domain.validators import parse_date


def register(sub) -> None:
    a = sub.add_parser("audit", help="журнал изменений: кто, что и когда менял (или выгрузка в xlsx)")
    a.add_argument("--who", metavar="ИМЯ", help="только действия этой учётной записи")
    a.add_argument("--kind", metavar="ВИД", help="вид записей: teachers, organizations, accounts, …")
    a.add_argument("--since", metavar="ДД.ММ.ГГГГ")
    a.add_argument("--until", metavar="ДД.ММ.ГГГГ")
    a.add_argument("--limit", type=int, default=50, metavar="N", help="показать не больше N (по умолчанию 50)")
    a.add_argument("--out", metavar="ФАЙЛ.xlsx", help="выгрузить всё отобранное в Excel")
    a.add_argument("--unmasked", action="store_true", help="персональные данные без маскирования в выгрузке")
    a.set_defaults(run=lambda args: cmd_audit(args, open_signed_in(args)))


def cmd_audit(args, db) -> int:
    from app.services.accounts import audit_log

    f = audit_log.AuditFilter(args.who, args.kind, parse_date(args.since) if args.since else None,
                              parse_date(args.until) if args.until else None)
    if args.out:
        from app.export.audit_xlsx import export_xlsx

        n = export_xlsx(db, f, args.out, unmasked=args.unmasked)
        print(f"Выгружено записей журнала: {n} → {args.out}")
        return 0
    wanted = audit_log.ids(db, f)[:max(0, args.limit)]
    found = audit_log.rows(db, wanted)
    names = audit_log.reference_names(db, found.values(), unmasked=False)
    for i in wanted:
        r = found[i]
        before, after = audit_log.change_lines(r, unmasked=False, names=names)
        change = f"{before.replace(chr(10), '; ')} → {after.replace(chr(10), '; ')}" if before else ""
        print("\t".join([r.at.strftime("%d.%m.%Y %H:%M"), r.actor, r.action_label, r.entity_label, r.summary, change]))
    return 0
