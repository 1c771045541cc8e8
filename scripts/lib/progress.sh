# Sourced by scripts/bootstrap and scripts/install-n8n: run a long step with a live line on a terminal.
#
#   run_step LABEL LOG FILTER CLEANUP -- COMMAND...
#
# COMMAND runs with its output in LOG. On a terminal (stderr a TTY, CI unset, TERM not dumb) one line on
# stderr is redrawn every half second: LABEL, the seconds elapsed, and the last line of LOG matching the
# extended regex FILTER (what pip, npm or apt is fetching now). Elsewhere nothing is redrawn. Either way one
# plain line ends the step: "LABEL: done in N s" (or "failed after N s, see LOG").
# Ctrl-C stops COMMAND and everything it started, runs CLEANUP (a shell command that removes what the step
# half-wrote), says so in one line and exits 130. Returns COMMAND's exit code.

progress_on_terminal() { [ -t 2 ] && [ -z "${CI:-}" ] && [ "${TERM:-dumb}" != dumb ]; }

run_step() {
  local label=$1 log=$2 filter=$3 cleanup=$4
  shift 5  # the four arguments and "--"
  local started=$SECONDS rc=0
  # Its own session, so Ctrl-C reaches the whole tree (npm's node processes too) through one kill.
  setsid "$@" >"$log" 2>&1 </dev/null &
  _step_pid=$!
  # shellcheck disable=SC2064  # expanded now, on purpose: this step's values
  trap "_step_interrupted '$label' '$cleanup' $started" INT TERM
  if progress_on_terminal; then
    while kill -0 "$_step_pid" 2>/dev/null; do
      local now
      now=$( (grep -aE "$filter" "$log" 2>/dev/null || true) | tail -n 1 | tr -d '\r' | cut -c1-90)
      printf '\r\033[2K%s  %ds  %s' "$label" $((SECONDS - started)) "$now" >&2
      sleep 0.5
    done
    printf '\r\033[2K' >&2
  fi
  wait "$_step_pid" || rc=$?
  trap - INT TERM
  if [ "$rc" -eq 0 ]; then
    echo "$label: done in $((SECONDS - started)) s" >&2
  else
    echo "$label: failed after $((SECONDS - started)) s (exit $rc), see $log" >&2
  fi
  return "$rc"
}

_step_interrupted() {
  local label=$1 cleanup=$2 started=$3
  kill -TERM -- "-$_step_pid" 2>/dev/null || true
  wait "$_step_pid" 2>/dev/null || true
  [ -n "$cleanup" ] && eval "$cleanup"
  printf '\r\033[2K' >&2
  echo "$label: interrupted (Ctrl-C) after $((SECONDS - started)) s; ${cleanup:+removed what it had half-written; }run the script again to finish" >&2
  exit 130
}
