/* The seccomp rule: a missing profile, a permissive default, a notify
   listener and unknown actions or flags are refused; deny-listed calls are
   taken out of the allow rules (Docker's real default profile included).  */
#include "config.h"

#include "floor-helpers.h"

#include <seccomp.h>
#include <stdint.h>

#include "floor/seccomp.h"
#include "seccomp-bpf.h"

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

/* The names of rule when its action lets the call run (ALLOW, LOG, TRACE),
   else NULL.  */
static const json_value *
letting_run_names (const json_value *rule)
{
  const json_value *action = json_object_get (rule, "action");
  const json_value *names = json_object_get (rule, "names");
  if (action == NULL || action->type != JSON_STRING || names == NULL || names->type != JSON_ARRAY)
    return NULL;
  static const char *const lets_run[] = { "SCMP_ACT_ALLOW", "SCMP_ACT_LOG", "SCMP_ACT_TRACE" };
  for (size_t k = 0; k < sizeof lets_run / sizeof lets_run[0]; k++)
    if (strcmp (action->u.string.s, lets_run[k]) == 0)
      return names;
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
      const json_value *names = letting_run_names (rule);
      if (names == NULL)
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
  ok (seccomp_finding (FINDING_TIGHTENED, "linux.seccomp.syscalls[0].names", "let clone run")
              != NULL
          && seccomp_finding (FINDING_TIGHTENED, "linux.seccomp.syscalls", "clone3") != NULL
          && verdict.len == 3,
      "fixture profile: only clone (unconditional) and the absent clone3 rule changed");
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
  ok (seccomp_finding (FINDING_TIGHTENED, "linux.seccomp.syscalls[0].names", NULL) == NULL
          && names_in_rule (c, 0) == 2,
      "ERRNO rule: left alone");
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
  ok (rule_count (c) == 3, "rules left with no names are removed (5 -> 2, + clone3's)");
  ok (names_in_rule (c, 0) == 2 && allowed_anywhere (c, "read") && allowed_anywhere (c, "write"),
      "the rest of the first rule stays");
  ok (allowed_anywhere (c, "getpid"), "the last rule stays");
  static const char *const gone[] = { "ptrace", "io_uring_setup", "keyctl", "bpf", "mount" };
  for (size_t i = 0; i < sizeof gone / sizeof gone[0]; i++)
    ok (!allowed_anywhere (c, gone[i]), "%s no longer allowed", gone[i]);
  ok (seccomp_finding (FINDING_TIGHTENED, "linux.seccomp.syscalls[0].names",
                       "allowed deny-listed ptrace, io_uring_setup; removed")
          != NULL,
      "ptrace removal recorded at syscalls[0]");
  ok (seccomp_finding (FINDING_TIGHTENED, "linux.seccomp.syscalls[0].names", "allowed deny-listed")
          == &verdict.items[0],
      "one finding for both removals");
  ok (seccomp_finding (FINDING_TIGHTENED, "linux.seccomp.syscalls[1]", "the rule was removed")
          != NULL,
      "rule removal recorded at the caller's index 1");
  ok (seccomp_finding (FINDING_TIGHTENED, "linux.seccomp.syscalls[2].names",
                       "allowed deny-listed keyctl, bpf; removed")
          != NULL,
      "removals after a removed rule keep the caller's index (2)");
  ok (seccomp_finding (FINDING_TIGHTENED, "linux.seccomp.syscalls[3].names",
                       "allowed deny-listed mount; removed")
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
  ok (seccomp_finding (FINDING_TIGHTENED, "linux.seccomp.syscalls[0].names",
                       "allowed deny-listed getpid")
          != NULL,
      "getpid removal recorded");
  json_free (c);
  test_policy.syscall_denylist = (struct string_list){ 0 };
  c = edited ("linux.seccomp.syscalls",
              "[{\"names\": [\"ptrace\"], \"action\": \"SCMP_ACT_ALLOW\"}]");
  run_seccomp (c);
  ok (allowed_anywhere (c, "ptrace")
          && seccomp_finding (FINDING_TIGHTENED, "linux.seccomp.syscalls[0].names", NULL) == NULL,
      "empty deny-list: nothing removed");
  json_free (c);

  /* io_uring opens sockets (AF_VSOCK too) past the filter: it goes even
     when the policy's list leaves it out.  */
  c = edited ("linux.seccomp.syscalls",
              "[{\"names\": [\"io_uring_setup\", \"io_uring_enter\", \"io_uring_register\", "
              "\"read\"], \"action\": \"SCMP_ACT_ALLOW\"}]");
  run_seccomp (c);
  ok (!allowed_anywhere (c, "io_uring_setup") && !allowed_anywhere (c, "io_uring_enter")
          && !allowed_anywhere (c, "io_uring_register") && allowed_anywhere (c, "read"),
      "empty deny-list: io_uring's three calls removed all the same, read stays");
  ok (seccomp_finding (FINDING_TIGHTENED, "linux.seccomp.syscalls[0].names", "io_uring_setup")
          != NULL,
      "io_uring removal recorded");
  json_free (c);
  test_policy.syscall_denylist = saved;
}

/* Whether some rule, loaded as runc loads it, lets name run when argument
   index holds x (conditions on other arguments are taken as met).  Written
   apart from the floor's own model, from runc's seccomp_linux.go.  */
static bool
runs_with (const json_value *config, const char *name, unsigned index, uint64_t x)
{
  json_value *syscalls = NULL;
  if (spec_get (config, "linux.seccomp.syscalls", JSON_ARRAY, &syscalls) != SPEC_OK)
    return false;
  int want = seccomp_syscall_resolve_name (name);
  for (size_t i = 0; i < syscalls->u.array.len; i++)
    {
      const json_value *rule = syscalls->u.array.items[i];
      const json_value *names = letting_run_names (rule);
      if (names == NULL)
        continue;
      bool named = false;
      for (size_t k = 0; k < names->u.array.len; k++)
        named = named
                || (names->u.array.items[k]->type == JSON_STRING
                    && seccomp_syscall_resolve_name (names->u.array.items[k]->u.string.s) == want);
      if (!named)
        continue;
      const json_value *args = json_object_get (rule, "args");
      size_t n = args && args->type == JSON_ARRAY ? args->u.array.len : 0;
      if (n == 0)
        return true;
      unsigned count[6] = { 0 };
      bool split = false;
      for (size_t k = 0; k < n; k++)
        {
          const json_value *ix = json_object_get (args->u.array.items[k], "index");
          if (++count[ix->u.number.i] > 1)
            split = true;
        }
      bool all = true, any = false;
      for (size_t k = 0; k < n; k++)
        {
          const json_value *a = args->u.array.items[k];
          const json_value *v1 = json_object_get (a, "value");
          const json_value *v2 = json_object_get (a, "valueTwo");
          uint64_t v = v1 ? strtoull (v1->u.number.text, NULL, 10) : 0;
          uint64_t w = v2 ? strtoull (v2->u.number.text, NULL, 10) : 0;
          const char *op = json_object_get (a, "op")->u.string.s;
          bool holds = true;
          if ((unsigned)json_object_get (a, "index")->u.number.i == index)
            {
              if (strcmp (op, "SCMP_CMP_NE") == 0)
                holds = x != v;
              else if (strcmp (op, "SCMP_CMP_LT") == 0)
                holds = x < v;
              else if (strcmp (op, "SCMP_CMP_LE") == 0)
                holds = x <= v;
              else if (strcmp (op, "SCMP_CMP_EQ") == 0)
                holds = x == v;
              else if (strcmp (op, "SCMP_CMP_GE") == 0)
                holds = x >= v;
              else if (strcmp (op, "SCMP_CMP_GT") == 0)
                holds = x > v;
              else
                holds = (x & v) == w;
            }
          all = all && holds;
          any = any || holds;
        }
      if (split ? any : all)
        return true;
    }
  return false;
}

#define NEWUSER UINT64_C (0x10000000)
#define NEWNET UINT64_C (0x40000000)
#define NEWNS UINT64_C (0x00020000)
#define NEWCGROUP UINT64_C (0x02000000)
#define SIGCHLD_ONLY UINT64_C (17)
#define THREAD_FLAGS UINT64_C (0x003d0f00)

static json_value *
with_rules (const char *rules)
{
  return edited ("linux.seccomp.syscalls", rules);
}

static bool
clone_closed (const json_value *c)
{
  static const uint64_t ns[]
      = { NEWUSER,    NEWNET,     NEWNS,      NEWCGROUP,
          0x04000000, 0x08000000, 0x20000000, NEWUSER | NEWNET | SIGCHLD_ONLY };
  for (size_t i = 0; i < sizeof ns / sizeof ns[0]; i++)
    if (runs_with (c, "clone", 0, ns[i]))
      return false;
  return true;
}

static bool
vsock_closed (const json_value *c)
{
  return !runs_with (c, "socket", 0, 40) && !runs_with (c, "socket", 0, UINT64_C (0x100000028))
         && !runs_with (c, "socket", 0, UINT64_C (0xffffffff00000028));
}

static bool
families_open (const json_value *c)
{
  for (uint64_t f = 0; f < 64; f++)
    if (f != 40 && !runs_with (c, "socket", 0, f))
      return false;
  return true;
}

static void
test_clone (void)
{
  json_value *c;

  c = with_rules ("[{\"names\": [\"read\", \"clone\"], \"action\": \"SCMP_ACT_ALLOW\"}]");
  ok (runs_with (c, "clone", 0, NEWUSER), "before: clone without conditions lets NEWUSER run");
  run_seccomp (c);
  expect_accepted ("clone without conditions");
  ok (clone_closed (c), "clone without conditions: namespace flags closed");
  ok (runs_with (c, "clone", 0, SIGCHLD_ONLY) && runs_with (c, "clone", 0, THREAD_FLAGS),
      "clone without conditions: fork and threads still run");
  json_value *syscalls = NULL;
  spec_get (c, "linux.seccomp.syscalls", JSON_ARRAY, &syscalls);
  cleanup_free char *docker_rule = NULL;
  char *err = NULL;
  size_t len = 0;
  json_write (syscalls->u.array.items[1], &docker_rule, &len, &err);
  ok (docker_rule != NULL
          && strcmp (docker_rule,
                     "{\"names\":[\"clone\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,"
                     "\"value\":2114060288,\"valueTwo\":0,\"op\":\"SCMP_CMP_MASKED_EQ\"}]}")
                 == 0,
      "clone without conditions: Docker's rule appended (%s)", docker_rule ? docker_rule : "");
  ok (names_in_rule (c, 0) == 1 && rule_count (c) == 3,
      "clone taken out of the rule; Docker's and clone3's rules added");
  json_free (c);

  /* Two rules allowing clone unconditionally: Docker's rule once.  */
  c = with_rules ("[{\"names\": [\"clone\"], \"action\": \"SCMP_ACT_ALLOW\"},"
                  " {\"names\": [\"clone\", \"read\"], \"action\": \"SCMP_ACT_ALLOW\"}]");
  run_seccomp (c);
  ok (rule_count (c) == 3 && clone_closed (c), "two unconditional clone rules: one added rule");
  json_free (c);

  /* runc splits conditions on the same argument into rules joined by OR.  */
  c = with_rules ("[{\"names\": [\"clone\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": ["
                  "{\"index\": 0, \"value\": 2114060288, \"valueTwo\": 0, "
                  "\"op\": \"SCMP_CMP_MASKED_EQ\"},"
                  "{\"index\": 0, \"value\": 268435456, \"op\": \"SCMP_CMP_EQ\"}]}]");
  ok (runs_with (c, "clone", 0, NEWUSER), "before: OR-split lets NEWUSER run");
  run_seccomp (c);
  expect_accepted ("OR-split conditions");
  ok (clone_closed (c) && runs_with (c, "clone", 0, SIGCHLD_ONLY),
      "OR-split: the NEWUSER branch is gone, the masked one kept");
  json_free (c);

  /* Same argument twice, both pinning: left alone.  */
  c = with_rules ("[{\"names\": [\"clone\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": ["
                  "{\"index\": 0, \"value\": 17, \"op\": \"SCMP_CMP_EQ\"},"
                  "{\"index\": 0, \"value\": 4001536, \"op\": \"SCMP_CMP_EQ\"}]}]");
  run_seccomp (c);
  ok (seccomp_finding (FINDING_TIGHTENED, "linux.seccomp.syscalls[0].names", "clone") == NULL,
      "OR-split, every branch pinned: clone left alone");
  json_free (c);

  static const char *const actions[] = { "SCMP_ACT_LOG", "SCMP_ACT_TRACE" };
  for (size_t i = 0; i < 2; i++)
    {
      cleanup_free char *rules
          = xasprintf ("[{\"names\": [\"clone\"], \"action\": \"%s\"}]", actions[i]);
      c = with_rules (rules);
      ok (runs_with (c, "clone", 0, NEWNET), "before: %s lets NEWNET run", actions[i]);
      run_seccomp (c);
      ok (clone_closed (c) && runs_with (c, "clone", 0, SIGCHLD_ONLY),
          "%s: clone tightened, the added rule keeps the action", actions[i]);
      json_free (c);
    }

  /* A condition on the wrong argument does not pin the flags; the added rule
     keeps it (AND) and adds the mask.  */
  c = with_rules ("[{\"names\": [\"clone\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": ["
                  "{\"index\": 1, \"value\": 2114060288, \"valueTwo\": 0, "
                  "\"op\": \"SCMP_CMP_MASKED_EQ\"}]}]");
  run_seccomp (c);
  ok (clone_closed (c) && runs_with (c, "clone", 0, SIGCHLD_ONLY),
      "condition on the wrong index: tightened");
  ok (rule_count (c) == 2,
      "condition on the wrong index: the rule replaced by one with both conditions");
  json_free (c);

  /* MASKED_EQ whose mask misses CLONE_NEWUSER: the mask is completed.  */
  c = with_rules ("[{\"names\": [\"clone\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": ["
                  "{\"index\": 0, \"value\": 1845624832, \"valueTwo\": 0, "
                  "\"op\": \"SCMP_CMP_MASKED_EQ\"}]}]");
  ok (runs_with (c, "clone", 0, NEWUSER), "before: mask without NEWUSER lets it run");
  run_seccomp (c);
  ok (clone_closed (c) && runs_with (c, "clone", 0, SIGCHLD_ONLY),
      "MASKED_EQ missing a flag: completed");
  json_free (c);

  /* A condition that requires a namespace flag: nothing of it is kept.  */
  c = with_rules ("[{\"names\": [\"clone\", \"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": ["
                  "{\"index\": 0, \"value\": 268435456, \"op\": \"SCMP_CMP_GE\"}]}]");
  run_seccomp (c);
  ok (clone_closed (c) && rule_count (c) == 2, "clone GE NEWUSER: dropped, nothing added for it");
  json_free (c);

  /* clone3: taken out of allow rules; ENOSYS added when nothing names it.  */
  c = with_rules ("[{\"names\": [\"clone3\", \"read\"], \"action\": \"SCMP_ACT_ALLOW\"}]");
  run_seccomp (c);
  ok (!runs_with (c, "clone3", 0, 0), "clone3 in an allow rule: removed");
  json_value *last = NULL;
  spec_get (c, "linux.seccomp.syscalls", JSON_ARRAY, &syscalls);
  last = syscalls->u.array.items[syscalls->u.array.len - 1];
  json_value *errno_ret = json_object_get (last, "errnoRet");
  ok (strcmp (json_object_get (last, "action")->u.string.s, "SCMP_ACT_ERRNO") == 0
          && errno_ret != NULL && errno_ret->u.number.i == 38,
      "clone3: Docker's ENOSYS rule appended");
  json_free (c);
  c = with_rules ("[{\"names\": [\"clone3\"], \"action\": \"SCMP_ACT_LOG\", \"args\": ["
                  "{\"index\": 1, \"value\": 88, \"op\": \"SCMP_CMP_EQ\"}]},"
                  " {\"names\": [\"clone3\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 1}]");
  run_seccomp (c);
  ok (!runs_with (c, "clone3", 1, 88) && rule_count (c) == 1,
      "clone3 with conditions in a LOG rule: removed; an ERRNO rule names it, nothing added");
  json_free (c);
}

static bool
lists_arch (const json_value *c, const char *arch)
{
  json_value *a = NULL;
  if (spec_get (c, "linux.seccomp.architectures", JSON_ARRAY, &a) != SPEC_OK)
    return false;
  for (size_t i = 0; i < a->u.array.len; i++)
    if (strcmp (a->u.array.items[i]->u.string.s, arch) == 0)
      return true;
  return false;
}

static void
test_socket (void)
{
  json_value *c;

  c = with_rules ("[{\"names\": [\"socket\", \"read\"], \"action\": \"SCMP_ACT_ALLOW\"}]");
  ok (runs_with (c, "socket", 0, 40), "before: socket without condition lets AF_VSOCK run");
  run_seccomp (c);
  expect_accepted ("socket without condition");
  ok (vsock_closed (c), "socket without condition: AF_VSOCK closed, whatever the upper bits");
  ok (families_open (c), "socket without condition: every other family 0-63 still runs");
  ok (!lists_arch (c, "SCMP_ARCH_X86") && lists_arch (c, "SCMP_ARCH_X86_64")
          && lists_arch (c, "SCMP_ARCH_X32"),
      "socket allowed: SCMP_ARCH_X86 (socketcall) removed, x86_64 and x32 kept");
  ok (seccomp_finding (FINDING_TIGHTENED, "linux.seccomp.architectures", "socketcall") != NULL,
      "the architecture's removal recorded");
  json_free (c);

  /* NE 40 is what runc compares in 64 bits; 0x100000028 passes it.  */
  c = with_rules ("[{\"names\": [\"socket\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": ["
                  "{\"index\": 0, \"value\": 40, \"op\": \"SCMP_CMP_NE\"}]}]");
  ok (runs_with (c, "socket", 0, UINT64_C (0x100000028)), "before: NE 40 lets 0x100000028 run");
  run_seccomp (c);
  ok (vsock_closed (c) && families_open (c), "socket NE 40: rewritten");
  json_free (c);

  /* Families pinned already: left alone (EQ 2 with a type condition).  */
  c = with_rules ("[{\"names\": [\"socket\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": ["
                  "{\"index\": 0, \"value\": 2, \"op\": \"SCMP_CMP_EQ\"},"
                  "{\"index\": 1, \"value\": 1, \"op\": \"SCMP_CMP_EQ\"}]}]");
  run_seccomp (c);
  ok (seccomp_finding (FINDING_TIGHTENED, "linux.seccomp.syscalls[0].names", "socket") == NULL
          && runs_with (c, "socket", 0, 2) && !runs_with (c, "socket", 0, 10),
      "socket pinned to AF_INET: left alone");
  json_free (c);

  /* A type condition is kept beside the family pins (AND).  */
  c = with_rules ("[{\"names\": [\"socket\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": ["
                  "{\"index\": 1, \"value\": 2, \"op\": \"SCMP_CMP_EQ\"}]}]");
  run_seccomp (c);
  json_value *syscalls = NULL;
  spec_get (c, "linux.seccomp.syscalls", JSON_ARRAY, &syscalls);
  bool kept = true;
  for (size_t i = 0; i < syscalls->u.array.len; i++)
    {
      json_value *args = json_object_get (syscalls->u.array.items[i], "args");
      const json_value *n0 = json_object_get (syscalls->u.array.items[i], "names");
      if (strcmp (n0->u.array.items[0]->u.string.s, "socket") == 0)
        kept = kept && args != NULL && args->u.array.len == 2;
    }
  ok (vsock_closed (c) && kept, "socket with a type condition: kept in every added rule");
  json_free (c);

  /* socketcall alone on the 32-bit architecture: its family is in memory.  */
  c = with_rules ("[{\"names\": [\"socketcall\"], \"action\": \"SCMP_ACT_ALLOW\"}]");
  run_seccomp (c);
  ok (!lists_arch (c, "SCMP_ARCH_X86"), "socketcall allowed: SCMP_ARCH_X86 removed");
  json_free (c);

  /* Without socket or socketcall, the 32-bit architecture stays.  */
  c = with_rules ("[{\"names\": [\"read\", \"socketpair\"], \"action\": \"SCMP_ACT_ALLOW\"}]");
  run_seccomp (c);
  ok (lists_arch (c, "SCMP_ARCH_X86") && runs_with (c, "socketpair", 0, 40),
      "no socket: SCMP_ARCH_X86 kept; socketpair (AF_VSOCK has none) left alone");
  json_free (c);

  c = edited ("linux.seccomp.architectures", "[\"SCMP_ARCH_X86_64\", \"SCMP_ARCH_RISCV64\"]");
  run_seccomp (c);
  expect_violation ("unknown architecture", "seccomp", "linux.seccomp.architectures[1]",
                    "remove --security-opt seccomp=... (Docker's default profile holds the floor)",
                    "not an architecture runc knows");
  json_free (c);
}

/* Cost: one name repeated many times is one pass and one finding.  */
static void
test_linear (void)
{
  const size_t n = 50000;
  size_t cap = n * 10 + 128, len = 0;
  char *rules = xmalloc (cap);
  len += (size_t)snprintf (rules + len, cap - len, "[{\"names\": [\"read\"");
  for (size_t i = 0; i < n; i++)
    len += (size_t)snprintf (rules + len, cap - len, ", \"ptrace\"");
  snprintf (rules + len, cap - len, "], \"action\": \"SCMP_ACT_ALLOW\"}]");
  json_value *c = with_rules (rules);
  free (rules);
  run_seccomp (c);
  size_t findings = 0;
  for (size_t i = 0; i < verdict.len; i++)
    findings += strcmp (verdict.items[i].field, "linux.seccomp.syscalls[0].names") == 0;
  ok (findings == 1 && names_in_rule (c, 0) == 1
          && seccomp_finding (FINDING_TIGHTENED, "linux.seccomp.syscalls[0].names", "50000 names")
                 != NULL,
      "ptrace repeated 50000 times: removed in one finding that counts them");
  json_free (c);
}

static void
test_docker_profile (void)
{
  json_value *c = load_docker ("doc-flags-user");
  size_t rules_before = rule_count (c);
  size_t first_before = names_in_rule (c, 0);
  ok (allowed_anywhere (c, "ptrace") && allowed_anywhere (c, "io_uring_setup"),
      "Docker's profile allows ptrace and io_uring_setup as captured");
  ok (runs_with (c, "socket", 0, 40), "Docker 20.10's profile lets AF_VSOCK run as captured");
  run_seccomp (c);
  expect_accepted ("Docker's default profile");
  ok (seccomp_finding (FINDING_TIGHTENED, "linux.seccomp.syscalls", "clone") == NULL
          && find_finding (&verdict, FINDING_TIGHTENED, "seccomp", NULL) != NULL && clone_closed (c)
          && runs_with (c, "clone", 0, SIGCHLD_ONLY) && !runs_with (c, "clone3", 0, 0),
      "Docker profile: its clone and clone3 rules are left as they are");
  for (size_t i = 0; i < verdict.len; i++)
    if (strstr (verdict.items[i].detail, "clone") != NULL)
      ok (0, "Docker profile: unexpected clone finding: %s", verdict.items[i].detail);
  ok (vsock_closed (c) && families_open (c), "Docker profile: AF_VSOCK closed");
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
  ok (rule_count (c) == rules_before - 1 + 5,
      "Docker profile: the ptrace-only rule removed, socket's five added");
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

/* ---- harden mode --------------------------------------------------------- */

/* floor_harden_seccomp, then the rule over the result, into verdict.  */
static void
harden_seccomp (json_value *config)
{
  verdict_free (&verdict);
  struct floor_ctx ctx = { .config = config,
                           .policy = &test_policy,
                           .host = &test_host,
                           .verdict = &verdict,
                           .field_prefix = "" };
  floor_harden_seccomp (&ctx);
  floor_check_seccomp (&ctx);
}

/* floor_harden_seccomp alone.  */
static void
harden_only (json_value *config)
{
  verdict_free (&verdict);
  struct floor_ctx ctx = { .config = config,
                           .policy = &test_policy,
                           .host = &test_host,
                           .verdict = &verdict,
                           .field_prefix = "" };
  floor_harden_seccomp (&ctx);
}

static char *
serialized (const json_value *v)
{
  char *out = NULL, *err = NULL;
  size_t len = 0;
  if (json_write (v, &out, &len, &err) < 0)
    {
      printf ("Bail out! cannot write JSON: %s\n", err);
      exit (1);
    }
  return out;
}

static size_t
tightened_count (void)
{
  size_t n = 0;
  for (size_t i = 0; i < verdict.len; i++)
    n += verdict.items[i].kind == FINDING_TIGHTENED;
  return n;
}

/* Hardening again changes nothing and finds nothing.  */
static void
expect_idempotent (const char *name, json_value *c)
{
  cleanup_free char *before = serialized (c);
  harden_seccomp (c);
  cleanup_free char *after = serialized (c);
  ok (strcmp (before, after) == 0 && verdict.len == 0, "%s: hardening again changes nothing", name);
  if (verdict.len != 0)
    print_verdict (&verdict);
}

/* The generated profile's shape, and that it holds the floor as runc
   would load it.  */
static void
expect_generated (const char *name, json_value *c)
{
  json_value *sc = NULL;
  ok (spec_get (c, "linux.seccomp", JSON_OBJECT, &sc) == SPEC_OK, "%s: a profile", name);
  if (sc == NULL)
    return;
  const char *def = NULL;
  const json_value *def_errno = json_object_get (sc, "defaultErrnoRet");
  ok (spec_get_string (sc, "defaultAction", &def) == SPEC_OK && strcmp (def, "SCMP_ACT_ERRNO") == 0
          && def_errno != NULL && def_errno->u.number.i == 1,
      "%s: default SCMP_ACT_ERRNO with EPERM", name);
  if (seccomp_arch_native () == SCMP_ARCH_X86_64)
    {
      cleanup_free char *arches = serialized (json_object_get (sc, "architectures"));
      ok (strcmp (arches, "[\"SCMP_ARCH_X86_64\",\"SCMP_ARCH_X32\"]") == 0,
          "%s: x86_64 and x32 (x86 multiplexes socket): %s", name, arches);
    }
  ok (rule_count (c) == 4, "%s: four rules (every name, clone, socket, clone3)", name);
  size_t n = names_in_rule (c, 0);
  ok (n > 250, "%s: the first rule names %zu calls", name, n);
  static const char *const runs[] = { "read",       "write", "execve", "openat", "mmap",
                                      "exit_group", "fork",  "wait4",  "futex",  "personality" };
  for (size_t i = 0; i < sizeof runs / sizeof runs[0]; i++)
    ok (allowed_anywhere (c, runs[i]), "%s: %s runs", name, runs[i]);
  for (size_t i = 0; i < test_policy.syscall_denylist.len; i++)
    if (allowed_anywhere (c, test_policy.syscall_denylist.items[i]))
      ok (0, "%s: deny-listed %s allowed", name, test_policy.syscall_denylist.items[i]);
  ok (!allowed_anywhere (c, "io_uring_setup") && !allowed_anywhere (c, "clone3")
          && !runs_with (c, "clone3", 0, 0),
      "%s: io_uring and clone3 do not run", name);
  ok (clone_closed (c) && runs_with (c, "clone", 0, SIGCHLD_ONLY)
          && runs_with (c, "clone", 0, THREAD_FLAGS),
      "%s: clone runs only without namespace flags", name);
  ok (vsock_closed (c) && families_open (c), "%s: socket runs for every family but AF_VSOCK", name);
  json_value *syscalls = json_object_get (sc, "syscalls");
  const json_value *last = syscalls->u.array.items[syscalls->u.array.len - 1];
  cleanup_free char *clone3 = serialized (last);
  ok (strcmp (clone3, "{\"names\":[\"clone3\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":38}")
          == 0,
      "%s: clone3 fails with ENOSYS: %s", name, clone3);
  struct seccomp_bpf bpf = { 0 };
  cleanup_free char *err = NULL;
  ok (seccomp_bpf_compile (sc, &bpf, &err) == 0 && bpf.skipped == 0,
      "%s: libseccomp loads it as runc does (%s)", name, err ? err : "no error");
  seccomp_bpf_free (&bpf);
}

static void
test_harden_generated (void)
{
  json_value *c = load_ok_config ();
  json_object_remove (json_object_get (c, "linux"), "seccomp");
  harden_seccomp (c);
  expect_accepted ("harden, seccomp absent");
  ok (tightened_count () == 1
          && seccomp_finding (FINDING_TIGHTENED, "linux.seccomp",
                              "was absent (no system call filter); now a generated profile")
                 != NULL,
      "harden, seccomp absent: one finding names the generated profile, the rule changes "
      "nothing in it");
  print_verdict (&verdict);
  expect_generated ("generated", c);
  cleanup_free char *text = serialized (json_object_get (json_object_get (c, "linux"), "seccomp"));
  diag ("generated profile: %zu bytes", strlen (text));
  ok (strlen (text) < 8192, "the generated profile is compact (%zu bytes)", strlen (text));
  expect_idempotent ("generated", c);
  json_free (c);

  c = edited ("linux.seccomp", "null");
  harden_seccomp (c);
  expect_accepted ("harden, seccomp null");
  ok (seccomp_finding (FINDING_TIGHTENED, "linux.seccomp", "was null") != NULL,
      "harden, seccomp null: the generated profile recorded");
  json_free (c);

  /* No linux object at all.  */
  c = load_ok_config ();
  json_object_remove (c, "linux");
  harden_seccomp (c);
  expect_accepted ("harden, no linux object");
  json_free (c);

  /* Docker's --security-opt seccomp=unconfined.  */
  c = load_docker ("seccomp-unconfined");
  harden_seccomp (c);
  expect_accepted ("harden, docker seccomp=unconfined");
  expect_generated ("docker unconfined", c);
  json_free (c);

  /* The policy's own deny-list: socket and clone deny-listed get no rule,
     and a name the default list lets run is taken out.  */
  struct string_list saved = test_policy.syscall_denylist;
  static char *own[] = { "clone", "socket", "personality" };
  test_policy.syscall_denylist = (struct string_list){ .items = own, .len = 3 };
  c = edited ("linux.seccomp", "null");
  harden_seccomp (c);
  expect_accepted ("harden, own deny-list");
  ok (!allowed_anywhere (c, "clone") && !allowed_anywhere (c, "socket")
          && !allowed_anywhere (c, "personality") && allowed_anywhere (c, "read")
          && rule_count (c) == 2,
      "own deny-list: clone, socket and personality left out");
  ok (allowed_anywhere (c, "mount") && !allowed_anywhere (c, "io_uring_setup"),
      "own deny-list: mount runs (not listed), io_uring never generated");
  json_free (c);
  test_policy.syscall_denylist = saved;
}

/* What the rule accepts comes out of harden byte-identical.  */
static void
test_harden_unchanged (void)
{
  static const char *const docker[] = { "doc-flags-user" };
  for (size_t i = 0; i < sizeof docker / sizeof docker[0]; i++)
    {
      json_value *c = load_docker (docker[i]);
      cleanup_free char *before = serialized (c);
      harden_only (c);
      cleanup_free char *after = serialized (c);
      ok (strcmp (before, after) == 0 && verdict.len == 0, "harden leaves Docker's %s as it is",
          docker[i]);
      json_free (c);
    }
  json_value *c = edited (NULL, NULL);
  cleanup_free char *before = serialized (c);
  harden_only (c);
  cleanup_free char *after = serialized (c);
  ok (strcmp (before, after) == 0 && verdict.len == 0, "harden leaves the fixture as it is");
  json_free (c);
}

static void
test_harden_default (void)
{
  /* A deny-list style profile: everything runs but what the rules stop.  */
  json_value *c = edited (
      "linux.seccomp", "{\"defaultAction\": \"SCMP_ACT_ALLOW\","
                       " \"architectures\": [\"SCMP_ARCH_X86_64\", \"SCMP_ARCH_X86\"],"
                       " \"syscalls\": [{\"names\": [\"personality\"], \"action\": "
                       "\"SCMP_ACT_ERRNO\", \"errnoRet\": 22},"
                       " {\"names\": [\"keyctl\", \"getpid\"], \"action\": \"SCMP_ACT_ALLOW\"}]}");
  harden_seccomp (c);
  expect_accepted ("harden, default ALLOW");
  print_verdict (&verdict);
  const char *def = NULL;
  spec_get_string (c, "linux.seccomp.defaultAction", &def);
  ok (def != NULL && strcmp (def, "SCMP_ACT_ERRNO") == 0, "default ALLOW: now SCMP_ACT_ERRNO");
  ok (seccomp_finding (FINDING_TIGHTENED, "linux.seccomp.defaultAction",
                       "was \"SCMP_ACT_ALLOW\" (every call not listed would run); now "
                       "SCMP_ACT_ERRNO")
          != NULL,
      "default ALLOW: the change recorded");
  ok (!allowed_anywhere (c, "personality") && !allowed_anywhere (c, "keyctl")
          && allowed_anywhere (c, "getpid") && allowed_anywhere (c, "read"),
      "default ALLOW: the caller's ERRNO rule still decides personality, keyctl is gone, the "
      "rest runs");
  ok (clone_closed (c) && runs_with (c, "clone", 0, SIGCHLD_ONLY) && vsock_closed (c)
          && families_open (c),
      "default ALLOW: clone and socket pinned");
  ok (!lists_arch (c, "SCMP_ARCH_X86") && lists_arch (c, "SCMP_ARCH_X86_64"),
      "default ALLOW: x86 taken out by the rule");
  json_value *first = NULL;
  spec_get (c, "linux.seccomp.syscalls", JSON_ARRAY, &first);
  cleanup_free char *rule0 = serialized (first->u.array.items[0]);
  ok (strcmp (rule0, "{\"names\":[\"personality\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":22}")
          == 0,
      "default ALLOW: the caller's rule kept as written");
  expect_idempotent ("default ALLOW", c);
  json_free (c);

  /* A rule that denies clone only with CLONE_NEWUSER: clone still gets its
     pinned rule beside it (fork keeps working), and libseccomp loads both.  */
  c = edited ("linux.seccomp",
              "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"clone\"], "
              "\"action\": \"SCMP_ACT_ERRNO\", \"args\": [{\"index\": 0, \"value\": 268435456, "
              "\"valueTwo\": 268435456, \"op\": \"SCMP_CMP_MASKED_EQ\"}]}]}");
  harden_seccomp (c);
  expect_accepted ("harden, default ALLOW, clone denied with CLONE_NEWUSER");
  ok (clone_closed (c) && runs_with (c, "clone", 0, SIGCHLD_ONLY) && rule_count (c) == 5,
      "conditional clone rule: clone runs without namespace flags, by a pinned rule");
  struct seccomp_bpf bpf = { 0 };
  cleanup_free char *err = NULL;
  ok (seccomp_bpf_compile (json_object_get (json_object_get (c, "linux"), "seccomp"), &bpf, &err)
          == 0,
      "conditional clone rule: libseccomp loads the result (%s)", err ? err : "no error");
  seccomp_bpf_free (&bpf);
  expect_idempotent ("conditional clone rule", c);
  json_free (c);

  c = edited ("linux.seccomp", "{\"defaultAction\": \"SCMP_ACT_LOG\"}");
  harden_seccomp (c);
  expect_accepted ("harden, default LOG");
  json_value *syscalls = NULL;
  spec_get (c, "linux.seccomp.syscalls", JSON_ARRAY, &syscalls);
  const char *action = NULL;
  spec_get_string (syscalls->u.array.items[0], "action", &action);
  ok (action != NULL && strcmp (action, "SCMP_ACT_LOG") == 0 && rule_count (c) == 4,
      "default LOG: the other calls still run logged");
  expect_idempotent ("default LOG", c);
  json_free (c);
}

static void
test_harden_replaced (void)
{
  static const struct
  {
    const char *name, *profile, *said;
  } cases[] = {
    { "default NOTIFY", "{\"defaultAction\": \"SCMP_ACT_NOTIFY\"}", "defaultAction was" },
    { "default unknown", "{\"defaultAction\": \"SCMP_ACT_MAYBE\"}", "not a known seccomp action" },
    { "default absent", "{\"syscalls\": []}", "defaultAction was absent" },
    { "listener", "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"listenerPath\": \"/run/agent.sock\"}",
      "listenerPath was \"/run/agent.sock\"" },
    { "notify rule",
      "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"mount\"], "
      "\"action\": \"SCMP_ACT_NOTIFY\"}]}",
      "syscalls[0].action was \"SCMP_ACT_NOTIFY\"" },
    { "unknown architecture",
      "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"architectures\": [\"SCMP_ARCH_PDP11\"]}",
      "architectures[0] was \"SCMP_ARCH_PDP11\"" },
    { "unknown flag", "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"flags\": [\"FLAG_X\"]}",
      "flags[0] was \"FLAG_X\"" },
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    {
      json_value *c = edited ("linux.seccomp", cases[i].profile);
      harden_seccomp (c);
      expect_accepted (cases[i].name);
      ok (tightened_count () == 1
              && seccomp_finding (FINDING_TIGHTENED, "linux.seccomp", cases[i].said) != NULL
              && seccomp_finding (FINDING_TIGHTENED, "linux.seccomp", "now a generated profile")
                     != NULL,
          "%s: replaced by the generated profile, and said why", cases[i].name);
      if (i == 0)
        expect_generated (cases[i].name, c);
      expect_idempotent (cases[i].name, c);
      json_free (c);
    }

  /* SPEC_ALLOW is taken out, the rest of the profile kept.  */
  json_value *c = edited (NULL, NULL);
  set_json (c, "linux.seccomp.flags",
            "[\"SECCOMP_FILTER_FLAG_LOG\", \"SECCOMP_FILTER_FLAG_SPEC_ALLOW\"]");
  json_value *expected = edited (NULL, NULL);
  set_json (expected, "linux.seccomp.flags", "[\"SECCOMP_FILTER_FLAG_LOG\"]");
  harden_only (c);
  cleanup_free char *got = serialized (c), *want = serialized (expected);
  ok (strcmp (got, want) == 0 && verdict.len == 1
          && seccomp_finding (FINDING_TIGHTENED, "linux.seccomp.flags[1]",
                              "SECCOMP_FILTER_FLAG_SPEC_ALLOW")
                 != NULL,
      "SPEC_ALLOW: removed, nothing else changed");
  harden_seccomp (c);
  expect_accepted ("SPEC_ALLOW removed");
  json_free (c);
  json_free (expected);
}

/* What cannot be read is left for the rule to refuse, untouched.  */
static void
test_harden_refused (void)
{
  static const struct
  {
    const char *path, *literal, *field;
  } cases[] = {
    { "linux.seccomp", "[]", "linux.seccomp" },
    { "linux.seccomp.defaultAction", "7", "linux.seccomp.defaultAction" },
    { "linux.seccomp.syscalls", "[{\"names\": [7], \"action\": \"SCMP_ACT_ALLOW\"}]",
      "linux.seccomp.syscalls[0].names" },
    { "linux.seccomp.syscalls", "[{\"names\": [\"read\"], \"action\": null}]",
      "linux.seccomp.syscalls[0].action" },
    { "linux.seccomp.flags", "[null]", "linux.seccomp.flags[0]" },
    { "linux", "null", "linux" },
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    {
      json_value *c = edited (cases[i].path, cases[i].literal);
      /* A permissive default too: it is not rewritten when a part is
         unreadable.  */
      if (strcmp (cases[i].path, "linux") != 0 && strcmp (cases[i].literal, "[]") != 0
          && strcmp (cases[i].path, "linux.seccomp.defaultAction") != 0)
        set_json (c, "linux.seccomp.defaultAction", "\"SCMP_ACT_ALLOW\"");
      cleanup_free char *before = serialized (c);
      harden_only (c);
      cleanup_free char *after = serialized (c);
      ok (strcmp (before, after) == 0 && verdict.len == 0, "unreadable %s: left as it is",
          cases[i].field);
      harden_seccomp (c);
      ok (exact_finding (FINDING_VIOLATION, "seccomp", cases[i].field) != NULL,
          "unreadable %s: still refused", cases[i].field);
      json_free (c);
    }
}

int
main (void)
{
  floor_test_init ();
  test_profile ();
  test_tightening ();
  test_clone ();
  test_socket ();
  test_linear ();
  test_docker_profile ();
  test_harden_generated ();
  test_harden_unchanged ();
  test_harden_default ();
  test_harden_replaced ();
  test_harden_refused ();
  verdict_free (&verdict);
  policy_free (&test_policy);
  return done_testing ();
}
