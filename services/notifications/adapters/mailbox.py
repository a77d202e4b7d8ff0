"""The local SMTP sink's folder (a local run): each message it received as one .eml file, named by
its Message-ID, so a message handed over twice is kept once. Read for the staff mailbox page;
the copies of an erased person's messages are removed from it."""
import hashlib
from datetime import UTC, datetime
from email import policy
from email.parser import BytesParser
from pathlib import Path


def file_name(message_id_header: str) -> str:
    """The .eml name for a Message-ID (a digest: no header text in a path)."""
    return hashlib.sha256(message_id_header.strip().encode()).hexdigest()[:32] + ".eml"


def _read(path: Path):
    with path.open("rb") as handle:
        return BytesParser(policy=policy.default).parse(handle)


def _entry(path: Path, mail) -> dict:
    attachments = [part.get_filename() or part.get_content_type() for part in mail.iter_attachments()]
    return {"name": path.stem, "subject": str(mail["Subject"] or ""), "to": str(mail["To"] or ""),
            "language": mail["Content-Language"], "attachments": attachments,
            "received_at": datetime.fromtimestamp(path.stat().st_mtime, UTC)}


def entries(folder: Path | None, limit: int = 200) -> list[dict]:
    """The newest messages first."""
    if folder is None or not folder.is_dir():
        return []
    paths = sorted(folder.glob("*.eml"), key=lambda p: p.stat().st_mtime, reverse=True)[:limit]
    return [_entry(path, _read(path)) for path in paths]


def message(folder: Path | None, name: str) -> dict | None:
    """One message as the patient sees it: its text and HTML parts."""
    if folder is None or not name.isalnum():
        return None
    path = folder / f"{name}.eml"
    if not path.is_file():
        return None
    mail = _read(path)
    text, html = mail.get_body(("plain",)), mail.get_body(("html",))
    return dict(_entry(path, mail), text=text.get_content() if text else "",
                html=html.get_content() if html else "")


def remove(folder: Path | None, message_id_headers: list[str]) -> int:
    """Delete the sink's copies of these messages (an erasure); returns how many were there."""
    if folder is None or not folder.is_dir():
        return 0
    removed = 0
    for header in message_id_headers:
        path = folder / file_name(header)
        if path.exists():
            path.unlink()
            removed += 1
    return removed
