"""The treatment invoice and the payments received against it."""
from decimal import Decimal

from services.journey.domain.record import Record

_CLINIC = {"display": "Osseointegration clinic"}


def _eur(cents: int) -> dict:
    return {"value": Decimal(cents) / 100, "currency": "EUR"}


def _terms(i: dict) -> str:
    terms = f"Deposit {i['deposit_cents'] / 100:.2f} EUR due {i['deposit_due'].isoformat()}"
    return terms + (f"; balance due {i['balance_due'].isoformat()}" if i.get("balance_due") else "")


def invoice(b, r: Record, subject: dict) -> None:
    if not r.invoice:
        return
    i = r.invoice
    b.add({"resourceType": "Invoice", "status": "balanced" if r.paid_in_full else "issued",
           "identifier": [{"system": "urn:carepath:invoice", "value": i["invoice_id"]}],
           "subject": subject, "recipient": subject, "date": i["at"].isoformat(), "issuer": _CLINIC,
           "totalNet": _eur(i["total_cents"]), "totalGross": _eur(i["total_cents"]),
           "paymentTerms": _terms(i)},
          "invoice", i["invoice_id"])


def payment_notices(b, r: Record, subject: dict) -> None:
    """One notice per payment milestone (deposit reached, paid in full)."""
    for number, payment in enumerate(p for p in r.payments if p["kind"] in ("deposit", "paid_in_full")):
        b.add({"resourceType": "PaymentNotice", "status": "active", "created": payment["at"].isoformat(),
               "payment": {"identifier": {"system": "urn:carepath:invoice", "value": payment["invoice_id"]},
                           "display": "deposit" if payment["kind"] == "deposit" else "paid in full"},
               "recipient": _CLINIC, "amount": _eur(payment["cents"]),
               "paymentDate": payment["at"].date().isoformat()}, "payment", str(number))
