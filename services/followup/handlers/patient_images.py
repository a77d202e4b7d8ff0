"""What the patient sent into their file and whether the specialist has reviewed it (their own list:
no header fields, no identity check, no outcome: the clinic tells them what it found)."""
from sqlalchemy import select

from services.followup.models import Image, ReviewTask


def sent_images(uow, s, journey_id: str) -> dict:
    """Every image of the journey, newest first, with its review's state; and the upload limit."""
    with uow:
        rows = uow.session.execute(
            select(Image, ReviewTask).outerjoin(ReviewTask, ReviewTask.image_id == Image.id)
            .where(Image.journey_id == journey_id).order_by(Image.uploaded_at.desc(), Image.id)).all()
        images = [{"id": image.id, "media_type": image.media_type, "size_bytes": image.size_bytes,
                   "body_part": image.body_part, "made_on": image.made_on, "uploaded_at": image.uploaded_at,
                   "uploaded_via": image.uploaded_via, "reviewed": task is not None and task.status == "done",
                   "reviewed_at": task.done_at if task is not None else None}
                  for image, task in rows]
        return {"journey_id": journey_id, "max_upload_bytes": s.max_upload_bytes, "images": images}
