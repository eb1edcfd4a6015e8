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

/* Whose words a refusal's fixes are in: the rules' own (docker's flags, or
   Podman's where the rule knew its caller), or the pod's fields when the
   caller is Kubernetes' CRI ("in the pod, set
   securityContext.readOnlyRootFilesystem: true; set
   resources.limits.memory: 100Mi | ...").  */
enum report_wording
{
  REPORT_DOCKER,
  REPORT_KUBERNETES,
};
char *report_refusal_for (const struct verdict *v, enum report_wording wording);

/* One rule's fix in the pod's words: "run with --read-only" becomes "set
   securityContext.readOnlyRootFilesystem: true"; a fix it does not know is
   returned as written.  NULL for NULL.  */
char *report_fix_kubernetes (const char *fix);

/* The tightened findings as one line, no "policyrun: " prefix, or NULL
   when there are none: "tightened (2): capabilities: process.capabilities
   gave ...; emptied every set; process: process.oomScoreAdj was -997 ...;
   set to 0".  */
char *report_tightened (const struct verdict *v);

/* Print "policyrun: MSG" on stderr and append one line to log_path (if not
   NULL) as runc would: {"level":"error","msg":"policyrun: MSG","time":"..."}
   when log_format is "json", logrus text format otherwise.  */
void report_error (const char *log_path, const char *log_format, const char *msg);

/* Append "policyrun: MSG" to log_path (nothing when NULL or empty) at
   level "info", in runc's format as report_error does; nothing on stderr,
   which engines read as an error.  containerd and Docker show only the
   last "error" line of the log, so an info line never becomes an error.  */
void report_info (const char *log_path, const char *log_format, const char *msg);
/* report_info of report_tightened (v), when v has tightened findings.  */
void report_tightened_log (const char *log_path, const char *log_format, const struct verdict *v);

/* s with control characters (C0, DEL, C1) escaped as "\t", "\u0001": what
   report_error prints on stderr.  */
char *report_escape_controls (const char *s);

/* check's report: text for a person, or one JSON object.  */
char *report_check_text (const char *what, const struct verdict *v);
char *report_check_json (const char *what, const struct verdict *v);

/* The current time as RFC 3339 in UTC ("2026-11-27T21:00:00Z").  */
void report_time_rfc3339 (char *buf, size_t len);

#endif
