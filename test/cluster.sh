# test/cluster.sh: start and stop throw-away PostgreSQL clusters (sourced, bash).
#
# Every test and the demo run against a cluster made here, in a temporary
# directory, on a Unix socket and a port of its own: nothing relies on a
# server left on the machine.  Started as root, the server runs as `postgres`.

PG_CONFIG=${PG_CONFIG:-pg_config}
PGBIN=$("$PG_CONFIG" --bindir)

# Run a command as the owner of the cluster files.
as_cluster_owner() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

# A free TCP port on loopback, from a range unlikely to hold anything else.
free_port() {
    local port
    for _ in $(seq 1 200); do
        port=$((50000 + RANDOM % 10000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return 0
        fi
    done
    return 1
}

# cluster_start DIR [setting=value ...]
# Creates DIR/data, starts the server with its socket in DIR and exports
# PGHOST, PGPORT, PGUSER and PGDATABASE=postgres for the caller.
cluster_start() {
    local dir=$1; shift
    local port
    port=$(free_port) || { echo "no free port" >&2; return 1; }
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres: "$dir"
    as_cluster_owner "$PGBIN/initdb" -D "$dir/data" -U postgres -A trust \
        -E UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; return 1; }
    {
        echo "listen_addresses = ''"
        echo "unix_socket_directories = '$dir'"
        echo "port = $port"
        echo "max_connections = 60"
        echo "shared_buffers = 256MB"
        echo "fsync = off"
        echo "log_min_messages = warning"
        for s in "$@"; do echo "$s"; done
    } | as_cluster_owner tee -a "$dir/data/postgresql.conf" >/dev/null
    # PG_SERVER_ENV: extra environment for the server, e.g. LD_PRELOAD for ASan.
    as_cluster_owner env ${PG_SERVER_ENV:-} "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
        >/dev/null || { cat "$dir/server.log" >&2; return 1; }
    export PGHOST=$dir PGPORT=$port PGUSER=postgres PGDATABASE=postgres
}

# cluster_stop DIR: stops the server (fast) and removes DIR; with
# KEEP_SERVER_LOG=path, the server log is copied there first.
cluster_stop() {
    local dir=$1
    if [ -n "${KEEP_SERVER_LOG:-}" ] && [ -f "$dir/server.log" ]; then
        cp "$dir/server.log" "$KEEP_SERVER_LOG"
    fi
    if [ -f "$dir/data/postmaster.pid" ]; then
        as_cluster_owner "$PGBIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
}
