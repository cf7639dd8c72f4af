#!/usr/bin/env bash
# A real single-node Apache Kafka broker (KRaft, combined broker+controller) on 127.0.0.1,
# run from the Maven jars: no Docker, no Kafka tarball.
#
#   deploy/kafka.sh start    fetch the jars (first time only), format storage (first time only),
#                            start the broker in the background, wait until it serves clients,
#                            print KAFKA_BOOTSTRAP=127.0.0.1:<port>. Already running: just print.
#   deploy/kafka.sh stop     SIGTERM, wait, SIGKILL after KAFKA_STOP_TIMEOUT s; fine if not running
#   deploy/kafka.sh status   exit 0 when running, 3 when not
#   deploy/kafka.sh env      print KAFKA_BOOTSTRAP=127.0.0.1:<port> (for eval)
#
# Variables (all optional):
#   KAFKA_PORT             client listener port (19092)
#   KAFKA_CONTROLLER_PORT  KRaft controller listener port (19093)
#   KAFKA_RESET=1          with start: stop the broker if running, wipe its data, start afresh
#   KAFKA_VERSION          Kafka version to fetch (default: the one in deploy/kafka/pom.xml)
#   KAFKA_LOG4J_VERSION    log4j2 version of the SLF4J binding (default: the one in the pom)
#   KAFKA_HEAP_OPTS        JVM heap flags ("-Xms256m -Xmx512m")
#   KAFKA_OPTS             extra JVM flags
#   KAFKA_START_TIMEOUT    seconds to wait for the broker to serve clients (90)
#   KAFKA_STOP_TIMEOUT     seconds to wait after SIGTERM before SIGKILL (30)
#   TIMBRA_DEPLOY_DIR      where state lives (<repo root>/.deploy)
#
# State, under $TIMBRA_DEPLOY_DIR/kafka/:
#   libs/                 the jar cache (kept by KAFKA_RESET)
#   broker-<port>/        one broker: server.properties, data/, logs/server.log, kafka.pid
#
# Messages go to stderr; stdout carries only the KAFKA_BOOTSTRAP line, so
#   eval "$(deploy/kafka.sh start)"
# works. Java 17+ and Maven are installed from Debian packages when missing (root only).
set -euo pipefail

readonly PROG=kafka.sh
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd -P)
readonly SCRIPT_DIR REPO_ROOT
readonly POM=$SCRIPT_DIR/kafka/pom.xml
readonly LOG4J_CONFIG=$SCRIPT_DIR/kafka/log4j2.properties

DEPLOY_DIR=${TIMBRA_DEPLOY_DIR:-$REPO_ROOT/.deploy}
[[ $DEPLOY_DIR == /* ]] || DEPLOY_DIR=$PWD/$DEPLOY_DIR
PORT=${KAFKA_PORT:-19092}
CONTROLLER_PORT=${KAFKA_CONTROLLER_PORT:-19093}
START_TIMEOUT=${KAFKA_START_TIMEOUT:-90}
STOP_TIMEOUT=${KAFKA_STOP_TIMEOUT:-30}
HEAP_OPTS=${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m}

STATE=$DEPLOY_DIR/kafka
LIBS=$STATE/libs
NODE=$STATE/broker-$PORT
DATA=$NODE/data
LOGS=$NODE/logs
PROPS=$NODE/server.properties
PIDFILE=$NODE/kafka.pid
SERVER_LOG=$LOGS/server.log

JAVA=""

log() { printf '%s: %s\n' "$PROG" "$*" >&2; }
die() { printf '%s: error: %s\n' "$PROG" "$*" >&2; exit 1; }

bootstrap_line() { printf 'KAFKA_BOOTSTRAP=127.0.0.1:%s\n' "$PORT"; }

check_settings() {
  local name value
  for name in PORT CONTROLLER_PORT START_TIMEOUT STOP_TIMEOUT; do
    value=${!name}
    [[ $value =~ ^[0-9]+$ ]] || die "KAFKA_$name must be a whole number, got '$value'"
  done
  ((PORT > 0 && PORT < 65536)) || die "KAFKA_PORT out of range: $PORT"
  ((CONTROLLER_PORT > 0 && CONTROLLER_PORT < 65536)) || die "KAFKA_CONTROLLER_PORT out of range: $CONTROLLER_PORT"
  ((PORT != CONTROLLER_PORT)) || die "KAFKA_PORT and KAFKA_CONTROLLER_PORT must differ (both $PORT)"
}

# Serialise start/stop of one broker (two test processes may call start at once).
take_lock() {
  mkdir -p "$NODE"
  exec 9>"$NODE/.lock"
  flock -w 180 9 || die "another $PROG is busy with $NODE for 3 minutes; giving up"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# The pid in the pid file, if that process is alive and is our broker (not a reused pid).
broker_pid() {
  local pid state
  [[ -f $PIDFILE ]] || return 1
  pid=$(<"$PIDFILE")
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  [[ -r /proc/$pid/cmdline ]] || return 1
  state=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null) || return 1
  [[ $state != Z ]] || return 1
  tr '\0' '\n' <"/proc/$pid/cmdline" | grep -qxF -- "$PROPS" || return 1
  printf '%s\n' "$pid"
}

alive() {
  local state
  state=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 1
  [[ $state != Z ]]
}

show_log_tail() {
  local file
  for file in "$LOGS/kafka.out" "$SERVER_LOG"; do
    if [[ -s $file ]]; then
      printf '%s: ---- last lines of %s ----\n' "$PROG" "$file" >&2
      tail -n 40 "$file" >&2
    fi
  done
}

apt_install() {
  [[ $EUID -eq 0 ]] || die "$* is needed: install it (apt-get install $*) or run this script as root"
  log "installing $* from Debian packages"
  local out=$STATE/apt.log
  mkdir -p "$STATE"
  if ! { DEBIAN_FRONTEND=noninteractive apt-get update -q &&
         DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@"; } </dev/null >"$out" 2>&1; then
    tail -n 30 "$out" >&2
    die "apt-get install $* failed (full output in $out)"
  fi
}

java_major() {
  "$1" -XshowSettings:properties -version 2>&1 |
    awk -F'= ' '/java.specification.version/ {print $2; exit}' | cut -d. -f1
}

find_java() {
  local candidate major
  for candidate in ${JAVA_HOME:+"$JAVA_HOME/bin/java"} "$(command -v java || true)" /usr/lib/jvm/*/bin/java; do
    [[ -n $candidate && -x $candidate ]] || continue
    major=$(java_major "$candidate") || continue
    if [[ $major =~ ^[0-9]+$ ]] && ((major >= 17)); then
      JAVA=$candidate
      return 0
    fi
  done
  return 1
}

ensure_tools() {
  if ! find_java; then
    apt_install openjdk-17-jre-headless
    find_java || die "no Java 17+ found even after installing openjdk-17-jre-headless"
  fi
  command -v mvn >/dev/null 2>&1 || apt_install maven
  command -v mvn >/dev/null 2>&1 || die "mvn not found even after installing maven"
}

# Fetch the broker's jars once; refetch only when the pom or the requested versions change.
fetch_jars() {
  local want have tmp started out
  want="$(sha256sum <"$POM" | cut -d' ' -f1) kafka=${KAFKA_VERSION:-pom} log4j=${KAFKA_LOG4J_VERSION:-pom}"
  have=$(cat "$LIBS/.complete" 2>/dev/null || true)
  if [[ $have == "$want" ]]; then
    return 0
  fi
  local -a props=()
  [[ -z ${KAFKA_VERSION:-} ]] || props+=("-Dkafka.version=$KAFKA_VERSION")
  [[ -z ${KAFKA_LOG4J_VERSION:-} ]] || props+=("-Dlog4j.version=$KAFKA_LOG4J_VERSION")
  log "fetching the Kafka broker jars with Maven into $LIBS (first start only)"
  started=$SECONDS
  tmp=$STATE/libs.partial
  out=$STATE/mvn.log
  rm -rf "$tmp"
  mkdir -p "$tmp"
  if ! JAVA_HOME=$(dirname "$(dirname "$(readlink -f "$JAVA")")") \
      mvn -B -q -f "$POM" "${props[@]}" dependency:copy-dependencies \
        -DoutputDirectory="$tmp" -DincludeScope=runtime </dev/null >"$out" 2>&1; then
    tail -n 30 "$out" >&2
    die "Maven could not fetch the Kafka jars (full output in $out)"
  fi
  compgen -G "$tmp/kafka_2.13-*.jar" >/dev/null || die "Maven finished but no kafka_2.13 jar in $tmp"
  compgen -G "$tmp/log4j-slf4j-impl-*.jar" >/dev/null || die "Maven finished but no log4j-slf4j-impl jar in $tmp"
  printf '%s\n' "$want" >"$tmp/.complete"
  rm -rf "$LIBS"
  mv "$tmp" "$LIBS"
  log "fetched $(find "$LIBS" -name '*.jar' | wc -l) jars in $((SECONDS - started)) s: $(basename "$(compgen -G "$LIBS/kafka_2.13-*.jar")")"
}

write_config() {
  mkdir -p "$DATA" "$LOGS"
  cat >"$PROPS" <<EOF
# Written by deploy/kafka.sh on every start; edit the script, not this file.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$PORT
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$DATA

# One node: every replication factor is 1.
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1

# Tests: topics are created explicitly by the application; groups form without delay;
# the internal topics are small so the first consumer group does not wait for 50 partitions.
auto.create.topics.enable=false
delete.topic.enable=true
num.partitions=1
group.initial.rebalance.delay.ms=0
offsets.topic.num.partitions=4
transaction.state.log.num.partitions=4

# A laptop's disk: 16 MiB segments, at most 64 MiB or 24 h kept per partition.
log.segment.bytes=16777216
log.retention.bytes=67108864
log.retention.hours=24
log.retention.check.interval.ms=60000
num.network.threads=2
num.io.threads=4
num.recovery.threads.per.data.dir=1
EOF
}

gen_cluster_id() {
  # Kafka's Uuid: 16 random bytes, URL-safe base64 without padding, never starting with '-'.
  local id
  while :; do
    id=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')
    [[ $id == -* ]] || break
  done
  printf '%s\n' "$id"
}

format_storage() {
  [[ ! -f $DATA/meta.properties ]] || return 0
  local id
  id=$(gen_cluster_id)
  log "formatting new storage in $DATA (cluster id $id)"
  if ! "$JAVA" -Xmx256m -Dkafka.logs.dir="$LOGS" -Dlog4j2.configurationFile="$LOG4J_CONFIG" \
      -cp "$LIBS/*" kafka.tools.StorageTool format -t "$id" -c "$PROPS" --ignore-formatted \
      </dev/null >"$LOGS/format.log" 2>&1; then
    cat "$LOGS/format.log" >&2
    die "formatting the Kafka storage failed"
  fi
}

kill_broker() {
  local pid=$1 waited=0
  kill -TERM "$pid" 2>/dev/null || true
  while alive "$pid" && ((waited < STOP_TIMEOUT * 10)); do
    sleep 0.1
    waited=$((waited + 1))
  done
  if alive "$pid"; then
    log "broker (pid $pid) still running after ${STOP_TIMEOUT} s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    waited=0
    while alive "$pid" && ((waited < 100)); do
      sleep 0.1
      waited=$((waited + 1))
    done
    ! alive "$pid" || die "could not kill the broker (pid $pid)"
  fi
  rm -f "$PIDFILE"
}

cmd_start() {
  check_settings
  take_lock
  local pid
  if pid=$(broker_pid); then
    if [[ ${KAFKA_RESET:-0} == 1 ]]; then
      log "KAFKA_RESET=1: stopping the running broker (pid $pid)"
      kill_broker "$pid"
    else
      log "already running (pid $pid), state in $NODE"
      bootstrap_line
      return 0
    fi
  fi
  rm -f "$PIDFILE"
  local p
  for p in "$PORT" "$CONTROLLER_PORT"; do
    ! port_open "$p" || die "127.0.0.1:$p is already in use by another process (not the broker of $NODE); set KAFKA_PORT / KAFKA_CONTROLLER_PORT"
  done

  ensure_tools
  fetch_jars
  if [[ ${KAFKA_RESET:-0} == 1 && -d $DATA ]]; then
    log "KAFKA_RESET=1: wiping $DATA"
    rm -rf "$DATA"
  fi
  write_config
  format_storage

  # Only this start's lines count when waiting for "Kafka Server started".
  [[ ! -f $SERVER_LOG ]] || mv -f "$SERVER_LOG" "$SERVER_LOG.previous"
  local started=$SECONDS
  local -a jvm_opts
  read -r -a jvm_opts <<<"$HEAP_OPTS ${KAFKA_OPTS:-}"
  # setsid: the broker leaves the caller's session and process group, so a test runner or a
  # terminal that kills its group does not take the broker down with it. 9>&- : the broker
  # must not inherit (and so hold forever) the lock.
  (
    cd "$NODE"
    exec setsid "$JAVA" "${jvm_opts[@]}" -server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
      -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -XX:MaxInlineLevel=15 \
      -XX:+ExitOnOutOfMemoryError -XX:-UsePerfData -Djava.awt.headless=true \
      -Dkafka.logs.dir="$LOGS" -Dlog4j2.configurationFile="$LOG4J_CONFIG" \
      -cp "$LIBS/*" kafka.Kafka "$PROPS" </dev/null >"$LOGS/kafka.out" 2>&1 9>&-
  ) &
  pid=$!
  printf '%s\n' "$pid" >"$PIDFILE"

  local deadline=$((SECONDS + START_TIMEOUT))
  until port_open "$PORT" && grep -qF "Kafka Server started" "$SERVER_LOG" 2>/dev/null; do
    if ! alive "$pid"; then
      rm -f "$PIDFILE"
      show_log_tail
      die "the broker exited during startup (logs in $LOGS)"
    fi
    if ((SECONDS >= deadline)); then
      show_log_tail
      log "stopping the broker that did not come up"
      kill_broker "$pid"
      die "the broker did not serve clients on 127.0.0.1:$PORT within $START_TIMEOUT s (logs in $LOGS)"
    fi
    sleep 0.25
  done
  log "started in $((SECONDS - started)) s (pid $pid), state in $NODE, log $SERVER_LOG"
  bootstrap_line
}

cmd_stop() {
  check_settings
  take_lock
  local pid
  if ! pid=$(broker_pid); then
    rm -f "$PIDFILE"
    log "not running (port $PORT)"
    return 0
  fi
  log "stopping the broker (pid $pid)"
  kill_broker "$pid"
  log "stopped"
}

cmd_status() {
  check_settings
  local pid
  if pid=$(broker_pid); then
    if port_open "$PORT"; then
      echo "kafka: running (pid $pid) on 127.0.0.1:$PORT, state in $NODE"
    else
      echo "kafka: running (pid $pid) but 127.0.0.1:$PORT is not open yet, state in $NODE"
    fi
    return 0
  fi
  echo "kafka: not running (port $PORT, state in $NODE)"
  return 3
}

main() {
  local command=${1:-}
  case $command in
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    env) check_settings; bootstrap_line ;;
    *)
      echo "usage: $0 {start|stop|status|env}   (see the top of this file for variables)" >&2
      exit 2
      ;;
  esac
}

main "$@"
