"""Probable duplicate teachers: finding them, merging two records, undoing a merge.

A duplicate is *probable*, never certain, so nothing here merges on its own:
the service finds candidates with a reason the user can read, previews a
merge field by field, merges in one transaction and can undo it from the
merge log.

The reasons a pair is a probable duplicate are described in duplicate_search,
how a merge keeps the history of both records in duplicate_merge.

The code lives in duplicate_search (finding), duplicate_merge (preview and
merge) and duplicate_undo (undo and the merge log); this module keeps the
names importable from here.
"""
from app.services.duplicates.merge import (  # noqa: F401
    DEDUP_KEYS, KEEP, LATER_WINS, MERGE_ACTION, OTHER, UNMERGE_ACTION, MergeField, MergeLogEntry, MergePreview,
    MergeResult, RelatedCount, merge_preview, merge_teachers, teacher_references,
)
from app.services.duplicates.search import (  # noqa: F401
    ENTITY, REASON_ORDER, REASON_SAME, REASON_SIMILAR, REASON_SNILS, SCORE_DOUBLE_SURNAME, SCORE_NO_PATRONYMIC,
    SCORE_SWAPPED, SIMILARITY_THRESHOLD, DuplicateCandidate, DuplicateGroup, NameKey, TeacherBrief, duplicate_groups,
    find_duplicates, name_key, name_similarity, part_key,
)
from app.services.duplicates.undo import merge_count, merge_log, undo_merge  # noqa: F401
