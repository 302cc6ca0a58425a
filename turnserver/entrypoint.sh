#!/bin/sh
# Starts coturn for the `coturn` service of docker-compose.yml (and for the
# deployment tests, with the same steps):
#
#  1. renders turnserver.conf plus what is secret or per-host (realm, shared
#     secret, external-ip) into a private run directory, so the secret is in
#     no committed file and in no process list;
#  2. copies https-portal's certificate for DOMAIN there (its key is readable
#     by root only), waiting for https-portal to obtain it on a first start;
#  3. runs turnserver as an unprivileged user, and copies the certificate
#     again and tells coturn to reload it (SIGUSR2) when https-portal renews it.
#
# Environment:
#   TURN_SECRET             shared secret, >= 16 characters (required)
#   TURN_REALM              realm, the meeting DOMAIN (required)
#   TURN_EXTERNAL_IP        "public/private" behind 1:1 NAT (EC2), optional
#   TURN_CERT_DIR           https-portal's /var/lib/https-portal/<DOMAIN>/<STAGE>, optional
#   TURN_CERT_WAIT_SECONDS  how long to wait for that certificate at start (300)
#   TURN_CONF               the committed configuration (/etc/coturn/turnserver.conf)
#   TURN_RUN_DIR            where the rendered files go (/run/coturn)
#   TURN_PROC_USER          user to run as when started as root (nobody)
# Arguments are passed on to turnserver.
set -eu

conf_in=${TURN_CONF:-/etc/coturn/turnserver.conf}
run_dir=${TURN_RUN_DIR:-/run/coturn}
cert_dir=${TURN_CERT_DIR:-}
cert_wait=${TURN_CERT_WAIT_SECONDS:-300}
proc_user=${TURN_PROC_USER-nobody}

say() { echo "coturn-entrypoint: $*" >&2; }
fail() {
  say "$*"
  exit 1
}

[ -n "${TURN_SECRET:-}" ] || fail "TURN_SECRET is not set (see .env.example)"
[ "${#TURN_SECRET}" -ge 16 ] || fail "TURN_SECRET must be at least 16 characters"
case "$TURN_SECRET" in
  *[!A-Za-z0-9+/=_.-]*) fail "TURN_SECRET may hold letters, digits and + / = _ . - only (openssl rand -hex 32)" ;;
esac
[ -n "${TURN_REALM:-}" ] || fail "TURN_REALM is not set (the meeting's DOMAIN)"
[ -r "$conf_in" ] || fail "cannot read $conf_in"

umask 077
mkdir -p "$run_dir"
conf="$run_dir/turnserver.conf"

owner_args=""
if [ "$(id -u)" = 0 ] && [ -n "$proc_user" ]; then
  proc_group=$(id -gn "$proc_user")
  owner_args="--proc-user=$proc_user --proc-group=$proc_group"
fi

give_to_proc_user() {
  if [ -n "$owner_args" ]; then chown "$proc_user:$proc_group" "$@"; fi
}

certificate_present() {
  [ -n "$cert_dir" ] && [ -s "$cert_dir/chained.crt" ] && [ -s "$cert_dir/domain.key" ]
}

# Copies the certificate and key (new files first, then a rename, so coturn
# never reads half a file).
copy_certificate() {
  cp "$cert_dir/chained.crt" "$run_dir/cert.pem.new"
  cp "$cert_dir/domain.key" "$run_dir/key.pem.new"
  give_to_proc_user "$run_dir/cert.pem.new" "$run_dir/key.pem.new"
  mv "$run_dir/cert.pem.new" "$run_dir/cert.pem"
  mv "$run_dir/key.pem.new" "$run_dir/key.pem"
}

tls=no
if [ -n "$cert_dir" ]; then
  waited=0
  until certificate_present; do
    if [ "$waited" -ge "$cert_wait" ]; then
      say "no certificate in $cert_dir after ${cert_wait}s: starting without TURN over TLS (5349);"
      say "run 'docker compose restart coturn' once https-portal has obtained it"
      break
    fi
    [ "$waited" = 0 ] && say "waiting for https-portal's certificate in $cert_dir"
    sleep 5
    waited=$((waited + 5))
  done
  if certificate_present; then
    copy_certificate
    tls=yes
  fi
fi

{
  cat "$conf_in"
  echo
  echo "# --- rendered by entrypoint.sh at start ---"
  echo "realm=${TURN_REALM}"
  echo "static-auth-secret=${TURN_SECRET}"
  echo "pidfile=${run_dir}/turnserver.pid"
  # No user database is used (use-auth-secret); keep coturn's empty one private.
  echo "userdb=${run_dir}/turndb"
  if [ -n "${TURN_EXTERNAL_IP:-}" ]; then echo "external-ip=${TURN_EXTERNAL_IP}"; fi
  if [ "$tls" = yes ]; then
    echo "cert=${run_dir}/cert.pem"
    echo "pkey=${run_dir}/key.pem"
  else
    echo "no-tls"
  fi
} >"$conf"
# coturn opens its (unused, empty) user database again from its auth threads
# after dropping privileges: create it now, owned by the user it will run as.
: >"$run_dir/turndb"
give_to_proc_user "$run_dir" "$conf" "$run_dir/turndb"

if [ "$tls" = no ]; then
  # shellcheck disable=SC2086 # owner_args is a list of words
  exec turnserver -c "$conf" $owner_args "$@"
fi

# With TLS, stay as the parent: pass signals on, and reload the certificate
# when https-portal renews it (Let's Encrypt certificates last 90 days).
# shellcheck disable=SC2086
turnserver -c "$conf" $owner_args "$@" &
child=$!
trap 'kill -TERM "$child" 2>/dev/null || true' TERM INT
trap 'kill -HUP "$child" 2>/dev/null || true' HUP
while kill -0 "$child" 2>/dev/null; do
  # A short sleep in a loop, so a TERM is passed on within a second.
  ticks=0
  while [ "$ticks" -lt "${TURN_CERT_CHECK_SECONDS:-3600}" ] && kill -0 "$child" 2>/dev/null; do
    sleep 1
    ticks=$((ticks + 1))
  done
  if certificate_present && ! cmp -s "$cert_dir/chained.crt" "$run_dir/cert.pem"; then
    say "certificate renewed: reloading it"
    copy_certificate
    kill -USR2 "$child" 2>/dev/null || true
  fi
done
set +e
wait "$child"
exit $?
