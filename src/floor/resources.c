/* policyrun floor: resource limits.  linux.resources in config.json (memory,
   cpu, pids, unified) and the value checks that update.c shares for the
   LinuxResources `update` applies to a running container.

   Absent limits are filled in with the floor's values (the caller asked for
   nothing, so the floor decides); present limits looser than the floor, and
   the values that mean "unlimited" to runc (-1, and 0 for "not set"), are
   refused.  */
#include "config.h"
#include "floor.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "resources.h"
#include "spec.h"
#include "util.h"

#define MIB (INT64_C (1024) * 1024)

/* ---- helpers ------------------------------------------------------------ */

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

/* The fixes name the policy's values: the caller frees them.  */
char *
memory_fix (const struct policy *p)
{
  cleanup_free char *size = docker_size (p->memory_bytes);
  return xasprintf ("run with --memory %s", size);
}

const char *const swap_fix = "run with --memory-swap equal to --memory";

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

char *
cpu_fix (const struct policy *p)
{
  cleanup_free char *cpus = cpus_text (p->cpu_quota, p->cpu_period);
  if (cpus == NULL)
    return xstrdup ("run with --cpus within the floor");
  return xasprintf ("run with --cpus %s", cpus);
}

char *
pids_fix (const struct policy *p)
{
  return xasprintf ("run with --pids-limit %" PRId64, p->pids_limit);
}

/* The pids ceiling of this container.  Under gVisor the host's pids cgroup
   counts the sandbox's own tasks beside the container's processes: the
   sentry's threads, the gofer, and with the ptrace platform a stub thread
   for each sentry thread that ran in each address space.  Measured here
   (runsc 20221219, ptrace, 2 CPUs, busy loops of `sleep &`): about 31
   tasks once started, then about 8 per process in the sandbox; 256 holds
   about 25 processes, 512 about 60, 1024 about 100.  At the limit the
   sandbox itself fails and the container dies (closed, not open).  So
   gVisor has a ceiling of its own, gvisor_pids_limit.  */
static int64_t
pids_ceiling (const struct floor_ctx *ctx)
{
  const struct policy *p = ctx->policy;
  return ctx->host != NULL && ctx->host->gvisor ? p->gvisor_pids_limit : p->pids_limit;
}

/* " (under gVisor, ...)" after the ceiling in a message, or "".  */
static const char *
pids_ceiling_note (const struct floor_ctx *ctx)
{
  return ctx->host != NULL && ctx->host->gvisor
             ? " (gVisor's gvisor_pids_limit: the sandbox's own threads count too)"
             : "";
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
fill_int (struct floor_ctx *ctx, enum floor_rule rule, const char *path, const char *fix,
          int64_t value, const char *why)
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

/* ---- what the rules accept -----------------------------------------------

   One predicate per value, read by the checks and by harden mode alike, so
   that the two cannot disagree.  */

/* memory.limit in (0, floor].  */
static bool
memory_limit_holds (const struct policy *p, int64_t limit)
{
  return limit > 0 && limit <= p->memory_bytes;
}

/* memory.swap (memory plus swap) equal to a known limit, so no swap; with
   the limit unknown (<= 0) only the value itself.  */
static bool
memory_swap_holds (int64_t swap, int64_t limit)
{
  return swap > 0 && (limit <= 0 || swap == limit);
}

/* quota/period within the floor's cpu_quota/cpu_period (quota >= 0; the
   create rule also refuses 0, "not set").  */
static bool
cpu_ratio_holds (const struct policy *p, int64_t quota, int64_t period)
{
  return ratio_le ((uint64_t)quota, (uint64_t)period, (uint64_t)p->cpu_quota,
                   (uint64_t)p->cpu_period);
}

/* pids.limit in (0, ceiling].  */
static bool
pids_limit_holds (int64_t ceiling, int64_t limit)
{
  return limit > 0 && limit <= ceiling;
}

/* ---- value checks shared by create and update ---------------------------

   given is what the message adds to name where the value came from: "" at
   create, " (given by --memory)" for update (runc's flag, and docker
   update's flag of the same name for update's JSON).  */

/* memory.limit in (0, floor].  */
bool
check_memory_limit (struct floor_ctx *ctx, const char *path, int64_t limit, const char *given)
{
  const struct policy *p = ctx->policy;
  cleanup_free char *fix = memory_fix (p);
  cleanup_free char *floor_text = describe_bytes (p->memory_bytes);
  if (memory_limit_holds (p, limit))
    return true;
  if (limit <= 0)
    {
      floor_violation (ctx, RULE_MEMORY, path, fix, "is %" PRId64 " (%s)%s, the floor is %s", limit,
                       limit == 0 ? "not set" : "unlimited", given, floor_text);
      return false;
    }
  cleanup_free char *found = describe_bytes (limit);
  floor_violation (ctx, RULE_MEMORY, path, fix, "is %s, above the floor of %s%s", found, floor_text,
                   given);
  return false;
}

/* memory.swap (memory plus swap, as runc takes it) equal to limit: no swap.
   limit <= 0: unknown, only the value itself is checked.  */
void
check_memory_swap (struct floor_ctx *ctx, const char *path, int64_t swap, int64_t limit,
                   const char *given)
{
  if (memory_swap_holds (swap, limit))
    return;
  if (swap < 0)
    floor_violation (ctx, RULE_MEMORY, path, swap_fix, "is %" PRId64 " (unlimited swap)%s", swap,
                     given);
  else if (swap == 0)
    floor_violation (ctx, RULE_MEMORY, path, swap_fix, "is 0 (swap not limited)%s", given);
  else
    {
      cleanup_free char *found = describe_bytes (swap);
      cleanup_free char *want = describe_bytes (limit);
      floor_violation (ctx, RULE_MEMORY, path, swap_fix,
                       "is %s%s, not equal to memory.limit %s (swap is memory plus swap)", found,
                       given, want);
    }
}

void
check_oom_killer (struct floor_ctx *ctx, const char *path)
{
  bool disable_oom = false;
  spec_status s = spec_get_bool (ctx->config, path, &disable_oom);
  if (s == SPEC_OK && disable_oom)
    floor_violation (ctx, RULE_MEMORY, path, "remove --oom-kill-disable",
                     "is true (a container at its limit would hang instead of being killed)");
  else if (s == SPEC_BAD_TYPE)
    floor_report_unusable (ctx, RULE_MEMORY, path, "remove --oom-kill-disable", s, "a boolean");
}

/* pids.limit in (0, floor]; the floor is gVisor's own under gVisor.  */
void
check_pids_limit (struct floor_ctx *ctx, const char *path, int64_t limit, const char *given)
{
  int64_t ceiling = pids_ceiling (ctx);
  cleanup_free char *fix = xasprintf ("run with --pids-limit %" PRId64, ceiling);
  if (pids_limit_holds (ceiling, limit))
    return;
  if (limit <= 0)
    floor_violation (ctx, RULE_PIDS, path, fix, "is %" PRId64 " (%s)%s, the floor is %" PRId64 "%s",
                     limit, limit == 0 ? "not set" : "unlimited", given, ceiling,
                     pids_ceiling_note (ctx));
  else
    floor_violation (ctx, RULE_PIDS, path, fix,
                     "is %" PRId64 "%s, above the floor of %" PRId64 "%s", limit, given, ceiling,
                     pids_ceiling_note (ctx));
}

/* ---- harden mode: shared steps ----------------------------------------- */

/* Harden: set the integer at path (present, the rule refusing old) to
   value, with what it was in the record.  */
static void
harden_set_int (struct floor_ctx *ctx, enum floor_rule rule, const char *path, int64_t old,
                int64_t value, const char *why)
{
  cleanup_free char *err = NULL;
  if (spec_set (ctx->config, path, json_new_int (value), &err) < 0)
    return; /* cannot happen for a present field; the rule still refuses it */
  floor_tightened (ctx, rule, path, "was %" PRId64 "%s; set to %" PRId64, old, why, value);
}

/* Harden: take member field out of the object at base (a path).  */
static bool
harden_remove (struct floor_ctx *ctx, const char *base, const char *field)
{
  json_value *obj = NULL;
  return spec_get (ctx->config, base, JSON_OBJECT, &obj) == SPEC_OK
         && json_object_remove (obj, field);
}

/* ---- memory ------------------------------------------------------------- */

/* Rule MEMORY ("memory").
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
  cleanup_free char *fix = memory_fix (p);
  static const char limit_path[] = "linux.resources.memory.limit";
  static const char swap_path[] = "linux.resources.memory.swap";

  int64_t limit = 0;
  bool limit_ok = false;
  spec_status s = spec_get_int (ctx->config, limit_path, INT64_MIN, INT64_MAX, &limit);
  switch (s)
    {
    case SPEC_ABSENT:
      if (fill_int (ctx, RULE_MEMORY, limit_path, fix, p->memory_bytes, NULL))
        {
          limit = p->memory_bytes;
          limit_ok = true;
        }
      break;
    case SPEC_OK:
      limit_ok = check_memory_limit (ctx, limit_path, limit, "");
      break;
    default:
      floor_report_unusable (ctx, RULE_MEMORY, limit_path, fix, s, "an integer");
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
        fill_int (ctx, RULE_MEMORY, swap_path, swap_fix, limit,
                  " (equal to memory.limit: no swap)");
      break;
    case SPEC_OK:
      if (swap == 0 && !swap_accounting)
        break; /* "not set", and this host cannot limit swap anyway */
      check_memory_swap (ctx, swap_path, swap, limit, "");
      break;
    default:
      floor_report_unusable (ctx, RULE_MEMORY, swap_path, swap_fix, s, "an integer");
      break;
    }

  check_oom_killer (ctx, "linux.resources.memory.disableOOMKiller");
}

/* Harden MEMORY: a limit the rule refuses (0, -1, above the floor) is set to
   the floor; a refused swap is set to the limit (no swap), or taken out on a
   host that cannot limit swap (runc would fail to set it, and the rule then
   accepts it absent); disableOOMKiller true is set to false.  Absent values
   are the rule's to fill in, malformed ones (null, a string) stay for it to
   refuse.  A limit below the floor stays; a policyrun.memory annotation
   then lowers the floor's value further (LOWERED_LIMITS), and one above the
   floor is still refused.  */
void
floor_harden_memory (struct floor_ctx *ctx)
{
  const struct policy *p = ctx->policy;
  static const char limit_path[] = "linux.resources.memory.limit";
  static const char swap_path[] = "linux.resources.memory.swap";
  static const char oom_path[] = "linux.resources.memory.disableOOMKiller";

  int64_t limit = 0;
  spec_status s = spec_get_int (ctx->config, limit_path, INT64_MIN, INT64_MAX, &limit);
  if (s == SPEC_OK && !memory_limit_holds (p, limit))
    {
      harden_set_int (ctx, RULE_MEMORY, limit_path, limit, p->memory_bytes,
                      limit <= 0 ? (limit == 0 ? " (not set)" : " (unlimited)")
                                 : ", above the floor");
      limit = p->memory_bytes;
    }
  else if (s == SPEC_ABSENT)
    limit = p->memory_bytes; /* what MEMORY fills in */
  else if (s != SPEC_OK)
    limit = 0; /* MEMORY refuses it; the swap cannot be settled without it */

  int64_t swap = 0;
  bool swap_accounting = ctx->host == NULL || ctx->host->swap_accounting;
  s = spec_get_int (ctx->config, swap_path, INT64_MIN, INT64_MAX, &swap);
  if (s == SPEC_OK && limit > 0 && !(swap == 0 && !swap_accounting)
      && !memory_swap_holds (swap, limit))
    {
      if (swap_accounting)
        harden_set_int (ctx, RULE_MEMORY, swap_path, swap, limit,
                        swap < 0    ? " (unlimited swap)"
                        : swap == 0 ? " (not set)"
                                    : "");
      else if (harden_remove (ctx, "linux.resources.memory", "swap"))
        floor_tightened (ctx, RULE_MEMORY, swap_path,
                         "was %" PRId64 "; removed (this host cannot limit swap)", swap);
    }

  bool disable_oom = false;
  if (spec_get_bool (ctx->config, oom_path, &disable_oom) == SPEC_OK && disable_oom)
    {
      spec_set (ctx->config, oom_path, json_new_bool (false), NULL);
      floor_tightened (ctx, RULE_MEMORY, oom_path, "was true; set to false");
    }
}

/* ---- cpu ---------------------------------------------------------------- */

/* quota/period within the floor's ratio; lead says what the values are
   ("is " at create; for update, which flag gave which value).  */
bool
check_cpu_ratio (struct floor_ctx *ctx, const char *path, const char *lead, int64_t quota,
                 int64_t period)
{
  const struct policy *p = ctx->policy;
  if (cpu_ratio_holds (p, quota, period))
    return true;
  cleanup_free char *found = cpus_text (quota, period);
  cleanup_free char *floor_cpus = cpus_text (p->cpu_quota, p->cpu_period);
  cleanup_free char *fix = cpu_fix (p);
  floor_violation (ctx, RULE_CPU, path, fix,
                   "%s%" PRId64 " per period of %" PRId64
                   " (--cpus %s), above the floor of %" PRId64 " per %" PRId64 " (--cpus %s)",
                   lead, quota, period, found ? found : "under 0.001", p->cpu_quota, p->cpu_period,
                   floor_cpus ? floor_cpus : "under 0.001");
  return false;
}

/* Realtime time and burst let a container run beyond its quota.  Shared by
   the config rule and update.  base is "linux.resources.cpu" or "cpu".  */
static const struct
{
  const char *field;
  int64_t min;
  const char *what;
  const char *fix;
} cpu_extras[] = {
  { "realtimeRuntime", INT64_MIN, "realtime CPU time", "remove --cpu-rt-runtime" },
  { "realtimePeriod", 0, "a realtime CPU period", "remove --cpu-rt-period" },
  { "burst", 0, "CPU time beyond the quota", NULL },
};

void
check_cpu_extras (struct floor_ctx *ctx, const char *base)
{
  for (size_t i = 0; i < sizeof cpu_extras / sizeof cpu_extras[0]; i++)
    {
      cleanup_free char *path = xasprintf ("%s.%s", base, cpu_extras[i].field);
      int64_t v = 0;
      spec_status s = spec_get_int (ctx->config, path, cpu_extras[i].min, INT64_MAX, &v);
      if (s == SPEC_OK && v != 0)
        floor_violation (ctx, RULE_CPU, path, cpu_extras[i].fix, "is %" PRId64 " (%s)", v,
                         cpu_extras[i].what);
      else if (s == SPEC_BAD_TYPE)
        floor_report_unusable (ctx, RULE_CPU, path, cpu_extras[i].fix, s, "an integer in range");
    }
}

/* Rule CPU ("cpu").
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
  cleanup_free char *fix = cpu_fix (p);
  static const char quota_path[] = "linux.resources.cpu.quota";
  static const char period_path[] = "linux.resources.cpu.period";

  int64_t period = 0;
  bool period_known = true;
  spec_status ps = spec_get_int (ctx->config, period_path, 0, INT64_MAX, &period);
  if (ps == SPEC_ABSENT || (ps == SPEC_OK && period == 0))
    period = RUNC_DEFAULT_CPU_PERIOD;
  else if (ps != SPEC_OK)
    {
      floor_report_unusable (ctx, RULE_CPU, period_path, fix, ps, "an unsigned integer");
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
      if (!fill_int (ctx, RULE_CPU, quota_path, fix, p->cpu_quota, NULL))
        break;
      if (ps != SPEC_OK)
        fill_int (ctx, RULE_CPU, period_path, fix, p->cpu_period, NULL);
      else if (period != p->cpu_period)
        {
          json_value *old = NULL;
          spec_get (ctx->config, period_path, JSON_NUMBER, &old);
          cleanup_free char *shown = spec_describe (old);
          json_object_set (spec_ensure_object (ctx->config, "linux.resources.cpu", NULL), "period",
                           json_new_int (p->cpu_period));
          floor_tightened (ctx, RULE_CPU, period_path,
                           "was %s without a quota; set to %" PRId64 " with the filled-in quota",
                           shown, p->cpu_period);
        }
      break;
    case SPEC_OK:
      if (quota <= 0)
        floor_violation (ctx, RULE_CPU, quota_path, fix, "is %" PRId64 " (%s)", quota,
                         quota == 0 ? "not set: no CPU limit" : "unlimited");
      else if (period_known)
        check_cpu_ratio (ctx, quota_path, "is ", quota, period);
      break;
    default:
      floor_report_unusable (ctx, RULE_CPU, quota_path, fix, qs, "an integer");
      break;
    }

  check_cpu_extras (ctx, "linux.resources.cpu");
}

/* Harden CPU: a quota the rule refuses (0, -1, more than the floor's share)
   becomes the floor's quota and period (the policy's pair, which the
   kernel takes whatever the config's period was); non-zero
   realtimeRuntime, realtimePeriod and burst are taken out.  An absent quota
   is the rule's to fill in; a malformed quota or period stays for it to
   refuse.  shares, cpus, mems and idle only restrict: untouched.  */
void
floor_harden_cpu (struct floor_ctx *ctx)
{
  const struct policy *p = ctx->policy;
  static const char cpu_path[] = "linux.resources.cpu";
  static const char quota_path[] = "linux.resources.cpu.quota";
  static const char period_path[] = "linux.resources.cpu.period";

  for (size_t i = 0; i < sizeof cpu_extras / sizeof cpu_extras[0]; i++)
    {
      cleanup_free char *path = xasprintf ("%s.%s", cpu_path, cpu_extras[i].field);
      int64_t v = 0;
      if (spec_get_int (ctx->config, path, cpu_extras[i].min, INT64_MAX, &v) == SPEC_OK && v != 0
          && harden_remove (ctx, cpu_path, cpu_extras[i].field))
        floor_tightened (ctx, RULE_CPU, path, "was %" PRId64 " (%s); removed", v,
                         cpu_extras[i].what);
    }

  int64_t period = 0;
  spec_status ps = spec_get_int (ctx->config, period_path, 0, INT64_MAX, &period);
  if (ps == SPEC_ABSENT || (ps == SPEC_OK && period == 0))
    period = RUNC_DEFAULT_CPU_PERIOD;
  else if (ps != SPEC_OK)
    return;
  int64_t quota = 0;
  if (spec_get_int (ctx->config, quota_path, INT64_MIN, INT64_MAX, &quota) != SPEC_OK
      || (quota > 0 && cpu_ratio_holds (p, quota, period)))
    return;
  cleanup_free char *was = quota > 0 ? cpus_text (quota, period) : NULL;
  cleanup_free char *now = cpus_text (p->cpu_quota, p->cpu_period);
  cleanup_free char *why
      = quota <= 0 ? xstrdup (quota == 0 ? " (not set: no CPU limit)" : " (unlimited)")
                   : xasprintf (" per period of %" PRId64 " (--cpus %s), above the floor", period,
                                was ? was : "under 0.001");
  harden_set_int (ctx, RULE_CPU, quota_path, quota, p->cpu_quota, why);
  if (period != p->cpu_period)
    {
      spec_set (ctx->config, period_path, json_new_int (p->cpu_period), NULL);
      floor_tightened (ctx, RULE_CPU, period_path,
                       "was %" PRId64 "%s; set to %" PRId64 " with the floor's quota (--cpus %s)",
                       period, ps == SPEC_OK && period != 0 ? "" : " (runc's default)",
                       p->cpu_period, now ? now : "under 0.001");
    }
}

/* ---- pids --------------------------------------------------------------- */

/* Podman writes containers.conf's pids_limit, 2048 unless an
   administrator changed it, into every container the user gave no
   --pids-limit.  The config cannot tell it from --pids-limit 2048, so a
   Podman caller's 2048 is taken for the default and lowered to the floor
   (a tightening, in the log line); any other value above the floor is the
   user's and refused.  */
static const int64_t podman_default_pids = 2048;

/* Rule PIDS ("pids").
   linux.resources.pids.limit: > 0 and <= policy pids_limit (under gVisor
   gvisor_pids_limit, see pids_ceiling); filled in with that ceiling when
   absent; -1 (unlimited) and 0 (not set) refused.  Podman's default 2048
   (podman_default_pids) is lowered to the ceiling for a Podman caller.
   Docker and Podman: --pids-limit N.  */
void
floor_check_pids (struct floor_ctx *ctx)
{
  int64_t ceiling = pids_ceiling (ctx);
  cleanup_free char *fix = xasprintf ("run with --pids-limit %" PRId64, ceiling);
  static const char path[] = "linux.resources.pids.limit";
  int64_t limit = 0;
  spec_status s = spec_get_int (ctx->config, path, INT64_MIN, INT64_MAX, &limit);
  if (s == SPEC_ABSENT)
    fill_int (ctx, RULE_PIDS, path, fix, ceiling, pids_ceiling_note (ctx));
  else if (s == SPEC_OK && limit == podman_default_pids && limit > ceiling
           && floor_caller_podman (ctx))
    {
      cleanup_free char *err = NULL;
      if (spec_set (ctx->config, path, json_new_int (ceiling), &err) < 0)
        floor_violation (ctx, RULE_PIDS, path, fix, "is %" PRId64 " and cannot be lowered (%s)",
                         limit, err);
      else
        floor_tightened (ctx, RULE_PIDS, path,
                         "was %" PRId64 ", Podman's default (containers.conf pids_limit); set to "
                         "%" PRId64 "%s",
                         limit, ceiling, pids_ceiling_note (ctx));
    }
  else if (s == SPEC_OK)
    check_pids_limit (ctx, path, limit, "");
  else
    floor_report_unusable (ctx, RULE_PIDS, path, fix, s, "an integer");
}

/* Harden PIDS: a limit the rule refuses (0, -1, above the ceiling, which is
   gvisor_pids_limit under gVisor) is set to the ceiling.  Podman's default
   2048 is the rule's own tightening; absent is the rule's to fill in;
   malformed stays for it to refuse.  */
void
floor_harden_pids (struct floor_ctx *ctx)
{
  static const char path[] = "linux.resources.pids.limit";
  int64_t ceiling = pids_ceiling (ctx);
  int64_t limit = 0;
  if (spec_get_int (ctx->config, path, INT64_MIN, INT64_MAX, &limit) != SPEC_OK
      || pids_limit_holds (ceiling, limit)
      || (limit == podman_default_pids && floor_caller_podman (ctx)))
    return;
  cleanup_free char *why = limit <= 0 ? xstrdup (limit == 0 ? " (not set)" : " (unlimited)")
                                      : xasprintf (", above the floor%s", pids_ceiling_note (ctx));
  harden_set_int (ctx, RULE_PIDS, path, limit, ceiling, why);
}

/* ---- unified ------------------------------------------------------------ */

static const char *const unified_fix = "remove --cgroup-conf / unified cgroup settings";

/* "\"memory.max\", \"pids.max\" and 3 more"; the caller frees it.  */
static char *
unified_keys (const json_value *unified)
{
  struct strbuf keys = { 0 };
  size_t n = unified->u.object.len;
  for (size_t i = 0; i < n && i < 4; i++)
    strbuf_addf (&keys, "%s\"%s\"", i ? ", " : "", unified->u.object.members[i].key);
  if (n > 4)
    strbuf_addf (&keys, " and %zu more", n - 4);
  return keys.s;
}

void
check_unified_at (struct floor_ctx *ctx, const char *path)
{
  json_value *unified = NULL;
  spec_status s = spec_get (ctx->config, path, JSON_OBJECT, &unified);
  if (s == SPEC_BAD_TYPE)
    floor_report_unusable (ctx, RULE_UNIFIED, path, unified_fix, s, "an object");
  if (s != SPEC_OK || unified->u.object.len == 0)
    return;
  cleanup_free char *keys = unified_keys (unified);
  floor_violation (ctx, RULE_UNIFIED, path, unified_fix,
                   "has %s (cgroup v2 files that override the typed limits)", keys);
}

/* Rule UNIFIED ("unified").
   linux.resources.unified: absent, null or empty.  Its keys are written to
   cgroup v2 files after the typed limits ("memory.max": "max" undoes
   memory.limit), so none is allowed.
   Docker: none; podman --cgroup-conf.  */
void
floor_check_unified (struct floor_ctx *ctx)
{
  check_unified_at (ctx, "linux.resources.unified");
}

/* Harden UNIFIED: every key is refused, so a non-empty unified goes (the
   typed limits then hold).  null and {} are accepted; another type stays
   for the rule to refuse.  */
void
floor_harden_unified (struct floor_ctx *ctx)
{
  json_value *unified = NULL;
  if (spec_get (ctx->config, "linux.resources.unified", JSON_OBJECT, &unified) != SPEC_OK
      || unified->u.object.len == 0)
    return;
  cleanup_free char *keys = unified_keys (unified);
  if (harden_remove (ctx, "linux.resources", "unified"))
    floor_tightened (ctx, RULE_UNIFIED, "linux.resources.unified", "had %s; removed", keys);
}

/* ---- per-container tightening ------------------------------------------- */

/* The kernel's least CFS quota (1 ms): runc fails below it.  */
#define KERNEL_MIN_CPU_QUOTA INT64_C (1000)

#define NANOS_PER_CPU INT64_C (1000000000)

/* Set path to value where the config had old: a tightening.  */
static void
lower_int (struct floor_ctx *ctx, const char *path, int64_t old, int64_t value, const char *key)
{
  cleanup_free char *err = NULL;
  if (spec_set (ctx->config, path, json_new_int (value), &err) < 0)
    floor_violation (ctx, RULE_LOWERED_LIMITS, path, NULL, "cannot be lowered (%s)", err);
  else if (old != value)
    floor_tightened (ctx, RULE_LOWERED_LIMITS, path,
                     "was %" PRId64 "; lowered to %" PRId64 " by annotations.%s", old, value, key);
}

/* A raise: the annotation asks more than the floor or than the config.  */
static void
refuse_raise (struct floor_ctx *ctx, const char *key, const char *found, const char *above)
{
  cleanup_free char *field = xasprintf ("annotations.%s", key);
  floor_violation (ctx, RULE_LOWERED_LIMITS, field, "remove that --annotation",
                   "is %s, above %s (an annotation only lowers a limit)", found, above);
}

static void
lower_memory (struct floor_ctx *ctx, int64_t want)
{
  static const char limit_path[] = "linux.resources.memory.limit";
  static const char swap_path[] = "linux.resources.memory.swap";
  cleanup_free char *found = describe_bytes (want);
  if (want > ctx->policy->memory_bytes)
    {
      cleanup_free char *floor_text = describe_bytes (ctx->policy->memory_bytes);
      cleanup_free char *above = xasprintf ("the floor of %s", floor_text);
      refuse_raise (ctx, "policyrun.memory", found, above);
      return;
    }
  int64_t limit = 0;
  if (spec_get_int (ctx->config, limit_path, INT64_MIN, INT64_MAX, &limit) != SPEC_OK || limit <= 0)
    return; /* unusable or unlimited: MEMORY refused it */
  if (want > limit)
    {
      cleanup_free char *was = describe_bytes (limit);
      cleanup_free char *above = xasprintf ("%s, which is %s", limit_path, was);
      refuse_raise (ctx, "policyrun.memory", found, above);
      return;
    }
  /* memory+swap equal to the limit (no swap) stays so.  */
  int64_t swap = 0;
  if (spec_get_int (ctx->config, swap_path, INT64_MIN, INT64_MAX, &swap) == SPEC_OK
      && swap == limit)
    lower_int (ctx, swap_path, swap, want, "policyrun.memory");
  lower_int (ctx, limit_path, limit, want, "policyrun.memory");
}

static void
lower_cpu (struct floor_ctx *ctx, int64_t nanos)
{
  static const char quota_path[] = "linux.resources.cpu.quota";
  static const char period_path[] = "linux.resources.cpu.period";
  const struct policy *p = ctx->policy;
  cleanup_free char *found = cpus_text (nanos, NANOS_PER_CPU);
  cleanup_free char *found_text = xasprintf ("%s CPUs", found ? found : "under 0.001");
  if (!ratio_le ((uint64_t)nanos, (uint64_t)NANOS_PER_CPU, (uint64_t)p->cpu_quota,
                 (uint64_t)p->cpu_period))
    {
      cleanup_free char *floor_cpus = cpus_text (p->cpu_quota, p->cpu_period);
      cleanup_free char *above
          = xasprintf ("the floor of %s CPUs", floor_cpus ? floor_cpus : "under 0.001");
      refuse_raise (ctx, "policyrun.cpus", found_text, above);
      return;
    }
  int64_t quota = 0, period = 0;
  if (spec_get_int (ctx->config, quota_path, INT64_MIN, INT64_MAX, &quota) != SPEC_OK || quota <= 0)
    return; /* unusable or unlimited: CPU refused it */
  spec_status ps = spec_get_int (ctx->config, period_path, 0, INT64_MAX, &period);
  if (ps == SPEC_ABSENT || (ps == SPEC_OK && period == 0))
    period = RUNC_DEFAULT_CPU_PERIOD;
  else if (ps != SPEC_OK)
    return; /* CPU refused it */
  if (!ratio_le ((uint64_t)nanos, (uint64_t)NANOS_PER_CPU, (uint64_t)quota, (uint64_t)period))
    {
      cleanup_free char *was = cpus_text (quota, period);
      cleanup_free char *above = xasprintf ("%s %" PRId64 " per period of %" PRId64 " (--cpus %s)",
                                            quota_path, quota, period, was ? was : "under 0.001");
      refuse_raise (ctx, "policyrun.cpus", found_text, above);
      return;
    }
  /* The config's period stays; the quota is rounded down (a tightening).
     nanos/1e9 <= quota/period, so the result is at most quota.  */
  int64_t lowered = (int64_t)((unsigned __int128)nanos * (uint64_t)period / NANOS_PER_CPU);
  if (lowered < KERNEL_MIN_CPU_QUOTA)
    {
      cleanup_free char *field = xasprintf ("annotations.%s", "policyrun.cpus");
      floor_violation (ctx, RULE_LOWERED_LIMITS, field, "remove that --annotation",
                       "is %s: a quota of %" PRId64 " per period of %" PRId64
                       ", under the kernel's least quota of %" PRId64,
                       found_text, lowered, period, KERNEL_MIN_CPU_QUOTA);
      return;
    }
  lower_int (ctx, quota_path, quota, lowered, "policyrun.cpus");
}

static void
lower_pids (struct floor_ctx *ctx, int64_t want)
{
  static const char path[] = "linux.resources.pids.limit";
  int64_t ceiling = pids_ceiling (ctx);
  cleanup_free char *found = xasprintf ("%" PRId64, want);
  if (want > ceiling)
    {
      cleanup_free char *above
          = xasprintf ("the floor of %" PRId64 "%s", ceiling, pids_ceiling_note (ctx));
      refuse_raise (ctx, "policyrun.pids", found, above);
      return;
    }
  int64_t limit = 0;
  if (spec_get_int (ctx->config, path, INT64_MIN, INT64_MAX, &limit) != SPEC_OK || limit <= 0)
    return; /* unusable or unlimited: PIDS refused it */
  if (want > limit)
    {
      cleanup_free char *above = xasprintf ("%s, which is %" PRId64, path, limit);
      refuse_raise (ctx, "policyrun.pids", found, above);
      return;
    }
  lower_int (ctx, path, limit, want, "policyrun.pids");
}

/* Rule LOWERED_LIMITS ("annotations").
   Field: annotations["policyrun.memory"], ["policyrun.cpus"],
   ["policyrun.pids"]; what they lower: linux.resources.memory.limit (and
   memory.swap where it equals the limit: still no swap),
   linux.resources.cpu.quota (the config's period kept, the quota rounded
   down), linux.resources.pids.limit.  Runs after MEMORY, CPU and PIDS,
   so "what the config says" includes the floor's filled-in values.
   Refused: a value above the floor (memory_bytes, cpu_quota/cpu_period,
   pids_limit or under gVisor gvisor_pids_limit), or above what the config
   already asks: an annotation never raises anything.  A cpus value that
   leaves a quota under 1000 (the kernel's least) is refused too.  Values
   that do not read are POLICYRUN_ANNOTATIONS' (annotations.c), limits the
   floor refuses are MEMORY's, CPU's and PIDS': neither is reported twice.
   Filled in: the lowered limits.
   Docker flag: --annotation (podman), a CRI pod annotation; remove it.  */
void
floor_check_lowered_limits (struct floor_ctx *ctx)
{
  struct floor_lowering l;
  cleanup_free char *err = NULL;
  if (floor_lowering_read (ctx->config, &l, &err) < 0)
    return; /* POLICYRUN_ANNOTATIONS refuses it */
  if (l.memory_bytes > 0)
    lower_memory (ctx, l.memory_bytes);
  if (l.cpu_nanos > 0)
    lower_cpu (ctx, l.cpu_nanos);
  if (l.pids_limit > 0)
    lower_pids (ctx, l.pids_limit);
}
