#!/bin/bash
# Helpers for the Podman end-to-end tests (podman-*.bats).
#
# Each file gets a private Podman in setup_file: its own --root, --runroot
# and --tmpdir under one directory ($PODMAN_DIR), a containers.conf of its
# own (file locks and no events, so nothing is shared with the host's
# Podman), cgroupfs, and the images imported from the tarballs that
# lib/build-python-image.sh caches (lib/import-podman-images.sh).
# policyrun is reached through $PODMAN_DIR/policyrun, a wrapper that adds
# --policy with a policy whose state_dir is private ($PODMAN_STATE).
#
# Every container runs with --network none: Podman's default network for a
# rootful container is a bridge, which these tests never create.

# Variables set here are used by the .bats files that load this one.
# shellcheck disable=SC2034

# shellcheck source=helpers.bash
source "$BATS_TEST_DIRNAME/helpers.bash"

LIB=$INTEGRATION_ROOT/lib
CODE=$INTEGRATION_ROOT/code
PYTHON_IMAGE=localhost/${POLICYRUN_PYTHON_IMAGE:-policyrun-test/python:bookworm}
BUSYBOX_IMAGE=localhost/${POLICYRUN_BUSYBOX_IMAGE:-policyrun-test/busybox:latest}

# The document's flags as a Podman user writes them (--user added, see
# DESIGN.md), and nothing else: no --pids-limit, --ulimit or --tmpfs.
PODMAN_FLOOR_FLAGS=(--network none --memory 100m --memory-swap 100m --cpus 0.5 --read-only
  --cap-drop ALL --security-opt no-new-privileges --user 65534:65534)

note ()
{
  echo "# $*" >&3
}

podman_requires ()
{
  requires root jq cgroups_v1
  command -v podman > /dev/null || skip "test requires podman (apt-get install podman)"
  command -v conmon > /dev/null || skip "test requires conmon (apt-get install conmon)"
  [ -n "$RUNC" ] && [ -x "$RUNC" ] || skip "test requires runc"
  [ -n "$BUSYBOX" ] && [ -x "$BUSYBOX" ] || skip "test requires a static busybox (busybox-static)"
  [ -f "$PODMAN_DIR/ready" ] || skip "the private Podman could not be set up: $(cat "$PODMAN_DIR/why" 2> /dev/null)"
}

# pm ARGS...: the private Podman.
pm ()
{
  CONTAINERS_CONF=$PODMAN_DIR/containers.conf podman --root "$PODMAN_DIR/root" \
    --runroot "$PODMAN_DIR/runroot" --tmpdir "$PODMAN_DIR/tmp" --cgroup-manager cgroupfs \
    --storage-driver "$PODMAN_DRIVER" "$@"
}

# pr ARGS...: podman run through policyrun.
pr ()
{
  pm --runtime "$PODMAN_DIR/policyrun" "$@"
}

podman_setup_file ()
{
  PODMAN_DIR=$(mktemp -d /tmp/policyrun-podman.XXXXXX)
  export PODMAN_DIR
  export PODMAN_STATE=$PODMAN_DIR/state
  export PODMAN_DRIVER=overlay
  grep -qw overlay /proc/filesystems || PODMAN_DRIVER=vfs
  [ "$(id -u)" -eq 0 ] && command -v podman > /dev/null && command -v conmon > /dev/null \
    || return 0
  mkdir -p "$PODMAN_DIR"/{root,runroot,tmp,state}
  # Its images are built here: a pull of a missing one goes to a proxy on a
  # closed loopback port, never to a registry.  The proxy is Podman's alone
  # (engine env): containers get no proxy variables (http_proxy = false),
  # which would make the document's network test pass whatever the network.
  cat > "$PODMAN_DIR/containers.conf" << 'CONF'
[containers]
http_proxy = false

[engine]
lock_type = "file"
events_logger = "none"
env = ["HTTP_PROXY=http://127.0.0.1:9", "HTTPS_PROXY=http://127.0.0.1:9"]
CONF
  jq -n --arg s "$PODMAN_STATE" --arg t "$PODMAN_DIR/decisions.jsonl" '{state_dir: $s, trail_file: $t}' \
    > "$PODMAN_DIR/policy.json"
  printf '#!/bin/sh\nexec %q --policy %q "$@"\n' "$POLICYRUN" "$PODMAN_DIR/policy.json" \
    > "$PODMAN_DIR/policyrun"
  chmod 0755 "$PODMAN_DIR/policyrun"
  local out
  if out=$(CONTAINERS_CONF=$PODMAN_DIR/containers.conf "$LIB/import-podman-images.sh" \
    --root "$PODMAN_DIR/root" --runroot "$PODMAN_DIR/runroot" --tmpdir "$PODMAN_DIR/tmp" \
    --cgroup-manager cgroupfs --storage-driver "$PODMAN_DRIVER" 2>&1); then
    touch "$PODMAN_DIR/ready"
  else
    printf '%s\n' "$out" > "$PODMAN_DIR/why"
  fi
}

podman_teardown_file ()
{
  [ -n "${PODMAN_DIR:-}" ] && [ -d "$PODMAN_DIR" ] || return 0
  if command -v podman > /dev/null && [ -d "$PODMAN_DIR/root" ]; then
    pm rm -a -f -t 0 > /dev/null 2>&1 || true
    pm rmi -a -f > /dev/null 2>&1 || true
  fi
  # The store's own mounts (overlay layers, shm) go with the directory.
  local m
  for m in $(awk -v d="$PODMAN_DIR/" 'index($5, d) == 1 { print $5 }' /proc/self/mountinfo | sort -r); do
    umount -l "$m" 2> /dev/null || true
  done
  rm -rf "$PODMAN_DIR"
}

# Nothing of policyrun's is left: no private bundle or lock in the state
# directory, no detached helper that names this file's policy.
podman_nothing_left ()
{
  local left
  left=$(find "$PODMAN_STATE" -mindepth 2 2> /dev/null)
  [ -z "$left" ] || fail "left in policyrun's state directory: $left"
  TMP=$PODMAN_DIR poll_until no_helpers_left
}

# The host cgroup file FILE of controller CTRL for the init of container NAME.
podman_cgroup_file ()
{
  local name=$1 ctrl=$2 file=$3 pid path
  pid=$(pm inspect --format '{{.State.Pid}}' "$name") || fail "no pid for $name"
  path=$(awk -F: -v c="$ctrl" '{ n = split($2, a, ","); for (i = 1; i <= n; i++) if (a[i] == c) print $3 }' \
    "/proc/$pid/cgroup")
  [ -n "$path" ] || fail "no $ctrl cgroup for pid $pid"
  cat "/sys/fs/cgroup/$ctrl$path/$file"
}
