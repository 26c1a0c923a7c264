# Shared by scripts/dev, scripts/test and scripts/bench: system packages and a
# private PostgreSQL cluster. PostgreSQL refuses to run as root, so when these
# scripts run as root the cluster belongs to the `postgres` user.

SYSTEM_PACKAGES=(
    postgresql postgresql-contrib libpq-dev libssl-dev pkg-config python3
    libmaxminddb-dev mmdb-bin libmaxmind-db-writer-perl iso-codes libqrencode-dev
)

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

ensure_packages() {
    local missing=()
    for package in "${SYSTEM_PACKAGES[@]}" "$@"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    log "installing ${missing[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null 2>&1 || {
        as_root apt-get update -q >/dev/null
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null
    }
}

pg_bin() {
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
    [ -n "$dir" ] || { echo "PostgreSQL binaries not found under /usr/lib/postgresql" >&2; return 1; }
    echo "$dir"
}

# Runs a command as the cluster's owner: `postgres` when we are root, else ourselves.
as_pg_owner() {
    # From /, so the postgres user is not left in a folder it may not enter.
    if [ "$(id -u)" -eq 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# start_postgres DATA_DIR PORT [extra postgres -c settings...]
# TCP connections need the password kept in DATA_DIR.password (exported as
# PGPASSWORD): a trust-everything cluster on 127.0.0.1 would let any local
# account in as superuser. The Unix socket lives inside the 0700 data folder.
start_postgres() {
    local data=$1 port=$2; shift 2
    local bin; bin=$(pg_bin)
    mkdir -p "$data"
    if [ "$(id -u)" -eq 0 ]; then
        chown postgres:postgres "$data"
        chmod 700 "$data"
        runuser -u postgres -- test -w "$data" || {
            echo "the postgres user cannot reach $data (use dev_cluster_dir, or a folder under /tmp)" >&2
            return 1
        }
    fi
    local fresh=no
    if [ ! -f "$data/PG_VERSION" ]; then
        log "initialising PostgreSQL in $data"
        as_pg_owner "$bin/initdb" -D "$data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
            -E UTF8 --locale=C.UTF-8 >/dev/null
        fresh=yes
    fi
    local options="-p $port -k $data -c listen_addresses=127.0.0.1"
    for setting in "$@"; do options+=" -c $setting"; done
    log "starting PostgreSQL on 127.0.0.1:$port"
    as_pg_owner "$bin/pg_ctl" -D "$data" -l "$data/server.log" -o "$options" -w -t 60 start >/dev/null
    if [ "$fresh" = yes ] || [ ! -s "$data.password" ]; then
        (umask 077; python3 -c 'import secrets; print(secrets.token_urlsafe(24))' > "$data.password")
        as_pg_owner "$bin/psql" -h "$data" -p "$port" -U postgres -d postgres -qAt \
            -c "ALTER ROLE postgres PASSWORD '$(cat "$data.password")'" >/dev/null
    fi
    PGPASSWORD=$(cat "$data.password")
    export PGPASSWORD
}

# dev_cluster_dir PREFERRED: where a long-lived development cluster lives.
# PREFERRED (inside the clone) when the cluster's owner can reach it; when the
# scripts run as root in a folder the `postgres` user cannot enter (a clone in
# root's home or in a `mktemp -d` folder), a postgres-owned folder named after
# the clone's path instead, so nobody has to loosen their folders' permissions.
dev_cluster_dir() {
    local preferred=$1
    if [ "$(id -u)" -ne 0 ] || runuser -u postgres -- test -x "$(dirname "$preferred")"; then
        echo "$preferred"
        return
    fi
    local home key
    home=$(getent passwd postgres | cut -d: -f6)
    key=$(printf '%s' "$(cd "$(dirname "$preferred")" && pwd -P)" | sha256sum | cut -c1-16)
    mkdir -p "$home/signet-dev"
    chown postgres:postgres "$home/signet-dev"
    chmod 700 "$home/signet-dev"
    echo "$home/signet-dev/$key"
}

stop_postgres() {
    local data=$1
    local bin; bin=$(pg_bin)
    [ -f "$data/postmaster.pid" ] || return 0
    log "stopping PostgreSQL"
    as_pg_owner "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null || true
}

# create_database PORT NAME: creates it unless it exists.
create_database() {
    local port=$1 name=$2 bin; bin=$(pg_bin)
    if ! "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$name'" | grep -q 1; then
        "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres "$name"
    fi
}
