/* policyrun floor: annotations.  Some runtimes and engines act on
   annotations (systemd unit properties through runc's systemd driver,
   gVisor's dev.gvisor.*, CRIU's config, crun's run.oci.*); a container
   that may set them changes how the host treats it.  */
#include "config.h"
#include "floor.h"

#include <inttypes.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "gosyntax.h"
#include "spec.h"
#include "util.h"

/* The annotation_denylist prefix key starts with (ASCII case ignored), or
   NULL.  */
static const char *
denied_prefix (const struct floor_ctx *ctx, const char *key)
{
  const struct string_list *deny = &ctx->policy->annotation_denylist;
  for (size_t k = 0; k < deny->len; k++)
    if (deny->items[k][0] != '\0'
        && strncasecmp (key, deny->items[k], strlen (deny->items[k])) == 0)
      return deny->items[k];
  return NULL;
}

/* io.kubernetes.cri.* from a caller that is not containerd's CRI.  */
static bool
cri_key_refused (const struct floor_ctx *ctx, const char *key)
{
  return !ctx->host->cri_caller && strncasecmp (key, "io.kubernetes.cri.", 18) == 0;
}

/* Rule ANNOTATIONS ("annotations").
   Field: annotations.
   Refused: a key that starts with a prefix on the policy's
   annotation_denylist (compared without regard to ASCII case), a value that
   is not a string, annotations null or not an object.
   Also refused: io.kubernetes.cri.* from a caller that is not containerd's
   CRI (whose runtime root is named after its "k8s.io" namespace): they
   make a container pass for a pod's sandbox or a CRI-managed one.
   Filled in: nothing.
   Docker flag: remove --annotation / --label KEY.  */
void
floor_check_annotations (struct floor_ctx *ctx)
{
  json_value *annotations = NULL;
  spec_status st = spec_get (ctx->config, "annotations", JSON_OBJECT, &annotations);
  if (st == SPEC_ABSENT)
    return;
  if (st != SPEC_OK)
    {
      floor_violation (ctx, RULE_ANNOTATIONS, "annotations", NULL, "is %s", spec_status_text (st));
      return;
    }
  for (size_t i = 0; i < annotations->u.object.len; i++)
    {
      const struct json_member *m = &annotations->u.object.members[i];
      cleanup_free char *field = xasprintf ("annotations.%s", m->key);
      const char *deny = denied_prefix (ctx, m->key);
      if (deny != NULL)
        floor_violation (ctx, RULE_ANNOTATIONS, field, "remove that --annotation",
                         "is set; annotations starting with \"%s\" are not allowed", deny);
      if (cri_key_refused (ctx, m->key))
        floor_violation (ctx, RULE_ANNOTATIONS, field, "remove that --annotation",
                         "is set by a caller that is not Kubernetes' CRI");
      if (m->value->type != JSON_STRING)
        floor_violation (ctx, RULE_ANNOTATIONS, field, NULL, "is %s, not a string",
                         m->value->type == JSON_NULL ? "null" : json_type_name (m->value->type));
    }
}

static bool lowering_key (const char *key);

/* Harden ANNOTATIONS: each annotation the rule refuses by its key (a prefix
   on the annotation_denylist: systemd unit properties, gVisor's
   dev.gvisor.*, CRIU's config, crun's run.oci.*; io.kubernetes.cri.* from a
   caller that is not the CRI) is taken out; the rest stay.  policyrun.*
   annotations stay as they are (POLICYRUN_ANNOTATIONS refuses an unknown
   one, LOWERED_LIMITS one that raises), and so does a value that is not a
   string (malformed), and the CRI's own sandbox-join annotations under
   gVisor: taking "container" away would put a pod's container in a sandbox
   of its own, outside its pod, so SANDBOX_JOIN still refuses them (from a
   caller that is not the CRI, io.kubernetes.cri.* goes like any other).  */
void
floor_harden_annotations (struct floor_ctx *ctx)
{
  json_value *annotations = NULL;
  if (spec_get (ctx->config, "annotations", JSON_OBJECT, &annotations) != SPEC_OK)
    return;
  for (size_t i = 0; i < annotations->u.object.len;)
    {
      const struct json_member *m = &annotations->u.object.members[i];
      const char *deny = denied_prefix (ctx, m->key);
      bool cri = cri_key_refused (ctx, m->key);
      if ((deny == NULL && !cri) || m->value->type != JSON_STRING || lowering_key (m->key))
        {
          i++;
          continue;
        }
      cleanup_free char *field = xasprintf ("annotations.%s", m->key);
      cleanup_free char *value = spec_describe (m->value);
      cleanup_free char *key = xstrdup (m->key);
      cleanup_free char *why
          = deny != NULL ? xasprintf ("annotations starting with \"%s\" are not allowed", deny)
                         : xstrdup ("set by a caller that is not Kubernetes' CRI");
      /* The loader keeps one member per key under Go's folding, so this is
         member i.  */
      json_object_remove (annotations, key);
      floor_tightened (ctx, RULE_ANNOTATIONS, field, "was %s; removed (%s)", value, why);
    }
}

/* Rule SANDBOX_JOIN ("annotations").
   Field: annotations["io.kubernetes.cri.container-type"],
   annotations["io.kubernetes.cri-o.ContainerType"].
   Under gVisor only.  runsc (20221219, runsc/specutils) reads these exact
   map keys: when one of them is "container" it does not create a sandbox
   for the container but joins the one named by io.kubernetes.cri.sandbox-id
   or io.kubernetes.cri-o.SandboxID, where only that sandbox's cgroup
   limits, network and deadline apply; so either key being "container" is
   refused.  "sandbox" (and any other value, which runsc takes for a new
   sandbox) is accepted, and so is a sandbox id without it (runsc reads it
   only to join).  With runc these annotations mean nothing to the runtime
   (floor_check_annotations holds io.kubernetes.cri.* to CRI callers).
   Filled in: nothing.
   Docker flag: remove --annotation KEY.  */
void
floor_check_sandbox_join (struct floor_ctx *ctx)
{
  static const char *const keys[] = {
    "io.kubernetes.cri.container-type",
    "io.kubernetes.cri-o.ContainerType",
  };
  json_value *annotations = NULL;
  if (!ctx->host->gvisor
      || spec_get (ctx->config, "annotations", JSON_OBJECT, &annotations) != SPEC_OK)
    return; /* absent, or refused by floor_check_annotations */
  for (size_t i = 0; i < annotations->u.object.len; i++)
    {
      const struct json_member *m = &annotations->u.object.members[i];
      bool type_key = strcmp (m->key, keys[0]) == 0 || strcmp (m->key, keys[1]) == 0;
      if (!type_key || m->value->type != JSON_STRING
          || strcmp (m->value->u.string.s, "container") != 0)
        continue;
      cleanup_free char *field = xasprintf ("annotations.%s", m->key);
      floor_violation (ctx, RULE_SANDBOX_JOIN, field, "remove that --annotation",
                       "is \"container\": runsc would run it inside another container's gVisor "
                       "sandbox, under that sandbox's limits, instead of a sandbox of its own");
    }
}

/* ---- per-container tightening: policyrun.* ------------------------------

   A container may ask for less than the floor gives it: lower memory, cpu
   and pids limits, an earlier deadline.  The values are read as Docker
   reads the flag of the same meaning, or more strictly (and the reason
   says so); anything policyrun cannot read exactly is refused.  */

#define NANOS_PER_CPU INT64_C (1000000000)

/* --memory: go-units RAMInBytes (gosyntax.c), a positive size.  */
static const char *
parse_memory (const char *s, int64_t *out)
{
  if (go_ram_in_bytes (s, out) < 0)
    return "is not a size as --memory reads it (\"64m\", \"1g\", or bytes)";
  if (*out <= 0)
    return "is not a positive size (an annotation cannot lift the limit)";
  return NULL;
}

/* --cpus: digits with at most one fraction of at most nine digits (Docker
   refuses what its nano-CPUs cannot hold).  Stricter than Docker, whose
   big.Rat also takes "1e-1" and "1/4": those are refused.  */
static const char *
parse_cpus (const char *s, int64_t *out)
{
  static const char bad[] = "is not a number of CPUs as --cpus reads it (\"0.25\", \"1\")";
  int64_t whole = 0, frac = 0;
  int frac_digits = 0;
  const char *p = s;
  bool digits = false;
  for (; *p >= '0' && *p <= '9'; p++, digits = true)
    if (__builtin_mul_overflow (whole, 10, &whole)
        || __builtin_add_overflow (whole, *p - '0', &whole))
      return bad;
  if (*p == '.')
    for (p++; *p >= '0' && *p <= '9'; p++, digits = true)
      {
        if (++frac_digits > 9)
          return "has more than nine decimals (Docker's --cpus counts billionths)";
        frac = frac * 10 + (*p - '0');
      }
  if (!digits || *p != '\0')
    return bad;
  for (int i = frac_digits; i < 9; i++)
    frac *= 10;
  if (__builtin_mul_overflow (whole, NANOS_PER_CPU, out)
      || __builtin_add_overflow (*out, frac, out))
    return bad;
  if (*out <= 0)
    return "is not a positive number of CPUs (an annotation cannot lift the limit)";
  return NULL;
}

/* --pids-limit: a plain decimal integer (pflag's base-0 reading also takes
   "0x10": refused), positive.  */
static const char *
parse_pids (const char *s, int64_t *out)
{
  if (!go_plain_decimal_int64 (s) || go_atoi (s, out) < 0)
    return "is not a decimal integer as --pids-limit reads it";
  if (*out <= 0)
    return "is not a positive number of processes (an annotation cannot lift the limit)";
  return NULL;
}

/* Whole seconds: "90", or a Go duration made of whole hours, minutes and
   seconds ("90s", "1m30s", "2h").  Durations with a fraction or a smaller
   unit are refused: the deadline counts whole seconds.  0 is refused: it
   would read as "no deadline", which is never a tightening.  */
static const char *
parse_timeout (const char *s, int64_t *out)
{
  static const char bad[]
      = "is not whole seconds (\"90\") or a Go duration in whole h, m and s (\"1m30s\")";
  if (go_plain_decimal_int64 (s))
    {
      if (go_atoi (s, out) < 0)
        return bad;
    }
  else
    {
      if (!go_duration_valid (s))
        return bad;
      int64_t total = 0;
      for (const char *p = s; *p != '\0';)
        {
          int64_t n = 0;
          if (!(*p >= '0' && *p <= '9'))
            return bad; /* a sign, a fraction, a bare "." */
          for (; *p >= '0' && *p <= '9'; p++)
            if (__builtin_mul_overflow (n, 10, &n) || __builtin_add_overflow (n, *p - '0', &n))
              return bad;
          int64_t unit = *p == 'h' ? 3600 : *p == 'm' && p[1] != 's' ? 60 : *p == 's' ? 1 : 0;
          if (unit == 0)
            return bad;
          p++;
          if (__builtin_mul_overflow (n, unit, &n) || __builtin_add_overflow (total, n, &total))
            return bad;
        }
      *out = total;
    }
  if (*out <= 0)
    return "is 0 or less; 0 would mean no deadline, which an annotation cannot ask for";
  if (*out > POLICY_TIMEOUT_MAX)
    return "is longer than ten years, the longest deadline";
  return NULL;
}

static const struct
{
  const char *key;
  const char *(*parse) (const char *s, int64_t *out);
  size_t offset; /* in struct floor_lowering */
} lowering_keys[] = {
  { "policyrun.memory", parse_memory, offsetof (struct floor_lowering, memory_bytes) },
  { "policyrun.cpus", parse_cpus, offsetof (struct floor_lowering, cpu_nanos) },
  { "policyrun.pids", parse_pids, offsetof (struct floor_lowering, pids_limit) },
  { "policyrun.timeout", parse_timeout, offsetof (struct floor_lowering, timeout_seconds) },
};

static const char lowering_prefix[] = "policyrun.";
/* key is policyrun's (any case of the prefix).  */
static bool
lowering_key (const char *key)
{
  return strncasecmp (key, lowering_prefix, sizeof lowering_prefix - 1) == 0;
}

static const char lowering_known[]
    = "policyrun.memory, policyrun.cpus, policyrun.pids and policyrun.timeout";

/* One annotation: -1 when it is not policyrun's (any case of the prefix is
   policyrun's: a "PolicyRun.memory" that quietly did nothing would be
   worse than a refusal), else its reading: *why NULL and the value stored
   in *l, or *why the reason it is refused.  */
static int
lowering_member (const struct json_member *m, struct floor_lowering *l, const char **why)
{
  if (!lowering_key (m->key))
    return -1;
  *why = NULL;
  for (size_t i = 0; i < sizeof lowering_keys / sizeof lowering_keys[0]; i++)
    if (strcmp (m->key, lowering_keys[i].key) == 0)
      {
        if (m->value->type != JSON_STRING)
          *why = "is not a string";
        else
          *why = lowering_keys[i].parse (m->value->u.string.s,
                                         (int64_t *)((char *)l + lowering_keys[i].offset));
        return 0;
      }
  *why = "is not an annotation policyrun knows";
  return 0;
}

int
floor_lowering_read (const json_value *config, struct floor_lowering *out, char **err)
{
  *out = (struct floor_lowering){ 0 };
  json_value *annotations = NULL;
  spec_status st = spec_get (config, "annotations", JSON_OBJECT, &annotations);
  if (st == SPEC_ABSENT || st == SPEC_NULL)
    return 0;
  if (st != SPEC_OK)
    return fail (err, "annotations is %s", spec_status_text (st));
  for (size_t i = 0; i < annotations->u.object.len; i++)
    {
      const struct json_member *m = &annotations->u.object.members[i];
      const char *why = NULL;
      if (lowering_member (m, out, &why) == 0 && why != NULL)
        return fail (err, "annotations.%s %s", m->key, why);
    }
  return 0;
}

int64_t
floor_lowering_deadline (const struct floor_lowering *l, int64_t policy_seconds)
{
  if (l->timeout_seconds <= 0)
    return policy_seconds;
  if (policy_seconds <= 0 || l->timeout_seconds < policy_seconds)
    return l->timeout_seconds;
  return policy_seconds;
}

/* Rule POLICYRUN_ANNOTATIONS ("annotations").
   Field: annotations["policyrun.*"] (the prefix in any case).
   Refused: a key other than policyrun.memory, policyrun.cpus,
   policyrun.pids and policyrun.timeout; a value that is not a string or
   that does not read as the flag it stands for (parse_memory, parse_cpus,
   parse_pids, parse_timeout); a policyrun.timeout longer than the policy's
   timeout_seconds (a deadline is only ever brought forward; with
   timeout_seconds 0, no deadline, any deadline is a tightening).  Whether
   memory, cpus and pids lower anything is LOWERED_LIMITS' (resources.c).
   Filled in: nothing.  The deadline is read again at start from the
   private bundle (cmd_start.c, floor_lowering_deadline).
   Docker flag: remove --annotation / --label KEY.  */
void
floor_check_policyrun_annotations (struct floor_ctx *ctx)
{
  json_value *annotations = NULL;
  if (spec_get (ctx->config, "annotations", JSON_OBJECT, &annotations) != SPEC_OK)
    return; /* absent, or refused by floor_check_annotations */
  int64_t policy_timeout = ctx->policy->timeout_seconds;
  for (size_t i = 0; i < annotations->u.object.len; i++)
    {
      const struct json_member *m = &annotations->u.object.members[i];
      struct floor_lowering l = { 0 };
      const char *why = NULL;
      if (lowering_member (m, &l, &why) < 0)
        continue;
      cleanup_free char *field = xasprintf ("annotations.%s", m->key);
      const char *fix = "remove that --annotation";
      if (why != NULL && strcmp (why, "is not an annotation policyrun knows") == 0)
        floor_violation (ctx, RULE_POLICYRUN_ANNOTATIONS, field, fix,
                         "is not an annotation policyrun knows (it knows %s)", lowering_known);
      else if (why != NULL)
        floor_violation (ctx, RULE_POLICYRUN_ANNOTATIONS, field, fix, "%s", why);
      else if (l.timeout_seconds > 0 && policy_timeout > 0 && l.timeout_seconds > policy_timeout)
        floor_violation (ctx, RULE_POLICYRUN_ANNOTATIONS, field, fix,
                         "is %" PRId64 " seconds, later than the policy's deadline of %" PRId64
                         " seconds (an annotation only brings it forward)",
                         l.timeout_seconds, policy_timeout);
    }
}
