"""Structured JSON logs. Only ids travel in logs: never names, emails or notes."""
import json
import logging
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
