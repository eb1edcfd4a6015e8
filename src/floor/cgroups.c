/* policyrun floor: cgroupsPath.  The cgroup (or systemd unit) runc puts the
   container in must be its own: one that does not exist yet, on every
   hierarchy of /proc/self/mountinfo.  */
#include "config.h"
#include "floor.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgroupfs.h"
#include "spec.h"
#include "util.h"

/* ---- cgroupsPath -------------------------------------------------------------- */

/* Where policyrun looks for systemd's unit files; a test seam.  */
extern const char *floor_systemd_root;
const char *floor_systemd_root = "";

static const char *const cgroup_fix = "remove --cgroup-parent";

/* cgroupsPath "a/b/c" or systemd's "slice:prefix:name": a ".." component
   climbs to another cgroup, "/" alone is the root cgroup.  */
static bool
cgroups_path_climbs (const char *p)
{
  for (const char *s = p; *s != '\0';)
    {
      size_t n = strcspn (s, "/:");
      if (n == 2 && s[0] == '.' && s[1] == '.')
        return true;
      s += n;
      if (*s != '\0')
        s++;
    }
  return false;
}

static bool
cgroups_path_is_root (const char *p)
{
  if (p[0] != '/')
    return false;
  for (const char *s = p; *s != '\0';)
    {
      size_t n = strcspn (s, "/");
      if (!(n == 0 || (n == 1 && s[0] == '.')))
        return false;
      s += n;
      if (*s != '\0')
        s++;
    }
  return true;
}

/* The cgroup that the /proc/PID/cgroup file at path gives for the
   hierarchy of m ("4:memory:/a/b" for v1 controllers, "0::/a/b" for v2),
   or NULL.  */
static char *
own_cgroup (const char *path, const struct cg_mount *m)
{
  cleanup_fclose FILE *f = fopen (path, "re");
  if (f == NULL)
    return NULL;
  cleanup_free char *line = NULL;
  size_t cap = 0;
  ssize_t len;
  while ((len = getline (&line, &cap, f)) > 0)
    {
      if (line[len - 1] == '\n')
        line[--len] = '\0';
      char *c1 = strchr (line, ':');
      char *c2 = c1 ? strchr (c1 + 1, ':') : NULL;
      if (c2 == NULL || c2[1] != '/')
        continue;
      const char *ctl = c1 + 1;
      size_t ctl_len = (size_t)(c2 - ctl);
      bool match;
      if (m->v2)
        match = ctl_len == 0 && strncmp (line, "0:", 2) == 0;
      else
        {
          /* Every controller of the line is one of the mount's.  */
          match = ctl_len > 0;
          for (const char *s = ctl; match && s < c2;)
            {
              size_t k = strcspn (s, ",:");
              match = cg_list_has (m->superopts, strlen (m->superopts), s, k);
              s += k + 1;
            }
        }
      if (match)
        return xstrdup (c2 + 1);
    }
  return NULL;
}

/* cg (absolute) as seen below mount root root: "" for root itself, "a/b"
   below it; NULL when the mount does not show it.  */
static const char *
below_root (const char *cg, const char *root)
{
  if (strcmp (root, "/") == 0)
    return cg + 1;
  size_t n = strlen (root);
  if (strncmp (cg, root, n) != 0 || (cg[n] != '\0' && cg[n] != '/'))
    return NULL;
  return cg[n] == '/' ? cg + n + 1 : cg + n;
}

/* What is at a cgroup path: 0 nothing, 1 something, -1 cannot tell.  */
static int
cg_exists (const char *path)
{
  struct stat sb;
  if (lstat (path, &sb) == 0)
    return 1;
  return errno == ENOENT ? 0 : -1;
}

struct cg_check
{
  struct floor_ctx *ctx;
  const char *what; /* "is \"/docker\"", for the message */
  const char *fix;
  bool refused;
};

/* Refuse once when path (dir + "/" + a + "/" + b, cleaned) exists.  */
static void
cg_probe (struct cg_check *c, const char *dir, const char *a, const char *b)
{
  if (c->refused)
    return;
  cleanup_free char *joined = xasprintf ("%s/%s/%s", dir, a, b);
  cleanup_free char *path = path_clean (joined);
  int r = cg_exists (path);
  if (r == 0)
    return;
  c->refused = true;
  if (r > 0)
    floor_violation (c->ctx, RULE_CGROUPS_PATH, "linux.cgroupsPath", c->fix,
                     "%s, which names the existing cgroup %s: runc would join it and write the "
                     "container's limits into it",
                     c->what, path);
  else
    floor_violation (c->ctx, RULE_CGROUPS_PATH, "linux.cgroupsPath", c->fix,
                     "%s; whether the cgroup %s exists cannot be checked (%s)", c->what, path,
                     strerror (errno));
}

static bool
cg_load_or_refuse (struct cg_check *c, struct cg_mounts *mounts)
{
  const char *mi = c->ctx->host && c->ctx->host->mountinfo_path ? c->ctx->host->mountinfo_path
                                                                : "/proc/self/mountinfo";
  cleanup_free char *err = NULL;
  if (cg_mounts_load (mi, mounts, &err) < 0 || mounts->len == 0)
    {
      floor_violation (c->ctx, RULE_CGROUPS_PATH, "linux.cgroupsPath", NULL,
                       "%s; the cgroup hierarchies cannot be read from %s", c->what, mi);
      return false;
    }
  return true;
}

static const char *
proc_cgroup (const struct floor_ctx *ctx)
{
  return ctx->host && ctx->host->proc_cgroup_path ? ctx->host->proc_cgroup_path
                                                  : "/proc/self/cgroup";
}

/* cgroupfs driver: inner is runc's innerPath (absolute, or relative to the
   delegate's own cgroup, which is policyrun's: it execs the delegate).  */
static void
check_cgroupfs_path (struct cg_check *c, const char *inner)
{
  cleanup_free char *clean = path_clean (inner);
  cleanup_cg_mounts struct cg_mounts mounts = { 0 };
  if (!cg_load_or_refuse (c, &mounts))
    return;
  for (size_t i = 0; i < mounts.len && !c->refused; i++)
    {
      const struct cg_mount *m = &mounts.items[i];
      if (clean[0] == '/')
        {
          cg_probe (c, m->mountpoint, clean, "");
          continue;
        }
      cleanup_free char *own = own_cgroup (proc_cgroup (c->ctx), m);
      if (own == NULL)
        {
          floor_violation (c->ctx, RULE_CGROUPS_PATH, "linux.cgroupsPath", c->fix,
                           "%s, relative to the runtime's own cgroup, which %s does not give "
                           "for the hierarchy at %s",
                           c->what, proc_cgroup (c->ctx), m->mountpoint);
          c->refused = true;
          break;
        }
      const char *rel = below_root (own, m->root);
      if (rel == NULL)
        continue; /* this mount does not show that part of the tree */
      cg_probe (c, m->mountpoint, rel, clean);
      if (m->v2)
        {
          /* runc's v2 driver goes one level up from its own cgroup.  */
          cleanup_free char *up = xasprintf ("%s/..", rel);
          cleanup_free char *parent = path_clean (up);
          if (strncmp (parent, "..", 2) != 0)
            cg_probe (c, m->mountpoint, parent, clean);
        }
    }
}

/* systemd's slice name to its cgroup path, as runc's ExpandSlice:
   "a-b.slice" is /a.slice/a-b.slice, "-.slice" is /.  NULL when systemd
   and runc would not take it.  */
static char *
expand_slice (const char *slice)
{
  size_t n = strlen (slice);
  if (n <= 6 || strcmp (slice + n - 6, ".slice") != 0 || strchr (slice, '/') != NULL)
    return strcmp (slice, "-.slice") == 0 ? xstrdup ("/") : NULL;
  if (strcmp (slice, "-.slice") == 0)
    return xstrdup ("/");
  struct strbuf path = { 0 };
  size_t base = n - 6;
  for (size_t s = 0; s <= base;)
    {
      size_t e = s;
      while (e < base && slice[e] != '-')
        e++;
      if (e == s)
        {
          strbuf_free (&path);
          return NULL;
        }
      strbuf_addf (&path, "/%.*s.slice", (int)e, slice);
      s = e + 1;
    }
  return path.s;
}

/* Units systemd always has, whether or not a file names them.  */
static const char *const builtin_units[]
    = { "-.slice", "system.slice", "user.slice", "machine.slice", "init.scope" };

/* Where unit files and transient units live.  */
static const char *const unit_dirs[] = {
  "/etc/systemd/system",    "/run/systemd/system",           "/run/systemd/transient",
  "/run/systemd/generator", "/usr/local/lib/systemd/system", "/usr/lib/systemd/system",
  "/lib/systemd/system",
};

static void
check_unit_exists (struct cg_check *c, const char *unit)
{
  for (size_t i = 0; i < sizeof builtin_units / sizeof builtin_units[0]; i++)
    if (strcmp (unit, builtin_units[i]) == 0)
      {
        floor_violation (c->ctx, RULE_CGROUPS_PATH, "linux.cgroupsPath", c->fix,
                         "%s, which names the systemd unit %s, which always exists: runc would "
                         "join it, and delete would stop it",
                         c->what, unit);
        c->refused = true;
        return;
      }
  for (size_t i = 0; i < sizeof unit_dirs / sizeof unit_dirs[0]; i++)
    {
      cleanup_free char *path = xasprintf ("%s%s/%s", floor_systemd_root, unit_dirs[i], unit);
      int r = cg_exists (path);
      if (r != 0)
        {
          floor_violation (c->ctx, RULE_CGROUPS_PATH, "linux.cgroupsPath", c->fix,
                           r > 0 ? "%s, which names the existing systemd unit %s (%s): runc "
                                   "would join it, and delete would stop it"
                                 : "%s; whether the systemd unit %s exists cannot be checked "
                                   "(%s)",
                           c->what, unit, path);
          c->refused = true;
          return;
        }
    }
}

/* systemd driver: "slice:prefix:name" (absent: runc's own default,
   "system.slice", prefix "runc", the container's id).  */
static void
check_systemd_path (struct cg_check *c, const char *raw, const char *id)
{
  cleanup_free char *parent = NULL, *prefix = NULL, *name = NULL;
  if (raw == NULL)
    {
      prefix = xstrdup ("runc");
      name = xstrdup (id);
    }
  else
    {
      const char *c1 = strchr (raw, ':');
      const char *c2 = c1 ? strchr (c1 + 1, ':') : NULL;
      if (c2 == NULL || strchr (c2 + 1, ':') != NULL)
        {
          floor_violation (c->ctx, RULE_CGROUPS_PATH, "linux.cgroupsPath", c->fix,
                           "%s, not \"slice:prefix:name\", which --systemd-cgroup needs", c->what);
          return;
        }
      parent = xstrndup (raw, (size_t)(c1 - raw));
      prefix = xstrndup (c1 + 1, (size_t)(c2 - c1 - 1));
      name = xstrdup (c2 + 1);
    }
  if (strchr (prefix, '/') != NULL || strchr (name, '/') != NULL || name[0] == '\0')
    {
      floor_violation (c->ctx, RULE_CGROUPS_PATH, "linux.cgroupsPath", c->fix,
                       "%s; the prefix and name of \"slice:prefix:name\" must be plain names",
                       c->what);
      return;
    }
  cleanup_free char *slice_path
      = parent == NULL || parent[0] == '\0' ? xstrdup ("/system.slice") : expand_slice (parent);
  if (slice_path == NULL)
    {
      floor_violation (c->ctx, RULE_CGROUPS_PATH, "linux.cgroupsPath", c->fix,
                       "%s; \"%s\" is not a systemd slice name (NAME.slice, no \"/\", no empty "
                       "\"-\" part)",
                       c->what, parent);
      return;
    }
  size_t nl = strlen (name);
  bool is_slice = nl >= 6 && strcmp (name + nl - 6, ".slice") == 0;
  cleanup_free char *unit = is_slice ? xstrdup (name) : xasprintf ("%s-%s.scope", prefix, name);
  cleanup_free char *unit_slice = is_slice ? expand_slice (name) : NULL;
  if (is_slice && unit_slice == NULL)
    {
      floor_violation (c->ctx, RULE_CGROUPS_PATH, "linux.cgroupsPath", c->fix,
                       "%s; \"%s\" is not a systemd slice name", c->what, name);
      return;
    }
  check_unit_exists (c, unit);
  if (c->refused)
    return;

  /* The cgroup of the unit: below the slice, on v1 also below pid 1's
     cgroup (runc's getSubsystemPath); a slice unit also has its own.  */
  cleanup_cg_mounts struct cg_mounts mounts = { 0 };
  if (!cg_load_or_refuse (c, &mounts))
    return;
  const char *init_file = c->ctx->host && c->ctx->host->proc_cgroup_path
                              ? c->ctx->host->proc_cgroup_path
                              : "/proc/1/cgroup";
  for (size_t i = 0; i < mounts.len && !c->refused; i++)
    {
      const struct cg_mount *m = &mounts.items[i];
      cg_probe (c, m->mountpoint, slice_path, unit);
      if (unit_slice != NULL)
        cg_probe (c, m->mountpoint, unit_slice, "");
      if (m->v2)
        continue;
      cleanup_free char *init = own_cgroup (init_file, m);
      const char *rel = init ? below_root (init, m->root) : NULL;
      if (rel != NULL)
        {
          cleanup_free char *base = xstrdup (rel);
          size_t bl = strlen (base);
          if (bl >= 10 && strcmp (base + bl - 10, "init.scope") == 0)
            base[bl - 10] = '\0';
          cleanup_free char *dir = xasprintf ("%s/%s", m->mountpoint, base);
          cg_probe (c, dir, slice_path, unit);
        }
    }
}

/* Rule CGROUPS_PATH (id "kernel"); docker flag: --cgroup-parent.  runc 1.1 joins a cgroup (or
   systemd unit) that already exists, with a warning, and writes the container's limits into it: a
   host service's cgroup gets the container's limits, a shared parent pools containers under one
   budget, and delete stops a unit it did not start.  */
void
floor_check_cgroups_path (struct floor_ctx *ctx)
{
  const char *raw = NULL;
  spec_status st = spec_get_string (ctx->config, "linux.cgroupsPath", &raw);
  if (st != SPEC_OK && st != SPEC_ABSENT)
    {
      floor_violation (ctx, RULE_CGROUPS_PATH, "linux.cgroupsPath", NULL, "is %s",
                       spec_status_text (st));
      return;
    }
  if (st == SPEC_OK && raw[0] == '\0')
    raw = NULL; /* runc treats "" as absent */
  const char *id = ctx->host ? ctx->host->container_id : NULL;
  bool systemd = ctx->host && ctx->host->systemd_cgroup;
  cleanup_free char *what
      = raw ? xasprintf ("is \"%s\"", raw)
            : xasprintf ("is absent, so runc uses %s%s%s",
                         systemd ? "the unit runc-" : "the cgroup ", id ? id : "",
                         systemd ? ".scope in system.slice" : " below its own cgroup");
  struct cg_check c = { .ctx = ctx, .what = what, .fix = raw ? cgroup_fix : NULL };

  if (raw != NULL && !systemd && cgroups_path_is_root (raw))
    {
      floor_violation (ctx, RULE_CGROUPS_PATH, "linux.cgroupsPath", cgroup_fix,
                       "is \"%s\", the root cgroup, which the floor's limits cannot hold", raw);
      return;
    }
  if (raw != NULL && cgroups_path_climbs (raw))
    {
      floor_violation (ctx, RULE_CGROUPS_PATH, "linux.cgroupsPath", cgroup_fix,
                       "is \"%s\"; a \"..\" component climbs to another cgroup", raw);
      return;
    }
  if (raw == NULL && id == NULL)
    return; /* policyrun check: no container, no name to look for */
  if (systemd)
    check_systemd_path (&c, raw, id);
  else
    check_cgroupfs_path (&c, raw ? raw : id);
}

/* Whether the cgroupsPath rule refuses config as it stands.  */
static bool
cgroups_path_refused (struct floor_ctx *ctx, json_value *config)
{
  struct verdict scratch = { 0 };
  struct floor_ctx c = *ctx;
  c.config = config;
  c.verdict = &scratch;
  floor_check_cgroups_path (&c);
  bool refused = verdict_violations (&scratch) > 0;
  verdict_free (&scratch);
  return refused;
}

/* Harden CGROUPS_PATH: a cgroupsPath the rule refuses (an existing cgroup
   or unit, the root cgroup, a ".." component, a malformed systemd
   "slice:prefix:name") is taken out when runc's default in its place (with
   the cgroupfs driver the container's id below runc's own cgroup, with
   systemd runc-ID.scope in system.slice: runc 1.1's specconv) passes the
   same rule; otherwise it stays, and the rule's refusal names the caller's
   path.  Under gVisor it stays: runsc puts a sandbox without a cgroupsPath
   in no cgroup at all, so no limit would hold.  null and other types stay
   for the rule to refuse.  */
void
floor_harden_cgroups_path (struct floor_ctx *ctx)
{
  json_value *linux_obj = NULL;
  const char *raw = NULL;
  if ((ctx->host != NULL && ctx->host->gvisor)
      || spec_get_string (ctx->config, "linux.cgroupsPath", &raw) != SPEC_OK || raw[0] == '\0'
      || spec_get (ctx->config, "linux", JSON_OBJECT, &linux_obj) != SPEC_OK
      || !cgroups_path_refused (ctx, ctx->config))
    return;
  cleanup_json json_value *without = json_clone (ctx->config);
  json_object_remove (json_object_get (without, "linux"), "cgroupsPath");
  if (cgroups_path_refused (ctx, without))
    return;
  cleanup_free char *was = xstrdup (raw);
  json_object_remove (linux_obj, "cgroupsPath");
  const char *id = ctx->host ? ctx->host->container_id : NULL;
  bool systemd = ctx->host && ctx->host->systemd_cgroup;
  cleanup_free char *now = id == NULL ? xstrdup ("its default, named after the container's id")
                           : systemd  ? xasprintf ("the new unit runc-%s.scope in system.slice", id)
                                      : xasprintf ("the new cgroup %s below its own cgroup", id);
  floor_tightened (ctx, RULE_CGROUPS_PATH, "linux.cgroupsPath",
                   "was \"%s\"; removed, so runc uses %s", was, now);
}
