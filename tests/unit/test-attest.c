/* attest.c: the gVisor sandbox's attestation, against a fake /proc/PID
   (status, cgroup, net/dev, ns/) and a fake cgroup tree described by a fake
   mountinfo.  The whole function against a real runsc sandbox is tested by
   the integration tests.  */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "attest.h"
#include "policy.h"
#include "tap.h"
#include "util.h"

static char *tmp;   /* scratch directory */
static char *proc;  /* tmp/proc: the sandbox's /proc/PID */
static char *cg;    /* tmp/cg: cgroup mounts */
static char *mi;    /* tmp/mountinfo */
static char *other; /* tmp/other-userns: a user namespace that is not the sandbox's */
static struct attest_ceilings ceilings;

static void
bail (const char *what, const char *path)
{
  printf ("Bail out! %s %s: %s\n", what, path, strerror (errno));
  exit (1);
}

static void
put (const char *rel, const char *text)
{
  cleanup_free char *path = xasprintf ("%s/%s", tmp, rel);
  FILE *f = fopen (path, "we");
  if (f == NULL || fputs (text, f) < 0 || fclose (f) != 0)
    bail ("cannot write", path);
}

static void
dir (const char *rel)
{
  cleanup_free char *path = xasprintf ("%s/%s", tmp, rel);
  if (mkdir (path, 0700) < 0 && errno != EEXIST)
    bail ("cannot mkdir", path);
}

static void
gone (const char *rel)
{
  cleanup_free char *path = xasprintf ("%s/%s", tmp, rel);
  if (unlink (path) < 0 && errno != ENOENT)
    bail ("cannot unlink", path);
}

static void
link_to (const char *rel, const char *target)
{
  gone (rel);
  cleanup_free char *path = xasprintf ("%s/%s", tmp, rel);
  if (symlink (target, path) < 0)
    bail ("cannot symlink", path);
}

static const char good_status[] = "Name:\trunsc-sandbox\nUmask:\t0022\nState:\tS (sleeping)\n"
                                  "Uid:\t65534\t65534\t65534\t65534\n"
                                  "Gid:\t65534\t65534\t65534\t65534\nGroups:\t\n";
static const char only_lo[]
    = "Inter-|   Receive\n face |bytes    packets\n    lo:       0       0    0    0\n";

/* cgroup v1 as on this host (hybrid: an empty cgroup2 beside), the sandbox
   in /sbx, within the floor.  */
static void
v1_host (void)
{
  static const char *const dirs[]
      = { "proc",      "proc/net",      "proc/ns",        "cg",
          "cg/memory", "cg/memory/sbx", "cg/cpu,cpuacct", "cg/cpu,cpuacct/sbx",
          "cg/pids",   "cg/pids/sbx",   "cg/unified",     "cg/unified/sbx",
          "cg/pids x", "cg/pids x/sbx" };
  for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++)
    dir (dirs[i]);
  put ("proc/status", good_status);
  put ("proc/net/dev", only_lo);
  put ("proc/ns/net", "not the host's network namespace\n");
  put ("proc/ns/user", "the sandbox's user namespace\n");
  put ("other-userns", "policyrun's user namespace\n");
  put ("proc/cgroup", "9:name=systemd:/sbx\n8:pids:/sbx\n4:memory:/sbx\n"
                      "2:cpu,cpuacct:/sbx\n0::/\n");
  put ("cg/memory/sbx/memory.limit_in_bytes", "104857600\n");
  put ("cg/memory/sbx/memory.memsw.limit_in_bytes", "104857600\n");
  put ("cg/cpu,cpuacct/sbx/cpu.cfs_quota_us", "50000\n");
  put ("cg/cpu,cpuacct/sbx/cpu.cfs_period_us", "100000\n");
  put ("cg/pids/sbx/pids.max", "256\n");
  cleanup_free char *text
      = xasprintf ("22 1 0:21 / /proc rw,nosuid - proc proc rw\n"
                   "31 23 0:28 / %s rw - tmpfs tmpfs rw,mode=755\n"
                   "35 31 0:32 / %s/memory rw,relatime - cgroup cgroup rw,memory\n"
                   "32 31 0:29 / %s/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct\n"
                   "39 31 0:36 / %s/pids rw,relatime - cgroup cgroup rw,pids\n"
                   "40 31 0:37 / %s/systemd rw,relatime - cgroup cgroup rw,xattr,name=systemd\n"
                   "41 31 0:38 / %s/unified rw,relatime - cgroup2 cgroup2 rw\n",
                   cg, cg, cg, cg, cg, cg);
  put ("mountinfo", text);
}

/* Only cgroup2, the sandbox in /sbx.  */
static void
v2_host (void)
{
  cleanup_free char *text
      = xasprintf ("41 31 0:38 / %s/unified rw,relatime - cgroup2 cgroup2 rw\n", cg);
  put ("mountinfo", text);
  put ("proc/cgroup", "0::/sbx\n");
  put ("cg/unified/sbx/memory.max", "104857600\n");
  put ("cg/unified/sbx/memory.swap.max", "0\n");
  put ("cg/unified/sbx/cpu.max", "50000 100000\n");
  put ("cg/unified/sbx/pids.max", "512\n");
}

/* Run the attestation; returns its result, *found kept for the caller.  */
static int
attest (char **found, char **err)
{
  cleanup_close int procfd = open (proc, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (procfd < 0)
    bail ("cannot open", proc);
  struct attest_host h = { .mountinfo_path = mi, .userns_path = other };
  return attest_gvisor_sandbox (procfd, &ceilings, &h, found, err);
}

static void
expect_pass (const char *name)
{
  cleanup_free char *found = NULL, *err = NULL;
  int r = attest (&found, &err);
  ok (r == 0, "%s: attested", name);
  if (r != 0)
    diag ("r=%d found=%s err=%s", r, found ? found : "-", err ? err : "-");
}

static void
expect_refused (const char *name, const char *want)
{
  cleanup_free char *found = NULL, *err = NULL;
  int r = attest (&found, &err);
  ok (r == 1, "%s: refused", name);
  if (r != 1)
    diag ("r=%d err=%s", r, err ? err : "-");
  else
    has_str (found, want, "%s: reason", name);
}

static void
expect_error (const char *name, const char *want)
{
  cleanup_free char *found = NULL, *err = NULL;
  int r = attest (&found, &err);
  ok (r == -1, "%s: cannot inspect", name);
  if (r == -1)
    has_str (err, want, "%s: error", name);
  else
    diag ("r=%d found=%s", r, found ? found : "-");
}

static void
test_v1 (void)
{
  v1_host ();
  expect_pass ("v1 within the floor");

  put ("proc/net/dev", "h1\nh2\n    lo: 0 0\n  eth0: 1 2\n");
  expect_refused ("an interface", "network: the sandbox's network namespace has interfaces [eth0]");
  put ("proc/net/dev", only_lo);
  link_to ("proc/ns/net", "/proc/self/ns/net");
  expect_refused ("the host's network namespace",
                  "network: the sandbox runs in the host's network");
  gone ("proc/ns/net");
  put ("proc/ns/net", "not the host's\n");

  put ("proc/status", "Name:\tx\nUid:\t65534\t0\t65534\t65534\nGid:\t1\t1\t1\t1\n");
  expect_refused ("effective uid 0", "user: the sandbox runs with host uids 65534 0 65534 65534");
  put ("proc/status", "Name:\tx\nUid:\t1\t1\t1\t1\nGid:\t1\t1\t1\t0\n");
  expect_refused ("fs gid 0", "user: the sandbox runs with host gids 1 1 1 0");
  put ("proc/status", "Name:\tx\nUid:\t1\t1\t1\nGid:\t1\t1\t1\t1\n");
  expect_error ("a short Uid line", "Uid: line cannot be read");
  put ("proc/status", "Name:\tx\n");
  expect_error ("no Uid line", "has no Uid: line");
  put ("proc/status", good_status);

  link_to ("other-userns", "proc/ns/user");
  expect_refused ("policyrun's user namespace", "namespaces: the sandbox runs in the host's user");
  gone ("other-userns");
  put ("other-userns", "policyrun's\n");

  put ("cg/memory/sbx/memory.limit_in_bytes", "9223372036854771712\n");
  cleanup_free char *want = xasprintf ("memory: the sandbox's %s/memory/sbx/memory.limit_in_bytes "
                                       "is 9223372036854771712, above the floor of 104857600",
                                       cg);
  expect_refused ("memory unlimited", want);
  put ("cg/memory/sbx/memory.limit_in_bytes", "52428800\n");
  expect_refused ("memsw above memory", "memory.memsw.limit_in_bytes is 104857600, not 52428800");
  gone ("cg/memory/sbx/memory.memsw.limit_in_bytes");
  expect_pass ("no swap accounting, memory below the floor");
  put ("cg/memory/sbx/memory.memsw.limit_in_bytes", "52428800\n");
  expect_pass ("memory below the floor, no swap");
  gone ("cg/memory/sbx/memory.limit_in_bytes");
  expect_refused ("memory limit missing", "memory.limit_in_bytes does not exist");
  put ("cg/memory/sbx/memory.limit_in_bytes", "lots\n");
  expect_refused ("memory limit unreadable", "holds \"lots\n\", not a limit");
  put ("cg/memory/sbx/memory.limit_in_bytes", "104857600\n");
  put ("cg/memory/sbx/memory.memsw.limit_in_bytes", "104857600\n");

  put ("cg/cpu,cpuacct/sbx/cpu.cfs_quota_us", "-1\n");
  expect_refused ("cpu unlimited", "cpu.cfs_quota_us is -1: no CPU limit");
  put ("cg/cpu,cpuacct/sbx/cpu.cfs_quota_us", "50001\n");
  expect_refused ("cpu above", "gives 50001 per period of 100000, above the floor of 50000 per");
  put ("cg/cpu,cpuacct/sbx/cpu.cfs_quota_us", "5000\n");
  put ("cg/cpu,cpuacct/sbx/cpu.cfs_period_us", "10000\n");
  expect_pass ("cpu at the floor's ratio, another period");
  gone ("cg/cpu,cpuacct/sbx/cpu.cfs_period_us");
  expect_refused ("cpu period missing", "cpu.cfs_period_us does not exist");
  put ("cg/cpu,cpuacct/sbx/cpu.cfs_period_us", "100000\n");
  put ("cg/cpu,cpuacct/sbx/cpu.cfs_quota_us", "50000\n");

  put ("cg/pids/sbx/pids.max", "max\n");
  expect_refused ("pids unlimited", "pids.max is max, above the floor of 512");
  put ("cg/pids/sbx/pids.max", "513\n");
  expect_refused ("pids above gVisor's ceiling", "pids.max is 513, above the floor of 512");
  put ("cg/pids/sbx/pids.max", "512\n");
  expect_pass ("pids at gVisor's ceiling");

  put ("proc/cgroup", "9:name=systemd:/sbx\n4:memory:/sbx\n2:cpu,cpuacct:/sbx\n0::/\n");
  expect_refused (
      "the sandbox not in a pids cgroup",
      "pids: the sandbox's pids cgroup cannot be located (not in its /proc/PID/cgroup)");
  put ("proc/cgroup", "8:pids:/elsewhere\n4:memory:/sbx\n2:cpu,cpuacct:/sbx\n0::/\n");
  expect_refused ("the sandbox's pids cgroup missing", "pids/elsewhere/pids.max does not exist");

  /* A hierarchy mounted from a cgroup below its top, at a path with a
     space: the cgroup must lie below that top.  */
  cleanup_free char *text
      = xasprintf ("35 31 0:32 / %s/memory rw,relatime - cgroup cgroup rw,memory\n"
                   "32 31 0:29 / %s/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct\n"
                   "39 31 0:36 /nested %s/pids\\040x rw,relatime - cgroup cgroup rw,pids\n",
                   cg, cg, cg);
  put ("mountinfo", text);
  put ("cg/pids x/sbx/pids.max", "100\n");
  put ("proc/cgroup", "8:pids:/nested/sbx\n4:memory:/sbx\n2:cpu,cpuacct:/sbx\n0::/\n");
  expect_pass ("a hierarchy mounted from below its top");
  put ("proc/cgroup", "8:pids:/nestedother/sbx\n4:memory:/sbx\n2:cpu,cpuacct:/sbx\n0::/\n");
  expect_refused ("a cgroup outside the mount's top", "not below the hierarchy's mount");

  put ("mountinfo", "35 31 0:32 / /x rw,relatime cgroup cgroup rw,memory\n");
  expect_error ("a mountinfo line without its separator", "without its separator");
  gone ("proc/cgroup");
  expect_error ("no /proc/PID/cgroup", "cannot read cgroup of the sandbox process");
}

static void
test_v2 (void)
{
  v1_host ();
  v2_host ();
  expect_pass ("v2 within the floor");
  put ("cg/unified/sbx/memory.max", "max\n");
  expect_refused ("v2 memory max", "memory.max is max, above the floor of 104857600");
  put ("cg/unified/sbx/memory.max", "104857600\n");
  put ("cg/unified/sbx/memory.swap.max", "max\n");
  expect_refused ("v2 swap", "memory.swap.max is max, not 0 (no swap)");
  gone ("cg/unified/sbx/memory.swap.max");
  expect_pass ("v2 without swap accounting");
  put ("cg/unified/sbx/cpu.max", "max 100000\n");
  expect_refused ("v2 cpu max", "cpu.max is max: no CPU limit");
  put ("cg/unified/sbx/cpu.max", "50000 100000 7\n");
  expect_refused ("v2 cpu.max with a third word", "not a limit");
  put ("cg/unified/sbx/cpu.max", "50000\n");
  expect_refused ("v2 cpu.max without a period", "not a limit");
  put ("cg/unified/sbx/cpu.max", "50000 100000\n");
  gone ("cg/unified/sbx/pids.max");
  expect_refused ("v2 without the pids controller", "pids.max does not exist");
  put ("mountinfo", "22 1 0:21 / /proc rw,nosuid - proc proc rw\n");
  expect_refused ("no cgroup hierarchy", "memory: no cgroup hierarchy holds the memory controller");
}

static void
test_ceilings_and_refusal (void)
{
  struct policy p;
  policy_defaults (&p);
  p.gvisor_pids_limit = 700;
  struct attest_ceilings c;
  attest_ceilings_of (&p, &c);
  ok (c.pids == 700 && c.memory_bytes == p.memory_bytes && c.cpu_quota == p.cpu_quota
          && c.cpu_period == p.cpu_period,
      "ceilings: the policy's, pids from gvisor_pids_limit");
  policy_free (&p);
  cleanup_free char *msg = attest_sandbox_refusal ("pids: x is max", "the sandbox was deleted");
  is_str (msg, "refused by floor (1 violation): pids: x is max; the sandbox was deleted",
          "the refusal names what failed and what was done");
}

int
main (void)
{
  char templ[] = "/tmp/policyrun-test-attest.XXXXXX";
  if (mkdtemp (templ) == NULL)
    bail ("cannot create", templ);
  tmp = xstrdup (templ);
  proc = xasprintf ("%s/proc", tmp);
  cg = xasprintf ("%s/cg", tmp);
  mi = xasprintf ("%s/mountinfo", tmp);
  other = xasprintf ("%s/other-userns", tmp);
  ceilings = (struct attest_ceilings){
    .memory_bytes = 104857600, .cpu_quota = 50000, .cpu_period = 100000, .pids = 512
  };

  test_v1 ();
  test_v2 ();
  test_ceilings_and_refusal ();

  cleanup_free char *rm = xasprintf ("rm -rf '%s'", tmp);
  if (system (rm) != 0)
    diag ("could not remove %s", tmp);
  free (tmp);
  free (proc);
  free (cg);
  free (mi);
  free (other);
  return done_testing ();
}
