#!/usr/bin/env bash
# What the test suite needs from the machine besides Python packages:
# RabbitMQ's management API (tests make a vhost each), Debian's Chromium
# (the board's browser test; never a downloaded browser) and Debian's
# docker-compose (validates docker-compose.yml; no engine needed), and Debian's
# Orthanc with its DICOMweb plugin (the imaging tests start their own on loopback).
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
command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
command -v Orthanc >/dev/null 2>&1 || [ -x /usr/sbin/Orthanc ] || missing+=(orthanc)
[ -f /usr/share/orthanc/plugins/libOrthancDicomWeb.so ] || missing+=(orthanc-dicomweb)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "missing: ${missing[*]} (apt-get install ${missing[*]})" >&2
    exit 1
  fi
fi
