/* policyrun floor: the privileges of the container's process (Process
   rules: config.json's "process" or exec's process.json): no new
   privileges, a non-root user, and the process settings that reach past
   the container (negative OOM score, realtime scheduling, a working
   directory in the host's /proc, an unconfined AppArmor profile).  */
#include "config.h"
#include "floor.h"

#include <inttypes.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#include "spec.h"
#include "util.h"


/* ---- no-new-privileges ---------------------------------------------------- */

/* Rule "no-new-privileges".
   process.noNewPrivileges: true.  Absent, null and false all leave setuid
   binaries and file capabilities able to raise the process's privileges.
   Docker: --security-opt no-new-privileges.  */
void
floor_check_no_new_privs (struct floor_ctx *ctx)
{
  static const char fix[] = "run with --security-opt no-new-privileges";
  bool nnp = false;
  spec_status s = spec_get_bool (ctx->config, "noNewPrivileges", &nnp);
  switch (s)
    {
    case SPEC_OK:
      if (!nnp)
        floor_violation (ctx, "no-new-privileges", "noNewPrivileges", fix, "is false");
      break;
    case SPEC_ABSENT:
      floor_violation (ctx, "no-new-privileges", "noNewPrivileges", fix, "is absent (false)");
      break;
    case SPEC_NULL:
      floor_violation (ctx, "no-new-privileges", "noNewPrivileges", fix, "is null (false)");
      break;
    case SPEC_BAD_TYPE:
      floor_report_unusable (ctx, "no-new-privileges", "noNewPrivileges", fix, s, "a boolean");
      break;
    }
}

/* ---- user --------------------------------------------------------------- */

static void
check_id (struct floor_ctx *ctx, const char *path, const char *what)
{
  static const char fix[] = "run with --user 65534:65534";
  int64_t id = -1;
  spec_status s = spec_get_int (ctx->config, path, 0, SPEC_UINT32_MAX, &id);
  switch (s)
    {
    case SPEC_OK:
      if (id == 0)
        floor_violation (ctx, "user", path, fix, "is 0 (%s)", what);
      break;
    case SPEC_ABSENT:
      floor_violation (ctx, "user", path, fix, "is absent (0: %s)", what);
      break;
    case SPEC_NULL:
      /* Go leaves a uint32 untouched by null: 0.  */
      floor_violation (ctx, "user", path, fix, "is null (0: %s)", what);
      break;
    case SPEC_BAD_TYPE:
      floor_report_unusable (ctx, "user", path, fix, s, "an integer from 0 to 4294967295");
      break;
    }
}

/* Rule "user" (when the policy's require_non_root is set).
   process.user.uid, process.user.gid: present and non-zero (absent and null
   are 0 to runc); every process.user.additionalGids entry non-zero.  A
   process at uid 0 may always setuid(0), whatever its capabilities.
   user.username (Windows) and user.umask: fine.
   Docker: --user 65534:65534, no --group-add 0.  */
void
floor_check_user (struct floor_ctx *ctx)
{
  static const char fix[] = "run with --user 65534:65534";
  if (!ctx->policy->require_non_root)
    return;
  json_value *user = NULL;
  spec_status s = spec_get (ctx->config, "user", JSON_OBJECT, &user);
  if (s == SPEC_ABSENT || s == SPEC_NULL)
    {
      floor_violation (ctx, "user", "user", fix, "is %s (the process would run as root)",
                       spec_status_text (s));
      return;
    }
  if (s != SPEC_OK)
    {
      floor_report_unusable (ctx, "user", "user", fix, s, "an object");
      return;
    }
  check_id (ctx, "user.uid", "root");
  check_id (ctx, "user.gid", "the root group");

  json_value *gids = NULL;
  s = spec_get (ctx->config, "user.additionalGids", JSON_ARRAY, &gids);
  if (s == SPEC_BAD_TYPE)
    floor_report_unusable (ctx, "user", "user.additionalGids", fix, s, "an array");
  if (s != SPEC_OK)
    return;
  for (size_t i = 0; i < gids->u.array.len; i++)
    {
      const json_value *g = gids->u.array.items[i];
      cleanup_free char *field = xasprintf ("user.additionalGids[%zu]", i);
      if (g->type != JSON_NUMBER || !g->u.number.is_int || g->u.number.i < 0
          || g->u.number.i > SPEC_UINT32_MAX)
        floor_violation (ctx, "user", field, "run with --user 65534:65534 and no --group-add 0",
                         "is not a group id");
      else if (g->u.number.i == 0)
        floor_violation (ctx, "user", field, "run with --user 65534:65534 and no --group-add 0",
                         "is 0 (the root group)");
    }
}

/* ---- the rest of the process -------------------------------------------- */

static void
check_cwd (struct floor_ctx *ctx)
{
  static const char fix[] = "run with --workdir inside the image";
  static const char *const host_trees[] = { "/proc", "/sys", "/dev" };
  const char *cwd = NULL;
  spec_status s = spec_get_string (ctx->config, "cwd", &cwd);
  if (s == SPEC_ABSENT || s == SPEC_NULL || (s == SPEC_OK && cwd[0] == '\0'))
    {
      floor_violation (ctx, "process", "cwd", fix, "is %s (runc needs an absolute directory)",
                       s == SPEC_OK ? "empty" : spec_status_text (s));
      return;
    }
  if (s != SPEC_OK)
    {
      floor_report_unusable (ctx, "process", "cwd", fix, s, "a string");
      return;
    }
  json_value *v = NULL;
  spec_get (ctx->config, "cwd", JSON_STRING, &v);
  cleanup_free char *shown = spec_describe (v);
  if (cwd[0] != '/')
    {
      floor_violation (ctx, "process", "cwd", fix, "is %s, not an absolute path", shown);
      return;
    }
  /* CVE-2024-21626: a working directory in /proc (/proc/self/fd/N) can be a
     directory of the host that runc left open.  /sys and /dev reach the
     host's kernel and devices.  */
  cleanup_free char *clean = path_clean (cwd);
  for (size_t i = 0; i < sizeof host_trees / sizeof host_trees[0]; i++)
    {
      size_t n = strlen (host_trees[i]);
      if (strncmp (clean, host_trees[i], n) == 0 && (clean[n] == '\0' || clean[n] == '/'))
        {
          floor_violation (ctx, "process", "cwd", fix, "is %s, inside %s", shown, host_trees[i]);
          return;
        }
    }
}

static void
check_scheduler (struct floor_ctx *ctx)
{
  static const char *const allowed[] = { "SCHED_OTHER", "SCHED_BATCH", "SCHED_IDLE" };
  static const char *const realtime[] = { "SCHED_FIFO", "SCHED_RR", "SCHED_DEADLINE" };
  json_value *sched = NULL;
  spec_status s = spec_get (ctx->config, "scheduler", JSON_OBJECT, &sched);
  if (s == SPEC_BAD_TYPE)
    floor_report_unusable (ctx, "process", "scheduler", NULL, s, "an object");
  if (s != SPEC_OK)
    return;

  const char *policy = NULL;
  s = spec_get_string (ctx->config, "scheduler.policy", &policy);
  if (s != SPEC_OK)
    floor_violation (ctx, "process", "scheduler.policy", NULL, "is %s", spec_status_text (s));
  else
    {
      bool ok = false, rt = false;
      for (size_t i = 0; i < sizeof allowed / sizeof allowed[0]; i++)
        ok = ok || strcmp (policy, allowed[i]) == 0;
      for (size_t i = 0; i < sizeof realtime / sizeof realtime[0]; i++)
        rt = rt || strcmp (policy, realtime[i]) == 0;
      json_value *v = NULL;
      spec_get (ctx->config, "scheduler.policy", JSON_STRING, &v);
      cleanup_free char *shown = spec_describe (v);
      if (rt)
        floor_violation (ctx, "process", "scheduler.policy", NULL,
                         "is %s (realtime: it can starve the host)", shown);
      else if (!ok)
        floor_violation (ctx, "process", "scheduler.policy", NULL,
                         "is %s, not a known scheduling policy", shown);
    }

  int64_t nice = 0;
  s = spec_get_int (ctx->config, "scheduler.nice", SPEC_INT32_MIN, SPEC_INT32_MAX, &nice);
  if (s == SPEC_OK && nice < 0)
    floor_violation (ctx, "process", "scheduler.nice", NULL,
                     "is %" PRId64 " (above the host's normal priority)", nice);
  else if (s == SPEC_BAD_TYPE)
    floor_report_unusable (ctx, "process", "scheduler.nice", NULL, s, "an integer");
}

static void
check_io_priority (struct floor_ctx *ctx)
{
  json_value *prio = NULL;
  spec_status s = spec_get (ctx->config, "ioPriority", JSON_OBJECT, &prio);
  if (s == SPEC_BAD_TYPE)
    floor_report_unusable (ctx, "process", "ioPriority", NULL, s, "an object");
  if (s != SPEC_OK)
    return;
  const char *cls = NULL;
  s = spec_get_string (ctx->config, "ioPriority.class", &cls);
  if (s != SPEC_OK)
    {
      floor_violation (ctx, "process", "ioPriority.class", NULL, "is %s", spec_status_text (s));
      return;
    }
  json_value *v = NULL;
  spec_get (ctx->config, "ioPriority.class", JSON_STRING, &v);
  cleanup_free char *shown = spec_describe (v);
  if (strcmp (cls, "IOPRIO_CLASS_RT") == 0)
    floor_violation (ctx, "process", "ioPriority.class", NULL,
                     "is %s (realtime I/O: it can starve the host's disks)", shown);
  else if (strcmp (cls, "IOPRIO_CLASS_BE") != 0 && strcmp (cls, "IOPRIO_CLASS_IDLE") != 0)
    floor_violation (ctx, "process", "ioPriority.class", NULL,
                     "is %s, not a known I/O priority class", shown);
}

/* Fill RLIMIT_NOFILE when the process has none: without it the process
   inherits the runtime's, which under Docker is typically 1048576.  A
   present RLIMIT_NOFILE is kept: Docker daemons commonly set one through
   default-ulimits, and open files are bounded by the memory limit.  */
static void
fill_nofile (struct floor_ctx *ctx)
{
  int64_t nofile = ctx->policy->nofile;
  if (nofile <= 0)
    return;
  json_value *rlimits = NULL;
  spec_status s = spec_get (ctx->config, "rlimits", JSON_ARRAY, &rlimits);
  if (s == SPEC_BAD_TYPE)
    {
      floor_report_unusable (ctx, "process", "rlimits", NULL, s, "an array");
      return;
    }
  bool present = false;
  if (s == SPEC_OK)
    for (size_t i = 0; i < rlimits->u.array.len; i++)
      {
        json_value *entry = rlimits->u.array.items[i];
        const json_value *type = json_object_get (entry, "type");
        if (type == NULL || type->type != JSON_STRING
            || strcmp (type->u.string.s, "RLIMIT_NOFILE") != 0)
          continue;
        /* runc applies every entry in order: each one must hold.  */
        present = true;
        static const char *const bounds[] = { "hard", "soft" };
        for (size_t k = 0; k < 2; k++)
          {
            const json_value *v = json_object_get (entry, bounds[k]);
            if (v == NULL
                || (v->type == JSON_NUMBER && v->u.number.is_int && v->u.number.i >= 0
                    && v->u.number.i <= nofile))
              continue;
            cleanup_free char *field = xasprintf ("rlimits[%zu].%s", i, bounds[k]);
            cleanup_free char *shown = spec_describe (v);
            floor_violation (ctx, "process", field, "run with --ulimit nofile=N:N within the floor",
                             "is %s for RLIMIT_NOFILE, above the floor of %" PRId64, shown, nofile);
          }
      }
  if (present)
    return;
  if (s != SPEC_OK)
    /* absent or null (no rlimits at all, to Go) */
    rlimits = json_object_set (ctx->config, "rlimits", json_new_array ());
  json_value *limit = json_new_object ();
  json_object_set (limit, "type", json_new_string ("RLIMIT_NOFILE"));
  json_object_set (limit, "hard", json_new_int (nofile));
  json_object_set (limit, "soft", json_new_int (nofile));
  json_array_append (rlimits, limit);
  floor_tightened (ctx, "process", "rlimits", "had no RLIMIT_NOFILE; set soft and hard to %" PRId64,
                   nofile);
}

static void
check_args (struct floor_ctx *ctx)
{
  json_value *args = NULL;
  spec_status s = spec_get (ctx->config, "args", JSON_ARRAY, &args);
  if (s == SPEC_ABSENT || s == SPEC_NULL)
    {
      floor_violation (ctx, "process", "args", NULL, "is %s (nothing to run)",
                       spec_status_text (s));
      return;
    }
  if (s != SPEC_OK)
    {
      floor_report_unusable (ctx, "process", "args", NULL, s, "an array");
      return;
    }
  if (args->u.array.len == 0)
    floor_violation (ctx, "process", "args", NULL, "is empty (nothing to run)");
  for (size_t i = 0; i < args->u.array.len; i++)
    if (args->u.array.items[i]->type != JSON_STRING)
      {
        cleanup_free char *field = xasprintf ("args[%zu]", i);
        floor_violation (ctx, "process", field, NULL, "is %s, not a string",
                         json_type_name (args->u.array.items[i]->type));
      }
}

/* Rule "process".
   process.oomScoreAdj: < 0 refused (the host's OOM killer would pick host
   processes first).  process.scheduler: SCHED_FIFO, SCHED_RR,
   SCHED_DEADLINE and unknown policies refused, nice < 0 refused.
   process.ioPriority: IOPRIO_CLASS_RT and unknown classes refused.
   process.cwd: absolute, and after lexical normalisation not /proc, /sys,
   /dev or below them (CVE-2024-21626).  process.apparmorProfile:
   "unconfined" refused.  process.args: a non-empty array of strings.
   process.rlimits: RLIMIT_NOFILE filled in with the policy's nofile when
   absent.  selinuxLabel, terminal, env, umask: fine.
   Docker: no --oom-score-adj below 0, --workdir inside the image, no
   --security-opt apparmor=unconfined.  */
void
floor_check_process_misc (struct floor_ctx *ctx)
{
  int64_t adj = 0;
  spec_status s = spec_get_int (ctx->config, "oomScoreAdj", INT64_MIN, INT64_MAX, &adj);
  if (s == SPEC_OK && adj < 0)
    floor_violation (ctx, "process", "oomScoreAdj", "remove --oom-score-adj",
                     "is %" PRId64 " (the host's processes would be killed first)", adj);
  else if (s == SPEC_BAD_TYPE)
    floor_report_unusable (ctx, "process", "oomScoreAdj", "remove --oom-score-adj", s, "an integer");

  check_scheduler (ctx);
  check_io_priority (ctx);
  check_cwd (ctx);

  const char *profile = NULL;
  s = spec_get_string (ctx->config, "apparmorProfile", &profile);
  if (s == SPEC_OK && strcmp (profile, "unconfined") == 0)
    floor_violation (ctx, "process", "apparmorProfile", "remove --security-opt apparmor=unconfined",
                     "is \"unconfined\"");
  else if (s == SPEC_BAD_TYPE)
    floor_report_unusable (ctx, "process", "apparmorProfile", "remove --security-opt apparmor=unconfined",
                     s, "a string");

  check_args (ctx);
  fill_nofile (ctx);
}

/* Follow process.cwd through the symlinks of the root filesystem, as the
   kernel will inside the container, and return where it lands (lexically
   beyond the first component that does not exist).  NULL after too many
   links.  */
static char *
resolve_in_root (const char *root, const char *cwd)
{
  cleanup_free char *pending = xstrdup (cwd);
  cleanup_free char *done = xstrdup ("");
  for (int hops = 0; hops <= 40;)
    {
      char *p = pending;
      while (*p == '/')
        p++;
      if (*p == '\0')
        return path_clean (*done ? done : "/");
      char *end = strchrnul (p, '/');
      cleanup_free char *seg = xstrndup (p, (size_t)(end - p));
      cleanup_free char *rest = xstrdup (end);
      cleanup_free char *next = NULL;
      if (strcmp (seg, ".") == 0)
        next = xstrdup (done);
      else if (strcmp (seg, "..") == 0)
        {
          next = xstrdup (done);
          char *slash = strrchr (next, '/');
          if (slash)
            *slash = '\0';
        }
      else
        next = xasprintf ("%s/%s", done, seg);
      cleanup_free char *host = xasprintf ("%s%s", root, next);
      struct stat st;
      if (strcmp (seg, ".") != 0 && strcmp (seg, "..") != 0 && lstat (host, &st) == 0
          && S_ISLNK (st.st_mode))
        {
          char target[PATH_MAX];
          ssize_t n = readlink (host, target, sizeof target - 1);
          if (n < 0)
            return NULL;
          target[n] = '\0';
          hops++;
          /* Start over from the top with the link's target in its place.  */
          free (pending);
          pending = target[0] == '/' ? xasprintf ("%s%s", target, rest)
                                     : xasprintf ("%s/%s%s", done, target, rest);
          free (done);
          done = xstrdup ("");
          continue;
        }
      if (lstat (host, &st) < 0)
        {
          cleanup_free char *whole = xasprintf ("%s%s", next, rest);
          return path_clean (whole);
        }
      free (done);
      done = next;
      next = NULL;
      free (pending);
      pending = rest;
      rest = NULL;
    }
  return NULL;
}

/* Rule "process", field process.cwd (config level: needs root.path).
   The lexical check above misses a working directory that reaches /proc
   through a symlink in the image ("/work" -> "/proc/self/fd/7",
   CVE-2024-21626 again), so the path is followed through the root
   filesystem's symlinks and checked where it lands.  */
void
floor_check_cwd_in_root (struct floor_ctx *ctx)
{
  static const char fix[] = "run with --workdir inside the image";
  static const char *const host_trees[] = { "/proc", "/sys", "/dev" };
  const char *root = NULL, *cwd = NULL;
  if (spec_get_string (ctx->config, "root.path", &root) != SPEC_OK || root[0] != '/'
      || spec_get_string (ctx->config, "process.cwd", &cwd) != SPEC_OK || cwd[0] != '/')
    return; /* reported by the root and process rules */
  cleanup_free char *landed = resolve_in_root (root, cwd);
  if (landed == NULL)
    {
      floor_violation (ctx, "process", "process.cwd", fix,
                       "cannot be followed through the image's symlinks (a loop?)");
      return;
    }
  for (size_t i = 0; i < sizeof host_trees / sizeof host_trees[0]; i++)
    {
      size_t n = strlen (host_trees[i]);
      if (strncmp (landed, host_trees[i], n) == 0 && (landed[n] == '\0' || landed[n] == '/'))
        {
          floor_violation (ctx, "process", "process.cwd", fix,
                           "is \"%s\", which the image's symlinks turn into %s, inside %s", cwd,
                           landed, host_trees[i]);
          return;
        }
    }
}
