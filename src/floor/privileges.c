/* policyrun floor: the privileges of the container's process (Process
   rules: config.json's "process" or exec's process.json) that are not its
   capabilities (capabilities.c), user (groups.c) or rlimits (rlimits.c):
   no new privileges, and the process settings that reach past the
   container (negative OOM score, realtime scheduling, a working directory
   in the host's /proc, no AppArmor or SELinux confinement).  */
#include "config.h"
#include "floor.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <inttypes.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "spec.h"
#include "view.h"
#include "util.h"

/* ---- no-new-privileges ---------------------------------------------------- */

/* Rule NO_NEW_PRIVILEGES ("no-new-privileges").
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
        floor_violation (ctx, RULE_NO_NEW_PRIVILEGES, "noNewPrivileges", fix, "is false");
      break;
    case SPEC_ABSENT:
      floor_violation (ctx, RULE_NO_NEW_PRIVILEGES, "noNewPrivileges", fix, "is absent (false)");
      break;
    case SPEC_NULL:
      floor_violation (ctx, RULE_NO_NEW_PRIVILEGES, "noNewPrivileges", fix, "is null (false)");
      break;
    case SPEC_BAD_TYPE:
      floor_report_unusable (ctx, RULE_NO_NEW_PRIVILEGES, "noNewPrivileges", fix, s, "a boolean");
      break;
    }
}

/* Harden: noNewPrivileges true where it is absent, null or false; a value
   that is not a boolean is malformed and left for the rule to refuse.  */
void
floor_harden_no_new_privs (struct floor_ctx *ctx)
{
  bool nnp = false;
  spec_status s = spec_get_bool (ctx->config, "noNewPrivileges", &nnp);
  if (s == SPEC_BAD_TYPE || (s == SPEC_OK && nnp))
    return;
  json_object_set (ctx->config, "noNewPrivileges", json_new_bool (true));
  floor_tightened (ctx, RULE_NO_NEW_PRIVILEGES, "noNewPrivileges", "was %s, set to true",
                   s == SPEC_OK ? "false" : spec_status_text (s));
}

/* ---- the rest of the process -------------------------------------------- */

/* The tree of the host that a working directory (clean, absolute) lies in,
   or NULL.  CVE-2024-21626: a working directory in /proc (/proc/self/fd/N)
   can be a directory of the host that runc left open; /sys and /dev reach
   the host's kernel and devices.  /dev/shm and /dev/mqueue are the
   container's own (its IPC namespace's tmpfs and mqueue): Docker users run
   there with --workdir /dev/shm.  */
static const char *
cwd_host_tree (const char *clean)
{
  static const char *const own[] = { "/dev/shm", "/dev/mqueue" };
  static const char *const host_trees[] = { "/proc", "/sys", "/dev" };
  for (size_t i = 0; i < sizeof own / sizeof own[0]; i++)
    if (path_at_or_under (clean, own[i]))
      return NULL;
  for (size_t i = 0; i < sizeof host_trees / sizeof host_trees[0]; i++)
    if (path_at_or_under (clean, host_trees[i]))
      return host_trees[i];
  return NULL;
}

/* Rule CWD ("process"), field process.cwd: absolute, and after lexical
   normalisation not /proc, /sys or /dev (but /dev/shm and /dev/mqueue) or
   below them.  Docker: --workdir inside the image.  */
void
floor_check_cwd (struct floor_ctx *ctx)
{
  static const char fix[] = "run with --workdir inside the image";
  const char *cwd = NULL;
  spec_status s = spec_get_string (ctx->config, "cwd", &cwd);
  if (s == SPEC_ABSENT || s == SPEC_NULL || (s == SPEC_OK && cwd[0] == '\0'))
    {
      floor_violation (ctx, RULE_CWD, "cwd", fix, "is %s (runc needs an absolute directory)",
                       s == SPEC_OK ? "empty" : spec_status_text (s));
      return;
    }
  if (s != SPEC_OK)
    {
      floor_report_unusable (ctx, RULE_CWD, "cwd", fix, s, "a string");
      return;
    }
  json_value *v = NULL;
  spec_get (ctx->config, "cwd", JSON_STRING, &v);
  cleanup_free char *shown = spec_describe (v);
  if (cwd[0] != '/')
    {
      floor_violation (ctx, RULE_CWD, "cwd", fix, "is %s, not an absolute path", shown);
      return;
    }
  cleanup_free char *clean = path_clean (cwd);
  const char *tree = cwd_host_tree (clean);
  if (tree != NULL)
    floor_violation (ctx, RULE_CWD, "cwd", fix, "is %s, inside %s", shown, tree);
}

/* What the floor makes of a scheduling policy.  */
enum priority_kind
{
  PRIORITY_ACCEPTED,
  PRIORITY_REALTIME, /* runs ahead of the host's processes */
  PRIORITY_UNKNOWN,
};

static enum priority_kind
scheduler_policy_kind (const char *policy)
{
  static const char *const allowed[] = { "SCHED_OTHER", "SCHED_BATCH", "SCHED_IDLE" };
  static const char *const realtime[] = { "SCHED_FIFO", "SCHED_RR", "SCHED_DEADLINE" };
  for (size_t i = 0; i < sizeof allowed / sizeof allowed[0]; i++)
    if (strcmp (policy, allowed[i]) == 0)
      return PRIORITY_ACCEPTED;
  for (size_t i = 0; i < sizeof realtime / sizeof realtime[0]; i++)
    if (strcmp (policy, realtime[i]) == 0)
      return PRIORITY_REALTIME;
  return PRIORITY_UNKNOWN;
}

/* Rule SCHEDULER ("process"), field process.scheduler: SCHED_FIFO,
   SCHED_RR, SCHED_DEADLINE, unknown policies and nice < 0 refused (they
   run ahead of the host's processes).  */
void
floor_check_scheduler (struct floor_ctx *ctx)
{
  json_value *sched = NULL;
  spec_status s = spec_get (ctx->config, "scheduler", JSON_OBJECT, &sched);
  if (s == SPEC_BAD_TYPE)
    floor_report_unusable (ctx, RULE_SCHEDULER, "scheduler", NULL, s, "an object");
  if (s != SPEC_OK)
    return;

  const char *policy = NULL;
  s = spec_get_string (ctx->config, "scheduler.policy", &policy);
  if (s != SPEC_OK)
    floor_violation (ctx, RULE_SCHEDULER, "scheduler.policy", NULL, "is %s", spec_status_text (s));
  else
    {
      enum priority_kind kind = scheduler_policy_kind (policy);
      json_value *v = NULL;
      spec_get (ctx->config, "scheduler.policy", JSON_STRING, &v);
      cleanup_free char *shown = spec_describe (v);
      if (kind == PRIORITY_REALTIME)
        floor_violation (ctx, RULE_SCHEDULER, "scheduler.policy", NULL,
                         "is %s (realtime: it can starve the host)", shown);
      else if (kind == PRIORITY_UNKNOWN)
        floor_violation (ctx, RULE_SCHEDULER, "scheduler.policy", NULL,
                         "is %s, not a known scheduling policy", shown);
    }

  int64_t nice = 0;
  s = spec_get_int (ctx->config, "scheduler.nice", SPEC_INT32_MIN, SPEC_INT32_MAX, &nice);
  if (s == SPEC_OK && nice < 0)
    floor_violation (ctx, RULE_SCHEDULER, "scheduler.nice", NULL,
                     "is %" PRId64 " (above the host's normal priority)", nice);
  else if (s == SPEC_BAD_TYPE)
    floor_report_unusable (ctx, RULE_SCHEDULER, "scheduler.nice", NULL, s, "an integer");
}

static enum priority_kind
io_class_kind (const char *cls)
{
  if (strcmp (cls, "IOPRIO_CLASS_RT") == 0)
    return PRIORITY_REALTIME;
  if (strcmp (cls, "IOPRIO_CLASS_BE") == 0 || strcmp (cls, "IOPRIO_CLASS_IDLE") == 0)
    return PRIORITY_ACCEPTED;
  return PRIORITY_UNKNOWN;
}

/* Rule IO_PRIORITY ("process"), field process.ioPriority:
   IOPRIO_CLASS_RT and unknown classes refused.  */
void
floor_check_io_priority (struct floor_ctx *ctx)
{
  json_value *prio = NULL;
  spec_status s = spec_get (ctx->config, "ioPriority", JSON_OBJECT, &prio);
  if (s == SPEC_BAD_TYPE)
    floor_report_unusable (ctx, RULE_IO_PRIORITY, "ioPriority", NULL, s, "an object");
  if (s != SPEC_OK)
    return;
  const char *cls = NULL;
  s = spec_get_string (ctx->config, "ioPriority.class", &cls);
  if (s != SPEC_OK)
    {
      floor_violation (ctx, RULE_IO_PRIORITY, "ioPriority.class", NULL, "is %s",
                       spec_status_text (s));
      return;
    }
  json_value *v = NULL;
  spec_get (ctx->config, "ioPriority.class", JSON_STRING, &v);
  cleanup_free char *shown = spec_describe (v);
  enum priority_kind kind = io_class_kind (cls);
  if (kind == PRIORITY_REALTIME)
    floor_violation (ctx, RULE_IO_PRIORITY, "ioPriority.class", NULL,
                     "is %s (realtime I/O: it can starve the host's disks)", shown);
  else if (kind == PRIORITY_UNKNOWN)
    floor_violation (ctx, RULE_IO_PRIORITY, "ioPriority.class", NULL,
                     "is %s, not a known I/O priority class", shown);
}

/* Rule LSM ("process"), fields apparmorProfile and selinuxLabel.
   "unconfined" is refused everywhere.  Where the host confines with
   AppArmor, an absent or empty profile means no confinement: it is set to
   Docker's "docker-default" when that profile is loaded, and refused when
   not.  Where SELinux is enforcing, a process without a label keeps the
   runtime's: refused (a label cannot be invented).
   Docker: no --security-opt apparmor=unconfined; dockerd --selinux-enabled.  */
void
floor_check_lsm (struct floor_ctx *ctx)
{
  static const char unconfined_fix[] = "remove --security-opt apparmor=unconfined";
  const char *profile = NULL;
  spec_status s = spec_get_string (ctx->config, "apparmorProfile", &profile);
  if (s == SPEC_BAD_TYPE)
    floor_report_unusable (ctx, RULE_LSM, "apparmorProfile", unconfined_fix, s, "a string");
  else if (s == SPEC_OK && strcmp (profile, "unconfined") == 0)
    floor_violation (ctx, RULE_LSM, "apparmorProfile", unconfined_fix, "is \"unconfined\"");
  else if (ctx->host->apparmor_enabled && (s != SPEC_OK || profile[0] == '\0'))
    {
      const char *was = s == SPEC_OK ? "empty" : spec_status_text (s);
      if (ctx->host->apparmor_docker_default)
        {
          json_object_set (ctx->config, "apparmorProfile", json_new_string ("docker-default"));
          floor_tightened (ctx, RULE_LSM, "apparmorProfile",
                           "was %s (no AppArmor confinement); set to \"docker-default\"", was);
        }
      else
        floor_violation (ctx, RULE_LSM, "apparmorProfile",
                         "run with --security-opt apparmor=docker-default",
                         "is %s: no AppArmor confinement on a host that confines with AppArmor, "
                         "and docker-default is not loaded to supply",
                         was);
    }

  const char *label = NULL;
  s = spec_get_string (ctx->config, "selinuxLabel", &label);
  if (s == SPEC_BAD_TYPE)
    floor_report_unusable (ctx, RULE_LSM, "selinuxLabel", NULL, s, "a string");
  else if (ctx->host->selinux_enforcing && (s != SPEC_OK || label[0] == '\0'))
    floor_violation (ctx, RULE_LSM, "selinuxLabel",
                     "enable SELinux in the engine (dockerd --selinux-enabled)",
                     "is %s: the process would keep the runtime's SELinux label on a host that "
                     "enforces SELinux",
                     s == SPEC_OK ? "empty" : spec_status_text (s));
}

/* Whether the rule reads config.json's own process (not exec's).  */
static bool
is_config_process (const struct floor_ctx *ctx)
{
  json_value *process = NULL;
  return ctx->spec != NULL && spec_get (ctx->spec, "process", JSON_OBJECT, &process) == SPEC_OK
         && process == ctx->config;
}

/* Rule OOM_SCORE_ADJ ("process"), field oomScoreAdj: < 0 refused (the host's OOM killer
   would pick host processes first).  Docker: no --oom-score-adj below 0.
   Tightened for a CRI caller (floor_caller_cri): kubelet gives a pod's
   sandbox -998 and a Guaranteed pod's containers -997 (its QoS class, not
   a pod field), so a negative value is clamped to 0.
   Absent (or null, which Go reads as absent) in config.json: runc then
   writes nothing, and the container and every process exec'd into it keep
   the score the delegate inherits from policyrun's caller (containerd's
   shims run at -998 on a default install; ctr sets no oomScoreAdj).  When
   that score is negative, 0 is filled in.  exec's process.json is left
   alone: runc gives exec'd processes the container's value.  */
void
floor_check_oom_score_adj (struct floor_ctx *ctx)
{
  int64_t adj = 0;
  spec_status s = spec_get_int (ctx->config, "oomScoreAdj", INT64_MIN, INT64_MAX, &adj);
  if (s == SPEC_OK && adj < 0 && floor_caller_cri (ctx))
    {
      json_object_set (ctx->config, "oomScoreAdj", json_new_int (0));
      floor_tightened (ctx, RULE_OOM_SCORE_ADJ, "oomScoreAdj",
                       "was %" PRId64 " (kubelet's QoS score: the host's processes would be "
                       "killed first); set to 0",
                       adj);
    }
  else if (s == SPEC_OK && adj < 0)
    floor_violation (ctx, RULE_OOM_SCORE_ADJ, "oomScoreAdj", "remove --oom-score-adj",
                     "is %" PRId64 " (the host's processes would be killed first)", adj);
  else if (s == SPEC_BAD_TYPE)
    floor_report_unusable (ctx, RULE_OOM_SCORE_ADJ, "oomScoreAdj", "remove --oom-score-adj", s,
                           "an integer");
  else if ((s == SPEC_ABSENT || s == SPEC_NULL) && is_config_process (ctx)
           && ctx->host->inherited_oom_score_adj < 0)
    {
      json_object_set (ctx->config, "oomScoreAdj", json_new_int (0));
      floor_tightened (ctx, RULE_OOM_SCORE_ADJ, "oomScoreAdj",
                       "was %s: the container would keep the caller's score, %d (the host's "
                       "processes would be killed first); set to 0",
                       s == SPEC_NULL ? "null" : "absent", ctx->host->inherited_oom_score_adj);
    }
}

/* Rule ARGS ("process"), field process.args: a non-empty array of
   strings.  */
void
floor_check_args (struct floor_ctx *ctx)
{
  json_value *args = NULL;
  spec_status s = spec_get (ctx->config, "args", JSON_ARRAY, &args);
  if (s == SPEC_ABSENT || s == SPEC_NULL)
    {
      floor_violation (ctx, RULE_ARGS, "args", NULL, "is %s (nothing to run)",
                       spec_status_text (s));
      return;
    }
  if (s != SPEC_OK)
    {
      floor_report_unusable (ctx, RULE_ARGS, "args", NULL, s, "an array");
      return;
    }
  if (args->u.array.len == 0)
    floor_violation (ctx, RULE_ARGS, "args", NULL, "is empty (nothing to run)");
  for (size_t i = 0; i < args->u.array.len; i++)
    if (args->u.array.items[i]->type != JSON_STRING)
      {
        cleanup_free char *field = xasprintf ("args[%zu]", i);
        floor_violation (ctx, RULE_ARGS, field, NULL, "is %s, not a string",
                         json_type_name (args->u.array.items[i]->type));
      }
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

/* Rule CWD_IN_ROOT ("process"), field process.cwd (config level: needs root.path).
   The lexical check above misses a working directory that reaches /proc
   through a symlink in the image ("/work" -> "/proc/self/fd/7",
   CVE-2024-21626 again), so the path is followed through the root
   filesystem's symlinks and checked where it lands.  */
void
floor_check_cwd_in_root (struct floor_ctx *ctx)
{
  static const char fix[] = "run with --workdir inside the image";
  const char *root = NULL, *cwd = NULL;
  if (spec_get_string (ctx->config, "root.path", &root) != SPEC_OK || root[0] != '/'
      || spec_get_string (ctx->config, "process.cwd", &cwd) != SPEC_OK || cwd[0] != '/')
    return; /* reported by the root and process rules */
  cleanup_free char *landed = resolve_in_root (root, cwd);
  if (landed == NULL)
    {
      floor_violation (ctx, RULE_CWD_IN_ROOT, "process.cwd", fix,
                       "cannot be followed through the image's symlinks (a loop?)");
      return;
    }
  const char *tree = cwd_host_tree (landed);
  if (tree != NULL)
    floor_violation (ctx, RULE_CWD_IN_ROOT, "process.cwd", fix,
                     "is \"%s\", which the image's symlinks turn into %s, inside %s", cwd, landed,
                     tree);
}

/* ---- harden: the rest of the process ---------------------------------------- */

/* oomScoreAdj below 0 set to 0 (what Docker gives by default); a value
   that is not an integer is left for the rule to refuse.  */
static void
harden_oom_score_adj (struct floor_ctx *ctx)
{
  int64_t adj = 0;
  if (spec_get_int (ctx->config, "oomScoreAdj", INT64_MIN, INT64_MAX, &adj) != SPEC_OK || adj >= 0)
    return;
  json_object_set (ctx->config, "oomScoreAdj", json_new_int (0));
  floor_tightened (ctx, RULE_OOM_SCORE_ADJ, "oomScoreAdj",
                   "was %" PRId64 " (the host's processes would be killed first); set to 0", adj);
}

/* A scheduler whose policy the rule refuses (realtime, unknown, absent or
   null) is removed: the process runs under the default policy (runc 1.1
   does not apply process.scheduler at all; later runcs do).  A negative
   nice under an accepted policy is raised to 0.  A scheduler, policy or
   nice of the wrong type is malformed and left for the rule to refuse.  */
static void
harden_scheduler (struct floor_ctx *ctx)
{
  json_value *sched = NULL;
  if (spec_get (ctx->config, "scheduler", JSON_OBJECT, &sched) != SPEC_OK)
    return;
  const char *policy = NULL;
  spec_status s = spec_get_string (ctx->config, "scheduler.policy", &policy);
  if (s == SPEC_BAD_TYPE)
    return;
  enum priority_kind kind = s == SPEC_OK ? scheduler_policy_kind (policy) : PRIORITY_UNKNOWN;
  if (kind != PRIORITY_ACCEPTED)
    {
      cleanup_free char *shown = NULL;
      if (s == SPEC_OK)
        {
          json_value *v = NULL;
          spec_get (ctx->config, "scheduler.policy", JSON_STRING, &v);
          shown = spec_describe (v);
        }
      floor_tightened (ctx, RULE_SCHEDULER, "scheduler",
                       "had policy %s%s; removed (the default policy)",
                       s == SPEC_OK ? shown : spec_status_text (s),
                       kind == PRIORITY_REALTIME ? " (realtime: it can starve the host)" : "");
      json_object_remove (ctx->config, "scheduler");
      return;
    }
  int64_t nice = 0;
  if (spec_get_int (ctx->config, "scheduler.nice", SPEC_INT32_MIN, SPEC_INT32_MAX, &nice) != SPEC_OK
      || nice >= 0)
    return;
  json_object_set (sched, "nice", json_new_int (0));
  floor_tightened (ctx, RULE_SCHEDULER, "scheduler.nice",
                   "was %" PRId64 " (above the host's normal priority); set to 0", nice);
}

/* Realtime I/O becomes best-effort at the same level (both take 0 to 7);
   an ioPriority whose class is unknown, absent or null is removed (the
   process keeps the default class).  A class of the wrong type is left
   for the rule to refuse.  */
static void
harden_io_priority (struct floor_ctx *ctx)
{
  json_value *prio = NULL;
  if (spec_get (ctx->config, "ioPriority", JSON_OBJECT, &prio) != SPEC_OK)
    return;
  const char *cls = NULL;
  spec_status s = spec_get_string (ctx->config, "ioPriority.class", &cls);
  if (s == SPEC_BAD_TYPE)
    return;
  enum priority_kind kind = s == SPEC_OK ? io_class_kind (cls) : PRIORITY_UNKNOWN;
  if (kind == PRIORITY_ACCEPTED)
    return;
  if (kind == PRIORITY_REALTIME)
    {
      json_object_set (prio, "class", json_new_string ("IOPRIO_CLASS_BE"));
      floor_tightened (ctx, RULE_IO_PRIORITY, "ioPriority.class",
                       "was \"IOPRIO_CLASS_RT\" (realtime I/O); set to \"IOPRIO_CLASS_BE\"");
      return;
    }
  cleanup_free char *shown = NULL;
  if (s == SPEC_OK)
    {
      json_value *v = NULL;
      spec_get (ctx->config, "ioPriority.class", JSON_STRING, &v);
      shown = spec_describe (v);
    }
  floor_tightened (ctx, RULE_IO_PRIORITY, "ioPriority",
                   "had class %s, not a known I/O priority class; removed (the default class)",
                   s == SPEC_OK ? shown : spec_status_text (s));
  json_object_remove (ctx->config, "ioPriority");
}

/* apparmorProfile "unconfined" becomes what the rule accepts on this
   host: "docker-default" where AppArmor confines and that profile is
   loaded, no profile where the host has no AppArmor (none is applied).
   On an AppArmor host without docker-default there is nothing to supply:
   left for the rule to refuse, as is a missing SELinux label on an
   enforcing host (a label cannot be invented).  An absent or empty
   profile is the rule's own tightening.  */
static void
harden_lsm (struct floor_ctx *ctx)
{
  const char *profile = NULL;
  if (spec_get_string (ctx->config, "apparmorProfile", &profile) != SPEC_OK
      || strcmp (profile, "unconfined") != 0)
    return;
  if (!ctx->host->apparmor_enabled)
    {
      json_object_remove (ctx->config, "apparmorProfile");
      floor_tightened (ctx, RULE_LSM, "apparmorProfile",
                       "was \"unconfined\"; removed (this host has no AppArmor)");
    }
  else if (ctx->host->apparmor_docker_default)
    {
      json_object_set (ctx->config, "apparmorProfile", json_new_string ("docker-default"));
      floor_tightened (ctx, RULE_LSM, "apparmorProfile",
                       "was \"unconfined\"; set to \"docker-default\"");
    }
}

/* Harden: oomScoreAdj, scheduler, ioPriority and the LSM profile brought
   to what their rules accept.  cwd and args are not rewritten: a working
   directory in the host's /proc, /sys or /dev, or args that are not
   strings, cannot be changed into what the caller meant; the rules refuse
   them.  */
void
floor_harden_process_extras (struct floor_ctx *ctx)
{
  harden_oom_score_adj (ctx);
  harden_scheduler (ctx);
  harden_io_priority (ctx);
  harden_lsm (ctx);
}
