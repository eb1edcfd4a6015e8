/* policyrun: look into a created container before its process runs: its
   network namespace, and under gVisor the sandbox's credentials, user
   namespace and cgroup limits.  */
#include "config.h"
#include "attest.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgroupfs.h"
#include "sandbox.h"
#include "spec.h"
#include "util.h"

/* /proc/PID/net/dev lists the interfaces of PID's network namespace, so
   policyrun never has to enter it.  Two header lines, then "  name: ...".  */
static int
list_interfaces (int procfd, struct strbuf *found, char **err)
{
  cleanup_close int fd = openat (procfd, "net/dev", O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return fail (err, "cannot inspect the network of the container's process: %s",
                 strerror (errno));
  cleanup_free char *text = NULL;
  size_t len = 0;
  if (read_all_fd (fd, 1 << 20, &text, &len, err) < 0)
    return -1;
  int lines = 0, others = 0;
  char *save = NULL;
  for (char *line = strtok_r (text, "\n", &save); line != NULL; line = strtok_r (NULL, "\n", &save))
    {
      if (++lines <= 2)
        continue;
      char *colon = strchr (line, ':');
      if (colon == NULL)
        continue;
      *colon = '\0';
      while (*line == ' ')
        line++;
      if (strcmp (line, "lo") == 0)
        continue;
      strbuf_addf (found, "%s%s", others++ ? "," : "", line);
    }
  return others;
}

/* The network namespace of procfd's process: *host when it is policyrun's
   own, else its interfaces other than "lo" in *ifaces (NULL when none).
   Returns 0, or -1 when it cannot be inspected.  */
static int
inspect_network (int procfd, bool *host, char **ifaces, char **err)
{
  *host = false;
  *ifaces = NULL;
  if (procfd < 0)
    return fail (err, "the container has no process to inspect");
  struct stat theirs, ours;
  if (fstatat (procfd, "ns/net", &theirs, 0) < 0)
    return fail (err, "cannot inspect the network namespace of the container's process: %s",
                 strerror (errno));
  if (stat ("/proc/self/ns/net", &ours) < 0)
    return fail (err, "cannot inspect policyrun's own network namespace: %s", strerror (errno));
  if (theirs.st_dev == ours.st_dev && theirs.st_ino == ours.st_ino)
    {
      *host = true;
      return 0;
    }
  struct strbuf b = { 0 };
  int n = list_interfaces (procfd, &b, err);
  if (n > 0)
    *ifaces = b.s;
  else
    strbuf_free (&b);
  return n < 0 ? -1 : 0;
}

int
attest_network_namespace (int procfd, char **found, char **err)
{
  bool host = false;
  if (inspect_network (procfd, &host, found, err) < 0)
    return -1;
  if (host)
    *found = xstrdup ("the host's network namespace");
  return *found != NULL;
}

/* Until the floor has a rule for it (floor/network.c, rule "network",
   field "the container's network namespace", fix "run with --network
   none"), the message is built here, worded as a floor refusal.  */
char *
attest_refusal (const char *found)
{
  return xasprintf ("refused by floor (1 violation): network: the container's network namespace "
                    "has interfaces [%s]; the container was killed; run with --network none",
                    found);
}

/* ---- gVisor: the sandbox ------------------------------------------------- */

void
attest_ceilings_of (const struct policy *p, struct attest_ceilings *c)
{
  c->memory_bytes = p->memory_bytes;
  c->cpu_quota = p->cpu_quota;
  c->cpu_period = p->cpu_period;
  c->pids = p->gvisor_pids_limit;
}

/* The text of a small file below procfd (at most 1 MiB).  */
static int
read_proc_file (int procfd, const char *name, char **text, char **err)
{
  cleanup_close int fd = openat (procfd, name, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return fail (err, "cannot read %s of the sandbox process: %s", name, strerror (errno));
  size_t len = 0;
  return read_all_fd (fd, 1 << 20, text, &len, err);
}

/* "Uid:" or "Gid:" of /proc/PID/status: real, effective, saved and
   filesystem ids, as the host sees them (policyrun reads from the host's
   user namespace).  Returns 1 and a reason when any is 0, 0 when none is,
   -1 when the line is missing or malformed.  */
static int
check_ids (const char *status, const char *key, char **found, char **err)
{
  size_t klen = strlen (key);
  const char *line = status;
  while (line != NULL && strncmp (line, key, klen) != 0)
    {
      line = strchr (line, '\n');
      if (line != NULL)
        line++;
    }
  if (line == NULL)
    return fail (err, "the sandbox process's status has no %s line", key);
  unsigned long long ids[4];
  char tail = '\0';
  if (sscanf (line + klen, "%llu %llu %llu %llu%c", &ids[0], &ids[1], &ids[2], &ids[3], &tail) != 5
      || tail != '\n')
    return fail (err, "the sandbox process's %s line cannot be read", key);
  for (int i = 0; i < 4; i++)
    if (ids[i] == 0)
      {
        *found = xasprintf ("user: the sandbox runs with host %s %llu %llu %llu %llu (0 is root's)",
                            key[0] == 'U' ? "uids" : "gids", ids[0], ids[1], ids[2], ids[3]);
        return 1;
      }
  return 0;
}

static int
check_credentials (int procfd, char **found, char **err)
{
  cleanup_free char *status = NULL;
  if (read_proc_file (procfd, "status", &status, err) < 0)
    return -1;
  int r = check_ids (status, "Uid:", found, err);
  return r != 0 ? r : check_ids (status, "Gid:", found, err);
}

/* gVisor's user namespace is the one runsc makes for the sandbox; sharing
   policyrun's means the host's ids are the sandbox's.  */
static int
check_user_namespace (int procfd, const char *own, char **found, char **err)
{
  struct stat theirs, ours;
  if (fstatat (procfd, "ns/user", &theirs, 0) < 0)
    return fail (err, "cannot inspect the user namespace of the sandbox process: %s",
                 strerror (errno));
  if (stat (own, &ours) < 0)
    return fail (err, "cannot inspect policyrun's own user namespace (%s): %s", own,
                 strerror (errno));
  if (theirs.st_dev == ours.st_dev && theirs.st_ino == ours.st_ino)
    {
      *found = xstrdup ("namespaces: the sandbox runs in the host's user namespace");
      return 1;
    }
  return 0;
}

/* The cgroup, in /proc/PID/cgroup's text, of the v1 hierarchy whose
   controller list names controller, or (v2) of the "0::" line.  NULL when
   there is none.  */
static char *
proc_cgroup_of (const char *text, const char *controller, bool v2)
{
  for (const char *line = text; line != NULL && *line != '\0';)
    {
      const char *nl = strchr (line, '\n');
      size_t n = nl ? (size_t)(nl - line) : strlen (line);
      const char *c1 = memchr (line, ':', n);
      const char *c2 = c1 ? memchr (c1 + 1, ':', n - (size_t)(c1 + 1 - line)) : NULL;
      if (c2 != NULL)
        {
          bool match
              = v2 ? c1 - line == 1 && line[0] == '0' && c2 == c1 + 1
                   : cg_list_has (c1 + 1, (size_t)(c2 - c1 - 1), controller, strlen (controller));
          if (match)
            return xstrndup (c2 + 1, n - (size_t)(c2 + 1 - line));
        }
      line = nl ? nl + 1 : NULL;
    }
  return NULL;
}

/* The directory of cgroup within mount m: the mount shows m->root as its
   top, so the cgroup must lie at or below it.  NULL when it does not.  */
static char *
cgroup_dir (const struct cg_mount *m, const char *cgroup)
{
  size_t r = strlen (m->root);
  if (strcmp (m->root, "/") == 0)
    return xasprintf ("%s%s", m->mountpoint, strcmp (cgroup, "/") == 0 ? "" : cgroup);
  if (strncmp (cgroup, m->root, r) != 0 || (cgroup[r] != '\0' && cgroup[r] != '/'))
    return NULL;
  return xasprintf ("%s%s", m->mountpoint, cgroup + r);
}

/* Where the sandbox's limits of controller are: the directory of its
   cgroup in the v1 hierarchy that holds the controller, or else in the
   cgroup2 hierarchy.  *v2 says which.  Returns 1 with *dir, or 0 with a
   reason in *found when it cannot be located.  */
static int
controller_dir (const struct cg_mounts *m, const char *proc_cgroup, const char *controller,
                char **dir, bool *v2, char **found)
{
  for (int pass = 0; pass < 2; pass++)
    {
      bool any = false;
      cleanup_free char *cg = proc_cgroup_of (proc_cgroup, controller, pass == 1);
      for (size_t i = 0; i < m->len; i++)
        {
          const struct cg_mount *mi = &m->items[i];
          if (mi->v2 != (pass == 1)
              || (!mi->v2
                  && !cg_list_has (mi->superopts, strlen (mi->superopts), controller,
                                   strlen (controller))))
            continue;
          any = true;
          if (cg == NULL)
            break;
          *dir = cgroup_dir (mi, cg);
          if (*dir != NULL)
            {
              *v2 = mi->v2;
              return 1;
            }
        }
      if (any)
        {
          *found = xasprintf ("%s: the sandbox's %s cgroup cannot be located (%s)", controller,
                              pass == 1 ? "cgroup2" : controller,
                              cg == NULL ? "not in its /proc/PID/cgroup"
                                         : "not below the hierarchy's mount");
          return 0;
        }
    }
  *found = xasprintf ("%s: no cgroup hierarchy holds the %s controller", controller, controller);
  return 0;
}

/* A limit file: its value, LIMIT_MAX for "max".  Returns 1, 0 when the
   file does not exist, -1 (with *why) when it cannot be read or parsed.
   Two numbers are read for cpu.max ("max 100000", "50000 100000").  */
#define LIMIT_MAX INT64_MAX
static int
read_limit (const char *dir, const char *file, int64_t *value, int64_t *second, char **why)
{
  cleanup_free char *path = xasprintf ("%s/%s", dir, file);
  cleanup_close int fd = open (path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0 && errno == ENOENT)
    return 0;
  struct stat st;
  if (fd < 0 || fstat (fd, &st) < 0 || !S_ISREG (st.st_mode))
    {
      *why = xasprintf ("%s cannot be read (%s)", path, fd < 0 ? strerror (errno) : "not a file");
      return -1;
    }
  cleanup_free char *text = NULL;
  cleanup_free char *rerr = NULL;
  size_t len = 0;
  if (read_all_fd (fd, 4096, &text, &len, &rerr) < 0)
    {
      *why = xasprintf ("%s cannot be read (%s)", path, rerr);
      return -1;
    }
  char *s = text;
  int want = second ? 2 : 1, got = 0;
  for (; got < want; got++)
    {
      int64_t *out = got == 0 ? value : second;
      if (got > 0 && *s++ != ' ')
        break;
      if (strncmp (s, "max", 3) == 0)
        {
          *out = LIMIT_MAX;
          s += 3;
          continue;
        }
      char *end = NULL;
      errno = 0;
      long long v = strtoll (s, &end, 10);
      if (end == s || errno != 0 || (*s != '-' && (*s < '0' || *s > '9')))
        break;
      *out = v;
      s = end;
    }
  if (got == want && *s == '\n')
    s++;
  if (got == want && *s == '\0')
    return 1;
  *why = xasprintf ("%s holds \"%.40s\", not a limit", path, text);
  return -1;
}

/* "9223372036854771712" or "max".  */
static char *
limit_text (int64_t v)
{
  return v == LIMIT_MAX ? xstrdup ("max") : xasprintf ("%" PRId64, v);
}

/* A limit that must be > 0 and <= ceiling.  */
static int
check_ceiling (const char *id, const char *dir, const char *file, int64_t v, int64_t ceiling,
               char **found)
{
  if (v > 0 && v <= ceiling)
    return 0;
  cleanup_free char *t = limit_text (v);
  *found = xasprintf ("%s: the sandbox's %s/%s is %s, above the floor of %" PRId64, id, dir, file,
                      t, ceiling);
  return 1;
}

/* A required limit file: 1 and the value, or 0 with the reason.  */
static int
require_limit (const char *id, const char *dir, const char *file, int64_t *v, int64_t *second,
               char **found)
{
  cleanup_free char *why = NULL;
  int r = read_limit (dir, file, v, second, &why);
  if (r > 0)
    return 1;
  if (r == 0)
    *found = xasprintf ("%s: the sandbox's %s/%s does not exist, so its limit cannot be read", id,
                        dir, file);
  else
    *found = xasprintf ("%s: the sandbox's %s", id, why);
  return 0;
}

/* Memory, and memory+swap where swap is accounted: v1's
   memory.memsw.limit_in_bytes must equal the memory limit, v2's
   memory.swap.max (swap alone) must be 0.  */
static int
check_memory (const struct cg_mounts *m, const char *pc, const struct attest_ceilings *c,
              char **found)
{
  cleanup_free char *dir = NULL;
  bool v2 = false;
  if (!controller_dir (m, pc, "memory", &dir, &v2, found))
    return 1;
  const char *file = v2 ? "memory.max" : "memory.limit_in_bytes";
  int64_t limit = 0;
  if (!require_limit ("memory", dir, file, &limit, NULL, found))
    return 1;
  if (check_ceiling ("memory", dir, file, limit, c->memory_bytes, found))
    return 1;
  const char *swap_file = v2 ? "memory.swap.max" : "memory.memsw.limit_in_bytes";
  int64_t swap = 0;
  cleanup_free char *why = NULL;
  int r = read_limit (dir, swap_file, &swap, NULL, &why);
  if (r < 0)
    {
      *found = xasprintf ("memory: the sandbox's %s", why);
      return 1;
    }
  if (r > 0 && swap != (v2 ? 0 : limit))
    {
      cleanup_free char *t = limit_text (swap);
      *found = xasprintf ("memory: the sandbox's %s/%s is %s, not %" PRId64 " (no swap)", dir,
                          swap_file, t, v2 ? 0 : limit);
      return 1;
    }
  return 0;
}

/* quota/period <= cq/cp, exactly: the products fit in 128 bits.  */
static int
check_cpu (const struct cg_mounts *m, const char *pc, const struct attest_ceilings *c, char **found)
{
  cleanup_free char *dir = NULL;
  bool v2 = false;
  if (!controller_dir (m, pc, "cpu", &dir, &v2, found))
    return 1;
  int64_t quota = 0, period = 0;
  if (v2)
    {
      if (!require_limit ("cpu", dir, "cpu.max", &quota, &period, found))
        return 1;
    }
  else if (!require_limit ("cpu", dir, "cpu.cfs_quota_us", &quota, NULL, found)
           || !require_limit ("cpu", dir, "cpu.cfs_period_us", &period, NULL, found))
    return 1;
  const char *file = v2 ? "cpu.max" : "cpu.cfs_quota_us";
  if (quota <= 0 || quota == LIMIT_MAX)
    {
      cleanup_free char *t = limit_text (quota);
      *found = xasprintf ("cpu: the sandbox's %s/%s is %s: no CPU limit", dir, file, t);
      return 1;
    }
  if (period <= 0 || period == LIMIT_MAX)
    {
      *found = xasprintf ("cpu: the sandbox's CPU period in %s is not a period", dir);
      return 1;
    }
  if ((unsigned __int128)quota * (uint64_t)c->cpu_period
      > (unsigned __int128)c->cpu_quota * (uint64_t)period)
    {
      *found = xasprintf ("cpu: the sandbox's %s gives %" PRId64 " per period of %" PRId64
                          ", above the floor of %" PRId64 " per %" PRId64,
                          dir, quota, period, c->cpu_quota, c->cpu_period);
      return 1;
    }
  return 0;
}

static int
check_pids (const struct cg_mounts *m, const char *pc, const struct attest_ceilings *c,
            char **found)
{
  cleanup_free char *dir = NULL;
  bool v2 = false;
  int64_t max = 0;
  if (!controller_dir (m, pc, "pids", &dir, &v2, found)
      || !require_limit ("pids", dir, "pids.max", &max, NULL, found))
    return 1;
  return check_ceiling ("pids", dir, "pids.max", max, c->pids, found);
}

/* The limits of the sandbox's own cgroups.  runsc applies the config's
   limits only to a cgroup it creates itself (an existing one gets none,
   and so does --ignore-cgroups), so they are read back, not assumed.  */
static int
check_cgroups (int procfd, const struct attest_ceilings *c, const char *mountinfo, char **found,
               char **err)
{
  cleanup_free char *pc = NULL;
  if (read_proc_file (procfd, "cgroup", &pc, err) < 0)
    return -1;
  cleanup_cg_mounts struct cg_mounts m = { 0 };
  if (cg_mounts_load (mountinfo, &m, err) < 0)
    return -1;
  if (check_memory (&m, pc, c, found) || check_cpu (&m, pc, c, found)
      || check_pids (&m, pc, c, found))
    return 1;
  return 0;
}

int
attest_gvisor_sandbox (int procfd, const struct attest_ceilings *c, const struct attest_host *h,
                       char **found, char **err)
{
  *found = NULL;
  const char *mountinfo = h && h->mountinfo_path ? h->mountinfo_path : "/proc/self/mountinfo";
  const char *userns = h && h->userns_path ? h->userns_path : "/proc/self/ns/user";
  cleanup_free char *ifaces = NULL;
  bool host = false;
  if (inspect_network (procfd, &host, &ifaces, err) < 0)
    return -1;
  if (host || ifaces != NULL)
    {
      *found = host ? xstrdup ("network: the sandbox runs in the host's network namespace; run "
                               "with --network none")
                    : xasprintf ("network: the sandbox's network namespace has interfaces [%s]; "
                                 "run with --network none",
                                 ifaces);
      return 1;
    }
  int r;
  if ((r = check_credentials (procfd, found, err)) != 0)
    return r;
  if ((r = check_user_namespace (procfd, userns, found, err)) != 0)
    return r;
  return check_cgroups (procfd, c, mountinfo, found, err);
}

char *
attest_sandbox_refusal (const char *found, const char *aftermath)
{
  return xasprintf ("refused by floor (1 violation): %s; %s", found, aftermath);
}

/* ---- Kubernetes' CRI ------------------------------------------------------ */

/* Which of the sandbox's namespaces config joins by path.  */
static void
joined_namespaces (const json_value *config, bool joined[SANDBOX_NS_COUNT])
{
  for (int k = 0; k < SANDBOX_NS_COUNT; k++)
    joined[k] = false;
  json_value *namespaces = NULL;
  if (spec_get ((json_value *)config, "linux.namespaces", JSON_ARRAY, &namespaces) != SPEC_OK)
    return;
  for (size_t i = 0; i < namespaces->u.array.len; i++)
    {
      const json_value *ns = namespaces->u.array.items[i];
      const char *type = NULL;
      if (spec_get_string (ns, "type", &type) != SPEC_OK || json_object_get (ns, "path") == NULL)
        continue;
      int k = sandbox_ns_of_type (type);
      if (k >= 0)
        joined[k] = true;
    }
}

int
attest_cri_container (const struct policy *p, const char *root, const json_value *config,
                      int procfd, long pid, bool *sandbox, char **found, char **err)
{
  *sandbox = false;
  *found = NULL;
  const char *type = sandbox_cri_type (config);
  if (type == NULL)
    return 0;
  if (procfd < 0)
    return fail (err, "the container has no process to inspect");
  cleanup_free char *why = NULL;
  if (strcmp (type, "sandbox") == 0)
    {
      int r = sandbox_netns_alone (procfd, pid, &why);
      if (r < 0)
        return fail (err, "%s", why);
      if (r > 0)
        {
          *found
              = xasprintf ("network: %s; a pod sandbox's network namespace must be its own", why);
          return 1;
        }
      *sandbox = true;
      return 0;
    }
  bool joined[SANDBOX_NS_COUNT];
  joined_namespaces (config, joined);
  bool any = false;
  for (int k = 0; k < SANDBOX_NS_COUNT; k++)
    any = any || joined[k];
  if (!any)
    return 0;
  if (sandbox_joined_check (p, root, sandbox_cri_sandbox_id (config), procfd, joined, &why) != 0)
    {
      *found = xasprintf ("namespaces: %s; an app container may share only the namespaces of the "
                          "pod sandbox policyrun created and attested",
                          why);
      return 1;
    }
  return 0;
}
