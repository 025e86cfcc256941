#!/usr/bin/env bash
# A single-node Slurm cluster for Flowline's tests and benchmarks (issue 12), entirely under one state folder:
# munged, slurmctld and slurmd started by hand (no systemd, nothing written under /etc/slurm).
#
# Usage: scripts/slurm-cluster.sh up|down|status|smoke
#   up      install Debian's packages when missing, start the cluster, wait until its node is idle and print
#           SLURM_CONF=...; also writes $DIR/env ("export SLURM_CONF=..."). Says so when already up.
#   down    cancel its jobs, stop slurmd, slurmctld and munged, remove the cgroups slurmd made. Safe when down.
#   status  prints whether it is up (exit 0 when up, 3 when down).
#   smoke   submits jobs and checks their output, exit codes and a license serialising two of them.
#
# Environment: FLOWLINE_SLURM_DIR        the state folder (default /tmp/flowline-slurm)
#              FLOWLINE_SLURM_PROCTRACK  pgid: use proctrack/pgid even where the cgroup v1 freezer exists (to try
#                                        the fallback; it misses a job's children that start their own session)
#
# up and down need root. The daemons use Slurm's default ports 6817/6818: one cluster per machine at a time.
# Every Slurm client command needs SLURM_CONF=$DIR/slurm.conf in its environment (`. $DIR/env`).
# Background and measured behaviour: docs/slurm.md and the research note behind issue 12.
set -euo pipefail

DIR="${FLOWLINE_SLURM_DIR:-/tmp/flowline-slurm}"
CONF="$DIR/slurm.conf"
MUNGE_DIR="$DIR/munge"
MUNGE_SOCKET="$MUNGE_DIR/munge.socket.2"
PIDS="$DIR/pids"
LOGS="$DIR/log"
UP_TIMEOUT=30      # seconds for the node to become idle
STOP_TIMEOUT=10    # seconds for a daemon to exit after TERM, before KILL
JOB_TIMEOUT=60     # seconds for a smoke job to reach a terminal state
DAEMONS=(slurmd slurmctld munged)   # in stopping order

export SLURM_CONF="$CONF"

say() { printf 'slurm-cluster: %s\n' "$*"; }
die() { printf 'slurm-cluster: %s\n' "$*" >&2; exit 1; }
now() { printf '%s' "${EPOCHREALTIME/[.,]/}"; }                # microseconds
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", (b - a) / 1e6 }'; }

need_root() {
  [ "$(id -u)" = 0 ] || die "'$1' needs root: it installs packages, starts munged as the munge user and slurmd as root. Run: sudo $0 $1"
}

# ----------------------------------------------------------------------------------------------------- processes
# Alive = not gone and not a zombie: PID 1 here reaps orphans only after a few seconds.
alive() { [ -d "/proc/$1" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null; }

# The pid a daemon was started with, if that process is still alive and still that daemon (not a reused pid).
live_pid() {
  local name="$1" pid comm
  [ -f "$PIDS/$name" ] || return 1
  pid="$(cat "$PIDS/$name")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  comm="$(cat "/proc/$pid/comm" 2>/dev/null)" || return 1
  [ "$comm" = "$name" ] && alive "$pid" || return 1
  printf '%s' "$pid"
}

is_up() {
  local name
  for name in "${DAEMONS[@]}"; do live_pid "$name" >/dev/null || return 1; done
  node_state | grep -qxE 'idle|mixed|allocated|completing'   # up, with or without jobs running
}

node_state() { sinfo -h -o %T 2>/dev/null | head -n 1 | tr -d '*~#'; }

# TERM, then KILL after STOP_TIMEOUT; waits (bounded) until the process is gone.
stop_pid() {
  local pid="$1" i
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < STOP_TIMEOUT * 10; i++)); do
    alive "$pid" || return 0
    sleep 0.1
  done
  say "pid $pid ignored TERM for ${STOP_TIMEOUT}s: KILL"
  kill -KILL "$pid" 2>/dev/null || return 0
  for ((i = 0; i < 50; i++)); do
    alive "$pid" || return 0
    sleep 0.1
  done
  say "pid $pid survived KILL for 5 s"
}

print_logs() {
  local f
  for f in "$LOGS"/*.log "$LOGS"/*.out; do
    [ -s "$f" ] || continue
    printf '\n--- %s (last 40 lines)\n' "$f" >&2
    tail -n 40 "$f" >&2
  done
}

# The freezer cgroup tree slurmd makes for proctrack/cgroup (slurm_<node> on cgroup v1).
cgroup_root() { printf '/sys/fs/cgroup/freezer/slurm_%s' "$(hostname -s)"; }

# ------------------------------------------------------------------------------------------------------------ up
install_packages() {
  local missing=() cmd
  for cmd in slurmctld slurmd sbatch munged mungekey; do
    command -v "$cmd" >/dev/null || { missing=(slurmctld slurmd slurm-client munge); break; }
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local started
  started="$(now)"
  say "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  say "installed in $(elapsed "$started") s"
}

write_conf() {
  local node cpus memory proctrack
  node="$(hostname -s)"
  cpus="$(nproc)"
  memory="$(free -m | awk '/^Mem:/ { print $2 }')"
  if [ -d /sys/fs/cgroup/freezer ] && [ "${FLOWLINE_SLURM_PROCTRACK:-cgroup}" = cgroup ]; then
    # cgroup v1 freezer: a job's every descendant is found and killed, even one in its own session that ignores
    # TERM (proctrack/pgid misses setsid children, linuxproc misses orphans).
    proctrack=proctrack/cgroup
    cat >"$DIR/cgroup.conf" <<EOF
CgroupPlugin=cgroup/v1
CgroupAutomount=no
CgroupMountpoint=/sys/fs/cgroup
EOF
  else
    proctrack=proctrack/pgid
    rm -f "$DIR/cgroup.conf"
  fi
  cat >"$CONF" <<EOF
# Written by scripts/slurm-cluster.sh: a single-node cluster for Flowline's tests. Rewritten by every 'up'.
ClusterName=flowline
SlurmctldHost=$node(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$MUNGE_SOCKET
CredType=cred/munge
StateSaveLocation=$DIR/state
SlurmdSpoolDir=$DIR/spool
SlurmctldPidFile=$DIR/run/slurmctld.pid
SlurmdPidFile=$DIR/run/slurmd.pid
SlurmctldLogFile=$LOGS/slurmctld.log
SlurmdLogFile=$LOGS/slurmd.log
ProctrackType=$proctrack
TaskPlugin=task/none
MpiDefault=none
MailProg=/bin/true
# batch_sched_delay=0: a submitted job starts on the controller's next 1 s tick, not up to 3 s later.
SchedulerType=sched/backfill
SchedulerParameters=batch_sched_delay=0
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
# No slurmdbd: finished jobs stay in squeue/scontrol for MinJobAge seconds, then only in the jobcomp log (sacct -c).
JobCompType=jobcomp/filetxt
JobCompLoc=$LOGS/jobcomp.log
MinJobAge=300
KillWait=5
ReturnToService=2
Licenses=db:1,pair:2
NodeName=$node NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$memory State=UNKNOWN
PartitionName=main Nodes=$node Default=YES MaxTime=INFINITE State=UP
PartitionName=other Nodes=$node Default=NO MaxTime=INFINITE State=UP
EOF
  chmod 0644 "$CONF"
}

start_munged() {
  # munged runs as munge: its folder (socket, key, log, seed, pid) is munge's. Clients need execute permission on
  # the socket's folder ("Socket is inaccessible"), so 0711, not 0700.
  mkdir -p "$MUNGE_DIR"
  chown munge:munge "$MUNGE_DIR"
  chmod 0711 "$MUNGE_DIR"
  if [ ! -s "$MUNGE_DIR/munge.key" ]; then
    runuser -u munge -- mungekey --create --keyfile="$MUNGE_DIR/munge.key" >/dev/null
  fi
  rm -f "$MUNGE_SOCKET" "$MUNGE_SOCKET.lock" "$MUNGE_DIR/munged.pid"
  # munged forks into the background itself; its pid comes from its pid file.
  runuser -u munge -- munged --socket="$MUNGE_SOCKET" --key-file="$MUNGE_DIR/munge.key" \
    --pid-file="$MUNGE_DIR/munged.pid" --log-file="$MUNGE_DIR/munged.log" --seed-file="$MUNGE_DIR/munged.seed" \
    </dev/null >>"$LOGS/munged.out" 2>&1
  local i
  for ((i = 0; i < 50; i++)); do
    [ -s "$MUNGE_DIR/munged.pid" ] && [ -S "$MUNGE_SOCKET" ] && break
    sleep 0.1
  done
  [ -s "$MUNGE_DIR/munged.pid" ] || { cat "$MUNGE_DIR/munged.log" >&2 2>/dev/null || true; die "munged did not start"; }
  cp "$MUNGE_DIR/munged.pid" "$PIDS/munged"
  munge -n -S "$MUNGE_SOCKET" | unmunge -S "$MUNGE_SOCKET" >/dev/null \
    || { cat "$MUNGE_DIR/munged.log" >&2; die "munged does not answer on $MUNGE_SOCKET"; }
}

# -D keeps the daemon in the foreground, so $! is its pid; setsid keeps a terminal's Ctrl+C away from it.
start_daemon() {
  local name="$1"
  setsid "$name" -D -f "$CONF" </dev/null >>"$LOGS/$name.out" 2>&1 &
  printf '%s' "$!" >"$PIDS/$name"
}

cmd_up() {
  need_root up
  local started
  if is_up; then
    say "already up (state folder $DIR)"
    printf 'SLURM_CONF=%s\n' "$CONF"
    return 0
  fi
  local name
  for name in "${DAEMONS[@]}"; do
    if live_pid "$name" >/dev/null; then
      say "partly up ($name runs, but the cluster does not answer): restarting"
      cmd_down
      break
    fi
  done
  local pid others
  for name in slurmctld slurmd; do
    others=""
    for pid in $(pgrep -x "$name" || true); do
      if alive "$pid"; then others="$others $pid"; fi
    done
    [ -z "$others" ] || die "another $name is running (pid$others): it holds Slurm's ports. Stop it first."
  done
  install_packages
  started="$(now)"
  if [ -e "$DIR" ] && [ "$(stat -c %u "$DIR")" != 0 ]; then
    die "$DIR exists and is not owned by root: remove it or set FLOWLINE_SLURM_DIR to another folder"
  fi
  # A fresh cluster every time: no jobs left from an earlier one, job ids from 1.
  rm -rf "$DIR/state" "$DIR/spool" "$DIR/run" "$PIDS" "$LOGS"
  mkdir -p "$DIR" "$DIR/state" "$DIR/spool" "$DIR/run" "$PIDS" "$LOGS"
  chmod 0755 "$DIR"
  write_conf
  start_munged
  start_daemon slurmctld
  start_daemon slurmd
  local deadline=$((SECONDS + UP_TIMEOUT)) state=""
  while ((SECONDS < deadline)); do
    state="$(node_state || true)"
    [ "$state" = idle ] && break
    for name in slurmctld slurmd; do
      live_pid "$name" >/dev/null || { print_logs; cmd_down >/dev/null; die "$name exited during start-up (logs above)"; }
    done
    sleep 0.1
  done
  if [ "$state" != idle ]; then
    print_logs
    cmd_down >/dev/null
    die "the node did not become idle within ${UP_TIMEOUT}s (last state: '${state:-no answer}'; logs above)"
  fi
  printf 'export SLURM_CONF=%q\n' "$CONF" >"$DIR/env"
  say "up in $(elapsed "$started") s: node $(hostname -s), $(nproc) CPUs, partitions main (default) and other, licenses db:1 pair:2, $(sed -n 's/^ProctrackType=//p' "$CONF")"
  printf 'SLURM_CONF=%s\n' "$CONF"
}

# ---------------------------------------------------------------------------------------------------------- down
# Processes still running for this cluster after its daemons stopped (killed, or a job that outlived a cancel):
# those in slurmd's freezer cgroups; a slurmstepd holding a file of the state folder open (its log); the process
# group of a batch script run from the state folder's spool (what proctrack/pgid tracks); and any other process of
# one of its jobs, known by its environment.
leftover_pids() {
  local root pid fd
  root="$(cgroup_root)"
  if [ -d "$root" ]; then
    find "$root" -name cgroup.procs -exec cat {} + 2>/dev/null || true
  fi
  # Builtins only in the loop: a fork per process would make this take seconds on a busy machine.
  local comm argv env e conf job
  for pid in /proc/[0-9]*; do
    pid="${pid#/proc/}"
    [ "$pid" = "$$" ] && continue
    comm="" argv=()
    read -r comm 2>/dev/null <"/proc/$pid/comm" || continue
    if [ "$comm" = slurmstepd ]; then
      for fd in "/proc/$pid/fd/"*; do
        [[ "$(readlink "$fd" 2>/dev/null)" == "$DIR"/* ]] && { printf '%s\n' "$pid"; break; }
      done
    else
      mapfile -d '' argv 2>/dev/null <"/proc/$pid/cmdline" || continue
      if [[ " ${argv[*]} " == *" $DIR/spool/"* ]]; then
        printf '%s\n' "$pid"
        ps -o pid= -g "$(ps -o pgid= -p "$pid" | tr -d ' ')" 2>/dev/null | tr -d ' ' || true
        continue
      fi
      # A job's process that left its process group (setsid) and ignored TERM outlives a cancel under
      # proctrack/pgid; slurmstepd gives every job process this cluster's SLURM_CONF and a SLURM_JOB_ID.
      mapfile -d '' env 2>/dev/null <"/proc/$pid/environ" || continue
      conf=0 job=0
      for e in "${env[@]}"; do
        case "$e" in "SLURM_CONF=$CONF") conf=1 ;; SLURM_JOB_ID=*) job=1 ;; esac
      done
      if [ "$conf$job" = 11 ]; then printf '%s\n' "$pid"; fi
    fi
  done
}

cmd_down() {
  need_root down
  local name pid ids i
  if live_pid slurmctld >/dev/null && live_pid munged >/dev/null; then
    # Cancel its jobs while the controller can still do it, so slurmstepd ends them (with proctrack/pgid nothing
    # else would find them).
    ids="$(squeue -h -o %i 2>/dev/null | tr '\n' ' ' || true)"
    if [ -n "${ids// /}" ]; then
      # shellcheck disable=SC2086 # one argument per job id
      scancel $ids 2>/dev/null || true
      for ((i = 0; i < 100; i++)); do
        [ -z "$(squeue -h -t PD,R,CG,S -o %i 2>/dev/null)" ] && break
        sleep 0.1
      done
    fi
  fi
  local stopped=0
  for name in "${DAEMONS[@]}"; do
    if pid="$(live_pid "$name")"; then
      stop_pid "$pid"
      stopped=1
    fi
  done
  # A frozen cgroup would keep its processes from acting on KILL.
  local root
  root="$(cgroup_root)"
  if [ -d "$root" ]; then
    find "$root" -name freezer.state -exec sh -c 'for f; do echo THAWED >"$f"; done' sh {} + 2>/dev/null || true
  fi
  for pid in $(leftover_pids | sort -un); do
    say "killing leftover process $pid ($(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" || echo gone))"
    kill -KILL "$pid" 2>/dev/null || true
  done
  if [ -d "$root" ]; then
    for ((i = 0; i < 50; i++)); do
      find "$root" -depth -type d -exec rmdir {} + 2>/dev/null || true
      [ -d "$root" ] || break
      sleep 0.1
    done
    [ ! -d "$root" ] || say "could not remove $root (processes left in it?)"
  fi
  rm -f "$PIDS"/* "$DIR/env" 2>/dev/null || true
  if [ "$stopped" = 1 ]; then say "down"; else say "was not up"; fi
}

# -------------------------------------------------------------------------------------------------------- status
cmd_status() {
  if is_up; then
    say "up: slurmctld $(live_pid slurmctld), slurmd $(live_pid slurmd), munged $(live_pid munged); node $(node_state)"
    printf 'SLURM_CONF=%s\n' "$CONF"
    return 0
  fi
  local name parts=()
  for name in "${DAEMONS[@]}"; do
    if live_pid "$name" >/dev/null; then parts+=("$name running"); fi
  done
  if [ ${#parts[@]} -gt 0 ]; then say "not up: ${parts[*]}, node '$(node_state || true)'"; else say "down"; fi
  return 3
}

# --------------------------------------------------------------------------------------------------------- smoke
# Waits for a job's terminal state and prints "STATE EXITCODE" (exit code as code:signal).
wait_job() {
  local id="$1" deadline=$((SECONDS + JOB_TIMEOUT)) line state
  while ((SECONDS < deadline)); do
    line="$(scontrol show job -o "$id" 2>/dev/null || true)"
    state="$(sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p' <<<"$line")"
    case "$state" in
      COMPLETED | FAILED | CANCELLED | TIMEOUT | OUT_OF_MEMORY | NODE_FAIL | PREEMPTED | BOOT_FAIL | DEADLINE)
        printf '%s %s\n' "$state" "$(sed -n 's/.* ExitCode=\([0-9:]*\).*/\1/p' <<<"$line")"
        return 0 ;;
    esac
    sleep 0.1
  done
  printf 'TIMEOUT-WAITING %s\n' "${state:-unknown}"
}

submit() { # submit ARGS... : prints the job id (--parsable prints "id" or "id;cluster")
  local out
  out="$(sbatch --parsable "$@")" || die "sbatch $* failed"
  out="${out%%;*}"
  [[ "$out" =~ ^[0-9]+$ ]] || die "sbatch printed '$out', not a job id"
  printf '%s' "$out"
}

cmd_smoke() {
  is_up || die "not up: run '$0 up' first"
  local started dir failures=0
  started="$(now)"
  # Jobs run as the submitting user (root or not), on this machine: a private temporary folder serves.
  dir="$(mktemp -d "${TMPDIR:-/tmp}/flowline-slurm-smoke.XXXXXX")"
  cat >"$dir/job.sh" <<'EOF'
#!/bin/bash
printf 'args=%s|%s cwd=%s job=%s\n' "$1" "$2" "$PWD" "$SLURM_JOB_ID"
exit "$3"
EOF
  cat >"$dir/hold.sh" <<'EOF'
#!/bin/bash
date +%s.%N >"$1.start"
sleep 1
date +%s.%N >"$1.end"
EOF

  # Argument lists, never a shell string: the arguments with spaces must arrive as they were given.
  local ok bad lic1 lic2
  ok="$(submit --job-name=smoke-ok --chdir="$dir" --output="$dir/ok.out" "$dir/job.sh" 'two words' '*' 0)"
  bad="$(submit --job-name=smoke-exit3 --partition=other --chdir="$dir" --output="$dir/bad.out" "$dir/job.sh" a b 3)"
  lic1="$(submit --job-name=smoke-lic1 --licenses=db:1 --output=/dev/null "$dir/hold.sh" "$dir/lic1")"
  lic2="$(submit --job-name=smoke-lic2 --licenses=db:1 --output=/dev/null "$dir/hold.sh" "$dir/lic2")"

  check() { # check WHAT EXPECTED ACTUAL
    if [ "$2" = "$3" ]; then say "ok: $1"; else say "FAILED: $1: expected '$2', got '$3'"; failures=$((failures + 1)); fi
  }
  check "job $ok ends COMPLETED with exit 0" "COMPLETED 0:0" "$(wait_job "$ok")"
  check "job $ok's output (arguments and cwd intact)" "args=two words|* cwd=$dir job=$ok" "$(cat "$dir/ok.out" 2>/dev/null)"
  check "job $bad (partition other) ends FAILED with exit 3" "FAILED 3:0" "$(wait_job "$bad")"
  check "job $bad's output" "args=a|b cwd=$dir job=$bad" "$(cat "$dir/bad.out" 2>/dev/null)"
  check "license job $lic1 ends COMPLETED" "COMPLETED 0:0" "$(wait_job "$lic1")"
  check "license job $lic2 ends COMPLETED" "COMPLETED 0:0" "$(wait_job "$lic2")"
  local overlap
  overlap="$(awk -v s1="$(cat "$dir/lic1.start" 2>/dev/null)" -v e1="$(cat "$dir/lic1.end" 2>/dev/null)" \
                 -v s2="$(cat "$dir/lic2.start" 2>/dev/null)" -v e2="$(cat "$dir/lic2.end" 2>/dev/null)" \
    'BEGIN { if (s1 == "" || s2 == "") print "missing"; else if (e1 <= s2 || e2 <= s1) print "no"; else print "yes" }')"
  check "jobs $lic1 and $lic2 holding license db:1 never overlap" "no" "$overlap"
  if [ "$failures" -ne 0 ]; then
    print_logs
    die "smoke: $failures check(s) failed after $(elapsed "$started") s (files in $dir)"
  fi
  rm -rf "$dir"
  say "smoke passed in $(elapsed "$started") s"
}

header() { awk 'NR == 1 { next } /^#/ { sub(/^# ?/, ""); print; next } { exit }' "$0"; }

case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  smoke) cmd_smoke ;;
  -h | --help | help) header ;;
  *) header | sed -n '/^Usage:/,/^$/p' >&2; exit 2 ;;
esac
