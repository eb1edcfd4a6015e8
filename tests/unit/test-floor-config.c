/* The whole config.json floor (floor.c's floor_check_config): the
   floor-holding fixture passes every rule, and configs captured from Docker
   are judged as a whole.  Each layer's rules have their own test file
   (test-floor-network.c, -filesystem.c, -kernel.c, -hooks.c, ...).  */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
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
#include "floor-helpers.h"

/* ---- the fixture ---------------------------------------------------------------- */

static void
test_fixture (void)
{
  static const char *const rules[] = {
    "network",      "namespaces", "filesystem", "mounts", "devices",
    "masked-paths", "sysctl",     "kernel",     "hooks",  "annotations",
  };
  fresh ();
  floor_check_config (config, &test_policy, &test_host, &verdict);
  for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++)
    {
      const struct finding *f = find_finding (&verdict, FINDING_VIOLATION, rules[i], NULL);
      ok (f == NULL, "fixture: no %s violation", rules[i]);
      if (f)
        print_verdict (&verdict);
    }
  count_violations ("fixture: the whole floor", 0);
}

/* ---- fixtures captured from Docker ------------------------------------------------------ */

/* tests/fixtures/docker/ holds config.json files captured from real Docker
   20.10 runs (see its README).  doc-flags-user is the document's flags plus
   --user 65534:65534: it must pass every rule here.  Each loosening must be
   refused by the rule that owns it, and by nothing else of this file.  */
struct expected
{
  const char *rule, *field, *fix;
};

#define RO_BIND "mount it read-only (-v SRC:DST:ro)"
#define RM_BIND "remove the -v/--mount of this source"
#define READ_ONLY "run with --read-only"

static const struct
{
  const char *name;
  struct expected refusals[6];
} docker_cases[] = {
  { "doc-flags-user", { { NULL, NULL, NULL } } },
  { "doc-flags", { { NULL, NULL, NULL } } },
  { "no-user", { { NULL, NULL, NULL } } },
  { "no-limits", { { NULL, NULL, NULL } } },
  { "memory-200m", { { NULL, NULL, NULL } } },
  { "swap-above", { { NULL, NULL, NULL } } },
  { "cpus-2", { { NULL, NULL, NULL } } },
  { "no-cap-drop", { { NULL, NULL, NULL } } },
  { "cap-add-net-raw", { { NULL, NULL, NULL } } },
  { "no-nnp", { { NULL, NULL, NULL } } },
  { "seccomp-unconfined", { { NULL, NULL, NULL } } },
  { "tmpfs", { { NULL, NULL, NULL } } },
  { "network-host", { { "network", "linux.namespaces[1].path", "run with --network none" } } },
  { "pid-host", { { "namespaces", "linux.namespaces", "remove --pid host" } } },
  { "ipc-host",
    { { "namespaces", "linux.namespaces", "remove --ipc host" },
      { "mounts", "mounts[10].source", RM_BIND },
      { "mounts", "mounts[10].options", RO_BIND } } },
  { "no-read-only",
    { { "filesystem", "root.readonly", READ_ONLY },
      { "mounts", "mounts[8].options", READ_ONLY },
      { "mounts", "mounts[9].options", READ_ONLY },
      { "mounts", "mounts[10].options", READ_ONLY } } },
  { "plain",
    { { "filesystem", "root.readonly", READ_ONLY },
      { "mounts", "mounts[7].options", READ_ONLY },
      { "mounts", "mounts[8].options", READ_ONLY },
      { "mounts", "mounts[9].options", READ_ONLY } } },
  { "bind-root",
    { { "mounts", "mounts[8].source", RM_BIND }, { "mounts", "mounts[8].options", RO_BIND } } },
  { "writable-bind", { { "mounts", "mounts[7].options", RO_BIND } } },
  { "device", { { "devices", "linux.devices", "remove --device" } } },
  { "sysctl-kernel", { { NULL, NULL, NULL } } },
  { "privileged",
    { { "mounts", "mounts[3].options", "remove --privileged" },
      { "mounts", "mounts[4].options", "remove --privileged" },
      { "devices", "linux.devices", "remove --device" },
      { "devices", "linux.resources.devices[0]", "remove --privileged" } } },
};

/* The captured hook names the capturing dockerd's pid: make that pid, in
   the fake /proc, run the allowlisted fake dockerd.  */
static void
fake_hook_pid (json_value *v)
{
  json_value *hooks = NULL;
  if (spec_get (v, "hooks.prestart", JSON_ARRAY, &hooks) != SPEC_OK || hooks->u.array.len == 0)
    return;
  const char *path = NULL;
  unsigned pid = 0;
  if (spec_get_string (hooks->u.array.items[0], "path", &path) != SPEC_OK
      || sscanf (path, "/proc/%u/exe", &pid) != 1)
    return;
  char *dir = xasprintf ("%s/%u", fake_proc, pid);
  char *link = xasprintf ("%s/exe", dir);
  if (mkdir (dir, 0700) == 0 && symlink (fake_dockerd, link) < 0)
    diag ("cannot fake pid %u: %s", pid, strerror (errno));
  free (dir);
  free (link);
}

static void
test_docker_fixtures (void)
{
  static const rule_fn rules[] = {
    floor_check_network, floor_check_namespaces,   floor_check_root,   floor_check_mounts,
    floor_check_devices, floor_check_masked_paths, floor_check_sysctl, check_kernel_rest,
    floor_check_hooks,   floor_check_annotations,
  };
  const char *dir = getenv ("FIXTURES");
  size_t seen = 0;
  for (size_t c = 0; c < sizeof docker_cases / sizeof docker_cases[0]; c++)
    {
      char *path
          = xasprintf ("%s/docker/%s.json", dir ? dir : "tests/fixtures", docker_cases[c].name);
      if (access (path, R_OK) < 0)
        {
          free (path);
          continue;
        }
      json_value *v = NULL;
      char *err = NULL;
      if (json_load_file (path, &v, &err) < 0)
        {
          ok (0, "docker/%s loads: %s", docker_cases[c].name, err);
          free (err);
          free (path);
          continue;
        }
      seen++;
      fake_hook_pid (v);
      verdict_free (&verdict);
      struct floor_ctx ctx = { .config = v,
                               .policy = &test_policy,
                               .host = &test_host,
                               .verdict = &verdict,
                               .field_prefix = "" };
      for (size_t k = 0; k < sizeof rules / sizeof rules[0]; k++)
        rules[k](&ctx);
      size_t want = 0;
      for (const struct expected *e = docker_cases[c].refusals; e->rule != NULL; e++, want++)
        {
          char *name = xasprintf ("docker/%s", docker_cases[c].name);
          expect_violation (name, e->rule, e->field, e->fix, NULL);
          free (name);
        }
      char *name = xasprintf ("docker/%s: nothing else refused", docker_cases[c].name);
      count_violations (name, want);
      free (name);
      json_free (v);
      free (path);
    }
  if (seen == 0)
    diag ("no captured Docker fixtures yet");
}

/* ---- annotations runsc reads --------------------------------------------------------- */

/* Every annotation key runsc 20221219 acts on (the strings of its binary,
   read as exact Go map keys or prefixes): the policy's denylist refuses
   each, whichever engine runs the container.  */
static void
test_gvisor_annotations (void)
{
  static const char *const keys[] = {
    "dev.gvisor.flag.network",          "dev.gvisor.flag.net-raw",
    "dev.gvisor.flag.ignore-cgroups",   "dev.gvisor.spec.cgroup-parent",
    "dev.gvisor.spec.mount.vol.source", "dev.gvisor.spec.mount.vol.type",
    "dev.gvisor.spec.mount.vol.share",  "dev.gvisor.spec.mount.vol.options",
  };
  for (int gvisor = 0; gvisor < 2; gvisor++)
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
      {
        test_host.gvisor = gvisor;
        fresh ();
        char *literal = xasprintf ("{\"%s\": \"x\"}", keys[i]);
        set_json (config, "annotations", literal);
        run (floor_check_annotations);
        char *name = xasprintf ("%s: %s", gvisor ? "gVisor" : "runc", keys[i]);
        char *field = xasprintf ("annotations.%s", keys[i]);
        expect_violation (name, "annotations", field, "remove that --annotation",
                          "starting with \"dev.gvisor.\"");
        free (literal);
        free (name);
        free (field);
      }
  test_host.gvisor = false;
}

/* Under gVisor a container type of "container" makes runsc join another
   sandbox: refused for both CRI spellings; anything else is a sandbox of
   its own.  With runc the rule does nothing.  */
static void
test_sandbox_join (void)
{
  static const struct
  {
    const char *annotations;
    const char *refused; /* the key, or NULL: accepted */
  } cases[] = {
    { "{\"io.kubernetes.cri.container-type\": \"container\", "
      "\"io.kubernetes.cri.sandbox-id\": \"pod1\"}",
      "io.kubernetes.cri.container-type" },
    { "{\"io.kubernetes.cri-o.ContainerType\": \"container\", "
      "\"io.kubernetes.cri-o.SandboxID\": \"pod1\"}",
      "io.kubernetes.cri-o.ContainerType" },
    { "{\"io.kubernetes.cri.container-type\": \"sandbox\", "
      "\"io.kubernetes.cri-o.ContainerType\": \"container\"}",
      "io.kubernetes.cri-o.ContainerType" },
    { "{\"io.kubernetes.cri.container-type\": \"sandbox\", "
      "\"io.kubernetes.cri.sandbox-id\": \"self\"}",
      NULL },
    { "{\"io.kubernetes.cri.sandbox-id\": \"pod1\"}", NULL },
    /* Go's map keys are exact: another spelling is not read by runsc.  */
    { "{\"IO.kubernetes.cri.container-type\": \"container\"}", NULL },
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    {
      for (int gvisor = 0; gvisor < 2; gvisor++)
        {
          test_host.gvisor = gvisor;
          fresh ();
          set_json (config, "annotations", cases[i].annotations);
          run (floor_check_sandbox_join);
          char *name = xasprintf ("%s: sandbox join case %zu", gvisor ? "gVisor" : "runc", i);
          if (gvisor && cases[i].refused)
            {
              char *field = xasprintf ("annotations.%s", cases[i].refused);
              expect_violation (name, "annotations", field, "remove that --annotation",
                                "inside another container's gVisor sandbox");
              count_violations (name, 1);
              free (field);
            }
          else
            expect_accepted (name);
          free (name);
        }
    }
  test_host.gvisor = false;
}

/* ---- what containerd 1.6's CRI gives the runtime --------------------------------- */

/* Replace the prefix from of every mount source with to.  */
static void
move_sources (json_value *v, const char *from, const char *to)
{
  json_value *mounts = NULL;
  if (spec_get (v, "mounts", JSON_ARRAY, &mounts) != SPEC_OK)
    return;
  for (size_t i = 0; i < mounts->u.array.len; i++)
    {
      const char *src = NULL;
      json_value *m = mounts->u.array.items[i];
      if (spec_get_string (m, "source", &src) == SPEC_OK && strncmp (src, from, strlen (from)) == 0)
        {
          cleanup_free char *moved = xasprintf ("%s%s", to, src + strlen (from));
          json_object_set (m, "source", json_new_string (moved));
        }
    }
}

/* tests/cri/fixtures: the pod sandbox and the app container of the
   restricted pod, as containerd's CRI wrote them for policyrun, with the
   rig's state directory moved to containerd's default (which is on the
   deny-list, so the shm bind is recognised by its layout here, where it
   does not exist).  Once kubelet's and containerd's binds, the sandbox's
   capabilities and oomScoreAdj are tightened, what is left is the
   namespaces they join (attested by policyrun's own sandbox state).  */
static void
test_cri_fixtures (void)
{
  static const struct
  {
    const char *name;
    const char *adj; /* what a real node gives: kubelet's QoS score */
    size_t tightened;
    const char *left[4]; /* the rules still refusing */
  } cases[] = {
    { "sandbox", "-998", 3, { "network", NULL } },
    { "app", "-997", 4, { "network", "namespaces", NULL } },
  };
  static const rule_fn rules[] = {
    floor_check_kubelet_binds, floor_check_network, floor_check_namespaces,
    floor_check_root,          floor_check_mounts,  floor_check_devices,
    floor_check_masked_paths,  floor_check_sysctl,  floor_check_hooks,
    floor_check_annotations,
  };
  static const rule_fn process_rules[]
      = { floor_check_capabilities, floor_check_no_new_privs, floor_check_oom_score_adj };
  const char *dir = getenv ("FIXTURES");
  test_host.cri_caller = true;
  for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++)
    {
      cleanup_free char *path = xasprintf ("%s/../cri/fixtures/%s.config.json",
                                           dir ? dir : "tests/fixtures", cases[c].name);
      json_value *v = NULL;
      cleanup_free char *err = NULL;
      if (json_load_file (path, &v, &err) < 0)
        {
          ok (0, "cri/%s loads: %s", cases[c].name, err);
          continue;
        }
      move_sources (v, "/run/policyrun-cri/containerd/", "/run/containerd/");
      /* policyrun makes root.path absolute against the bundle before the
         floor reads it (bundle_absolutize).  */
      set_json (v, "root.path",
                "\"/run/containerd/io.containerd.runtime.v2.task/k8s.io/0123/rootfs\"");
      set_json (v, "process.oomScoreAdj", cases[c].adj);
      verdict_free (&verdict);
      struct floor_ctx ctx = { .config = v,
                               .policy = &test_policy,
                               .host = &test_host,
                               .verdict = &verdict,
                               .field_prefix = "",
                               .spec = v };
      for (size_t k = 0; k < sizeof rules / sizeof rules[0]; k++)
        rules[k](&ctx);
      json_value *process = NULL;
      spec_get (v, "process", JSON_OBJECT, &process);
      struct floor_ctx pctx = ctx;
      pctx.config = process;
      pctx.field_prefix = "process.";
      for (size_t k = 0; k < sizeof process_rules / sizeof process_rules[0]; k++)
        process_rules[k](&pctx);

      /* Other rules tighten too (rro, newer masked paths): count the CRI's.  */
      size_t tightened = 0, left = 0;
      for (size_t i = 0; i < verdict.len; i++)
        tightened += verdict.items[i].kind == FINDING_TIGHTENED
                     && (strstr (verdict.items[i].detail, "pod's") != NULL
                         || strstr (verdict.items[i].detail, "kubelet's") != NULL);
      ok (tightened == cases[c].tightened, "cri/%s: %zu tightened (%zu)", cases[c].name,
          cases[c].tightened, tightened);
      for (const char *const *r = cases[c].left; *r != NULL; r++)
        {
          ok (find_finding (&verdict, FINDING_VIOLATION, *r, NULL) != NULL,
              "cri/%s: %s still refused (G's attestation)", cases[c].name, *r);
          for (size_t i = 0; i < verdict.len; i++)
            left += verdict.items[i].kind == FINDING_VIOLATION
                    && strcmp (verdict.items[i].rule, *r) == 0;
        }
      ok (verdict_violations (&verdict) == left, "cri/%s: nothing else refused", cases[c].name);
      if (verdict_violations (&verdict) != left || tightened != cases[c].tightened)
        print_verdict (&verdict);
      json_free (v);
    }
  test_host.cri_caller = false;
}

/* ---- policyrun.* annotations ----------------------------------------------------- */

static int64_t
config_int (const char *path)
{
  int64_t v = INT64_MIN;
  spec_get_int (config, path, INT64_MIN, INT64_MAX, &v);
  return v;
}

/* What each policyrun.* value reads as, or that it is refused (want < 0).  */
static void
test_lowering_values (void)
{
  static const struct
  {
    const char *key, *value;
    int64_t want; /* -1: refused */
  } cases[] = {
    { "policyrun.memory", "64m", 67108864 },
    { "policyrun.memory", "67108864", 67108864 },
    { "policyrun.memory", "1.5g", 1610612736 },
    { "policyrun.memory", "64 MiB", 67108864 },
    { "policyrun.memory", "0", -1 },
    { "policyrun.memory", "-1", -1 },
    { "policyrun.memory", "64x", -1 },
    { "policyrun.memory", "", -1 },
    { "policyrun.cpus", "0.25", 250000000 },
    { "policyrun.cpus", "1", 1000000000 },
    { "policyrun.cpus", ".5", 500000000 },
    { "policyrun.cpus", "0.000000001", 1 },
    { "policyrun.cpus", "0.0000000001", -1 },
    { "policyrun.cpus", "0", -1 },
    { "policyrun.cpus", "1e-1", -1 },
    { "policyrun.cpus", "1/4", -1 },
    { "policyrun.cpus", "-0.5", -1 },
    { "policyrun.cpus", "99999999999", -1 },
    { "policyrun.pids", "64", 64 },
    { "policyrun.pids", "0x40", -1 },
    { "policyrun.pids", "064", -1 },
    { "policyrun.pids", "0", -1 },
    { "policyrun.pids", "-1", -1 },
    { "policyrun.timeout", "2", 2 },
    { "policyrun.timeout", "90s", 90 },
    { "policyrun.timeout", "1m30s", 90 },
    { "policyrun.timeout", "2h", 7200 },
    { "policyrun.timeout", "1.5s", -1 },
    { "policyrun.timeout", "1500ms", -1 },
    { "policyrun.timeout", "-5s", -1 },
    { "policyrun.timeout", "0", -1 },
    { "policyrun.timeout", "0s", -1 },
    { "policyrun.timeout", "s", -1 },
    { "policyrun.timeout", "315360001", -1 },
    { "policyrun.timeout", "99999999999999999999h", -1 },
  };
  /* No deadline in the policy: every timeout that reads is a tightening.  */
  int64_t saved = test_policy.timeout_seconds;
  test_policy.timeout_seconds = 0;
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    {
      fresh ();
      cleanup_free char *literal = xasprintf ("{\"%s\": \"%s\"}", cases[i].key, cases[i].value);
      set_json (config, "annotations", literal);
      struct floor_lowering l;
      cleanup_free char *err = NULL;
      int r = floor_lowering_read (config, &l, &err);
      int64_t got = l.memory_bytes + l.cpu_nanos + l.pids_limit + l.timeout_seconds;
      if (cases[i].want < 0)
        ok (r < 0 && err != NULL && strstr (err, cases[i].key) != NULL, "%s=\"%s\" refused (%s)",
            cases[i].key, cases[i].value, err ? err : "accepted");
      else
        ok (r == 0 && got == cases[i].want, "%s=\"%s\" reads as %" PRId64 " (%" PRId64 ")",
            cases[i].key, cases[i].value, cases[i].want, got);
      /* The rule refuses exactly what does not read.  */
      run (floor_check_policyrun_annotations);
      cleanup_free char *field = xasprintf ("annotations.%s", cases[i].key);
      ok ((exact_finding (FINDING_VIOLATION, "annotations", field) != NULL) == (cases[i].want < 0),
          "%s=\"%s\": the rule %s it", cases[i].key, cases[i].value,
          cases[i].want < 0 ? "refuses" : "accepts");
    }
  test_policy.timeout_seconds = saved;
}

static void
test_lowering_rule (void)
{
  /* Unknown keys, in any case of the prefix; others are not policyrun's.  */
  fresh ();
  set_json (config, "annotations",
            "{\"policyrun.bogus\": \"1\", \"PolicyRun.memory\": \"64m\", \"policyrunner.x\": \"1\","
            " \"policyrun.pids\": 12}");
  run (floor_check_policyrun_annotations);
  expect_violation ("policyrun.bogus", "annotations", "annotations.policyrun.bogus",
                    "remove that --annotation",
                    "is not an annotation policyrun knows (it knows policyrun.memory");
  expect_violation ("PolicyRun.memory", "annotations", "annotations.PolicyRun.memory",
                    "remove that --annotation", "not an annotation policyrun knows");
  expect_violation ("policyrun.pids not a string", "annotations", "annotations.policyrun.pids",
                    "remove that --annotation", "is not a string");
  count_violations ("policyrun.* keys", 3);
  struct floor_lowering l;
  cleanup_free char *err = NULL;
  int rr = floor_lowering_read (config, &l, &err);
  ok (rr < 0 && err != NULL, "unknown key: not read (%s)", err ? err : "read");

  /* The deadline: only brought forward.  */
  int64_t saved = test_policy.timeout_seconds;
  fresh ();
  set_json (config, "annotations", "{\"policyrun.timeout\": \"2h\"}");
  run (floor_check_policyrun_annotations);
  expect_violation ("timeout after the policy's", "annotations", "annotations.policyrun.timeout",
                    "remove that --annotation",
                    "is 7200 seconds, later than the policy's deadline of 3600 seconds");
  set_json (config, "annotations", "{\"policyrun.timeout\": \"1h\"}");
  run (floor_check_policyrun_annotations);
  expect_accepted ("timeout equal to the policy's");
  test_policy.timeout_seconds = 0;
  set_json (config, "annotations", "{\"policyrun.timeout\": \"2h\"}");
  run (floor_check_policyrun_annotations);
  expect_accepted ("timeout under a policy without a deadline");
  test_policy.timeout_seconds = saved;

  struct floor_lowering t = { .timeout_seconds = 2 };
  ok (floor_lowering_deadline (&t, 3600) == 2, "deadline: the annotation's when earlier");
  ok (floor_lowering_deadline (&t, 0) == 2, "deadline: the annotation's when the policy has none");
  ok (floor_lowering_deadline (&t, 1) == 1, "deadline: the policy's when earlier");
  t.timeout_seconds = 0;
  ok (floor_lowering_deadline (&t, 3600) == 3600, "deadline: the policy's without annotation");
  ok (floor_lowering_deadline (&t, 0) == 0, "deadline: none without either");

  /* The whole floor: lowered, or refused as a raise.  */
  fresh ();
  set_json (config, "annotations",
            "{\"policyrun.memory\": \"64m\", \"policyrun.cpus\": \"0.25\", "
            "\"policyrun.pids\": \"32\", \"policyrun.timeout\": \"2\"}");
  floor_check_config (config, &test_policy, &test_host, &verdict);
  count_violations ("whole floor: lowered", 0);
  ok (config_int ("linux.resources.memory.limit") == 67108864
          && config_int ("linux.resources.memory.swap") == 67108864
          && config_int ("linux.resources.cpu.quota") == 25000
          && config_int ("linux.resources.pids.limit") == 32,
      "whole floor: memory, swap, quota and pids lowered");
  ok (find_finding (&verdict, FINDING_TIGHTENED, "annotations", "memory.limit") != NULL,
      "whole floor: the lowering is recorded");

  fresh ();
  set_json (config, "annotations", "{\"policyrun.memory\": \"1g\"}");
  floor_check_config (config, &test_policy, &test_host, &verdict);
  expect_violation ("whole floor: 1g", "annotations", "annotations.policyrun.memory",
                    "remove that --annotation", "above the floor of 104857600");
  count_violations ("whole floor: 1g", 1);

  fresh ();
  json_object_remove (get ("linux.resources", JSON_OBJECT), "memory");
  json_object_remove (get ("linux.resources", JSON_OBJECT), "cpu");
  json_object_remove (get ("linux.resources", JSON_OBJECT), "pids");
  set_json (config, "annotations",
            "{\"policyrun.memory\": \"50m\", \"policyrun.cpus\": \"0.1\", "
            "\"policyrun.pids\": \"7\"}");
  floor_check_config (config, &test_policy, &test_host, &verdict);
  count_violations ("whole floor: limits absent", 0);
  ok (config_int ("linux.resources.memory.limit") == 52428800
          && config_int ("linux.resources.cpu.quota") == 10000
          && config_int ("linux.resources.pids.limit") == 7,
      "whole floor: absent limits filled in, then lowered");
}

int
main (void)
{
  floor_test_init ();
  setup_scratch ();
  setup_cgroups ();

  test_fixture ();
  test_docker_fixtures ();
  test_gvisor_annotations ();
  test_sandbox_join ();
  test_cri_fixtures ();
  test_lowering_values ();
  test_lowering_rule ();

  return config_tests_done ();
}
