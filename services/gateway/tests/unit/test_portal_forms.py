"""The portal's forms read what the patient typed as the services' contracts take it, and show every
question type of a questionnaire with a label, in the patient's language."""
from werkzeug.datastructures import MultiDict

from services.gateway.adapters.pages.portal_problems import read_report
from services.gateway.adapters.pages.portal_questionnaire import read_answers
from services.gateway.adapters.ui import environment

QUESTIONS = [
    {"id": "use", "type": "single_choice", "options": ["yes", "no"]},
    {"id": "aids", "type": "multi_choice", "options": ["stick", "frame"]},
    {"id": "days", "type": "integer", "min": 0, "max": 7},
    {"id": "stairs", "type": "scale", "min": 1, "max": 5},
    {"id": "falls", "type": "boolean"},
    {"id": "other", "type": "text", "max_length": 10},
]


def test_each_question_type_is_read_as_its_answer_and_an_empty_field_clears_a_saved_one():
    form = MultiDict([("use", "yes"), ("aids", "stick"), ("aids", "frame"), ("days", " 6 "), ("stairs", "3"),
                      ("falls", "no"), ("other", "")])
    assert read_answers(QUESTIONS, form) == {"use": "yes", "aids": ["stick", "frame"], "days": 6, "stairs": 3,
                                             "falls": False, "other": None}
    assert read_answers(QUESTIONS, MultiDict())["aids"] is None


def test_what_is_not_a_number_is_passed_on_for_the_service_to_name_beside_its_question():
    answers = read_answers(QUESTIONS, MultiDict([("days", "six"), ("other", "x" * 11)]))
    assert answers["days"] == "six" and answers["other"] == "x" * 11


def test_a_problem_report_reads_an_empty_field_as_not_given():
    assert read_report(MultiDict([("problem", "pain"), ("pain_score", ""), ("symptoms", "fever")])) == {
        "problem": "pain", "symptoms": ["fever"], "pain_score": None, "started_on": None, "note": None}


def test_every_question_type_of_a_part_is_shown_with_its_label_and_in_dutch():
    section = {"id": "s", "title": "Getting around", "questions": [
        {"id": "use", "text": "Do you use a leg prosthesis at the moment?", "type": "single_choice",
         "options": ["yes_daily"], "option_labels": ["Yes, every day"], "required": True, "labels": []},
        {"id": "aids", "text": "Which walking aids do you use? Choose all that apply.",
         "type": "multi_choice", "options": ["one_stick"], "option_labels": ["One stick"], "required": True,
         "labels": []},
        {"id": "days", "text": "On how many days in a normal week do you wear your prosthesis?",
         "type": "integer", "min": 0, "max": 7, "required": True, "labels": []},
        {"id": "stairs", "text": "How hard is it for you to walk up and down stairs?", "type": "scale",
         "min": 1, "max": 5, "labels": ["not hard at all", "impossible"], "required": True},
        {"id": "falls", "text": "Have you fallen in the past twelve months?", "type": "boolean",
         "required": True, "labels": []},
        {"id": "other", "text": "What do you hope to be able to do after an osseointegration treatment?",
         "type": "text", "max_length": 2000, "required": False, "labels": []}]}
    html = environment("nl").get_template("portal_questionnaire_section.html").render(
        csrf_token="t", csp_nonce="n", idempotency_key="k", lang="nl", section=section,
        answers={"days": 9}, problems={"days": ["must be from 0 to 7"]}, position=2, total=4, last=False,
        saved=False)
    for shown in ('type="radio" name="use"', 'type="checkbox" name="aids"', 'type="number" id="days"',
                  'name="stairs" value="5"', 'name="falls" value="yes"', '<textarea id="other"',
                  '<label for="days">', "Ja, elke dag", "Eén stok", "helemaal niet moeilijk",
                  "Geef een heel getal van 0 tot en met 7.", 'aria-describedby="days-error"', "Deel 2 van 4"):
        assert shown in html, shown
