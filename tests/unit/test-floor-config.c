/* The whole config.json floor (floor.c's floor_check_config): the
   floor-holding fixture passes every rule, and configs captured from Docker
   are judged as a whole.  Each layer's rules have their own test file
   (test-floor-network.c, -filesystem.c, -kernel.c, -hooks.c, ...).  */
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

int
main (void)
{
  floor_test_init ();
  setup_scratch ();
  setup_cgroups ();

  test_fixture ();
  test_docker_fixtures ();

  return config_tests_done ();
}
