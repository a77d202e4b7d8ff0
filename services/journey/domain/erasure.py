"""Erasure requests: who must answer, and what the answers add up to."""
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

PENDING, ERASED, RETAINED = "pending", "erased", "retained"


@dataclass(frozen=True)
class Answer:
    service: str
    erased: bool
    retained_reason: str | None
    at: datetime


def retained_reason(years: int) -> str:
    """Why a patient's record stays: the law asks for it (WGBO, 20 years in the Netherlands)."""
    return f"medical record kept for the legal retention period ({years} years)"


def screening_retained_reason(years: int) -> str:
    """Why the screening of someone declined after it stays: it is a medical record too."""
    return f"clinical screening record kept for the clinic's retention period ({years} years)"


def status(expected: Iterable[str], answers: Iterable[Answer]) -> str:
    """pending until every expected service answered; then erased, or retained if any kept data."""
    answers = list(answers)
    if not set(expected) <= {answer.service for answer in answers}:
        return PENDING
    return ERASED if all(answer.erased for answer in answers) else RETAINED


def latest_answers(answers: Iterable[Answer]) -> list[Answer]:
    """One answer per service, its latest (a service may answer a replayed request twice)."""
    latest: dict[str, Answer] = {}
    for answer in sorted(answers, key=lambda a: a.at):
        latest[answer.service] = answer
    return sorted(latest.values(), key=lambda a: a.service)
