#!/usr/bin/env bash
# A single-node Slurm cluster on this machine, for the cluster test (test/batch/slurm.test.ts):
#
#   scripts/slurm-local.sh start <folder>   # writes <folder>/slurm.conf, starts munged, slurmctld, slurmd
#   scripts/slurm-local.sh stop <folder>    # stops them (by the pids they wrote), keeps the logs
#
# Everything (config, state, spool, logs, munge key and socket) lives in <folder>: nothing of the
# machine's own Slurm or munge setup is read or changed. Clients use it with SLURM_CONF=<folder>/slurm.conf.
# Needs root (slurmd runs jobs as their user) and Debian's slurm-wlm and munge. `start` exits 0 once
# the node is idle, or non-zero with the reason on stderr (missing program, daemon down, 30 s passed).
set -euo pipefail

cmd=${1:-}
dir=${2:-}
if [ -z "$cmd" ] || [ -z "$dir" ]; then
  echo "usage: $0 start|stop <folder>" >&2
  exit 64
fi
dir=$(cd "$dir" && pwd)

stop() {
  for name in slurmd slurmctld munged; do
    pidfile="$dir/$name.pid"
    [ -f "$pidfile" ] || continue
    pid=$(cat "$pidfile" 2>/dev/null || true)
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$pidfile"
  done
}

if [ "$cmd" = stop ]; then
  stop
  exit 0
fi
[ "$cmd" = start ] || { echo "usage: $0 start|stop <folder>" >&2; exit 64; }

[ "$(id -u)" = 0 ] || { echo "not root: slurmd must run as root to start jobs" >&2; exit 2; }
for prog in munged slurmctld slurmd sbatch sinfo scontrol; do
  command -v "$prog" >/dev/null 2>&1 || [ -x "/usr/sbin/$prog" ] || { echo "$prog is not installed (apt-get install slurm-wlm munge)" >&2; exit 2; }
done
PATH=/usr/sbin:/sbin:$PATH

node=$(hostname -s)
# Ports of our own (two free ones from the kernel), so that a Slurm of the machine's or a second test
# run are not disturbed.
read -r ctld_port slurmd_port < <(node -e '
  const net = require("node:net");
  const free = () => new Promise((ok) => { const s = net.createServer().listen(0, "127.0.0.1", () => { const p = s.address().port; s.close(() => ok(p)); }); });
  (async () => console.log((await free()) + " " + (await free())))();')

mkdir -p "$dir/state" "$dir/spool" "$dir/munge"
chmod 700 "$dir/munge"
# munge: a key of our own, a socket of our own; munged refuses to run as root without --force.
if [ ! -f "$dir/munge/munge.key" ]; then
  dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 status=none
  chmod 400 "$dir/munge/munge.key"
fi
munged --force --key-file="$dir/munge/munge.key" --socket="$dir/munge/munge.sock" \
  --pid-file="$dir/munged.pid" --log-file="$dir/munged.log" --seed-file="$dir/munge/munge.seed"

cat > "$dir/slurm.conf" <<EOF
ClusterName=hedgesim-test
SlurmctldHost=$node(127.0.0.1)
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
AuthType=auth/munge
AuthInfo=socket=$dir/munge/munge.sock
CredType=cred/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
# No cgroups (containers rarely allow them): processes tracked through /proc.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
SwitchType=switch/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
# The node as configured here, whatever the hardware (the documented script asks 4 CPUs a task).
SlurmdParameters=config_overrides
SlurmctldTimeout=30
SlurmdTimeout=30
InactiveLimit=0
MinJobAge=300
KillWait=5
NodeName=$node NodeAddr=127.0.0.1 CPUs=4 RealMemory=1000 State=UNKNOWN
PartitionName=debug Nodes=$node Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF="$dir/slurm.conf"

slurmctld -f "$SLURM_CONF" -c -i
slurmd -f "$SLURM_CONF" -N "$node"

# Up when the node is idle (slurmd registered with slurmctld).
for _ in $(seq 1 60); do
  state=$(sinfo -h -n "$node" -o %T 2>/dev/null || true)
  case "$state" in
    idle*) exit 0 ;;
  esac
  sleep 0.5
done
echo "the node did not become idle within 30 s (state: '${state:-none}'); see $dir/slurmctld.log and $dir/slurmd.log:" >&2
tail -n 5 "$dir/slurmctld.log" "$dir/slurmd.log" >&2 2>/dev/null || true
stop
exit 1
