"""My work as JSON: the same items as /ui/work, for the signed-in role. Every journey listed is a read of
its record in the access log, written in one insert."""
from services.gateway.adapters.routing import route
from services.gateway.domain.roles import ALL_STAFF
from services.gateway.handlers import access_log, work
from shared.contracts.api.work import WorkInboxView
from shared.i18n import N_


@route("GET", "/work", roles=ALL_STAFF, tag="work", response=WorkInboxView, patient_param=None,
       summary="What waits for your role across the services, one section per kind, overdue first, then "
               "the oldest; a section whose service cannot be asked just now says so (available: false)",
       action=N_("see the work waiting for a staff role"))
def my_work(ctx):
    shown = work.inbox(ctx.service, ctx.principal.role)
    access_log.record_reads(ctx.service.uow, principal=ctx.principal, journey_ids=shown["journey_ids"],
                            action="my_work", method=ctx.request.method, path=ctx.request.path,
                            detail="with names" if shown["names_shown"] else None)
    return shown
