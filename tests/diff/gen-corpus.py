#!/usr/bin/env python3
"""Write the hostile corpus of tests/diff/corpus/ (run.sh reads the files;
this script only documents and regenerates them).

Every case is tests/fixtures/floor-ok.json with one trick.  The name says
what policyrun must do:
  accept-*        accepted, and the delegate's config holds the floor in
                  runc's (encoding/json) view;
  refuse-*        refused; run.sh also checks that runc's view of the
                  original really is below the floor (or undecodable), so a
                  case cannot pass by testing nothing;
  refuse-strict-* refused for strictness alone (BOM, comments, trailing
                  data, bad numbers, ...): runc's view may hold the floor;
  any-*           either, but if accepted runc's view must hold the floor.

Byte-level tricks are written as raw text: json.dumps cannot produce
duplicate keys, invalid UTF-8 or comments.

Usage: tests/diff/gen-corpus.py   (rewrites tests/diff/corpus/*.json)
"""
import copy
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
OUT = os.path.join(HERE, "corpus")

with open(os.path.join(TOP, "tests/fixtures/floor-ok.json")) as f:
    BASE = json.load(f)
# Docker's libnetwork-setkey hook names the daemon by /proc/PID/exe, which a
# static file cannot: a dead PID is refused (fail closed), so the base has no
# hook and the hook cases bring their own.  4194304 is above PID_MAX_LIMIT
# (2^22): no process on any host can ever be behind it.
SETKEY_HOOK = BASE.pop("hooks")["prestart"][0]
SETKEY_HOOK["path"] = "/proc/4194304/exe"

MIB = 1024 * 1024
MARK = "@@RAW@@"
cases = {}


def cfg():
    return copy.deepcopy(BASE)


def dump(obj):
    return json.dumps(obj, indent=2, ensure_ascii=False) + "\n"


def add(name, data):
    assert name not in cases, name
    if isinstance(data, dict) or data is None:
        data = dump(data)
    if isinstance(data, str):
        data = data.encode("utf-8")
    cases[name] = data


def raw(name, edit, fragment, text_edit=None):
    """Put a marker key where edit() says, then replace it with fragment
    (raw JSON text, e.g. a duplicate key) in the dumped text."""
    c = cfg()
    edit(c)
    text = dump(c)
    needle = '"%s": 0' % MARK
    assert text.count(needle) == 1, name
    text = text.replace(needle, fragment)
    if text_edit:
        text = text_edit(text)
    add(name, text)


def seccomp(c):
    return c["linux"]["seccomp"]


def mount(c, dest):
    for m in c["mounts"]:
        if m["destination"] == dest:
            return m
    raise KeyError(dest)


def drop(d, key):
    """Take key out of d and leave the raw-text marker in its place."""
    d.pop(key)
    d[MARK] = 0


def mutate(name, fn):
    c = cfg()
    fn(c)
    add(name, c)


def ns_without(c, t):
    c["linux"]["namespaces"] = [n for n in c["linux"]["namespaces"] if n["type"] != t]


with open(os.path.join(TOP, "tests/fixtures/docker/doc-flags-user.json")) as f:
    DOCKER_SECCOMP = json.load(f)["linux"]["seccomp"]

EVIL_HOOK = {"path": "/bin/sh", "args": ["sh", "-c", "id > /tmp/pwned"]}

# ---------------------------------------------------------------- accepted
add("accept-floor-ok", cfg())
mutate("accept-no-limits", lambda c: [c["linux"]["resources"].pop(k) for k in ("memory", "cpu", "pids")])
mutate("accept-no-pids", lambda c: c["linux"]["resources"].pop("pids"))
mutate("accept-no-cpu", lambda c: c["linux"]["resources"].pop("cpu"))
mutate("accept-no-memory", lambda c: c["linux"]["resources"].pop("memory"))
mutate("accept-no-swap", lambda c: c["linux"]["resources"]["memory"].pop("swap"))
mutate("accept-smaller-limits", lambda c: c["linux"]["resources"].update(
    memory={"limit": 64 * MIB, "swap": 64 * MIB}, cpu={"quota": 25000, "period": 100000}, pids={"limit": 64}))
mutate("accept-cpu-period-1s", lambda c: c["linux"]["resources"].update(cpu={"quota": 500000, "period": 1000000}))
mutate("accept-docker-seccomp-ptrace-io-uring", lambda c: c["linux"].update(seccomp=copy.deepcopy(DOCKER_SECCOMP)))
mutate("accept-seccomp-allows-ptrace", lambda c: seccomp(c)["syscalls"].append(
    {"names": ["ptrace"], "action": "SCMP_ACT_ALLOW"}))
mutate("accept-seccomp-allows-mount-unshare-bpf", lambda c: seccomp(c)["syscalls"].append(
    {"names": ["mount", "unshare", "setns", "bpf", "keyctl", "add_key", "userfaultfd"], "action": "SCMP_ACT_ALLOW"}))
mutate("accept-seccomp-allows-io-uring-with-args", lambda c: seccomp(c)["syscalls"].append(
    {"names": ["io_uring_setup", "perf_event_open"], "action": "SCMP_ACT_ALLOW",
     "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_EQ"}]}))
mutate("accept-seccomp-kill-process", lambda c: seccomp(c).update(defaultAction="SCMP_ACT_KILL_PROCESS"))
mutate("any-hook-setkey-dead-pid", lambda c: c.update(hooks={"prestart": [SETKEY_HOOK]}))
mutate("accept-empty-hooks", lambda c: c.update(hooks={}))
mutate("accept-docker-sysctls", lambda c: c["linux"].update(sysctl={
    "net.ipv4.ip_unprivileged_port_start": "0", "net.ipv4.ping_group_range": "0 2147483647"}))
mutate("accept-no-additional-gids", lambda c: c["process"]["user"].pop("additionalGids"))
mutate("accept-capability-sets-empty", lambda c: c["process"].update(capabilities={
    "bounding": [], "effective": [], "inheritable": [], "permitted": [], "ambient": []}))
mutate("accept-relative-root-path", lambda c: c["root"].update(path="rootfs"))
mutate("accept-relative-bind-source", lambda c: mount(c, "/code.py").update(source="code.py"))
mutate("accept-unicode-strings", lambda c: c["process"]["env"].extend(
    ["LANG=C.UTF-8", "GREETING=grüße ſ \u212a 😀", "EMPTY="]))
mutate("accept-annotations", lambda c: c.update(annotations={"org.opencontainers.image.title": "demo"}))
mutate("accept-positive-oom-score-adj", lambda c: c["process"].update(oomScoreAdj=500))
mutate("accept-cgroup-namespace", lambda c: c["linux"]["namespaces"].append({"type": "cgroup"}))
mutate("accept-docker-rlimits", lambda c: c["process"].update(rlimits=[
    {"type": "RLIMIT_NOFILE", "hard": 1024, "soft": 1024}]))
mutate("accept-uid-1000", lambda c: c["process"].update(user={"uid": 1000, "gid": 1000}))
add("accept-whitespace", dump(cfg()).replace("\n", "\r\n\t ").replace(": ", " :\t") + "\n\n \t")
add("accept-escaped-strings", dump(cfg()).replace('"/var/lib/docker/vfs/dir/abc"', '"\\/var\\/lib\\/docker\\/vfs\\/dir\\/ab\\u0063"')
    .replace('"HOSTNAME=abc"', '"HOSTNAME=\\u00e9\\ud83d\\ude00\\t\\"x\\""'))
add("accept-compact", json.dumps(BASE, separators=(",", ":")))

# ------------------------------------------------------- each floor rule
mutate("refuse-root-readonly-false", lambda c: c["root"].update(readonly=False))
mutate("refuse-root-readonly-absent", lambda c: c["root"].pop("readonly"))
mutate("refuse-root-path-host-root", lambda c: c["root"].update(path="/"))
mutate("refuse-no-new-privileges-false", lambda c: c["process"].update(noNewPrivileges=False))
mutate("refuse-no-new-privileges-absent", lambda c: c["process"].pop("noNewPrivileges"))
mutate("refuse-uid-0", lambda c: c["process"]["user"].update(uid=0))
mutate("refuse-gid-0", lambda c: c["process"]["user"].update(gid=0))
mutate("refuse-additional-gid-0", lambda c: c["process"]["user"].update(additionalGids=[65534, 0]))
mutate("refuse-user-absent", lambda c: c["process"].pop("user"))
mutate("refuse-user-empty", lambda c: c["process"].update(user={}))
mutate("refuse-capabilities-absent", lambda c: c["process"].pop("capabilities"))
mutate("refuse-cap-bounding-sys-admin", lambda c: c["process"].update(capabilities={"bounding": ["CAP_SYS_ADMIN"]}))
mutate("refuse-cap-ambient-net-raw", lambda c: c["process"].update(capabilities={
    "bounding": ["CAP_NET_RAW"], "permitted": ["CAP_NET_RAW"], "inheritable": ["CAP_NET_RAW"],
    "effective": ["CAP_NET_RAW"], "ambient": ["CAP_NET_RAW"]}))
mutate("refuse-cap-lowercase-name", lambda c: c["process"].update(capabilities={"effective": ["cap_sys_admin"]}))
mutate("refuse-process-absent", lambda c: c.pop("process"))
mutate("refuse-linux-absent", lambda c: c.pop("linux"))
mutate("refuse-root-absent", lambda c: c.pop("root"))
mutate("refuse-netns-absent", lambda c: ns_without(c, "network"))
mutate("refuse-netns-path", lambda c: [n.update(path="/proc/1/ns/net") for n in c["linux"]["namespaces"] if n["type"] == "network"])
mutate("refuse-netns-second-with-path", lambda c: c["linux"]["namespaces"].append({"type": "network", "path": "/proc/1/ns/net"}))
mutate("refuse-pidns-absent", lambda c: ns_without(c, "pid"))
mutate("refuse-ipcns-absent", lambda c: ns_without(c, "ipc"))
mutate("refuse-utsns-absent", lambda c: ns_without(c, "uts"))
mutate("refuse-mountns-path", lambda c: [n.update(path="/proc/1/ns/mnt") for n in c["linux"]["namespaces"] if n["type"] == "mount"])
mutate("refuse-netns-type-uppercase", lambda c: [n.update(type="NETWORK") for n in c["linux"]["namespaces"] if n["type"] == "network"])
mutate("refuse-memory-200m", lambda c: c["linux"]["resources"].update(memory={"limit": 200 * MIB, "swap": 200 * MIB}))
mutate("refuse-memory-minus-1", lambda c: c["linux"]["resources"].update(memory={"limit": -1, "swap": -1}))
mutate("refuse-memory-zero", lambda c: c["linux"]["resources"].update(memory={"limit": 0}))
mutate("refuse-swap-minus-1", lambda c: c["linux"]["resources"]["memory"].update(swap=-1))
mutate("refuse-swap-above-limit", lambda c: c["linux"]["resources"]["memory"].update(swap=200 * MIB))
mutate("refuse-disable-oom-killer", lambda c: c["linux"]["resources"]["memory"].update(disableOOMKiller=True))
mutate("refuse-cpu-quota-minus-1", lambda c: c["linux"]["resources"]["cpu"].update(quota=-1))
mutate("refuse-cpu-two-cpus", lambda c: c["linux"]["resources"]["cpu"].update(quota=200000))
mutate("refuse-cpu-short-period", lambda c: c["linux"]["resources"]["cpu"].update(quota=50000, period=50000))
mutate("accept-cpu-quota-absent", lambda c: c["linux"]["resources"]["cpu"].pop("quota"))
mutate("refuse-pids-zero", lambda c: c["linux"]["resources"].update(pids={"limit": 0}))
mutate("refuse-pids-minus-1", lambda c: c["linux"]["resources"].update(pids={"limit": -1}))
mutate("refuse-pids-1000", lambda c: c["linux"]["resources"].update(pids={"limit": 1000}))
mutate("refuse-unified-memory-max", lambda c: c["linux"]["resources"].update(unified={"memory.max": "max"}))
mutate("refuse-seccomp-absent", lambda c: c["linux"].pop("seccomp"))
mutate("refuse-seccomp-default-allow", lambda c: seccomp(c).update(defaultAction="SCMP_ACT_ALLOW", syscalls=[]))
mutate("refuse-seccomp-default-log", lambda c: seccomp(c).update(defaultAction="SCMP_ACT_LOG"))
mutate("refuse-seccomp-default-trace", lambda c: seccomp(c).update(defaultAction="SCMP_ACT_TRACE"))
mutate("refuse-seccomp-default-notify", lambda c: seccomp(c).update(
    defaultAction="SCMP_ACT_NOTIFY", listenerPath="/run/listener.sock"))
mutate("refuse-seccomp-listener-path", lambda c: seccomp(c).update(listenerPath="/run/listener.sock"))
mutate("refuse-bind-writable", lambda c: mount(c, "/code.py").update(options=["rbind", "rprivate"]))
mutate("refuse-bind-rw-after-ro", lambda c: mount(c, "/code.py").update(options=["rbind", "ro", "rprivate", "rw"]))
mutate("refuse-bind-no-options", lambda c: mount(c, "/code.py").pop("options"))
mutate("refuse-bind-ro-uppercase", lambda c: mount(c, "/code.py").update(options=["rbind", "RO"]))
mutate("refuse-bind-ro-with-space", lambda c: mount(c, "/code.py").update(options=["rbind", "ro "]))
mutate("refuse-bind-host-root-ro", lambda c: c["mounts"].append(
    {"destination": "/host", "type": "bind", "source": "/", "options": ["rbind", "ro"]}))
mutate("refuse-bind-etc-ro", lambda c: c["mounts"].append(
    {"destination": "/host-etc", "type": "bind", "source": "/etc", "options": ["rbind", "ro"]}))
mutate("refuse-bind-etc-shadow-as-hosts", lambda c: mount(c, "/etc/hosts").update(source="/etc/shadow"))
mutate("refuse-bind-proc", lambda c: c["mounts"].append(
    {"destination": "/hostproc", "type": "bind", "source": "/proc", "options": ["rbind", "ro"]}))
mutate("refuse-bind-docker-state", lambda c: c["mounts"].append(
    {"destination": "/d", "type": "bind", "source": "/var/lib/docker", "options": ["rbind", "ro"]}))
mutate("refuse-bind-docker-socket", lambda c: c["mounts"].append(
    {"destination": "/var/run/docker.sock", "type": "bind", "source": "/var/run/docker.sock", "options": ["bind", "ro"]}))
mutate("refuse-bind-dotdot-to-etc", lambda c: c["mounts"].append(
    {"destination": "/x", "type": "bind", "source": "/srv/../etc", "options": ["rbind", "ro"]}))
mutate("refuse-bind-relative-escape-to-etc", lambda c: c["mounts"].append(
    {"destination": "/x", "type": "bind", "source": "../../../../../../../../etc", "options": ["rbind", "ro"]}))
# run.sh puts a symlink hostroot -> / in every bundle.
mutate("refuse-bind-symlink-to-host-root", lambda c: c["mounts"].append(
    {"destination": "/x", "type": "bind", "source": "hostroot", "options": ["rbind", "ro"]}))
# runc makes any mount with a bind option a bind, whatever its type says.
mutate("refuse-tmpfs-type-with-rbind-of-root", lambda c: c["mounts"].append(
    {"destination": "/tmp", "type": "tmpfs", "source": "/", "options": ["rbind", "rw"]}))
mutate("refuse-none-type-with-bind-of-etc", lambda c: c["mounts"].append(
    {"destination": "/x", "type": "none", "source": "/etc", "options": ["bind"]}))
mutate("refuse-extra-proc-mount", lambda c: c["mounts"].append(
    {"destination": "/tmp/proc", "type": "proc", "source": "proc", "options": ["nosuid", "noexec", "nodev"]}))
mutate("refuse-tmpfs-exec-unbounded", lambda c: c["mounts"].append(
    {"destination": "/tmp", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "nodev"]}))
mutate("refuse-linux-devices", lambda c: c["linux"].update(devices=[
    {"path": "/dev/sda", "type": "b", "major": 8, "minor": 0, "fileMode": 432, "uid": 0, "gid": 0}]))
mutate("refuse-device-cgroup-allow-all", lambda c: c["linux"]["resources"].update(devices=[{"allow": True, "access": "rwm"}]))
mutate("any-device-cgroup-absent", lambda c: c["linux"]["resources"].pop("devices"))
mutate("refuse-hook-shell", lambda c: c.setdefault("hooks", {}).setdefault("prestart", []).append(EVIL_HOOK))
mutate("refuse-hook-lookalike-setkey", lambda c: c.setdefault("hooks", {}).setdefault("prestart", []).append(
    {"path": "/tmp/dockerd", "args": ["libnetwork-setkey", "-exec-root=/var/run/docker", "abc", "def"]}))
mutate("refuse-hook-proc-self-exe", lambda c: c.setdefault("hooks", {}).setdefault("prestart", []).append(
    {"path": "/proc/self/exe", "args": ["libnetwork-setkey", "abc", "def"]}))
mutate("refuse-hook-poststop", lambda c: c.setdefault("hooks", {}).update(poststop=[EVIL_HOOK]))
mutate("refuse-hook-create-runtime", lambda c: c.setdefault("hooks", {}).update(createRuntime=[EVIL_HOOK]))
mutate("refuse-sysctl-kernel", lambda c: c["linux"].update(sysctl={"kernel.core_pattern": "|/tmp/x"}))
mutate("refuse-sysctl-slash-form", lambda c: c["linux"].update(sysctl={"kernel/shm_rmid_forced": "1"}))
mutate("refuse-annotation-systemd-property", lambda c: c.update(annotations={"org.systemd.property.Delegate": "true"}))
mutate("refuse-cgroups-path-root", lambda c: c["linux"].update(cgroupsPath="/docker/.."))
mutate("refuse-masked-paths-empty", lambda c: c["linux"].update(maskedPaths=[]))
mutate("any-readonly-paths-absent", lambda c: c["linux"].pop("readonlyPaths"))
mutate("refuse-cwd-proc-fd", lambda c: c["process"].update(cwd="/proc/self/fd/7"))
mutate("refuse-oom-score-adj-negative", lambda c: c["process"].update(oomScoreAdj=-1000))
mutate("refuse-userns-maps-host-root", lambda c: c["root"].update(path="rootfs") or c["linux"].update(
    namespaces=c["linux"]["namespaces"] + [{"type": "user"}],
    uidMappings=[{"containerID": 65534, "hostID": 0, "size": 1}],
    gidMappings=[{"containerID": 65534, "hostID": 0, "size": 1}]))

mutate("refuse-root-path-relative-escape", lambda c: c["root"].update(path="../../../../../../../../../.."))
mutate("refuse-root-path-symlink-to-host-root", lambda c: c["root"].update(path="hostroot"))
mutate("refuse-bind-symlink-dir-to-etc", lambda c: c["mounts"].append(
    {"destination": "/x", "type": "bind", "source": "hostroot/etc", "options": ["rbind", "ro"]}))
mutate("refuse-cwd-dotdot-proc", lambda c: c["process"].update(cwd="/tmp/../proc/self/fd/7"))
mutate("refuse-hook-dockerd-other-args", lambda c: c.update(hooks={"prestart": [
    {"path": "/usr/bin/dockerd", "args": ["dockerd", "-H", "tcp://0.0.0.0:2375"]}]}))
mutate("accept-seccomp-allows-new-mount-api", lambda c: seccomp(c)["syscalls"].append(
    {"names": ["fsopen", "fsconfig", "fsmount", "move_mount", "open_tree", "mount_setattr", "umount2", "pivot_root"],
     "action": "SCMP_ACT_ALLOW"}))
mutate("refuse-rootfs-propagation-shared", lambda c: c["linux"].update(rootfsPropagation="rshared"))
mutate("refuse-bind-rshared", lambda c: mount(c, "/code.py").update(options=["rbind", "ro", "rshared"]))
mutate("refuse-rlimit-nofile-huge", lambda c: c["process"].update(rlimits=[
    {"type": "RLIMIT_NOFILE", "hard": 1048576, "soft": 1048576}]))
mutate("refuse-cpu-quota-min-int64", lambda c: c["linux"]["resources"]["cpu"].update(quota=-9223372036854775808))
# encoding/json reads null into a non-pointer element as its zero value.
mutate("refuse-null-in-additional-gids", lambda c: c["process"]["user"].update(additionalGids=[65534, None]))
mutate("refuse-null-in-masked-paths", lambda c: c["linux"].update(
    maskedPaths=[None if p == "/proc/kcore" else p for p in c["linux"]["maskedPaths"]]))
mutate("refuse-null-userns-host-id", lambda c: c["linux"].update(
    namespaces=c["linux"]["namespaces"] + [{"type": "user"}],
    uidMappings=[{"containerID": 65534, "hostID": None, "size": 1}],
    gidMappings=[{"containerID": 65534, "hostID": 65534, "size": 1}]))
mutate("refuse-device-cgroup-allow-null-major", lambda c: c["linux"]["resources"]["devices"].append(
    {"allow": True, "type": "c", "major": None, "minor": None, "access": "rwm"}))
mutate("any-null-mount-element", lambda c: c["mounts"].append(None))
add("accept-string-escapes", dump(cfg()).replace(
    '"HOSTNAME=abc"', '"HOSTNAME=abc", "ESC=\\\\ \\" \\b\\f\\n\\r\\t \\u2028\\u2029 \\u007f \\uffff \\ud83d\\ude00 \u00e9 \u212a"'))
add("refuse-strict-trailing-nul", dump(cfg()) + "\0")

mutate("refuse-cgroups-path-double-slash", lambda c: c["linux"].update(cgroupsPath="//"))
mutate("refuse-hook-setkey-ld-preload", lambda c: c.update(hooks={"prestart": [
    {"path": "/usr/sbin/dockerd", "args": ["libnetwork-setkey", "-exec-root=/var/run/docker", "abc", "def"],
     "env": ["LD_PRELOAD=/tmp/evil.so"]}]}))
mutate("any-hook-setkey-dockerd-path", lambda c: c.update(hooks={"prestart": [
    {"path": "/usr/sbin/dockerd", "args": ["libnetwork-setkey", "-exec-root=/var/run/docker", "abc", "def"]}]}))
mutate("any-netns-twice", lambda c: c["linux"]["namespaces"].append({"type": "network"}))

# ------------------------------------------------------ null where a value is needed
mutate("refuse-null-capabilities", lambda c: c["process"].update(capabilities=None))
mutate("refuse-null-seccomp", lambda c: c["linux"].update(seccomp=None))
mutate("refuse-null-root", lambda c: c.update(root=None))
mutate("refuse-null-process", lambda c: c.update(process=None))
mutate("refuse-null-linux", lambda c: c.update(linux=None))
mutate("refuse-null-user", lambda c: c["process"].update(user=None))
mutate("refuse-null-uid", lambda c: c["process"]["user"].update(uid=None))
mutate("refuse-null-no-new-privileges", lambda c: c["process"].update(noNewPrivileges=None))
mutate("refuse-null-readonly", lambda c: c["root"].update(readonly=None))
mutate("refuse-strict-null-resources", lambda c: c["linux"].update(resources=None))
mutate("refuse-strict-null-memory-limit", lambda c: c["linux"]["resources"]["memory"].update(limit=None))
mutate("refuse-null-pids-limit", lambda c: c["linux"]["resources"]["pids"].update(limit=None))
mutate("refuse-strict-null-cpu-quota", lambda c: c["linux"]["resources"]["cpu"].update(quota=None))
mutate("refuse-null-namespaces", lambda c: c["linux"].update(namespaces=None))
mutate("refuse-null-bind-options", lambda c: mount(c, "/code.py").update(options=None))
mutate("refuse-strict-null-masked-paths", lambda c: c["linux"].update(maskedPaths=None))
add("refuse-null-document", "null\n")
mutate("any-null-additional-gids", lambda c: c["process"]["user"].update(additionalGids=None))
mutate("any-null-hooks", lambda c: c.update(hooks=None))
mutate("any-null-annotations", lambda c: c.update(annotations=None))
mutate("any-null-swap", lambda c: c["linux"]["resources"]["memory"].update(swap=None))

# ------------------------------------------------------ duplicate keys: the last wins in Go
raw("refuse-dup-readonly-last-false", lambda c: c["root"].update({MARK: 0}), '"readonly": false')
raw("refuse-dup-no-new-privileges-last-false", lambda c: c["process"].update({MARK: 0}), '"noNewPrivileges": false')
raw("refuse-dup-uid-last-0", lambda c: c["process"]["user"].update({MARK: 0}), '"uid": 0')
raw("refuse-dup-capabilities-last-null", lambda c: c["process"].update({MARK: 0}), '"capabilities": null')
raw("refuse-dup-seccomp-last-null", lambda c: c["linux"].update({MARK: 0}), '"seccomp": null')
raw("refuse-dup-memory-limit-last-1g", lambda c: c["linux"]["resources"]["memory"].update({MARK: 0}), '"limit": 1073741824')
raw("refuse-dup-root-object", lambda c: c.update({MARK: 0}), '"root": {"readonly": false}')
raw("refuse-dup-namespaces-last-without-network", lambda c: c["linux"].update({MARK: 0}),
    '"namespaces": [{"type": "mount"}, {"type": "uts"}, {"type": "pid"}, {"type": "ipc"}]')
raw("refuse-dup-process-merges-uid-0", lambda c: c.update({MARK: 0}), '"process": {"user": {"uid": 0}}')
raw("refuse-dup-mounts-last-writable-root", lambda c: c.update({MARK: 0}),
    '"mounts": [{"destination": "/host", "type": "bind", "source": "/", "options": ["rbind"]}]')
raw("refuse-dup-bind-options-last-writable", lambda c: mount(c, "/code.py").update({MARK: 0}), '"options": ["rbind"]')
raw("refuse-dup-hooks-last-shell", lambda c: c.update({"hooks": {}, MARK: 0}), '"hooks": {"prestart": [%s]}' % json.dumps(EVIL_HOOK))
raw("refuse-dup-pids-last-unlimited", lambda c: c["linux"]["resources"].update({MARK: 0}), '"pids": {"limit": -1}')
raw("refuse-strict-dup-sysctl-map-key", lambda c: c["linux"].update(sysctl={"net.ipv4.ping_group_range": "1 0", MARK: 0}),
    '"net.ipv4.ping_group_range": "0 2147483647"')

# ------------------------------------------------------ keys equal under Go's folding
raw("refuse-fold-readonly-upper", lambda c: c["root"].update({MARK: 0}), '"READONLY": false')
raw("refuse-fold-readonly-mixed", lambda c: c["root"].update({MARK: 0}), '"ReadOnly": false')
raw("refuse-fold-escaped-upper", lambda c: c["root"].update({MARK: 0}), '"\\u0052EADONLY": false')
raw("refuse-fold-nnp-upper", lambda c: c["process"].update({MARK: 0}), '"NONEWPRIVILEGES": false')
raw("refuse-fold-uid-upper", lambda c: c["process"]["user"].update({MARK: 0}), '"UID": 0')
raw("refuse-fold-capabilities-null", lambda c: c["process"].update({MARK: 0}), '"Capabilities": null')
raw("refuse-fold-capability-set", lambda c: c["process"].update(capabilities={"bounding": [], MARK: 0}),
    '"BOUNDING": ["CAP_SYS_ADMIN"]')
raw("refuse-fold-long-s-seccomp-null", lambda c: c["linux"].update({MARK: 0}), '"\u017feccomp": null')
raw("refuse-fold-long-s-escaped-seccomp-null", lambda c: c["linux"].update({MARK: 0}), '"\\u017feccomp": null')
raw("refuse-fold-long-s-swap", lambda c: c["linux"]["resources"]["memory"].update({MARK: 0}), '"\u017fwap": -1')
raw("refuse-fold-kelvin-masked-paths", lambda c: c["linux"].update({MARK: 0}), '"mas\u212aedPaths": []')
raw("refuse-fold-kelvin-escaped-hooks", lambda c: c.update({"hooks": {}, MARK: 0}), '"hoo\\u212as": {"prestart": [%s]}' % json.dumps(EVIL_HOOK))
raw("refuse-fold-linux-merges-null-seccomp", lambda c: c.update({MARK: 0}), '"LINUX": {"seccomp": null}')
raw("refuse-fold-resources-merges-memory", lambda c: c["linux"].update({MARK: 0}), '"Resources": {"memory": {"limit": -1}}')
raw("refuse-fold-namespace-type", lambda c: c["linux"].update(namespaces=[
    {"type": "mount"}, {"type": "network", MARK: 0}, {"type": "uts"}, {"type": "pid"}, {"type": "ipc"}]), '"TYPE": "user"')
raw("refuse-escaped-key-readonly", lambda c: c["root"].update({MARK: 0}), '"\\u0072eadonly": false')
# Alone, a folded key is the only one runc sees; policyrun may refuse it or
# drop it, but never hand it on.
raw("any-lone-fold-readonly-upper", lambda c: drop(c["root"], "readonly"), '"READONLY": true')
raw("any-lone-fold-hooks-upper", lambda c: c.update({MARK: 0}), '"HOOKS": {"prestart": [%s]}' % json.dumps(EVIL_HOOK))
raw("any-lone-fold-kelvin-hooks", lambda c: c.update({MARK: 0}), '"hoo\u212as": {"poststop": [%s]}' % json.dumps(EVIL_HOOK))
raw("any-lone-fold-long-s-seccomp-null", lambda c: drop(c["linux"], "seccomp"), '"\u017feccomp": null')
raw("refuse-fold-mounts-upper", lambda c: c.update({MARK: 0}),
    '"MOUNTS": [{"destination": "/host", "type": "bind", "source": "/", "options": ["rbind"]}]')
raw("any-lone-fold-sysctl-upper", lambda c: c["linux"].update({MARK: 0}), '"SYSCTL": {"kernel.core_pattern": "|/tmp/x"}')
raw("any-lone-fold-devices-upper", lambda c: c["linux"].update({MARK: 0}),
    '"Devices": [{"path": "/dev/sda", "type": "b", "major": 8, "minor": 0}]')
raw("any-lone-fold-unified-upper", lambda c: c["linux"]["resources"].update({MARK: 0}), '"UNIFIED": {"memory.max": "max"}')
raw("any-lone-fold-capabilities-upper", lambda c: drop(c["process"], "capabilities"),
    '"CAPABILITIES": {"bounding": ["CAP_SYS_ADMIN"], "effective": ["CAP_SYS_ADMIN"], "permitted": ["CAP_SYS_ADMIN"]}')
raw("any-lone-fold-long-s-user", lambda c: drop(c["process"], "user"), '"u\u017fer": {"uid": 0, "gid": 0}')
raw("any-lone-fold-memory-upper", lambda c: drop(c["linux"]["resources"], "memory"),
    '"MEMORY": {"limit": 1073741824}')
raw("any-lone-fold-pids-upper", lambda c: drop(c["linux"]["resources"], "pids"),
    '"PIDS": {"limit": -1}')
raw("any-lone-fold-swap-long-s", lambda c: drop(c["linux"]["resources"]["memory"], "swap"),
    '"\u017fwap": -1')
raw("any-lone-fold-namespace-path", lambda c: c["linux"].update(namespaces=[
    {"type": "mount"}, {"type": "network", MARK: 0}, {"type": "uts"}, {"type": "pid"}, {"type": "ipc"}]), '"PATH": "/proc/1/ns/net"')
raw("any-lone-fold-bind-options", lambda c: drop(mount(c, "/code.py"), "options"),
    '"OPTIONS": ["rbind", "ro"]')
raw("any-lone-fold-listener-path", lambda c: seccomp(c).update({MARK: 0}), '"ListenerPath": "/run/listener.sock"')
# Unicode folds that Go does not make (dotless i): runc ignores the key.
raw("any-unicode-fold-go-ignores", lambda c: c["process"].update({MARK: 0}), '"noNewPr\u0131vileges": false')

# ------------------------------------------------------ NUL bytes: C strings end there, Go's do not
raw("refuse-nul-key-readonly", lambda c: drop(c["root"], "readonly"), '"readonly\\u0000": true')
raw("refuse-nul-key-capabilities", lambda c: drop(c["process"], "capabilities"),
    '"capabilities\\u0000": {}')
raw("refuse-nul-key-seccomp", lambda c: drop(c["linux"], "seccomp"),
    '"seccomp\\u0000": %s' % json.dumps(BASE["linux"]["seccomp"]))
mutate("refuse-strict-nul-in-bind-source", lambda c: mount(c, "/code.py").update(source="/srv/code.py\u0000/../../etc"))
mutate("refuse-strict-nul-in-env", lambda c: c["process"]["env"].append("A=b\u0000c"))

# ------------------------------------------------------ strictness: encoding, syntax, numbers, depth
add("refuse-strict-bom", b"\xef\xbb\xbf" + dump(cfg()).encode())
add("refuse-strict-comment-line", "// floor-ok with a comment\n" + dump(cfg()))
add("refuse-strict-comment-block", dump(cfg()).replace('"hostname": "abc",', '"hostname": "abc", /* c */', 1))
add("refuse-strict-trailing-document", dump(cfg()) + '{"root": {"path": "/", "readonly": false}}\n')
add("refuse-strict-trailing-garbage", dump(cfg()) + "x")
add("refuse-strict-trailing-brace", dump(cfg()).rstrip() + "}\n")
add("refuse-strict-trailing-comma", dump(cfg()).replace('"hostname": "abc",', '"hostname": "abc",,', 1))
loose = cfg()
loose["root"]["readonly"] = False
add("refuse-first-document-loose", dump(loose) + dump(cfg()))
add("refuse-strict-invalid-utf8-string", dump(cfg()).encode().replace(b'"HOSTNAME=abc"', b'"HOSTNAME=\xff\xfe"'))
add("refuse-strict-overlong-utf8", dump(cfg()).encode().replace(b'"HOSTNAME=abc"', b'"HOSTNAME=\xc0\xaf"'))
add("refuse-strict-invalid-utf8-key", dump(cfg()).encode().replace(b'"hostname": "abc"', b'"hostname\xff": "abc"'))
add("refuse-strict-utf8-surrogate-bytes", dump(cfg()).encode().replace(b'"HOSTNAME=abc"', b'"HOSTNAME=\xed\xa0\x80"'))
add("refuse-strict-lone-high-surrogate", dump(cfg()).replace('"HOSTNAME=abc"', '"HOSTNAME=\\ud800"'))
add("refuse-strict-lone-low-surrogate", dump(cfg()).replace('"HOSTNAME=abc"', '"HOSTNAME=\\udc00x"'))
add("refuse-strict-raw-control-char", dump(cfg()).replace('"HOSTNAME=abc"', '"HOSTNAME=a\x01bc"'))
for name, num in [("1e8", "1e8"), ("1.0e8", "1.0e8"), ("104857600.0", "104857600.0"), ("huge", "1e400"),
                  ("int64-overflow", "9223372036854775808"), ("hex", "0x6400000"), ("leading-zero", "0104857600"),
                  ("plus", "+104857600"), ("nan", "NaN")]:
    add("refuse-strict-memory-" + name, dump(cfg()).replace('"limit": 104857600,', '"limit": %s,' % num, 1))
add("refuse-strict-pids-256.0", dump(cfg()).replace('"limit": 256', '"limit": 256.0', 1))
add("refuse-strict-uid-minus-0", dump(cfg()).replace('"uid": 65534', '"uid": -0', 1))
add("refuse-strict-uid-2-pow-32", dump(cfg()).replace('"uid": 65534', '"uid": 4295032830', 1))
add("refuse-memory-minus-0", dump(cfg()).replace('"limit": 104857600,', '"limit": -0,', 1))
mutate("refuse-strict-type-readonly-string", lambda c: c["root"].update(readonly="true"))
mutate("refuse-strict-type-nnp-number", lambda c: c["process"].update(noNewPrivileges=1))
mutate("refuse-strict-type-uid-string", lambda c: c["process"]["user"].update(uid="65534"))
mutate("refuse-strict-type-capabilities-array", lambda c: c["process"].update(capabilities=[]))
mutate("refuse-strict-type-limit-string", lambda c: c["linux"]["resources"]["memory"].update(limit="104857600"))
mutate("refuse-strict-type-namespaces-object", lambda c: c["linux"].update(namespaces={"type": "network"}))
mutate("refuse-strict-type-options-string", lambda c: mount(c, "/code.py").update(options="rbind,ro"))
mutate("refuse-strict-type-seccomp-string", lambda c: c["linux"].update(seccomp="default"))
add("refuse-strict-empty-file", "")
add("refuse-strict-top-level-array", "[" + dump(cfg()) + "]")
deep = cfg()
add("refuse-strict-deep-nesting", dump(deep).replace('"hostname": "abc",', '"x": ' + "[" * 20000 + "]" * 20000 + ', "hostname": "abc",', 1))
add("any-nesting-64", dump(deep).replace('"hostname": "abc",', '"annotations_x": ' + "[" * 64 + "]" * 64 + ', "hostname": "abc",', 1))

# ------------------------------------------------------ either way, if the view holds
mutate("any-bind-rw-then-ro", lambda c: mount(c, "/code.py").update(options=["rbind", "rw", "ro"]))
mutate("any-bind-rro", lambda c: mount(c, "/code.py").update(options=["rbind", "rro", "rprivate"]))
mutate("any-seccomp-log-ptrace", lambda c: seccomp(c)["syscalls"].append({"names": ["ptrace"], "action": "SCMP_ACT_LOG"}))
mutate("any-uid-4294967295", lambda c: c["process"]["user"].update(uid=4294967295, gid=4294967295))
mutate("any-swap-zero", lambda c: c["linux"]["resources"]["memory"].update(swap=0))
mutate("any-cpu-period-zero", lambda c: c["linux"]["resources"]["cpu"].update(period=0))
mutate("any-cpu-period-uint64-max", lambda c: c["linux"]["resources"]["cpu"].update(period=18446744073709551615))
mutate("any-mounts-null", lambda c: c.update(mounts=None))
mutate("any-unknown-top-level-key", lambda c: c.update(policyrunIgnoreMe={"root": {"readonly": False}}))
mutate("any-seccomp-unknown-syscall-name", lambda c: seccomp(c)["syscalls"].append(
    {"names": ["PTRACE", "not_a_syscall"], "action": "SCMP_ACT_ALLOW"}))


# ------------------------------------------------ second review: seccomp escapes
NS = 0x7E020000  # clone's namespace flags
SAFE_CLONE = {"index": 0, "value": NS, "valueTwo": 0, "op": "SCMP_CMP_MASKED_EQ"}


def allow(names, args=None, action="SCMP_ACT_ALLOW"):
    rule = {"names": names, "action": action}
    if args is not None:
        rule["args"] = args
    return rule


def only_rules(c, *rules):
    """The base profile without clone, socket and socketcall, plus rules."""
    s = seccomp(c)
    for r in s["syscalls"]:
        r["names"] = [n for n in r["names"] if n not in ("clone", "clone3", "socket", "socketcall")]
    s["syscalls"] += list(rules)


mutate("accept-seccomp-clone-unconditional", lambda c: only_rules(c, allow(["clone"])))
mutate("accept-seccomp-clone-docker-rule", lambda c: only_rules(c, allow(["clone"], [SAFE_CLONE])))
mutate("accept-seccomp-clone-or-split", lambda c: only_rules(c, allow(["clone"], [
    SAFE_CLONE, {"index": 0, "value": 0, "op": "SCMP_CMP_NE"}])))
mutate("accept-seccomp-clone-wrong-index", lambda c: only_rules(c, allow(["clone"], [
    {"index": 1, "value": NS, "valueTwo": 0, "op": "SCMP_CMP_MASKED_EQ"}])))
mutate("accept-seccomp-clone-mask-without-newuser", lambda c: only_rules(c, allow(["clone"], [
    {"index": 0, "value": NS & ~0x10000000, "valueTwo": 0, "op": "SCMP_CMP_MASKED_EQ"}])))
mutate("accept-seccomp-clone-log", lambda c: only_rules(c, allow(["clone"], action="SCMP_ACT_LOG")))
mutate("accept-seccomp-clone-trace", lambda c: only_rules(c, allow(["clone"], action="SCMP_ACT_TRACE")))
mutate("accept-seccomp-clone3-allowed", lambda c: only_rules(c, allow(["clone3"])))
mutate("accept-seccomp-clone3-log", lambda c: only_rules(c, allow(["clone3", "getpid"], action="SCMP_ACT_LOG")))
mutate("accept-seccomp-socket-unconditional", lambda c: only_rules(c, allow(["socket"])))
mutate("accept-seccomp-socket-or-split", lambda c: only_rules(c, allow(["socket"], [
    {"index": 0, "value": 40, "op": "SCMP_CMP_NE"}, {"index": 0, "value": 1, "op": "SCMP_CMP_GE"}])))
mutate("accept-seccomp-socketcall-x86", lambda c: only_rules(c, allow(["socketcall"])))
mutate("accept-seccomp-clone-repeated", lambda c: only_rules(c, allow(["clone"] * 64 + ["getppid"])))

# ------------------------------------------------------------ rlimits
mutate("refuse-rlimit-rtprio", lambda c: c["process"].update(rlimits=[
    {"type": "RLIMIT_RTPRIO", "hard": 99, "soft": 99}]))
mutate("refuse-rlimit-rtprio-soft-only", lambda c: c["process"].update(rlimits=[
    {"type": "RLIMIT_RTPRIO", "hard": 0, "soft": 1}]))
mutate("refuse-rlimit-nice-40", lambda c: c["process"].update(rlimits=[
    {"type": "RLIMIT_NICE", "hard": 40, "soft": 40}]))
mutate("accept-rlimit-nice-20-rtprio-0", lambda c: c["process"].update(rlimits=[
    {"type": "RLIMIT_NICE", "hard": 20, "soft": 20}, {"type": "RLIMIT_RTPRIO", "hard": 0, "soft": 0}]))


# ------------------------------------------------ red team: harden mode's rewrites
# Each is aimed at what harden rewrites (tests/diff/run.sh, DIFF_MODE=harden):
# the hand-off must hold the floor in runc's view whatever enforce says.
# A null element of a folded "Args"/"Env": runc runs "" as an argument; the
# hand-off must not run another command (decode -orig compares them).
raw("any-fold-args-null-element", lambda c: drop(c["process"], "args"), '"ARGS": ["python3", null, "/code.py"]')
raw("any-fold-env-null-element", lambda c: drop(c["process"], "env"), '"Env": ["PATH=/usr/bin:/bin", null]')
# Map keys are exact in Go: one refused sysctl key that folds onto an
# allowed one (runc refuses "NET." keys: below the floor only as runc's
# error).  Harden must not take the allowed one out in its place.
mutate("refuse-sysctl-fold-twin-of-allowed", lambda c: c["linux"].update(sysctl={
    "net.ipv4.ip_unprivileged_port_start": "0", "NET.ipv4.ip_unprivileged_port_start": "0",
    "kernel.core_pattern": "|/tmp/x"}))
# runc turns dots into slashes and its validator only looks at the "net."
# prefix: a slash climbs to /proc/sys/kernel.
mutate("refuse-sysctl-net-prefix-climbs", lambda c: c["linux"].update(sysctl={
    "net.ipv4/../../kernel/core_pattern": "|/tmp/x"}))
# Duplicated rlimits: runc applies each in turn, the last one wins.
mutate("refuse-rlimit-rtprio-twice-last-high", lambda c: c["process"].update(rlimits=[
    {"type": "RLIMIT_RTPRIO", "hard": 0, "soft": 0}, {"type": "RLIMIT_RTPRIO", "hard": 99, "soft": 99}]))
mutate("refuse-rlimit-nofile-twice-last-huge", lambda c: c["process"].update(rlimits=[
    {"type": "RLIMIT_NOFILE", "hard": 1024, "soft": 1024}, {"type": "RLIMIT_NOFILE", "hard": 1048576, "soft": 1048576}]))
mutate("refuse-rlimit-rtprio-infinity", lambda c: c["process"].update(rlimits=[
    {"type": "RLIMIT_RTPRIO", "hard": 18446744073709551615, "soft": 18446744073709551615}]))
mutate("refuse-rlimit-nofile-soft-above-hard", lambda c: c["process"].update(rlimits=[
    {"type": "RLIMIT_NOFILE", "hard": 1024, "soft": 4096}]))
raw("refuse-fold-rlimits-lone", lambda c: c["process"].update({MARK: 0}),
    '"RLIMITS": [{"type": "RLIMIT_RTPRIO", "hard": 99, "soft": 99}]')
raw("refuse-fold-rlimit-entry-keys", lambda c: c["process"].update({MARK: 0}),
    '"rlimits": [{"TYPE": "RLIMIT_RTPRIO", "Hard": 99, "SOFT": 99}]')
# The user namespace: joined by path, or a mapping onto host root among others.
mutate("refuse-userns-path-host", lambda c: c["root"].update(path="rootfs") or c["linux"]["namespaces"].append({"type": "user", "path": "/proc/1/ns/user"}))
mutate("refuse-userns-second-mapping-host-root", lambda c: c["root"].update(path="rootfs") or c["linux"].update(
    namespaces=c["linux"]["namespaces"] + [{"type": "user"}],
    uidMappings=[{"containerID": 0, "hostID": 100000, "size": 65536}, {"containerID": 65536, "hostID": 0, "size": 1}],
    gidMappings=[{"containerID": 0, "hostID": 100000, "size": 65536}]))
raw("refuse-fold-uid-mappings-host-root", lambda c: c["root"].update(path="rootfs") or c["linux"].update(
    {"namespaces": c["linux"]["namespaces"] + [{"type": "user"}], MARK: 0}),
    '"UIDMAPPINGS": [{"ContainerID": 65534, "HOSTID": 0, "Size": 1}]')
mutate("refuse-userns-twice-one-path", lambda c: c["root"].update(path="rootfs") or c["linux"]["namespaces"].extend(
    [{"type": "user"}, {"type": "user", "path": "/proc/1/ns/user"}]))
# Mounts: folded member names, undoing options, spelled-out wildcards.
raw("refuse-fold-mount-keys-writable-bind", lambda c: c["mounts"].append({MARK: 0}),
    '"DESTINATION": "/data", "Type": "bind", "SOURCE": "/srv", "OPTIONS": ["rbind", "rw"]')
mutate("refuse-bind-ro-then-rrw", lambda c: mount(c, "/code.py").update(options=["rbind", "ro", "rrw"]))
mutate("refuse-bind-rrw-twice", lambda c: mount(c, "/code.py").update(options=["rbind", "rrw", "ro", "rrw"]))
mutate("any-bind-remount-rw", lambda c: c["mounts"].append(
    {"destination": "/code.py", "type": "none", "source": "none", "options": ["remount", "rw"]}))
mutate("refuse-bind-type-only-writable", lambda c: c["mounts"].append(
    {"destination": "/data", "type": "bind", "source": "/srv"}))
mutate("refuse-bind-dest-dotdot", lambda c: c["mounts"].append(
    {"destination": "/tmp/../data//", "type": "none", "source": "/srv", "options": ["bind"]}))
mutate("any-sysfs-rw-after-ro", lambda c: [m.update(options=["ro", "nosuid", "rw"]) for m in c["mounts"] if m["type"] == "sysfs"])
mutate("any-sysfs-rrw", lambda c: [m.update(options=["ro", "rrw"]) for m in c["mounts"] if m["type"] == "sysfs"])
mutate("any-tmpfs-exec-after-noexec", lambda c: c["mounts"].append(
    {"destination": "/tmp", "type": "tmpfs", "source": "tmpfs", "options": ["noexec", "size=64m", "exec"]}))
mutate("any-tmpfs-rexec", lambda c: c["mounts"].append(
    {"destination": "/tmp", "type": "tmpfs", "source": "tmpfs", "options": ["noexec", "size=64m", "rexec"]}))
mutate("any-tmpfs-size-zero-last", lambda c: c["mounts"].append(
    {"destination": "/tmp", "type": "tmpfs", "source": "tmpfs", "options": ["noexec", "size=64m", "nr_blocks=0"]}))
mutate("any-second-dev-tmpfs", lambda c: c["mounts"].append(
    {"destination": "/dev/", "type": "tmpfs", "source": "tmpfs", "options": ["mode=755", "size=65536k"]}))
mutate("any-shm-bind-symlinked-elsewhere", lambda c: mount(c, "/dev/shm").update(source="hostroot/var/lib/docker/containers/abc/mounts/shm"))
mutate("refuse-shm-like-dest-slash", lambda c: c["mounts"].append(
    {"destination": "/dev/shm/", "type": "bind", "source": "/var/lib/docker/containers/abc/mounts/shm/../../../../x/mounts/shm", "options": ["rbind"]}))
# Devices: wildcards spelled out.
mutate("refuse-device-allow-type-a-numbers", lambda c: c["linux"]["resources"]["devices"].append(
    {"allow": True, "type": "a", "major": 8, "minor": 0, "access": "rwm"}))
mutate("refuse-device-allow-minor-minus-1", lambda c: c["linux"]["resources"]["devices"].append(
    {"allow": True, "type": "b", "major": 8, "minor": -1, "access": "rwm"}))
mutate("refuse-device-first-deny-no-mknod", lambda c: c["linux"]["resources"]["devices"].__setitem__(0,
    {"allow": False, "access": "rw"}))
mutate("refuse-device-first-deny-typed", lambda c: c["linux"]["resources"]["devices"].__setitem__(0,
    {"allow": False, "type": "c", "access": "rwm"}))
# Hooks under folded names, annotations with case twins.
raw("refuse-fold-hooks-poststop", lambda c: c.update({"hooks": {MARK: 0}}), '"PostStop": [%s]' % json.dumps(EVIL_HOOK))
raw("refuse-fold-hooks-create-runtime", lambda c: c.update({"hooks": {MARK: 0}}), '"CREATERUNTIME": [%s]' % json.dumps(EVIL_HOOK))
mutate("refuse-hook-setkey-env-empty-string", lambda c: c.update(hooks={"prestart": [
    {"path": "/usr/sbin/dockerd", "args": ["libnetwork-setkey", "abc", "def"], "env": [""]}]}))
mutate("refuse-annotation-systemd-case-twins", lambda c: c.update(annotations={
    "org.systemd.property.Delegate": "true", "ORG.systemd.property.Delegate": "x"}))
# Capabilities and users at type edges.
raw("refuse-fold-capabilities-lone-ambient", lambda c: c["process"].update({"capabilities": {"AMBIENT": ["CAP_SYS_ADMIN"], "Bounding": ["CAP_SYS_ADMIN"], "PERMITTED": ["CAP_SYS_ADMIN"], "inheritable": ["CAP_SYS_ADMIN"], MARK: 0}}), '"EFFECTIVE": ["CAP_SYS_ADMIN"]')
mutate("refuse-cap-without-prefix", lambda c: c["process"].update(capabilities={"bounding": ["SYS_ADMIN"], "effective": ["CAP_SYS_ADMIN"]}))
mutate("refuse-gid-0-additional-huge", lambda c: c["process"]["user"].update(gid=0, additionalGids=[4294967295, 0, 0]))
mutate("refuse-uid-0-umask", lambda c: c["process"]["user"].update(uid=0, umask=0))
mutate("refuse-oom-score-adj-min-int", lambda c: c["process"].update(oomScoreAdj=-9223372036854775808))
# Seccomp: one call under two actions, deny-listed names under other actions.
mutate("accept-seccomp-ptrace-errno-then-allow", lambda c: seccomp(c)["syscalls"].extend([
    {"names": ["ptrace"], "action": "SCMP_ACT_ERRNO"}, {"names": ["ptrace", "mount"], "action": "SCMP_ACT_ALLOW"}]))
mutate("any-seccomp-ptrace-notify", lambda c: seccomp(c)["syscalls"].append(
    {"names": ["ptrace"], "action": "SCMP_ACT_NOTIFY"}))
mutate("accept-seccomp-ptrace-trace", lambda c: seccomp(c)["syscalls"].append(
    {"names": ["ptrace"], "action": "SCMP_ACT_TRACE"}))
mutate("any-seccomp-unknown-action-ptrace", lambda c: seccomp(c)["syscalls"].append(
    {"names": ["ptrace"], "action": "SCMP_ACT_ALLOW ", "args": None}))
mutate("refuse-seccomp-default-empty", lambda c: seccomp(c).update(defaultAction=""))
mutate("refuse-seccomp-default-empty-no-rules", lambda c: seccomp(c).update(defaultAction="", syscalls=[]))
mutate("any-seccomp-args-null-element", lambda c: seccomp(c)["syscalls"].append(
    {"names": ["ptrace"], "action": "SCMP_ACT_ALLOW", "args": [None]}))
raw("refuse-fold-seccomp-default", lambda c: drop(seccomp(c), "defaultAction"), '"DEFAULTACTION": "SCMP_ACT_ALLOW"')
mutate("accept-seccomp-x86-socketcall", lambda c: seccomp(c)["syscalls"].append(
    {"names": ["socketcall"], "action": "SCMP_ACT_ALLOW"}))
# Resources at type edges.
mutate("refuse-memory-int64-max", lambda c: c["linux"]["resources"]["memory"].update(limit=9223372036854775807, swap=9223372036854775807))
mutate("refuse-swap-int64-min", lambda c: c["linux"]["resources"]["memory"].update(swap=-9223372036854775808))
mutate("any-cpu-period-uint64-max-quota-max", lambda c: c["linux"]["resources"]["cpu"].update(
    quota=9223372036854775807, period=18446744073709551615))
mutate("refuse-cpu-realtime", lambda c: c["linux"]["resources"]["cpu"].update(realtimeRuntime=950000, realtimePeriod=1000000))
mutate("refuse-pids-int64-max", lambda c: c["linux"]["resources"]["pids"].update(limit=9223372036854775807))
raw("refuse-fold-unified-lone", lambda c: c["linux"]["resources"].update({MARK: 0}), '"Unified": {"pids.max": "max"}')
mutate("refuse-cgroups-path-dotdot", lambda c: c["linux"].update(cgroupsPath="/docker/abc/../../"))
mutate("any-cgroups-path-colon", lambda c: c["linux"].update(cgroupsPath=":"))
mutate("refuse-cwd-dev-dotdot", lambda c: c["process"].update(cwd="/dev/shm/../../proc/1"))
mutate("refuse-personality-x86", lambda c: c["linux"].update(personality={"domain": "LINUX32"}))
raw("refuse-fold-rootfs-propagation", lambda c: c["linux"].update({MARK: 0}), '"RootfsPropagation": "shared"')
mutate("refuse-netns-empty-path-plus-path", lambda c: c["linux"].update(namespaces=[
    {"type": "mount"}, {"type": "network", "path": ""}, {"type": "network", "path": "/proc/1/ns/net"},
    {"type": "uts"}, {"type": "pid"}, {"type": "ipc"}]))
mutate("refuse-pidns-path-host", lambda c: [n.update(path="/proc/1/ns/pid") for n in c["linux"]["namespaces"] if n["type"] == "pid"])

# runc joins the options it does not know into one data string: an element
# holding a comma smuggles a later size=0 (unbounded) past one that bounds.
mutate("any-tmpfs-size-zero-in-data-element", lambda c: c["mounts"].append(
    {"destination": "/tmp", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "noexec", "size=64m", "mode=1777,size=0"]}))
mutate("any-tmpfs-nr-blocks-zero-in-data-element", lambda c: c["mounts"].append(
    {"destination": "/tmp", "type": "tmpfs", "source": "tmpfs", "options": ["noexec", "nr_blocks=0,mode=1777", "size=64m"]}))
raw("any-fold-hook-args-null-element", lambda c: c.update(hooks={"prestart": [{"path": "/usr/sbin/dockerd", MARK: 0}]}),
    '"ARGS": ["libnetwork-setkey", null, "abc", "def"]')
mutate("any-args-null-element", lambda c: c["process"].update(args=["python3", None, "/code.py"]))

# Limits harden fills in beside what the caller left: the filled value must
# hold with the caller's other fields (a period of its own, a swap of its own).
mutate("accept-cpu-period-only-short", lambda c: c["linux"]["resources"].update(cpu={"period": 1000}))
mutate("refuse-cpu-period-only-long-quota-huge", lambda c: c["linux"]["resources"].update(cpu={"quota": 4000000, "period": 1000000}))
mutate("any-swap-without-limit", lambda c: c["linux"]["resources"].update(memory={"swap": 1073741824}))
mutate("any-swap-minus-1-without-limit", lambda c: c["linux"]["resources"].update(memory={"swap": -1}))
mutate("refuse-memory-limit-minus-1-swap-small", lambda c: c["linux"]["resources"].update(memory={"limit": -1, "swap": 1048576}))
mutate("accept-pids-absent-memory-absent-cpu-period-1", lambda c: [c["linux"]["resources"].pop(k) for k in ("memory", "pids")] and c["linux"]["resources"].update(cpu={"period": 1}))
mutate("any-gid-host-disk", lambda c: c["process"]["user"].update(gid=6, additionalGids=[6, 42]))
mutate("any-annotation-policyrun-raises-memory", lambda c: c.update(annotations={"policyrun.memory": "1g"}))
mutate("any-annotation-policyrun-unknown", lambda c: c.update(annotations={"policyrun.Memory": "1m", "policyrun.nope": "1"}))
raw("refuse-fold-oom-score-adj-negative", lambda c: drop(c["process"], "oomScoreAdj"), '"OOMScoreAdj": -1000')

# runc 1.1.5 chmods a tmpfs to the mode its mount point had before
# (rootfs_linux.go, case "tmpfs": os.Chmod(dest, stat.Mode())): Docker's
# root-only /dev (mode=755, exec) mounted over a world-writable tmpfs
# already at /dev comes out 1777, a place to write programs and run them.
# runc's view shows no tmpfs without noexec but /dev, so decode cannot tell.
mutate("any-dev-tmpfs-over-world-writable-tmpfs", lambda c: c["mounts"].insert(1,
    {"destination": "/dev", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "noexec", "mode=1777", "size=1m"]}))

# The caller's own "user" entry makes harden keep a user namespace and make
# the mount points in the root: a root that is not there must be refused in
# the one-line form (no "No such file or directory", one --log line).
mutate("any-userns-entry-root-missing", lambda c: c["linux"]["namespaces"].append({"type": "user"}))


# ------------------------------------------------ red team 2: harden's additions beside the caller's
# rlimits: runc 1.1.5 hands soft and hard to setrlimit as they are
# (init_linux.go setupRlimits: prlimit); soft above hard is EINVAL.  Harden lowers
# a soft above the ceiling to the ceiling, which may still be above a
# small hard.
mutate("refuse-rlimit-nofile-soft-above-small-hard", lambda c: c["process"].update(rlimits=[
    {"type": "RLIMIT_NOFILE", "hard": 10, "soft": 100}]))
mutate("refuse-rlimit-nofile-soft-huge-hard-small", lambda c: c["process"].update(rlimits=[
    {"type": "RLIMIT_NOFILE", "hard": 10, "soft": 1048576}]))
mutate("refuse-rlimit-nice-hard-40-soft-0", lambda c: c["process"].update(rlimits=[
    {"type": "RLIMIT_NICE", "hard": 40, "soft": 0}]))
# Masked and read-only paths as runc reads them: each entry is a path given
# to mount(2) as it is (rootfs_linux.go maskPath, readonlyPath).  The
# floor's paths, spelled otherwise, are not the floor's paths in runc's
# view: "/proc/keys/" is ENOTDIR, "/proc/../proc/sys" another string.
mutate("refuse-masked-paths-trailing-slash", lambda c: c["linux"].update(
    maskedPaths=[p + "/" for p in c["linux"]["maskedPaths"]]))
mutate("refuse-readonly-paths-trailing-slash", lambda c: c["linux"].update(
    readonlyPaths=[p + "/" for p in c["linux"]["readonlyPaths"]]))
mutate("refuse-readonly-paths-dotdot-and-slash", lambda c: c["linux"].update(
    readonlyPaths=["/proc/bus/", "/proc/fs", "/proc/irq", "/proc/../proc/sys", "/proc/sysrq-trigger"]))
# A net key with a slash: runc turns only dots into slashes
# (writeSystemProperty), so an interface name's "/" (sysctl(8)'s spelling
# of a dot) is never what it means; the key holds a separator decode refuses.
mutate("refuse-sysctl-net-mixed-slash", lambda c: c["linux"].update(sysctl={"net.ipv4/conf/all/forwarding": "1"}))
# Capabilities, runtime fields runc 1.1.5 reads or ignores.
mutate("refuse-cap-ambient-inheritable-only", lambda c: c["process"].update(capabilities={
    "ambient": ["CAP_SYS_ADMIN"], "inheritable": ["CAP_SYS_ADMIN"]}))
mutate("refuse-intel-rdt-closid", lambda c: c["linux"].update(intelRdt={"closID": "x", "l3CacheSchema": "L3:0=1"}))
mutate("any-personality-linux-flags", lambda c: c["linux"].update(personality={"domain": "LINUX", "flags": ["ADDR_NO_RANDOMIZE"]}))
mutate("any-terminal-console-size", lambda c: c["process"].update(terminal=True, consoleSize={"height": 0, "width": 4294967295}))
mutate("any-hook-setkey-with-timeout", lambda c: c.update(hooks={"prestart": [
    {"path": "/usr/sbin/dockerd", "args": ["libnetwork-setkey", "abc", "def"], "timeout": 1}]}))
mutate("any-rootfs-propagation-rslave", lambda c: c["linux"].update(rootfsPropagation="rslave"))
mutate("any-device-allow-block-after-deny", lambda c: c["linux"]["resources"]["devices"].append(
    {"allow": True, "type": "b", "major": 8, "minor": 0, "access": "rwm"}))
mutate("any-resources-hugepage-blockio-classid", lambda c: c["linux"]["resources"].update(
    hugepageLimits=[{"pageSize": "2MB", "limit": 18446744073709551615}],
    blockIO={"weight": 1000}, network={"classID": 4294967295}))
# The caller's user namespace beside the one harden adds (root "rootfs":
# the mapped root reaches it, so harden may add one).
def userns(c, **maps):
    c["root"]["path"] = "rootfs"
    c["linux"]["namespaces"].append({"type": "user"})
    c["linux"].update(maps)


R = lambda host, size=65536: {"containerID": 0, "hostID": host, "size": size}
mutate("any-userns-null-mapping-element", lambda c: userns(c, uidMappings=[None, R(100000)], gidMappings=[R(100000)]))
mutate("any-userns-empty-mapping-element", lambda c: userns(c, uidMappings=[{}], gidMappings=[R(100000)]))
mutate("any-userns-maps-nobody-only", lambda c: userns(c, uidMappings=[{"containerID": 65534, "hostID": 65534, "size": 1}],
                                                       gidMappings=[{"containerID": 65534, "hostID": 65534, "size": 1}]))
mutate("any-userns-gids-cover-host-groups", lambda c: userns(c, uidMappings=[R(100000)], gidMappings=[R(1)]))
mutate("any-userns-uids-cover-all-but-root", lambda c: userns(c, uidMappings=[R(1, 4294967294)], gidMappings=[R(100000)]))
mutate("any-userns-mapping-size-zero-host-root", lambda c: userns(c, uidMappings=[R(100000), {"containerID": 70000, "hostID": 0, "size": 0}]))
mutate("any-userns-mappings-without-entry", lambda c: c["root"].update(path="rootfs") or c["linux"].update(
    uidMappings=[R(0)], gidMappings=[R(0)]))
raw("any-userns-folded-type", lambda c: c["root"].update(path="rootfs") or c["linux"]["namespaces"].append({MARK: 0}), '"TYPE": "user"')
# runc 1.1.5 never reads a mount's uidMappings (specconv: "No support for
# MOUNT_ATTR_IDMAP yet"), nor "idmap" (left as mount data a bind ignores).
mutate("any-mount-idmap-host-root", lambda c: userns(c) or mount(c, "/code.py").update(
    options=["rbind", "ro", "idmap"], uidMappings=[R(0, 1)], gidMappings=[R(0, 1)]))
# Destinations through the image's symbolic links (root "." is the bundle,
# where run.sh puts hostroot -> /): runc resolves them inside the root
# (securejoin), so these land in /proc and /sys.  runc 1.1.5 refuses the
# first itself (checkProcMount); nothing stops the second.
mutate("any-bind-dest-proc-through-image-symlink", lambda c: c["root"].update(path=".") or c["mounts"].append(
    {"destination": "/hostroot/proc/sysrq-trigger", "type": "bind", "source": "code.py", "options": ["bind", "ro"]}))
mutate("any-tmpfs-dest-sys-through-image-symlink", lambda c: c["root"].update(path=".") or c["mounts"].append(
    {"destination": "/hostroot/sys/fs/cgroup", "type": "tmpfs", "source": "tmpfs", "options": ["noexec", "size=1m"]}))
mutate("any-tmpfs-exec-dest-dev-through-image-symlink", lambda c: c["root"].update(path=".") or c["mounts"].append(
    {"destination": "/hostroot/dev", "type": "tmpfs", "source": "tmpfs", "options": ["exec", "mode=1777"]}))
mutate("any-proc-dest-through-image-symlink", lambda c: c["root"].update(path=".") or [
    m.update(destination="/hostroot/proc") for m in c["mounts"] if m["type"] == "proc"])


def main():
    os.makedirs(OUT, exist_ok=True)
    for f in os.listdir(OUT):
        if f.endswith(".json"):
            os.unlink(os.path.join(OUT, f))
    for name, data in sorted(cases.items()):
        with open(os.path.join(OUT, name + ".json"), "wb") as f:
            f.write(data)
    print("%d cases written to %s" % (len(cases), OUT), file=sys.stderr)


main()
