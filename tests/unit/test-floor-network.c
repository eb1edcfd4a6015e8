/* The network and namespaces rules (network.c, namespaces.c).  */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#define FLOOR_CONFIG_TESTS
#include "bundle.h"
#include "floor-helpers.h"
#include "ns-lab.h"
#include "sandbox.h"

/* ---- network ---------------------------------------------------------------------- */

static void
test_network (void)
{
  const char *fix = "run with --network none";

  fresh ();
  run (floor_check_network);
  expect_accepted ("network: Docker's fresh namespace");

  fresh ();
  remove_item ("linux.namespaces", 1);
  run (floor_check_network);
  expect_violation ("network: --network host (no entry)", "network", "linux.namespaces", fix,
                    "no \"network\" entry");

  fresh ();
  set_item ("linux.namespaces", 1, "path", "\"/var/run/netns/cni-1234\"");
  run (floor_check_network);
  expect_violation ("network: a CNI namespace by path", "network", "linux.namespaces[1].path", fix,
                    "cni-1234");

  fresh ();
  set_item ("linux.namespaces", 1, "path", "\"\"");
  run (floor_check_network);
  expect_violation ("network: even an empty path", "network", "linux.namespaces[1].path", fix,
                    NULL);

  fresh ();
  set_item ("linux.namespaces", 1, "Path", "\"/proc/1/ns/net\"");
  run (floor_check_network);
  expect_violation ("network: a path under Go's key folding", "network", "linux.namespaces[1].path",
                    fix, "/proc/1/ns/net");

  fresh ();
  append ("linux.namespaces", "{\"type\":\"network\",\"path\":\"/proc/1/ns/net\"}");
  run (floor_check_network);
  expect_violation ("network: a second network entry", "network", "linux.namespaces", fix,
                    "2 \"network\" entries");
  expect_violation ("network: ... whose path joins the host", "network", "linux.namespaces[5].path",
                    fix, NULL);

  fresh ();
  set_json (config, "linux.netDevices", "{\"eth0\":{\"name\":\"eth0\"}}");
  run (floor_check_network);
  expect_violation ("network: linux.netDevices", "network", "linux.netDevices", fix, "eth0");

  fresh ();
  set_json (config, "linux.netDevices", "{}");
  run (floor_check_network);
  expect_accepted ("network: an empty linux.netDevices");

  fresh ();
  set_json (config, "linux.netDevices", "null");
  run (floor_check_network);
  expect_violation ("network: linux.netDevices null", "network", "linux.netDevices", fix, "null");

  fresh ();
  remove_field ("linux.namespaces");
  run (floor_check_network);
  expect_violation ("network: no namespaces at all", "network", "linux.namespaces", fix, "absent");

  fresh ();
  set_json (config, "linux.namespaces", "null");
  run (floor_check_network);
  expect_violation ("network: namespaces null", "network", "linux.namespaces", fix, "null");

  fresh ();
  json_object_remove (config, "linux");
  run (floor_check_network);
  expect_violation ("network: no linux object", "network", "linux.namespaces", fix, "absent");
}

/* ---- namespaces ------------------------------------------------------------------- */

static void
test_namespaces (void)
{
  fresh ();
  run (floor_check_namespaces);
  expect_accepted ("namespaces: Docker's five");

  /* fixture order: mount, network, uts, pid, ipc */
  static const struct
  {
    size_t index;
    const char *type, *fix;
  } dropped[] = {
    { 3, "pid", "remove --pid host" },
    { 4, "ipc", "remove --ipc host" },
    { 2, "uts", "remove --uts host" },
    { 0, "mount", NULL },
  };
  for (size_t k = 0; k < sizeof dropped / sizeof dropped[0]; k++)
    {
      fresh ();
      remove_item ("linux.namespaces", dropped[k].index);
      run (floor_check_namespaces);
      char *name = xasprintf ("namespaces: no %s namespace", dropped[k].type);
      char *detail = xasprintf ("no \"%s\" entry", dropped[k].type);
      expect_violation (name, "namespaces", "linux.namespaces", dropped[k].fix, detail);
      free (name);
      free (detail);
    }

  fresh ();
  set_item ("linux.namespaces", 3, "path", "\"/proc/1/ns/pid\"");
  run (floor_check_namespaces);
  expect_violation ("namespaces: --pid container:X", "namespaces", "linux.namespaces[3].path",
                    "remove --pid container:...", "/proc/1/ns/pid");

  fresh ();
  set_item ("linux.namespaces", 4, "path", "\"/proc/1/ns/ipc\"");
  run (floor_check_namespaces);
  expect_violation ("namespaces: --ipc container:X", "namespaces", "linux.namespaces[4].path",
                    "remove --ipc container:...", NULL);

  fresh ();
  set_item ("linux.namespaces", 0, "path", "\"/proc/1/ns/mnt\"");
  run (floor_check_namespaces);
  expect_violation ("namespaces: the host's mount namespace", "namespaces",
                    "linux.namespaces[0].path", NULL, "join an existing mount namespace");

  fresh ();
  append ("linux.namespaces", "{\"type\":\"user\"}");
  append ("linux.namespaces", "{\"type\":\"cgroup\"}");
  append ("linux.namespaces", "{\"type\":\"time\"}");
  set_json (config, "linux.uidMappings", "[{\"containerID\":0,\"hostID\":100000,\"size\":65536}]");
  set_json (config, "linux.gidMappings", "[{\"containerID\":0,\"hostID\":100000,\"size\":65536}]");
  run (floor_check_namespaces);
  expect_accepted ("namespaces: user, cgroup and time namespaces of its own");

  fresh ();
  append ("linux.namespaces", "{\"type\":\"user\",\"path\":\"/proc/1/ns/user\"}");
  run (floor_check_namespaces);
  expect_violation ("namespaces: a user namespace by path", "namespaces",
                    "linux.namespaces[5].path", NULL, NULL);

  fresh ();
  append ("linux.namespaces", "{\"type\":\"Pid\"}");
  run (floor_check_namespaces);
  expect_violation ("namespaces: an unknown type (runc compares exactly)", "namespaces",
                    "linux.namespaces[5]", NULL, "\"Pid\"");

  fresh ();
  append ("linux.namespaces", "{\"type\":\"pid\"}");
  run (floor_check_namespaces);
  expect_violation ("namespaces: a repeated type", "namespaces", "linux.namespaces[5]", NULL,
                    "repeats the \"pid\"");

  fresh ();
  append ("linux.namespaces", "null");
  run (floor_check_namespaces);
  expect_violation ("namespaces: a null entry", "namespaces", "linux.namespaces[5]", NULL, "null");

  fresh ();
  append ("linux.namespaces", "{\"path\":\"/proc/1/ns/pid\"}");
  run (floor_check_namespaces);
  expect_violation ("namespaces: an entry without type", "namespaces", "linux.namespaces[5]", NULL,
                    "absent");

  fresh ();
  append ("linux.namespaces", "{\"type\":7}");
  run (floor_check_namespaces);
  expect_violation ("namespaces: a numeric type", "namespaces", "linux.namespaces[5]", NULL,
                    "wrong type");

  fresh ();
  set_json (config, "linux.namespaces", "{}");
  run (floor_check_namespaces);
  expect_violation ("namespaces: not an array", "namespaces", "linux.namespaces", NULL,
                    "wrong type");

  fresh ();
  append ("linux.namespaces", "{\"type\":\"user\"}");
  set_json (config, "linux.uidMappings", "[{\"containerID\":65534,\"hostID\":0,\"size\":1}]");
  run (floor_check_namespaces);
  expect_violation ("namespaces: uid 65534 mapped onto host root", "namespaces",
                    "linux.uidMappings[0]", NULL, "host id 0");

  fresh ();
  set_json (config, "linux.gidMappings",
            "[{\"containerID\":0,\"hostID\":100000,\"size\":10},{\"containerID\":10,\"hostID\":0,"
            "\"size\":1}]");
  run (floor_check_namespaces);
  expect_violation ("namespaces: a gid mapping onto host root", "namespaces",
                    "linux.gidMappings[1]", NULL, "host id 0");

  fresh ();
  set_json (config, "linux.uidMappings", "[{\"containerID\":0,\"hostID\":\"0\",\"size\":1}]");
  run (floor_check_namespaces);
  expect_violation ("namespaces: a mapping of the wrong type", "namespaces", "linux.uidMappings[0]",
                    NULL, "uint32");

  fresh ();
  set_json (config, "linux.uidMappings", "null");
  run (floor_check_namespaces);
  expect_violation ("namespaces: uidMappings null", "namespaces", "linux.uidMappings", NULL,
                    "null");
}

/* ---- Kubernetes: pod sandboxes and app containers (sandbox.c) -------------------- */

#define CRI_ROOT "/run/test-containerd/k8s.io"

static void
cri_annotations (const char *type, const char *sandbox_id)
{
  char *a = xasprintf ("{\"io.kubernetes.cri.container-type\":\"%s\","
                       "\"io.kubernetes.cri.sandbox-id\":\"%s\"}",
                       type, sandbox_id);
  set_json (config, "annotations", a);
  free (a);
}

/* fixture order: mount, network, uts, pid, ipc */
static void
join_pause (pid_t pid, bool with_pid)
{
  static const struct
  {
    size_t index;
    const char *name;
  } joins[] = { { 1, "net" }, { 2, "uts" }, { 4, "ipc" }, { 3, "pid" } };
  for (size_t i = 0; i < (with_pid ? 4u : 3u); i++)
    {
      char *path = xasprintf ("\"/proc/%ld/ns/%s\"", (long)pid, joins[i].name);
      set_item ("linux.namespaces", joins[i].index, "path", path);
      free (path);
    }
}

/* A private bundle for id under CRI_ROOT and, when pid > 0, the record of
   that process as the attested sandbox id.  */
static void
attested_sandbox (const char *id, pid_t pid)
{
  cleanup_free char *err = NULL;
  cleanup_free char *dir = NULL;
  json_value *empty = parse_json ("{}");
  if (bundle_write_private (&test_policy, CRI_ROOT, id, empty, &dir, &err) < 0)
    lab_bail (err);
  json_free (empty);
  if (pid <= 0)
    return;
  cleanup_free char *proc = xasprintf ("/proc/%ld", (long)pid);
  cleanup_close int procfd = open (proc, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  struct sandbox_record r;
  if (procfd < 0 || sandbox_record_of_process (procfd, pid, &r, &err) < 0
      || sandbox_record_write (&test_policy, CRI_ROOT, id, &r, &err) < 0)
    lab_bail ("record");
}

/* config becomes tests/cri/fixtures/NAME.  */
static void
cri_fixture (const char *name)
{
  const char *dir = getenv ("FIXTURES");
  cleanup_free char *path = xasprintf ("%s/../cri/fixtures/%s", dir ? dir : "tests/fixtures", name);
  cleanup_free char *err = NULL;
  json_free (config);
  config = NULL;
  verdict_free (&verdict);
  if (json_load_file (path, &config, &err) < 0)
    {
      printf ("Bail out! cannot load %s: %s\n", path, err);
      exit (1);
    }
}

/* The fixture's /proc/PID/ns/TYPE paths, made to name pid's.  */
static void
retarget_fixture (pid_t pid)
{
  json_value *namespaces = get ("linux.namespaces", JSON_ARRAY);
  for (size_t i = 0; i < namespaces->u.array.len; i++)
    {
      json_value *ns = namespaces->u.array.items[i];
      const char *type = NULL, *path = NULL;
      if (spec_get_string (ns, "path", &path) != SPEC_OK
          || spec_get_string (ns, "type", &type) != SPEC_OK)
        continue;
      const char *name = strcmp (type, "network") == 0 ? "net" : type;
      cleanup_free char *p = xasprintf ("/proc/%ld/ns/%s", (long)pid, name);
      json_object_set (ns, "path", json_new_string (p));
    }
}

static void
run_join_rules (struct floor_ctx *ctx)
{
  floor_check_network (ctx);
  floor_check_namespaces (ctx);
}

static void expect_harden_unchanged (const char *name, rule_fn fn);
static void harden_network_and_namespaces (struct floor_ctx *ctx);

static void
test_cri (void)
{
  const char *no = lab_unavailable ();
  if (no != NULL)
    {
      printf ("ok %d - # SKIP the CRI sandbox rules %s\n", ++tap_n, no);
      return;
    }
  const char *fix = "run with --network none";
  const char *sandbox_fix = "give the pod a fresh network namespace from a CNI that adds only lo";
  const char *app_fix = "run the container in a pod whose sandbox policyrun created";
  lab_private_mounts ();
  free (test_policy.state_dir);
  test_policy.state_dir = xasprintf ("%s/state", tmp);
  test_host.cri_caller = true;
  test_host.runtime_root = CRI_ROOT;
  cleanup_free char *nsdir = xasprintf ("%s/netns", tmp);
  if (mkdir (nsdir, 0700) < 0 || mount ("lab", nsdir, "tmpfs", 0, "mode=0700") < 0)
    lab_bail ("tmpfs for the lab's binds");

  /* The pod sandbox: CNI's fresh namespace.  */
  cleanup_close int cni_fd = lab_empty_netns ();
  cleanup_free char *cni = lab_bind (nsdir, "cni-1", cni_fd);
  cleanup_free char *cni_json = xasprintf ("\"%s\"", cni);
  fresh ();
  cri_annotations ("sandbox", "sb1");
  set_item ("linux.namespaces", 1, "path", cni_json);
  run (run_join_rules);
  expect_accepted ("cri: a pod sandbox joins CNI's fresh netns (only lo, no process, no socket)");
  expect_harden_unchanged ("cri: harden keeps a pod sandbox's fresh CNI netns",
                           harden_network_and_namespaces);

  test_host.cri_caller = false;
  run (run_join_rules);
  expect_violation ("cri: ... but not for a caller that is not containerd's CRI", "network",
                    "linux.namespaces[1].path", fix, "would join an existing network namespace");
  test_host.cri_caller = true;
  test_host.gvisor = true;
  run (run_join_rules);
  expect_violation ("cri: ... nor under gVisor", "network", "linux.namespaces[1].path", fix,
                    "would join an existing network namespace");
  test_host.gvisor = false;

  fresh ();
  cri_annotations ("sandbox", "sb1");
  set_item ("linux.namespaces", 1, "path", "\"/proc/1/ns/net\"");
  run (run_join_rules);
  expect_violation ("cri: a pod sandbox in the host's netns", "network", "linux.namespaces[1].path",
                    sandbox_fix, "only a fresh network namespace, and it lies under /proc");
  run (harden_network_and_namespaces);
  expect_tightened ("cri: harden, a pod sandbox in the host's netns", "network",
                    "linux.namespaces[1].path", "now a new network namespace");
  run (run_join_rules);
  expect_accepted ("cri: harden, a pod sandbox in the host's netns gets a fresh one");

  pid_t tenant = lab_spawn (0, cni_fd);
  fresh ();
  cri_annotations ("sandbox", "sb1");
  set_item ("linux.namespaces", 1, "path", cni_json);
  run (run_join_rules);
  expect_violation ("cri: a pod sandbox in a netns another process is in", "network",
                    "linux.namespaces[1].path", sandbox_fix, "is in it already");
  lab_kill (tenant);

  fresh ();
  cri_annotations ("sandbox", "sb1");
  set_item ("linux.namespaces", 1, "path", cni_json);
  set_item ("linux.namespaces", 4, "path", "\"/proc/1/ns/ipc\"");
  run (run_join_rules);
  expect_violation ("cri: a pod sandbox joining an ipc namespace", "namespaces",
                    "linux.namespaces[4].path", "remove --ipc container:...",
                    "would join an existing ipc namespace");

  /* App containers: the recorded sandbox's namespaces only.  */
  pid_t pause_pid = lab_spawn (CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS, -1);
  pid_t stranger = lab_spawn (CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS, -1);
  attested_sandbox ("sb1", pause_pid);
  attested_sandbox ("sb-created", 0);

  fresh ();
  cri_annotations ("container", "sb1");
  join_pause (pause_pid, true);
  run (run_join_rules);
  expect_accepted ("cri: an app joins its attested sandbox's net, uts, ipc and pid");
  expect_harden_unchanged ("cri: harden keeps an app's join of its attested sandbox",
                           harden_network_and_namespaces);

  fresh ();
  cri_annotations ("container", "sb1");
  join_pause (stranger, false);
  run (run_join_rules);
  expect_violation ("cri: an app joining a process policyrun did not record (net)", "network",
                    "linux.namespaces[1].path", app_fix, "is not the network namespace of sandbox");
  expect_violation ("cri: ... (ipc)", "namespaces", "linux.namespaces[4].path",
                    "remove --ipc container:...", "is not the ipc namespace of sandbox");
  expect_violation ("cri: ... (uts)", "namespaces", "linux.namespaces[2].path", NULL,
                    "is not the uts namespace of sandbox");
  run (harden_network_and_namespaces);
  ok (verdict.len == 3, "cri: harden, an app joining a stranger: net, ipc, uts made its own");
  run (run_join_rules);
  expect_accepted ("cri: harden, an app joining a stranger");

  fresh ();
  cri_annotations ("container", "sb-created");
  join_pause (pause_pid, false);
  run (run_join_rules);
  expect_violation ("cri: an app naming a sandbox that was never attested", "network",
                    "linux.namespaces[1].path", app_fix, "never attested");

  fresh ();
  cri_annotations ("container", "sb-other");
  join_pause (pause_pid, false);
  run (run_join_rules);
  expect_violation ("cri: an app naming another sandbox id than the one it joins", "network",
                    "linux.namespaces[1].path", app_fix, "created no sandbox \"sb-other\"");

  fresh ();
  cri_annotations ("sandbox", "sb1");
  join_pause (pause_pid, false);
  run (run_join_rules);
  expect_violation ("cri: a config claiming to be a sandbox may not join the pause's ipc",
                    "namespaces", "linux.namespaces[4].path", "remove --ipc container:...", NULL);

  fresh ();
  cri_annotations ("container", "sb1");
  join_pause (pause_pid, false);
  set_item ("linux.namespaces", 0, "path", "\"/proc/1/ns/mnt\"");
  run (run_join_rules);
  expect_violation ("cri: an app joining a mount namespace", "namespaces",
                    "linux.namespaces[0].path", NULL, "join an existing mount namespace");

  test_host.runtime_root = "/run/test-containerd/other/k8s.io";
  fresh ();
  cri_annotations ("container", "sb1");
  join_pause (pause_pid, false);
  run (run_join_rules);
  expect_violation ("cri: the record counts only under its own --root", "network",
                    "linux.namespaces[1].path", app_fix, "created no sandbox");
  test_host.runtime_root = CRI_ROOT;

  /* containerd 1.6's own sandbox config, its CNI netns path made the lab's.  */
  cri_fixture ("sandbox.config.json");
  run (run_join_rules);
  expect_violation ("cri fixture: containerd's sandbox config, its netns long gone", "network",
                    "linux.namespaces[4].path", sandbox_fix, "cannot be resolved");
  set_item ("linux.namespaces", 4, "path", cni_json);
  run (run_join_rules);
  expect_accepted ("cri fixture: containerd's sandbox config joining a fresh CNI netns");

  /* containerd 1.6's own app config (tests/cri/fixtures): as captured it
     joins a pause process policyrun never recorded; pointed at the
     recorded one, with that sandbox's id, it is accepted.  */
  cri_fixture ("app.config.json");
  run (run_join_rules);
  expect_violation ("cri fixture: containerd's app config, its sandbox not policyrun's", "network",
                    "linux.namespaces[4].path", app_fix, "policyrun created no sandbox");
  expect_violation ("cri fixture: ... nor its ipc", "namespaces", "linux.namespaces[1].path",
                    "remove --ipc container:...", "policyrun created no sandbox");
  cri_fixture ("app.config.json");
  json_object_set (get ("annotations", JSON_OBJECT), "io.kubernetes.cri.sandbox-id",
                   json_new_string ("sb1"));
  retarget_fixture (pause_pid);
  run (run_join_rules);
  expect_accepted ("cri fixture: containerd's app config joining the recorded sandbox");

  lab_kill (pause_pid);
  fresh ();
  cri_annotations ("container", "sb1");
  join_pause (pause_pid, false);
  run (run_join_rules);
  expect_violation ("cri: an app of a sandbox whose pause process is gone", "network",
                    "linux.namespaces[1].path", app_fix, NULL);

  lab_kill (stranger);
  if (umount2 (nsdir, MNT_DETACH) < 0)
    lab_bail ("umount of the lab's binds");
  test_host.cri_caller = false;
  test_host.runtime_root = NULL;
}

/* ---- harden ----------------------------------------------------------------------- */

/* config as canonical JSON (freed by the caller).  */
static char *
config_text (void)
{
  char *out = NULL, *err = NULL;
  size_t len = 0;
  if (json_write (config, &out, &len, &err) < 0)
    {
      printf ("Bail out! cannot write the test config: %s\n", err);
      exit (1);
    }
  return out;
}

/* fn (a harden function) leaves config byte-identical and says nothing.  */
static void
expect_harden_unchanged (const char *name, rule_fn fn)
{
  cleanup_free char *before = config_text ();
  run (fn);
  cleanup_free char *after = config_text ();
  ok (strcmp (before, after) == 0 && verdict.len == 0, "%s: unchanged by harden", name);
  if (strcmp (before, after) != 0)
    diag ("before %s\nafter  %s", before, after);
}

/* The namespace entry of type in config, or NULL.  */
static const json_value *
ns_entry (const char *type, size_t *count)
{
  const json_value *found = NULL;
  json_value *a = get ("linux.namespaces", JSON_ARRAY);
  *count = 0;
  for (size_t i = 0; i < a->u.array.len; i++)
    {
      const char *t = NULL;
      if (spec_get_string (a->u.array.items[i], "type", &t) == SPEC_OK && strcmp (t, type) == 0)
        {
          if (found == NULL)
            found = a->u.array.items[i];
          ++*count;
        }
    }
  return found;
}

/* Exactly one entry of type, without a path: a namespace of its own.  */
static void
expect_fresh_ns (const char *name, const char *type)
{
  size_t n = 0;
  const json_value *e = ns_entry (type, &n);
  ok (n == 1 && e != NULL && json_object_get (e, "path") == NULL, "%s: one fresh %s namespace",
      name, type);
}

static void
harden_network_and_namespaces (struct floor_ctx *ctx)
{
  floor_harden_network (ctx);
  floor_harden_namespaces (ctx);
}

static void
test_harden_network (void)
{
  fresh ();
  expect_harden_unchanged ("harden network: Docker's fresh namespace", floor_harden_network);

  fresh ();
  set_json (config, "linux.netDevices", "{}");
  expect_harden_unchanged ("harden network: an empty netDevices", floor_harden_network);

  fresh ();
  remove_item ("linux.namespaces", 1);
  harden_all ();
  expect_no_violation ("harden network: --network host (no entry)", "network");
  expect_tightened ("harden network: --network host (no entry)", "network", "linux.namespaces",
                    "added a new network namespace");
  expect_fresh_ns ("harden network: --network host (no entry)", "network");

  /* Docker's own --network host: the host's namespace by path.  */
  json_free (config);
  config = load_docker ("network-host");
  harden_all ();
  expect_no_violation ("harden network: Docker's --network host", "network");
  expect_tightened ("harden network: Docker's --network host", "network",
                    "linux.namespaces[1].path", "netns/default");
  expect_fresh_ns ("harden network: Docker's --network host", "network");
  cleanup_free char *once = config_text ();
  run (harden_network_and_namespaces);
  cleanup_free char *twice = config_text ();
  ok (strcmp (once, twice) == 0 && verdict.len == 0, "harden network: idempotent");

  fresh ();
  set_item ("linux.namespaces", 1, "Path", "\"/proc/1/ns/net\"");
  harden_all ();
  expect_no_violation ("harden network: a path under Go's key folding", "network");
  expect_tightened ("harden network: a path under Go's key folding", "network",
                    "linux.namespaces[1].path", "was \"/proc/1/ns/net\"");
  expect_fresh_ns ("harden network: a path under Go's key folding", "network");

  fresh ();
  append ("linux.namespaces", "{\"type\":\"network\",\"path\":\"/proc/1/ns/net\"}");
  harden_all ();
  expect_no_violation ("harden network: a second network entry", "network");
  expect_tightened ("harden network: a second network entry", "network", "linux.namespaces",
                    "second \"network\" entry");
  expect_fresh_ns ("harden network: a second network entry", "network");

  fresh ();
  set_json (config, "linux.netDevices", "{\"eth0\":{\"name\":\"eth0\"}}");
  harden_all ();
  expect_no_violation ("harden network: linux.netDevices", "network");
  expect_tightened ("harden network: linux.netDevices", "network", "linux.netDevices", "eth0");
  json_value *nd = NULL;
  ok (spec_get (config, "linux.netDevices", JSON_OBJECT, &nd) == SPEC_ABSENT,
      "harden network: linux.netDevices dropped");

  fresh ();
  remove_field ("linux.namespaces");
  harden_all ();
  expect_no_violation ("harden network: no namespaces at all", "network");
  expect_no_violation ("harden network: no namespaces at all", "namespaces");
  static const char *const all[] = { "network", "pid", "ipc", "uts", "mount" };
  for (size_t k = 0; k < sizeof all / sizeof all[0]; k++)
    expect_fresh_ns ("harden network: no namespaces at all", all[k]);

  /* A null reads as absent in runc: harden (floor.c) removes it first, and
     the namespaces are made fresh.  */
  fresh ();
  set_json (config, "linux.namespaces", "null");
  harden_all ();
  expect_no_violation ("harden network: namespaces null", "network");
  expect_no_violation ("harden network: namespaces null", "namespaces");
  expect_fresh_ns ("harden network: namespaces null", "network");

  fresh ();
  set_json (config, "linux.netDevices", "null");
  harden_all ();
  expect_no_violation ("harden network: linux.netDevices null", "network");
  ok (spec_get (config, "linux.netDevices", JSON_OBJECT, &nd) == SPEC_ABSENT,
      "harden network: linux.netDevices null removed");

  fresh ();
  set_item ("linux.namespaces", 1, "path", "42");
  run (floor_harden_network);
  ok (verdict.len == 0, "harden network: a path that is no string is left alone");

  /* Under gVisor, no path is ever accepted: dropped.  */
  fresh ();
  test_host.gvisor = true;
  set_item ("linux.namespaces", 1, "path", "\"/var/run/netns/cni-1\"");
  harden_all ();
  expect_no_violation ("harden network: gVisor, a CNI path", "network");
  expect_fresh_ns ("harden network: gVisor, a CNI path", "network");
  test_host.gvisor = false;
}

static void
test_harden_namespaces (void)
{
  fresh ();
  expect_harden_unchanged ("harden namespaces: Docker's five", floor_harden_namespaces);

  fresh ();
  append ("linux.namespaces", "{\"type\":\"cgroup\"}");
  expect_harden_unchanged ("harden namespaces: a cgroup namespace of its own",
                           floor_harden_namespaces);

  static const struct
  {
    const char *fixture, *type;
  } host[] = { { "pid-host", "pid" }, { "ipc-host", "ipc" } };
  for (size_t k = 0; k < sizeof host / sizeof host[0]; k++)
    {
      json_free (config);
      config = load_docker (host[k].fixture);
      harden_all ();
      cleanup_free char *name = xasprintf ("harden namespaces: Docker's --%s host", host[k].type);
      expect_no_violation (name, "namespaces");
      expect_tightened (name, "namespaces", "linux.namespaces", host[k].type);
      expect_fresh_ns (name, host[k].type);
    }

  /* fixture order: mount, network, uts, pid, ipc */
  fresh ();
  remove_item ("linux.namespaces", 2);
  remove_item ("linux.namespaces", 0);
  harden_all ();
  expect_no_violation ("harden namespaces: no uts, no mount", "namespaces");
  expect_fresh_ns ("harden namespaces: no uts", "uts");
  expect_fresh_ns ("harden namespaces: no mount", "mount");

  /* fixture order: mount, network, uts, pid, ipc; cgroup is appended.  */
  static const struct
  {
    const char *type;
    size_t index;
  } joined[] = { { "pid", 3 }, { "ipc", 4 }, { "uts", 2 }, { "mount", 0 }, { "cgroup", SIZE_MAX } };
  for (size_t k = 0; k < sizeof joined / sizeof joined[0]; k++)
    {
      fresh ();
      size_t at = joined[k].index;
      if (at == SIZE_MAX)
        at = append ("linux.namespaces", "{\"type\":\"cgroup\"}");
      set_item ("linux.namespaces", at, "path", "\"/proc/1/ns/x\"");
      cleanup_free char *name = xasprintf ("harden namespaces: %s joined by path", joined[k].type);
      cleanup_free char *field = xasprintf ("linux.namespaces[%zu].path", at);
      harden_all ();
      expect_no_violation (name, "namespaces");
      expect_tightened (name, "namespaces", field, "now a new");
      expect_fresh_ns (name, joined[k].type);
    }

  fresh ();
  append ("linux.namespaces", "{\"type\":\"uts\"}");
  harden_all ();
  expect_no_violation ("harden namespaces: uts repeated", "namespaces");
  expect_tightened ("harden namespaces: uts repeated", "namespaces", "linux.namespaces",
                    "repeated the \"uts\" namespace");
  expect_fresh_ns ("harden namespaces: uts repeated", "uts");
  cleanup_free char *once = config_text ();
  run (harden_network_and_namespaces);
  cleanup_free char *twice = config_text ();
  ok (strcmp (once, twice) == 0 && verdict.len == 0, "harden namespaces: idempotent");

  /* Left to refuse: the caller's user namespace, mappings onto host root,
     malformed entries.  */
  fresh ();
  size_t u = append ("linux.namespaces", "{\"type\":\"user\",\"path\":\"/proc/1/ns/user\"}");
  run (floor_harden_namespaces);
  ok (verdict.len == 0, "harden namespaces: a user namespace by path is not touched");
  run (floor_check_namespaces);
  cleanup_free char *ufield = xasprintf ("linux.namespaces[%zu].path", u);
  expect_violation ("harden namespaces: ... and still refused", "namespaces", ufield, NULL,
                    "/proc/1/ns/user");

  fresh ();
  set_json (config, "linux.uidMappings", "[{\"containerID\":0,\"hostID\":0,\"size\":1}]");
  /* The user namespace and its mappings are floor_harden_user_namespace's
     (userns.c): this layer leaves them to the check.  */
  expect_harden_unchanged ("harden namespaces: a mapping onto host root", floor_harden_namespaces);
  run (floor_check_namespaces);
  expect_violation ("harden namespaces: a mapping onto host root still refused", "namespaces",
                    "linux.uidMappings[0]", NULL, "host id 0");

  fresh ();
  append ("linux.namespaces", "\"pid\"");
  harden_all ();
  expect_violation ("harden namespaces: an entry that is no object still refused", "namespaces",
                    "linux.namespaces[5]", NULL, "not a namespace");
}

int
main (void)
{
  floor_test_init ();
  setup_scratch ();
  setup_cgroups ();

  test_network ();
  test_namespaces ();
  test_cri ();
  test_harden_network ();
  test_harden_namespaces ();

  return config_tests_done ();
}
