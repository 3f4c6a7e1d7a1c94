#!/usr/bin/env bash
# A loopback Kairos cluster for replica tests and load runs:
#   local PostgreSQL (a dedicated database) + local Redis + N replicas of dist/src/main.js + nginx on 127.0.0.1:8080.
#
#   scripts/cluster.sh start [N]     build if needed, (re)create the database, start N replicas (default 2) and nginx
#   scripts/cluster.sh stop          stop nginx and the replicas (the database is kept for inspection)
#   scripts/cluster.sh status        what runs, and each replica's readiness
#   scripts/cluster.sh kill K        SIGKILL replica K (1-based): fail-over drills
#   scripts/cluster.sh restart K     start replica K again
#   scripts/cluster.sh env           print DATABASE_URL etc. for tools (the load test reads them)
#
# Each replica's GET /metrics needs `Authorization: Bearer $METRICS_TOKEN` (generated into CLUSTER_DIR/metrics-token
# unless METRICS_TOKEN is set; printed by `env`); nginx does not serve /metrics at all.
#
# Settings (environment): CLUSTER_DIR (/tmp/kairos-cluster), CLUSTER_DB (kairos_cluster), PG_ADMIN_URL
# (postgres://postgres@127.0.0.1:5432/postgres), REDIS_URL (redis://127.0.0.1:6379), BASE_PORT (3101),
# LB_PORT (8080), CLUSTER_FRESH=1 drops and re-creates the database on start, REPLICA_ENV="K=V ..." extra app env.
# Redis keys (cache, rate-limit windows, BullMQ queues) are prefixed with the database name, so two clusters on one
# Redis (a load test and the cluster e2e test) never share counters or steal each other's jobs.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="${CLUSTER_DIR:-/tmp/kairos-cluster}"
DB="${CLUSTER_DB:-kairos_cluster}"
PG_ADMIN_URL="${PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
DATABASE_URL="${PG_ADMIN_URL%/*}/$DB"
REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
BASE_PORT="${BASE_PORT:-3101}"
LB_PORT="${LB_PORT:-8080}"
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"

log() { printf '[cluster] %s\n' "$*" >&2; }

replica_count() { cat "$DIR/replicas" 2>/dev/null || echo 0; }

secret() {
  # Shared by every replica: tokens signed by one are accepted by all.
  [ -s "$DIR/app-secret" ] || node -e 'process.stdout.write(require("crypto").randomBytes(32).toString("hex"))' >"$DIR/app-secret"
  [ -s "$DIR/encryption-key" ] || node -e 'process.stdout.write(require("crypto").randomBytes(32).toString("hex"))' >"$DIR/encryption-key"
  # Prometheus's bearer token for each replica's /metrics (METRICS_TOKEN from the environment wins).
  if [ -n "${METRICS_TOKEN:-}" ]; then printf '%s' "$METRICS_TOKEN" >"$DIR/metrics-token"; fi
  [ -s "$DIR/metrics-token" ] || node -e 'process.stdout.write(require("crypto").randomBytes(32).toString("hex"))' >"$DIR/metrics-token"
  chmod 600 "$DIR/app-secret" "$DIR/encryption-key" "$DIR/metrics-token"
}

ensure_redis() {
  if redis-cli -u "$REDIS_URL" ping >/dev/null 2>&1; then return; fi
  log "Redis not answering at $REDIS_URL: starting one on 127.0.0.1:6379"
  redis-server --bind 127.0.0.1 --port 6379 --daemonize yes --save '' --appendonly no \
    --pidfile "$DIR/redis.pid" --logfile "$DIR/redis.log"
  for _ in $(seq 50); do redis-cli -u "$REDIS_URL" ping >/dev/null 2>&1 && return; sleep 0.1; done
  log "Redis did not start"; exit 1
}

ensure_database() {
  psql "$PG_ADMIN_URL" -qtAc 'SELECT 1' >/dev/null || { log "PostgreSQL not reachable at $PG_ADMIN_URL"; exit 1; }
  if [ "${CLUSTER_FRESH:-0}" = 1 ]; then
    psql "$PG_ADMIN_URL" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null
  fi
  if [ "$(psql "$PG_ADMIN_URL" -qtAc "SELECT 1 FROM pg_database WHERE datname = '$DB'")" != 1 ]; then
    psql "$PG_ADMIN_URL" -qc "CREATE DATABASE $DB" >/dev/null
    log "created database $DB"
  fi
}

ensure_build() {
  (cd "$ROOT" && node scripts/build.js --if-stale >&2) || { log "build failed"; exit 1; }
}

start_replica() {
  local k="$1" port=$((BASE_PORT + $1 - 1))
  (
    cd "$ROOT"
    # shellcheck disable=SC2086
    env -i PATH="$PATH" HOME="${HOME:-/root}" NODE_ENV=production PORT="$port" \
      DATABASE_URL="$DATABASE_URL" DATABASE_POOL_SIZE="${DATABASE_POOL_SIZE:-20}" \
      REDIS_URL="$REDIS_URL" REDIS_PREFIX="$DB" APP_SECRET="$(cat "$DIR/app-secret")" \
      ENCRYPTION_KEY="$(cat "$DIR/encryption-key")" METRICS_TOKEN="$(cat "$DIR/metrics-token")" PUBLIC_URL="http://127.0.0.1:$LB_PORT" DATA_DIR="$DIR/data-$k" \
      LOG_LEVEL="${LOG_LEVEL:-warn}" ${REPLICA_ENV:-} \
      nohup node dist/src/main.js >>"$DIR/replica-$k.log" 2>&1 &
    echo $! >"$DIR/replica-$k.pid"
  )
  wait_ready "$port" || { log "replica $k did not become ready; see $DIR/replica-$k.log"; tail -20 "$DIR/replica-$k.log" >&2; exit 1; }
  log "replica $k ready on 127.0.0.1:$port (pid $(cat "$DIR/replica-$k.pid"))"
}

wait_ready() {
  for _ in $(seq 300); do
    curl -fsS "http://127.0.0.1:$1/health/ready" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  return 1
}

start_nginx() {
  local n servers="" k
  n="$(replica_count)"
  for k in $(seq "$n"); do
    servers+="    server 127.0.0.1:$((BASE_PORT + k - 1)) max_fails=3 fail_timeout=10s;"$'\n'
  done
  mkdir -p "$DIR/nginx"
  chmod 777 "$DIR/nginx"  # worker processes run as nobody when started by root
  python3 - "$ROOT/deploy/nginx.conf" "$DIR/nginx.conf" "$DIR/nginx" "127.0.0.1:$LB_PORT" "$servers" <<'PY'
import sys
src, dst, run, listen, servers = sys.argv[1:]
text = open(src).read().replace('__RUN_DIR__', run).replace('__LISTEN__', listen).replace('__UPSTREAM_SERVERS__\n', servers)
open(dst, 'w').write(text)
PY
  "$NGINX" -t -q -c "$DIR/nginx.conf" -p "$DIR/nginx" -e "$DIR/nginx/nginx-error.log"
  "$NGINX" -c "$DIR/nginx.conf" -p "$DIR/nginx" -e "$DIR/nginx/nginx-error.log"
  for _ in $(seq 50); do curl -fsS "http://127.0.0.1:$LB_PORT/nginx-health" >/dev/null 2>&1 && break; sleep 0.1; done
  log "nginx on 127.0.0.1:$LB_PORT -> $n replicas (least_conn)"
}

stop_all() {
  if [ -f "$DIR/nginx/nginx.pid" ]; then
    "$NGINX" -c "$DIR/nginx.conf" -p "$DIR/nginx" -e "$DIR/nginx/nginx-error.log" -s quit 2>/dev/null || true
    rm -f "$DIR/nginx/nginx.pid"
  fi
  local f pid
  for f in "$DIR"/replica-*.pid; do
    [ -e "$f" ] || continue
    pid="$(cat "$f")"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$f"
  done
  if [ -f "$DIR/redis.pid" ]; then kill "$(cat "$DIR/redis.pid")" 2>/dev/null || true; rm -f "$DIR/redis.pid"; fi
  log "stopped"
}

cmd="${1:-status}"
mkdir -p "$DIR"
case "$cmd" in
  start)
    n="${2:-2}"
    [ "$n" -ge 1 ] || { log "N must be >= 1"; exit 2; }
    stop_all 2>/dev/null || true
    secret; ensure_redis; ensure_database; ensure_build
    echo "$n" >"$DIR/replicas"
    # The first replica runs the migrations; the others start once it is ready (no migration race).
    for k in $(seq "$n"); do start_replica "$k"; done
    start_nginx
    ;;
  stop) stop_all ;;
  kill)
    k="${2:?replica number}"; pid="$(cat "$DIR/replica-$k.pid")"
    # Forget the pid at once: a later `stop` must not signal whatever process reuses the number.
    kill -9 "$pid"; rm -f "$DIR/replica-$k.pid"; log "killed replica $k (pid $pid)" ;;
  restart)
    k="${2:?replica number}"
    # A second process on a taken port would fail while the old one still answered the readiness probe.
    if [ -f "$DIR/replica-$k.pid" ] && kill -0 "$(cat "$DIR/replica-$k.pid")" 2>/dev/null; then
      log "replica $k is running; kill it first"; exit 1
    fi
    secret; start_replica "$k" ;;
  status)
    n="$(replica_count)"
    for k in $(seq "$n"); do
      port=$((BASE_PORT + k - 1))
      if curl -fsS "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1; then echo "replica $k :$port ready"; else echo "replica $k :$port DOWN"; fi
    done
    if curl -fsS "http://127.0.0.1:$LB_PORT/nginx-health" >/dev/null 2>&1; then echo "nginx :$LB_PORT up"; else echo "nginx :$LB_PORT DOWN"; fi
    ;;
  env)
    echo "DATABASE_URL=$DATABASE_URL"
    echo "REDIS_URL=$REDIS_URL"
    echo "LB_URL=http://127.0.0.1:$LB_PORT"
    echo "METRICS_TOKEN=$(cat "$DIR/metrics-token" 2>/dev/null)"
    echo "REPLICA_URLS=$(for k in $(seq "$(replica_count)"); do printf 'http://127.0.0.1:%s ' $((BASE_PORT + k - 1)); done)"
    ;;
  *) sed -n '2,19p' "$0"; exit 2 ;;
esac
