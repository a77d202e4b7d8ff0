"""The payments page speaks payments' sentences in the reader's language: each one payments may answer
is among the portal's messages, and Dutch has them."""
import ast

from services.gateway.adapters.pages import portal_pay
from shared import i18n
from shared.config import ROOT

SOURCES = ("services/payments/domain/checkout.py", "services/payments/handlers/checkout.py")


def _sentences() -> set[str]:
    """The sentences payments' checkout code says (a part's name filled into an f-string, both ways)."""
    found = set()
    for source in SOURCES:
        tree = ast.parse((ROOT / source).read_text())
        docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                      if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef) and node.body
                      and isinstance(node.body[0], ast.Expr)}
        for node in ast.walk(tree):
            if id(node) in docstrings:
                continue
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.endswith("."):
                if node.value[:1].isupper() and " " in node.value and "\n" not in node.value:
                    found.add(node.value)
            if isinstance(node, ast.JoinedStr) and ast.unparse(node) == "f'The {part.part} is paid.'":
                found |= {"The deposit is paid.", "The balance is paid."}
    return found


def test_every_sentence_payments_says_of_a_checkout_is_a_portal_message():
    assert len(_sentences()) >= 6
    assert _sentences() - set(portal_pay.PAYMENTS_SAYS) == set()


def test_the_payments_page_reads_in_dutch():
    dutch = i18n.translations("nl", "portal")
    for message in portal_pay.PAYMENTS_SAYS + ("Payments", "Payment received"):
        assert dutch.gettext(message) != message, message
