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
  return idx;
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
  int64_t nofile = ctx->policy->nofile;
  if (nofile_present || nofile <= 0)
    return;
  if (s != SPEC_OK)
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
