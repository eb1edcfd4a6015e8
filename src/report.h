/* policyrun: what reaches the user.  A refusal is one line on stderr and,
   with --log, exactly one line appended to the log file in runc's own
   format, so containerd shows it after "OCI runtime create failed:".  */
#ifndef POLICYRUN_REPORT_H
#define POLICYRUN_REPORT_H

#include <stdbool.h>

#include "floor/floor.h"

/* "refused by floor (2 violations): memory: linux.resources.memory.limit is
   ...; run with --memory 100m | user: ..." (no "policyrun: " prefix).  */
char *report_refusal (const struct verdict *v);

/* Print "policyrun: MSG" on stderr and append one line to log_path (if not
   NULL) as runc would: {"level":"error","msg":"policyrun: MSG","time":"..."}
   when log_format is "json", logrus text format otherwise.  */
void report_error (const char *log_path, const char *log_format, const char *msg);

/* check's report: text for a person, or one JSON object.  */
char *report_check_text (const char *what, const struct verdict *v);
char *report_check_json (const char *what, const struct verdict *v);

/* The current time as RFC 3339 in UTC ("2026-11-27T21:00:00Z").  */
void report_time_rfc3339 (char *buf, size_t len);

#endif
