#!/usr/bin/env bash
# A RabbitMQ node of the suite's own, beside the machine's, for the tests that stop and start
# their broker: they may take it away while the rest of the suite goes on using the machine's.
#
#   deploy/test-broker.sh start DIR   # prints the environment that points the tests at it
#   deploy/test-broker.sh stop DIR
#
# TEST_BROKER_PORT (5673) moves its AMQP port; its management API is on that port + 10000.
set -euo pipefail
action=$1 dir=$(realpath -m "$2")
port=${TEST_BROKER_PORT:-5673}
node="carepath-tests-$port@localhost"
export RABBITMQ_NODENAME=$node RABBITMQ_NODE_PORT=$port RABBITMQ_DIST_PORT=$((port + 20000))
export RABBITMQ_CONFIG_FILE=$dir/rabbitmq.conf RABBITMQ_ENABLED_PLUGINS_FILE=$dir/enabled_plugins
export RABBITMQ_MNESIA_BASE=$dir/mnesia RABBITMQ_LOG_BASE=$dir/log RABBITMQ_PID_FILE=$dir/pid

case $action in
  start)
    rabbitmqctl -n "$node" stop >/dev/null 2>&1 || true  # one left over from an interrupted run
    rm -rf "$dir" && mkdir -p "$dir"
    cat >"$dir/rabbitmq.conf" <<CONF
listeners.tcp.local = 127.0.0.1:$port
management.tcp.ip = 127.0.0.1
management.tcp.port = $((port + 10000))
CONF
    echo "[rabbitmq_management]." >"$dir/enabled_plugins"
    # The server runs as its own user where the package made one: it must reach and own the folder.
    if id rabbitmq >/dev/null 2>&1; then chmod 755 "$dir"; chown -R rabbitmq "$dir"; fi
    rabbitmq-server -detached >/dev/null
    for _ in $(seq 1 120); do  # -detached returns before the node has even registered
      rabbitmqctl -n "$node" await_startup --timeout 120 >/dev/null 2>&1 && break
      sleep 0.5
    done
    for _ in $(seq 1 60); do  # the management API answers a little after the node
      curl -sf -u guest:guest "http://127.0.0.1:$((port + 10000))/api/overview" >/dev/null && break
      sleep 0.5
    done
    curl -sf -u guest:guest "http://127.0.0.1:$((port + 10000))/api/overview" >/dev/null  # up, or fail
    echo "TEST_RABBIT_PORT=$port TEST_RABBIT_MGMT=http://127.0.0.1:$((port + 10000)) TEST_RABBIT_NODE=$node"
    ;;
  stop)
    rabbitmqctl -n "$node" stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
  *) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
