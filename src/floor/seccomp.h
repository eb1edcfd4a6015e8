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

#endif
