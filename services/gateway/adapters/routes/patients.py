"""Find a patient: by name, email, date of birth or journey id, for the roles that may see who a patient is.

Enquiries (which alone holds names) finds them; the journey says where each one is, asked once for the
page; the access log keeps the search with what was searched for, and a read of each patient shown."""
from nameko.exceptions import RemoteError

from services.gateway.adapters.errors import MalformedRequest
from services.gateway.adapters.routing import route
from services.gateway.domain.roles import NAME_READERS
from services.gateway.handlers import access_log
from shared.contracts.api.enquiries.search import PatientSearchAnswer, PatientSearchQuery
from shared.errors import parse_message
from shared.i18n import N_


def find_patients(service, q: str, page: int, per_page: int) -> dict:
    """The page of people `q` finds, each with its journey's stage; a query that cannot be searched
    for (empty, too short or long, an impossible date) is a bad request, in enquiries' own words."""
    try:
        found = service.enquiries_rpc.search_patients(q, per_page, (page - 1) * per_page)
    except RemoteError as exc:
        if exc.exc_type != "Invalid":
            raise
        raise MalformedRequest(parse_message(exc.value).get("message") or "this search cannot be read") \
            from None
    ids = [item["journey_id"] for item in found["items"]]
    stages = {item["journey_id"]: item["stage"] for item in service.journey_rpc.stages(ids)} if ids else {}
    return {"items": [dict(item, stage=stages.get(item["journey_id"])) for item in found["items"]],
            "total": found["total"], "page": page, "per_page": per_page}


def log_search(service, principal, request, q: str, answer: dict, action: str) -> None:
    access_log.record_search(service.uow, principal=principal, query=q, action=action,
                             journey_ids=[item["journey_id"] for item in answer["items"]],
                             method=request.method, path=request.path)


@route("GET", "/patients", roles=NAME_READERS, tag="enquiries", query=PatientSearchQuery,
       response=PatientSearchAnswer, patient_param=None,
       summary="Find a patient by name, email, date of birth or journey id",
       responses={400: "Nothing to search for, too short or too long, or not a date"},
       action=N_("list patients found by name, email or date of birth"))
def search_patients(ctx):
    q = ctx.query
    answer = find_patients(ctx.service, q["q"], q["page"], q["per_page"])
    log_search(ctx.service, ctx.principal, ctx.request, q["q"], answer, "search_patients")
    return answer
