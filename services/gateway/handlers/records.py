"""What the gateway gathers from several services for one patient's record."""
import logging

from nameko.exceptions import RemoteError, UnknownService

log = logging.getLogger(__name__)


def personal_details(service, journey_id: str) -> dict:
    """Name and contact details from enquiries, for the FHIR Patient, and the questionnaire the patient
    submitted; none if it cannot say."""
    try:
        enquiry = service.enquiries_rpc.get_enquiry(journey_id)
    except (RemoteError, UnknownService) as exc:
        log.warning("exporting without personal details", extra={"journey_id": journey_id,
                                                                 "status": type(exc).__name__})
        return {}
    details = {key: enquiry.get(key) for key in ("name", "email", "phone", "date_of_birth")}
    try:
        shown = service.enquiries_rpc.show_questionnaire(journey_id)
    except RemoteError:   # none opened (a brochure enquiry, or one not yet in screening)
        return details
    return {**details, "questionnaire": shown if shown.get("status") == "submitted" else None}
