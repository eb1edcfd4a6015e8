/* The invocation's rules (invocation.c): restore, hooks with run, the flags
   of create/run/restore and exec that weaken the config, the descriptors
   the container inherits; and the rule table and finding ownership
   (floor.c, rules.def).  */
#include "config.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "floor-helpers.h"
#include "report.h"

/* Run one invocation rule with inv and config (may be NULL).  */
static void
run_inv (rule_fn rule, const struct invocation *inv, json_value *config)
{
  verdict_free (&verdict);
  struct floor_ctx ctx = { .config = config,
                           .policy = &test_policy,
                           .host = &test_host,
                           .verdict = &verdict,
                           .field_prefix = "",
                           .spec = config,
                           .invocation = inv };
  rule (&ctx);
}

static void
test_restore (void)
{
  struct invocation inv = { .command = "restore", .restore = true, .starts_at_once = true };
  verdict_free (&verdict);
  ok (floor_check_command (&inv, &test_policy, &test_host, &verdict) == 1,
      "restore: refused before anything is read");
  char *msg = report_refusal (&verdict);
  is_str (msg,
          "refused by floor (1 violation): restore: the restored process would keep the "
          "credentials, capabilities and seccomp filter of its checkpoint, which the floor "
          "cannot check; start the container afresh",
          "restore: the refusal reads as it always has");
  free (msg);
  inv = (struct invocation){ .command = "create" };
  verdict_free (&verdict);
  ok (floor_check_command (&inv, &test_policy, &test_host, &verdict) == 0,
      "create: the command itself is not refused");
}

static void
test_hooks_without_start (void)
{
  json_value *with_hooks = edited ("hooks", "{\"prestart\":[{\"path\":\"/bin/true\"}]}");
  json_value *empty_hooks = edited ("hooks", "{\"prestart\":[]}");
  struct invocation run = { .command = "run", .starts_at_once = true };
  struct invocation create = { .command = "create" };

  run_inv (floor_check_hooks_without_start, &run, with_hooks);
  expect_violation ("run with a hook", "hooks", "hooks", "use create and start instead of run",
                    "run starts the container before its network can be attested");
  run_inv (floor_check_hooks_without_start, &run, empty_hooks);
  expect_accepted ("run with empty hook lists");
  run_inv (floor_check_hooks_without_start, &create, with_hooks);
  expect_accepted ("create with a hook (start attests)");
  json_free (with_hooks);
  json_free (empty_hooks);
}

/* The create/run/restore flags: one case each way.  */
static void
test_create_flags (void)
{
  static const struct
  {
    const char *name;
    rule_fn rule;
    struct invocation inv;
    const char *rule_id, *field, *fix, *detail; /* rule_id NULL: accepted */
  } cases[] = {
    { "--rootless true",
      floor_check_rootless,
      { .rootless = true },
      "resources",
      "--rootless",
      "remove --rootless true",
      "ignores cgroup errors" },
    { "no --rootless true", floor_check_rootless, { .rootless = false }, NULL, NULL, NULL, NULL },
    { "--no-pivot",
      floor_check_no_pivot,
      { .no_pivot = true },
      "filesystem",
      "--no-pivot",
      "remove --no-pivot (DOCKER_RAMDISK)",
      "host's root filesystem" },
    { "no --no-pivot", floor_check_no_pivot, { .no_pivot = false }, NULL, NULL, NULL, NULL },
    { "--manage-cgroups-mode ignore",
      floor_check_manage_cgroups_mode,
      { .manage_cgroups_mode = "ignore" },
      "resources",
      "--manage-cgroups-mode",
      "remove --manage-cgroups-mode ignore",
      "would keep no limits" },
    { "--manage-cgroups-mode soft",
      floor_check_manage_cgroups_mode,
      { .manage_cgroups_mode = "soft" },
      NULL,
      NULL,
      NULL,
      NULL },
    { "--lsm-profile",
      floor_check_lsm_profile,
      { .lsm_profile = "apparmor:x" },
      "process",
      "--lsm-profile",
      "remove --lsm-profile",
      "replace the container's LSM profile" },
    { "no --lsm-profile",
      floor_check_lsm_profile,
      { .lsm_profile = NULL },
      NULL,
      NULL,
      NULL,
      NULL },
    { "--preserve-fds 3",
      floor_check_preserve_fds,
      { .preserve_fds = "3" },
      "descriptors",
      "--preserve-fds",
      "remove --preserve-fds",
      "is 3: the container would inherit" },
    { "--preserve-fds 0",
      floor_check_preserve_fds,
      { .preserve_fds = "0" },
      NULL,
      NULL,
      NULL,
      NULL },
    { "--preserve-fds empty",
      floor_check_preserve_fds,
      { .preserve_fds = "" },
      NULL,
      NULL,
      NULL,
      NULL },
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    {
      run_inv (cases[i].rule, &cases[i].inv, NULL);
      if (cases[i].rule_id == NULL)
        expect_accepted (cases[i].name);
      else
        expect_violation (cases[i].name, cases[i].rule_id, cases[i].field, cases[i].fix,
                          cases[i].detail);
    }
}

static void
test_stdio (void)
{
  int pipe_fds[2];
  int unix_pair[2];
  int dir = open ("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  int tcp = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (pipe2 (pipe_fds, O_CLOEXEC) < 0 || dir < 0 || tcp < 0
      || socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, unix_pair) < 0)
    {
      printf ("Bail out! cannot make descriptors\n");
      exit (1);
    }
  const int ok_fds[] = { pipe_fds[0], pipe_fds[1], unix_pair[0] };
  const int dir_fds[] = { pipe_fds[0], dir, pipe_fds[1] };
  const int tcp_fds[] = { pipe_fds[0], pipe_fds[1], tcp };
  struct invocation inv = { .stdio = ok_fds };
  run_inv (floor_check_stdio, &inv, NULL);
  expect_accepted ("stdio: pipes and a unix socket");
  inv.stdio = dir_fds;
  run_inv (floor_check_stdio, &inv, NULL);
  expect_violation ("stdio: a directory", "descriptors", "stdio fd 1",
                    "give the container pipes or a terminal", "is a directory");
  inv.stdio = tcp_fds;
  run_inv (floor_check_stdio, &inv, NULL);
  expect_violation ("stdio: a TCP socket", "descriptors", "stdio fd 2",
                    "give the container pipes or a terminal",
                    "is a network socket (family 2), a way around --network none");
  inv.stdio = NULL;
  run_inv (floor_check_stdio, &inv, NULL);
  expect_accepted ("stdio: not checked without descriptors");
  close (pipe_fds[0]);
  close (pipe_fds[1]);
  close (unix_pair[0]);
  close (unix_pair[1]);
  close (dir);
  close (tcp);
}

static void
test_exec_flags (void)
{
  static const struct invocation_flag flags[] = {
    { "cgroup", "other" }, { "apparmor", "unconfined" }, { "apparmor", "" },
    { "cwd", "/tmp" },     { "process-label", "x_t" },   { "user", "0" },
  };
  struct invocation inv = { .command = "exec", .flags = flags, .nflags = 6 };
  run_inv (floor_check_exec_flags, &inv, NULL);
  ok (verdict_violations (&verdict) == 3, "exec: --cgroup, --apparmor X, --process-label refused");
  ok (verdict.len == 3 && strcmp (verdict.items[0].field, "cgroup") == 0
          && strcmp (verdict.items[1].field, "apparmorProfile") == 0
          && strcmp (verdict.items[2].field, "selinuxLabel") == 0,
      "exec: one finding per flag, in the order given");
  expect_violation ("exec --apparmor", "process", "apparmorProfile", "remove --apparmor from exec",
                    "would be changed to \"unconfined\" by exec --apparmor");
  expect_violation ("exec --process-label", "process", "selinuxLabel",
                    "remove --process-label from exec", "by exec --process-label");
  expect_violation ("exec --cgroup", "process", "cgroup", "remove --cgroup from exec",
                    "would place the process in cgroup \"other\"");
  run_inv (floor_check_process_file_flags, &inv, NULL);
  expect_accepted ("exec without --process: no process-file refusals");

  inv.process_file = true;
  run_inv (floor_check_exec_flags, &inv, NULL);
  expect_accepted ("exec --process: the flag rules of the plain form do not run");
  run_inv (floor_check_process_file_flags, &inv, NULL);
  ok (verdict_violations (&verdict) == 6, "exec --process: 5 shaping flags and --cgroup");
  expect_violation ("exec --process --user", "process", "--user",
                    "put it in the --process file instead",
                    "is given with --process, which makes the runtime ignore it");
  expect_violation ("exec --process --cwd", "process", "--cwd",
                    "put it in the --process file instead", NULL);
  ok (verdict.len > 0 && strcmp (verdict.items[verdict.len - 1].field, "--cgroup") == 0,
      "exec --process: --cgroup comes last");
  expect_violation ("exec --process --cgroup", "process", "--cgroup", "remove --cgroup from exec",
                    "cgroup \"other\"");
}

/* Every rule is declared with an id and the file it lives in.  */
static void
test_rule_table (void)
{
  bool whole = true;
  for (size_t i = 0; i < RULE_COUNT; i++)
    {
      const struct floor_rule_info *r = &floor_rules[i];
      size_t n = r->file ? strlen (r->file) : 0;
      if (r->id == NULL || r->id[0] == '\0' || r->field == NULL || n < 3
          || strcmp (r->file + n - 2, ".c") != 0)
        {
          diag ("rule %zu is incomplete", i);
          whole = false;
        }
    }
  ok (whole, "rules.def: every rule has an id, a field and a file");
  is_str (floor_rules[RULE_MEMORY].id, "memory", "RULE_MEMORY reports as \"memory\"");
  is_str (floor_rules[RULE_RLIMITS].id, "process", "RULE_RLIMITS reports as \"process\"");
}

/* A finding keeps its own copy of the fix.  */
static void
test_finding_owns_fix (void)
{
  verdict_free (&verdict);
  struct floor_ctx ctx = { .policy = &test_policy, .verdict = &verdict, .field_prefix = "p." };
  char *fix = xstrdup ("run with --ulimit nice=20:20");
  floor_violation (&ctx, RULE_RLIMITS, "rlimits[0].hard", fix, "is %d", 40);
  memset (fix, 'x', strlen (fix));
  free (fix);
  expect_violation ("computed fix", "process", "p.rlimits[0].hard", "run with --ulimit nice=20:20",
                    "is 40");
  verdict_add (&verdict, FINDING_VIOLATION, "other", "f", NULL, "d");
  ok (verdict.len == 2 && verdict.items[1].fix == NULL, "verdict_add: no fix stays NULL");
}

/* Called by Podman, the fixes name Podman's settings.  */
static void
test_podman_wording (void)
{
  struct invocation inv = { .command = "create", .no_pivot = true };
  test_host.podman_caller = true;
  run_inv (floor_check_no_pivot, &inv, NULL);
  test_host.podman_caller = false;
  ok (verdict.len == 1 && verdict.items[0].fix != NULL
          && strcmp (verdict.items[0].fix, "remove --no-pivot (no_pivot_root in containers.conf)")
                 == 0,
      "--no-pivot from Podman names containers.conf's no_pivot_root");
}

int
main (void)
{
  floor_test_init ();
  test_restore ();
  test_hooks_without_start ();
  test_create_flags ();
  test_stdio ();
  test_exec_flags ();
  test_rule_table ();
  test_finding_owns_fix ();
  test_podman_wording ();
  verdict_free (&verdict);
  policy_free (&test_policy);
  return done_testing ();
}
