"""Staff finding a patient (by name, email, date of birth or journey id), and the names beside a list
of journeys. Reads only; what was searched for is the gateway's access log's, never logged here."""
from sqlalchemy import and_, func, or_, select

from services.enquiries.domain import search
from services.enquiries.models import Enquiry
from shared.errors import Invalid

FOUND = (Enquiry.journey_id, Enquiry.name, Enquiry.date_of_birth, Enquiry.country, Enquiry.kind,
         Enquiry.received_at)
ITEM = tuple(column.key for column in FOUND)


def search_patients(uow, text: str, limit: int, offset: int) -> dict:
    """The people the query finds, by name then journey, `limit` from `offset`, and how many in all."""
    try:
        query = search.read(text)
    except search.UnreadableQuery as exc:
        raise Invalid(str(exc), fields={"query": [str(exc)]}) from None
    where = (Enquiry.erased_at.is_(None), _matching(query))
    with uow:
        uow.one_statement()
        # One statement: the page, each row carrying how many match in all (a page past the last
        # counts them in a second).
        rows = uow.session.execute(select(*FOUND, func.count().over().label("total")).where(*where)
                                   .order_by(Enquiry.search_name, Enquiry.journey_id)
                                   .limit(limit).offset(offset)).all()
        total = rows[0].total if rows else (
            uow.session.scalar(select(func.count()).select_from(Enquiry).where(*where)) if offset else 0)
    return {"items": [{key: getattr(row, key) for key in ITEM} for row in rows], "total": total,
            "limit": limit, "offset": offset}


def names_for(uow, journey_ids: list[str]) -> list[dict]:
    """The name of each journey's person that enquiries still holds (none once erased)."""
    if not journey_ids:
        return []
    with uow:
        rows = uow.session.execute(select(Enquiry.journey_id, Enquiry.name)
                                   .where(Enquiry.journey_id.in_(journey_ids), Enquiry.erased_at.is_(None),
                                          Enquiry.name.is_not(None))).all()
    return [row._asdict() for row in rows]


def _matching(query: search.Query):
    if query.email:
        return Enquiry.search_email == query.email
    if query.date_of_birth:
        return Enquiry.date_of_birth == query.date_of_birth
    named = and_(*(Enquiry.search_name.like(f"%{_escaped(word)}%", escape="\\") for word in query.words))
    if not query.journey_prefix:
        return named
    return or_(named, Enquiry.journey_id.like(f"{_escaped(query.journey_prefix)}%", escape="\\"))


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
