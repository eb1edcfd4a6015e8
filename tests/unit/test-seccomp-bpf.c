/* seccomp-bpf.c: the container's profile compiled into the BPF program the
   exec loader installs under gVisor.  Docker's real profile compiles (as
   captured and as the floor leaves it); a small profile, loaded in a child,
   denies with its own errno, joins repeated conditions on one argument with
   OR and others with AND, and lets the rest run; what runc would refuse is
   refused.  */
#include "config.h"

#include "floor-helpers.h"

#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "seccomp-bpf.h"

static json_value *
seccomp_of (json_value *config)
{
  json_value *s = NULL;
  if (spec_get (config, "linux.seccomp", JSON_OBJECT, &s) != SPEC_OK)
    {
      printf ("Bail out! the fixture has no linux.seccomp\n");
      exit (1);
    }
  return s;
}

static void
test_docker_profile (void)
{
  cleanup_json json_value *c = load_docker ("doc-flags-user");
  struct seccomp_bpf b;
  cleanup_free char *err = NULL;
  int r = seccomp_bpf_compile (seccomp_of (c), &b, &err);
  ok (r == 0, "Docker's profile as captured compiles (%s)", err ? err : "ok");
  ok (b.len > 0 && b.len % sizeof (struct sock_filter) == 0
          && b.len / sizeof (struct sock_filter) <= BPF_MAXINSNS,
      "Docker's profile: %zu whole instructions", b.len / sizeof (struct sock_filter));
  diag ("Docker's profile: %zu names this libseccomp does not know, skipped", b.skipped);
  ok (b.skipped < 20, "Docker's profile: libseccomp knows nearly every name (%zu skipped)",
      b.skipped);
  size_t captured_len = b.len;
  cleanup_free char *hex = seccomp_bpf_hex (&b);
  ok (strlen (hex) == 2 * b.len && strspn (hex, "0123456789abcdef") == strlen (hex),
      "the program in hex: two lower-case digits per byte");
  unsigned first = 0;
  sscanf (hex, "%2x", &first);
  ok (first == b.program[0], "hex keeps memory order");
  seccomp_bpf_free (&b);

  /* As the floor leaves it: clone3 and socket rules changed, SCMP_ARCH_X86
     taken out.  */
  floor_test_init ();
  verdict_free (&verdict);
  struct floor_ctx ctx = {
    .config = c, .policy = &test_policy, .host = &test_host, .verdict = &verdict, .field_prefix = ""
  };
  floor_check_seccomp (&ctx);
  free (err);
  err = NULL;
  r = seccomp_bpf_compile (seccomp_of (c), &b, &err);
  ok (r == 0 && b.len > 0, "Docker's profile as the floor leaves it compiles (%s)",
      err ? err : "ok");
  ok (b.len != captured_len, "the floor's changes are in the program (%zu vs %zu bytes)", b.len,
      captured_len);
  seccomp_bpf_free (&b);
  verdict_free (&verdict);
  policy_free (&test_policy);
}

/* Default ALLOW (so the child can report), getpgid denied with 77 for two
   pids (conditions repeated on arg 0: OR), kill denied with 79 only for
   pid 99999 AND signal 0, an unknown name skipped, a rule repeating the
   default skipped.  */
static const char *const tiny_profile
    = "{\"defaultAction\": \"SCMP_ACT_ALLOW\","
      " \"architectures\": [\"SCMP_ARCH_X86_64\", \"SCMP_ARCH_X32\"],"
      " \"syscalls\": ["
      "  {\"names\": [\"getpgid\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 77,"
      "   \"args\": [{\"index\": 0, \"value\": 12345, \"op\": \"SCMP_CMP_EQ\"},"
      "              {\"index\": 0, \"value\": 23456, \"op\": \"SCMP_CMP_EQ\"}]},"
      "  {\"names\": [\"kill\", \"no_such_call_policyrun\"], \"action\": \"SCMP_ACT_ERRNO\","
      "   \"errnoRet\": 79,"
      "   \"args\": [{\"index\": 0, \"value\": 99999, \"op\": \"SCMP_CMP_EQ\"},"
      "              {\"index\": 1, \"value\": 0, \"op\": \"SCMP_CMP_EQ\"}]},"
      "  {\"names\": [\"getppid\"], \"action\": \"SCMP_ACT_ALLOW\"},"
      "  {\"names\": [\"acct\"], \"action\": \"SCMP_ACT_ERRNO\"}"
      " ]}";

static int
fails_with (long r, int e)
{
  return r == -1 && errno == e;
}

/* In a child: load the program, then exit 0 when every call behaves, else
   the number of the first that does not.  */
static int
child_checks (const struct seccomp_bpf *b)
{
  struct sock_fprog prog = { .len = (unsigned short)(b->len / sizeof (struct sock_filter)),
                             .filter = (struct sock_filter *)b->program };
  if (prctl (PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0
      || syscall (SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0)
    return 1;
  if (!fails_with (syscall (SYS_getpgid, 12345), 77))
    return 2;
  if (!fails_with (syscall (SYS_getpgid, 23456), 77))
    return 3;
  if (syscall (SYS_getpgid, 0) < 0)
    return 4;
  if (!fails_with (syscall (SYS_kill, 99999, 0), 79))
    return 5;
  if (!fails_with (syscall (SYS_kill, 99999, SIGCONT), ESRCH))
    return 6;
  if (!fails_with (syscall (SYS_acct, NULL), EPERM))
    return 7;
  if (syscall (SYS_getppid) <= 0)
    return 8;
  return 0;
}

static void
test_tiny_profile_loaded (void)
{
  cleanup_json json_value *p = parse_json (tiny_profile);
  struct seccomp_bpf b;
  cleanup_free char *err = NULL;
  int r = seccomp_bpf_compile (p, &b, &err);
  ok (r == 0, "the small profile compiles (%s)", err ? err : "ok");
  is_str (r == 0 && b.skipped == 1 ? "1" : "not 1", "1", "one unknown name skipped");
  if (r != 0)
    return;
  pid_t pid = fork ();
  if (pid == 0)
    _exit (child_checks (&b));
  int status = 0;
  waitpid (pid, &status, 0);
  ok (WIFEXITED (status) && WEXITSTATUS (status) == 0,
      "loaded in a child: denied calls fail with the profile's errno (OR on one argument, "
      "AND across arguments), others run (child status %d)",
      WIFEXITED (status) ? WEXITSTATUS (status) : -WTERMSIG (status));
  seccomp_bpf_free (&b);
}

static void
expect_refused (const char *name, const char *profile, const char *detail_part)
{
  cleanup_json json_value *p = parse_json (profile);
  struct seccomp_bpf b;
  cleanup_free char *err = NULL;
  int r = seccomp_bpf_compile (p, &b, &err);
  ok (r < 0 && b.program == NULL, "%s: refused", name);
  has_str (err, detail_part, "%s: reason", name);
  seccomp_bpf_free (&b);
}

static void
test_refused (void)
{
  expect_refused ("notify default", "{\"defaultAction\": \"SCMP_ACT_NOTIFY\"}", "NOTIFY");
  expect_refused ("no default", "{\"syscalls\": []}", "defaultAction");
  expect_refused ("listener", "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"listenerPath\": \"/x\"}",
                  "listener");
  expect_refused ("unknown architecture",
                  "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"architectures\": [\"SCMP_ARCH_VAX\"]}",
                  "architectures[0]");
  expect_refused ("unknown operator",
                  "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"read\"],"
                  " \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 0, \"value\": 1,"
                  " \"op\": \"SCMP_CMP_ALMOST\"}]}]}",
                  "condition");
  expect_refused ("argument index 6",
                  "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"read\"],"
                  " \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 6, \"value\": 1,"
                  " \"op\": \"SCMP_CMP_EQ\"}]}]}",
                  "condition");
  expect_refused ("empty name",
                  "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"\"],"
                  " \"action\": \"SCMP_ACT_ALLOW\"}]}",
                  "names[0]");
  expect_refused ("negative errnoRet",
                  "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": -1}",
                  "defaultErrnoRet");
  expect_refused ("not a profile", "null", "no seccomp profile");
}

int
main (void)
{
  test_docker_profile ();
  test_tiny_profile_loaded ();
  test_refused ();
  return done_testing ();
}
