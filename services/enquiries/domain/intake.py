"""Checks on an enquiry that need today's date, and the fingerprint that spots a resubmission."""
import hashlib
import json
from datetime import date, datetime, timedelta

from services.enquiries.domain.prescreen import age_on

MAX_AGE_YEARS = 120


def date_problems(form: dict, today: date) -> dict[str, list[str]]:
    """Per-field messages for dates that cannot be true on `today` (empty: all fine)."""
    problems: dict[str, list[str]] = {}
    born = form.get("date_of_birth")
    stopped = form.get("smoking_stopped_on")
    if born is not None:
        if born > today:
            problems["date_of_birth"] = ["the date of birth cannot be in the future"]
        elif age_on(born, today) > MAX_AGE_YEARS:
            problems["date_of_birth"] = [f"the date of birth is more than {MAX_AGE_YEARS} years ago"]
        elif form.get("years_since_amputation", 0) > age_on(born, today):
            problems["years_since_amputation"] = ["cannot be more than your age"]
    status = form.get("smoking_status")
    if status == "stopped" and stopped is None:
        problems["smoking_stopped_on"] = ["say when you stopped smoking"]
    elif status is not None and status != "stopped" and stopped is not None:
        problems["smoking_stopped_on"] = ["only for someone who has stopped smoking"]
    elif stopped is not None and stopped > today:
        problems["smoking_stopped_on"] = ["the date you stopped cannot be in the future"]
    elif stopped is not None and born is not None and stopped < born:
        problems["smoking_stopped_on"] = ["the date you stopped is before your date of birth"]
    preferred = form.get("preferred_date")
    if preferred is not None and preferred < today:
        problems["preferred_date"] = ["the preferred date cannot be in the past"]
    return problems


def fingerprint(kind: str, form: dict) -> str:
    """The same person sending the same form gets the same fingerprint (email case and spaces aside)."""
    normal = {key: _normal(key, value) for key, value in form.items()}
    text = json.dumps({"kind": kind, **normal}, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _normal(key: str, value):
    if isinstance(value, str):
        value = " ".join(value.split())
        return value.lower() if key == "email" else value
    return value


def dedupe_bucket(at: datetime, window: timedelta) -> int:
    """The window an enquiry falls in; (fingerprint, bucket) is unique in the database."""
    return int(at.timestamp() // window.total_seconds())
