"""Network courses of profile education (seed 002)."""
from __future__ import annotations

# Seed 002 §8.1: a school invites teachers of other schools for a network elective course
# «в случае востребованности курса учащимися школы в количестве не менее 10 человек».
MIN_PUPILS = 10


def enough_pupils(total: int | None) -> bool:
    return (total or 0) >= MIN_PUPILS
