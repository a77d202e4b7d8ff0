"""The follow-up record: plan and check-ups, images with provenance, reviews, escalations, guidance."""
from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.tables import add_kernel_tables


class Base(DeclarativeBase):
    pass


kernel = add_kernel_tables(Base.metadata)
Id = String(36)


class Patient(Base):
    """What follow-up learned about a journey from other stages, and the patient's preferences."""
    __tablename__ = "patients"
    journey_id: Mapped[str] = mapped_column(Id, primary_key=True)
    enquiry_id: Mapped[str | None] = mapped_column(String(36))
    country: Mapped[str | None] = mapped_column(String(60))
    language: Mapped[str | None] = mapped_column(String(20))
    surgery_date: Mapped[date | None] = mapped_column(Date)
    rehab_completed_on: Mapped[date | None] = mapped_column(Date)
    channel: Mapped[str | None] = mapped_column(String(20))
    video_app: Mapped[str | None] = mapped_column(String(20))
    time_zone: Mapped[str | None] = mapped_column(String(60))


class PatientReference(Base):
    """An identifier the patient's images may carry (e.g. their hospital's patient id at home)."""
    __tablename__ = "patient_references"
    __table_args__ = (UniqueConstraint("journey_id", "kind", "value"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    journey_id: Mapped[str] = mapped_column(Id, index=True)
    kind: Mapped[str] = mapped_column(String(20))           # patient_id | patient_name
    value: Mapped[str] = mapped_column(String(120))


class Plan(Base):
    __tablename__ = "plans"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    journey_id: Mapped[str] = mapped_column(Id, unique=True)
    surgery_date: Mapped[date] = mapped_column(Date)
    time_zone: Mapped[str] = mapped_column(String(60))
    time_zone_assumed: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Checkup(Base):
    __tablename__ = "checkups"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    plan_id: Mapped[str] = mapped_column(ForeignKey("plans.id"), index=True)
    journey_id: Mapped[str] = mapped_column(Id, index=True)
    label: Mapped[str] = mapped_column(String(40))
    due_on: Mapped[date] = mapped_column(Date)
    channel: Mapped[str] = mapped_column(String(20))
    video_app: Mapped[str | None] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default="planned")
    misses: Mapped[int] = mapped_column(Integer, default=0)
    flagged: Mapped[bool] = mapped_column(default=False)
    rebooked_from: Mapped[str | None] = mapped_column(Id)
    completed_on: Mapped[date | None] = mapped_column(Date)
    recorded_by: Mapped[str | None] = mapped_column(String(120))
    reason_code: Mapped[str | None] = mapped_column(String(60))
    stoma_condition: Mapped[str | None] = mapped_column(String(30))
    pain_score: Mapped[int | None] = mapped_column(Integer)
    infection_signs: Mapped[bool | None] = mapped_column()
    activity_level: Mapped[str | None] = mapped_column(String(20))
    implant_stability: Mapped[str | None] = mapped_column(String(20))
    # Set by a "watch" assessment: what this check-up looks at again (the image and its body part).
    focus_body_part: Mapped[str | None] = mapped_column(String(60))
    focus_image_id: Mapped[str | None] = mapped_column(Id)


class Image(Base):
    """An image in the patient file: a reference to the file store, with its provenance."""
    __tablename__ = "images"
    __table_args__ = (UniqueConstraint("journey_id", "sha256"),)
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    journey_id: Mapped[str] = mapped_column(Id, index=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    media_type: Mapped[str] = mapped_column(String(40))
    size_bytes: Mapped[int] = mapped_column(Integer)
    body_part: Mapped[str] = mapped_column(String(60))
    made_where: Mapped[str] = mapped_column(String(120))
    made_on: Mapped[date | None] = mapped_column(Date)
    checkup_id: Mapped[str | None] = mapped_column(Id)
    uploaded_by: Mapped[str] = mapped_column(String(120))
    uploaded_via: Mapped[str] = mapped_column(String(20))   # patient_link | staff
    uploaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    identity: Mapped[str] = mapped_column(String(20))       # domain.identity statuses
    # Where the image store keeps it (adapters/imagestore.py); None: the file store, by sha256.
    location: Mapped[str | None] = mapped_column(String(220))


class ReviewTask(Base):
    __tablename__ = "review_tasks"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    journey_id: Mapped[str] = mapped_column(Id, index=True)
    image_id: Mapped[str] = mapped_column(ForeignKey("images.id"), unique=True)
    due_on: Mapped[date] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(20), default="open")
    done_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Assessment(Base):
    __tablename__ = "assessments"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    journey_id: Mapped[str] = mapped_column(Id, index=True)
    subject: Mapped[str] = mapped_column(String(20))        # image | checkup
    subject_id: Mapped[str] = mapped_column(Id)
    outcome: Mapped[str] = mapped_column(String(20))
    assessed_by: Mapped[str] = mapped_column(String(120))
    assessed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Escalation(Base):
    """A complication the clinic must act on by `act_by`."""
    __tablename__ = "escalations"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    journey_id: Mapped[str] = mapped_column(Id, index=True)
    # An assessment's concern, or a problem the patient reported (one of the two).
    assessment_id: Mapped[str | None] = mapped_column(ForeignKey("assessments.id"))
    report_id: Mapped[str | None] = mapped_column(ForeignKey("problem_reports.id"))
    kind: Mapped[str] = mapped_column(String(30))
    act_by: Mapped[date] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(20), default="open")
    action_code: Mapped[str | None] = mapped_column(String(60))
    resolved_by: Mapped[str | None] = mapped_column(String(120))
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ProblemReport(Base):
    """A problem the patient reported from home (the portal): what and since when, the signs asked
    about, and what they were told to do; the note stays here, never in an event."""
    __tablename__ = "problem_reports"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    journey_id: Mapped[str] = mapped_column(Id, index=True)
    problem: Mapped[str] = mapped_column(String(30))
    symptoms: Mapped[str] = mapped_column(String(200))      # codes, comma-separated
    pain_score: Mapped[int | None] = mapped_column(Integer)
    started_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    urgent: Mapped[bool] = mapped_column(default=False)
    advice: Mapped[str] = mapped_column(String(30))
    reported_by: Mapped[str] = mapped_column(String(120))
    reported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Guidance(Base):
    __tablename__ = "guidance"
    __table_args__ = (UniqueConstraint("journey_id", "activity"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    journey_id: Mapped[str] = mapped_column(Id, index=True)
    activity: Mapped[str] = mapped_column(String(60))
    advice: Mapped[str] = mapped_column(String(20))
    not_before: Mapped[date | None] = mapped_column(Date)
    set_by: Mapped[str] = mapped_column(String(120))        # "clinic rules" or a staff id


class ImageSender(Base):
    """A radiology clinic registered to send studies over DICOMweb; its token is kept hashed."""
    __tablename__ = "image_senders"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    institution: Mapped[str] = mapped_column(String(120))
    token_sha256: Mapped[str] = mapped_column(String(64))
    registered_by: Mapped[str] = mapped_column(String(120))
    registered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    active: Mapped[bool] = mapped_column(default=True)


class CheckupMoveRequest(Base):
    """A patient's request to move a check-up (from the portal), for the follow-up staff."""
    __tablename__ = "checkup_move_requests"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    journey_id: Mapped[str] = mapped_column(Id, index=True)
    checkup_id: Mapped[str] = mapped_column(ForeignKey("checkups.id"), unique=True)
    reason: Mapped[str] = mapped_column(String(30))
    preferred: Mapped[str | None] = mapped_column(String(200))   # "any Tuesday morning", in their words
    requested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
