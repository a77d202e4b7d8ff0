#!/usr/bin/env bash
# The whole suite on the machine's real RabbitMQ, PostgreSQL, SMTP and Orthanc, in five shares.
#
# - The kernel's, services' and sandboxes' own tests in three shares, and the end-to-end systems.
#   Every test has its own vhost, databases and ports, so they never meet, and most of their time
#   is spent waiting on the broker and the database, not on the CPU (deploy/system-deps.sh gives
#   PostgreSQL the connections this needs).
# - What stops and starts RabbitMQ (the kernel's and the whole system's fault tests), on a node of
#   its own (deploy/test-broker.sh), so the broker the others use never goes away under them.
#
# Extra arguments go to every pytest run (e.g. -x, -k). The exit code is 0 only if all passed.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
out=$(mktemp -d)
mkdir -p var/test-reports  # each share's JUnit report, with every test's time
started=$SECONDS
declare -A SHARES=(
  [kernel-payments-notifications]="shared sandboxes services/payments services/notifications services/journey"
  [services]="services/enquiries services/followup services/rehabilitation services/surgery services/travel
              tests/test_shape.py tests/test_compose.py"
  [gateway]="services/gateway"
  [e2e]="tests/e2e"
  [broker-faults]="shared/tests/test_kernel_faults.py tests/faults"
)
# Not under $out: the server runs as its own user, which may not enter a private temporary folder.
broker=$(mktemp -d -t carepath-test-broker.XXXXXX)
broker_env=$(bash deploy/test-broker.sh start "$broker") || { echo "the tests' own RabbitMQ node did not start"; exit 1; }
trap 'bash deploy/test-broker.sh stop "$broker"; rm -rf "$out"' EXIT
echo "== the fault tests' broker node is up after $((SECONDS - started)) s"
# Three lanes side by side, a lane's shares one after another, balanced by their JUnit times; then
# the fault tests alone: fifty journeys through processes killed and a broker stopped take what CPU
# the machine has, and beside the lanes they outlast their time limits.
LANES=("kernel-payments-notifications" "gateway" "services e2e")
run_share() {
  local share=$1 env=() ignore=(--ignore=shared/tests/test_kernel_faults.py)
  if [ "$share" = broker-faults ]; then read -ra env <<<"$broker_env"; ignore=(); fi
  # shellcheck disable=SC2086  # the share is a list of paths
  env "${env[@]}" "$PY" -m pytest ${SHARES[$share]} "${ignore[@]}" --basetemp="$out/$share" \
      --junitxml="var/test-reports/$share.xml" "${@:2}" >"$out/$share.log" 2>&1
  echo $? >"$out/$share.code"
}
pids=()
for lane in "${LANES[@]}"; do
  (for share in $lane; do run_share "$share" "$@"; done) &
  pids+=($!)
done
wait "${pids[@]}"
run_share broker-faults "$@"
declare -A codes
for lane in "${LANES[@]}" broker-faults; do
  for share in $lane; do
    codes[$share]=$(cat "$out/$share.code" 2>/dev/null || echo 1)
    echo "== ${share} (exit ${codes[$share]})"; cat "$out/$share.log"
  done
done
status=0
# 5: nothing collected, as when extra arguments (-k) leave a share without a test.
for share in "${!codes[@]}"; do [ "${codes[$share]}" = 0 ] || [ "${codes[$share]}" = 5 ] || status=1; done
echo "== the whole suite took $((SECONDS - started)) s (exit codes: $(for s in "${!codes[@]}"; do printf '%s %s; ' "$s" "${codes[$s]}"; done))"
exit "$status"
