/* policyrun floor: the seccomp profile harden mode supplies where a bundle
   has none, and the rules that let run what a permissive default let run.
   Built from libseccomp's own table of the native architecture, so the
   names are the ones runc resolves, and shaped so that floor_check_seccomp
   accepts it without a change: the deny-list, clone with namespace flags,
   clone3 and socket(AF_VSOCK) are never let run.  */
#include "config.h"
#include "floor.h"

#include <errno.h>
#include <seccomp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "seccomp.h"
#include "spec.h"
#include "util.h"

/* System call numbers libseccomp's tables use: below 8192 everywhere
   (MIPS n32 ends near 6500), and ARM's private calls (cacheflush,
   set_tls, ...) from 0xf0000.  */
static const struct
{
  int from, to;
} nr_ranges[] = { { 0, 8192 }, { 0x0f0000, 0x0f0100 } };

static int
compare_int (const void *a, const void *b)
{
  int x = *(const int *)a, y = *(const int *)b;
  return (x > y) - (x < y);
}

/* Native numbers, sorted.  */
struct nr_set
{
  int *nrs;
  size_t len, cap;
};

static void
nr_set_add (struct nr_set *s, int nr)
{
  if (s->len == s->cap)
    {
      s->cap = s->cap ? 2 * s->cap : 64;
      s->nrs = xrealloc (s->nrs, s->cap * sizeof *s->nrs);
    }
  s->nrs[s->len++] = nr;
}

static bool
nr_set_has (const struct nr_set *s, int nr)
{
  return s->len > 0 && bsearch (&nr, s->nrs, s->len, sizeof *s->nrs, compare_int) != NULL;
}

/* What the rules of a profile already say.  named: every call a rule
   names (libseccomp lets an unconditional rule override conditional ones
   of the same call, so such a call stays out of the rule with every name).
   decided: the calls named by a rule that lets them run or holds no
   condition; a call only some conditions deny can still get a pinned rule
   of its own beside them.  */
struct named_set
{
  struct nr_set named, decided;
};

static void
named_collect (struct named_set *s, const json_value *syscalls)
{
  for (size_t i = 0; i < syscalls->u.array.len; i++)
    {
      const json_value *rule = syscalls->u.array.items[i];
      const json_value *names = json_object_get (rule, "names");
      if (names == NULL || names->type != JSON_ARRAY)
        continue;
      const json_value *action = json_object_get (rule, "action");
      const json_value *args = json_object_get (rule, "args");
      bool decides = (action != NULL && action->type == JSON_STRING
                      && seccomp_action_lets_run (action->u.string.s))
                     || args == NULL || args->type != JSON_ARRAY || args->u.array.len == 0;
      for (size_t k = 0; k < names->u.array.len; k++)
        {
          const json_value *n = names->u.array.items[k];
          int nr = n->type == JSON_STRING ? seccomp_syscall_resolve_name (n->u.string.s)
                                          : __NR_SCMP_ERROR;
          if (nr == __NR_SCMP_ERROR)
            continue;
          nr_set_add (&s->named, nr);
          if (decides)
            nr_set_add (&s->decided, nr);
        }
    }
  struct nr_set *sets[] = { &s->named, &s->decided };
  for (size_t k = 0; k < 2; k++)
    if (sets[k]->len > 0)
      qsort (sets[k]->nrs, sets[k]->len, sizeof *sets[k]->nrs, compare_int);
}

static bool
named_has (const struct named_set *s, int nr)
{
  return nr_set_has (&s->named, nr);
}

static void
named_free (struct named_set *s)
{
  free (s->named.nrs);
  free (s->decided.nrs);
}

static json_value *
rule_new (const char *name, const json_value *action, const json_value *errno_ret)
{
  json_value *r = json_new_object ();
  json_value *names = json_new_array ();
  if (name != NULL)
    json_array_append (names, json_new_string (name));
  json_object_set (r, "names", names);
  json_object_set (r, "action", json_clone (action));
  if (errno_ret != NULL && errno_ret->type != JSON_NULL)
    json_object_set (r, "errnoRet", json_clone (errno_ret));
  return r;
}

/* A rule for name with conditions pins[0..n) on argument index (runc
   makes each its own rule when n > 1: any one lets the call run).  */
static json_value *
pinned_rule (const char *name, const json_value *action, const json_value *errno_ret,
             const struct cond *pins, size_t n, unsigned index)
{
  json_value *r = rule_new (name, action, errno_ret);
  json_value *args = json_new_array ();
  for (size_t i = 0; i < n; i++)
    {
      struct cond c = pins[i];
      c.index = index;
      c.src = NULL;
      json_array_append (args, cond_to_json (&c));
    }
  json_object_set (r, "args", args);
  return r;
}

/* Whether the call (native nr, name) goes into the rule with every name.  */
static bool
goes_in_bulk (const struct named_set *named, const struct denylist *deny, bool socket_hidden,
              int nr, const char *name)
{
  size_t j = 0;
  /* The deny-list holds io_uring whatever the policy says.  */
  if (named_has (named, nr) || denylist_match (deny, nr, name, &j))
    return false;
  if (strcmp (name, "clone") == 0 || strcmp (name, "clone3") == 0 || strcmp (name, "socket") == 0)
    return false; /* pinned rules of their own, or ENOSYS */
  return !(socket_hidden && strcmp (name, "socketcall") == 0);
}

/* Whether a pinned rule for name is added: no rule of the profile decides
   it already, and it is not deny-listed.  */
static bool
wants_pinned (const struct named_set *named, const struct denylist *deny, const char *name)
{
  int nr = seccomp_syscall_resolve_name (name);
  size_t j = 0;
  return nr != __NR_SCMP_ERROR && !nr_set_has (&named->decided, nr)
         && !denylist_match (deny, nr, name, &j);
}

size_t
seccomp_let_run_the_rest (json_value *syscalls, const struct denylist *deny,
                          const json_value *action, const json_value *errno_ret)
{
  struct named_set named = { 0 };
  named_collect (&named, syscalls);
  uint32_t native = seccomp_arch_native ();
  /* Where socket() is also socketcall(SYS_SOCKET), a filter cannot keep
     AF_VSOCK out: neither is let run.  */
  bool socket_hidden = seccomp_arch_multiplexes_socket (native);

  json_value *bulk = rule_new (NULL, action, errno_ret);
  json_value *names = json_object_get (bulk, "names");
  for (size_t r = 0; r < sizeof nr_ranges / sizeof nr_ranges[0]; r++)
    for (int nr = nr_ranges[r].from; nr < nr_ranges[r].to; nr++)
      {
        cleanup_free char *name = seccomp_syscall_resolve_num_arch (native, nr);
        if (name != NULL && seccomp_syscall_resolve_name (name) == nr
            && goes_in_bulk (&named, deny, socket_hidden, nr, name))
          json_array_append (names, json_new_string (name));
      }
  size_t n_names = names->u.array.len;
  if (n_names > 0)
    json_array_append (syscalls, bulk);
  else
    json_free (bulk);

  if (wants_pinned (&named, deny, "clone"))
    json_array_append (syscalls, pinned_rule ("clone", action, errno_ret, clone_pin_set,
                                              sizeof clone_pin_set / sizeof clone_pin_set[0],
                                              seccomp_clone_flags_index ()));
  if (!socket_hidden && wants_pinned (&named, deny, "socket"))
    json_array_append (syscalls, pinned_rule ("socket", action, errno_ret, socket_pin_set,
                                              sizeof socket_pin_set / sizeof socket_pin_set[0], 0));
  int clone3_nr = seccomp_syscall_resolve_name ("clone3");
  if (clone3_nr == __NR_SCMP_ERROR || !named_has (&named, clone3_nr))
    {
      /* Docker's rule: ENOSYS, so that the C library falls back to clone.  */
      cleanup_json json_value *errno_action = json_new_string ("SCMP_ACT_ERRNO");
      cleanup_json json_value *enosys = json_new_int (ENOSYS);
      json_array_append (syscalls, rule_new ("clone3", errno_action, enosys));
    }
  named_free (&named);
  return n_names;
}

/* The architectures Docker lists beside each native one.  */
static const struct
{
  uint32_t native;
  uint32_t others[2];
} companions[] = {
  { SCMP_ARCH_X86_64, { SCMP_ARCH_X86, SCMP_ARCH_X32 } },
  { SCMP_ARCH_AARCH64, { SCMP_ARCH_ARM, 0 } },
  { SCMP_ARCH_MIPS64, { SCMP_ARCH_MIPS64N32, SCMP_ARCH_MIPS } },
  { SCMP_ARCH_MIPS64N32, { SCMP_ARCH_MIPS64, SCMP_ARCH_MIPS } },
  { SCMP_ARCH_MIPSEL64, { SCMP_ARCH_MIPSEL64N32, SCMP_ARCH_MIPSEL } },
  { SCMP_ARCH_MIPSEL64N32, { SCMP_ARCH_MIPSEL64, SCMP_ARCH_MIPSEL } },
  { SCMP_ARCH_S390X, { SCMP_ARCH_S390, 0 } },
};

/* The native architecture and those of its companions whose socket() is
   direct: one that reaches socket() through socketcall would let AF_VSOCK
   past the filter, so its programs are stopped (bad-architecture KILL).  */
static json_value *
architectures_new (void)
{
  uint32_t native = seccomp_arch_native ();
  json_value *arches = json_new_array ();
  const char *name = seccomp_arch_name (native);
  if (name != NULL)
    json_array_append (arches, json_new_string (name));
  for (size_t i = 0; i < sizeof companions / sizeof companions[0]; i++)
    if (companions[i].native == native)
      for (size_t k = 0; k < 2; k++)
        {
          uint32_t a = companions[i].others[k];
          const char *other = a != 0 ? seccomp_arch_name (a) : NULL;
          if (other != NULL && !seccomp_arch_multiplexes_socket (a))
            json_array_append (arches, json_new_string (other));
        }
  return arches;
}

json_value *
seccomp_generate_profile (const struct string_list *denylist, size_t *n_names)
{
  json_value *profile = json_new_object ();
  json_object_set (profile, "defaultAction", json_new_string ("SCMP_ACT_ERRNO"));
  json_object_set (profile, "defaultErrnoRet", json_new_int (EPERM));
  json_object_set (profile, "architectures", architectures_new ());
  json_value *syscalls = json_object_set (profile, "syscalls", json_new_array ());
  struct denylist deny;
  denylist_init (&deny, denylist);
  cleanup_json json_value *allow = json_new_string ("SCMP_ACT_ALLOW");
  *n_names = seccomp_let_run_the_rest (syscalls, &deny, allow, NULL);
  denylist_free (&deny);
  return profile;
}
