"""The sandbox's hosted checkout page (Stripe Checkout's, in plain HTML): pay, decline, or go back.

    GET  /c/pay/<session>          the page: what is paid for, the amount, the choices
    POST /c/pay/<session>/pay      the payment succeeds; webhooks go out; 303 to the success_url
    POST /c/pay/<session>/decline  the card is declined (payment_intent.payment_failed); the page again

"Cancel" is a link to the session's cancel_url, as Stripe's back arrow is: nothing is charged
and the session stays open until it expires. The page speaks the session's `locale` (words.py), as
Stripe Checkout does, with `lang` set; English for a language it does not have.
"""
from jinja2 import Environment
from markupsafe import escape
from werkzeug.utils import redirect
from werkzeug.wrappers import Request, Response

from sandboxes.payment_provider.ledger import SandboxError
from sandboxes.payment_provider.words import WORDS, language

PAGE = Environment(autoescape=True).from_string("""<!doctype html>
<html lang="{{ lang }}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ t[session.status] }} - {{ t.provider }}</title>
<style>
 body { font: 1.05rem/1.5 system-ui, sans-serif; margin: 0; background: #f4f5f7; color: #1a1a1a; }
 main { max-width: 28rem; margin: 2rem auto; background: #fff; padding: 1.5rem; border-radius: .5rem; }
 .amount { font-size: 2rem; font-weight: 700; margin: .25rem 0 1rem; }
 button { font: inherit; width: 100%; padding: .8rem; margin: .4rem 0; border-radius: .4rem;
          border: 2px solid #0b5cad; background: #0b5cad; color: #fff; cursor: pointer; }
 button.secondary { background: #fff; color: #0b5cad; }
 button:focus, a:focus { outline: 3px solid #f5a623; outline-offset: 2px; }
 .note { color: #555; font-size: .9rem; }
 .error { color: #a30000; font-weight: 600; }
 a { color: #0b5cad; }
</style></head>
<body><main>
 <p class="note">{{ t.provider }} ({{ t.test_mode }})</p>
 <h1>{{ t[session.status] }}</h1>
 {% if session.status == "open" %}
  {% for item in session.line_items %}<p>{{ item.price_data.product_data.name or t.item }}</p>{% endfor %}
  <p class="amount">{{ amount }}</p>
  {% if declined %}<p class="error" role="alert">{{ t.declined }}</p>{% endif %}
  <form method="post" action="/c/pay/{{ session.id }}/pay">
   <button type="submit">{{ t.pay.format(amount=amount) }}</button></form>
  <form method="post" action="/c/pay/{{ session.id }}/decline">
   <button type="submit" class="secondary">{{ t.decline }}</button></form>
  <p><a href="{{ session.cancel_url }}">{{ t.cancel }}</a></p>
 {% elif session.status == "complete" %}
  <p>{{ t.paid }}</p><p><a href="{{ back }}">{{ t.back }}</a></p>
 {% else %}
  <p>{{ t.gone }}</p><p><a href="{{ session.cancel_url }}">{{ t.back }}</a></p>
 {% endif %}
</main></body></html>
""")


class HostedCheckout:
    """Serves the checkout page for the sandbox app (`sandbox.checkouts`, `sandbox._send`)."""

    def __init__(self, sandbox):
        self.sandbox = sandbox

    def __call__(self, environ, start_response):
        request = Request(environ)
        parts = request.path.strip("/").split("/")   # c, pay, <session>[, action]
        action = parts[3] if len(parts) == 4 else None
        try:
            response = self.answer(request, parts[2] if len(parts) > 2 else "", action)
        except SandboxError as exc:
            response = Response(f"<!doctype html><title>Not found</title><p>{escape(str(exc))}</p>", 404,
                                content_type="text/html; charset=utf-8")
        return response(environ, start_response)

    def answer(self, request: Request, session_id: str, action: str | None) -> Response:
        box = self.sandbox
        if request.method == "GET" and action is None:
            with box.ledger.lock:
                return self.page(request, box.checkouts.session(session_id))
        if request.method != "POST" or action not in ("pay", "decline"):
            return Response("Method not allowed", 405)
        with box.ledger.lock:
            session = box.checkouts.session(session_id)
            if session["status"] == "complete":   # a second click on Pay: back to the merchant, no new charge
                return redirect(box.checkouts.return_url(session), 303)
            if session["status"] != "open":
                return self.page(request, session, code=409)
            events = box.checkouts.pay(session_id) if action == "pay" else box.checkouts.decline(session_id)
        box._send(events, {})
        if action == "pay":
            return redirect(box.checkouts.return_url(session), 303)
        return self.page(request, session, declined=True, code=402)

    def page(self, request: Request, session: dict, declined: bool = False, code: int = 200) -> Response:
        amount = f"{session['currency'].upper()} {session['amount_total'] / 100:,.2f}"
        lang = language(session.get("locale"), request.accept_languages)
        html = PAGE.render(session=session, amount=amount, declined=declined, lang=lang, t=WORDS[lang],
                           back=self.sandbox.checkouts.return_url(session))
        return Response(html, code, content_type="text/html; charset=utf-8",
                        headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"})
