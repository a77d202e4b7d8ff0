"""The hosted checkout page's few texts in the languages it speaks, as Stripe Checkout shows its page in
the session's `locale` (an IETF tag: "nl", "fr-CA"; blank or "auto": the browser's language). The sandbox is
an outside party: it keeps its own words and knows nothing of Carepath's catalogs. Anything else is English.
"""
DEFAULT = "en"
WORDS = {
    "en": {"provider": "Sandbox payment provider", "test_mode": "test mode: no real money moves",
           "open": "Pay", "complete": "Paid", "expired": "Checkout expired", "item": "Payment",
           "pay": "Pay {amount}", "decline": "Try a card that is declined", "cancel": "Cancel and go back",
           "paid": "This payment is complete.", "back": "Go back",
           "gone": "This checkout has expired; nothing was charged.",
           "declined": "Your card was declined. Nothing was charged; try again."},
    "nl": {"provider": "Sandbox-betaaldienst", "test_mode": "testmodus: er wordt geen echt geld overgemaakt",
           "open": "Betalen", "complete": "Betaald", "expired": "Betaalsessie verlopen", "item": "Betaling",
           "pay": "Betaal {amount}", "decline": "Probeer een kaart die wordt geweigerd",
           "cancel": "Annuleren en teruggaan", "paid": "Deze betaling is voltooid.", "back": "Teruggaan",
           "gone": "Deze betaalsessie is verlopen; er is niets afgeschreven.",
           "declined": "Uw kaart is geweigerd. Er is niets afgeschreven; probeer het opnieuw."},
    "de": {"provider": "Sandbox-Zahlungsdienst", "test_mode": "Testmodus: es fließt kein echtes Geld",
           "open": "Bezahlen", "complete": "Bezahlt", "expired": "Bezahlvorgang abgelaufen",
           "item": "Zahlung",
           "pay": "{amount} bezahlen", "decline": "Eine Karte versuchen, die abgelehnt wird",
           "cancel": "Abbrechen und zurück", "paid": "Diese Zahlung ist abgeschlossen.", "back": "Zurück",
           "gone": "Dieser Bezahlvorgang ist abgelaufen; es wurde nichts abgebucht.",
           "declined": "Ihre Karte wurde abgelehnt. Es wurde nichts abgebucht; versuchen Sie es erneut."},
    "fr": {"provider": "Prestataire de paiement de test",
           "test_mode": "mode test\u00a0: aucun argent réel n'est débité",
           "open": "Payer", "complete": "Payé", "expired": "Paiement expiré", "item": "Paiement",
           "pay": "Payer {amount}", "decline": "Essayer une carte refusée", "cancel": "Annuler et revenir",
           "paid": "Ce paiement est terminé.", "back": "Revenir",
           "gone": "Cette session de paiement a expiré\u00a0; rien n'a été débité.",
           "declined": "Votre carte a été refusée. Rien n'a été débité\u00a0; réessayez."},
    "es": {"provider": "Proveedor de pagos de prueba", "test_mode": "modo de prueba: no se mueve dinero real",
           "open": "Pagar", "complete": "Pagado", "expired": "Pago caducado", "item": "Pago",
           "pay": "Pagar {amount}", "decline": "Probar una tarjeta que se rechaza",
           "cancel": "Cancelar y volver",
           "paid": "Este pago se ha completado.", "back": "Volver",
           "gone": "Esta sesión de pago ha caducado; no se ha cobrado nada.",
           "declined": "Su tarjeta ha sido rechazada. No se ha cobrado nada; inténtelo de nuevo."},
}


def language(locale: str | None, accept_languages) -> str:
    """The page's language: the session's locale ("fr-CA" reads French), or for a blank or "auto" one the
    browser's best (werkzeug's Accept-Language); English for any other."""
    if not locale or locale.lower() == "auto":
        return accept_languages.best_match(list(WORDS), default=DEFAULT)
    primary = locale.replace("_", "-").split("-")[0].lower()
    return primary if primary in WORDS else DEFAULT
