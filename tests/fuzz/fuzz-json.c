/* libFuzzer harness for the strict loader and the canonical writer.

   For every input the loader accepts: the writer must succeed, its output
   must load to an equal tree, writing that tree again must give the same
   bytes, and the typed views (Go type checks, accessors, describe) must not
   crash.  Anything else is a finding (abort).  */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "spec.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static int
equal (const json_value *a, const json_value *b)
{
  if (a->type != b->type)
    return 0;
  switch (a->type)
    {
    case JSON_NULL:
      return 1;
    case JSON_BOOL:
      return a->u.boolean == b->u.boolean;
    case JSON_NUMBER:
      return strcmp (a->u.number.text, b->u.number.text) == 0
             && a->u.number.is_int == b->u.number.is_int
             && (!a->u.number.is_int || a->u.number.i == b->u.number.i);
    case JSON_STRING:
      return a->u.string.len == b->u.string.len
             && memcmp (a->u.string.s, b->u.string.s, a->u.string.len) == 0;
    case JSON_ARRAY:
      if (a->u.array.len != b->u.array.len)
        return 0;
      for (size_t i = 0; i < a->u.array.len; i++)
        if (!equal (a->u.array.items[i], b->u.array.items[i]))
          return 0;
      return 1;
    case JSON_OBJECT:
      if (a->u.object.len != b->u.object.len)
        return 0;
      for (size_t i = 0; i < a->u.object.len; i++)
        if (strcmp (a->u.object.members[i].key, b->u.object.members[i].key) != 0
            || !equal (a->u.object.members[i].value, b->u.object.members[i].value))
          return 0;
      return 1;
    }
  return 0;
}

/* Properties of an accepted tree that the loader promises.  */
static void
check_tree (const json_value *v, int depth)
{
  if (depth > JSON_MAX_DEPTH)
    abort ();
  switch (v->type)
    {
    case JSON_STRING:
      if (strlen (v->u.string.s) != v->u.string.len)
        abort (); /* a NUL inside */
      break;
    case JSON_ARRAY:
      for (size_t i = 0; i < v->u.array.len; i++)
        check_tree (v->u.array.items[i], depth + 1);
      break;
    case JSON_OBJECT:
      for (size_t i = 0; i < v->u.object.len; i++)
        {
          for (size_t j = 0; j < i; j++)
            if (json_key_fold_equal (v->u.object.members[i].key, v->u.object.members[j].key))
              abort (); /* two members one Go field could match */
          if (json_object_get (v, v->u.object.members[i].key) != v->u.object.members[i].value)
            abort ();
          check_tree (v->u.object.members[i].value, depth + 1);
        }
      break;
    case JSON_NUMBER:
    case JSON_NULL:
    case JSON_BOOL:
      break;
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  json_value *a = NULL, *b = NULL, *c = NULL;
  char *err = NULL, *w1 = NULL, *w2 = NULL;
  size_t l1 = 0, l2 = 0;

  if (json_parse ((const char *)data, size, &a, &err) < 0)
    {
      if (a != NULL || err == NULL || strchr (err, '\n') != NULL)
        abort (); /* a refusal is one line and leaves nothing behind */
      free (err);
      return 0;
    }
  check_tree (a, 0);

  if (json_write (a, &w1, &l1, &err) < 0)
    abort ();
  if (json_parse (w1, l1, &b, &err) < 0)
    {
      fprintf (stderr, "writer output refused: %s\n", err);
      abort ();
    }
  if (!equal (a, b))
    abort ();
  if (json_write (b, &w2, &l2, &err) < 0 || l1 != l2 || memcmp (w1, w2, l1) != 0)
    abort ();

  /* The typed views must hold up against anything the loader accepts.  */
  c = json_clone (a);
  if (!equal (a, c))
    abort ();
  spec_check_types_config (a, &err);
  free (err);
  err = NULL;
  spec_check_types_process (json_object_get (a, "process"), &err);
  free (err);
  err = NULL;
  spec_check_types_resources (json_object_get (json_object_get (a, "linux"), "resources"), &err);
  free (err);
  err = NULL;
  int64_t i;
  bool bo;
  const char *s;
  json_value *o;
  spec_get_int (a, "linux.resources.memory.limit", SPEC_INT64_MIN, SPEC_INT64_MAX, &i);
  spec_get_bool (a, "root.readonly", &bo);
  spec_get_string (a, "process.cwd", &s);
  spec_get (a, "linux.seccomp", JSON_OBJECT, &o);
  char *d = spec_describe (a);
  free (d);
  if (spec_set (c, "linux.resources.pids.limit", json_new_int (256), &err) == 0)
    {
      if (spec_get_int (c, "linux.resources.pids.limit", 0, 256, &i) != SPEC_OK || i != 256)
        abort ();
    }
  free (err);

  json_free (a);
  json_free (b);
  json_free (c);
  free (w1);
  free (w2);
  return 0;
}
