"""The public endpoints' rate limits, counted in a store every gateway instance shares.

GATEWAY.rate_limit_store is `database` (the default: the gateway's own database, table `rate_limits`)
or a Redis URL (`redis://host:6379/0`). Either applies the rule of domain/throttle.py in one atomic step
by the store's own clock, so two gateways behind one proxy count one allowance per client, and their
clocks need not agree. A store that cannot be reached refuses the request (503 with Retry-After)
rather than letting it through uncounted.
"""
import hashlib
import logging
import time

from nameko.extensions import DependencyProvider
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from services.gateway.domain import throttle
from shared.config import section
from shared.db import Database
from shared.errors import Unavailable

log = logging.getLogger(__name__)

SWEEP_SECONDS = 300     # how often each gateway deletes the rows whose allowance is whole again
AWAY = "the rate limiter's store cannot be reached just now"

# The store's clock, in seconds since the epoch, the same for the whole statement.
_NOW = {"postgresql": "CAST(EXTRACT(EPOCH FROM statement_timestamp()) AS DOUBLE PRECISION)",
        "sqlite": "((julianday('now') - 2440587.5) * 86400.0)"}
_GREATEST = {"postgresql": "GREATEST", "sqlite": "max"}


def _statements(dialect: str) -> dict:
    now, greatest = _NOW[dialect], _GREATEST[dialect]
    moved = f"{greatest}(rate_limits.full_at, {now}) + :spacing"
    return {
        # Allowed: the row is moved (or made) and returned. Refused: no row returned, nothing changed.
        # Concurrent requests of one client wait for each other's row lock, each judged on the last.
        "take": text(
            f"INSERT INTO rate_limits (bucket, client, full_at) VALUES (:bucket, :client, {now} + :spacing) "
            f"ON CONFLICT (bucket, client) DO UPDATE SET full_at = {moved} "
            f"WHERE {moved} - {now} <= :period + {throttle.ROUNDING} RETURNING full_at"),
        "seen": text(f"SELECT full_at, {now} FROM rate_limits WHERE bucket = :bucket AND client = :client"),
        "sweep": text(f"DELETE FROM rate_limits WHERE full_at < {now}"),
    }


class DatabaseCounts:
    """The counts in the gateway's database (shared.db.Store), one statement a request."""

    def __init__(self, store):
        self.store = store
        self.sql = _statements(store.engine.dialect.name)
        self._swept = time.monotonic()

    def wait(self, bucket: str, client: str, limit: int, per_seconds: float) -> float:
        asked = {"bucket": bucket, "client": client, "spacing": throttle.spacing(limit, per_seconds),
                 "period": per_seconds}
        with self.store.session() as session:
            if not self.store.is_sqlite:   # one statement: no BEGIN and COMMIT of its own
                session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
            if session.execute(self.sql["take"], asked).first() is not None:
                allowed = True
            else:
                allowed, seen = False, session.execute(self.sql["seen"], asked).first()
            if time.monotonic() - self._swept > SWEEP_SECONDS:
                self._swept = time.monotonic()
                session.execute(self.sql["sweep"])
        if allowed:
            return 0.0
        return max(throttle.wait_for(seen[0], seen[1], limit, per_seconds), 0.001) if seen else 0.001

    def close(self) -> None:
        pass   # the store is the Database provider's


# The same rule in Redis, atomic as a script, by Redis's clock; the key expires once the allowance is whole.
_TAKE_LUA = f"""
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
local spacing, period = tonumber(ARGV[1]), tonumber(ARGV[2])
local full_at = tonumber(redis.call('GET', KEYS[1]) or now)
if full_at < now then full_at = now end
local after = full_at + spacing
if after - now > period + {throttle.ROUNDING} then
  return tostring(after - now - period)
end
redis.call('SET', KEYS[1], string.format('%.6f', after), 'PX', math.ceil((after - now) * 1000))
return '0'
"""


class RedisCounts:
    """The counts in Redis (GATEWAY.rate_limit_store = redis://...), one script call a request."""

    def __init__(self, url: str):
        import redis  # only where Redis is configured
        self.errors = (redis.RedisError, OSError)
        self.client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self.take = self.client.register_script(_TAKE_LUA)

    def wait(self, bucket: str, client: str, limit: int, per_seconds: float) -> float:
        answer = self.take(keys=[f"carepath:rate:{bucket}:{client}"],
                           args=[throttle.spacing(limit, per_seconds), per_seconds])
        return max(float(answer), 0.001) if float(answer) > 0 else 0.0

    def close(self) -> None:
        self.client.close()


class RateLimiter(DependencyProvider):
    """Injects itself: `wait(route, client, limit, per_seconds)` is 0 if the request may go ahead (and
    counts it), else the seconds until it may."""

    def setup(self):
        gateway = section(self.container.config, "GATEWAY", rate_limit_store="database")
        where = str(gateway["rate_limit_store"])
        if where != "database" and not where.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError(f"GATEWAY.rate_limit_store is {where!r}: give `database` or a redis:// URL")
        self.where = where
        self.counts = None

    def start(self):
        if self.where == "database":
            database = next(d for d in self.container.dependencies if isinstance(d, Database))
            self.counts = DatabaseCounts(database.store)
        else:
            self.counts = RedisCounts(self.where)

    def stop(self):
        if self.counts is not None:
            self.counts.close()

    def get_dependency(self, worker_ctx):
        return self

    def wait(self, key: str, client: str, limit: int, per_seconds: float) -> float:
        try:
            return self.counts.wait(_fit(key, 60), _fit(client, 64), int(limit), float(per_seconds))
        except (SQLAlchemyError, *getattr(self.counts, "errors", ())) as exc:
            log.warning("rate limit store unreachable (%s)", type(exc).__name__)
            raise Unavailable(AWAY, retry_after_seconds=5) from exc


def _fit(value: str, length: int) -> str:
    """Within its column: a longer value is kept as its hash (an IPv6 address and a route name fit)."""
    return value if len(value) <= length else hashlib.sha256(value.encode()).hexdigest()[:length]
