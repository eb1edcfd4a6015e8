/* policyrun floor: the seccomp profile (linux.seccomp).  A missing profile
   or a permissive default is refused; the policy's deny-listed system calls
   are taken out of the profile's allow rules (Docker's own default profile
   allows some of them, so refusing would refuse every Docker container).  */
#include "config.h"
#include "floor.h"

#include <seccomp.h>
#include <stdlib.h>
#include <string.h>

#include "spec.h"
#include "util.h"

static const char *const profile_fix
    = "remove --security-opt seccomp=... (Docker's default profile holds the floor)";
static const char *const notify_fix = "remove the seccomp notify listener";

enum action_kind
{
  ACTION_UNKNOWN,
  ACTION_DENIES,   /* the call does not run: kill, trap, errno */
  ACTION_LETS_RUN, /* the call runs: allow, log, trace (a tracer may let it run) */
  ACTION_NOTIFY,   /* a process outside the container decides */
};

/* runc's names, matched exactly as runc matches them.  */
static enum action_kind
classify_action (const char *action)
{
  static const char *const denies[] = {
    "SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD",
    "SCMP_ACT_TRAP", "SCMP_ACT_ERRNO",
  };
  static const char *const lets_run[] = { "SCMP_ACT_ALLOW", "SCMP_ACT_LOG", "SCMP_ACT_TRACE" };
  for (size_t i = 0; i < sizeof denies / sizeof denies[0]; i++)
    if (strcmp (action, denies[i]) == 0)
      return ACTION_DENIES;
  for (size_t i = 0; i < sizeof lets_run / sizeof lets_run[0]; i++)
    if (strcmp (action, lets_run[i]) == 0)
      return ACTION_LETS_RUN;
  if (strcmp (action, "SCMP_ACT_NOTIFY") == 0)
    return ACTION_NOTIFY;
  return ACTION_UNKNOWN;
}

/* The deny-list resolved to system call numbers, so that a name is matched
   by what it means to libseccomp and so to runc, not by its spelling.
   runc resolves every name of a rule for the native architecture and hands
   that number to libseccomp, which carries it to the other architectures of
   the filter by name; two names with the same native number are therefore
   the same call on every architecture.  */
struct denied_number
{
  int nr;
  size_t index; /* into names */
};

struct denylist
{
  const struct string_list *names;
  struct denied_number *numbers; /* the names libseccomp knows, sorted by nr */
  size_t n_numbers;
};

static int
compare_denied (const void *a, const void *b)
{
  int x = ((const struct denied_number *)a)->nr, y = ((const struct denied_number *)b)->nr;
  return (x > y) - (x < y);
}

static void
denylist_init (struct denylist *d, const struct string_list *names)
{
  d->names = names;
  d->numbers = xcalloc (names->len ? names->len : 1, sizeof *d->numbers);
  d->n_numbers = 0;
  for (size_t j = 0; j < names->len; j++)
    {
      int nr = seccomp_syscall_resolve_name (names->items[j]);
      if (nr != __NR_SCMP_ERROR)
        d->numbers[d->n_numbers++] = (struct denied_number){ .nr = nr, .index = j };
    }
  qsort (d->numbers, d->n_numbers, sizeof *d->numbers, compare_denied);
}

static void
denylist_free (struct denylist *d)
{
  free (d->numbers);
  d->numbers = NULL;
}

/* The deny-listed name that name stands for, or NULL.  A name this
   libseccomp does not know still matches by spelling: the delegate may be
   linked with a newer libseccomp that knows it.  */
static const char *
denylist_match (const struct denylist *d, const char *name)
{
  int nr = seccomp_syscall_resolve_name (name);
  if (nr == __NR_SCMP_ERROR)
    {
      for (size_t j = 0; j < d->names->len; j++)
        if (strcmp (d->names->items[j], name) == 0)
          return d->names->items[j];
      return NULL;
    }
  struct denied_number key = { .nr = nr };
  const struct denied_number *hit
      = bsearch (&key, d->numbers, d->n_numbers, sizeof *d->numbers, compare_denied);
  return hit ? d->names->items[hit->index] : NULL;
}

static void
check_flags (struct floor_ctx *ctx, const json_value *seccomp)
{
  static const char *const harmless[] = {
    "SECCOMP_FILTER_FLAG_TSYNC",
    "SECCOMP_FILTER_FLAG_LOG",
    "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV",
  };
  const json_value *flags = json_object_get (seccomp, "flags");
  if (flags == NULL || flags->type == JSON_NULL)
    return;
  if (flags->type != JSON_ARRAY)
    {
      floor_violation (ctx, "seccomp", "linux.seccomp.flags", profile_fix, "is not an array");
      return;
    }
  for (size_t i = 0; i < flags->u.array.len; i++)
    {
      const json_value *f = flags->u.array.items[i];
      cleanup_free char *field = xasprintf ("linux.seccomp.flags[%zu]", i);
      cleanup_free char *shown = spec_describe (f);
      bool ok = false;
      for (size_t k = 0; f->type == JSON_STRING && k < sizeof harmless / sizeof harmless[0]; k++)
        ok = ok || strcmp (f->u.string.s, harmless[k]) == 0;
      if (ok)
        continue;
      if (f->type == JSON_STRING && strcmp (f->u.string.s, "SECCOMP_FILTER_FLAG_SPEC_ALLOW") == 0)
        floor_violation (ctx, "seccomp", field, profile_fix,
                         "is %s (turns off the speculative store bypass mitigation)", shown);
      else
        floor_violation (ctx, "seccomp", field, profile_fix, "is %s, not a known filter flag",
                         shown);
    }
}

/* Take the deny-listed names out of syscalls[index] (an allowing rule).
   Returns true when the rule is left without names and must go.  */
static bool
tighten_rule (struct floor_ctx *ctx, const struct denylist *d, json_value *rule, size_t index)
{
  json_value *names = json_object_get (rule, "names");
  cleanup_free char *field = xasprintf ("linux.seccomp.syscalls[%zu].names", index);
  if (names == NULL || names->type == JSON_NULL)
    return false;
  if (names->type != JSON_ARRAY)
    {
      floor_violation (ctx, "seccomp", field, profile_fix, "is not an array");
      return false;
    }
  size_t before = names->u.array.len;
  for (size_t k = 0; k < names->u.array.len;)
    {
      const json_value *n = names->u.array.items[k];
      if (n->type != JSON_STRING)
        {
          floor_violation (ctx, "seccomp", field, profile_fix, "has a %s, not a name",
                           json_type_name (n->type));
          k++;
          continue;
        }
      const char *denied = denylist_match (d, n->u.string.s);
      if (denied == NULL)
        {
          k++;
          continue;
        }
      if (strcmp (denied, n->u.string.s) == 0)
        floor_tightened (ctx, "seccomp", field, "allowed %s; removed", denied);
      else
        floor_tightened (ctx, "seccomp", field, "allowed %s (the same call as %s); removed",
                         n->u.string.s, denied);
      json_array_remove (names, k);
    }
  return before > 0 && names->u.array.len == 0;
}

/* Rule "seccomp".
   linux.seccomp: present (absent or null is no filter at all:
   --security-opt seccomp=unconfined, or --privileged).
   defaultAction: a known action that keeps the call from running (KILL,
   KILL_PROCESS, KILL_THREAD, TRAP, ERRNO); ALLOW, LOG, TRACE, NOTIFY and
   unknown names refused.  listenerPath: empty (a notify listener decides
   outside the container); rules with action NOTIFY and unknown actions
   refused.  flags: SPEC_ALLOW and unknown flags refused.
   Every rule whose action lets the call run (ALLOW, LOG, TRACE) loses the
   names on the policy's syscall_denylist, matched by the number libseccomp
   gives them (as runc resolves them); a rule left without names is
   removed.  architectures: fine.  Each removal is recorded as a tightening.
   Docker: its default profile (no --security-opt seccomp=...).  */
void
floor_check_seccomp (struct floor_ctx *ctx)
{
  json_value *seccomp = NULL;
  spec_status s = spec_get (ctx->config, "linux.seccomp", JSON_OBJECT, &seccomp);
  if (s != SPEC_OK)
    {
      const char *fix = "remove --security-opt seccomp=unconfined (and --privileged)";
      if (s == SPEC_BAD_TYPE)
        floor_violation (ctx, "seccomp", "linux.seccomp", fix, "is not an object");
      else if (spec_get (ctx->config, "linux", JSON_OBJECT, NULL) == SPEC_NULL)
        floor_violation (ctx, "seccomp", "linux", fix, "is null (no system call filter)");
      else
        floor_violation (ctx, "seccomp", "linux.seccomp", fix, "is %s (no system call filter)",
                         spec_status_text (s));
      return;
    }

  const char *def = NULL;
  s = spec_get_string (seccomp, "defaultAction", &def);
  if (s != SPEC_OK)
    floor_violation (ctx, "seccomp", "linux.seccomp.defaultAction", profile_fix, "is %s",
                     spec_status_text (s));
  else
    {
      enum action_kind kind = classify_action (def);
      cleanup_free char *shown = kind == ACTION_DENIES
                                     ? NULL
                                     : spec_describe (json_object_get (seccomp, "defaultAction"));
      switch (kind)
        {
        case ACTION_DENIES:
          break;
        case ACTION_LETS_RUN:
          floor_violation (ctx, "seccomp", "linux.seccomp.defaultAction", profile_fix,
                           "is %s (every call not listed would run)", shown);
          break;
        case ACTION_NOTIFY:
          floor_violation (ctx, "seccomp", "linux.seccomp.defaultAction", notify_fix,
                           "is %s (a process outside the container decides)", shown);
          break;
        case ACTION_UNKNOWN:
          floor_violation (ctx, "seccomp", "linux.seccomp.defaultAction", profile_fix,
                           "is %s, not a known seccomp action", shown);
          break;
        }
    }

  const char *listener = NULL;
  s = spec_get_string (seccomp, "listenerPath", &listener);
  if (s == SPEC_OK && listener[0] != '\0')
    {
      cleanup_free char *shown = spec_describe (json_object_get (seccomp, "listenerPath"));
      floor_violation (ctx, "seccomp", "linux.seccomp.listenerPath", notify_fix, "is %s", shown);
    }
  else if (s == SPEC_BAD_TYPE)
    floor_violation (ctx, "seccomp", "linux.seccomp.listenerPath", notify_fix, "is not a string");

  check_flags (ctx, seccomp);

  json_value *syscalls = json_object_get (seccomp, "syscalls");
  if (syscalls == NULL || syscalls->type == JSON_NULL)
    return;
  if (syscalls->type != JSON_ARRAY)
    {
      floor_violation (ctx, "seccomp", "linux.seccomp.syscalls", profile_fix, "is not an array");
      return;
    }

  struct denylist d;
  denylist_init (&d, &ctx->policy->syscall_denylist);
  /* index counts the caller's rules, so that messages name them as the
     caller wrote them even after earlier rules were removed.  */
  size_t index = 0;
  for (size_t i = 0; i < syscalls->u.array.len; index++)
    {
      json_value *rule = syscalls->u.array.items[i];
      cleanup_free char *field = xasprintf ("linux.seccomp.syscalls[%zu]", index);
      cleanup_free char *action_field = xasprintf ("%s.action", field);
      if (rule->type != JSON_OBJECT)
        {
          floor_violation (ctx, "seccomp", field, profile_fix, "is not an object");
          i++;
          continue;
        }
      const json_value *action = json_object_get (rule, "action");
      if (action == NULL || action->type != JSON_STRING)
        {
          floor_violation (ctx, "seccomp", action_field, profile_fix, "is %s",
                           action == NULL              ? "absent"
                           : action->type == JSON_NULL ? "null"
                                                       : "not a string");
          i++;
          continue;
        }
      enum action_kind kind = classify_action (action->u.string.s);
      cleanup_free char *shown
          = kind == ACTION_NOTIFY || kind == ACTION_UNKNOWN ? spec_describe (action) : NULL;
      switch (kind)
        {
        case ACTION_DENIES:
          break;
        case ACTION_NOTIFY:
          floor_violation (ctx, "seccomp", action_field, notify_fix,
                           "is %s (a process outside the container decides)", shown);
          break;
        case ACTION_UNKNOWN:
          floor_violation (ctx, "seccomp", action_field, profile_fix,
                           "is %s, not a known seccomp action", shown);
          break;
        case ACTION_LETS_RUN:
          if (tighten_rule (ctx, &d, rule, index))
            {
              floor_tightened (ctx, "seccomp", field,
                               "allowed only deny-listed calls; the rule was removed");
              json_array_remove (syscalls, i);
              continue;
            }
          break;
        }
      i++;
    }
  denylist_free (&d);
}
