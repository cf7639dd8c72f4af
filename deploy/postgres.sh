#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on 127.0.0.1 for tests and local runs, from Debian's server
# binaries (/usr/lib/postgresql/<version>/bin): no Docker, no system service.
#
#   deploy/postgres.sh start    create the cluster (first time only), start it, make sure role
#                               and database `timbra` exist, check a real query, print
#                               TIMBRA_POSTGRES_DSN=postgresql://timbra:timbra@127.0.0.1:<port>/timbra
#                               Already running: just check and print.
#   deploy/postgres.sh stop     fast shutdown; fine if not running
#   deploy/postgres.sh status   exit 0 when running, 3 when not
#   deploy/postgres.sh env      print the TIMBRA_POSTGRES_DSN line (for eval)
#
# Variables (all optional):
#   PGPORT            port on 127.0.0.1 (15432)
#   TIMBRA_PG_DATA    the cluster's directory (/var/tmp/timbra-postgres-<port>); it holds
#                     pgdata/ (the cluster), postgres.log and the Unix socket
#   TIMBRA_PG_USER    OS user that runs the server when this script runs as root (postgres;
#                     created if missing). Not root: the server runs as the calling user.
#   PG_BIN            directory of pg_ctl/initdb/postgres (default: newest /usr/lib/postgresql/*/bin)
#   PG_RESET=1        with start: stop the cluster if running, delete it, create it afresh
#   PG_START_TIMEOUT  seconds pg_ctl waits for start/stop (60)
#
# Why outside the repository: PostgreSQL refuses to run as root, and a root-owned checkout
# (say under a mode-700 mktemp directory) cannot be entered by the unprivileged user that runs
# the server. /var/tmp is reachable by every user and survives reboots until cleaned.
#
# The cluster is for throwaway data: fsync is off. The role `timbra` (password `timbra`, a
# development credential, not a secret) owns database `timbra` and may create databases.
# Only 127.0.0.1 is listened on, with scram-sha-256 password auth; the Unix socket sits in the
# cluster's directory (mode 700), where the server's OS user connects as superuser via peer auth.
#
# Messages go to stderr; stdout carries only the DSN line, so
#   eval "$(deploy/postgres.sh start)"
# works. The PostgreSQL server is installed from Debian packages when missing (root only).
set -euo pipefail

readonly PROG=postgres.sh
readonly ROLE=timbra DATABASE=timbra PASSWORD=timbra

PORT=${PGPORT:-15432}
BASE=${TIMBRA_PG_DATA:-/var/tmp/timbra-postgres-$PORT}
START_TIMEOUT=${PG_START_TIMEOUT:-60}
PGDATA_DIR=$BASE/pgdata
LOGFILE=$BASE/postgres.log
# libpq variables from the caller's environment must not redirect this script's own clients.
unset PGHOST PGHOSTADDR PGUSER PGDATABASE PGPASSWORD PGPASSFILE PGSERVICE PGSERVICEFILE \
  PGOPTIONS PGSSLMODE PGDATA PGTARGETSESSIONATTRS

if [[ $EUID -eq 0 ]]; then
  RUN_AS=${TIMBRA_PG_USER:-postgres}
else
  RUN_AS=$(id -un)
fi
BIN=""

log() { printf '%s: %s\n' "$PROG" "$*" >&2; }
die() { printf '%s: error: %s\n' "$PROG" "$*" >&2; exit 1; }

dsn() { printf 'postgresql://%s:%s@127.0.0.1:%s/%s' "$ROLE" "$PASSWORD" "$PORT" "$DATABASE"; }
dsn_line() { printf 'TIMBRA_POSTGRES_DSN=%s\n' "$(dsn)"; }

check_settings() {
  if ! [[ $PORT =~ ^[0-9]+$ ]] || ((PORT < 1 || PORT > 65535)); then
    die "PGPORT must be a port number, got '$PORT'"
  fi
  [[ $START_TIMEOUT =~ ^[0-9]+$ ]] || die "PG_START_TIMEOUT must be a whole number, got '$START_TIMEOUT'"
  [[ $BASE == /* ]] || die "TIMBRA_PG_DATA must be an absolute path, got '$BASE'"
  [[ $BASE != *"'"* && $BASE != *[[:space:]]* ]] || die "TIMBRA_PG_DATA must not contain quotes or spaces: '$BASE'"
  # A Unix socket path is limited to 107 bytes: <dir>/.s.PGSQL.<port> has to fit.
  ((${#BASE} <= 90)) || die "TIMBRA_PG_DATA is too long for the Unix socket inside it (${#BASE} > 90 characters): '$BASE'"
}

# Run a command as the server's OS user, from a directory that user can enter.
as_pg() {
  if [[ $EUID -eq 0 ]]; then
    (cd / && runuser -u "$RUN_AS" -- "$@")
  else
    (cd / && "$@")
  fi
}

take_lock() {
  mkdir -p "$(dirname "$BASE")"
  # Opened read-only: flock works on it, and a lock file left by another user does not block.
  [[ -e $BASE.lock ]] || : >"$BASE.lock"
  exec 9<"$BASE.lock"
  flock -w 180 9 || die "another $PROG is busy with $BASE for 3 minutes; giving up"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

apt_install() {
  [[ $EUID -eq 0 ]] || die "$* is needed: install it (apt-get install $*) or run this script as root"
  log "installing $* from Debian packages"
  local out
  out=$(mktemp /tmp/timbra-apt.XXXXXX)
  if ! { DEBIAN_FRONTEND=noninteractive apt-get update -q &&
         DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
           -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "$@"; } \
      </dev/null >"$out" 2>&1; then
    tail -n 30 "$out" >&2
    die "apt-get install $* failed (full output in $out)"
  fi
  rm -f "$out"
}

find_bin() {
  local dir
  if [[ -n ${PG_BIN:-} ]]; then
    [[ -x $PG_BIN/pg_ctl && -x $PG_BIN/initdb ]] || die "PG_BIN=$PG_BIN has no pg_ctl/initdb"
    BIN=$PG_BIN
    return 0
  fi
  # Newest version first (sort -V on the version directory).
  while IFS= read -r dir; do
    if [[ -x $dir/pg_ctl && -x $dir/initdb && -x $dir/postgres ]]; then
      BIN=$dir
      return 0
    fi
  done < <(compgen -G '/usr/lib/postgresql/*/bin' | sort -rV)
  return 1
}

ensure_server() {
  if ! find_bin; then
    apt_install postgresql
    find_bin || die "no PostgreSQL server binaries under /usr/lib/postgresql/*/bin even after installing postgresql"
  fi
  command -v psql >/dev/null 2>&1 || [[ -x $BIN/psql ]] || die "psql not found"
  if [[ $EUID -eq 0 ]]; then
    command -v runuser >/dev/null 2>&1 || die "runuser (util-linux) is needed to run PostgreSQL as $RUN_AS"
    if ! id -u "$RUN_AS" >/dev/null 2>&1; then
      log "creating system user $RUN_AS to run PostgreSQL (it refuses to run as root)"
      useradd --system --user-group --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin "$RUN_AS" || die "could not create user $RUN_AS"
    fi
    [[ $(id -u "$RUN_AS") -ne 0 ]] || die "TIMBRA_PG_USER must not be root"
  fi
}

pg_ctl_status() {
  # pg_ctl: 0 running, 3 not running, 4 no usable data directory.
  [[ -f $PGDATA_DIR/PG_VERSION ]] || return 3
  local rc=0
  as_pg "$BIN/pg_ctl" -D "$PGDATA_DIR" status >/dev/null 2>&1 || rc=$?
  ((rc == 0)) && return 0
  return 3
}

# Whether $BASE may be chowned, reset or deleted: it is missing, empty, or made by this script.
owned_dir() {
  [[ ! -e $BASE ]] || [[ -f $BASE/.timbra-postgres || -f $PGDATA_DIR/PG_VERSION ]] ||
    [[ -d $BASE && -z $(ls -A "$BASE") ]]
}

prepare_dir() {
  owned_dir || die "$BASE exists and was not made by $PROG; set TIMBRA_PG_DATA to a new directory"
  mkdir -p "$BASE"
  : >"$BASE/.timbra-postgres"
  if [[ $EUID -eq 0 ]]; then
    chown -R "$RUN_AS:$(id -gn "$RUN_AS")" "$BASE"
  fi
  chmod 700 "$BASE"
  as_pg test -w "$BASE" ||
    die "user $RUN_AS cannot write $BASE (a parent directory is closed to it?); set TIMBRA_PG_DATA to a directory under /var/tmp"
}

init_cluster() {
  local bin_major
  bin_major=$("$BIN/pg_ctl" --version | awk '{print $NF}' | cut -d. -f1)
  if [[ -f $PGDATA_DIR/PG_VERSION ]]; then
    local data_major
    data_major=$(<"$PGDATA_DIR/PG_VERSION")
    [[ $data_major == "$bin_major" ]] ||
      die "$PGDATA_DIR was made by PostgreSQL $data_major but the binaries are $bin_major ($BIN); start with PG_RESET=1 to recreate it"
    return 0
  fi
  log "creating a new PostgreSQL $bin_major cluster in $PGDATA_DIR (server runs as $RUN_AS)"
  if ! as_pg "$BIN/initdb" -D "$PGDATA_DIR" --username="$RUN_AS" --encoding=UTF8 --no-locale \
      --auth-local=peer --auth-host=scram-sha-256 --no-instructions >"$BASE/initdb.log" 2>&1; then
    cat "$BASE/initdb.log" >&2
    die "initdb failed"
  fi
  printf "\n# deploy/postgres.sh rewrites timbra.conf on every start\ninclude_if_exists = 'timbra.conf'\n" |
    as_pg tee -a "$PGDATA_DIR/postgresql.conf" >/dev/null
}

write_conf() {
  as_pg tee "$PGDATA_DIR/timbra.conf" >/dev/null <<EOF
# Written by deploy/postgres.sh on every start; edit the script, not this file.
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$BASE'
password_encryption = 'scram-sha-256'
max_connections = 200
# Throwaway test data: no crash safety, faster tests.
fsync = off
synchronous_commit = off
full_page_writes = off
log_min_messages = warning
log_line_prefix = '%m [%p] %q%u@%d '
EOF
}

# Superuser psql (script on stdin) through the socket in $BASE (peer auth as the server's OS user).
admin_psql() {
  as_pg "$(psql_bin)" -X -q -v ON_ERROR_STOP=1 -h "$BASE" -p "$PORT" -U "$RUN_AS" -d postgres
}

ensure_role_and_db() {
  admin_psql >/dev/null <<SQL || die "could not create role/database $ROLE (see $LOGFILE)"
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$ROLE') THEN
    CREATE ROLE $ROLE LOGIN CREATEDB PASSWORD '$PASSWORD';
  ELSE
    ALTER ROLE $ROLE LOGIN CREATEDB PASSWORD '$PASSWORD';
  END IF;
END
\$\$;
SELECT 'CREATE DATABASE $DATABASE OWNER $ROLE'
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$DATABASE') \gexec
SQL
}

psql_bin() {
  if [[ -x $BIN/psql ]]; then printf '%s\n' "$BIN/psql"; else command -v psql; fi
}

verify() {
  local psql answer
  psql=$(psql_bin)
  "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT" -t 10 || die "pg_isready: nothing answers on 127.0.0.1:$PORT"
  answer=$(cd / && "$psql" -X -A -t -v ON_ERROR_STOP=1 -d "$(dsn)" -c "SELECT current_user || '@' || current_database()") ||
    die "could not query $(dsn | sed 's/:[^:@]*@/:***@/') as $ROLE (see $LOGFILE)"
  [[ $answer == "$ROLE@$DATABASE" ]] || die "unexpected answer from the server: '$answer'"
}

stop_cluster() {
  if ! as_pg "$BIN/pg_ctl" -D "$PGDATA_DIR" -m fast -w -t "$START_TIMEOUT" stop >/dev/null 2>&1; then
    log "fast shutdown did not finish in $START_TIMEOUT s; trying immediate"
    as_pg "$BIN/pg_ctl" -D "$PGDATA_DIR" -m immediate -w -t "$START_TIMEOUT" stop >/dev/null 2>&1 ||
      die "could not stop PostgreSQL in $PGDATA_DIR (see $LOGFILE)"
  fi
}

cmd_start() {
  check_settings
  take_lock
  ensure_server
  if [[ ${PG_RESET:-0} == 1 && -d $BASE ]]; then
    owned_dir || die "PG_RESET=1: $BASE was not made by $PROG; not deleting it"
    if pg_ctl_status; then
      log "PG_RESET=1: stopping the running cluster"
      stop_cluster
    fi
    log "PG_RESET=1: deleting $BASE"
    rm -rf "$BASE"
  fi
  if pg_ctl_status; then
    ensure_role_and_db
    verify
    log "already running on 127.0.0.1:$PORT, data in $BASE"
    dsn_line
    return 0
  fi
  ! port_open "$PORT" || die "127.0.0.1:$PORT is already in use by another process (not the cluster in $BASE); set PGPORT"

  local started=$SECONDS
  prepare_dir
  init_cluster
  write_conf
  # 9>&- : the server must not inherit (and so hold forever) the lock.
  if ! as_pg "$BIN/pg_ctl" -D "$PGDATA_DIR" -l "$LOGFILE" -w -t "$START_TIMEOUT" start >/dev/null 2>&1 9>&-; then
    printf '%s: ---- last lines of %s ----\n' "$PROG" "$LOGFILE" >&2
    tail -n 30 "$LOGFILE" >&2 || true
    die "PostgreSQL did not start (data in $BASE)"
  fi
  ensure_role_and_db
  verify
  log "started in $((SECONDS - started)) s on 127.0.0.1:$PORT as $RUN_AS; data in $BASE, log $LOGFILE"
  dsn_line
}

cmd_stop() {
  check_settings
  take_lock
  if ! find_bin; then
    log "not running (no PostgreSQL binaries)"
    return 0
  fi
  if ! pg_ctl_status; then
    log "not running (port $PORT, data in $BASE)"
    return 0
  fi
  stop_cluster
  log "stopped (data kept in $BASE; PG_RESET=1 deploy/postgres.sh start recreates it)"
}

cmd_status() {
  check_settings
  if find_bin && pg_ctl_status; then
    echo "postgres: running on 127.0.0.1:$PORT, data in $BASE (server user $RUN_AS)"
    return 0
  fi
  echo "postgres: not running (port $PORT, data in $BASE)"
  return 3
}

main() {
  case ${1:-} in
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    env) check_settings; dsn_line ;;
    *)
      echo "usage: $0 {start|stop|status|env}   (see the top of this file for variables)" >&2
      exit 2
      ;;
  esac
}

main "$@"
