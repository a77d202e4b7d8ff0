"""Structured JSON logs. Only ids travel in logs: never names, emails or notes."""
import json
import logging
import re
from datetime import UTC, datetime

# Fields callers may attach through `extra=`; anything else is left out so
# personal data cannot slip into a log line by accident.
CONTEXT_FIELDS = ("journey_id", "correlation_id", "event_id", "event_type",
                  "service", "consumer", "attempt", "staff_id", "status")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        for name in CONTEXT_FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                entry[name] = str(value)
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info).splitlines()[-1]
        return json.dumps(entry)


class RequestLogFilter(logging.Filter):
    """The web server's request log without what it must never keep: query strings (a patient
    link's token rides in one) and client addresses (personal data). Paths stay."""

    _LINE = re.compile(r'^\S+ - - \[(?P<when>[^\]]*)\] "(?P<method>\S+) (?P<path>[^?" ]*)(?:\?[^" ]*)?'
                       r'(?P<rest>[^"]*)"')

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name == "nameko.web.server":
            message = record.getMessage()
            record.msg = self._LINE.sub(
                lambda m: f'- - - [{m["when"]}] "{m["method"]} {m["path"]}{"?…" if "?" in m[0] else ""}'
                          f'{m["rest"]}"', message)
            record.args = ()
        return True
