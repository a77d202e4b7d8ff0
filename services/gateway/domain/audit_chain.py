"""The access log's hash chain (NEN 7513: a protected log): every entry is hashed over a canonical form
of its fields and the previous entry's hash, so an altered, removed or inserted entry breaks the chain
at a place that can be named.

The chain covers a digest of an entry's personal detail (a search's terms), not the detail itself: the
detail and the nonce the digest is salted with may be blanked on erasure, and the chain still holds."""
import hashlib
import json
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

GENESIS = "0" * 64
CHAINED = ("id", "at", "actor", "role", "on_behalf_of", "journey_id", "action", "method", "path",
           "outcome", "status", "credential", "detail_digest")


def instant(moment: datetime) -> str:
    """One spelling of a time for hashing: UTC to the microsecond (SQLite hands times back naive)."""
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical(entry: dict, prev_hash: str) -> bytes:
    fields = {name: entry[name] for name in CHAINED}
    fields["at"] = instant(fields["at"])
    fields["prev_hash"] = prev_hash
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def entry_hash(entry: dict, prev_hash: str) -> str:
    return hashlib.sha256(canonical(entry, prev_hash)).hexdigest()


def seal_detail(detail: str | None) -> tuple[str | None, str | None]:
    """(nonce, digest) for a personal detail: salted, so the digest left after an erasure cannot be
    matched against a list of likely names."""
    if detail is None:
        return None, None
    nonce = secrets.token_hex(16)
    return nonce, detail_digest(nonce, detail)


def detail_digest(nonce: str, detail: str) -> str:
    return hashlib.sha256(f"{nonce}:{detail}".encode()).hexdigest()


def chain(entries: list[dict], last_id: int, last_hash: str) -> tuple[int, str]:
    """Numbers and hashes new entries after the chain head (last_id, last_hash); the new head."""
    for entry in entries:
        last_id += 1
        entry["id"], entry["prev_hash"] = last_id, last_hash
        last_hash = entry["hash"] = entry_hash(entry, last_hash)
    return last_id, last_hash


@dataclass(frozen=True)
class Finding:
    entry_id: int
    problem: str          # altered | replaced | missing | detail_altered

    def sentence(self) -> str:
        return {"altered": f"Entry {self.entry_id} was altered: its hash no longer matches its contents.",
                "missing": f"Entry {self.entry_id} is missing.",
                "detail_altered": f"Entry {self.entry_id}'s detail was altered.",
                "replaced": f"Entry {self.entry_id} was altered or replaced: the entry after it no longer "
                            "links to it."}[self.problem]


def verify(entries: Iterable[dict], head_id: int, head_hash: str) -> tuple[int, list[Finding]]:
    """Walks the entries in id order; every entry altered or missing, named. (How many were read.)"""
    findings: list[Finding] = []
    expected_id, prev_hash, count = 1, GENESIS, 0
    for entry in entries:
        count += 1
        findings += [Finding(missing, "missing") for missing in range(expected_id, entry["id"])]
        if entry_hash(entry, entry["prev_hash"]) != entry["hash"]:
            findings.append(Finding(entry["id"], "altered"))
        elif entry["prev_hash"] != prev_hash and entry["id"] == expected_id:
            findings.append(Finding(entry["id"] - 1, "replaced"))   # re-hashed after a change
        if entry["detail"] is not None and (
                entry["detail_nonce"] is None
                or detail_digest(entry["detail_nonce"], entry["detail"]) != entry["detail_digest"]):
            findings.append(Finding(entry["id"], "detail_altered"))
        expected_id, prev_hash = entry["id"] + 1, entry["hash"]
    findings += [Finding(missing, "missing") for missing in range(expected_id, head_id + 1)]
    if head_id and expected_id == head_id + 1 and prev_hash != head_hash:
        findings.append(Finding(head_id, "replaced"))
    return count, findings
