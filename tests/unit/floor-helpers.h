/* Helpers for the floor's unit tests: load the floor-holding fixture, edit
   it with a JSON snippet, run the floor, look for findings.  */
#ifndef FLOOR_HELPERS_H
#define FLOOR_HELPERS_H

#include <stdlib.h>
#include <string.h>

#include "floor/floor.h"
#include "json.h"
#include "policy.h"
#include "spec.h"
#include "tap.h"
#include "util.h"

static struct policy test_policy;
static struct host_facts test_host = { .swap_accounting = true };

static void __attribute__ ((unused)) floor_test_init (void) { policy_defaults (&test_policy); }

/* Parse a JSON literal or abort the test program.  */
static json_value *__attribute__ ((unused)) parse_json (const char *text)
{
  json_value *v = NULL;
  char *err = NULL;
  if (json_parse (text, strlen (text), &v, &err) < 0)
    {
      printf ("Bail out! cannot parse test JSON: %s\n", err);
      exit (1);
    }
  return v;
}

/* The floor-holding Docker-shaped config (tests/fixtures/floor-ok.json).  */
static json_value *__attribute__ ((unused)) load_ok_config (void)
{
  const char *dir = getenv ("FIXTURES");
  char *path = xasprintf ("%s/floor-ok.json", dir ? dir : "tests/fixtures");
  json_value *v = NULL;
  char *err = NULL;
  if (json_load_file (path, &v, &err) < 0)
    {
      printf ("Bail out! cannot load %s: %s\n", path, err);
      exit (1);
    }
  free (path);
  return v;
}

/* Set path (dot-separated struct fields) of the config to a JSON literal.  */
static void __attribute__ ((unused))
set_json (json_value *root, const char *path, const char *literal)
{
  char *err = NULL;
  if (spec_set (root, path, parse_json (literal), &err) < 0)
    {
      printf ("Bail out! cannot set %s: %s\n", path, err);
      exit (1);
    }
}

/* The first finding of kind for rule whose field contains field_part (NULL: any).  */
static __attribute__ ((unused)) const struct finding *
find_finding (const struct verdict *v, enum finding_kind kind, const char *rule,
              const char *field_part)
{
  for (size_t i = 0; i < v->len; i++)
    if (v->items[i].kind == kind && strcmp (v->items[i].rule, rule) == 0
        && (field_part == NULL || strstr (v->items[i].field, field_part) != NULL))
      return &v->items[i];
  return NULL;
}

static void __attribute__ ((unused)) print_verdict (const struct verdict *v)
{
  for (size_t i = 0; i < v->len; i++)
    diag ("%s [%s] %s %s (fix: %s)",
          v->items[i].kind == FINDING_VIOLATION ? "violation" : "tightened", v->items[i].rule,
          v->items[i].field, v->items[i].detail, v->items[i].fix ? v->items[i].fix : "-");
}

#endif
