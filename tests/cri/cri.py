#!/usr/bin/python3
"""A small CRI v1 client for policyrun's CRI test rig: it talks to a
containerd's CRI plugin the way kubelet does, so that the runtime under
test sees the bundles a Kubernetes node gives it.

    cri.py --sock SOCK COMMAND [ARGS]

Pods and containers are described by JSON files in the CRI's own JSON form
(the proto3 JSON mapping of PodSandboxConfig and ContainerConfig, see
api.proto and specs/).  Strings may hold {{UID}} (the pod's uid) and
{{POD_DIR}} (the pod's directory).  Like kubelet, the client adds what a
pod spec never says:

  pod:        metadata.uid, kubelet's labels and annotations, the log
              directory (POD_DIR/logs), the etc-hosts file kubelet writes;
  container:  the image's id for its name (as kubelet passes imageRef),
              kubelet's labels and annotations, the log path (NAME/0.log),
              kubelet's mounts: the service-account token directory
              (read-only), /etc/hosts from the pod directory and
              /dev/termination-log (both writable, as kubelet mounts them),
              and kubelet's default masked and read-only paths
              (procMount Default).

`--no-kubelet` sends a file's message as written.

Commands (ids are printed on stdout; errors go to stderr as
"cri: METHOD: CODE: DETAILS" and exit 1):
  version
  images
  run-pod     --spec FILE --pod-dir DIR [--handler NAME]     -> pod id
  create      --pod-dir DIR --spec FILE                      -> container id
  start ID | stop ID [--timeout S] | rm ID
  status ID                   ContainerStatus (verbose) as JSON
  pid ID                      the container's pid on the host
  wait ID [--timeout S]       polls (every 0.1 s, at most S s) until exited
  logs ID [--stream S]        the container's output from its CRI log file
  ps [--pod ID]               containers: ID STATE NAME
  pod-status ID               PodSandboxStatus (verbose) as JSON
  pod-pid ID                  the sandbox's pid on the host
  pods                        sandboxes: ID STATE NAME HANDLER
  stop-pod ID | rm-pod ID
  cleanup                     stops and removes every pod and container
"""

import argparse
import hashlib
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PROTO = os.path.join(HERE, "api.proto")

# kubelet's defaults for procMount Default (pkg/securitycontext/util.go).
DEFAULT_MASKED_PATHS = [
    "/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys",
    "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats",
    "/proc/sched_debug", "/proc/scsi", "/sys/firmware",
    "/sys/devices/virtual/powercap",
]
DEFAULT_READONLY_PATHS = [
    "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger",
]
TOKEN_DIR = "/var/run/secrets/kubernetes.io/serviceaccount"


def load_api(cache):
    """Compiles api.proto into a directory of CACHE keyed by its hash (made
    once, atomically) and imports the generated modules."""
    with open(PROTO, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()[:16]
    out = os.path.join(cache, "policyrun-cri-proto-" + digest)
    if not os.path.isfile(os.path.join(out, "api_pb2_grpc.py")):
        tmp = tempfile.mkdtemp(prefix="policyrun-cri-proto-", dir=cache)
        subprocess.run([sys.executable, "-m", "grpc_tools.protoc",
                        "-I" + HERE, "--python_out=" + tmp,
                        "--grpc_python_out=" + tmp, PROTO], check=True)
        try:
            os.rename(tmp, out)
        except OSError:
            # Another client compiled it first.
            subprocess.run(["rm", "-rf", tmp], check=False)
    sys.path.insert(0, out)
    import api_pb2  # noqa: E402
    import api_pb2_grpc  # noqa: E402
    return api_pb2, api_pb2_grpc


pb = pb_grpc = None
import grpc  # noqa: E402
from google.protobuf import json_format  # noqa: E402


class Client:
    def __init__(self, sock, timeout):
        self.channel = grpc.insecure_channel("unix://" + sock)
        self.rt = pb_grpc.RuntimeServiceStub(self.channel)
        self.img = pb_grpc.ImageServiceStub(self.channel)
        self.timeout = timeout

    def call(self, stub, method, request):
        try:
            return getattr(stub, method)(request, timeout=self.timeout)
        except grpc.RpcError as e:
            raise CriError("%s: %s: %s" % (method, e.code().name, e.details()))


class CriError(Exception):
    pass


def substitute(value, env):
    if isinstance(value, str):
        for k, v in env.items():
            value = value.replace("{{%s}}" % k, v)
        return value
    if isinstance(value, list):
        return [substitute(v, env) for v in value]
    if isinstance(value, dict):
        return {k: substitute(v, env) for k, v in value.items()}
    return value


def write_file(path, data, mode=0o644):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(data)
    os.chmod(path, mode)


def kubelet_pod(spec, pod_dir):
    """The PodSandboxConfig kubelet would send for SPEC, and the files
    kubelet keeps in the pod's directory."""
    meta = spec.setdefault("metadata", {})
    meta.setdefault("namespace", "default")
    meta.setdefault("uid", secrets.token_hex(16))
    spec = substitute(spec, {"UID": meta["uid"], "POD_DIR": pod_dir})
    meta = spec["metadata"]
    spec.setdefault("hostname", meta["name"])
    spec.setdefault("logDirectory", os.path.join(pod_dir, "logs"))
    spec.setdefault("labels", {}).update({
        "io.kubernetes.pod.name": meta["name"],
        "io.kubernetes.pod.namespace": meta["namespace"],
        "io.kubernetes.pod.uid": meta["uid"],
    })
    spec.setdefault("annotations", {}).update({
        "kubernetes.io/config.source": "api",
        "kubernetes.io/config.seen": "2024-01-01T00:00:00.000000000Z",
    })
    os.makedirs(spec["logDirectory"], exist_ok=True)
    # kubelet's managed hosts file (pkg/kubelet/kubelet_pods.go).
    write_file(os.path.join(pod_dir, "etc-hosts"),
               "# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n"
               "::1\tlocalhost ip6-localhost ip6-loopback\n"
               "127.0.0.2\t%s\n" % spec["hostname"])
    return spec


def hugepage_sizes():
    """kubelet sends a zero limit for every huge page size the hugetlb
    controller knows, so that a pod uses none it did not ask for."""
    sizes = []
    base = "/sys/fs/cgroup/hugetlb"
    try:
        names = sorted(os.listdir(base))
    except OSError:
        return sizes
    for n in names:
        if n.startswith("hugetlb.") and n.endswith(".limit_in_bytes"):
            sizes.append(n.split(".")[1])
    return sizes


def kubelet_container(client, spec, sandbox, pod_dir):
    """The ContainerConfig kubelet would send for SPEC in SANDBOX."""
    meta = sandbox["metadata"]
    spec = substitute(spec, {"UID": meta["uid"], "POD_DIR": pod_dir})
    name = spec["metadata"]["name"]
    image = spec.setdefault("image", {})
    ref = image.get("image", "")
    st = client.call(client.img, "ImageStatus",
                     pb.ImageStatusRequest(image=pb.ImageSpec(image=ref)))
    if not st.image.id:
        raise CriError("ImageStatus: image %s is not on this node" % ref)
    image["image"] = st.image.id
    image["userSpecifiedImage"] = ref
    spec.setdefault("labels", {}).update({
        "io.kubernetes.container.name": name,
        "io.kubernetes.pod.name": meta["name"],
        "io.kubernetes.pod.namespace": meta["namespace"],
        "io.kubernetes.pod.uid": meta["uid"],
    })
    spec.setdefault("annotations", {}).update({
        "io.kubernetes.container.hash": hashlib.sha256(name.encode()).hexdigest()[:8],
        "io.kubernetes.container.restartCount": "0",
        "io.kubernetes.container.terminationMessagePath": "/dev/termination-log",
        "io.kubernetes.container.terminationMessagePolicy": "File",
        "io.kubernetes.pod.terminationGracePeriod": "30",
    })
    spec.setdefault("logPath", "%s/0.log" % name)
    os.makedirs(os.path.join(sandbox["logDirectory"], name), exist_ok=True)

    # kubelet's mounts, in kubelet's order: the volumes (here the projected
    # service-account token every pod gets), /etc/hosts, the termination
    # message file.
    token = os.path.join(pod_dir, "volumes", "kubernetes.io~projected",
                         "kube-api-access-%s" % meta["uid"][:5])
    write_file(os.path.join(token, "token"), "policyrun-test-token\n")
    write_file(os.path.join(token, "namespace"), meta["namespace"] + "\n")
    write_file(os.path.join(token, "ca.crt"), "")
    term = os.path.join(pod_dir, "containers", name, secrets.token_hex(4))
    write_file(term, "", 0o666)
    spec.setdefault("mounts", []).extend([
        {"containerPath": TOKEN_DIR, "hostPath": token, "readonly": True},
        {"containerPath": "/etc/hosts",
         "hostPath": os.path.join(pod_dir, "etc-hosts")},
        {"containerPath": "/dev/termination-log", "hostPath": term},
    ])

    linux = spec.setdefault("linux", {})
    sc = linux.setdefault("securityContext", {})
    if not sc.get("privileged"):
        sc.setdefault("maskedPaths", DEFAULT_MASKED_PATHS)
        sc.setdefault("readonlyPaths", DEFAULT_READONLY_PATHS)
    res = linux.setdefault("resources", {})
    res.setdefault("hugepageLimits",
                   [{"pageSize": s, "limit": "0"} for s in hugepage_sizes()])
    return spec


def parse(msg_type, obj):
    return json_format.ParseDict(obj, msg_type())


def to_json(msg):
    return json_format.MessageToDict(msg, preserving_proto_field_name=False)


def read_json(path):
    with open(path) as f:
        return json.load(f)


def container_status(client, cid):
    return client.call(client.rt, "ContainerStatus",
                       pb.ContainerStatusRequest(container_id=cid,
                                                 verbose=True))


def info_pid(info):
    try:
        return int(json.loads(info["info"])["pid"])
    except (KeyError, ValueError, TypeError):
        raise CriError("the runtime's verbose info has no pid")


def cmd_version(client, a):
    v = client.call(client.rt, "Version", pb.VersionRequest(version="v1"))
    print("%s %s %s" % (v.runtime_name, v.runtime_version,
                        v.runtime_api_version))


def cmd_images(client, a):
    r = client.call(client.img, "ListImages", pb.ListImagesRequest())
    for i in r.images:
        print(i.id, ",".join(i.repo_tags))


def cmd_run_pod(client, a):
    pod_dir = os.path.abspath(a.pod_dir)
    os.makedirs(pod_dir, exist_ok=True)
    spec = read_json(a.spec)
    if not a.no_kubelet:
        spec = kubelet_pod(spec, pod_dir)
    config = parse(pb.PodSandboxConfig, spec)
    with open(os.path.join(pod_dir, "sandbox-config.json"), "w") as f:
        json.dump(to_json(config), f, indent=1)
    r = client.call(client.rt, "RunPodSandbox",
                    pb.RunPodSandboxRequest(config=config,
                                            runtime_handler=a.handler))
    with open(os.path.join(pod_dir, "pod-id"), "w") as f:
        f.write(r.pod_sandbox_id + "\n")
    print(r.pod_sandbox_id)


def cmd_create(client, a):
    pod_dir = os.path.abspath(a.pod_dir)
    sandbox = read_json(os.path.join(pod_dir, "sandbox-config.json"))
    with open(os.path.join(pod_dir, "pod-id")) as f:
        pod_id = f.read().strip()
    spec = read_json(a.spec)
    if not a.no_kubelet:
        spec = kubelet_container(client, spec, sandbox, pod_dir)
    config = parse(pb.ContainerConfig, spec)
    name = config.metadata.name
    with open(os.path.join(pod_dir, "container-%s.json" % name), "w") as f:
        json.dump(to_json(config), f, indent=1)
    r = client.call(client.rt, "CreateContainer", pb.CreateContainerRequest(
        pod_sandbox_id=pod_id, config=config,
        sandbox_config=parse(pb.PodSandboxConfig, sandbox)))
    print(r.container_id)


def cmd_start(client, a):
    client.call(client.rt, "StartContainer",
                pb.StartContainerRequest(container_id=a.id))


def cmd_stop(client, a):
    client.call(client.rt, "StopContainer",
                pb.StopContainerRequest(container_id=a.id, timeout=a.timeout))


def cmd_rm(client, a):
    client.call(client.rt, "RemoveContainer",
                pb.RemoveContainerRequest(container_id=a.id))


def cmd_status(client, a):
    r = container_status(client, a.id)
    out = to_json(r.status)
    out["info"] = {k: json.loads(v) for k, v in r.info.items()}
    json.dump(out, sys.stdout, indent=1)
    print()


def cmd_pid(client, a):
    print(info_pid(container_status(client, a.id).info))


def cmd_wait(client, a):
    deadline = time.monotonic() + a.timeout
    while True:
        st = container_status(client, a.id).status
        if st.state == pb.CONTAINER_EXITED:
            print(st.exit_code)
            return
        if time.monotonic() >= deadline:
            raise CriError("wait: %s still %s after %ss" % (
                a.id, pb.ContainerState.Name(st.state), a.timeout))
        time.sleep(0.1)


def cmd_logs(client, a):
    """The CRI log format is one line per chunk: TIME STREAM TAG MESSAGE,
    TAG F for a full line and P for a partial one."""
    path = container_status(client, a.id).status.log_path
    with open(path) as f:
        for line in f:
            parts = line.rstrip("\n").split(" ", 3)
            if len(parts) < 3:
                continue
            msg = parts[3] if len(parts) == 4 else ""
            if a.stream and parts[1] != a.stream:
                continue
            sys.stdout.write(msg + ("\n" if parts[2] == "F" else ""))


def cmd_ps(client, a):
    f = pb.ContainerFilter(pod_sandbox_id=a.pod or "")
    r = client.call(client.rt, "ListContainers",
                    pb.ListContainersRequest(filter=f))
    for c in r.containers:
        print(c.id, pb.ContainerState.Name(c.state), c.metadata.name)


def cmd_pod_status(client, a):
    r = client.call(client.rt, "PodSandboxStatus",
                    pb.PodSandboxStatusRequest(pod_sandbox_id=a.id,
                                               verbose=True))
    out = to_json(r.status)
    out["info"] = {k: json.loads(v) for k, v in r.info.items()}
    json.dump(out, sys.stdout, indent=1)
    print()


def cmd_pod_pid(client, a):
    r = client.call(client.rt, "PodSandboxStatus",
                    pb.PodSandboxStatusRequest(pod_sandbox_id=a.id,
                                               verbose=True))
    print(info_pid(r.info))


def cmd_pods(client, a):
    r = client.call(client.rt, "ListPodSandbox", pb.ListPodSandboxRequest())
    for p in r.items:
        print(p.id, pb.PodSandboxState.Name(p.state), p.metadata.name,
              p.runtime_handler or "-")


def cmd_stop_pod(client, a):
    client.call(client.rt, "StopPodSandbox",
                pb.StopPodSandboxRequest(pod_sandbox_id=a.id))


def cmd_rm_pod(client, a):
    client.call(client.rt, "RemovePodSandbox",
                pb.RemovePodSandboxRequest(pod_sandbox_id=a.id))


def cmd_cleanup(client, a):
    """What kubelet does when every pod goes: containers stopped and
    removed, then each sandbox stopped and removed.  Every step is tried;
    the first error is reported at the end."""
    errors = []
    r = client.call(client.rt, "ListContainers", pb.ListContainersRequest())
    for c in r.containers:
        for m, req in (("StopContainer", pb.StopContainerRequest(
                container_id=c.id, timeout=0)),
                ("RemoveContainer", pb.RemoveContainerRequest(
                    container_id=c.id))):
            try:
                client.call(client.rt, m, req)
            except CriError as e:
                errors.append(str(e))
    r = client.call(client.rt, "ListPodSandbox", pb.ListPodSandboxRequest())
    for p in r.items:
        for m, req in (("StopPodSandbox", pb.StopPodSandboxRequest(
                pod_sandbox_id=p.id)),
                ("RemovePodSandbox", pb.RemovePodSandboxRequest(
                    pod_sandbox_id=p.id))):
            try:
                client.call(client.rt, m, req)
            except CriError as e:
                errors.append(str(e))
    if errors:
        raise CriError("; ".join(errors))


def main():
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sock", default=os.environ.get("CRI_SOCK"),
                    required="CRI_SOCK" not in os.environ)
    ap.add_argument("--rpc-timeout", type=float, default=60.0)
    sub = ap.add_subparsers(dest="cmd", required=True)
    for name in ("version", "images", "pods", "cleanup"):
        sub.add_parser(name)
    p = sub.add_parser("run-pod")
    p.add_argument("--spec", required=True)
    p.add_argument("--pod-dir", required=True)
    p.add_argument("--handler", default="")
    p.add_argument("--no-kubelet", action="store_true")
    p = sub.add_parser("create")
    p.add_argument("--spec", required=True)
    p.add_argument("--pod-dir", required=True)
    p.add_argument("--no-kubelet", action="store_true")
    for name in ("start", "rm", "status", "pid", "pod-status", "pod-pid",
                 "stop-pod", "rm-pod"):
        sub.add_parser(name).add_argument("id")
    p = sub.add_parser("stop")
    p.add_argument("id")
    p.add_argument("--timeout", type=int, default=0)
    p = sub.add_parser("wait")
    p.add_argument("id")
    p.add_argument("--timeout", type=float, default=30.0)
    p = sub.add_parser("logs")
    p.add_argument("id")
    p.add_argument("--stream", choices=("stdout", "stderr"))
    p = sub.add_parser("ps")
    p.add_argument("--pod")
    a = ap.parse_args()

    # The generated code lives beside the socket (the rig's root, removed
    # with it) unless CRI_PROTO_CACHE names another directory.
    global pb, pb_grpc
    pb, pb_grpc = load_api(os.environ.get("CRI_PROTO_CACHE")
                           or os.path.dirname(os.path.abspath(a.sock)))
    client = Client(a.sock, a.rpc_timeout)
    try:
        globals()["cmd_" + a.cmd.replace("-", "_")](client, a)
    except CriError as e:
        print("cri: %s" % e, file=sys.stderr)
        return 1
    except (OSError, ValueError, json_format.ParseError) as e:
        print("cri: %s" % e, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
