/* policyrun floor: the seccomp profile (linux.seccomp).  A missing profile
   or a permissive default is refused; what a profile lets run is tightened
   to at least Docker's default profile, judged as runc 1.1 loads it: the
   policy's deny-listed calls, clone with namespace flags, clone3 and
   socket(AF_VSOCK) are taken out of the rules that let a call run (Docker's
   own default profile allows some deny-listed calls, so refusing would
   refuse every Docker container).  Every pass is linear in the profile.
   Harden mode (floor_harden_seccomp, at the end) supplies a generated
   profile (seccomp-generate.c) where there is none or one that cannot be
   tightened in place, and turns a default that lets calls run into EPERM
   with the other calls let run by rules of their own.  */
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

/* The engine's own default profile holds the floor: the fix names it.  */
static const char *
profile_fix_of (const struct floor_ctx *ctx)
{
  return floor_caller_podman (ctx)
             ? "remove --security-opt seccomp=... (Podman's default profile holds the floor)"
             : "remove --security-opt seccomp=... (Docker's default profile holds the floor)";
}
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

bool
seccomp_action_lets_run (const char *action)
{
  return classify_action (action) == ACTION_LETS_RUN;
}

/* The deny-list resolved to system call numbers, so that a name is matched
   by what it means to libseccomp and so to runc, not by its spelling.
   runc resolves every name of a rule for the native architecture and hands
   that number to libseccomp, which carries it to the other architectures of
   the filter by name; two names with the same native number are therefore
   the same call on every architecture.  */
static int
compare_denied (const void *a, const void *b)
{
  int x = ((const struct denied_number *)a)->nr, y = ((const struct denied_number *)b)->nr;
  return (x > y) - (x < y);
}

/* Denied whatever the policy's syscall_denylist says: io_uring's requests
   open sockets of any family (IORING_OP_SOCKET, AF_VSOCK included) and
   files without a system call the filter sees, so a profile letting it run
   would undo the rules on socket below.  */
static const char *const always_denied[] = {
  "io_uring_setup",
  "io_uring_enter",
  "io_uring_register",
};

void
denylist_init (struct denylist *d, const struct string_list *names)
{
  size_t n_always = sizeof always_denied / sizeof always_denied[0];
  d->names = xcalloc (names->len + n_always, sizeof *d->names);
  d->n_names = 0;
  for (size_t j = 0; j < names->len; j++)
    d->names[d->n_names++] = names->items[j];
  for (size_t k = 0; k < n_always; k++)
    if (!string_list_contains (names, always_denied[k]))
      d->names[d->n_names++] = always_denied[k];
  d->numbers = xcalloc (d->n_names, sizeof *d->numbers);
  d->n_numbers = 0;
  for (size_t j = 0; j < d->n_names; j++)
    {
      int nr = seccomp_syscall_resolve_name (d->names[j]);
      if (nr != __NR_SCMP_ERROR)
        d->numbers[d->n_numbers++] = (struct denied_number){ .nr = nr, .index = j };
    }
  qsort (d->numbers, d->n_numbers, sizeof *d->numbers, compare_denied);
}

void
denylist_free (struct denylist *d)
{
  free (d->numbers);
  d->numbers = NULL;
  free (d->names);
  d->names = NULL;
}

/* Whether name (resolved to nr) stands for a deny-listed call; *index is
   its entry.  A name this libseccomp does not know still matches by
   spelling: the delegate may be linked with a newer libseccomp that knows
   it.  */
bool
denylist_match (const struct denylist *d, int nr, const char *name, size_t *index)
{
  if (nr == __NR_SCMP_ERROR)
    {
      for (size_t j = 0; j < d->n_names; j++)
        if (strcmp (d->names[j], name) == 0)
          {
            *index = j;
            return true;
          }
      return false;
    }
  struct denied_number key = { .nr = nr };
  const struct denied_number *hit
      = bsearch (&key, d->numbers, d->n_numbers, sizeof *d->numbers, compare_denied);
  if (hit == NULL)
    return false;
  *index = hit->index;
  return true;
}

/* Filter flags that loosen nothing.  */
static bool
flag_harmless (const char *flag)
{
  static const char *const harmless[] = {
    "SECCOMP_FILTER_FLAG_TSYNC",
    "SECCOMP_FILTER_FLAG_LOG",
    "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV",
  };
  for (size_t k = 0; k < sizeof harmless / sizeof harmless[0]; k++)
    if (strcmp (flag, harmless[k]) == 0)
      return true;
  return false;
}

static const char *const spec_allow_flag = "SECCOMP_FILTER_FLAG_SPEC_ALLOW";

static void
check_flags (struct floor_ctx *ctx, const json_value *seccomp)
{
  const json_value *flags = json_object_get (seccomp, "flags");
  if (flags == NULL || flags->type == JSON_NULL)
    return;
  if (flags->type != JSON_ARRAY)
    {
      floor_violation (ctx, RULE_SECCOMP, "linux.seccomp.flags", profile_fix_of (ctx),
                       "is not an array");
      return;
    }
  for (size_t i = 0; i < flags->u.array.len; i++)
    {
      const json_value *f = flags->u.array.items[i];
      cleanup_free char *field = xasprintf ("linux.seccomp.flags[%zu]", i);
      cleanup_free char *shown = spec_describe (f);
      if (f->type == JSON_STRING && flag_harmless (f->u.string.s))
        continue;
      if (f->type == JSON_STRING && strcmp (f->u.string.s, spec_allow_flag) == 0)
        floor_violation (ctx, RULE_SECCOMP, field, profile_fix_of (ctx),
                         "is %s (turns off the speculative store bypass mitigation)", shown);
      else
        floor_violation (ctx, RULE_SECCOMP, field, profile_fix_of (ctx),
                         "is %s, not a known filter flag", shown);
    }
}

/* What the pass over the rules needs and learns.  */
struct seccomp_pass
{
  struct denylist deny;
  bool *deny_seen; /* per deny-list entry, reset after each rule */
  size_t *deny_hits;
  struct target clone, socket;
  int clone3_nr, socketcall_nr;
  bool clone3_named;    /* a rule still names clone3 */
  bool lets_socket_run; /* a rule still lets socket or socketcall run */
  struct added added;
};

static bool
is_call (int nr, const char *name, int want_nr, const char *want)
{
  return nr != __NR_SCMP_ERROR ? nr == want_nr : strcmp (name, want) == 0;
}

/* Rule SECCOMP on one rule whose action lets the call run.  names is
   compacted in one pass; each kind of change is one finding.  Returns true
   when the rule is left without names and must go.  */
static bool
tighten_rule (struct floor_ctx *ctx, struct seccomp_pass *p, json_value *rule, size_t index)
{
  json_value *names = json_object_get (rule, "names");
  cleanup_free char *field = xasprintf ("linux.seccomp.syscalls[%zu].names", index);
  if (names == NULL || names->type == JSON_NULL)
    return false;
  if (names->type != JSON_ARRAY)
    {
      floor_violation (ctx, RULE_SECCOMP, field, profile_fix_of (ctx), "is not an array");
      return false;
    }
  struct rule_args a;
  rule_args_parse (rule, &a);
  bool clone_pinned = rule_pins (&p->clone, &a);
  bool socket_pinned = rule_pins (&p->socket, &a);

  size_t before = names->u.array.len, kept = 0, n_denied = 0, n_hits = 0;
  size_t n_clone = 0, n_clone3 = 0, n_socket = 0, not_names = 0;
  const char *not_name_type = NULL;
  json_value **items = names->u.array.items;
  for (size_t k = 0; k < before; k++)
    {
      json_value *n = items[k];
      if (n->type != JSON_STRING)
        {
          if (not_names++ == 0)
            not_name_type = json_type_name (n->type);
          items[kept++] = n;
          continue;
        }
      const char *s = n->u.string.s;
      int nr = seccomp_syscall_resolve_name (s);
      size_t j = 0;
      bool drop = true;
      if (denylist_match (&p->deny, nr, s, &j))
        {
          if (!p->deny_seen[j])
            {
              p->deny_seen[j] = true;
              p->deny_hits[n_hits++] = j;
            }
          n_denied++;
        }
      else if (is_call (nr, s, p->clone.nr, "clone") && !clone_pinned)
        n_clone++;
      else if (is_call (nr, s, p->clone3_nr, "clone3"))
        n_clone3++;
      else if (is_call (nr, s, p->socket.nr, "socket") && !socket_pinned)
        n_socket++;
      else
        {
          drop = false;
          if (is_call (nr, s, p->socket.nr, "socket")
              || is_call (nr, s, p->socketcall_nr, "socketcall"))
            p->lets_socket_run = true;
        }
      if (drop)
        json_free (n);
      else
        items[kept++] = n;
    }
  names->u.array.len = kept;

  if (not_names > 0)
    floor_violation (ctx, RULE_SECCOMP, field, profile_fix_of (ctx),
                     "has %zu item(s) that are not names (a %s)", not_names, not_name_type);
  if (n_denied > 0)
    {
      cleanup_free char *list = xstrdup ("");
      for (size_t h = 0; h < n_hits; h++)
        {
          char *next = xasprintf ("%s%s%s", list, h ? ", " : "", p->deny.names[p->deny_hits[h]]);
          free (list);
          list = next;
          p->deny_seen[p->deny_hits[h]] = false;
        }
      if (n_denied == n_hits)
        floor_tightened (ctx, RULE_SECCOMP, field, "allowed deny-listed %s; removed", list);
      else
        floor_tightened (ctx, RULE_SECCOMP, field,
                         "allowed deny-listed %s (%zu names with repeats and aliases); removed",
                         list, n_denied);
    }
  if (n_clone > 0)
    {
      size_t added = emit_pinned (&p->added, &p->clone, &a, rule);
      floor_tightened (ctx, RULE_SECCOMP, field,
                       "let clone run with namespace flags (CLONE_NEWUSER, CLONE_NEWNET, ...); "
                       "clone removed%s",
                       added ? ", and added again only without them (Docker's rule)" : "");
    }
  if (n_clone3 > 0)
    floor_tightened (ctx, RULE_SECCOMP, field,
                     "let clone3 run (its flags are out of a filter's reach); removed, clone3 "
                     "fails with ENOSYS and the C library falls back to clone");
  if (n_socket > 0)
    {
      size_t added = emit_pinned (&p->added, &p->socket, &a, rule);
      if (added > 0)
        p->lets_socket_run = true;
      floor_tightened (ctx, RULE_SECCOMP, field,
                       "let socket run with AF_VSOCK (40), which ignores network namespaces; "
                       "socket removed%s",
                       added ? ", and added again for the other families" : "");
    }
  free (a.conds);
  return before > 0 && kept == 0;
}

/* A rule that keeps the call from running: note whether it names clone3.  */
static void
note_denying_rule (struct seccomp_pass *p, const json_value *rule)
{
  const json_value *names = json_object_get (rule, "names");
  if (names == NULL || names->type != JSON_ARRAY)
    return;
  for (size_t k = 0; k < names->u.array.len && !p->clone3_named; k++)
    {
      const json_value *n = names->u.array.items[k];
      if (n->type == JSON_STRING
          && is_call (seccomp_syscall_resolve_name (n->u.string.s), n->u.string.s, p->clone3_nr,
                      "clone3"))
        p->clone3_named = true;
    }
}

/* runc 1.1's architecture names (libcontainer/seccomp/config.go).  */
static const struct
{
  const char *name;
  uint32_t arch;
} arch_names[] = {
  { "SCMP_ARCH_X86", SCMP_ARCH_X86 },
  { "SCMP_ARCH_X86_64", SCMP_ARCH_X86_64 },
  { "SCMP_ARCH_X32", SCMP_ARCH_X32 },
  { "SCMP_ARCH_ARM", SCMP_ARCH_ARM },
  { "SCMP_ARCH_AARCH64", SCMP_ARCH_AARCH64 },
  { "SCMP_ARCH_MIPS", SCMP_ARCH_MIPS },
  { "SCMP_ARCH_MIPS64", SCMP_ARCH_MIPS64 },
  { "SCMP_ARCH_MIPS64N32", SCMP_ARCH_MIPS64N32 },
  { "SCMP_ARCH_MIPSEL", SCMP_ARCH_MIPSEL },
  { "SCMP_ARCH_MIPSEL64", SCMP_ARCH_MIPSEL64 },
  { "SCMP_ARCH_MIPSEL64N32", SCMP_ARCH_MIPSEL64N32 },
  { "SCMP_ARCH_PPC", SCMP_ARCH_PPC },
  { "SCMP_ARCH_PPC64", SCMP_ARCH_PPC64 },
  { "SCMP_ARCH_PPC64LE", SCMP_ARCH_PPC64LE },
  { "SCMP_ARCH_S390", SCMP_ARCH_S390 },
  { "SCMP_ARCH_S390X", SCMP_ARCH_S390X },
};

uint32_t
seccomp_arch_of_name (const char *name)
{
  for (size_t i = 0; i < sizeof arch_names / sizeof arch_names[0]; i++)
    if (strcmp (name, arch_names[i].name) == 0)
      return arch_names[i].arch;
  return 0;
}

const char *
seccomp_arch_name (uint32_t arch)
{
  for (size_t i = 0; i < sizeof arch_names / sizeof arch_names[0]; i++)
    if (arch_names[i].arch == arch)
      return arch_names[i].name;
  return NULL;
}

/* On these, libseccomp turns a rule for socket into one for socketcall
   whose first argument is SYS_SOCKET, dropping the family condition (the
   family is in memory, out of a filter's reach).  */
bool
seccomp_arch_multiplexes_socket (uint32_t arch)
{
  return seccomp_syscall_resolve_name_arch (arch, "socketcall") >= 0;
}

/* linux.seccomp.architectures: names runc knows.  Calls of an architecture
   outside the filter (the native one is always in it) meet libseccomp's
   bad-architecture action, KILL, and never run; x32 calls outside it reach
   the x86_64 section with numbers no rule names and get the default
   action.  When a rule lets socket or socketcall run, an architecture other
   than the native one that multiplexes socket() through socketcall is taken
   out (its programs are then stopped at their first call); on a native one
   that does, socket(AF_VSOCK) cannot be kept out and the profile is
   refused.  */
static void
check_architectures (struct floor_ctx *ctx, json_value *seccomp, bool lets_socket_run)
{
  json_value *arches = json_object_get (seccomp, "architectures");
  uint32_t native = seccomp_arch_native ();
  if (lets_socket_run && seccomp_arch_multiplexes_socket (native))
    floor_violation (ctx, RULE_SECCOMP, "linux.seccomp.syscalls",
                     "run on a host whose architecture has a direct socket() call",
                     "lets socket run, and on this host's architecture socket() is also reached "
                     "through socketcall, whose family a filter cannot see (AF_VSOCK)");
  if (arches == NULL || arches->type == JSON_NULL)
    return;
  if (arches->type != JSON_ARRAY)
    {
      floor_violation (ctx, RULE_SECCOMP, "linux.seccomp.architectures", profile_fix_of (ctx),
                       "is not an array");
      return;
    }
  json_value **items = arches->u.array.items;
  size_t kept = 0, removed = 0;
  const char *first_removed = NULL;
  cleanup_free char *first_copy = NULL;
  for (size_t i = 0; i < arches->u.array.len; i++)
    {
      json_value *a = items[i];
      uint32_t arch = a->type == JSON_STRING ? seccomp_arch_of_name (a->u.string.s) : 0;
      if (arch == 0)
        {
          cleanup_free char *field = xasprintf ("linux.seccomp.architectures[%zu]", i);
          cleanup_free char *shown = spec_describe (a);
          floor_violation (ctx, RULE_SECCOMP, field, profile_fix_of (ctx),
                           "is %s, not an architecture runc knows", shown);
        }
      else if (lets_socket_run && arch != native && seccomp_arch_multiplexes_socket (arch))
        {
          if (removed++ == 0)
            first_removed = first_copy = xstrdup (a->u.string.s);
          json_free (a);
          continue;
        }
      items[kept++] = a;
    }
  arches->u.array.len = kept;
  if (removed > 0)
    floor_tightened (ctx, RULE_SECCOMP, "linux.seccomp.architectures",
                     "listed %s%s, where socket() is also reached through socketcall, whose "
                     "family (AF_VSOCK) a filter cannot see; removed (its programs are stopped)",
                     first_removed, removed > 1 ? " and others" : "");
}

/* The checks of syscalls[index].  Returns false when the rule must go.  */
static bool
check_rule (struct floor_ctx *ctx, struct seccomp_pass *p, json_value *rule, size_t index)
{
  cleanup_free char *field = xasprintf ("linux.seccomp.syscalls[%zu]", index);
  cleanup_free char *action_field = xasprintf ("%s.action", field);
  if (rule->type != JSON_OBJECT)
    {
      floor_violation (ctx, RULE_SECCOMP, field, profile_fix_of (ctx), "is not an object");
      return true;
    }
  const json_value *action = json_object_get (rule, "action");
  if (action == NULL || action->type != JSON_STRING)
    {
      floor_violation (ctx, RULE_SECCOMP, action_field, profile_fix_of (ctx), "is %s",
                       action == NULL              ? "absent"
                       : action->type == JSON_NULL ? "null"
                                                   : "not a string");
      return true;
    }
  enum action_kind kind = classify_action (action->u.string.s);
  cleanup_free char *shown
      = kind == ACTION_NOTIFY || kind == ACTION_UNKNOWN ? spec_describe (action) : NULL;
  switch (kind)
    {
    case ACTION_DENIES:
      note_denying_rule (p, rule);
      break;
    case ACTION_NOTIFY:
      floor_violation (ctx, RULE_SECCOMP, action_field, notify_fix,
                       "is %s (a process outside the container decides)", shown);
      break;
    case ACTION_UNKNOWN:
      floor_violation (ctx, RULE_SECCOMP, action_field, profile_fix_of (ctx),
                       "is %s, not a known seccomp action", shown);
      break;
    case ACTION_LETS_RUN:
      if (tighten_rule (ctx, p, rule, index))
        {
          floor_tightened (ctx, RULE_SECCOMP, field, "let nothing else run; the rule was removed");
          return false;
        }
      break;
    }
  return true;
}

/* Which argument of clone holds the flags: the second on s390 and s390x
   (as in Docker's profile), the first elsewhere.  */
unsigned
seccomp_clone_flags_index (void)
{
  uint32_t native = seccomp_arch_native ();
  return native == SCMP_ARCH_S390 || native == SCMP_ARCH_S390X ? 1 : 0;
}

/* Rule SECCOMP ("seccomp").
   linux.seccomp: present (absent or null is no filter at all:
   --security-opt seccomp=unconfined, or --privileged).
   defaultAction: a known action that keeps the call from running (KILL,
   KILL_PROCESS, KILL_THREAD, TRAP, ERRNO); ALLOW, LOG, TRACE, NOTIFY and
   unknown names refused.  listenerPath: empty (a notify listener decides
   outside the container); rules with action NOTIFY and unknown actions
   refused.  flags: SPEC_ALLOW and unknown flags refused.
   Rules are judged as runc 1.1 loads them: each name is resolved for the
   native architecture (names are matched by that number, so aliases
   count; a name libseccomp does not know is matched by spelling) and
   libseccomp carries the rule by name to every architecture of the filter;
   conditions on one argument repeated make each condition a rule of its
   own (OR), else all must hold (AND).  Every rule whose action lets the
   call run (ALLOW, LOG, TRACE) loses
   - the names on the policy's syscall_denylist, and io_uring's three
     whatever it says (always_denied);
   - clone, unless every way it is loaded pins the namespace flags
     (0x7E020000) of its flags argument to zero; it is added back as a rule
     of its own with the same action and conditions plus Docker's
     MASKED_EQ condition (an unconditional rule becomes exactly Docker's);
   - clone3 (its flags are in memory); when no rule names clone3 any more,
     Docker's rule making it fail with ENOSYS is added (glibc then falls
     back to clone);
   - socket, unless every way it is loaded pins the family (the low 32 bits
     of the first argument: the kernel reads an int) away from AF_VSOCK
     (40), which ignores network namespaces; it is added back with its
     conditions and the families below 40 and 41-63 (NE 40 is not enough:
     0x100000028 passes it and the kernel reads 40).
   A rule left without names is removed; added rules are appended once
   each.  architectures: names runc knows; calls of an architecture not in
   the filter meet libseccomp's bad-architecture action (KILL).  While a
   rule lets socket or socketcall run, a listed architecture other than the
   native one that multiplexes socket() through socketcall (SCMP_ARCH_X86:
   libseccomp turns a socket rule into socketcall(SYS_SOCKET, ...) without
   its family condition) is removed, so 32-bit x86 programs are stopped;
   on a native architecture that does, the profile is refused.  Each change
   is one tightening per rule (with counts), never one per name, and every
   pass is linear in the profile's size.
   Docker: its default profile (no --security-opt seccomp=...); Docker
   20.10's keeps its clone and clone3 rules and loses socket's AF_VSOCK and
   SCMP_ARCH_X86.  */
void
floor_check_seccomp (struct floor_ctx *ctx)
{
  json_value *seccomp = NULL;
  spec_status s = spec_get (ctx->config, "linux.seccomp", JSON_OBJECT, &seccomp);
  if (s != SPEC_OK)
    {
      const char *fix = "remove --security-opt seccomp=unconfined (and --privileged)";
      if (s == SPEC_BAD_TYPE)
        floor_violation (ctx, RULE_SECCOMP, "linux.seccomp", fix, "is not an object");
      else if (spec_get (ctx->config, "linux", JSON_OBJECT, NULL) == SPEC_NULL)
        floor_violation (ctx, RULE_SECCOMP, "linux", fix, "is null (no system call filter)");
      else
        floor_violation (ctx, RULE_SECCOMP, "linux.seccomp", fix, "is %s (no system call filter)",
                         spec_status_text (s));
      return;
    }

  const char *def = NULL;
  s = spec_get_string (seccomp, "defaultAction", &def);
  if (s != SPEC_OK)
    floor_violation (ctx, RULE_SECCOMP, "linux.seccomp.defaultAction", profile_fix_of (ctx),
                     "is %s", spec_status_text (s));
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
          floor_violation (ctx, RULE_SECCOMP, "linux.seccomp.defaultAction", profile_fix_of (ctx),
                           "is %s (every call not listed would run)", shown);
          break;
        case ACTION_NOTIFY:
          floor_violation (ctx, RULE_SECCOMP, "linux.seccomp.defaultAction", notify_fix,
                           "is %s (a process outside the container decides)", shown);
          break;
        case ACTION_UNKNOWN:
          floor_violation (ctx, RULE_SECCOMP, "linux.seccomp.defaultAction", profile_fix_of (ctx),
                           "is %s, not a known seccomp action", shown);
          break;
        }
    }

  const char *listener = NULL;
  s = spec_get_string (seccomp, "listenerPath", &listener);
  if (s == SPEC_OK && listener[0] != '\0')
    {
      cleanup_free char *shown = spec_describe (json_object_get (seccomp, "listenerPath"));
      floor_violation (ctx, RULE_SECCOMP, "linux.seccomp.listenerPath", notify_fix, "is %s", shown);
    }
  else if (s == SPEC_BAD_TYPE)
    floor_violation (ctx, RULE_SECCOMP, "linux.seccomp.listenerPath", notify_fix,
                     "is not a string");

  check_flags (ctx, seccomp);

  json_value *syscalls = json_object_get (seccomp, "syscalls");
  if (syscalls == NULL || syscalls->type == JSON_NULL)
    return;
  if (syscalls->type != JSON_ARRAY)
    {
      floor_violation (ctx, RULE_SECCOMP, "linux.seccomp.syscalls", profile_fix_of (ctx),
                       "is not an array");
      return;
    }

  struct seccomp_pass p = {
    .clone = { .name = "clone",
               .kind = ADDED_CLONE,
               .nr = seccomp_syscall_resolve_name ("clone"),
               .index = seccomp_clone_flags_index (),
               .pins = clone_pins,
               .pin_set = clone_pin_set,
               .n_pins = sizeof clone_pin_set / sizeof clone_pin_set[0] },
    .socket = { .name = "socket",
                .kind = ADDED_SOCKET,
                .nr = seccomp_syscall_resolve_name ("socket"),
                .index = 0,
                .pins = socket_pins,
                .pin_set = socket_pin_set,
                .n_pins = sizeof socket_pin_set / sizeof socket_pin_set[0] },
    .clone3_nr = seccomp_syscall_resolve_name ("clone3"),
    .socketcall_nr = seccomp_syscall_resolve_name ("socketcall"),
  };
  denylist_init (&p.deny, &ctx->policy->syscall_denylist);
  p.deny_seen = xcalloc (p.deny.n_names, sizeof *p.deny_seen);
  p.deny_hits = xcalloc (p.deny.n_names, sizeof *p.deny_hits);

  /* One pass; rules left without names are dropped as the array is
     compacted.  i counts the caller's rules, so that messages name them as
     the caller wrote them.  */
  json_value **rules = syscalls->u.array.items;
  size_t n_rules = syscalls->u.array.len, kept = 0;
  for (size_t i = 0; i < n_rules; i++)
    {
      json_value *rule = rules[i];
      if (check_rule (ctx, &p, rule, i))
        rules[kept++] = rule;
      else
        json_free (rule);
    }
  syscalls->u.array.len = kept;

  if (!p.clone3_named)
    {
      /* Docker's rule: ENOSYS, not EPERM, so that glibc falls back to clone.  */
      json_value *r = json_new_object ();
      json_value *names = json_new_array ();
      json_array_append (names, json_new_string ("clone3"));
      json_object_set (r, "names", names);
      json_object_set (r, "action", json_new_string ("SCMP_ACT_ERRNO"));
      json_object_set (r, "errnoRet", json_new_int (ENOSYS));
      added_push (&p.added, r, ADDED_CLONE3);
    }
  added_append (&p.added, syscalls);
  const size_t *n = p.added.appended;
  if (n[ADDED_CLONE] > 0)
    floor_tightened (ctx, RULE_SECCOMP, "linux.seccomp.syscalls",
                     "%zu rule(s) added at the end letting clone run only without namespace flags",
                     n[ADDED_CLONE]);
  if (n[ADDED_SOCKET] > 0)
    floor_tightened (ctx, RULE_SECCOMP, "linux.seccomp.syscalls",
                     "%zu rule(s) added at the end letting socket run for every family but "
                     "AF_VSOCK (40)",
                     n[ADDED_SOCKET]);
  if (n[ADDED_CLONE3] > 0)
    floor_tightened (ctx, RULE_SECCOMP, "linux.seccomp.syscalls",
                     "no rule named clone3; added Docker's rule making it fail with ENOSYS (so "
                     "that the C library falls back to clone)");
  check_architectures (ctx, seccomp, p.lets_socket_run);
  free (p.deny_seen);
  free (p.deny_hits);
  denylist_free (&p.deny);
}

/* ---- harden mode ------------------------------------------------------- */

static bool
names_array_ok (const json_value *v)
{
  if (v == NULL || v->type == JSON_NULL)
    return true;
  if (v->type != JSON_ARRAY)
    return false;
  for (size_t i = 0; i < v->u.array.len; i++)
    if (v->u.array.items[i]->type != JSON_STRING)
      return false;
  return true;
}

/* A part of the profile of the wrong type (a null where a name belongs, a
   condition runc cannot load): left for the rule to refuse, since what the
   caller meant cannot be read.  */
static bool
profile_malformed (const json_value *seccomp)
{
  const json_value *def = json_object_get (seccomp, "defaultAction");
  const json_value *listener = json_object_get (seccomp, "listenerPath");
  if ((def != NULL && def->type != JSON_STRING)
      || (listener != NULL && listener->type != JSON_NULL && listener->type != JSON_STRING)
      || !names_array_ok (json_object_get (seccomp, "flags"))
      || !names_array_ok (json_object_get (seccomp, "architectures")))
    return true;
  const json_value *syscalls = json_object_get (seccomp, "syscalls");
  if (syscalls == NULL || syscalls->type == JSON_NULL)
    return false;
  if (syscalls->type != JSON_ARRAY)
    return true;
  for (size_t i = 0; i < syscalls->u.array.len; i++)
    {
      const json_value *rule = syscalls->u.array.items[i];
      if (rule->type != JSON_OBJECT)
        return true;
      const json_value *action = json_object_get (rule, "action");
      if ((action != NULL && action->type != JSON_STRING)
          || !names_array_ok (json_object_get (rule, "names")))
        return true;
      struct rule_args a;
      rule_args_parse (rule, &a);
      free (a.conds);
      if (!a.loadable)
        return true;
    }
  return false;
}

/* Why a well-typed profile cannot be tightened in place: what decides a
   call would be a process outside the container (notify), or runc's
   reading of it is unknown (an action, architecture or flag it does not
   know).  NULL when it can.  */
static char *
replace_reason (const json_value *seccomp)
{
  const json_value *def = json_object_get (seccomp, "defaultAction");
  if (def == NULL)
    return xstrdup ("defaultAction was absent (runc then loads no filter)");
  enum action_kind kind = classify_action (def->u.string.s);
  if (kind == ACTION_NOTIFY || kind == ACTION_UNKNOWN)
    {
      cleanup_free char *shown = spec_describe (def);
      return xasprintf ("defaultAction was %s%s", shown,
                        kind == ACTION_NOTIFY ? " (a process outside the container decides)"
                                              : ", not a known seccomp action");
    }
  const char *listener = NULL;
  if (spec_get_string (seccomp, "listenerPath", &listener) == SPEC_OK && listener[0] != '\0')
    {
      cleanup_free char *shown = spec_describe (json_object_get (seccomp, "listenerPath"));
      return xasprintf ("listenerPath was %s (a notify listener decides outside the container)",
                        shown);
    }
  const json_value *flags = json_object_get (seccomp, "flags");
  for (size_t i = 0; flags != NULL && flags->type == JSON_ARRAY && i < flags->u.array.len; i++)
    {
      const char *f = flags->u.array.items[i]->u.string.s;
      if (!flag_harmless (f) && strcmp (f, spec_allow_flag) != 0)
        return xasprintf ("flags[%zu] was \"%s\", not a known filter flag", i, f);
    }
  const json_value *arches = json_object_get (seccomp, "architectures");
  for (size_t i = 0; arches != NULL && arches->type == JSON_ARRAY && i < arches->u.array.len; i++)
    if (seccomp_arch_of_name (arches->u.array.items[i]->u.string.s) == 0)
      {
        cleanup_free char *shown = spec_describe (arches->u.array.items[i]);
        return xasprintf ("architectures[%zu] was %s, not an architecture runc knows", i, shown);
      }
  const json_value *syscalls = json_object_get (seccomp, "syscalls");
  for (size_t i = 0; syscalls != NULL && syscalls->type == JSON_ARRAY && i < syscalls->u.array.len;
       i++)
    {
      const json_value *action = json_object_get (syscalls->u.array.items[i], "action");
      if (action == NULL)
        return xasprintf ("syscalls[%zu].action was absent", i);
      kind = classify_action (action->u.string.s);
      if (kind == ACTION_NOTIFY || kind == ACTION_UNKNOWN)
        {
          cleanup_free char *shown = spec_describe (action);
          return xasprintf ("syscalls[%zu].action was %s%s", i, shown,
                            kind == ACTION_NOTIFY ? " (a process outside the container decides)"
                                                  : ", not a known seccomp action");
        }
    }
  return NULL;
}

static void
describe_generated (struct floor_ctx *ctx, const char *field, const char *was, size_t n_names)
{
  uint32_t native = seccomp_arch_native ();
  const char *arch = seccomp_arch_name (native);
  floor_tightened (ctx, RULE_SECCOMP, field,
                   "%s; now a generated profile: %zu calls libseccomp knows for %s run (all but "
                   "the deny-list and io_uring), clone only without namespace flags, socket only "
                   "without AF_VSOCK; clone3 fails with ENOSYS, any other call with EPERM",
                   was, n_names, arch != NULL ? arch : "this architecture");
}

/* SECCOMP_FILTER_FLAG_SPEC_ALLOW taken out: the filter then keeps the
   speculative store bypass mitigation on, which no program needs off.  */
static void
harden_flags (struct floor_ctx *ctx, json_value *seccomp)
{
  json_value *flags = json_object_get (seccomp, "flags");
  if (flags == NULL || flags->type != JSON_ARRAY)
    return;
  for (size_t i = flags->u.array.len; i-- > 0;)
    if (strcmp (flags->u.array.items[i]->u.string.s, spec_allow_flag) == 0)
      {
        json_array_remove (flags, i);
        cleanup_free char *field = xasprintf ("linux.seccomp.flags[%zu]", i);
        floor_tightened (ctx, RULE_SECCOMP, field,
                         "was \"%s\" (turned off the speculative store bypass mitigation); "
                         "removed",
                         spec_allow_flag);
      }
}

/* A default that lets every call run: the default becomes EPERM and the
   calls no rule names are let run by rules at the end, with the old
   default's action (LOG still logs); a call the profile's rules name is
   decided by those rules alone (libseccomp lets an unconditional rule
   override conditional ones, so it is not also in the bulk rule).  */
static void
harden_default (struct floor_ctx *ctx, json_value *seccomp)
{
  json_value *def = json_object_get (seccomp, "defaultAction");
  if (classify_action (def->u.string.s) != ACTION_LETS_RUN)
    return;
  cleanup_json json_value *action = json_clone (def);
  const json_value *def_errno = json_object_get (seccomp, "defaultErrnoRet");
  cleanup_json json_value *errno_ret
      = strcmp (def->u.string.s, "SCMP_ACT_TRACE") == 0 && def_errno != NULL
            ? json_clone (def_errno)
            : NULL;
  json_value *syscalls = json_object_get (seccomp, "syscalls");
  if (syscalls == NULL || syscalls->type != JSON_ARRAY)
    syscalls = json_object_set (seccomp, "syscalls", json_new_array ());
  json_object_set (seccomp, "defaultAction", json_new_string ("SCMP_ACT_ERRNO"));
  json_object_set (seccomp, "defaultErrnoRet", json_new_int (EPERM));
  struct denylist deny;
  denylist_init (&deny, &ctx->policy->syscall_denylist);
  size_t n = seccomp_let_run_the_rest (syscalls, &deny, action, errno_ret);
  denylist_free (&deny);
  floor_tightened (ctx, RULE_SECCOMP, "linux.seccomp.defaultAction",
                   "was \"%s\" (every call not listed would run); now SCMP_ACT_ERRNO (EPERM), and "
                   "rules at the end let the %zu other calls libseccomp knows run with \"%s\" "
                   "(not the deny-list, io_uring, clone with namespace flags, socket(AF_VSOCK), "
                   "clone3); a call the profile's rules name runs only as they say",
                   action->u.string.s, n, action->u.string.s);
}

/* Harden SECCOMP.  No profile (linux.seccomp absent or null: Go reads both
   as no filter) gets the generated one.  A well-typed profile that cannot
   be tightened in place (notify, a listener, an action, architecture or
   flag runc does not know, no default action) is replaced by the
   generated one.  Otherwise SPEC_ALLOW is taken out of its flags and a
   default that lets calls run becomes EPERM with the other calls let run
   by rules at the end; the rule itself then tightens the rest in place
   (deny-listed names, clone's pin, clone3, socket's family, x86).  A
   profile with a part of the wrong type is left for the rule to refuse.  */
void
floor_harden_seccomp (struct floor_ctx *ctx)
{
  json_value *linux_obj = NULL;
  spec_status ls = spec_get (ctx->config, "linux", JSON_OBJECT, &linux_obj);
  if (ls != SPEC_OK && ls != SPEC_ABSENT)
    return; /* linux null or not an object: refused as it is */
  json_value *seccomp = linux_obj ? json_object_get (linux_obj, "seccomp") : NULL;
  if (seccomp == NULL || seccomp->type == JSON_NULL)
    {
      const char *was = seccomp == NULL ? "was absent (no system call filter)"
                                        : "was null (no system call filter)";
      size_t n = 0;
      json_value *profile = seccomp_generate_profile (&ctx->policy->syscall_denylist, &n);
      cleanup_free char *err = NULL;
      if (spec_set (ctx->config, "linux.seccomp", profile, &err) == 0)
        describe_generated (ctx, "linux.seccomp", was, n);
      return;
    }
  if (seccomp->type != JSON_OBJECT || profile_malformed (seccomp))
    return;
  cleanup_free char *why = replace_reason (seccomp);
  if (why != NULL)
    {
      size_t n = 0;
      json_object_set (linux_obj, "seccomp",
                       seccomp_generate_profile (&ctx->policy->syscall_denylist, &n));
      describe_generated (ctx, "linux.seccomp", why, n);
      return;
    }
  harden_flags (ctx, seccomp);
  harden_default (ctx, seccomp);
}
