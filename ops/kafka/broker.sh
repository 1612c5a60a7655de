#!/usr/bin/env bash
# Single-node Apache Kafka broker (KRaft, broker+controller in one JVM) for
# tests and local runs. See README.md in this directory.
#
#   broker.sh fetch          resolve the broker jars into the cache
#   broker.sh start DIR      start a broker whose state lives in DIR; prints host:port
#   broker.sh stop DIR       SIGTERM, up to 30 s, then SIGKILL
#   broker.sh status DIR     exit 0 and print the address if running, else exit 3
#   broker.sh restart DIR    stop, then start again on the same ports with the same data
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
POM="$HERE/pom.xml"
KAFKA_VERSION="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$POM")"
KAFKA_HOME="${AIDTRAIL_KAFKA_HOME:-${HOME:-/tmp}/.cache/aidtrail/kafka-$KAFKA_VERSION}"
LIBS="$KAFKA_HOME/libs"
START_TIMEOUT="${AIDTRAIL_KAFKA_START_TIMEOUT:-60}"
STOP_TIMEOUT=30

log() { echo "broker.sh: $*" >&2; }
die() { log "error: $*"; exit 1; }

java_bin() {
  if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
    echo "$JAVA_HOME/bin/java"
  else
    echo java
  fi
}

ensure_tools() {
  local missing=()
  command -v mvn >/dev/null || missing+=(maven)
  command -v "$(java_bin)" >/dev/null || missing+=(default-jre-headless)
  ((${#missing[@]} == 0)) && return 0
  if [[ $EUID -ne 0 ]]; then
    die "need ${missing[*]} (mvn and a Java 11+ runtime); install them, e.g. apt-get install -y maven default-jre-headless"
  fi
  log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update >&2
  apt-get install -y maven default-jre-headless >&2
}

# The stamp holds the pom's hash, so editing the pom re-resolves the jars and
# a copy interrupted half-way is never taken for a complete one.
fetch() {
  local want
  want="$(sha256sum "$POM" | cut -d' ' -f1)"
  [[ -f "$LIBS/.pom.sha256" && "$(cat "$LIBS/.pom.sha256")" == "$want" ]] && return 0
  ensure_tools
  mkdir -p "$KAFKA_HOME"
  # Parallel test jobs may all call fetch on a cold cache.
  exec 8>"$KAFKA_HOME/.fetch.lock"
  flock -w 900 8 || die "timed out waiting for another fetch into $KAFKA_HOME"
  if [[ ! -f "$LIBS/.pom.sha256" || "$(cat "$LIBS/.pom.sha256")" != "$want" ]]; then
    log "resolving Kafka $KAFKA_VERSION jars into $LIBS"
    rm -rf "$LIBS"
    # mvn -q still prints errors on stdout, which is reserved for the address;
    # Debian's Maven 3.8 emits colour resets even in batch mode.
    (cd "$HERE" && mvn -q -B -Dstyle.color=never -f "$POM" dependency:copy-dependencies \
       -DincludeScope=runtime -DoutputDirectory="$LIBS" 2>&1) | sed 's/\x1b\[[0-9;]*m//g' >&2 \
      || die "mvn could not resolve the Kafka jars"
    echo "$want" >"$LIBS/.pom.sha256"
  fi
  exec 8>&-
}

# Prints two distinct free loopback ports. Both sockets are held open together
# so the kernel cannot hand out the same port twice.
free_ports() {
  if ! python3 - 2>/dev/null <<'PY'
import socket
s = [socket.socket() for _ in range(2)]
for x in s:
    x.bind(("127.0.0.1", 0))
print(*(x.getsockname()[1] for x in s))
PY
  then
    # No python: pick random ports below the ephemeral range that nothing
    # on this host has bound (the local-port column of /proc/net/tcp*).
    local used=" " addr p ports=()
    while read -r _ addr _; do
      used+="$((16#${addr##*:})) "
    done < <(tail -q -n +2 /proc/net/tcp /proc/net/tcp6 2>/dev/null)
    while ((${#ports[@]} < 2)); do
      p=$((20000 + RANDOM % 12000))
      [[ "$used" != *" $p "* ]] || continue
      used+="$p "
      ports+=("$p")
    done
    echo "${ports[@]}"
  fi
}

is_alive() { # pid: true for a live, non-zombie process
  local state
  kill -0 "$1" 2>/dev/null || return 1
  state="$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null)" || return 1
  [[ "$state" != Z ]]
}

# Pid of the broker running from DIR, or nothing. The command line check
# keeps a stale pid file from matching an unrelated process that reused the pid.
running_pid() {
  local dir=$1 pid
  [[ -f "$dir/broker.pid" ]] || return 0
  pid="$(cat "$dir/broker.pid")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 0
  is_alive "$pid" || return 0
  grep -qF "kafka.Kafka $dir/server.properties" < <(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) || return 0
  echo "$pid"
}

abs_dir() { # DIR [create]
  [[ "$1" != *\\* ]] || die "DIR must not contain a backslash (Java properties escape)"
  [[ -n "${2:-}" ]] && mkdir -p "$1"
  [[ -d "$1" ]] || die "no such directory: $1"
  (cd "$1" && pwd)
}

lock_dir() { # start, stop and restart on one DIR must not interleave
  exec 9>"$1/.lock"
  flock -w $((STOP_TIMEOUT + START_TIMEOUT + 30)) 9 || die "another broker.sh command holds $1/.lock"
}

prop() { sed -n "s/^$2=//p" "$1/server.properties" | tail -n 1; }

write_config() { # dir port cport
  local dir=$1 port=$2 cport=$3
  cat >"$dir/server.properties" <<EOF
# Single-node KRaft broker for tests; written by ops/kafka/broker.sh start.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$cport
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$dir/data

num.partitions=1
# One broker: internal topics can have only one replica.
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
# Fewer internal partitions make the first group join and the first
# transaction much faster; a single broker gains nothing from more.
offsets.topic.num.partitions=1
transaction.state.log.num.partitions=1
# Topics are created explicitly, so a typo in a topic name fails loudly.
auto.create.topics.enable=false

# Keep every record: tests read back all that was written.
log.retention.ms=-1
log.retention.bytes=-1
log.cleanup.policy=delete
# With one replica there is no other copy to recover from, so the only way an
# acknowledged write survives an OS crash or power loss is to fsync it before
# the produce response is sent. Flushing after every message does that.
log.flush.interval.messages=1

message.max.bytes=8388608
# Consumers in tests should get their partitions at once, not after 3 s.
group.initial.rebalance.delay.ms=0
# After a crash (kill -9) the controller keeps the old broker registration
# until its session expires, and the restarted broker waits for that: 9 s by
# default. A shorter session makes crash-and-restart tests quicker.
broker.heartbeat.interval.ms=500
broker.session.timeout.ms=4000
EOF
}

write_log4j() { # dir: broker logs to stdout (broker.log), tools only warn on stderr
  cat >"$1/log4j.properties" <<'EOF'
log4j.rootLogger=INFO, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
# Per-request and state-change chatter drowns the useful lines.
log4j.logger.kafka.request.logger=WARN
log4j.logger.state.change.logger=WARN
log4j.logger.kafka.authorizer.logger=WARN
EOF
  cat >"$1/tools-log4j.properties" <<'EOF'
log4j.rootLogger=WARN, stderr
log4j.appender.stderr=org.apache.log4j.ConsoleAppender
log4j.appender.stderr.Target=System.err
log4j.appender.stderr.layout=org.apache.log4j.PatternLayout
log4j.appender.stderr.layout.ConversionPattern=[%d] %p %m (%c)%n
EOF
}

storage_tool() { # dir args...
  local dir=$1
  shift
  "$(java_bin)" -Xmx256m -cp "$LIBS/*" -Dlog4j.configuration="file:$dir/tools-log4j.properties" \
    kafka.tools.StorageTool "$@"
}

format_if_needed() {
  local dir=$1 id
  [[ -f "$dir/data/meta.properties" ]] && return 0
  id="$(storage_tool "$dir" random-uuid)"
  storage_tool "$dir" format -t "$id" -c "$dir/server.properties" >&2
}

# Sends an ApiVersions v0 request and checks that the response carries error
# code 0: proof that the broker parses and answers Kafka requests.
probe() { # port
  # shellcheck disable=SC2016 # expanded by the inner shell
  timeout 5 bash -c '
    exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
    # size=15, api_key=18, api_version=0, correlation_id=1, client_id="probe"
    printf "\x00\x00\x00\x0f\x00\x12\x00\x00\x00\x00\x00\x01\x00\x05probe" >&3
    # response: size (4 bytes), correlation_id=1, error_code=0
    [[ "$(head -c 10 <&3 | od -An -tx1 | tr -d " \n")" == ????????000000010000 ]]
  ' probe "$1" 2>/dev/null
}

LAUNCHED_PID=""
LAUNCH_DIR=""
on_start_exit() {
  local rc=$? pid
  if [[ $rc -ne 0 && -n "$LAUNCHED_PID" ]]; then
    log "broker did not come up; last 50 lines of $LAUNCH_DIR/broker.log:"
    tail -n 50 "$LAUNCH_DIR/broker.log" >&2 || true
    # broker.pid is authoritative; $! differs from it only if setsid had to fork.
    pid="$(cat "$LAUNCH_DIR/broker.pid" 2>/dev/null || true)"
    kill -KILL "$LAUNCHED_PID" ${pid:+"$pid"} 2>/dev/null || true
    wait "$LAUNCHED_PID" 2>/dev/null || true
    rm -f "$LAUNCH_DIR/broker.pid" "$LAUNCH_DIR/bootstrap"
  fi
  exit $rc
}

# Starts the broker described by DIR/server.properties and waits until it
# serves requests. DIR must be locked and formatted.
launch() {
  local dir=$1 port bootstrap offset deadline
  port="$(prop "$dir" advertised.listeners)"
  port="${port##*:}"
  bootstrap="127.0.0.1:$port"
  rm -f "$dir/bootstrap"
  touch "$dir/broker.log"
  # Only log lines written after this offset belong to this start.
  offset="$(stat -c %s "$dir/broker.log")"
  LAUNCH_DIR="$dir"
  trap on_start_exit EXIT
  trap 'exit 130' INT TERM
  # The inner shell writes its own pid and then becomes java, so broker.pid
  # is the JVM's pid. setsid detaches it from the caller's terminal and
  # process group; fds 8 and 9 (the locks) must not leak into the broker.
  # shellcheck disable=SC2016 # expanded by the inner shell
  nohup setsid bash -c 'echo $$ >"$1/broker.pid"; shift; exec "$@"' launch "$dir" \
    "$(java_bin)" -Xmx512m -Xms256m -XX:+UseG1GC -Djava.awt.headless=true \
    -Dlog4j.configuration="file:$dir/log4j.properties" \
    -cp "$LIBS/*" kafka.Kafka "$dir/server.properties" \
    </dev/null >>"$dir/broker.log" 2>&1 8>&- 9>&- &
  LAUNCHED_PID=$!
  log "started pid $LAUNCHED_PID, waiting for $bootstrap"
  deadline=$((SECONDS + START_TIMEOUT))
  # Process substitution, not a pipe: with pipefail, tail killed by SIGPIPE
  # after grep -q matched would count as "not started".
  until grep -q "Kafka Server started" < <(tail -c +$((offset + 1)) "$dir/broker.log") && probe "$port"; do
    is_alive "$LAUNCHED_PID" || die "broker exited during start-up"
    ((SECONDS < deadline)) || die "broker not ready after ${START_TIMEOUT}s"
    sleep 0.2
  done
  echo "$bootstrap" >"$dir/bootstrap.tmp"
  mv "$dir/bootstrap.tmp" "$dir/bootstrap"
  LAUNCHED_PID=""
  trap - EXIT INT TERM
  echo "$bootstrap"
}

stop_broker() { # dir (locked)
  local dir=$1 pid deadline
  pid="$(running_pid "$dir")"
  if [[ -z "$pid" ]]; then
    rm -f "$dir/broker.pid" "$dir/bootstrap"
    return 0
  fi
  log "stopping pid $pid"
  kill -TERM "$pid" 2>/dev/null || true
  deadline=$((SECONDS + STOP_TIMEOUT))
  while is_alive "$pid" && ((SECONDS < deadline)); do sleep 0.2; done
  if is_alive "$pid"; then
    log "pid $pid still running after ${STOP_TIMEOUT}s, sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    while is_alive "$pid"; do sleep 0.1; done
  fi
  rm -f "$dir/broker.pid" "$dir/bootstrap"
}

cmd_start() {
  local dir pid port cport
  dir="$(abs_dir "$1" create)"
  fetch
  lock_dir "$dir"
  pid="$(running_pid "$dir")"
  [[ -z "$pid" ]] || die "a broker is already running from $dir (pid $pid, $(cat "$dir/bootstrap" 2>/dev/null))"
  read -r port cport < <(free_ports)
  [[ "$port" =~ ^[0-9]+$ && "$cport" =~ ^[0-9]+$ ]] || die "could not find free ports"
  write_config "$dir" "$port" "$cport"
  write_log4j "$dir"
  format_if_needed "$dir"
  launch "$dir"
}

cmd_restart() {
  local dir
  dir="$(abs_dir "$1")"
  [[ -f "$dir/server.properties" ]] || die "$dir has no server.properties; use start"
  fetch
  lock_dir "$dir"
  stop_broker "$dir"
  [[ -f "$dir/log4j.properties" ]] || write_log4j "$dir"
  format_if_needed "$dir"
  launch "$dir"
}

cmd_stop() {
  local dir
  dir="$(abs_dir "$1")"
  lock_dir "$dir"
  stop_broker "$dir"
}

cmd_status() {
  local dir pid
  [[ -d "$1" ]] || { echo "not running"; exit 3; }
  dir="$(abs_dir "$1")"
  pid="$(running_pid "$dir")"
  if [[ -n "$pid" && -f "$dir/bootstrap" ]]; then
    echo "running pid=$pid bootstrap=$(cat "$dir/bootstrap")"
  elif [[ -n "$pid" ]]; then
    echo "starting pid=$pid"
    exit 3
  else
    echo "not running"
    exit 3
  fi
}

usage() {
  sed -n '2,9s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2
  exit 2
}

case "${1:-}" in
  fetch) [[ $# -eq 1 ]] || usage; fetch; log "jars in $LIBS" ;;
  start | stop | status | restart) [[ $# -eq 2 ]] || usage; "cmd_$1" "$2" ;;
  *) usage ;;
esac
