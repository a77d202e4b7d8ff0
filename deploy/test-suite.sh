#!/usr/bin/env bash
# The whole suite on the machine's real RabbitMQ, PostgreSQL, SMTP and Orthanc, in two phases.
#
# 1. Three pytest processes side by side: the kernel's, services' and sandboxes' own tests in two
#    shares, and the end-to-end systems. Every test has its own vhost, databases and ports, so they
#    never meet, and most of their time is spent waiting on the broker and the database, not on the
#    CPU (deploy/system-deps.sh gives PostgreSQL the connections this needs).
# 2. Alone, what stops and starts RabbitMQ (the kernel's and the whole system's fault tests):
#    nothing else may be using the broker while it is away.
#
# Extra arguments go to every pytest run (e.g. -x, -k). The exit code is 0 only if all passed.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
out=$(mktemp -d)
started=$SECONDS
declare -A SHARES=(
  [kernel-payments-notifications]="shared sandboxes services/payments services/notifications services/journey"
  [services]="services/enquiries services/followup services/gateway services/rehabilitation services/surgery
              services/travel tests/test_shape.py tests/test_compose.py"
  [e2e]="tests/e2e"
)
declare -A pids codes
for share in "${!SHARES[@]}"; do
  # shellcheck disable=SC2086  # the share is a list of paths
  "$PY" -m pytest ${SHARES[$share]} --ignore=shared/tests/test_kernel_faults.py \
      --basetemp="$out/$share" "$@" >"$out/$share.log" 2>&1 &
  pids[$share]=$!
done
for share in "${!SHARES[@]}"; do
  wait "${pids[$share]}"; codes[$share]=$?
  echo "== ${share} (exit ${codes[$share]})"; cat "$out/$share.log"
done
echo "== phase 1 took $((SECONDS - started)) s"

echo "== broker faults, alone"
"$PY" -m pytest shared/tests/test_kernel_faults.py tests/faults --basetemp="$out/faults" "$@"
codes[faults]=$?
status=0
# 5: nothing collected, as when extra arguments (-k) leave a share without a test.
for share in "${!codes[@]}"; do [ "${codes[$share]}" = 0 ] || [ "${codes[$share]}" = 5 ] || status=1; done
echo "== the whole suite took $((SECONDS - started)) s (exit codes: $(for s in "${!codes[@]}"; do printf '%s %s; ' "$s" "${codes[$s]}"; done))"
rm -rf "$out"
exit "$status"
