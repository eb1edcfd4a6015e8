/* policyrun: refusal messages, the --log line and check's reports.  */
#include "config.h"
#include "report.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "json.h"
#include "util.h"

void
report_time_rfc3339 (char *buf, size_t len)
{
  time_t now = time (NULL);
  struct tm tm;
  gmtime_r (&now, &tm);
  strftime (buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void
add_finding (struct strbuf *b, const struct finding *f)
{
  strbuf_addf (b, "%s: %s %s", f->rule, f->field, f->detail);
  if (f->fix != NULL)
    strbuf_addf (b, "; %s", f->fix);
}

char *
report_refusal (const struct verdict *v)
{
  struct strbuf b = { 0 };
  size_t n = verdict_violations (v);
  strbuf_addf (&b, "refused by floor (%zu violation%s): ", n, n == 1 ? "" : "s");
  bool first = true;
  for (size_t i = 0; i < v->len; i++)
    {
      if (v->items[i].kind != FINDING_VIOLATION)
        continue;
      if (!first)
        strbuf_add (&b, " | ");
      add_finding (&b, &v->items[i]);
      first = false;
    }
  return b.s;
}

/* logrus' text formatter quotes a value that holds anything but a plain
   word, escaping quotes and backslashes.  */
static char *
logrus_quote (const char *s)
{
  struct strbuf b = { 0 };
  strbuf_add (&b, "\"");
  for (const char *p = s; *p; p++)
    {
      char c[3] = { *p, 0, 0 };
      if (*p == '"' || *p == '\\')
        c[0] = '\\', c[1] = *p;
      else if (*p == '\n')
        c[0] = '\\', c[1] = 'n';
      strbuf_add (&b, c);
    }
  strbuf_add (&b, "\"");
  return b.s;
}

static char *
log_line (const char *log_format, const char *msg, const char *when)
{
  if (log_format != NULL && strcmp (log_format, "json") == 0)
    {
      cleanup_json json_value *o = json_new_object ();
      json_object_set (o, "level", json_new_string ("error"));
      json_object_set (o, "msg", json_new_string (msg));
      json_object_set (o, "time", json_new_string (when));
      char *out = NULL, *err = NULL;
      size_t len;
      if (json_write (o, &out, &len, &err) < 0)
        {
          free (err);
          return NULL;
        }
      return out;
    }
  cleanup_free char *q = logrus_quote (msg);
  return xasprintf ("time=\"%s\" level=error msg=%s", when, q);
}

/* Bytes that are not UTF-8 become U+FFFD, as Go's encoding/json does:
   a message quoting a caller's bytes must still make a valid log line.  */
static char *
utf8_sanitize (const char *s)
{
  struct strbuf b = { 0 };
  strbuf_add (&b, "");
  const unsigned char *p = (const unsigned char *)s;
  while (*p)
    {
      size_t n = 0;
      if (*p < 0x80)
        n = 1;
      else if ((*p & 0xE0) == 0xC0 && *p >= 0xC2)
        n = 2;
      else if ((*p & 0xF0) == 0xE0)
        n = 3;
      else if ((*p & 0xF8) == 0xF0 && *p <= 0xF4)
        n = 4;
      bool valid = n > 0;
      for (size_t k = 1; valid && k < n; k++)
        valid = (p[k] & 0xC0) == 0x80;
      if (valid && n == 3)
        valid = !(p[0] == 0xE0 && p[1] < 0xA0) && !(p[0] == 0xED && p[1] >= 0xA0);
      if (valid && n == 4)
        valid = !(p[0] == 0xF0 && p[1] < 0x90) && !(p[0] == 0xF4 && p[1] >= 0x90);
      if (!valid)
        {
          strbuf_add (&b, "\xEF\xBF\xBD");
          p++;
          continue;
        }
      char chunk[5] = { 0 };
      memcpy (chunk, p, n);
      /* A message must stay on one line: a newline would split the log line.  */
      if (chunk[0] == '\n' || chunk[0] == '\r')
        chunk[0] = ' ';
      strbuf_add (&b, chunk);
      p += n;
    }
  return b.s;
}

void
report_error (const char *log_path, const char *log_format, const char *msg)
{
  cleanup_free char *raw = xasprintf ("policyrun: %s", msg);
  cleanup_free char *full = utf8_sanitize (raw);
  fprintf (stderr, "%s\n", full);
  fflush (stderr);
  if (log_path == NULL || *log_path == '\0')
    return;
  char when[64];
  report_time_rfc3339 (when, sizeof when);
  cleanup_free char *line = log_line (log_format, full, when);
  if (line == NULL)
    line = xasprintf ("{\"level\":\"error\",\"msg\":\"policyrun: refused (the reason could not be "
                      "encoded)\",\"time\":\"%s\"}",
                      when);
  cleanup_close int fd
      = open (log_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0644);
  if (fd < 0)
    {
      fprintf (stderr, "policyrun: cannot open log file %s: %s\n", log_path, strerror (errno));
      return;
    }
  cleanup_free char *withnl = xasprintf ("%s\n", line);
  size_t len = strlen (withnl);
  /* One write(2) with O_APPEND keeps the line whole even if runc or another
     writer appends at the same time.  */
  if (write (fd, withnl, len) != (ssize_t)len)
    fprintf (stderr, "policyrun: cannot write log file %s\n", log_path);
}

char *
report_check_text (const char *what, const struct verdict *v)
{
  struct strbuf b = { 0 };
  size_t n = verdict_violations (v);
  if (n == 0)
    strbuf_addf (&b, "%s: accepted: holds the floor\n", what);
  else
    strbuf_addf (&b, "%s: refused: %zu violation%s\n", what, n, n == 1 ? "" : "s");
  for (size_t i = 0; i < v->len; i++)
    {
      const struct finding *f = &v->items[i];
      strbuf_addf (&b, "  %s %s: %s %s", f->kind == FINDING_VIOLATION ? "violation" : "tightened",
                   f->rule, f->field, f->detail);
      if (f->fix != NULL)
        strbuf_addf (&b, "; %s", f->fix);
      strbuf_add (&b, "\n");
    }
  return b.s;
}

static json_value *
finding_json (const struct finding *f)
{
  json_value *o = json_new_object ();
  json_object_set (o, "rule", json_new_string (f->rule));
  json_object_set (o, "field", json_new_string (f->field));
  json_object_set (o, "detail", json_new_string (f->detail));
  if (f->fix != NULL)
    json_object_set (o, "fix", json_new_string (f->fix));
  return o;
}

char *
report_check_json (const char *what, const struct verdict *v)
{
  cleanup_json json_value *o = json_new_object ();
  json_value *viol = json_new_array ();
  json_value *tight = json_new_array ();
  for (size_t i = 0; i < v->len; i++)
    json_array_append (v->items[i].kind == FINDING_VIOLATION ? viol : tight,
                       finding_json (&v->items[i]));
  json_object_set (o, "config", json_new_string (what));
  json_object_set (o, "verdict", json_new_string (verdict_violations (v) ? "refused" : "accepted"));
  json_object_set (o, "violations", viol);
  json_object_set (o, "tightened", tight);
  char *out = NULL, *err = NULL;
  size_t len;
  if (json_write (o, &out, &len, &err) < 0)
    {
      free (err);
      return xstrdup ("{\"verdict\":\"refused\",\"violations\":[]}\n");
    }
  char *withnl = xasprintf ("%s\n", out);
  free (out);
  return withnl;
}
