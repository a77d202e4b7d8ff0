#!/usr/bin/env bash
# The whole suite on the machine's real RabbitMQ, PostgreSQL, SMTP and Orthanc, in two phases.
#
# 1. Two pytest processes side by side: the kernel's, services' and sandboxes' own tests, and the
#    end-to-end systems. Every test has its own vhost, databases and ports, so they never meet,
#    and most of their time is spent waiting on the broker and the database, not on the CPU.
# 2. Alone, what stops and starts RabbitMQ (the kernel's and the whole system's fault tests):
#    nothing else may be using the broker while it is away.
#
# Extra arguments go to every pytest run (e.g. -x, -k). The exit code is 0 only if all passed.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
BROKER_FAULTS=(shared/tests/test_kernel_faults.py tests/faults)
out=$(mktemp -d)
started=$SECONDS

"$PY" -m pytest shared services sandboxes tests/test_shape.py tests/test_compose.py \
    --ignore=shared/tests/test_kernel_faults.py --basetemp="$out/own" "$@" >"$out/own.log" 2>&1 &
own=$!
"$PY" -m pytest tests/e2e --basetemp="$out/e2e" "$@" >"$out/e2e.log" 2>&1 &
e2e=$!
wait "$own"; own_rc=$?
wait "$e2e"; e2e_rc=$?
echo "== the kernel's, services' and sandboxes' own tests (exit $own_rc)"; cat "$out/own.log"
echo "== end to end (exit $e2e_rc)"; cat "$out/e2e.log"
echo "== phase 1 took $((SECONDS - started)) s"

echo "== broker faults, alone"
"$PY" -m pytest "${BROKER_FAULTS[@]}" --basetemp="$out/faults" "$@"; faults_rc=$?
echo "== the whole suite took $((SECONDS - started)) s (exit codes: own $own_rc, e2e $e2e_rc, faults $faults_rc)"
rm -rf "$out"
[ "$own_rc" = 0 ] && [ "$e2e_rc" = 0 ] && [ "$faults_rc" = 0 ]
