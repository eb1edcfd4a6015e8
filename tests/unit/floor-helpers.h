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

/* The findings of the last rule run; each test program has one.  */
static struct verdict verdict;

/* The finding of kind for rule at exactly field, or NULL.  */
static __attribute__ ((unused)) const struct finding *
exact_finding (enum finding_kind kind, const char *rule, const char *field)
{
  for (size_t i = 0; i < verdict.len; i++)
    if (verdict.items[i].kind == kind && strcmp (verdict.items[i].rule, rule) == 0
        && strcmp (verdict.items[i].field, field) == 0)
      return &verdict.items[i];
  return NULL;
}

/* A violation of rule at field, with exactly this fix and a detail that
   holds detail_part (when not NULL).  */
static void __attribute__ ((unused))
expect_violation (const char *name, const char *rule, const char *field, const char *fix,
                  const char *detail_part)
{
  const struct finding *f = exact_finding (FINDING_VIOLATION, rule, field);
  ok (f != NULL, "%s: refused by %s at %s", name, rule, field);
  if (f == NULL)
    {
      print_verdict (&verdict);
      return;
    }
  is_str (f->fix, fix, "%s: fix", name);
  if (detail_part)
    has_str (f->detail, detail_part, "%s: detail", name);
}

static void __attribute__ ((unused)) expect_accepted (const char *name)
{
  size_t n = verdict_violations (&verdict);
  ok (n == 0, "%s: accepted", name);
  if (n)
    print_verdict (&verdict);
}

static void __attribute__ ((unused))
expect_tightened (const char *name, const char *rule, const char *field, const char *detail_part)
{
  const struct finding *f = exact_finding (FINDING_TIGHTENED, rule, field);
  ok (f != NULL, "%s: tightened by %s at %s", name, rule, field);
  if (f == NULL)
    print_verdict (&verdict);
  else if (detail_part)
    has_str (f->detail, detail_part, "%s: tightening detail", name);
}

/* The floor-holding fixture with one edit (path NULL: none).  */
static __attribute__ ((unused)) json_value *
edited (const char *path, const char *literal)
{
  json_value *c = load_ok_config ();
  if (path)
    set_json (c, path, literal);
  return c;
}

/* A config captured from Docker (tests/fixtures/docker/NAME.json).  */
static __attribute__ ((unused)) json_value *
load_docker (const char *name)
{
  const char *dir = getenv ("FIXTURES");
  cleanup_free char *path = xasprintf ("%s/docker/%s.json", dir ? dir : "tests/fixtures", name);
  json_value *v = NULL;
  cleanup_free char *err = NULL;
  if (json_load_file (path, &v, &err) < 0)
    {
      printf ("Bail out! cannot load %s: %s\n", path, err);
      exit (1);
    }
  return v;
}

#endif
