"""Staff roles (JOURNEY.md, "Across the journey") and the patient's own link."""
INTAKE = "intake_coordinator"
PSYCHOLOGIST = "psychologist"
SPECIALIST = "specialist"
PLANNER = "planner"
FINANCE = "finance"
TRAVEL_DESK = "travel_desk"
PHYSIOTHERAPIST = "physiotherapist"
ADMIN = "administrator"

STAFF_ROLES = (INTAKE, PSYCHOLOGIST, SPECIALIST, PLANNER, FINANCE, TRAVEL_DESK,
               PHYSIOTHERAPIST, ADMIN)
ALL_STAFF = frozenset(STAFF_ROLES)
# Who may see who a patient is (name, date of birth, email): the roles that read an enquiry in full.
# The others work from journey ids (the travel desk reads a passenger's passport name per journey).
NAME_READERS = frozenset({INTAKE, PSYCHOLOGIST, SPECIALIST, ADMIN})

# A patient holding a personal link: may act only on their own journey.
PATIENT = "patient"

# Who a role is, in a sentence ("A physiotherapist may not ..."; "Finance staff may not ...").
ROLE_NOUNS = {INTAKE: "an intake coordinator", PSYCHOLOGIST: "a psychologist", SPECIALIST: "a specialist",
              PLANNER: "a planner", FINANCE: "finance staff", TRAVEL_DESK: "the travel desk",
              PHYSIOTHERAPIST: "a physiotherapist", ADMIN: "an administrator", PATIENT: "a patient"}


def refusal(role: str, action: str) -> str:
    """The sentence a caller whose role may not `action` is told: "A planner may not read an invoice."."""
    who = ROLE_NOUNS.get(role, f"the role {role.replace('_', ' ')}")
    return f"{who[:1].upper()}{who[1:]} may not {action or 'do this'}."
# No login at all (the public enquiry form, signed provider webhooks).
PUBLIC = "public"
