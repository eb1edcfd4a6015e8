#!/bin/bash
# Starts a private containerd 1.6 with its CRI plugin on, the way a
# Kubernetes node runs it, for the CRI tests (tests/integration/cri-*.bats).
# It shares nothing with the host's or the Docker tests' containerd: its own
# root, state, socket, runc root, CNI configuration and binaries directory,
# and network namespaces mounted under its own state directory.  It changes
# nothing in /etc, loads no AppArmor profile, touches no iptables rule.
#
# Runtime handlers (RunPodSandbox's runtime_handler):
#   runc       io.containerd.runc.v2 with Debian's runc
#   policyrun  io.containerd.runc.v2 with BinaryName = ROOT/policyrun-wrapper,
#              which runs $POLICYRUN --policy ROOT/policy.json "$@"
#              (while the file ROOT/sandbox-via-runc exists, the sandboxes
#              created are run by the real runc instead, for their whole
#              life, so that a test can reach policyrun with app containers
#              alone; the app containers always go to policyrun)
# The only CNI plugin is Debian's `loopback`: containerd 1.6 insists on an
# IP for eth0, so the plugin is given a static prevResult naming one (in
# 127.0.0.0/8, never configured anywhere) and passes it back; pods get `lo`
# and nothing else.
#
# Environment:
#   POLICYRUN           the binary under test (required)
#   POLICYRUN_CRI_ROOT  socket, state, logs, wrapper, policy (default /run/policyrun-cri)
#   POLICYRUN_CRI_DATA  containerd's root: images, snapshots (default /var/lib/policyrun-cri)
#
# Files it leaves in ROOT: containerd.sock, containerd.pid, containerd.log,
# config.toml, policyrun (a copy of the binary), policy.json, policyrun-wrapper,
# wrapper.log (one line per call: the arguments; after a failed call its
# rc and the last lines of the --log file), configs/ID.create.json (each config.json the wrapper was given at
# create), state/ (policyrun's state), pods/ (the tests' pod directories) and
# env (shell assignments: CRI_SOCK, CRI_ROOT, CRI_DATA, CRI_WRAPPER_LOG,
# CRI_CONFIGS, CRI_POLICY, CRI_STATE, CRI_RUNC_ROOT, CRI_PID, CRI_START_SECONDS).
# Prints the socket once the CRI answers and both images are imported.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=${POLICYRUN_CRI_ROOT:-/run/policyrun-cri}
data=${POLICYRUN_CRI_DATA:-/var/lib/policyrun-cri}
python=/usr/bin/python3
start=$SECONDS

die() {
	printf 'start-containerd: %s\n' "$*" >&2
	exit 1
}

[ "$(id -u)" -eq 0 ] || die "must run as root"
: "${POLICYRUN:?POLICYRUN must name the policyrun binary under test}"
[ -x /usr/bin/containerd ] || die "containerd not found (apt-get install containerd)"
[ -x /usr/bin/containerd-shim-runc-v2 ] || die "containerd-shim-runc-v2 not found (apt-get install containerd)"
[ -x /usr/lib/cni/loopback ] || die "the CNI loopback plugin not found (apt-get install containernetworking-plugins)"
"$python" -c 'import grpc, grpc_tools' 2>/dev/null ||
	die "python3 grpc not found (apt-get install python3-grpcio python3-grpc-tools)"
runc=$(command -v runc) || die "runc not found"
policyrun=$(readlink -f "$POLICYRUN")
[ -x "$policyrun" ] || die "policyrun binary not found: $POLICYRUN"

# A daemon left over from an interrupted run would own the socket.
if [ -s "$root/containerd.pid" ] && kill -0 "$(cat "$root/containerd.pid")" 2>/dev/null; then
	"$here/stop-containerd.sh" >&2 || die "a previous CRI containerd is still running"
fi

sock=$root/containerd.sock
state=$root/containerd
runc_root=$root/runc
cni_conf=$root/cni/net.d
cni_bin=$root/cni/bin
mkdir -p "$root" "$data" "$state" "$runc_root" "$cni_conf" "$cni_bin" \
	"$root/state" "$root/configs" "$root/pods" "$root/via-runc"
chmod 0700 "$root"
find "$root/state" "$root/configs" "$root/pods" "$root/via-runc" -mindepth 1 -delete
rm -f "$root/sandbox-via-runc"

# The CNI binaries directory holds the loopback plugin and nothing else, so
# no other plugin can be run whatever a configuration names.
rm -f "$cni_bin"/* "$cni_conf"/*
ln -s /usr/lib/cni/loopback "$cni_bin/loopback"
cat >"$cni_conf/10-policyrun-lo.conflist" <<CNI
{
  "cniVersion": "1.0.0",
  "name": "policyrun-lo",
  "plugins": [
    {
      "type": "loopback",
      "prevResult": {
        "cniVersion": "1.0.0",
        "interfaces": [{"name": "eth0"}],
        "ips": [{"address": "127.0.0.2/8", "interface": 0}]
      }
    }
  ]
}
CNI

# policyrun: a copy, so a rebuild while the tests run cannot break a call
# half-way; the policy names its own state directory and the real runc.
cp "$policyrun" "$root/policyrun.tmp"
mv "$root/policyrun.tmp" "$root/policyrun"
printf '{"state_dir": "%s", "trail_file": "%s", "delegate": "%s"}\n' "$root/state" "$root/decisions.jsonl" \
	"$runc" >"$root/policy.json"

# BinaryName takes a path and no arguments.  The wrapper logs each call,
# keeps a copy of each config.json it is given at create (what containerd's
# CRI really asks of the runtime) and, when policyrun fails, the --log file
# the shim reads the error from.  policyrun's stdio is left alone: at create
# it is the container's own stdio, which runc hands to the container.
wrapper=$root/policyrun-wrapper
cat >"$wrapper.tmp" <<WRAP
#!/bin/sh
log='$root/wrapper.log'
printf '%s\n' "\$*" >>"\$log"
bundle= cmd= id= prev= rlog=
for a in "\$@"; do
	case \$prev in --bundle | -b) bundle=\$a ;; --log) rlog=\$a ;; esac
	case \$a in --bundle=*) bundle=\${a#--bundle=} ;; --log=*) rlog=\${a#--log=} ;; esac
	case \$a in create | start | delete | kill | state | update | exec) [ -n "\$cmd" ] || cmd=\$a ;; esac
	prev=\$a id=\$a
done
if [ "\$cmd" = create ] && [ -n "\$bundle" ] && [ -f "\$bundle/config.json" ]; then
	cp "\$bundle/config.json" '$root/configs/'"\$id.create.json" 2>/dev/null
	if [ -e '$root/sandbox-via-runc' ] &&
		grep -q '"io.kubernetes.cri.container-type":"sandbox"' "\$bundle/config.json"; then
		: >'$root/via-runc/'"\$id"
	fi
fi
# A sandbox created while ROOT/sandbox-via-runc existed is run by the real
# runc for its whole life, so that its app containers reach policyrun.
for a in "\$@"; do
	case \$a in */* | '') continue ;; esac
	if [ -e '$root/via-runc/'"\$a" ]; then
		printf '  (via runc)\n' >>"\$log"
		exec '$runc' "\$@"
	fi
done
'$root/policyrun' --policy '$root/policy.json' "\$@"
rc=\$?
if [ "\$rc" -ne 0 ]; then
	printf '  %s %s rc=%d\n' "\$cmd" "\$id" "\$rc" >>"\$log"
	[ -z "\$rlog" ] || tail -n 5 "\$rlog" 2>/dev/null | sed 's/^/  | /' >>"\$log"
fi
exit "\$rc"
WRAP
chmod 0755 "$wrapper.tmp"
mv "$wrapper.tmp" "$wrapper"
: >"$root/wrapper.log"

cat >"$root/config.toml" <<TOML
version = 2
root = "$data/root"
state = "$state"
disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs",
  "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper",
  "io.containerd.tracing.processor.v1.otlp", "io.containerd.internal.v1.tracing"]

[grpc]
  address = "$sock"

[ttrpc]
  address = "$sock.ttrpc"

[debug]
  address = ""
  level = "info"

[metrics]
  address = ""

[plugins]
  [plugins."io.containerd.internal.v1.opt"]
    path = "$data/opt"

  [plugins."io.containerd.grpc.v1.cri"]
    sandbox_image = "policyrun.test/pause:1"
    restrict_oom_score_adj = true
    disable_apparmor = true
    enable_selinux = false
    netns_mounts_under_state_dir = true
    stream_server_address = "127.0.0.1"
    stream_server_port = "0"
    enable_cdi = false

    [plugins."io.containerd.grpc.v1.cri".cni]
      bin_dir = "$cni_bin"
      conf_dir = "$cni_conf"
      max_conf_num = 1

    [plugins."io.containerd.grpc.v1.cri".containerd]
      snapshotter = "overlayfs"
      default_runtime_name = "runc"

      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
        runtime_type = "io.containerd.runc.v2"
        [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
          BinaryName = "$runc"
          Root = "$runc_root"
          SystemdCgroup = false

      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.policyrun]
        runtime_type = "io.containerd.runc.v2"
        [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.policyrun.options]
          BinaryName = "$wrapper"
          Root = "$runc_root"
          SystemdCgroup = false
TOML

# fd 3 is closed so that bats, which waits for it, does not wait for the daemon.
setsid /usr/bin/containerd --config "$root/config.toml" \
	</dev/null >"$root/containerd.log" 2>&1 3>&- &
daemon=$!
echo "$daemon" >"$root/containerd.pid"

cri() {
	"$python" "$here/cri.py" --sock "$sock" "$@"
}

ok=
for _ in $(seq 300); do
	if cri version >/dev/null 2>&1; then
		ok=1
		break
	fi
	kill -0 "$daemon" 2>/dev/null || {
		tail -n 20 "$root/containerd.log" >&2
		die "containerd exited while starting (log: $root/containerd.log)"
	}
	sleep 0.1
done
[ -n "$ok" ] || {
	tail -n 20 "$root/containerd.log" >&2
	die "the CRI did not answer on $sock within 30s (log: $root/containerd.log)"
}

"$here/images/build-images.sh" "$sock" "$data/images" >&2 || die "could not build the images"

# Pods an interrupted run left behind go first, so every run starts from
# nothing.
cri cleanup >&2 || die "could not remove the pods a previous run left"
find "$root/state" -mindepth 1 -delete

cat >"$root/env" <<ENV
CRI_SOCK='$sock'
CRI_ROOT='$root'
CRI_DATA='$data'
CRI_PID='$daemon'
CRI_WRAPPER_LOG='$root/wrapper.log'
CRI_CONFIGS='$root/configs'
CRI_POLICY='$root/policy.json'
CRI_STATE='$root/state'
CRI_RUNC_ROOT='$runc_root'
CRI_START_SECONDS='$((SECONDS - start))'
ENV
printf '%s\n' "$sock"
