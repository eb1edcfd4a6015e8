/* policyrun floor: what seccomp.c shares with seccomp-clone-socket.c.  */
#ifndef POLICYRUN_FLOOR_SECCOMP_H
#define POLICYRUN_FLOOR_SECCOMP_H

#include <stdbool.h>
#include <stdint.h>

#include "floor.h"

/* A rule's argument conditions, as runc 1.1 hands them to libseccomp.  */
enum cmp_op
{
  OP_NE,
  OP_LT,
  OP_LE,
  OP_EQ,
  OP_GE,
  OP_GT,
  OP_MASKED_EQ, /* (arg & value) == valueTwo */
};

#define MAX_SYSCALL_ARGS 6

/* The libseccomp architecture of one of runc 1.1's names
   ("SCMP_ARCH_X86_64"), or 0 when runc does not know the name.  */
uint32_t seccomp_arch_of_name (const char *name);

struct cond
{
  unsigned index;
  enum cmp_op op;
  uint64_t value, value_two;
  const json_value *src; /* the caller's condition, NULL for one made here */
};

/* runc: when two conditions of a rule test the same argument, each
   condition becomes a rule of its own (the rule lets the call run when any
   one holds); otherwise the rule is one libseccomp rule with all of them
   (every one must hold).  No conditions: the call runs unconditionally.  */
struct rule_args
{
  struct cond *conds;
  size_t n;
  bool loadable; /* runc can load every condition */
  bool or_split;
};

enum added_kind
{
  ADDED_CLONE,
  ADDED_SOCKET,
  ADDED_CLONE3,
};

/* What a rule must pin for a call to be let run, and the conditions that
   pin it (each one a rule of its own, OR).  The kernel reads clone's flags
   as 64 bits but socket's family as an int (the low 32 bits), and
   libseccomp compares only the low 32 bits on 32-bit architectures, so a
   condition counts only when it pins under both readings.  */
struct target
{
  const char *name;
  enum added_kind kind;
  int nr; /* native number, or __NR_SCMP_ERROR */
  unsigned index;
  bool (*pins) (const struct cond *c, unsigned index);
  const struct cond *pin_set;
  size_t n_pins;
};

/* Rules added to the profile, appended once each at the end.  */
struct added
{
  json_value **rules;
  char **keys; /* the rule as written: equal keys are the same rule */
  enum added_kind *kinds;
  size_t len, cap;
  size_t appended[3]; /* per kind, set by added_append */
};

/* Docker's clone rule, and every socket family but AF_VSOCK.  */
extern const struct cond clone_pin_set[1];
extern const struct cond socket_pin_set[5];

void rule_args_parse (const json_value *rule, struct rule_args *a);
bool rule_pins (const struct target *t, const struct rule_args *a);
size_t emit_pinned (struct added *out, const struct target *t, const struct rule_args *a,
                    const json_value *rule);
void added_push (struct added *a, json_value *rule, enum added_kind kind);
void added_append (struct added *a, json_value *syscalls);
bool clone_pins (const struct cond *c, unsigned index);
bool socket_pins (const struct cond *c, unsigned index);
/* c as a condition of a rule (the caller's own when c->src is set).  */
json_value *cond_to_json (const struct cond *c);

/* seccomp.c: the policy's deny-list, plus io_uring whatever the policy
   says, resolved to native system call numbers (names are matched by what
   they mean to libseccomp, so aliases count; a name libseccomp does not
   know matches by spelling).  */
struct denied_number
{
  int nr;
  size_t index; /* into names */
};

struct denylist
{
  const char **names; /* the policy's, then the floor's own (io_uring) */
  size_t n_names;
  struct denied_number *numbers; /* the names libseccomp knows, sorted by nr */
  size_t n_numbers;
};

void denylist_init (struct denylist *d, const struct string_list *names);
void denylist_free (struct denylist *d);
bool denylist_match (const struct denylist *d, int nr, const char *name, size_t *index);
/* The action (runc's name) lets the call run: ALLOW, LOG, TRACE.  */
bool seccomp_action_lets_run (const char *action);
/* runc 1.1's name of a libseccomp architecture, or NULL.  */
const char *seccomp_arch_name (uint32_t arch);
/* libseccomp reaches socket() on arch through socketcall, whose family a
   filter cannot see.  */
bool seccomp_arch_multiplexes_socket (uint32_t arch);
/* The argument of clone that holds its flags on the native architecture.  */
unsigned seccomp_clone_flags_index (void);

/* seccomp-generate.c: the profile harden mode supplies.  */

/* Rules appended to syscalls (a linux.seccomp.syscalls array) letting run,
   with action (and errno_ret, when not NULL), every call libseccomp knows
   for the native architecture that no rule of syscalls names, but for the
   deny-listed ones (io_uring among them), clone3 and, where socket() is multiplexed through
   socketcall, socket and socketcall: one rule with every name, clone with its namespace flags
   pinned to zero and socket with every family but AF_VSOCK (each unless it is deny-listed, or a
   rule lets it run or names it with no condition), and clone3 failing with ENOSYS unless a rule
   names it.  What runc then loads is what floor_check_seccomp accepts unchanged.  Returns how many
   names the first rule holds.  */
size_t seccomp_let_run_the_rest (json_value *syscalls, const struct denylist *deny,
                                 const json_value *action, const json_value *errno_ret);

/* A whole linux.seccomp object: default SCMP_ACT_ERRNO (EPERM), the native
   architecture and its companions whose socket() is direct (x86_64: x32;
   x86 multiplexes socket() and is left out, so its programs are stopped),
   and seccomp_let_run_the_rest with SCMP_ACT_ALLOW.  *n_names: the names of
   its first rule.  */
json_value *seccomp_generate_profile (const struct string_list *denylist, size_t *n_names);

#endif
