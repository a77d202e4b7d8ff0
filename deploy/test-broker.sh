#!/usr/bin/env bash
# RabbitMQ nodes of the suite's own, beside the machine's, for the tests that stop and start
# their broker: they may take it away while the rest of the suite goes on using the machine's.
#
#   deploy/test-broker.sh start DIR     # one node; prints the environment that points the tests at it
#   deploy/test-broker.sh cluster DIR   # three nodes clustered on loopback; prints their AMQP URIs
#   deploy/test-broker.sh stop DIR      # whichever it started in DIR
#
# TEST_BROKER_PORT (5673) moves the single node's AMQP port; its management API is on that port
# + 10000. TEST_CLUSTER_PORT (5680) is the first cluster node's, the others follow (5681, 5682);
# the cluster nodes find each other by classic peer discovery and share the machine's Erlang cookie
# (the server's user's), as a deployment's nodes share theirs.
set -euo pipefail
action=$1 dir=$(realpath -m "$2")

# node_env PORT DIR: the environment that gives a node its own name, ports and data folder.
node_env() {
  export RABBITMQ_NODENAME=$3 RABBITMQ_NODE_PORT=$1 RABBITMQ_DIST_PORT=$(($1 + 20000))
  export RABBITMQ_CONFIG_FILE=$2/rabbitmq.conf RABBITMQ_ENABLED_PLUGINS_FILE=$2/enabled_plugins
  export RABBITMQ_MNESIA_BASE=$2/mnesia RABBITMQ_LOG_BASE=$2/log RABBITMQ_PID_FILE=$2/pid
}

# start_node PORT DIR NODE PLUGINS [CONF]: writes its config, starts it detached (returns at once).
start_node() {
  local port=$1 home=$2 node=$3
  rabbitmqctl -n "$node" stop >/dev/null 2>&1 || true  # one left over from an interrupted run
  rm -rf "$home" && mkdir -p "$home"
  printf 'listeners.tcp.local = 127.0.0.1:%s\n%s\n' "$port" "${5:-}" >"$home/rabbitmq.conf"
  echo "$4" >"$home/enabled_plugins"
  # The server runs as its own user where the package made one: it must reach and own the folder.
  if id rabbitmq >/dev/null 2>&1; then chmod 755 "$home"; chown -R rabbitmq "$home"; fi
  (node_env "$port" "$home" "$node"; rabbitmq-server -detached >/dev/null)
  echo "$node" >>"$dir/nodes"
}

await_node() {
  for _ in $(seq 1 120); do  # -detached returns before the node has even registered
    rabbitmqctl -n "$1" await_startup --timeout 120 >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  return 1
}

case $action in
  start)
    port=${TEST_BROKER_PORT:-5673}
    node="carepath-tests-$port@localhost"
    rm -rf "$dir" && mkdir -p "$dir"
    start_node "$port" "$dir/$port" "$node" "[rabbitmq_management]." \
      "$(printf 'management.tcp.ip = 127.0.0.1\nmanagement.tcp.port = %s' $((port + 10000)))"
    await_node "$node"
    for _ in $(seq 1 60); do  # the management API answers a little after the node
      curl -sf -u guest:guest "http://127.0.0.1:$((port + 10000))/api/overview" >/dev/null && break
      sleep 0.5
    done
    curl -sf -u guest:guest "http://127.0.0.1:$((port + 10000))/api/overview" >/dev/null  # up, or fail
    echo "TEST_RABBIT_PORT=$port TEST_RABBIT_MGMT=http://127.0.0.1:$((port + 10000)) TEST_RABBIT_NODE=$node"
    ;;
  cluster)
    first=${TEST_CLUSTER_PORT:-5680}
    ports=("$first" $((first + 1)) $((first + 2)))
    peers="cluster_formation.peer_discovery_backend = classic_config"
    for i in 0 1 2; do
      peers+=$'\n'"cluster_formation.classic_config.nodes.$((i + 1)) = carepath-cluster-${ports[$i]}@localhost"
    done
    rm -rf "$dir" && mkdir -p "$dir"
    # The first node alone, without peers to wait for; then the others, which find it running and
    # join it (three started together could each form a cluster of their own).
    start_node "$first" "$dir/$first" "carepath-cluster-$first@localhost" "[]."
    await_node "carepath-cluster-$first@localhost"
    for port in "${ports[@]:1}"; do
      start_node "$port" "$dir/$port" "carepath-cluster-$port@localhost" "[]." "$peers" &
    done
    wait
    for port in "${ports[@]:1}"; do await_node "carepath-cluster-$port@localhost" & done
    wait
    running=$(rabbitmqctl -n "carepath-cluster-$first@localhost" -q cluster_status --formatter json \
              | python3 -c 'import json, sys; print(len(json.load(sys.stdin)["running_nodes"]))')
    [ "$running" = 3 ] || { echo "only $running of 3 nodes clustered" >&2; exit 1; }
    uris=$(for port in "${ports[@]}"; do printf 'amqp://guest:guest@127.0.0.1:%s/;' "$port"; done)
    echo "TEST_CLUSTER_URIS=${uris%;} TEST_CLUSTER_NODES=$(sed 's/$/,/' "$dir/nodes" | tr -d '\n' | sed 's/,$//')"
    ;;
  stop)
    for node in $(cat "$dir/nodes" 2>/dev/null); do rabbitmqctl -n "$node" stop >/dev/null 2>&1 || true; done
    rm -rf "$dir"
    ;;
  *) echo "usage: $0 start|cluster|stop DIR" >&2; exit 2 ;;
esac
