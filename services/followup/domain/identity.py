"""Does an image's own patient identification belong to this journey?"""
MATCHED, MISMATCH, MISSING, NOT_APPLICABLE = "matched", "mismatch", "missing", "not_applicable"


def _norm(value: str) -> str:
    # DICOM person names separate parts with "^"; compare names as words, case-blind.
    return " ".join(value.replace("^", " ").split()).casefold()


def identity_status(patient_id: str | None, patient_name: str | None,
                    known_ids: set[str], known_names: set[str]) -> str:
    """`matched` when the file's PatientID is one of the journey's references (and its name,
    when the clinic registered one, agrees); `mismatch` otherwise; `missing` without a PatientID.
    """
    if not patient_id:
        return MISSING
    if _norm(patient_id) not in {_norm(ref) for ref in known_ids}:
        return MISMATCH
    if known_names and patient_name and _norm(patient_name) not in {_norm(n) for n in known_names}:
        return MISMATCH
    return MATCHED


def needs_attention(status: str) -> bool:
    return status in (MISMATCH, MISSING)
