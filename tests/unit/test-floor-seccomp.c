/* The seccomp rule: a missing profile, a permissive default, a notify
   listener and unknown actions or flags are refused; deny-listed calls are
   taken out of the allow rules (Docker's real default profile included).  */
#include "config.h"

#include "floor-helpers.h"

static void
run_seccomp (json_value *config)
{
  verdict_free (&verdict);
  struct floor_ctx ctx = { .config = config,
                           .policy = &test_policy,
                           .host = &test_host,
                           .verdict = &verdict,
                           .field_prefix = "" };
  floor_check_seccomp (&ctx);
}

static const struct finding *
seccomp_finding (enum finding_kind kind, const char *field, const char *detail_part)
{
  for (size_t i = 0; i < verdict.len; i++)
    if (verdict.items[i].kind == kind && strcmp (verdict.items[i].rule, "seccomp") == 0
        && strcmp (verdict.items[i].field, field) == 0
        && (detail_part == NULL || strstr (verdict.items[i].detail, detail_part) != NULL))
      return &verdict.items[i];
  return NULL;
}

/* Every name allowed by a rule whose action lets the call run.  */
static bool
allowed_anywhere (const json_value *config, const char *name)
{
  json_value *syscalls = NULL;
  if (spec_get (config, "linux.seccomp.syscalls", JSON_ARRAY, &syscalls) != SPEC_OK)
    return false;
  for (size_t i = 0; i < syscalls->u.array.len; i++)
    {
      const json_value *rule = syscalls->u.array.items[i];
      const json_value *action = json_object_get (rule, "action");
      const json_value *names = json_object_get (rule, "names");
      if (action == NULL || action->type != JSON_STRING || names == NULL
          || names->type != JSON_ARRAY)
        continue;
      if (strcmp (action->u.string.s, "SCMP_ACT_ALLOW") != 0
          && strcmp (action->u.string.s, "SCMP_ACT_LOG") != 0
          && strcmp (action->u.string.s, "SCMP_ACT_TRACE") != 0)
        continue;
      for (size_t k = 0; k < names->u.array.len; k++)
        if (names->u.array.items[k]->type == JSON_STRING
            && strcmp (names->u.array.items[k]->u.string.s, name) == 0)
          return true;
    }
  return false;
}

static size_t
rule_count (const json_value *config)
{
  json_value *syscalls = NULL;
  if (spec_get (config, "linux.seccomp.syscalls", JSON_ARRAY, &syscalls) != SPEC_OK)
    return 0;
  return syscalls->u.array.len;
}

static size_t
names_in_rule (const json_value *config, size_t i)
{
  json_value *syscalls = NULL;
  if (spec_get (config, "linux.seccomp.syscalls", JSON_ARRAY, &syscalls) != SPEC_OK
      || i >= syscalls->u.array.len)
    return 0;
  const json_value *names = json_object_get (syscalls->u.array.items[i], "names");
  return names && names->type == JSON_ARRAY ? names->u.array.len : 0;
}

static void
test_profile (void)
{
  static const char pfix[]
      = "remove --security-opt seccomp=... (Docker's default profile holds the floor)";
  static const char ufix[] = "remove --security-opt seccomp=unconfined (and --privileged)";
  static const char nfix[] = "remove the seccomp notify listener";
  json_value *c;

  c = edited (NULL, NULL);
  run_seccomp (c);
  expect_accepted ("fixture profile");
  ok (verdict.len == 0, "fixture profile: nothing changed");
  json_free (c);

  c = load_ok_config ();
  json_object_remove (json_object_get (c, "linux"), "seccomp");
  run_seccomp (c);
  expect_violation ("seccomp absent", "seccomp", "linux.seccomp", ufix, "is absent");
  json_free (c);

  c = edited ("linux.seccomp", "null");
  run_seccomp (c);
  expect_violation ("seccomp null", "seccomp", "linux.seccomp", ufix, "is null");
  json_free (c);

  c = edited ("linux", "null");
  run_seccomp (c);
  expect_violation ("linux null", "seccomp", "linux", ufix, "is null");
  json_free (c);

  c = edited ("linux.seccomp", "[]");
  run_seccomp (c);
  expect_violation ("seccomp an array", "seccomp", "linux.seccomp", ufix, "not an object");
  json_free (c);

  static const struct
  {
    const char *action, *fix, *detail;
  } defaults[] = {
    { "\"SCMP_ACT_ALLOW\"", pfix, "every call not listed would run" },
    { "\"SCMP_ACT_LOG\"", pfix, "every call not listed would run" },
    { "\"SCMP_ACT_TRACE\"", pfix, "every call not listed would run" },
    { "\"SCMP_ACT_NOTIFY\"", nfix, "outside the container" },
    { "\"scmp_act_errno\"", pfix, "not a known seccomp action" },
    { "\"SCMP_ACT_ALLOW \"", pfix, "not a known seccomp action" },
    { "null", pfix, "is null" },
    { "1", pfix, "of the wrong type" },
  };
  for (size_t i = 0; i < sizeof defaults / sizeof defaults[0]; i++)
    {
      c = edited ("linux.seccomp.defaultAction", defaults[i].action);
      run_seccomp (c);
      cleanup_free char *name = xasprintf ("defaultAction %s", defaults[i].action);
      expect_violation (name, "seccomp", "linux.seccomp.defaultAction", defaults[i].fix,
                        defaults[i].detail);
      json_free (c);
    }
  c = load_ok_config ();
  json_object_remove (spec_ensure_object (c, "linux.seccomp", NULL), "defaultAction");
  run_seccomp (c);
  expect_violation ("defaultAction absent", "seccomp", "linux.seccomp.defaultAction", pfix,
                    "is absent");
  json_free (c);

  static const char *const denying[] = {
    "\"SCMP_ACT_KILL\"", "\"SCMP_ACT_KILL_PROCESS\"", "\"SCMP_ACT_KILL_THREAD\"",
    "\"SCMP_ACT_TRAP\"", "\"SCMP_ACT_ERRNO\"",
  };
  for (size_t i = 0; i < sizeof denying / sizeof denying[0]; i++)
    {
      c = edited ("linux.seccomp.defaultAction", denying[i]);
      run_seccomp (c);
      cleanup_free char *name = xasprintf ("defaultAction %s", denying[i]);
      expect_accepted (name);
      json_free (c);
    }

  /* Case-folded key, as runc reads it: "DefaultAction".  */
  c = edited (NULL, NULL);
  json_object_remove (spec_ensure_object (c, "linux.seccomp", NULL), "defaultAction");
  set_json (c, "linux.seccomp.DefaultAction", "\"SCMP_ACT_ALLOW\"");
  run_seccomp (c);
  expect_violation ("DefaultAction (folded key) ALLOW", "seccomp", "linux.seccomp.defaultAction",
                    pfix, "would run");
  json_free (c);

  c = edited ("linux.seccomp.listenerPath", "\"/run/agent.sock\"");
  run_seccomp (c);
  expect_violation ("listenerPath", "seccomp", "linux.seccomp.listenerPath", nfix,
                    "/run/agent.sock");
  json_free (c);
  c = edited ("linux.seccomp.listenerPath", "\"\"");
  set_json (c, "linux.seccomp.listenerMetadata", "\"x\"");
  run_seccomp (c);
  expect_accepted ("listenerPath empty");
  json_free (c);

  c = edited ("linux.seccomp.flags",
              "[\"SECCOMP_FILTER_FLAG_TSYNC\", \"SECCOMP_FILTER_FLAG_LOG\"]");
  run_seccomp (c);
  expect_accepted ("flags TSYNC, LOG");
  json_free (c);
  c = edited ("linux.seccomp.flags", "[\"SECCOMP_FILTER_FLAG_LOG\", "
                                     "\"SECCOMP_FILTER_FLAG_SPEC_ALLOW\"]");
  run_seccomp (c);
  expect_violation ("flag SPEC_ALLOW", "seccomp", "linux.seccomp.flags[1]", pfix, "speculative");
  json_free (c);
  c = edited ("linux.seccomp.flags", "[\"SECCOMP_FILTER_FLAG_NEW\"]");
  run_seccomp (c);
  expect_violation ("unknown flag", "seccomp", "linux.seccomp.flags[0]", pfix,
                    "not a known filter flag");
  json_free (c);

  c = edited ("linux.seccomp.syscalls",
              "[{\"names\": [\"getpid\"], \"action\": \"SCMP_ACT_ALLOW\"},"
              " {\"names\": [\"connect\"], \"action\": \"SCMP_ACT_NOTIFY\"}]");
  run_seccomp (c);
  expect_violation ("rule NOTIFY", "seccomp", "linux.seccomp.syscalls[1].action", nfix,
                    "outside the container");
  json_free (c);
  c = edited ("linux.seccomp.syscalls",
              "[{\"names\": [\"getpid\"], \"action\": \"SCMP_ACT_ALLOWED\"}]");
  run_seccomp (c);
  expect_violation ("rule unknown action", "seccomp", "linux.seccomp.syscalls[0].action", pfix,
                    "not a known seccomp action");
  json_free (c);
  c = edited ("linux.seccomp.syscalls", "[{\"names\": [\"getpid\"]}]");
  run_seccomp (c);
  expect_violation ("rule without action", "seccomp", "linux.seccomp.syscalls[0].action", pfix,
                    "absent");
  json_free (c);

  /* errno 0: the call "succeeds" without running; harmless.  */
  c = edited ("linux.seccomp.syscalls",
              "[{\"names\": [\"ptrace\", \"mount\"], \"action\": \"SCMP_ACT_ERRNO\", "
              "\"errnoRet\": 0}]");
  run_seccomp (c);
  expect_accepted ("deny-listed names in an ERRNO rule");
  ok (verdict.len == 0 && names_in_rule (c, 0) == 2, "ERRNO rule: left alone");
  json_free (c);
}

static void
test_tightening (void)
{
  json_value *c;

  c = edited ("linux.seccomp.syscalls",
              "[{\"names\": [\"read\", \"ptrace\", \"write\", \"io_uring_setup\"], "
              "\"action\": \"SCMP_ACT_ALLOW\"},"
              " {\"names\": [\"ptrace\"], \"action\": \"SCMP_ACT_ALLOW\"},"
              " {\"names\": [\"keyctl\", \"bpf\"], \"action\": \"SCMP_ACT_LOG\"},"
              " {\"names\": [\"mount\"], \"action\": \"SCMP_ACT_TRACE\"},"
              " {\"names\": [\"getpid\"], \"action\": \"SCMP_ACT_ALLOW\"}]");
  run_seccomp (c);
  expect_accepted ("allow rules with deny-listed names");
  ok (rule_count (c) == 2, "rules left with no names are removed (5 -> 2)");
  ok (names_in_rule (c, 0) == 2 && allowed_anywhere (c, "read") && allowed_anywhere (c, "write"),
      "the rest of the first rule stays");
  ok (allowed_anywhere (c, "getpid"), "the last rule stays");
  static const char *const gone[] = { "ptrace", "io_uring_setup", "keyctl", "bpf", "mount" };
  for (size_t i = 0; i < sizeof gone / sizeof gone[0]; i++)
    ok (!allowed_anywhere (c, gone[i]), "%s no longer allowed", gone[i]);
  ok (seccomp_finding (FINDING_TIGHTENED, "linux.seccomp.syscalls[0].names",
                       "allowed ptrace; removed")
          != NULL,
      "ptrace removal recorded at syscalls[0]");
  ok (seccomp_finding (FINDING_TIGHTENED, "linux.seccomp.syscalls[0].names",
                       "allowed io_uring_setup; removed")
          != NULL,
      "io_uring_setup removal recorded");
  ok (seccomp_finding (FINDING_TIGHTENED, "linux.seccomp.syscalls[1]", "the rule was removed")
          != NULL,
      "rule removal recorded at the caller's index 1");
  ok (seccomp_finding (FINDING_TIGHTENED, "linux.seccomp.syscalls[2].names", "allowed bpf; removed")
          != NULL,
      "removals after a removed rule keep the caller's index (2)");
  ok (seccomp_finding (FINDING_TIGHTENED, "linux.seccomp.syscalls[3].names",
                       "allowed mount; removed")
          != NULL,
      "TRACE rule tightened at the caller's index 3");
  json_free (c);

  /* Names libseccomp does not know are skipped by runc: they stay.  A name
     whose number on another listed architecture equals a deny-listed call's
     native number is another call: it stays too (getresuid is 165 on x86,
     mount 165 on x86_64).  */
  c = edited ("linux.seccomp.syscalls",
              "[{\"names\": [\"PTRACE\", \"ptrace \", \"101\", \"getresuid\", \"ioperm\"], "
              "\"action\": \"SCMP_ACT_ALLOW\"}]");
  run_seccomp (c);
  ok (allowed_anywhere (c, "PTRACE") && allowed_anywhere (c, "ptrace ")
          && allowed_anywhere (c, "101"),
      "names libseccomp does not resolve stay (runc ignores them)");
  ok (allowed_anywhere (c, "getresuid"), "no match across architectures");
  ok (!allowed_anywhere (c, "ioperm"), "ioperm (deny-listed) removed");
  ok (names_in_rule (c, 0) == 4, "exactly one name removed");
  json_free (c);

  /* A name that exists only on 32-bit x86 (a pseudo-number on x86_64) is
     still matched, and its neighbour, another call, is not.  */
  struct string_list saved = test_policy.syscall_denylist;
  static char *only_umount[] = { "umount" };
  test_policy.syscall_denylist = (struct string_list){ .items = only_umount, .len = 1 };
  c = edited ("linux.seccomp.syscalls",
              "[{\"names\": [\"umount\", \"umount2\"], \"action\": \"SCMP_ACT_ALLOW\"}]");
  run_seccomp (c);
  ok (!allowed_anywhere (c, "umount") && allowed_anywhere (c, "umount2"),
      "policy deny-list umount: umount removed, umount2 (another call) stays");
  json_free (c);

  /* A deny-listed call this libseccomp does not know yet (the delegate's
     may) is still taken out by its spelling.  */
  static char *future[] = { "future_call" };
  test_policy.syscall_denylist = (struct string_list){ .items = future, .len = 1 };
  c = edited ("linux.seccomp.syscalls",
              "[{\"names\": [\"future_call\", \"read\"], \"action\": \"SCMP_ACT_ALLOW\"}]");
  run_seccomp (c);
  ok (!allowed_anywhere (c, "future_call") && allowed_anywhere (c, "read"),
      "deny-listed name unknown to libseccomp: removed by spelling");
  json_free (c);

  /* The policy's own list decides.  */
  static char *only_getpid[] = { "getpid" };
  test_policy.syscall_denylist = (struct string_list){ .items = only_getpid, .len = 1 };
  c = edited (NULL, NULL);
  run_seccomp (c);
  ok (!allowed_anywhere (c, "getpid") && allowed_anywhere (c, "read"),
      "policy deny-list getpid: getpid removed from the fixture");
  ok (seccomp_finding (FINDING_TIGHTENED, "linux.seccomp.syscalls[0].names", "allowed getpid")
          != NULL,
      "getpid removal recorded");
  json_free (c);
  test_policy.syscall_denylist = (struct string_list){ 0 };
  c = edited ("linux.seccomp.syscalls",
              "[{\"names\": [\"ptrace\"], \"action\": \"SCMP_ACT_ALLOW\"}]");
  run_seccomp (c);
  ok (allowed_anywhere (c, "ptrace") && verdict.len == 0, "empty deny-list: nothing removed");
  json_free (c);
  test_policy.syscall_denylist = saved;
}

static void
test_docker_profile (void)
{
  json_value *c = load_docker ("doc-flags-user");
  size_t rules_before = rule_count (c);
  size_t first_before = names_in_rule (c, 0);
  ok (allowed_anywhere (c, "ptrace") && allowed_anywhere (c, "io_uring_setup"),
      "Docker's profile allows ptrace and io_uring_setup as captured");
  run_seccomp (c);
  expect_accepted ("Docker's default profile");
  static const char *const gone[] = {
    "ptrace",
    "io_uring_setup",
    "io_uring_enter",
    "io_uring_register",
  };
  for (size_t i = 0; i < sizeof gone / sizeof gone[0]; i++)
    ok (!allowed_anywhere (c, gone[i]), "Docker profile: %s removed", gone[i]);
  for (size_t i = 0; i < test_policy.syscall_denylist.len; i++)
    if (allowed_anywhere (c, test_policy.syscall_denylist.items[i]))
      ok (0, "Docker profile: deny-listed %s still allowed", test_policy.syscall_denylist.items[i]);
  ok (allowed_anywhere (c, "read") && allowed_anywhere (c, "clone")
          && allowed_anywhere (c, "personality"),
      "Docker profile: ordinary calls still allowed");
  ok (rule_count (c) == rules_before - 1, "Docker profile: the ptrace-only rule removed");
  ok (names_in_rule (c, 0) < first_before, "Docker profile: the big allow rule shrank");
  ok (seccomp_finding (FINDING_TIGHTENED, "linux.seccomp.syscalls[1]", "the rule was removed")
          != NULL,
      "Docker profile: removal of syscalls[1] (ptrace) recorded");

  /* A second pass finds nothing more: the result holds the floor.  */
  run_seccomp (c);
  ok (find_finding (&verdict, FINDING_TIGHTENED, "seccomp", NULL) == NULL && verdict.len == 0,
      "Docker profile: checking the tightened profile again changes nothing");
  json_free (c);

  c = load_docker ("seccomp-unconfined");
  run_seccomp (c);
  expect_violation ("docker --security-opt seccomp=unconfined", "seccomp", "linux.seccomp",
                    "remove --security-opt seccomp=unconfined (and --privileged)", "is absent");
  json_free (c);
}

int
main (void)
{
  floor_test_init ();
  test_profile ();
  test_tightening ();
  test_docker_profile ();
  verdict_free (&verdict);
  policy_free (&test_policy);
  return done_testing ();
}
