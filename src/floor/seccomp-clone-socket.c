/* policyrun floor: seccomp conditions as runc 1.1 hands them to
   libseccomp, whether a rule pins clone's namespace flags and socket's
   family, and the rules added to pin them.  seccomp.c decides what to do
   with a rule; this is the arithmetic.  */
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

static const char *const op_names[] = {
  [OP_NE] = "SCMP_CMP_NE",
  [OP_LT] = "SCMP_CMP_LT",
  [OP_LE] = "SCMP_CMP_LE",
  [OP_EQ] = "SCMP_CMP_EQ",
  [OP_GE] = "SCMP_CMP_GE",
  [OP_GT] = "SCMP_CMP_GT",
  [OP_MASKED_EQ] = "SCMP_CMP_MASKED_EQ",
};

static bool
parse_u64 (const json_value *v, uint64_t *out)
{
  *out = 0;
  if (v == NULL || v->type == JSON_NULL) /* Go leaves the field 0 */
    return true;
  if (v->type != JSON_NUMBER)
    return false;
  if (v->u.number.is_int)
    {
      if (v->u.number.i < 0)
        return false;
      *out = (uint64_t)v->u.number.i;
      return true;
    }
  const char *t = v->u.number.text;
  if (t[0] < '0' || t[0] > '9' || strspn (t, "0123456789") != strlen (t))
    return false;
  errno = 0;
  char *end = NULL;
  unsigned long long x = strtoull (t, &end, 10);
  if (errno != 0 || *end != '\0')
    return false;
  *out = x;
  return true;
}

static bool
parse_cond (const json_value *arg, struct cond *c)
{
  uint64_t index = 0;
  if (arg->type != JSON_OBJECT || !parse_u64 (json_object_get (arg, "index"), &index)
      || index >= MAX_SYSCALL_ARGS || !parse_u64 (json_object_get (arg, "value"), &c->value)
      || !parse_u64 (json_object_get (arg, "valueTwo"), &c->value_two))
    return false;
  c->index = (unsigned)index;
  c->src = arg;
  const json_value *op = json_object_get (arg, "op");
  if (op == NULL || op->type != JSON_STRING)
    return false;
  for (size_t k = 0; k < sizeof op_names / sizeof op_names[0]; k++)
    if (strcmp (op->u.string.s, op_names[k]) == 0)
      {
        c->op = (enum cmp_op)k;
        return true;
      }
  return false;
}

void
rule_args_parse (const json_value *rule, struct rule_args *a)
{
  *a = (struct rule_args){ .loadable = true };
  const json_value *args = json_object_get (rule, "args");
  if (args == NULL || args->type == JSON_NULL)
    return;
  if (args->type != JSON_ARRAY)
    {
      a->loadable = false;
      return;
    }
  a->conds = xcalloc (args->u.array.len ? args->u.array.len : 1, sizeof *a->conds);
  unsigned per_index[MAX_SYSCALL_ARGS] = { 0 };
  for (size_t i = 0; i < args->u.array.len; i++)
    {
      struct cond *c = &a->conds[a->n];
      if (!parse_cond (args->u.array.items[i], c))
        {
          a->loadable = false;
          continue;
        }
      if (++per_index[c->index] > 1)
        a->or_split = true;
      a->n++;
    }
}

static bool
cond_holds (const struct cond *c, uint64_t x)
{
  switch (c->op)
    {
    case OP_NE:
      return x != c->value;
    case OP_LT:
      return x < c->value;
    case OP_LE:
      return x <= c->value;
    case OP_EQ:
      return x == c->value;
    case OP_GE:
      return x >= c->value;
    case OP_GT:
      return x > c->value;
    case OP_MASKED_EQ:
      return (x & c->value) == c->value_two;
    }
  return true;
}

/* CLONE_NEWNS, NEWCGROUP, NEWUTS, NEWIPC, NEWUSER, NEWPID, NEWNET: Docker's
   mask.  The lowest of them is CLONE_NEWNS.  */
#define CLONE_NS_FLAGS UINT64_C (0x7E020000)
#define CLONE_NS_LOWEST UINT64_C (0x00020000)
#define AF_VSOCK_FAMILY 40
#define LOW32 UINT64_C (0xFFFFFFFF)

bool
clone_pins (const struct cond *c, unsigned index)
{
  if (c->index != index)
    return false;
  switch (c->op)
    {
    case OP_MASKED_EQ:
      return ((c->value & CLONE_NS_FLAGS) == CLONE_NS_FLAGS && (c->value_two & CLONE_NS_FLAGS) == 0)
             || (c->value_two & ~c->value & LOW32) != 0; /* never holds */
    case OP_EQ:
      return (c->value & CLONE_NS_FLAGS) == 0;
    case OP_LT:
      return c->value <= CLONE_NS_LOWEST;
    case OP_LE:
      return c->value < CLONE_NS_LOWEST;
    default:
      return false;
    }
}

bool
socket_pins (const struct cond *c, unsigned index)
{
  if (c->index != index)
    return false;
  switch (c->op)
    {
    case OP_MASKED_EQ:
      return (AF_VSOCK_FAMILY & c->value & LOW32) != (c->value_two & LOW32);
    case OP_EQ:
      return (c->value & LOW32) != AF_VSOCK_FAMILY;
    case OP_LT:
      return c->value <= AF_VSOCK_FAMILY;
    case OP_LE:
      return c->value < AF_VSOCK_FAMILY;
    default: /* NE 40 lets 0x100000028 through: the kernel reads 40 */
      return false;
    }
}

/* Docker's clone rule.  */
const struct cond clone_pin_set[1] = {
  { .op = OP_MASKED_EQ, .value = CLONE_NS_FLAGS, .value_two = 0 },
};

/* Every family but 40, whatever the upper 32 bits: below 40, 41, 42-43,
   44-47, 48-63 (no family is above 63; AF_MAX is 46 in Linux 6.x).  */
const struct cond socket_pin_set[5] = {
  { .op = OP_LT, .value = AF_VSOCK_FAMILY },
  { .op = OP_EQ, .value = 41 },
  { .op = OP_MASKED_EQ, .value = 0xFFFFFFFE, .value_two = 42 },
  { .op = OP_MASKED_EQ, .value = 0xFFFFFFFC, .value_two = 44 },
  { .op = OP_MASKED_EQ, .value = 0xFFFFFFF0, .value_two = 48 },
};

static bool
branch_pins (const struct target *t, const struct cond *conds, size_t n)
{
  for (size_t i = 0; i < n; i++)
    if (t->pins (&conds[i], t->index))
      return true;
  return false;
}

/* Whether every way runc loads the rule pins the target's argument.  */
bool
rule_pins (const struct target *t, const struct rule_args *a)
{
  if (!a->loadable || a->n == 0)
    return false;
  if (!a->or_split)
    return branch_pins (t, a->conds, a->n);
  for (size_t i = 0; i < a->n; i++)
    if (!t->pins (&a->conds[i], t->index))
      return false;
  return true;
}

/* Whether a holds for every x that b lets through (same argument).  */
static bool
cond_covers (const struct cond *a, const struct cond *b)
{
  if (b->op == OP_EQ)
    return cond_holds (a, b->value);
  uint64_t min = 0, max = UINT64_MAX;
  switch (b->op)
    {
    case OP_LT:
      if (b->value == 0)
        return true; /* b lets nothing through */
      max = b->value - 1;
      break;
    case OP_LE:
      max = b->value;
      break;
    case OP_GE:
      min = b->value;
      break;
    case OP_GT:
      if (b->value == UINT64_MAX)
        return true;
      min = b->value + 1;
      break;
    case OP_MASKED_EQ:
      if ((b->value_two & ~b->value) != 0)
        return true;
      min = b->value_two;
      max = b->value_two | ~b->value;
      break;
    default:
      break;
    }
  switch (a->op)
    {
    case OP_LT:
      return max < a->value;
    case OP_LE:
      return max <= a->value;
    case OP_GE:
      return min >= a->value;
    case OP_GT:
      return min > a->value;
    case OP_EQ:
      return min == max && min == a->value;
    case OP_NE:
      return a->value < min || a->value > max
             || (b->op == OP_MASKED_EQ && (a->value & b->value) != b->value_two)
             || (b->op == OP_NE && b->value == a->value);
    case OP_MASKED_EQ:
      if (b->op == OP_MASKED_EQ)
        return (a->value & ~b->value) == 0 && (b->value_two & a->value) == a->value_two;
      return min == max && (min & a->value) == a->value_two;
    }
  return false;
}

/* c and p (on the same argument) as one condition: false when none
   expresses both or nothing holds both (the branch then lets nothing run,
   which is tighter).  */
static bool
cond_combine (const struct cond *c, const struct cond *p, struct cond *out)
{
  const struct cond *narrower = NULL;
  if (cond_covers (c, p))
    narrower = p;
  else if (cond_covers (p, c))
    narrower = c;
  else if (c->op == OP_EQ || p->op == OP_EQ)
    return false; /* an EQ either holds under the other or nothing does */
  if (narrower != NULL)
    {
      *out = *narrower;
      out->index = c->index;
      out->src = narrower == c ? c->src : NULL;
      return true;
    }
  if (c->op == OP_MASKED_EQ && p->op == OP_MASKED_EQ)
    {
      if (((c->value_two ^ p->value_two) & c->value & p->value) != 0
          || (c->value_two & ~c->value) != 0 || (p->value_two & ~p->value) != 0)
        return false;
      *out = (struct cond){ .index = c->index,
                            .op = OP_MASKED_EQ,
                            .value = c->value | p->value,
                            .value_two = c->value_two | p->value_two };
      return true;
    }
  return false;
}

/* conds (one branch) with pin p added; false when nothing is left.  */
static bool
branch_with_pin (const struct cond *conds, size_t n, const struct cond *p,
                 struct cond out[MAX_SYSCALL_ARGS], size_t *n_out)
{
  bool placed = false;
  *n_out = 0;
  for (size_t i = 0; i < n; i++)
    {
      if (conds[i].index != p->index)
        out[(*n_out)++] = conds[i];
      else if (cond_combine (&conds[i], p, &out[*n_out]))
        {
          (*n_out)++;
          placed = true;
        }
      else
        return false;
    }
  if (!placed)
    out[(*n_out)++] = *p;
  return true;
}

static json_value *
json_new_u64 (uint64_t x)
{
  if (x <= INT64_MAX)
    return json_new_int ((int64_t)x);
  char text[24];
  snprintf (text, sizeof text, "%llu", (unsigned long long)x);
  json_value *v = NULL;
  char *err = NULL;
  if (json_parse (text, strlen (text), &v, &err) < 0)
    abort (); /* a decimal number always parses */
  return v;
}

json_value *
cond_to_json (const struct cond *c)
{
  if (c->src != NULL)
    return json_clone (c->src);
  json_value *o = json_new_object ();
  json_object_set (o, "index", json_new_int (c->index));
  json_object_set (o, "value", json_new_u64 (c->value));
  json_object_set (o, "valueTwo", json_new_u64 (c->value_two));
  json_object_set (o, "op", json_new_string (op_names[c->op]));
  return o;
}

void
added_push (struct added *a, json_value *rule, enum added_kind kind)
{
  if (a->len == a->cap)
    {
      a->cap = a->cap ? 2 * a->cap : 8;
      a->rules = xrealloc (a->rules, a->cap * sizeof *a->rules);
      a->keys = xrealloc (a->keys, a->cap * sizeof *a->keys);
      a->kinds = xrealloc (a->kinds, a->cap * sizeof *a->kinds);
    }
  char *key = NULL, *err = NULL;
  size_t len = 0;
  if (json_write (rule, &key, &len, &err) < 0)
    abort (); /* a tree built here always writes */
  a->rules[a->len] = rule;
  a->keys[a->len] = key;
  a->kinds[a->len] = kind;
  a->len++;
}

static void
emit_rule (struct added *out, const struct target *t, const json_value *rule,
           const struct cond *conds, size_t n)
{
  json_value *r = json_new_object ();
  json_value *names = json_new_array ();
  json_array_append (names, json_new_string (t->name));
  json_object_set (r, "names", names);
  json_object_set (r, "action", json_clone (json_object_get (rule, "action")));
  const json_value *errno_ret = json_object_get (rule, "errnoRet");
  if (errno_ret != NULL && errno_ret->type != JSON_NULL)
    json_object_set (r, "errnoRet", json_clone (errno_ret));
  if (n > 0)
    {
      json_value *args = json_new_array ();
      for (size_t i = 0; i < n; i++)
        json_array_append (args, cond_to_json (&conds[i]));
      json_object_set (r, "args", args);
    }
  added_push (out, r, t->kind);
}

/* The rule's conditions with the target pinned: each branch runc would
   load, joined with each pin.  A branch that pins already is kept as it
   is; one whose condition on the pinned argument cannot be joined with the
   pin is dropped (the call then runs in fewer cases).  Returns how many
   rules were added.  */
size_t
emit_pinned (struct added *out, const struct target *t, const struct rule_args *a,
             const json_value *rule)
{
  if (!a->loadable)
    return 0; /* runc refuses the rule: nothing of it to keep */
  size_t before = out->len;
  size_t n_branches = a->or_split ? a->n : 1;
  for (size_t b = 0; b < n_branches; b++)
    {
      const struct cond *conds = a->or_split ? &a->conds[b] : a->conds;
      size_t n = a->or_split ? 1 : a->n;
      if (branch_pins (t, conds, n))
        {
          emit_rule (out, t, rule, conds, n);
          continue;
        }
      for (size_t k = 0; k < t->n_pins; k++)
        {
          struct cond pin = t->pin_set[k], joined[MAX_SYSCALL_ARGS];
          pin.index = t->index;
          size_t m = 0;
          if (branch_with_pin (conds, n, &pin, joined, &m))
            emit_rule (out, t, rule, joined, m);
        }
    }
  return out->len - before;
}

struct added_ref
{
  const char *key;
  size_t order;
};

static int
compare_added (const void *a, const void *b)
{
  const struct added_ref *x = a, *y = b;
  int c = strcmp (x->key, y->key);
  return c ? c : (x->order > y->order) - (x->order < y->order);
}

/* Append the added rules to syscalls, each distinct rule once, in the order
   they were made; a->appended counts them per kind.  */
void
added_append (struct added *a, json_value *syscalls)
{
  struct added_ref *refs = xcalloc (a->len ? a->len : 1, sizeof *refs);
  bool *dup = xcalloc (a->len ? a->len : 1, sizeof *dup);
  for (size_t i = 0; i < a->len; i++)
    refs[i] = (struct added_ref){ .key = a->keys[i], .order = i };
  qsort (refs, a->len, sizeof *refs, compare_added);
  for (size_t i = 1; i < a->len; i++)
    if (strcmp (refs[i].key, refs[i - 1].key) == 0)
      dup[refs[i].order] = true;
  size_t appended[3] = { 0 };
  for (size_t i = 0; i < a->len; i++)
    {
      if (dup[i])
        json_free (a->rules[i]);
      else
        {
          json_array_append (syscalls, a->rules[i]);
          appended[a->kinds[i]]++;
        }
      free (a->keys[i]);
    }
  free (refs);
  free (dup);
  free (a->rules);
  free (a->keys);
  free (a->kinds);
  *a = (struct added){ .appended = { appended[0], appended[1], appended[2] } };
}
