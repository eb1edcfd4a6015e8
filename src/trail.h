/* policyrun: the decision trail.  Every decision (create, run, exec,
   update; check reports the same record without writing it) becomes one
   JSON object on one line, appended to the policy's trail_file and sent to
   syslog (LOG_AUTHPRIV, in a short form).  The record:

     {"time":"2026-11-28T05:40:12.123456Z","command":"create","id":"c1",
      "root":"/run/docker/runtime-runc/moby","bundle":"/b","config":"/b/config.json",
      "mode":"enforce","verdict":"refused","dialect":"runc","delegate":"/usr/sbin/runc",
      "caller":"docker","policy":"/etc/policyrun/policy.json",
      "violations":[{"rule":"memory","kind":"violation","field":"...","detail":"...",
                     "fix":"run with --memory 100m","changed":false}],
      "tightened":[{"rule":"pids","kind":"tightened",...,"fix":null,"changed":true}]}

   Every finding appears once, in violations or tightened, with its kind.
   "changed" says whether policyrun changed the configuration for it: in
   enforce mode exactly the tightened findings.  Harden mode will set it on
   the violations it rewrites, and audit mode will leave it false everywhere
   (nothing reaches the delegate changed), so "what was changed" is always
   the findings with "changed": true, whatever the mode.  An audit record
   with violations says "verdict": "would be refused" (the delegate ran the
   command); audit also records start, with the network attestation's
   result as a "network" finding, and what it could not judge (an
   unreadable bundle, a malformed config.json, exec into a container whose
   config cannot be found) as findings of rule "audit".  */
#ifndef POLICYRUN_TRAIL_H
#define POLICYRUN_TRAIL_H

#include <stdbool.h>
#include <stddef.h>

#include "delegate.h"
#include "floor/floor.h"
#include "json.h"
#include "policy.h"

#define TRAIL_DEFAULT_FILE "/var/log/policyrun/decisions.jsonl"

/* One decision, as the command saw it.  Strings may be NULL (written as
   null): id for check, root when the caller gave none (the delegate's
   default), bundle for exec and update (the caller names no bundle).  */
struct trail_decision
{
  const char *command;   /* "create", "run", "exec", "update", "check" */
  const char *id;        /* the container id */
  const char *root;      /* the caller's --root, absolute */
  const char *bundle;    /* the caller's bundle directory, absolute */
  const char *config;    /* the file that was judged (check, create) */
  enum policy_mode mode; /* "enforce"; later "harden", "audit" */
  enum delegate_dialect dialect;
  const char *delegate; /* the delegate's path (or name, for check) */
  const char *caller;   /* trail_caller () */
  const char *policy;   /* the policy's source: its file or "built-in" */
  const struct verdict *verdict;
};

/* What a trail that cannot be written does to the command: enforce (and
   harden) refuse it; audit reports the failure and lets it run.  */
enum trail_failure
{
  TRAIL_FAILURE_REFUSES,
  TRAIL_FAILURE_REPORTED,
};

/* "enforce", "harden", "audit".  */
const char *trail_mode_name (enum policy_mode m);

/* The record's "verdict": "accepted" without violations, else "refused",
   or in audit mode (which refuses nothing) "would be refused".  */
const char *trail_verdict_name (enum policy_mode m, bool refused);

/* Who called policyrun, as far as it can tell: "cri" (containerd's CRI:
   its k8s.io root or the CRI's annotations), "podman" (conmon or podman
   started it, or libpod's annotation), "docker" (the shim's "moby"
   namespace), else "other".  A claim, not a proof: it only helps the
   reader.  config may be NULL.  */
const char *trail_caller (const struct host_facts *h, const json_value *config);

/* The record of d, as a JSON object (free with json_free).  time is the
   RFC 3339 UTC time with fractions (trail_time).  */
json_value *trail_record (const struct trail_decision *d, const char *time);

/* The current time as RFC 3339 UTC with microseconds:
   "2026-11-28T05:40:12.123456Z" (buf at least 32 bytes).  */
void trail_time (char *buf, size_t len);

/* The record of d at the current time as one line, newline included.
   Returns NULL with *err if it cannot be encoded.  */
char *trail_line (const struct trail_decision *d, char **err);

/* Append line (one whole line, newline included) to path: its directory is
   created 0700 when missing, and must be a directory owned by policyrun's
   user and writable by nobody else; the file is created 0600, opened
   O_APPEND|O_CLOEXEC|O_NOFOLLOW and must be a regular file owned by
   policyrun's user, with one link, writable by nobody else.  The line goes
   in one write(2) under flock(LOCK_EX); a short write is undone
   (truncated back) and fails.  Returns 0 or -1 with *err naming the file.  */
int trail_append (const char *path, const char *line, char **err);

/* The short form sent to syslog: the decision without its findings' words
   (a syslog message is cut at 1-8 KiB; the file keeps everything):
   {"time":...,"command":"create","id":"c1","root":...,"mode":"enforce",
    "verdict":"refused","violations":2,"tightened":1,"rules":["memory","user"],
    "trail":"/var/log/policyrun/decisions.jsonl"}.  NULL if it cannot be
   encoded.  */
char *trail_syslog_line (const json_value *record, const char *path);

/* Send the short form to syslog (LOG_AUTHPRIV: a record of who may run
   what, kept where only root reads it; LOG_NOTICE when accepted,
   LOG_WARNING when refused).  Fire and forget: syslog(3) says nothing of
   a lost message, so the file is the trail that can refuse.  */
void trail_syslog (const json_value *record, const char *path);

/* Record d: the line to path (NULL or "": no file, syslog only) and the
   short form to syslog.  Returns 0 when written.  When the file cannot be
   written: -1 with *err ("cannot write the decision trail PATH: ...") if
   failure is TRAIL_FAILURE_REFUSES, else 1 with the same *err for the
   caller to report; either way syslog's record carries "trail_error" (and
   "verdict": "refused" when the command is refused for it).  */
int trail_write (const char *path, const struct trail_decision *d, enum trail_failure failure,
                 char **err);

#endif
