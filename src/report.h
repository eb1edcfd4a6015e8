/* policyrun: what reaches the user.  A refusal is one line on stderr and,
   with --log, exactly one line appended to the log file in runc's own
   format, so containerd shows it after "OCI runtime create failed:".  */
#ifndef POLICYRUN_REPORT_H
#define POLICYRUN_REPORT_H

#include <stdbool.h>

#include "floor/floor.h"

/* One line, no "policyrun: " prefix: the whole fix first, each flag once,
   then one group per fix:
   "refused by floor (3 violations): add --memory 100m --user 65534:65534 |
   memory: linux.resources.memory.limit is ...; run with --memory 100m |
   user: process.user.uid is 0 (root); process.user.gid is 0 (the root
   group); run with --user 65534:65534".  */
char *report_refusal (const struct verdict *v);

/* Print "policyrun: MSG" on stderr and append one line to log_path (if not
   NULL) as runc would: {"level":"error","msg":"policyrun: MSG","time":"..."}
   when log_format is "json", logrus text format otherwise.  */
void report_error (const char *log_path, const char *log_format, const char *msg);

/* s with control characters (C0, DEL, C1) escaped as "\t", "\u0001": what
   report_error prints on stderr.  */
char *report_escape_controls (const char *s);

/* check's report: text for a person, or one JSON object.  */
char *report_check_text (const char *what, const struct verdict *v);
char *report_check_json (const char *what, const struct verdict *v);

/* The current time as RFC 3339 in UTC ("2026-11-27T21:00:00Z").  */
void report_time_rfc3339 (char *buf, size_t len);

#endif
