/* policyrun floor: update.  The LinuxResources that `update` applies to a
   running container, held to the floor with resources.c's value checks.  */
#include "config.h"
#include "floor.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "resources.h"
#include "spec.h"
#include "util.h"

/* runc update applies only the limits present and non-zero in its input:
   a limit absent or 0 keeps the container's value (Docker sends 0 for what
   it leaves alone), and a CPU quota or period given alone is paired with
   the other's current value.  So what is checked is the container's limits
   after the update: the request merged with its current limits, which
   cmd_update reads from the private bundle (the config applied at create,
   with the limits of later updates over it) into host->container_config.
   Where one of a pair is missing, the container's current value is filled
   into the request, so that the delegate applies exactly the checked pair
   whatever runc remembers.  Without the current limits (unit tests, or no
   private bundle), a value given alone is refused, as it cannot be
   checked.  */

struct current
{
  const json_value *resources; /* the container's linux.resources, NULL if unknown */
  /* What a refusal adds when the ceiling is the container's own, lowered
     by its policyrun.* annotations (lowered_ceilings), or "".  */
  const char *memory_note, *cpu_note, *pids_note;
};

/* The container's current value at path ("cpu.quota"); false if unknown.  */
static bool
current_int (const struct current *cur, const char *path, int64_t *out)
{
  return cur->resources != NULL
         && spec_get_int (cur->resources, path, INT64_MIN, INT64_MAX, out) == SPEC_OK;
}

/* The request's value at path: true and *out when present and non-zero
   (an update of that limit); unusable values are reported.  */
static bool
requested_int (struct floor_ctx *ctx, enum floor_rule rule, const char *path, const char *fix,
               int64_t min, int64_t *out)
{
  spec_status s = spec_get_int (ctx->config, path, min, INT64_MAX, out);
  if (s != SPEC_OK && s != SPEC_ABSENT)
    floor_report_unusable (ctx, rule, path, fix, s, "an integer in range");
  return s == SPEC_OK && *out != 0;
}

/* How an unchanged value of the request reads.  */
static const char *
absent_or_zero (struct floor_ctx *ctx, const char *path)
{
  json_value *v = NULL;
  return spec_get (ctx->config, path, JSON_NUMBER, &v) == SPEC_OK ? "0 (not set)" : "absent";
}

/* Fill the request's path with the container's value, so that the delegate
   applies the pair that was checked.  */
static void
fill_from_current (struct floor_ctx *ctx, enum floor_rule rule, const char *path, int64_t value,
                   const char *why)
{
  cleanup_free char *err = NULL;
  if (spec_set (ctx->config, path, json_new_int (value), &err) < 0)
    floor_violation (ctx, rule, path, NULL, "cannot be filled in (%s)", err);
  else
    floor_tightened (ctx, rule, path, "was absent or 0; set to %" PRId64 " (%s)", value, why);
}

/* The sub-object of update's resources, or NULL when absent.  null is
   refused: runc dereferences it and crashes.  */
static json_value *
update_object (struct floor_ctx *ctx, enum floor_rule rule, const char *field, const char *fix)
{
  json_value *v = NULL;
  spec_status s = spec_get (ctx->config, field, JSON_OBJECT, &v);
  if (s == SPEC_OK)
    return v;
  if (s != SPEC_ABSENT)
    floor_report_unusable (ctx, rule, field, fix, s, "an object");
  return NULL;
}

static void
update_memory (struct floor_ctx *ctx, const struct current *cur)
{
  const struct policy *p = ctx->policy;
  cleanup_free char *fix = memory_fix (p);
  if (update_object (ctx, RULE_MEMORY, "memory", fix) == NULL)
    return;
  check_oom_killer (ctx, "memory.disableOOMKiller");
  int64_t limit = 0, swap = 0, cur_limit = 0, cur_swap = 0;
  bool new_limit = requested_int (ctx, RULE_MEMORY, "memory.limit", fix, INT64_MIN, &limit);
  bool new_swap = requested_int (ctx, RULE_MEMORY, "memory.swap", swap_fix, INT64_MIN, &swap);
  bool have_cur_limit = current_int (cur, "memory.limit", &cur_limit);
  bool have_cur_swap = current_int (cur, "memory.swap", &cur_swap);
  bool swap_accounting = ctx->host == NULL || ctx->host->swap_accounting;

  cleanup_free char *limit_given = xasprintf (" (given by --memory)%s", cur->memory_note);
  if (new_limit && !check_memory_limit (ctx, "memory.limit", limit, limit_given))
    return;
  if (new_swap)
    {
      if (new_limit)
        check_memory_swap (ctx, "memory.swap", swap, limit, " (given by --memory-swap)");
      else if (have_cur_limit)
        {
          cleanup_free char *given = xasprintf (
              " (given by --memory-swap, with the container's memory.limit of %" PRId64 ")",
              cur_limit);
          check_memory_swap (ctx, "memory.swap", swap, cur_limit, given);
        }
      else
        floor_violation (ctx, RULE_MEMORY, "memory.swap", swap_fix,
                         "is %" PRId64 " without memory.limit (the old limit is unknown here)",
                         swap);
      return;
    }
  if (!new_limit || !swap_accounting || (have_cur_swap && cur_swap == limit))
    return;
  /* The limit changes and the memory+swap limit would stay: the difference
     would be swap.  With the container known, the new limit is filled in
     as its memory+swap limit too (no swap, as at create).  */
  if (cur->resources != NULL)
    {
      cleanup_free char *why = have_cur_swap
                                   ? xasprintf ("the container's memory+swap limit of %" PRId64
                                                " would stay: equal to the new memory.limit, "
                                                "no swap",
                                                cur_swap)
                                   : xstrdup ("equal to the new memory.limit: no swap");
      fill_from_current (ctx, RULE_MEMORY, "memory.swap", limit, why);
    }
  else
    floor_violation (ctx, RULE_MEMORY, "memory.swap", swap_fix,
                     "is %s while memory.limit changes (the old memory+swap limit would stay)",
                     absent_or_zero (ctx, "memory.swap"));
}

static void
update_cpu (struct floor_ctx *ctx, const struct current *cur)
{
  const struct policy *p = ctx->policy;
  cleanup_free char *fix = cpu_fix (p);
  if (update_object (ctx, RULE_CPU, "cpu", fix) == NULL)
    return;
  check_cpu_extras (ctx, "cpu");

  int64_t quota = 0, period = 0;
  bool new_quota = requested_int (ctx, RULE_CPU, "cpu.quota", fix, INT64_MIN, &quota);
  bool new_period = requested_int (ctx, RULE_CPU, "cpu.period", fix, 0, &period);
  if (!new_quota && !new_period)
    return; /* both absent or 0: nothing changes */
  if (new_quota && quota < 0)
    {
      floor_violation (ctx, RULE_CPU, "cpu.quota", fix,
                       "is %" PRId64 " (unlimited) (given by --cpu-quota)", quota);
      return;
    }
  if (new_quota && new_period)
    {
      cleanup_free char *lead
          = xasprintf ("is %" PRId64 " (given by --cpu-quota) with cpu.period %" PRId64
                       " (given by --cpu-period; --cpus gives both)%s: ",
                       quota, period, cur->cpu_note);
      check_cpu_ratio (ctx, "cpu.quota", lead, quota, period);
      return;
    }

  /* One of the pair: the other stays the container's.  */
  int64_t cur_quota = 0, cur_period = 0;
  bool have_quota = current_int (cur, "cpu.quota", &cur_quota) && cur_quota > 0;
  bool have_period = current_int (cur, "cpu.period", &cur_period);
  if (cur->resources != NULL && (!have_period || cur_period == 0))
    {
      /* A create without a period runs with runc's default.  */
      cur_period = RUNC_DEFAULT_CPU_PERIOD;
      have_period = true;
    }
  if (new_quota && !have_period)
    {
      floor_violation (ctx, RULE_CPU, "cpu.period", fix,
                       "is %s while cpu.quota is %" PRId64 " (the container's period is unknown "
                       "here)",
                       absent_or_zero (ctx, "cpu.period"), quota);
      return;
    }
  if (new_period && !have_quota)
    {
      floor_violation (ctx, RULE_CPU, "cpu.quota", fix,
                       "is %s while cpu.period is %" PRId64 " (the container's quota is unknown "
                       "here)",
                       absent_or_zero (ctx, "cpu.quota"), period);
      return;
    }
  if (new_quota)
    {
      cleanup_free char *lead
          = xasprintf ("is %" PRId64 " (given by --cpu-quota) with the container's "
                       "cpu.period of %" PRId64 "%s: ",
                       quota, cur_period, cur->cpu_note);
      if (check_cpu_ratio (ctx, "cpu.quota", lead, quota, cur_period))
        fill_from_current (ctx, RULE_CPU, "cpu.period", cur_period, "the container's period");
    }
  else
    {
      cleanup_free char *lead
          = xasprintf ("is %" PRId64 " (given by --cpu-period) with the container's "
                       "cpu.quota of %" PRId64 "%s: ",
                       period, cur_quota, cur->cpu_note);
      if (check_cpu_ratio (ctx, "cpu.period", lead, cur_quota, period))
        fill_from_current (ctx, RULE_CPU, "cpu.quota", cur_quota, "the container's quota");
    }
}

static void
update_pids (struct floor_ctx *ctx, const struct current *cur)
{
  const struct policy *p = ctx->policy;
  cleanup_free char *fix = pids_fix (p);
  if (update_object (ctx, RULE_PIDS, "pids", fix) == NULL)
    return;
  int64_t limit = 0;
  spec_status s = spec_get_int (ctx->config, "pids.limit", INT64_MIN, INT64_MAX, &limit);
  if (s == SPEC_OK)
    {
      cleanup_free char *given = xasprintf (" (given by --pids-limit)%s", cur->pids_note);
      check_pids_limit (ctx, "pids.limit", limit, given);
    }
  else if (s != SPEC_ABSENT)
    floor_report_unusable (ctx, RULE_PIDS, "pids.limit", fix, s, "an integer");
}

static void
update_devices (struct floor_ctx *ctx)
{
  json_value *devices = NULL;
  spec_status s = spec_get (ctx->config, "devices", JSON_ARRAY, &devices);
  if (s == SPEC_BAD_TYPE)
    floor_report_unusable (ctx, RULE_UPDATE_DEVICES, "devices", NULL, s, "an array");
  else if (s == SPEC_OK && devices->u.array.len > 0)
    floor_violation (ctx, RULE_UPDATE_DEVICES, "devices", NULL,
                     "has %zu device rules (device access is fixed when the container is created)",
                     devices->u.array.len);
}

/* A container created with policyrun.memory, policyrun.cpus or
   policyrun.pids (LOWERED_LIMITS) keeps them as its ceilings: an update
   may not raise it back to the floor.  They are read from the container's
   private config.json (h->container_config), which no later caller can
   change.  *lowered is a shallow copy of the policy with those ceilings
   (never freed: it owns nothing).  -1 (refused) when the annotations do
   not read, which only a private bundle changed behind policyrun's back
   can cause.  */
static int
lowered_ceilings (struct floor_ctx *ctx, struct policy *lowered, struct current *cur)
{
  *lowered = *ctx->policy;
  if (ctx->host == NULL || ctx->host->container_config == NULL)
    return 0;
  struct floor_lowering l;
  cleanup_free char *err = NULL;
  if (floor_lowering_read (ctx->host->container_config, &l, &err) < 0)
    {
      struct floor_ctx whole = *ctx;
      whole.field_prefix = ""; /* a field of the container's config */
      floor_violation (&whole, RULE_UPDATE_RESOURCES, "annotations", NULL,
                       "of the container do not read (%s): its ceilings are unknown", err);
      return -1;
    }
  if (l.memory_bytes > 0 && l.memory_bytes < lowered->memory_bytes)
    {
      lowered->memory_bytes = l.memory_bytes;
      cur->memory_note = " (this container's ceiling: its policyrun.memory annotation)";
    }
  /* nanos/1e9 < quota/period, compared exactly (both fit in 128 bits).  */
  if (l.cpu_nanos > 0
      && (unsigned __int128)l.cpu_nanos * (uint64_t)lowered->cpu_period
             < (unsigned __int128)1000000000 * (uint64_t)lowered->cpu_quota)
    {
      /* In the policy's period where that loses nothing that matters
         (rounded down: the ceiling create applied with that period).  */
      int64_t q
          = (int64_t)((unsigned __int128)l.cpu_nanos * (uint64_t)lowered->cpu_period / 1000000000);
      lowered->cpu_quota = q > 0 ? q : l.cpu_nanos;
      lowered->cpu_period = q > 0 ? lowered->cpu_period : 1000000000;
      cur->cpu_note = " (this container's ceiling: its policyrun.cpus annotation)";
    }
  if (l.pids_limit > 0 && l.pids_limit < lowered->pids_limit)
    lowered->pids_limit = l.pids_limit;
  if (l.pids_limit > 0 && l.pids_limit < lowered->gvisor_pids_limit)
    lowered->gvisor_pids_limit = l.pids_limit;
  if (l.pids_limit > 0
      && l.pids_limit == (ctx->host->gvisor ? lowered->gvisor_pids_limit : lowered->pids_limit))
    cur->pids_note = " (this container's ceiling: its policyrun.pids annotation)";
  return 0;
}

/* Entry point for `update` (update's flags already turned into one
   LinuxResources by the caller; h->container_config, when set, is the
   container's config with its current limits).  Fields use the paths of
   config.json ("linux.resources.memory.limit") so messages read alike, and
   name the flag that gave the value.
   memory.limit: 0 or absent unchanged, else in (0, floor]; memory.swap: -1
   refused, equal to the container's memory.limit after the update when
   given, and filled in with a changed limit on a host with swap accounting
   (refused instead when the container is unknown); disableOOMKiller true
   refused.  cpu.quota and cpu.period: both absent or 0 (unchanged), or the
   pair after the update (the other taken from the container and filled in)
   within the floor's ratio, so only tightening the ratio is accepted;
   realtime and burst refused.  pids.limit: absent, or in
   (0, floor].  unified: absent or empty.  devices: runc update cannot
   change them; any refused.  blockIO, cpuset, shares, reservation: fine.  */
size_t
floor_check_update (json_value *resources, const struct policy *p, const struct host_facts *h,
                    struct verdict *out)
{
  struct floor_ctx ctx = {
    .config = resources, .policy = p, .host = h, .verdict = out, .field_prefix = "linux.resources."
  };
  if (resources == NULL || resources->type != JSON_OBJECT)
    {
      ctx.field_prefix = "";
      floor_violation (&ctx, RULE_UPDATE_RESOURCES, "linux.resources", NULL, "is %s, not an object",
                       resources ? json_type_name (resources->type) : "missing");
      return verdict_violations (out);
    }
  struct current cur = { NULL, "", "", "" };
  json_value *now = NULL;
  if (h != NULL && h->container_config != NULL
      && spec_get (h->container_config, "linux.resources", JSON_OBJECT, &now) == SPEC_OK)
    cur.resources = now;
  /* The container's own ceilings: the floor, lowered by its annotations.  */
  struct policy lowered;
  if (lowered_ceilings (&ctx, &lowered, &cur) < 0)
    return verdict_violations (out);
  ctx.policy = &lowered;
  update_memory (&ctx, &cur);
  update_cpu (&ctx, &cur);
  update_pids (&ctx, &cur);
  check_unified_at (&ctx, "unified");
  update_devices (&ctx);
  return verdict_violations (out);
}
