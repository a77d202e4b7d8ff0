from datetime import date

import pytest

from services.followup.domain.accession import accession_for, journey_prefix
from services.followup.domain.assessment import (
    act_by,
    check_assessment,
    consequence,
    escalation_kind,
    is_overdue,
    next_checkup,
    review_due,
)
from services.followup.domain.guidance import check_advice, default_guidance
from services.followup.domain.identity import identity_status, needs_attention
from services.followup.domain.windowing import Window, window_for
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


@pytest.mark.parametrize("outcome, then", [("fine", "close"), ("watch", "focus_next_checkup"),
                                           ("concern", "escalate")])
def test_every_assessment_outcome_closes_the_review_and_sets_its_own_next_step(outcome, then):
    assert consequence(outcome) == then


def test_a_watch_focuses_the_first_check_up_still_to_come():
    planned = [("later", date(2025, 9, 1)), ("past", date(2025, 5, 1)), ("next", date(2025, 6, 2))]
    assert next_checkup(planned, date(2025, 6, 2)) == "next"
    assert next_checkup(planned, date(2025, 9, 2)) is None


def test_an_accession_number_names_one_journey_and_nothing_else():
    journey = "6f1c2a3b-4d5e-4f60-9a51-3c7d2e9b8a10"
    assert accession_for(journey) == "CP6f1c2a3b4d5e4f"
    assert journey.startswith(journey_prefix("CP6f1c2a3b4d5e4f")) and journey_prefix("cp6F1C2A3B4D5E4F")
    assert journey_prefix("CP6f1c") is None and journey_prefix("XY6f1c2a3b4d5e4f") is None
    assert journey_prefix(None) is None


def test_bone_windows_brighten_the_upper_range_of_an_xray_and_use_hounsfield_units_on_a_ct():
    assert window_for("full", "DX", 0, 4000) == Window(2000, 4000)
    assert window_for("default", "DX", 0, 4000, Window(1500, 800)) == Window(1500, 800)
    bone = window_for("bone", "DX", 0, 4000)
    assert bone.low == 400 and bone.high == 4000
    assert window_for("bone", "CT", -1000, 3000) == Window(500, 2000)
    with pytest.raises(ValueError):
        window_for("lung", "DX", 0, 1)


def test_pain_in_the_first_year_after_surgery_is_first_year_pain_with_its_own_deadline():
    surgery = date(2025, 3, 10)
    assert escalation_kind("pain", surgery, date(2026, 3, 9)) == "first_year_pain"
    assert escalation_kind("pain", surgery, date(2026, 3, 10)) == "pain"
    assert escalation_kind("pain", None, date(2025, 4, 1)) == "pain"
    assert escalation_kind("infection", surgery, date(2025, 4, 1)) == "infection"
    assert escalation_kind("pain", date(2024, 2, 29), date(2025, 2, 27)) == "first_year_pain"
    days = {"first_year_pain": 7, "pain": 2}
    assert act_by("first_year_pain", date(2025, 5, 1), days, 2) == date(2025, 5, 8)
