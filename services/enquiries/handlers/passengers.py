"""The passenger's identity as on the passport: what travel books with, recorded by staff.

The travel service asks for it over RPC at booking time (never through an
event: `passenger_identity_recorded` carries ids only). It is erased with the
rest of an enquirer's personal data (handlers/erasure.py).
"""
from services.enquiries.handlers.common import enquiry_for
from shared.contracts.enquiries import PassengerIdentityRecorded
from shared.errors import Conflict

FIELDS = {"given_names": "passport_given_names", "surname": "passport_surname",
          "date_of_birth": "date_of_birth", "nationality": "nationality"}


def passenger_identity(uow, journey_id: str) -> dict:
    """given_names, surname, date_of_birth, nationality; NotFound or Conflict if not recorded."""
    with uow:
        enquiry = enquiry_for(uow, journey_id)
        identity = {name: getattr(enquiry, column) for name, column in FIELDS.items()}
        missing = [name for name, value in identity.items() if not value]
        if missing:
            raise Conflict(f"the passenger's {', '.join(missing)} are not recorded", missing=missing)
        return identity


def record_passenger_identity(uow, journey_id: str, data: dict) -> dict:
    """Record or correct the passenger's identity; announced (ids only) so travel books on."""
    with uow:
        enquiry = enquiry_for(uow, journey_id, lock=True)
        if enquiry.erased_at is not None:
            raise Conflict("this enquirer's personal data has been erased")
        enquiry.passport_given_names = data["given_names"].strip()
        enquiry.passport_surname = data["surname"].strip()
        enquiry.nationality = data["nationality"]
        if data.get("date_of_birth"):
            enquiry.date_of_birth = data["date_of_birth"]
        uow.emit(PassengerIdentityRecorded, {"enquiry_id": enquiry.id}, enquiry.journey_id)
        # No identity in the answer: the gateway and this service keep a command's answer for replay.
        return {"journey_id": enquiry.journey_id, "recorded": True}
