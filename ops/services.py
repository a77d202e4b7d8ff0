"""Every process of the system, as the run command and the tests start them."""
from dataclasses import dataclass


@dataclass(frozen=True)
class ServiceSpec:
    name: str          # the nameko service name (also its DATABASES key)
    path: str          # module:Class for `nameko run`
    port: int          # its HTTP port (the gateway's is the public API)


SERVICES = (
    ServiceSpec("gateway", "services.gateway.service:GatewayService", 8000),
    ServiceSpec("enquiries", "services.enquiries.service:EnquiriesService", 8001),
    ServiceSpec("payments", "services.payments.service:PaymentsService", 8002),
    ServiceSpec("surgery", "services.surgery.service:SurgeryService", 8003),
    ServiceSpec("rehabilitation", "services.rehabilitation.service:RehabilitationService", 8004),
    ServiceSpec("travel", "services.travel.service:TravelService", 8005),
    ServiceSpec("followup", "services.followup.service:FollowupService", 8006),
    ServiceSpec("journey", "services.journey.service:JourneyService", 8007),
    ServiceSpec("notifications", "services.notifications.service:NotificationsService", 8008),
)


@dataclass(frozen=True)
class SandboxSpec:
    name: str
    module: str        # run as `python -m <module> --port <port> --gateway <url>`
    port: int


SANDBOXES = (
    SandboxSpec("payment-provider", "sandboxes.payment_provider", 8101),
    SandboxSpec("travel-agency", "sandboxes.travel_agency", 8102),
)

# The local SMTP sink (run as `python -m ops.mail_sink --port <port> --dir <NOTIFICATIONS_MAIL_DIR>`):
# started beside the services when the notifications relay is the local one (the default).
MAIL_SINK = SandboxSpec("mail-sink", "ops.mail_sink", 8025)
