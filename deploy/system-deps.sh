#!/usr/bin/env bash
# What the test suite needs from the machine besides Python packages:
# RabbitMQ's management API (tests make a vhost each) and Debian's Chromium
# (the board's browser test; never a downloaded browser).
set -euo pipefail
if ! rabbitmq-plugins is_enabled rabbitmq_management >/dev/null 2>&1; then
  rabbitmq-plugins enable rabbitmq_management >/dev/null
fi
for _ in $(seq 1 30); do
  curl -sf -u guest:guest http://127.0.0.1:15672/api/overview >/dev/null && break
  sleep 1
done
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
      || echo "chromium could not be installed; the browser test will be skipped" >&2
  else
    echo "chromium is missing (apt-get install chromium); the browser test will be skipped" >&2
  fi
fi
