from datetime import date

import pytest

from services.followup.domain.assessment import act_by, check_assessment, is_overdue, review_due
from services.followup.domain.guidance import check_advice, default_guidance
from services.followup.domain.identity import identity_status, needs_attention
from shared.errors import Invalid


def test_a_concern_names_its_complications_and_fine_names_none():
    assert check_assessment("concern", ["infection", "infection", "fracture"]) == ["infection", "fracture"]
    assert check_assessment("fine", []) == []
    for outcome, concerns in (("concern", []), ("watch", ["fracture"]), ("concern", ["bruise"])):
        with pytest.raises(Invalid):
            check_assessment(outcome, concerns)


def test_each_complication_has_its_own_deadline_and_others_the_default():
    deadlines = {"infection": 1, "loosening": 3}
    assert act_by("infection", date(2025, 5, 1), deadlines, 2) == date(2025, 5, 2)
    assert act_by("loosening", date(2025, 5, 1), deadlines, 2) == date(2025, 5, 4)
    assert act_by("fracture", date(2025, 5, 1), deadlines, 2) == date(2025, 5, 3)


def test_a_review_is_overdue_only_after_its_due_day():
    due = review_due(date(2025, 5, 1), 5)
    assert due == date(2025, 5, 6)
    assert not is_overdue(due, date(2025, 5, 6))
    assert is_overdue(due, date(2025, 5, 7))


def test_the_clinics_activity_advice_follows_the_rules_of_stage_6():
    advice = default_guidance(date(2025, 3, 10), ["swimming", "sauna"], ["contact_sports"],
                              {"intensive_activity": 24})
    by_activity = {a.activity: (a.advice, a.not_before) for a in advice}
    assert by_activity == {"swimming": ("allowed", None), "sauna": ("allowed", None),
                           "contact_sports": ("discouraged", None),
                           "intensive_activity": ("not_before", date(2027, 3, 10))}
    with pytest.raises(Invalid):
        check_advice("not_before", None)
    with pytest.raises(Invalid):
        check_advice("allowed", date(2026, 1, 1))


def test_a_dicom_patient_id_must_be_one_of_the_journeys_references():
    ids, names = {"6f1c-journey", "ENQ-7"}, set()
    assert identity_status("ENQ-7", "Any^Name", ids, names) == "matched"
    assert identity_status("SOMEONE-ELSE", None, ids, names) == "mismatch"
    assert identity_status(None, None, ids, names) == "missing"
    assert identity_status("ENQ-7", "Other^Person", ids, {"Jane Doe"}) == "mismatch"
    assert identity_status("ENQ-7", "DOE^JANE", ids, {"doe jane"}) == "matched"
    assert needs_attention("mismatch") and needs_attention("missing") and not needs_attention("matched")
