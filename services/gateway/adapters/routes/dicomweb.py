"""DICOMweb STOW-RS for the radiology clinics in the patients' countries: POST /api/dicomweb/studies.

A clinic registered by an administrator (POST /api/followup/senders) sends its token as
`Authorization: Bearer <token>`; follow-up checks it (it keeps only its hash) and files each
instance on the journey its AccessionNumber names. No staff or patient token is accepted here.
The answer is the standard's: DICOM JSON listing the instances stored (00081199) and failed
(00081198, each with its `reason` in a sentence), 200 when all were stored, 202 when
some failed, 409 when none was stored.
"""
import base64
from email.parser import BytesParser
from email.policy import HTTP

from marshmallow import Schema, fields

from services.gateway.adapters.routing import route
from services.gateway.domain.roles import PUBLIC
from shared.errors import Invalid, Unauthorized

STOW_CEILING = 40 * 1024 * 1024
DICOM = "application/dicom"


class StowResponse(Schema):
    """PS3.18 Store Instances Response Module, as DICOM JSON (tags as keys)."""
    referenced = fields.Raw(data_key="00081199", metadata={"description": "ReferencedSOPSequence"})
    failed = fields.Raw(data_key="00081198", metadata={"description": "FailedSOPSequence"})


@route("POST", "/dicomweb/studies", roles=PUBLIC, tag="followup", patient_param=None, raw_body=True,
       max_body=STOW_CEILING, body_name="request", response=StowResponse, idempotent=False,
       rate_limit=(120, 60.0),
       summary="Store DICOM instances (STOW-RS) from a registered radiology clinic",
       responses={202: "some instances were not stored (each listed with why)",
                  401: "no registered clinic's token", 403: "the clinic's credentials were withdrawn",
                  409: "no instance was stored"})
def store_studies(ctx):
    token = _bearer(ctx.request.headers.get("Authorization"))
    parts = _instances(ctx.request.headers.get("Content-Type", ""), ctx.body)
    result = ctx.rpc("followup").receive_studies(
        token, [base64.b64encode(part).decode("ascii") for part in parts])
    status = 200 if not result["failed"] else (202 if result["stored"] else 409)
    return status, {
        "00081199": {"vr": "SQ", "Value": [{"00081155": {"vr": "UI", "Value": [i["sop_instance_uid"]]}}
                                             for i in result["stored"]]},
        "00081198": {"vr": "SQ", "Value": [{"00081155": {"vr": "UI", "Value": [i["sop_instance_uid"] or ""]},
                                          "00081197": {"vr": "US", "Value": [0xC000]},
                                          "reason": i["reason"]} for i in result["failed"]]}}


def _bearer(header: str | None) -> str:
    scheme, _, token = (header or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("send the sending clinic's token as Authorization: Bearer <token>")
    return token.strip()[:200]


def _instances(content_type: str, body: bytes) -> list[bytes]:
    """The application/dicom parts of a multipart/related body (or a single application/dicom body)."""
    kind = content_type.split(";")[0].strip().lower()
    if kind == DICOM:
        return [body]
    if kind != "multipart/related":
        raise Invalid("send multipart/related; type=\"application/dicom\" (STOW-RS)")
    message = BytesParser(policy=HTTP).parsebytes(
        b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + body)
    parts = [part.get_payload(decode=True) for part in message.iter_parts()
             if part.get_content_type() == DICOM] if message.is_multipart() else []
    if not parts:
        raise Invalid("the request holds no application/dicom part")
    return parts
