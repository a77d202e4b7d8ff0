"""What the gateway gathers from several services for one patient's record."""
import logging

from nameko.exceptions import RemoteError, UnknownService

log = logging.getLogger(__name__)


def personal_details(service, journey_id: str) -> dict:
    """Name and contact details from enquiries, for the FHIR Patient; none if it cannot say."""
    try:
        enquiry = service.enquiries_rpc.get_enquiry(journey_id)
    except (RemoteError, UnknownService) as exc:
        log.warning("exporting without personal details", extra={"journey_id": journey_id,
                                                                 "status": type(exc).__name__})
        return {}
    return {key: enquiry.get(key) for key in ("name", "email", "phone", "date_of_birth")}
