/* policyrun floor: resource limits.  linux.resources in config.json (memory,
   cpu, pids, unified) and the LinuxResources that `update` applies to a
   running container.

   Absent limits are filled in with the floor's values (the caller asked for
   nothing, so the floor decides); present limits looser than the floor, and
   the values that mean "unlimited" to runc (-1, and 0 for "not set"), are
   refused.  */
#include "config.h"
#include "floor.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "spec.h"
#include "util.h"

#define MIB (INT64_C (1024) * 1024)

/* The CFS period runc leaves in place when a config sets a quota and no
   period: the kernel's default, and runc's on cgroup v2.  */
#define RUNC_DEFAULT_CPU_PERIOD INT64_C (100000)

/* ---- helpers ------------------------------------------------------------ */

/* The fix texts name the floor's own values ("--memory 100m"), which come
   from the policy, while a finding keeps its fix as a static string.  Texts
   are therefore kept here for the life of the process; there are as many as
   distinct policies loaded, in practice one.  */
static char *intern_table[32];
static size_t intern_len;

static const char *
intern (const char *s)
{
  char **table = intern_table;
  size_t n = intern_len;
  for (size_t i = 0; i < n; i++)
    if (strcmp (table[i], s) == 0)
      return table[i];
  if (n == sizeof intern_table / sizeof intern_table[0])
    return NULL;
  table[n] = xstrdup (s);
  intern_len = n + 1;
  return table[n];
}

/* Findings may outlive any policy, so the texts go only at exit (which
   keeps leak checkers quiet).  */
__attribute__ ((destructor)) static void
intern_free (void)
{
  for (size_t i = 0; i < intern_len; i++)
    free (intern_table[i]);
  intern_len = 0;
}

/* A byte count as docker's --memory takes it: "100m", "1g", "4096k".  */
static char *
docker_size (int64_t bytes)
{
  if (bytes > 0 && bytes % (1024 * MIB) == 0)
    return xasprintf ("%" PRId64 "g", bytes / (1024 * MIB));
  if (bytes > 0 && bytes % MIB == 0)
    return xasprintf ("%" PRId64 "m", bytes / MIB);
  if (bytes > 0 && bytes % 1024 == 0)
    return xasprintf ("%" PRId64 "k", bytes / 1024);
  return xasprintf ("%" PRId64, bytes);
}

/* "209715200 (200 MiB)" */
static char *
describe_bytes (int64_t bytes)
{
  if (bytes > 0 && bytes % MIB == 0)
    return xasprintf ("%" PRId64 " (%" PRId64 " MiB)", bytes, bytes / MIB);
  if (bytes >= MIB)
    return xasprintf ("%" PRId64 " (%" PRId64 ".%" PRId64 " MiB)", bytes, bytes / MIB,
                      (bytes % MIB) * 10 / MIB);
  return xasprintf ("%" PRId64, bytes);
}

static const char *
memory_fix (const struct policy *p)
{
  cleanup_free char *size = docker_size (p->memory_bytes);
  cleanup_free char *text = xasprintf ("run with --memory %s", size);
  const char *fix = intern (text);
  return fix ? fix : "run with --memory within the floor";
}

static const char *const swap_fix = "run with --memory-swap equal to --memory";

/* quota/period as docker's --cpus writes it, rounded down to the
   millicpu so that the value it names holds the floor: "0.5", "2", "0.333".
   NULL when it cannot be written that way.  */
static char *
cpus_text (int64_t quota, int64_t period)
{
  int64_t scaled;
  if (quota <= 0 || period <= 0 || __builtin_mul_overflow (quota, INT64_C (1000), &scaled))
    return NULL;
  int64_t milli = scaled / period;
  if (milli <= 0)
    return NULL;
  if (milli % 1000 == 0)
    return xasprintf ("%" PRId64, milli / 1000);
  char frac[4];
  snprintf (frac, sizeof frac, "%03" PRId64, milli % 1000);
  for (int i = 2; i > 0 && frac[i] == '0'; i--)
    frac[i] = '\0';
  return xasprintf ("%" PRId64 ".%s", milli / 1000, frac);
}

static const char *
cpu_fix (const struct policy *p)
{
  cleanup_free char *cpus = cpus_text (p->cpu_quota, p->cpu_period);
  if (cpus == NULL)
    return "run with --cpus within the floor";
  cleanup_free char *text = xasprintf ("run with --cpus %s", cpus);
  const char *fix = intern (text);
  return fix ? fix : "run with --cpus within the floor";
}

static const char *
pids_fix (const struct policy *p)
{
  cleanup_free char *text = xasprintf ("run with --pids-limit %" PRId64, p->pids_limit);
  const char *fix = intern (text);
  return fix ? fix : "run with --pids-limit within the floor";
}

/* a/b <= c/d for non-negative a, c and positive b, d, exactly and without
   overflow: compare the integer parts, then the reciprocals of the
   remainders (Euclid's steps), so no product is ever formed.  */
static bool
ratio_le (uint64_t a, uint64_t b, uint64_t c, uint64_t d)
{
  for (;;)
    {
      uint64_t qa = a / b, qc = c / d;
      if (qa != qc)
        return qa < qc;
      uint64_t ra = a % b, rc = c % d;
      if (ra == 0)
        return true;
      if (rc == 0)
        return false;
      /* ra/b <= rc/d  <=>  d/rc <= b/ra */
      a = d;
      c = b;
      b = rc;
      d = ra;
    }
}

/* Fill an absent integer field with the floor's value.  */
static bool
fill_int (struct floor_ctx *ctx, const char *rule, const char *path, const char *fix, int64_t value,
          const char *why)
{
  cleanup_free char *err = NULL;
  if (spec_set (ctx->config, path, json_new_int (value), &err) < 0)
    {
      floor_violation (ctx, rule, path, fix, "is absent and cannot be filled in (%s)", err);
      return false;
    }
  floor_tightened (ctx, rule, path, "was absent; set to %" PRId64 "%s", value, why ? why : "");
  return true;
}

/* ---- value checks shared by create and update ---------------------------

   given is what the message adds to name where the value came from: "" at
   create, " (given by --memory)" for update (runc's flag, and docker
   update's flag of the same name for update's JSON).  */

/* memory.limit in (0, floor].  */
static bool
check_memory_limit (struct floor_ctx *ctx, const char *path, int64_t limit, const char *given)
{
  const struct policy *p = ctx->policy;
  cleanup_free char *floor_text = describe_bytes (p->memory_bytes);
  if (limit <= 0)
    {
      floor_violation (ctx, "memory", path, memory_fix (p),
                       "is %" PRId64 " (%s)%s, the floor is %s", limit,
                       limit == 0 ? "not set" : "unlimited", given, floor_text);
      return false;
    }
  if (limit > p->memory_bytes)
    {
      cleanup_free char *found = describe_bytes (limit);
      floor_violation (ctx, "memory", path, memory_fix (p), "is %s, above the floor of %s%s", found,
                       floor_text, given);
      return false;
    }
  return true;
}

/* memory.swap (memory plus swap, as runc takes it) equal to limit: no swap.
   limit <= 0: unknown, only the value itself is checked.  */
static void
check_memory_swap (struct floor_ctx *ctx, const char *path, int64_t swap, int64_t limit,
                   const char *given)
{
  if (swap < 0)
    floor_violation (ctx, "memory", path, swap_fix, "is %" PRId64 " (unlimited swap)%s", swap,
                     given);
  else if (swap == 0)
    floor_violation (ctx, "memory", path, swap_fix, "is 0 (swap not limited)%s", given);
  else if (limit > 0 && swap != limit)
    {
      cleanup_free char *found = describe_bytes (swap);
      cleanup_free char *want = describe_bytes (limit);
      floor_violation (ctx, "memory", path, swap_fix,
                       "is %s%s, not equal to memory.limit %s (swap is memory plus swap)", found,
                       given, want);
    }
}

static void
check_oom_killer (struct floor_ctx *ctx, const char *path)
{
  bool disable_oom = false;
  spec_status s = spec_get_bool (ctx->config, path, &disable_oom);
  if (s == SPEC_OK && disable_oom)
    floor_violation (ctx, "memory", path, "remove --oom-kill-disable",
                     "is true (a container at its limit would hang instead of being killed)");
  else if (s == SPEC_BAD_TYPE)
    floor_report_unusable (ctx, "memory", path, "remove --oom-kill-disable", s, "a boolean");
}

/* pids.limit in (0, floor].  */
static void
check_pids_limit (struct floor_ctx *ctx, const char *path, int64_t limit, const char *given)
{
  const struct policy *p = ctx->policy;
  if (limit <= 0)
    floor_violation (ctx, "pids", path, pids_fix (p),
                     "is %" PRId64 " (%s)%s, the floor is %" PRId64, limit,
                     limit == 0 ? "not set" : "unlimited", given, p->pids_limit);
  else if (limit > p->pids_limit)
    floor_violation (ctx, "pids", path, pids_fix (p),
                     "is %" PRId64 "%s, above the floor of %" PRId64, limit, given, p->pids_limit);
}

/* ---- memory ------------------------------------------------------------- */

/* Rule "memory".
   linux.resources.memory.limit: > 0 and <= policy memory_bytes; filled in
   when absent.  linux.resources.memory.swap (memory+swap, as runc takes
   it): equal to the limit, so that no swap is used; -1 (unlimited) and 0
   (not set) refused.  When absent it is filled in with the limit only on
   hosts that account swap: Docker leaves it out on hosts without swap
   accounting, where runc fails if it is set.
   linux.resources.memory.disableOOMKiller: true refused (a container at its
   limit would hang instead of being killed).
   kernel, kernelTCP, reservation, swappiness, checkBeforeUpdate: further
   restrictions or hints, fine.
   Docker: --memory 100m --memory-swap 100m, no --oom-kill-disable.  */
void
floor_check_memory (struct floor_ctx *ctx)
{
  const struct policy *p = ctx->policy;
  const char *fix = memory_fix (p);
  static const char limit_path[] = "linux.resources.memory.limit";
  static const char swap_path[] = "linux.resources.memory.swap";

  int64_t limit = 0;
  bool limit_ok = false;
  spec_status s = spec_get_int (ctx->config, limit_path, INT64_MIN, INT64_MAX, &limit);
  switch (s)
    {
    case SPEC_ABSENT:
      if (fill_int (ctx, "memory", limit_path, fix, p->memory_bytes, NULL))
        {
          limit = p->memory_bytes;
          limit_ok = true;
        }
      break;
    case SPEC_OK:
      limit_ok = check_memory_limit (ctx, limit_path, limit, "");
      break;
    default:
      floor_report_unusable (ctx, "memory", limit_path, fix, s, "an integer");
      limit = 0;
      break;
    }

  int64_t swap = 0;
  bool swap_accounting = ctx->host == NULL || ctx->host->swap_accounting;
  s = spec_get_int (ctx->config, swap_path, INT64_MIN, INT64_MAX, &swap);
  switch (s)
    {
    case SPEC_ABSENT:
      if (limit_ok && swap_accounting)
        fill_int (ctx, "memory", swap_path, swap_fix, limit, " (equal to memory.limit: no swap)");
      break;
    case SPEC_OK:
      if (swap == 0 && !swap_accounting)
        break; /* "not set", and this host cannot limit swap anyway */
      check_memory_swap (ctx, swap_path, swap, limit, "");
      break;
    default:
      floor_report_unusable (ctx, "memory", swap_path, swap_fix, s, "an integer");
      break;
    }

  check_oom_killer (ctx, "linux.resources.memory.disableOOMKiller");
}

/* ---- cpu ---------------------------------------------------------------- */

/* quota/period within the floor's ratio; lead says what the values are
   ("is " at create; for update, which flag gave which value).  */
static bool
check_cpu_ratio (struct floor_ctx *ctx, const char *path, const char *lead, int64_t quota,
                 int64_t period)
{
  const struct policy *p = ctx->policy;
  if (ratio_le ((uint64_t)quota, (uint64_t)period, (uint64_t)p->cpu_quota, (uint64_t)p->cpu_period))
    return true;
  cleanup_free char *found = cpus_text (quota, period);
  cleanup_free char *floor_cpus = cpus_text (p->cpu_quota, p->cpu_period);
  floor_violation (ctx, "cpu", path, cpu_fix (p),
                   "%s%" PRId64 " per period of %" PRId64
                   " (--cpus %s), above the floor of %" PRId64 " per %" PRId64 " (--cpus %s)",
                   lead, quota, period, found ? found : "under 0.001", p->cpu_quota, p->cpu_period,
                   floor_cpus ? floor_cpus : "under 0.001");
  return false;
}

/* Realtime time and burst let a container run beyond its quota.  Shared by
   the config rule and update.  base is "linux.resources.cpu" or "cpu".  */
static void
check_cpu_extras (struct floor_ctx *ctx, const char *base)
{
  static const struct
  {
    const char *field;
    int64_t min;
    const char *what;
    const char *fix;
  } extras[] = {
    { "realtimeRuntime", INT64_MIN, "realtime CPU time", "remove --cpu-rt-runtime" },
    { "realtimePeriod", 0, "a realtime CPU period", "remove --cpu-rt-period" },
    { "burst", 0, "CPU time beyond the quota", NULL },
  };
  for (size_t i = 0; i < sizeof extras / sizeof extras[0]; i++)
    {
      cleanup_free char *path = xasprintf ("%s.%s", base, extras[i].field);
      int64_t v = 0;
      spec_status s = spec_get_int (ctx->config, path, extras[i].min, INT64_MAX, &v);
      if (s == SPEC_OK && v != 0)
        floor_violation (ctx, "cpu", path, extras[i].fix, "is %" PRId64 " (%s)", v, extras[i].what);
      else if (s == SPEC_BAD_TYPE)
        floor_report_unusable (ctx, "cpu", path, extras[i].fix, s, "an integer in range");
    }
}

/* Rule "cpu".
   linux.resources.cpu.quota: > 0 and quota/period <= the policy's
   cpu_quota/cpu_period (compared exactly, in integers); -1 (unlimited) and
   0 (not set) refused.  A period absent or 0 is runc's default, 100000.
   When the quota is absent, quota and period are set to the policy's.
   realtimeRuntime, realtimePeriod and burst: non-zero refused.
   shares, cpus, mems (cpuset) and idle only restrict: fine.
   Docker: --cpus 0.5.  */
void
floor_check_cpu (struct floor_ctx *ctx)
{
  const struct policy *p = ctx->policy;
  const char *fix = cpu_fix (p);
  static const char quota_path[] = "linux.resources.cpu.quota";
  static const char period_path[] = "linux.resources.cpu.period";

  int64_t period = 0;
  bool period_known = true;
  spec_status ps = spec_get_int (ctx->config, period_path, 0, INT64_MAX, &period);
  if (ps == SPEC_ABSENT || (ps == SPEC_OK && period == 0))
    period = RUNC_DEFAULT_CPU_PERIOD;
  else if (ps != SPEC_OK)
    {
      floor_report_unusable (ctx, "cpu", period_path, fix, ps, "an unsigned integer");
      period_known = false;
    }

  int64_t quota = 0;
  spec_status qs = spec_get_int (ctx->config, quota_path, INT64_MIN, INT64_MAX, &quota);
  switch (qs)
    {
    case SPEC_ABSENT:
      /* A period without a quota limits nothing; the floor's pair replaces
         it so that the filled-in quota means what the policy says.  */
      if (!period_known)
        break;
      if (!fill_int (ctx, "cpu", quota_path, fix, p->cpu_quota, NULL))
        break;
      if (ps != SPEC_OK)
        fill_int (ctx, "cpu", period_path, fix, p->cpu_period, NULL);
      else if (period != p->cpu_period)
        {
          json_value *old = NULL;
          spec_get (ctx->config, period_path, JSON_NUMBER, &old);
          cleanup_free char *shown = spec_describe (old);
          json_object_set (spec_ensure_object (ctx->config, "linux.resources.cpu", NULL), "period",
                           json_new_int (p->cpu_period));
          floor_tightened (ctx, "cpu", period_path,
                           "was %s without a quota; set to %" PRId64 " with the filled-in quota",
                           shown, p->cpu_period);
        }
      break;
    case SPEC_OK:
      if (quota <= 0)
        floor_violation (ctx, "cpu", quota_path, fix, "is %" PRId64 " (%s)", quota,
                         quota == 0 ? "not set: no CPU limit" : "unlimited");
      else if (period_known)
        check_cpu_ratio (ctx, quota_path, "is ", quota, period);
      break;
    default:
      floor_report_unusable (ctx, "cpu", quota_path, fix, qs, "an integer");
      break;
    }

  check_cpu_extras (ctx, "linux.resources.cpu");
}

/* ---- pids --------------------------------------------------------------- */

/* Rule "pids".
   linux.resources.pids.limit: > 0 and <= policy pids_limit; filled in when
   absent; -1 (unlimited) and 0 (not set) refused.
   Docker: --pids-limit N.  */
void
floor_check_pids (struct floor_ctx *ctx)
{
  const struct policy *p = ctx->policy;
  static const char path[] = "linux.resources.pids.limit";
  int64_t limit = 0;
  spec_status s = spec_get_int (ctx->config, path, INT64_MIN, INT64_MAX, &limit);
  if (s == SPEC_ABSENT)
    fill_int (ctx, "pids", path, pids_fix (p), p->pids_limit, NULL);
  else if (s == SPEC_OK)
    check_pids_limit (ctx, path, limit, "");
  else
    floor_report_unusable (ctx, "pids", path, pids_fix (p), s, "an integer");
}

/* ---- unified ------------------------------------------------------------ */

static const char *const unified_fix = "remove --cgroup-conf / unified cgroup settings";

static void
check_unified_at (struct floor_ctx *ctx, const char *path)
{
  json_value *unified = NULL;
  spec_status s = spec_get (ctx->config, path, JSON_OBJECT, &unified);
  if (s == SPEC_BAD_TYPE)
    floor_report_unusable (ctx, "unified", path, unified_fix, s, "an object");
  if (s != SPEC_OK || unified->u.object.len == 0)
    return;
  struct strbuf keys = { 0 };
  size_t n = unified->u.object.len;
  for (size_t i = 0; i < n && i < 4; i++)
    strbuf_addf (&keys, "%s\"%s\"", i ? ", " : "", unified->u.object.members[i].key);
  if (n > 4)
    strbuf_addf (&keys, " and %zu more", n - 4);
  floor_violation (ctx, "unified", path, unified_fix,
                   "has %s (cgroup v2 files that override the typed limits)", keys.s);
  strbuf_free (&keys);
}

/* Rule "unified".
   linux.resources.unified: absent, null or empty.  Its keys are written to
   cgroup v2 files after the typed limits ("memory.max": "max" undoes
   memory.limit), so none is allowed.
   Docker: none; podman --cgroup-conf.  */
void
floor_check_unified (struct floor_ctx *ctx)
{
  check_unified_at (ctx, "linux.resources.unified");
}

/* ---- update ------------------------------------------------------------- */

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
requested_int (struct floor_ctx *ctx, const char *rule, const char *path, const char *fix,
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
fill_from_current (struct floor_ctx *ctx, const char *rule, const char *path, int64_t value,
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
update_object (struct floor_ctx *ctx, const char *rule, const char *field, const char *fix)
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
  if (update_object (ctx, "memory", "memory", memory_fix (p)) == NULL)
    return;
  check_oom_killer (ctx, "memory.disableOOMKiller");
  int64_t limit = 0, swap = 0, cur_limit = 0, cur_swap = 0;
  bool new_limit = requested_int (ctx, "memory", "memory.limit", memory_fix (p), INT64_MIN, &limit);
  bool new_swap = requested_int (ctx, "memory", "memory.swap", swap_fix, INT64_MIN, &swap);
  bool have_cur_limit = current_int (cur, "memory.limit", &cur_limit);
  bool have_cur_swap = current_int (cur, "memory.swap", &cur_swap);
  bool swap_accounting = ctx->host == NULL || ctx->host->swap_accounting;

  if (new_limit && !check_memory_limit (ctx, "memory.limit", limit, " (given by --memory)"))
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
        floor_violation (ctx, "memory", "memory.swap", swap_fix,
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
      fill_from_current (ctx, "memory", "memory.swap", limit, why);
    }
  else
    floor_violation (ctx, "memory", "memory.swap", swap_fix,
                     "is %s while memory.limit changes (the old memory+swap limit would stay)",
                     absent_or_zero (ctx, "memory.swap"));
}

static void
update_cpu (struct floor_ctx *ctx, const struct current *cur)
{
  const struct policy *p = ctx->policy;
  const char *fix = cpu_fix (p);
  if (update_object (ctx, "cpu", "cpu", fix) == NULL)
    return;
  check_cpu_extras (ctx, "cpu");

  int64_t quota = 0, period = 0;
  bool new_quota = requested_int (ctx, "cpu", "cpu.quota", fix, INT64_MIN, &quota);
  bool new_period = requested_int (ctx, "cpu", "cpu.period", fix, 0, &period);
  if (!new_quota && !new_period)
    return; /* both absent or 0: nothing changes */
  if (new_quota && quota < 0)
    {
      floor_violation (ctx, "cpu", "cpu.quota", fix,
                       "is %" PRId64 " (unlimited) (given by --cpu-quota)", quota);
      return;
    }
  if (new_quota && new_period)
    {
      cleanup_free char *lead
          = xasprintf ("is %" PRId64 " (given by --cpu-quota) with cpu.period %" PRId64
                       " (given by --cpu-period; --cpus gives both): ",
                       quota, period);
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
      floor_violation (ctx, "cpu", "cpu.period", fix,
                       "is %s while cpu.quota is %" PRId64 " (the container's period is unknown "
                       "here)",
                       absent_or_zero (ctx, "cpu.period"), quota);
      return;
    }
  if (new_period && !have_quota)
    {
      floor_violation (ctx, "cpu", "cpu.quota", fix,
                       "is %s while cpu.period is %" PRId64 " (the container's quota is unknown "
                       "here)",
                       absent_or_zero (ctx, "cpu.quota"), period);
      return;
    }
  if (new_quota)
    {
      cleanup_free char *lead
          = xasprintf ("is %" PRId64 " (given by --cpu-quota) with the container's "
                       "cpu.period of %" PRId64 ": ",
                       quota, cur_period);
      if (check_cpu_ratio (ctx, "cpu.quota", lead, quota, cur_period))
        fill_from_current (ctx, "cpu", "cpu.period", cur_period, "the container's period");
    }
  else
    {
      cleanup_free char *lead
          = xasprintf ("is %" PRId64 " (given by --cpu-period) with the container's "
                       "cpu.quota of %" PRId64 ": ",
                       period, cur_quota);
      if (check_cpu_ratio (ctx, "cpu.period", lead, cur_quota, period))
        fill_from_current (ctx, "cpu", "cpu.quota", cur_quota, "the container's quota");
    }
}

static void
update_pids (struct floor_ctx *ctx)
{
  const struct policy *p = ctx->policy;
  if (update_object (ctx, "pids", "pids", pids_fix (p)) == NULL)
    return;
  int64_t limit = 0;
  spec_status s = spec_get_int (ctx->config, "pids.limit", INT64_MIN, INT64_MAX, &limit);
  if (s == SPEC_OK)
    check_pids_limit (ctx, "pids.limit", limit, " (given by --pids-limit)");
  else if (s != SPEC_ABSENT)
    floor_report_unusable (ctx, "pids", "pids.limit", pids_fix (p), s, "an integer");
}

static void
update_devices (struct floor_ctx *ctx)
{
  json_value *devices = NULL;
  spec_status s = spec_get (ctx->config, "devices", JSON_ARRAY, &devices);
  if (s == SPEC_BAD_TYPE)
    floor_report_unusable (ctx, "devices", "devices", NULL, s, "an array");
  else if (s == SPEC_OK && devices->u.array.len > 0)
    floor_violation (ctx, "devices", "devices", NULL,
                     "has %zu device rules (device access is fixed when the container is created)",
                     devices->u.array.len);
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
      floor_violation (&ctx, "update", "linux.resources", NULL, "is %s, not an object",
                       resources ? json_type_name (resources->type) : "missing");
      return verdict_violations (out);
    }
  struct current cur = { NULL };
  json_value *now = NULL;
  if (h != NULL && h->container_config != NULL
      && spec_get (h->container_config, "linux.resources", JSON_OBJECT, &now) == SPEC_OK)
    cur.resources = now;
  update_memory (&ctx, &cur);
  update_cpu (&ctx, &cur);
  update_pids (&ctx);
  check_unified_at (&ctx, "unified");
  update_devices (&ctx);
  return verdict_violations (out);
}
