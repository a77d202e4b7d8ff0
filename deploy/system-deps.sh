#!/usr/bin/env bash
# What the test suite needs from the machine besides Python packages:
# RabbitMQ's management API (tests make a vhost each), Debian's Chromium
# (the board's browser test; never a downloaded browser), npm (axe-core for the portal's
# accessibility check, from tests/browser/package-lock.json) and Debian's
# docker-compose (validates docker-compose.yml; no engine needed), and Debian's
# Orthanc with its DICOMweb plugin (the imaging tests start their own on loopback), and Debian's
# redis-server (the shared rate limit's test starts its own).
set -euo pipefail
if ! rabbitmq-plugins is_enabled rabbitmq_management >/dev/null 2>&1; then
  rabbitmq-plugins enable rabbitmq_management >/dev/null
fi
for _ in $(seq 1 30); do
  curl -sf -u guest:guest http://127.0.0.1:15672/api/overview >/dev/null && break
  sleep 1
done
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v npm >/dev/null 2>&1 || missing+=(npm)   # installs axe-core for the portal's browser tour
command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
command -v Orthanc >/dev/null 2>&1 || [ -x /usr/sbin/Orthanc ] || missing+=(orthanc)
[ -f /usr/share/orthanc/plugins/libOrthancDicomWeb.so ] || missing+=(orthanc-dicomweb)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)   # the shared rate limit's Redis test
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "missing: ${missing[*]} (apt-get install ${missing[*]})" >&2
    exit 1
  fi
fi
# PostgreSQL: every test has databases of its own, and the suite's first phase runs the services'
# tests beside whole end-to-end systems (nine services, each with its pool): Debian's default of 100
# connections is too few for both at once.
wanted=300
have=$(psql -h 127.0.0.1 -U postgres -tAc "SHOW max_connections" 2>/dev/null || echo 0)
if [ "${have:-0}" -lt "$wanted" ]; then
  if [ "$(id -u)" = 0 ] && command -v pg_ctlcluster >/dev/null 2>&1; then
    psql -h 127.0.0.1 -U postgres -qc "ALTER SYSTEM SET max_connections = $wanted"
    version=$(ls /etc/postgresql | head -1)
    pg_ctlcluster --skip-systemctl-redirect "$version" main restart
    for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 >/dev/null 2>&1 && break; sleep 1; done
  else
    echo "PostgreSQL allows $have connections; the suite needs $wanted (ALTER SYSTEM SET max_connections = $wanted, then restart it)" >&2
    exit 1
  fi
fi
