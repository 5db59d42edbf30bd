"""materials review: criteria sheets, decisions, rounds; network course totals; attachment size setting

Revision ID: 0008_materials_review
Revises: 0007_certificate_register
Create Date: 2026-11-23

"""
import uuid
from datetime import datetime, timezone
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

revision: str = "0008_materials_review"
down_revision: Union[str, Sequence[str], None] = "0007_certificate_register"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

ATTACHMENT_SETTING = "attachment_max_mb"
ATTACHMENT_DEFAULT_MB = "200"

# The default sheet: what the regulations ask of a product of the network (seed 001 §2.2.4, §3.3, §3.5,
# seed 003 on the expertise of methodical products and the dissemination of best practice,
# seed 004 §1.6 on products used in seminars and competitions). Five points each.
DEFAULT_SHEET_TITLE = "Экспертиза методических материалов (продуктов сетевого взаимодействия)"
DEFAULT_SHEET_DESCRIPTION = (
    "Каждый критерий оценивается от 0 до 5 баллов. Материал рекомендуется к одобрению, "
    "если итоговый балл не ниже 70 % от максимального.")
DEFAULT_CRITERIA = (
    ("actuality", "Актуальность: соответствие приоритетам развития образования (федеральным, региональным, "
                  "муниципальным) и проблемам реальной практики", 5),
    ("fgos", "Соответствие требованиям ФГОС и федеральных образовательных программ", 5),
    ("novelty", "Новизна и оригинальность педагогического решения", 5),
    ("content", "Полнота, логичность и методическая обоснованность содержания", 5),
    ("practice", "Практическая значимость: применимость в образовательной практике других педагогов", 5),
    ("results", "Результативность: подтверждённые образовательные результаты", 5),
    ("transfer", "Возможность распространения в сети (тиражирования) как передового педагогического опыта", 5),
    ("design", "Качество оформления и соответствие требованиям к виду материала", 5),
)


def _synced() -> list[sa.Column]:
    return [
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("origin", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.Column("change_seq", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
    ]


def _synced_indexes(table: str) -> None:
    with op.batch_alter_table(table) as batch_op:
        batch_op.create_index(f"ix_{table}_change_seq", ["change_seq"], unique=False)
        batch_op.create_index(f"ix_{table}_origin", ["origin"], unique=False)


def upgrade() -> None:
    op.create_table(
        "criteria_sheet",
        sa.Column("title", sa.String(length=255), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("is_default", sa.Boolean(), nullable=False),
        *_synced(),
        sa.PrimaryKeyConstraint("id", name="pk_criteria_sheet"),
    )
    _synced_indexes("criteria_sheet")
    op.create_table(
        "review_criterion",
        sa.Column("sheet_id", sa.String(length=36), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("max_score", sa.Float(), nullable=False),
        *_synced(),
        sa.ForeignKeyConstraint(["sheet_id"], ["criteria_sheet.id"],
                                name="fk_review_criterion_sheet_id_criteria_sheet"),
        sa.PrimaryKeyConstraint("id", name="pk_review_criterion"),
    )
    _synced_indexes("review_criterion")
    with op.batch_alter_table("review_criterion") as batch_op:
        batch_op.create_index("ix_review_criterion_sheet_id", ["sheet_id"], unique=False)
    op.create_table(
        "material_decision",
        sa.Column("material_id", sa.String(length=36), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("decision", sa.String(length=16), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("decided_by", sa.String(length=128), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("protocol_number", sa.String(length=64), nullable=False),
        *_synced(),
        sa.ForeignKeyConstraint(["material_id"], ["material.id"],
                                name="fk_material_decision_material_id_material"),
        sa.PrimaryKeyConstraint("id", name="pk_material_decision"),
    )
    _synced_indexes("material_decision")
    with op.batch_alter_table("material_decision") as batch_op:
        batch_op.create_index("ix_material_decision_material_id", ["material_id"], unique=False)

    with op.batch_alter_table("material") as batch_op:
        batch_op.add_column(sa.Column("current_round", sa.Integer(), server_default="1", nullable=False))
    with op.batch_alter_table("material_file") as batch_op:
        batch_op.add_column(sa.Column("round", sa.Integer(), server_default="1", nullable=False))
    with op.batch_alter_table("review") as batch_op:
        batch_op.add_column(sa.Column("sheet_id", sa.String(length=36), nullable=True))
        batch_op.create_foreign_key("fk_review_sheet_id_criteria_sheet", "criteria_sheet", ["sheet_id"], ["id"])
    with op.batch_alter_table("network_course") as batch_op:
        batch_op.add_column(sa.Column("pupils_total", sa.Integer(), server_default="0", nullable=False))
    # Totals of courses that already have enrolments.
    op.execute(sa.text(
        "UPDATE network_course SET pupils_total = COALESCE((SELECT SUM(e.pupils) FROM course_enrolment e "
        "WHERE e.course_id = network_course.id AND e.deleted_at IS NULL), 0)"))

    _seed_default_sheet()
    meta = sa.table("app_meta", sa.column("key", sa.String), sa.column("value", sa.Text))
    conn = op.get_bind()
    if conn.execute(sa.select(meta.c.key).where(meta.c.key == ATTACHMENT_SETTING)).first() is None:
        op.bulk_insert(meta, [{"key": ATTACHMENT_SETTING, "value": ATTACHMENT_DEFAULT_MB}])


def _seed_default_sheet() -> None:
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    stamp = {"origin": "", "created_at": now, "updated_at": now, "row_version": 1, "change_seq": 0,
             "deleted_at": None}
    sheet = sa.table("criteria_sheet", *[sa.column(c) for c in (
        "id", "title", "description", "is_default", *stamp)])
    criterion = sa.table("review_criterion", *[sa.column(c) for c in (
        "id", "sheet_id", "position", "code", "title", "max_score", *stamp)])
    # The same ids on every installation: a municipality's reviews point at its default sheet,
    # which is never sent (seeded rows belong to nobody), so the region must already hold it.
    sheet_id = str(uuid.uuid5(uuid.NAMESPACE_URL, "metodset:criteria_sheet/default"))
    op.bulk_insert(sheet, [{"id": sheet_id, "title": DEFAULT_SHEET_TITLE, "description": DEFAULT_SHEET_DESCRIPTION,
                            "is_default": True, **stamp}])
    op.bulk_insert(criterion, [
        {"id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"metodset:review_criterion/default/{code}")),
         "sheet_id": sheet_id, "position": i, "code": code, "title": title,
         "max_score": float(score), **stamp}
        for i, (code, title, score) in enumerate(DEFAULT_CRITERIA, start=1)])


def downgrade() -> None:
    op.execute(sa.text(f"DELETE FROM app_meta WHERE key = '{ATTACHMENT_SETTING}'"))
    with op.batch_alter_table("network_course") as batch_op:
        batch_op.drop_column("pupils_total")
    with op.batch_alter_table("review") as batch_op:
        batch_op.drop_constraint("fk_review_sheet_id_criteria_sheet", type_="foreignkey")
        batch_op.drop_column("sheet_id")
    with op.batch_alter_table("material_file") as batch_op:
        batch_op.drop_column("round")
    with op.batch_alter_table("material") as batch_op:
        batch_op.drop_column("current_round")
    op.drop_table("material_decision")
    op.drop_table("review_criterion")
    op.drop_table("criteria_sheet")
