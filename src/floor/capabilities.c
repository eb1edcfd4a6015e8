/* policyrun floor: capabilities of the container's process (a Process
   rule: config.json's "process" or exec's process.json).  */
#include "config.h"
#include "floor.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/capability.h>

#include "spec.h"
#include "util.h"

static const char *const drop_fix = "run with --cap-drop ALL and no --cap-add";
static const char *const privileged_fix = "remove --privileged (or --cap-add ALL)";

/* A set this large is the full list that --privileged (or --cap-add ALL)
   grants: every kernel since 3.16 has at least 38 capabilities.  */
#define PRIVILEGED_SET_SIZE 38

/* runc knows capabilities as "CAP_" and the upper-case name; anything else
   it ignores or refuses.  libcap's cap_from_name also takes lower case,
   numbers and whole "cap_a,cap_b+ep" texts, so the name must also read back
   as itself.  */
static bool
capability_name_valid (const char *name)
{
  if (strncmp (name, "CAP_", 4) != 0 || name[4] == '\0')
    return false;
  for (const char *c = name + 4; *c; c++)
    if (!((*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '_'))
      return false;
  cap_value_t value;
  if (cap_from_name (name, &value) != 0)
    return false;
  char *canonical = cap_to_name (value);
  bool same = canonical != NULL && strcasecmp (canonical, name) == 0;
  cap_free (canonical);
  return same;
}

static const char *const capability_sets[] = {
  "bounding", "effective", "inheritable", "permitted", "ambient",
};

/* A pod's sandbox (pause) container: containerd's CRI gives it its 14
   default capabilities whatever the pod says, and the pause process needs
   none, so every set is emptied (an absent or null object becomes one with
   every set empty) instead of refused.  Only the annotation's claim picks
   this: emptying is safe whoever claims it.  */
static void
empty_sandbox_capabilities (struct floor_ctx *ctx)
{
  const char *type = floor_cri_container_type (ctx);
  if (type == NULL || strcmp (type, "sandbox") != 0)
    return;
  json_value *caps = json_object_get (ctx->config, "capabilities");
  if (caps == NULL || caps->type == JSON_NULL)
    {
      caps = json_object_set (ctx->config, "capabilities", json_new_object ());
      for (size_t i = 0; i < sizeof capability_sets / sizeof capability_sets[0]; i++)
        json_object_set (caps, capability_sets[i], json_new_array ());
      floor_tightened (ctx, RULE_CAPABILITIES, "capabilities",
                       "was absent in a pod's sandbox (every capability); set every set empty");
      return;
    }
  if (caps->type != JSON_OBJECT)
    return; /* refused below */
  size_t most = 0;
  struct strbuf sets = { 0 }, names = { 0 };
  for (size_t i = 0; i < sizeof capability_sets / sizeof capability_sets[0]; i++)
    {
      json_value *set = json_object_get (caps, capability_sets[i]);
      if (set == NULL || set->type != JSON_ARRAY || set->u.array.len == 0)
        continue; /* absent, null, empty, or refused below */
      if (set->u.array.len > most)
        {
          most = set->u.array.len;
          strbuf_free (&names);
          strbuf_add (&names, "");
          for (size_t j = 0; j < most && j < 3; j++)
            {
              const json_value *item = set->u.array.items[j];
              strbuf_addf (&names, "%s%s", j ? ", " : "",
                           item->type == JSON_STRING ? item->u.string.s : "?");
            }
          if (most > 3)
            strbuf_addf (&names, " and %zu more", most - 3);
        }
      strbuf_addf (&sets, "%s%s", sets.len ? ", " : "", capability_sets[i]);
      json_object_set (caps, capability_sets[i], json_new_array ());
    }
  if (most > 0)
    floor_tightened (ctx, RULE_CAPABILITIES, "capabilities",
                     "gave a pod's sandbox %s (in %s), which CRI cannot drop; emptied every set",
                     names.s, sets.s);
  strbuf_free (&sets);
  strbuf_free (&names);
}

/* Rule CAPABILITIES ("capabilities").
   process.capabilities: present and an object.  Absent or null means "no
   change" to runc: the process keeps every capability the runtime has.
   Every set (bounding, effective, inheritable, permitted, ambient) absent,
   null (an empty Go slice) or an empty array; each name found is reported,
   and names that libcap does not know as "CAP_..." are reported as
   unknown.
   Tightened: a pod sandbox's sets (CRI annotation container-type
   "sandbox") are emptied (empty_sandbox_capabilities).
   Docker: --cap-drop ALL and no --cap-add; --privileged fills every set.  */
void
floor_check_capabilities (struct floor_ctx *ctx)
{
  empty_sandbox_capabilities (ctx);
  json_value *caps = NULL;
  switch (spec_get (ctx->config, "capabilities", JSON_OBJECT, &caps))
    {
    case SPEC_OK:
      break;
    case SPEC_ABSENT:
      floor_violation (ctx, RULE_CAPABILITIES, "capabilities", "run with --cap-drop ALL",
                       "is absent (no change: the process keeps every capability)");
      return;
    case SPEC_NULL:
      floor_violation (ctx, RULE_CAPABILITIES, "capabilities", "run with --cap-drop ALL",
                       "is null (no change: the process keeps every capability)");
      return;
    case SPEC_BAD_TYPE:
      floor_violation (ctx, RULE_CAPABILITIES, "capabilities", "run with --cap-drop ALL",
                       "is not an object");
      return;
    }

  for (size_t i = 0; i < sizeof capability_sets / sizeof capability_sets[0]; i++)
    {
      const char *set_name = capability_sets[i];
      cleanup_free char *field = xasprintf ("capabilities.%s", set_name);
      json_value *set = json_object_get (caps, set_name);
      if (set == NULL || set->type == JSON_NULL)
        continue;
      if (set->type != JSON_ARRAY)
        {
          floor_violation (ctx, RULE_CAPABILITIES, field, drop_fix, "is not an array");
          continue;
        }
      size_t n = set->u.array.len;
      if (n == 0)
        continue;

      struct strbuf found = { 0 };
      size_t shown = 0, unknown = 0;
      for (size_t j = 0; j < n; j++)
        {
          const json_value *item = set->u.array.items[j];
          bool valid = item->type == JSON_STRING && capability_name_valid (item->u.string.s);
          if (!valid)
            unknown++;
          if (shown == 6)
            continue;
          if (item->type != JSON_STRING)
            strbuf_addf (&found, "%sa %s", shown ? ", " : "", json_type_name (item->type));
          else if (valid)
            strbuf_addf (&found, "%s%s", shown ? ", " : "", item->u.string.s);
          else
            {
              cleanup_free char *text = spec_describe (item);
              strbuf_addf (&found, "%sunknown capability %s", shown ? ", " : "", text);
            }
          shown++;
        }
      if (n > shown)
        strbuf_addf (&found, " and %zu more", n - shown);
      const char *fix = n - unknown >= PRIVILEGED_SET_SIZE ? privileged_fix : drop_fix;
      floor_violation (ctx, RULE_CAPABILITIES, field, fix, "has %s", found.s);
      strbuf_free (&found);
    }
}

/* A set of names: an array of strings.  */
static bool
names_set (const json_value *set)
{
  if (set == NULL || set->type != JSON_ARRAY)
    return false;
  for (size_t j = 0; j < set->u.array.len; j++)
    if (set->u.array.items[j]->type != JSON_STRING)
      return false;
  return true;
}

/* Whether name is among the first count items of set.  */
static bool
name_among (const json_value *set, size_t count, const char *name)
{
  for (size_t j = 0; j < count; j++)
    if (strcmp (set->u.array.items[j]->u.string.s, name) == 0)
      return true;
  return false;
}

/* Harden: every capability set emptied.  Absent or null capabilities (the
   runtime's every capability) become an object of five empty sets; a
   non-empty set of names (known or not: runc ignores the ones it does not
   know) is emptied.  A capabilities value that is not an object, or a set
   that is not an array of strings, is malformed and left for the rule to
   refuse.  One finding names every capability dropped, once.  */
void
floor_harden_capabilities (struct floor_ctx *ctx)
{
  enum
  {
    NSETS = sizeof capability_sets / sizeof capability_sets[0]
  };
  json_value *caps = NULL;
  spec_status s = spec_get (ctx->config, "capabilities", JSON_OBJECT, &caps);
  if (s == SPEC_ABSENT || s == SPEC_NULL)
    {
      caps = json_object_set (ctx->config, "capabilities", json_new_object ());
      for (size_t i = 0; i < NSETS; i++)
        json_object_set (caps, capability_sets[i], json_new_array ());
      floor_tightened (ctx, RULE_CAPABILITIES, "capabilities",
                       "was %s (the runtime's every capability); set every set empty",
                       spec_status_text (s));
      return;
    }
  if (s != SPEC_OK)
    return;

  json_value *emptied[NSETS] = { NULL };
  struct strbuf names = { 0 }, sets = { 0 };
  for (size_t i = 0; i < NSETS; i++)
    {
      json_value *set = json_object_get (caps, capability_sets[i]);
      if (!names_set (set) || set->u.array.len == 0)
        continue;
      emptied[i] = set;
      for (size_t j = 0; j < set->u.array.len; j++)
        {
          const char *name = set->u.array.items[j]->u.string.s;
          bool seen = name_among (set, j, name);
          for (size_t k = 0; k < i && !seen; k++)
            seen = emptied[k] != NULL && name_among (emptied[k], emptied[k]->u.array.len, name);
          if (!seen)
            strbuf_addf (&names, "%s%s", names.len ? ", " : "", name);
        }
      strbuf_addf (&sets, "%s%s", sets.len ? ", " : "", capability_sets[i]);
    }
  if (sets.len > 0)
    floor_tightened (ctx, RULE_CAPABILITIES, "capabilities", "%s dropped (%s emptied)", names.s,
                     sets.s);
  for (size_t i = 0; i < NSETS; i++)
    if (emptied[i] != NULL)
      json_object_set (caps, capability_sets[i], json_new_array ());
  strbuf_free (&names);
  strbuf_free (&sets);
}
