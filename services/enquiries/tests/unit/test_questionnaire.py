"""The questionnaire definition as data, and answers checked against it."""
import pytest

from services.enquiries.adapters import questionnaires
from services.enquiries.domain.questionnaire import DefinitionError, answer_problems, parse, unanswered

DEFINITION = questionnaires.load("prosthesis-use", 1)


def test_the_shipped_questionnaire_covers_the_four_q_tfa_domains():
    assert [s.id for s in DEFINITION.sections] == ["prosthetic_use", "mobility", "problems", "global_health"]
    assert all(section.questions for section in DEFINITION.sections)


def test_answers_of_the_right_type_and_range_are_accepted():
    answers = {"pu_current_use": "yes_daily", "pu_days_per_week": 7, "mob_walking_aids": ["one_stick"],
               "mob_falls": False, "prob_limb_pain": 0, "prob_other": "sweating in summer"}
    assert answer_problems(DEFINITION, answers) == {}


@pytest.mark.parametrize(("question", "answer"), [
    ("pu_days_per_week", "seven"), ("pu_days_per_week", 8), ("pu_days_per_week", 2.5),
    ("pu_days_per_week", True), ("mob_falls", "no"), ("pu_current_use", "sometimes"),
    ("mob_walking_aids", "one_stick"), ("mob_walking_aids", ["one_stick", "one_stick"]),
    ("prob_other", 12), ("prob_other", "x" * 1001),
])
def test_a_wrong_type_or_out_of_range_answer_is_named_with_a_message(question, answer):
    problems = answer_problems(DEFINITION, {question: answer})
    assert list(problems) == [question] and problems[question][0]


def test_an_answer_to_a_question_that_does_not_exist_is_refused():
    assert "favourite_colour" in answer_problems(DEFINITION, {"favourite_colour": "blue"})


def test_null_clears_an_answer_and_is_always_acceptable():
    assert answer_problems(DEFINITION, {"pu_days_per_week": None}) == {}


def test_required_questions_without_an_answer_are_listed_and_optional_ones_are_not():
    missing = unanswered(DEFINITION, {"pu_current_use": "never_fitted", "mob_walking_aids": []})
    assert "pu_current_use" not in missing
    assert "mob_walking_aids" in missing
    assert "prob_other" not in missing


def test_a_definition_with_a_repeated_question_id_is_refused():
    question = {"id": "q1", "text": "?", "type": "boolean"}
    raw = {"id": "x", "version": 1, "title": "t",
           "sections": [{"id": "s", "title": "s", "questions": [question, question]}]}
    with pytest.raises(DefinitionError):
        parse(raw)


def test_a_choice_without_options_or_a_number_without_bounds_is_refused():
    for question in ({"id": "q", "text": "?", "type": "single_choice"},
                     {"id": "q", "text": "?", "type": "scale", "min": 1},
                     {"id": "q", "text": "?", "type": "colour"}):
        raw = {"id": "x", "version": 1, "title": "t", "sections": [{"id": "s", "title": "s",
                                                                     "questions": [question]}]}
        with pytest.raises(DefinitionError):
            parse(raw)


def test_an_unknown_questionnaire_version_is_an_error():
    with pytest.raises(DefinitionError):
        questionnaires.load("prosthesis-use", 99)


def test_every_choice_says_each_option_in_plain_words_and_a_label_names_a_real_option():
    for question in DEFINITION.questions.values():
        if question.options:
            assert len(question.option_labels) == len(question.options)
            pairs = zip(question.option_labels, question.options, strict=True)
            assert all(label != code for label, code in pairs)
    odd = {"id": "q", "text": "?", "type": "single_choice", "options": ["a"], "option_labels": {"b": "B"}}
    with pytest.raises(DefinitionError):
        parse({"id": "x", "version": 1, "title": "t",
               "sections": [{"id": "s", "title": "s", "questions": [odd]}]})
