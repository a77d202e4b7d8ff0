"""The enquiries database: the only place an enquirer's personal data is kept."""
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from services.enquiries.domain.search import search_text
from shared.tables import BigId, add_kernel_tables


class Base(DeclarativeBase):
    pass


kernel = add_kernel_tables(Base.metadata)


class Enquiry(Base):
    """One enquiry from the public form; `journey_id` follows the person through every stage."""
    __tablename__ = "enquiries"
    __table_args__ = (UniqueConstraint("fingerprint", "dedupe_bucket", name="uq_enquiries_resubmission"),
                      # Names are found by any part of them: a trigram index on PostgreSQL (migration 0006),
                      # updated by each write rather than through a pending list every search reads (0008).
                      Index("ix_enquiries_search_name", "search_name", postgresql_using="gin",
                            postgresql_ops={"search_name": "gin_trgm_ops"},
                            postgresql_with={"fastupdate": "off"}),
                      # A journey id by its first characters (LIKE 'ab12%'), in any collation (0008).
                      Index("ix_enquiries_journey_id_prefix", "journey_id",
                            postgresql_ops={"journey_id": "varchar_pattern_ops"}))
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    journey_id: Mapped[str] = mapped_column(String(36), unique=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    fingerprint: Mapped[str | None] = mapped_column(String(64))
    dedupe_bucket: Mapped[int | None] = mapped_column(Integer)
    # Personal data: erased on request unless the enquirer became a patient.
    name: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    date_of_birth: Mapped[date | None] = mapped_column(Date, index=True)
    prosthesis_complaints: Mapped[str | None] = mapped_column(Text)
    other_conditions: Mapped[str | None] = mapped_column(Text)
    # The passenger's identity as on the passport, for the travel agency (asked over RPC at booking).
    passport_given_names: Mapped[str | None] = mapped_column(String(200))
    passport_surname: Mapped[str | None] = mapped_column(String(200))
    nationality: Mapped[str | None] = mapped_column(String(2))
    erased_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # How staff find the person (domain/search.py), kept in step with the names and email on every write.
    search_name: Mapped[str | None] = mapped_column(String(600))
    search_email: Mapped[str | None] = mapped_column(String(254), index=True)
    # Facts the stages after this one need, and the consent given.
    country: Mapped[str] = mapped_column(String(2))
    preferred_language: Mapped[str] = mapped_column(String(8))
    amputation_level: Mapped[str | None] = mapped_column(String(30))
    amputation_side: Mapped[str | None] = mapped_column(String(5))
    years_since_amputation: Mapped[int | None] = mapped_column(Integer)
    smoking_status: Mapped[str | None] = mapped_column(String(10))
    smoking_stopped_on: Mapped[date | None] = mapped_column(Date)
    diabetes: Mapped[bool | None]
    circulatory_disease: Mapped[bool | None]
    body_weight_kg: Mapped[Decimal | None] = mapped_column(Numeric(5, 1))
    preferred_date: Mapped[date | None] = mapped_column(Date)
    privacy_consent: Mapped[bool] = mapped_column(default=False)
    health_data_consent: Mapped[bool] = mapped_column(default=False)
    marketing_consent: Mapped[bool] = mapped_column(default=False)
    # The screening decision.
    decision: Mapped[str | None] = mapped_column(String(10))
    decision_reasons: Mapped[list | None] = mapped_column(JSON)
    decision_note: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[str | None] = mapped_column(String(120))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # A second opinion's closing outcome, and the suitability journey it may have opened;
    # a suitability enquiry opened that way names the second opinion's journey it came from.
    second_opinion_outcome: Mapped[str | None] = mapped_column(String(30))
    second_opinion_note: Mapped[str | None] = mapped_column(Text)
    concluded_by: Mapped[str | None] = mapped_column(String(120))
    concluded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    suitability_journey_id: Mapped[str | None] = mapped_column(String(36))
    opened_from_journey_id: Mapped[str | None] = mapped_column(String(36), index=True)


@event.listens_for(Enquiry, "before_insert")
@event.listens_for(Enquiry, "before_update")
def _searchable(mapper, connection, enquiry: Enquiry) -> None:
    """The search columns follow the names and email they are made of (an erasure empties them too)."""
    enquiry.search_name = search_text(enquiry.name, enquiry.passport_given_names, enquiry.passport_surname)
    enquiry.search_email = enquiry.email.lower() if enquiry.email else None


class Prescreen(Base):
    """One pre-screen outcome: automatic, a re-screen, or a staff override (the latest applies)."""
    __tablename__ = "prescreens"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    enquiry_id: Mapped[str] = mapped_column(ForeignKey("enquiries.id"), index=True)
    outcome: Mapped[str] = mapped_column(String(20))
    rules_fired: Mapped[list] = mapped_column(JSON)
    rule_set_version: Mapped[str] = mapped_column(String(40))
    earliest_surgery_date: Mapped[date | None] = mapped_column(Date)
    overridden: Mapped[bool] = mapped_column(default=False)
    reason: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[str] = mapped_column(String(120))
    decided_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)   # My work's reviews


class ScreeningStep(Base):
    __tablename__ = "screening_steps"
    __table_args__ = (UniqueConstraint("enquiry_id", "step"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    enquiry_id: Mapped[str] = mapped_column(ForeignKey("enquiries.id"), index=True)
    step: Mapped[str] = mapped_column(String(40))
    state: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str | None] = mapped_column(Text)
    done_by: Mapped[str] = mapped_column(String(120))
    done_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Appointment(Base):
    __tablename__ = "appointments"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    enquiry_id: Mapped[str] = mapped_column(ForeignKey("enquiries.id"), index=True)
    step: Mapped[str] = mapped_column(String(40))
    examination: Mapped[str | None] = mapped_column(String(20))
    scheduled_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    channel: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(10))
    planned_by: Mapped[str] = mapped_column(String(120))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class QuestionnaireResponse(Base):
    """The patient's answers, saved as they go, tied to the questionnaire version they saw."""
    __tablename__ = "questionnaire_responses"
    enquiry_id: Mapped[str] = mapped_column(ForeignKey("enquiries.id"), primary_key=True)
    questionnaire_id: Mapped[str] = mapped_column(String(60))
    questionnaire_version: Mapped[int] = mapped_column(Integer)
    answers: Mapped[dict | None] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(10))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Consent(Base):
    """One consent as given: what for, the version and language of the text agreed to, when, and
    through which form; withdrawn when and how. The booleans on the enquiry follow it."""
    __tablename__ = "consents"
    __table_args__ = (UniqueConstraint("enquiry_id", "purpose"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    enquiry_id: Mapped[str] = mapped_column(ForeignKey("enquiries.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(20))            # privacy | health_data | marketing
    text_version: Mapped[str] = mapped_column(String(40))
    language: Mapped[str] = mapped_column(String(8))
    channel: Mapped[str] = mapped_column(String(20))            # web_form | patient_portal | staff
    given_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    withdrawn_via: Mapped[str | None] = mapped_column(String(20))


class SecondOpinionAppointment(Base):
    """A second-opinion appointment at the partner clinic: booked, then held or missed (or cancelled)."""
    __tablename__ = "second_opinion_appointments"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    enquiry_id: Mapped[str] = mapped_column(ForeignKey("enquiries.id"), index=True)
    scheduled_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    place: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(10))
    booked_by: Mapped[str] = mapped_column(String(120))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
