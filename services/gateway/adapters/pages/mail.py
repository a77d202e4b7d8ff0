"""The local mailbox (a local run): what the SMTP sink received, each message as the patient sees
it. Administrators only; the messages are read over RPC from notifications, which reads the sink."""
from werkzeug.wrappers import Response

from services.gateway.adapters.ui import page
from services.gateway.domain.roles import ADMIN
from shared.i18n import N_


@page("mail", roles=ADMIN, action=N_("see the messages sent in this local run"))
def mailbox(ui):
    return ui.render("mail.html", entries=ui.service.notifications_rpc.mailbox(), message=None)


@page("mail/<string:name>", roles=ADMIN, action=N_("read a message sent in this local run"))
def mail_message(ui, name):
    message = ui.service.notifications_rpc.mailbox_message(name[:64])
    return ui.render("mail.html", entries=None, message=message)


@page("mail/<string:name>/html", roles=ADMIN, action=N_("see a message as the patient sees it"))
def mail_as_sent(ui, name):
    """The message's own HTML part (rendered from our templates, every value escaped), under the
    pages' Content-Security-Policy: nothing in it runs or loads."""
    message = ui.service.notifications_rpc.mailbox_message(name[:64])
    return Response(message["html"], content_type="text/html; charset=utf-8")
