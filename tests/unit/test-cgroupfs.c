/* cgroupfs.c: the cgroup hierarchies of a mountinfo file, read from
   fixture files (v1, v2, hybrid, escaped paths, name=systemd, malformed
   lines), and the comma-list word search.  */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgroupfs.h"
#include "tap.h"
#include "util.h"

static char *tmp; /* scratch directory */
static char *mi;  /* tmp/mountinfo */

static void
bail (const char *what, const char *path)
{
  printf ("Bail out! %s %s: %s\n", what, path, strerror (errno));
  exit (1);
}

/* Write len bytes of text to tmp/mountinfo (len, not strlen: a NUL byte
   is a case) and load it.  */
static int
load_bytes (const char *text, size_t len, struct cg_mounts *m, char **err)
{
  FILE *f = fopen (mi, "we");
  if (f == NULL || fwrite (text, 1, len, f) != len || fclose (f) != 0)
    bail ("cannot write", mi);
  return cg_mounts_load (mi, m, err);
}

static int
load (const char *text, struct cg_mounts *m, char **err)
{
  return load_bytes (text, strlen (text), m, err);
}

/* Load text into *m (emptied first): it must load, with want mounts.  */
static bool
loads (const char *text, size_t want, struct cg_mounts *m, const char *name)
{
  cg_mounts_free (m);
  cleanup_free char *err = NULL;
  int r = load (text, m, &err);
  ok (r == 0 && m->len == want, "%s: loads %zu hierarchies (%zu; %s)", name, want, m->len,
      err ? err : "no error");
  return r == 0 && m->len == want;
}

/* Mount i of m is (mountpoint, root, superopts, v2).  */
static void
is_mount (const struct cg_mounts *m, size_t i, const char *mountpoint, const char *root,
          const char *superopts, bool v2, const char *name)
{
  if (i >= m->len)
    {
      ok (0, "%s: mount %zu exists (only %zu)", name, i, m->len);
      return;
    }
  const struct cg_mount *c = &m->items[i];
  is_str (c->mountpoint, mountpoint, "%s: mount point", name);
  is_str (c->root, root, "%s: root", name);
  is_str (c->superopts, superopts, "%s: super options", name);
  ok (c->v2 == v2, "%s: %s", name, v2 ? "cgroup2" : "cgroup v1");
}

/* Whether the mount superopts names controller (as both callers ask).  */
static bool
holds (const struct cg_mount *m, const char *controller)
{
  return cg_list_has (m->superopts, strlen (m->superopts), controller, strlen (controller));
}

static void
test_v1 (void)
{
  cleanup_cg_mounts struct cg_mounts m = { 0 };
  bool ready
      = loads ("22 1 0:21 / /proc rw,nosuid - proc proc rw\n"
               "31 23 0:28 / /sys/fs/cgroup ro,nosuid shared:8 - tmpfs tmpfs ro,mode=755\n"
               "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime shared:9 - cgroup cgroup "
               "rw,memory\n"
               "32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,relatime shared:10 master:3 - cgroup "
               "cgroup rw,cpu,cpuacct\n"
               "40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup "
               "rw,xattr,release_agent=/lib/systemd/systemd-cgroups-agent,name=systemd\n"
               "39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids\n",
               4, &m, "v1: the cgroup mounts, not proc or the tmpfs");
  is_mount (&m, 0, "/sys/fs/cgroup/memory", "/", "rw,memory", false, "v1 memory");
  is_mount (&m, 1, "/sys/fs/cgroup/cpu,cpuacct", "/", "rw,cpu,cpuacct", false,
            "v1 cpu after two optional fields");
  is_mount (&m, 3, "/sys/fs/cgroup/pids", "/", "rw,pids", false, "v1 pids");
  if (ready)
    {
      ok (holds (&m.items[1], "cpu") && holds (&m.items[1], "cpuacct"),
          "v1: cpu and cpuacct are both controllers of the cpu,cpuacct mount");
      ok (!holds (&m.items[0], "cpu"), "v1: the memory mount does not hold cpu");
      ok (holds (&m.items[2], "name=systemd"), "name=systemd: a named hierarchy is found by name");
      ok (!holds (&m.items[2], "systemd"), "name=systemd: not by the bare word");
      ok (!m.items[2].v2, "name=systemd: a v1 hierarchy");
    }
}

static void
test_v2 (void)
{
  cleanup_cg_mounts struct cg_mounts m = { 0 };
  loads ("25 1 0:23 / /sys rw,nosuid - sysfs sysfs rw\n"
         "30 25 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 "
         "cgroup2 rw,nsdelegate,memory_recursiveprot\n",
         1, &m, "v2");
  is_mount (&m, 0, "/sys/fs/cgroup", "/", "rw,nsdelegate,memory_recursiveprot", true, "v2");

  /* A container's view without a cgroup namespace: the mount shows a subtree.  */
  loads ("800 790 0:26 /docker/abc /sys/fs/cgroup ro,nosuid - cgroup2 cgroup rw\n", 1, &m,
         "v2 in a container");
  is_mount (&m, 0, "/sys/fs/cgroup", "/docker/abc", "rw", true, "v2 in a container: its root");
}

static void
test_hybrid (void)
{
  cleanup_cg_mounts struct cg_mounts m = { 0 };
  loads ("35 31 0:32 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n"
         "40 31 0:37 / /sys/fs/cgroup/systemd rw - cgroup cgroup rw,xattr,name=systemd\n"
         "41 31 0:38 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw,nsdelegate\n",
         3, &m, "hybrid");
  is_mount (&m, 0, "/sys/fs/cgroup/memory", "/", "rw,memory", false, "hybrid memory");
  is_mount (&m, 1, "/sys/fs/cgroup/systemd", "/", "rw,xattr,name=systemd", false,
            "hybrid name=systemd");
  is_mount (&m, 2, "/sys/fs/cgroup/unified", "/", "rw,nsdelegate", true, "hybrid unified");
}

static void
test_escapes (void)
{
  cleanup_cg_mounts struct cg_mounts m = { 0 };
  loads ("32 31 0:29 /a\\040b /cg/cpu\\040x rw - cgroup cgroup rw,cpu\n"
         "33 31 0:30 / /cg/tab\\011nl\\012bs\\134 rw - cgroup cgroup rw,pids\n"
         "34 31 0:31 / /cg/end\\040 rw - cgroup cgroup rw,memory\n"
         "36 31 0:33 / /cg/not\\8\\400\\04 rw - cgroup cgroup rw,devices\n"
         /* An empty source: two spaces, and the super options still third.  */
         "37 31 0:34 / /cg/nosrc rw - cgroup  rw,freezer\n",
         5, &m, "escapes");
  is_mount (&m, 0, "/cg/cpu x", "/a b", "rw,cpu", false, "\\040 in mount point and root");
  is_mount (&m, 1, "/cg/tab\tnl\nbs\\", "/", "rw,pids", false, "\\011 \\012 \\134");
  is_mount (&m, 2, "/cg/end ", "/", "rw,memory", false, "an escape that ends the field");
  is_mount (&m, 3, "/cg/not\\8\\400\\04", "/", "rw,devices", false,
            "what is not an octal byte stays as written");
  is_mount (&m, 4, "/cg/nosrc", "/", "rw,freezer", false, "an empty mount source");
}

static void
test_edges (void)
{
  cleanup_cg_mounts struct cg_mounts m = { 0 };
  cleanup_free char *err = NULL;
  ok (load ("", &m, &err) == 0 && m.len == 0, "an empty file: no hierarchy, no error");
  ok (load ("41 31 0:38 / /u rw - cgroup2 cgroup2 rw", &m, &err) == 0 && m.len == 1,
      "a last line without its newline is read");
  cg_mounts_free (&m);
  ok (load ("41 31 0:38 / /u rw - cgroup2x cgroup2 rw\n"
            "42 31 0:39 / /v rw - cgroupfs cgroup rw,memory\n"
            "43 31 0:40 / /w rw - cgrou cgroup rw,memory\n",
            &m, &err)
              == 0
          && m.len == 0,
      "only the types cgroup and cgroup2, whole");
  cleanup_free char *missing = xasprintf ("%s/no-such-file", tmp);
  ok (cg_mounts_load (missing, &m, &err) < 0 && m.len == 0, "a missing file fails");
  has_str (err, "cannot read", "a missing file: why");
}

/* Each malformed file fails closed, with its reason, and leaves nothing
   behind even when good lines came before the bad one.  */
static void
test_malformed (void)
{
  static const struct
  {
    const char *name, *line, *why;
  } cases[] = {
    { "no separator", "35 31 0:32 / /x rw,relatime cgroup cgroup rw,memory\n",
      "without its separator" },
    { "an empty line", "\n", "without its separator" },
    { "too few fields before the separator", "35 31 0:32 /x - cgroup cgroup rw,memory\n",
      "cannot be read" },
    { "an empty mount point", "35 31 0:32 /  - cgroup cgroup rw,memory\n", "cannot be read" },
    { "no super options", "35 31 0:32 / /x rw - cgroup cgroup\n", "cannot be read" },
    { "no type", "35 31 0:32 / /x rw -  cgroup rw\n", "cannot be read" },
    { "a malformed line that is not a cgroup", "22 1 0:21 /proc - proc proc rw\n",
      "cannot be read" },
  };
  static const char good[] = "35 31 0:32 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n";
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    {
      cleanup_cg_mounts struct cg_mounts m = { 0 };
      cleanup_free char *err = NULL;
      cleanup_free char *text = xasprintf ("%s%s%s", good, cases[i].line, good);
      int r = load (text, &m, &err);
      ok (r < 0 && m.len == 0 && m.items == NULL, "malformed, %s: fails, nothing kept",
          cases[i].name);
      has_str (err, cases[i].why, "malformed, %s: why", cases[i].name);
      has_str (err, mi, "malformed, %s: names the file", cases[i].name);
    }
  cleanup_cg_mounts struct cg_mounts m = { 0 };
  cleanup_free char *err = NULL;
  static const char nul[] = "35 31 0:32 / /x rw - cgroup cgroup rw,memory\n\0garbage\n";
  ok (load_bytes (nul, sizeof nul - 1, &m, &err) < 0 && m.len == 0,
      "a NUL byte fails: the text after it is not silently dropped");
}

static void
test_list_has (void)
{
  static const char list[] = "rw,cpu,cpuacct";
  size_t n = strlen (list);
  ok (cg_list_has (list, n, "rw", 2), "list: the first item");
  ok (cg_list_has (list, n, "cpu", 3), "list: a middle item");
  ok (cg_list_has (list, n, "cpuacct", 7), "list: the last item");
  ok (!cg_list_has (list, n, "cpua", 4), "list: not a prefix of an item");
  ok (!cg_list_has (list, n, "acct", 4), "list: not a suffix of an item");
  ok (!cg_list_has (list, n, "cpu,cpuacct", 11), "list: not two items at once");
  ok (!cg_list_has (list, n, "", 0), "list: no empty item in a list without one");
  ok (cg_list_has ("rw,", 3, "", 0), "list: a trailing empty item");
  ok (cg_list_has ("", 0, "", 0) && !cg_list_has ("", 0, "rw", 2), "list: the empty list");
  /* A slice of a longer text: the "4:cpu,cpuacct:/x" of /proc/PID/cgroup.  */
  static const char line[] = "4:cpu,cpuacct:/x";
  ok (cg_list_has (line + 2, 11, "cpuacct", 7) && !cg_list_has (line + 2, 11, "/x", 2),
      "list: only the n bytes given are searched");
  ok (cg_list_has (list, n, "cpuX", 3), "list: only word_len bytes of the word count");
}

int
main (void)
{
  char templ[] = "/tmp/policyrun-test-cgroupfs.XXXXXX";
  if (mkdtemp (templ) == NULL)
    bail ("cannot create", templ);
  tmp = xstrdup (templ);
  mi = xasprintf ("%s/mountinfo", tmp);

  test_v1 ();
  test_v2 ();
  test_hybrid ();
  test_escapes ();
  test_edges ();
  test_malformed ();
  test_list_has ();

  cleanup_free char *rm = xasprintf ("rm -rf '%s'", tmp);
  if (system (rm) != 0)
    diag ("could not remove %s", tmp);
  free (tmp);
  free (mi);
  return done_testing ();
}
