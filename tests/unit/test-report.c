/* report.c: the refusal message and the --log line a caller shows.  */
#include "config.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "json.h"
#include "report.h"
#include "spec.h"
#include "tap.h"
#include "util.h"

static void
add (struct verdict *v, enum finding_kind kind, const char *rule, const char *field,
     const char *detail, const char *fix)
{
  struct floor_ctx ctx = { .verdict = v, .field_prefix = "" };
  if (kind == FINDING_VIOLATION)
    floor_violation (&ctx, rule, field, fix, "%s", detail);
  else
    floor_tightened (&ctx, rule, field, "%s", detail);
}

static char *
read_file (const char *path)
{
  int fd = open (path, O_RDONLY | O_CLOEXEC);
  char *buf = NULL, *err = NULL;
  size_t len = 0;
  if (fd < 0 || read_all_fd (fd, 1 << 20, &buf, &len, &err) < 0)
    buf = xstrdup ("");
  if (fd >= 0)
    close (fd);
  free (err);
  return buf;
}

static void
test_refusal_lists_every_violation (void)
{
  struct verdict v = { 0 };
  add (&v, FINDING_VIOLATION, "memory", "linux.resources.memory.limit",
       "is 209715200 (200 MiB), above the floor of 104857600 (100 MiB)", "run with --memory 100m");
  add (&v, FINDING_TIGHTENED, "pids", "linux.resources.pids.limit", "was absent; set to 256", NULL);
  add (&v, FINDING_VIOLATION, "user", "process.user.uid", "is 0 (root)",
       "run with --user 65534:65534");
  char *msg = report_refusal (&v);
  has_str (msg, "refused by floor (2 violations): ", "the count of violations leads");
  has_str (msg,
           "memory: linux.resources.memory.limit is 209715200 (200 MiB), above the floor of "
           "104857600 (100 MiB); run with --memory 100m",
           "rule, field, value and fix");
  has_str (msg, " | user: process.user.uid is 0 (root); run with --user 65534:65534",
           "the second violation follows");
  ok (strstr (msg, "pids") == NULL, "tightenings are not reported as refusals");
  free (msg);
  verdict_free (&v);
}

static void
test_json_log_line (void)
{
  char path[] = "/tmp/policyrun-test-report-XXXXXX";
  int fd = mkstemp (path);
  close (fd);
  if (freopen ("/dev/null", "w", stderr) == NULL)
    diag ("cannot silence stderr");
  report_error (path, "json", "refused by floor (1 violation): \"quoted\"\nline");
  char *text = read_file (path);
  size_t lines = 0;
  for (char *p = text; *p; p++)
    lines += *p == '\n';
  ok (lines == 1, "exactly one line appended (%zu)", lines);
  json_value *line = NULL;
  char *err = NULL;
  ok (json_parse (text, strlen (text), &line, &err) == 0, "the line is JSON");
  const char *level = NULL, *msg = NULL, *when = NULL;
  ok (line && spec_get_string (line, "level", &level) == SPEC_OK && strcmp (level, "error") == 0,
      "level is error");
  ok (line && spec_get_string (line, "msg", &msg) == SPEC_OK
          && strncmp (msg, "policyrun: refused by floor", 27) == 0,
      "msg starts with policyrun:");
  ok (msg && strchr (msg, '\n') == NULL, "no newline inside msg");
  ok (line && spec_get_string (line, "time", &when) == SPEC_OK && strlen (when) == 20
          && when[4] == '-' && when[10] == 'T' && when[19] == 'Z',
      "time is RFC 3339 (%s)", when ? when : "-");
  json_free (line);
  free (text);
  free (err);

  report_error (path, "json", "second");
  text = read_file (path);
  lines = 0;
  for (char *p = text; *p; p++)
    lines += *p == '\n';
  ok (lines == 2, "a second error appends, never truncates");
  free (text);
  unlink (path);
}

static void
test_text_log_line (void)
{
  char path[] = "/tmp/policyrun-test-report-XXXXXX";
  int fd = mkstemp (path);
  close (fd);
  report_error (path, "text", "say \"no\"");
  char *text = read_file (path);
  has_str (text, "level=error msg=\"policyrun: say \\\"no\\\"\"",
           "logrus text format, quotes escaped");
  ok (strncmp (text, "time=\"", 6) == 0, "text line starts with time=");
  free (text);
  unlink (path);
}

static void
test_check_reports (void)
{
  struct verdict v = { 0 };
  add (&v, FINDING_VIOLATION, "root", "root.readonly", "is false", "run with --read-only");
  add (&v, FINDING_TIGHTENED, "pids", "linux.resources.pids.limit", "was absent; set to 256", NULL);
  char *j = report_check_json ("config.json", &v);
  json_value *o = NULL;
  char *err = NULL;
  ok (json_parse (j, strlen (j), &o, &err) == 0, "check --json prints one JSON document");
  const char *verdict = NULL;
  ok (o && spec_get_string (o, "verdict", &verdict) == SPEC_OK && strcmp (verdict, "refused") == 0,
      "verdict refused");
  json_value *viol = NULL, *tight = NULL;
  ok (o && spec_get (o, "violations", JSON_ARRAY, &viol) == SPEC_OK && viol->u.array.len == 1,
      "one violation");
  ok (o && spec_get (o, "tightened", JSON_ARRAY, &tight) == SPEC_OK && tight->u.array.len == 1,
      "one tightening");
  json_free (o);
  free (j);
  free (err);
  char *t = report_check_text ("config.json", &v);
  has_str (t, "config.json: refused: 1 violation", "text verdict");
  has_str (t, "violation root: root.readonly is false; run with --read-only", "text finding");
  free (t);
  verdict_free (&v);

  struct verdict empty = { 0 };
  t = report_check_text ("b/config.json", &empty);
  has_str (t, "accepted", "an empty verdict is accepted");
  free (t);
}

int
main (void)
{
  test_refusal_lists_every_violation ();
  test_json_log_line ();
  test_text_log_line ();
  test_check_reports ();
  return done_testing ();
}
