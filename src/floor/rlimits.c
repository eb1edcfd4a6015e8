/* policyrun floor: rlimits.  Each type has a ceiling in the policy
   (rlimits): runc applies them while still privileged, and a real-time
   priority or a negative nice escapes the CPU limits.  */
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
#include "util.h"

/* An rlimit's bound as runc decodes it (Go uint64): absent and null are 0.
   false when it is not a uint64.  */
static bool
rlimit_bound (const json_value *v, uint64_t *out)
{
  *out = 0;
  if (v == NULL || v->type == JSON_NULL)
    return true;
  if (v->type != JSON_NUMBER)
    return false;
  const char *t = v->u.number.text;
  if (*t == '\0')
    return false;
  uint64_t acc = 0;
  for (; *t; t++)
    {
      if (*t < '0' || *t > '9')
        return false;
      unsigned d = (unsigned)(*t - '0');
      if (acc > (UINT64_MAX - d) / 10)
        return false;
      acc = acc * 10 + d;
    }
  *out = acc;
  return true;
}

/* Podman gives a root container RLIMIT_NOFILE 1048576:1048576 (libpod's
   RLimitDefaultValue) unless the user writes --ulimit nofile=...; the
   config cannot tell it from --ulimit nofile=1048576:1048576, so for a
   Podman caller that exact pair is taken for the default and lowered to
   the ceiling.  */
static const uint64_t podman_nofile = 1048576;

static bool
podman_default_nofile (const struct floor_ctx *ctx, const json_value *entry, const char *name,
                       uint64_t ceiling)
{
  if (strcmp (name, "RLIMIT_NOFILE") != 0 || ceiling >= podman_nofile)
    return false;
  uint64_t hard = 0, soft = 0;
  if (!rlimit_bound (json_object_get (entry, "hard"), &hard)
      || !rlimit_bound (json_object_get (entry, "soft"), &soft))
    return false;
  return hard == podman_nofile && soft == podman_nofile && floor_caller_podman (ctx);
}

/* A bound as a message shows it.  */
static char *
bound_text (uint64_t value)
{
  return value == UINT64_MAX ? xstrdup ("unlimited") : xasprintf ("%" PRIu64, value);
}

/* One process.rlimits entry: a type runc knows, hard and soft within the
   policy's ceiling.  Returns the type's index, or -1.  */
static int
check_rlimit_entry (struct floor_ctx *ctx, json_value *entry, size_t i)
{
  cleanup_free char *field = xasprintf ("rlimits[%zu]", i);
  if (entry->type != JSON_OBJECT)
    {
      floor_violation (ctx, RULE_RLIMITS, field, NULL, "is %s, not an object",
                       json_type_name (entry->type));
      return -1;
    }
  cleanup_free char *tfield = xasprintf ("rlimits[%zu].type", i);
  const json_value *type = json_object_get (entry, "type");
  if (type != NULL && type->type != JSON_NULL && type->type != JSON_STRING)
    {
      floor_violation (ctx, RULE_RLIMITS, tfield, NULL, "is not a string");
      return -1;
    }
  const char *name = type != NULL && type->type == JSON_STRING ? type->u.string.s : "";
  int idx = policy_rlimit_index (name);
  if (idx < 0)
    {
      /* runc refuses it too ("wrong rlimit value"), after policyrun.  */
      cleanup_free char *shown = type ? spec_describe (type) : xstrdup ("absent");
      floor_violation (ctx, RULE_RLIMITS, tfield, NULL, "is %s, not an rlimit runc knows", shown);
      return -1;
    }
  uint64_t ceiling = policy_rlimit_ceiling (ctx->policy, idx);
  const char *ulimit = policy_rlimit_info[idx].ulimit;
  if (podman_default_nofile (ctx, entry, name, ceiling))
    {
      json_object_set (entry, "hard", json_new_int ((int64_t)ceiling));
      json_object_set (entry, "soft", json_new_int ((int64_t)ceiling));
      floor_tightened (ctx, RULE_RLIMITS, field,
                       "was RLIMIT_NOFILE %" PRIu64
                       ", Podman's default; set soft and hard to %" PRIu64,
                       podman_nofile, ceiling);
      return idx;
    }
  static const char *const bounds[] = { "hard", "soft" };
  for (size_t k = 0; k < 2; k++)
    {
      cleanup_free char *bfield = xasprintf ("rlimits[%zu].%s", i, bounds[k]);
      const json_value *v = json_object_get (entry, bounds[k]);
      uint64_t value;
      if (!rlimit_bound (v, &value))
        {
          cleanup_free char *shown = spec_describe (v);
          floor_violation (ctx, RULE_RLIMITS, bfield, NULL,
                           "is %s, not an integer from 0 to %" PRIu64, shown, UINT64_MAX);
        }
      else if (value > ceiling)
        {
          cleanup_free char *fix
              = xasprintf ("run with --ulimit %s=%" PRIu64 ":%" PRIu64, ulimit, ceiling, ceiling);
          floor_violation (ctx, RULE_RLIMITS, bfield, fix,
                           "is %s for %s, above the floor of %" PRIu64,
                           value == UINT64_MAX ? "unlimited" : v->u.number.text, name, ceiling);
        }
    }
  /* runc hands both to prlimit(2), which refuses a soft limit above the
     hard one (EINVAL): the container would not start.  Said only where
     both are within the ceiling: otherwise the fix above (C:C) covers it.  */
  uint64_t hard = 0, soft = 0;
  if (rlimit_bound (json_object_get (entry, "hard"), &hard)
      && rlimit_bound (json_object_get (entry, "soft"), &soft) && soft > hard && soft <= ceiling)
    {
      cleanup_free char *fix
          = xasprintf ("run with --ulimit %s=%" PRIu64 ":%" PRIu64, ulimit, hard, hard);
      cleanup_free char *was_soft = bound_text (soft), *was_hard = bound_text (hard);
      floor_violation (ctx, RULE_RLIMITS, field, fix,
                       "has soft %s above hard %s for %s (runc's prlimit would fail)", was_soft,
                       was_hard, name);
    }
  return idx;
}

/* Give a process without RLIMIT_NOFILE (rlimits, or NULL when absent or
   null) the policy's nofile, when the policy has one.  */
static void
fill_nofile (struct floor_ctx *ctx, json_value *rlimits)
{
  int64_t nofile = ctx->policy->nofile;
  if (nofile <= 0)
    return;
  if (rlimits == NULL)
    /* absent or null (no rlimits at all, to Go) */
    rlimits = json_object_set (ctx->config, "rlimits", json_new_array ());
  json_value *limit = json_new_object ();
  json_object_set (limit, "type", json_new_string ("RLIMIT_NOFILE"));
  json_object_set (limit, "hard", json_new_int (nofile));
  json_object_set (limit, "soft", json_new_int (nofile));
  json_array_append (rlimits, limit);
  floor_tightened (ctx, RULE_RLIMITS, "rlimits",
                   "had no RLIMIT_NOFILE; set soft and hard to %" PRId64, nofile);
}

/* Rule RLIMITS ("process"), field process.rlimits.
   runc sets every entry while still privileged, in order: each entry's
   type must be one runc knows (runc 1.1 rlimit_linux.go) and its hard and
   soft within the policy's ceiling ("rlimits", and "nofile" for
   RLIMIT_NOFILE): RLIMIT_RTPRIO above 0 gives an unprivileged process
   SCHED_FIFO, RLIMIT_NICE above 20 negative nice.  RLIMIT_NOFILE is filled
   in with the policy's nofile when absent: without it the process inherits
   the runtime's, which under Docker is typically 1048576; Podman's default
   1048576:1048576 is lowered to it for a Podman caller.
   Docker: --ulimit NAME=SOFT:HARD within the ceiling.  */
void
floor_check_rlimits (struct floor_ctx *ctx)
{
  json_value *rlimits = NULL;
  spec_status s = spec_get (ctx->config, "rlimits", JSON_ARRAY, &rlimits);
  if (s == SPEC_BAD_TYPE)
    {
      floor_report_unusable (ctx, RULE_RLIMITS, "rlimits", NULL, s, "an array");
      return;
    }
  bool nofile_present = false;
  int nofile_idx = policy_rlimit_index ("RLIMIT_NOFILE");
  if (s == SPEC_OK)
    for (size_t i = 0; i < rlimits->u.array.len; i++)
      if (check_rlimit_entry (ctx, rlimits->u.array.items[i], i) == nofile_idx)
        nofile_present = true;
  if (!nofile_present)
    fill_nofile (ctx, s == SPEC_OK ? rlimits : NULL);
}

/* ---- harden ------------------------------------------------------------- */

/* A JSON number for a uint64 (json_new_int stops at INT64_MAX).  */
static json_value *
new_uint64 (uint64_t value)
{
  if (value <= INT64_MAX)
    return json_new_int ((int64_t)value);
  char text[24];
  snprintf (text, sizeof text, "%" PRIu64, value);
  json_value *v = NULL;
  cleanup_free char *err = NULL;
  if (json_parse (text, strlen (text), &v, &err) < 0)
    abort (); /* digits alone always parse */
  return v;
}

/* What harden does with one entry.  */
enum rlimit_fate
{
  RLIMIT_KEEP,   /* within the floor, clamped to it, or malformed (the rule refuses) */
  RLIMIT_REMOVE, /* a type runc does not know */
};

/* One entry: hard and soft above the ceiling lowered to it.  A type runc
   does not know (absent, null, or a string not in runc 1.1's table) is
   removed: runc would refuse the whole container for it, so no workload
   relies on it, and a limit runc never applied restricts nothing.  An
   entry that is not an object, a type that is not a string, or a bound
   that is not a uint64 is malformed and left for the rule to refuse.  */
static enum rlimit_fate
harden_rlimit_entry (struct floor_ctx *ctx, json_value *entry, size_t i)
{
  if (entry->type != JSON_OBJECT)
    return RLIMIT_KEEP;
  cleanup_free char *field = xasprintf ("rlimits[%zu]", i);
  const json_value *type = json_object_get (entry, "type");
  if (type != NULL && type->type != JSON_NULL && type->type != JSON_STRING)
    return RLIMIT_KEEP;
  const char *name = type != NULL && type->type == JSON_STRING ? type->u.string.s : "";
  int idx = policy_rlimit_index (name);
  if (idx < 0)
    {
      cleanup_free char *shown = type ? spec_describe (type) : xstrdup ("absent");
      floor_tightened (ctx, RULE_RLIMITS, field,
                       "had type %s, not an rlimit runc knows (runc would refuse it); removed",
                       shown);
      return RLIMIT_REMOVE;
    }
  uint64_t hard = 0, soft = 0;
  if (!rlimit_bound (json_object_get (entry, "hard"), &hard)
      || !rlimit_bound (json_object_get (entry, "soft"), &soft))
    return RLIMIT_KEEP;
  /* Hard to the ceiling, soft to the new hard: prlimit(2) refuses a soft
     limit above the hard one.  */
  uint64_t ceiling = policy_rlimit_ceiling (ctx->policy, idx);
  uint64_t now_hard = hard > ceiling ? ceiling : hard, now_soft = soft > now_hard ? now_hard : soft;
  if (now_hard == hard && now_soft == soft)
    return RLIMIT_KEEP;
  cleanup_free char *was_hard = bound_text (hard), *was_soft = bound_text (soft);
  if (now_hard != hard)
    json_object_set (entry, "hard", new_uint64 (now_hard));
  if (now_soft != soft)
    json_object_set (entry, "soft", new_uint64 (now_soft));
  floor_tightened (ctx, RULE_RLIMITS, field,
                   "was %s soft %s, hard %s; lowered to soft %" PRIu64 ", hard %" PRIu64
                   " (the floor's ceiling, soft no higher than hard)",
                   name, was_soft, was_hard, now_soft, now_hard);
  return RLIMIT_KEEP;
}

/* Harden: every rlimit held to its ceiling, types runc does not know
   removed (harden_rlimit_entry), and RLIMIT_NOFILE filled in as the rule
   fills it.  rlimits of the wrong type is left for the rule to refuse.  */
void
floor_harden_rlimits (struct floor_ctx *ctx)
{
  json_value *rlimits = NULL;
  spec_status s = spec_get (ctx->config, "rlimits", JSON_ARRAY, &rlimits);
  if (s == SPEC_BAD_TYPE)
    return;
  bool nofile_present = false;
  if (s == SPEC_OK)
    {
      size_t n = rlimits->u.array.len;
      cleanup_free bool *remove = xcalloc (n + 1, sizeof *remove);
      for (size_t i = 0; i < n; i++)
        remove[i] = harden_rlimit_entry (ctx, rlimits->u.array.items[i], i) == RLIMIT_REMOVE;
      for (size_t i = n; i-- > 0;)
        if (remove[i])
          json_array_remove (rlimits, i);
      int nofile_idx = policy_rlimit_index ("RLIMIT_NOFILE");
      for (size_t i = 0; i < rlimits->u.array.len; i++)
        {
          const json_value *type = json_object_get (rlimits->u.array.items[i], "type");
          nofile_present = nofile_present
                           || (type != NULL && type->type == JSON_STRING
                               && policy_rlimit_index (type->u.string.s) == nofile_idx);
        }
    }
  if (!nofile_present)
    fill_nofile (ctx, s == SPEC_OK ? rlimits : NULL);
}
