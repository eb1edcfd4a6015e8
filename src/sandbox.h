/* policyrun: the record of the CRI pod sandboxes it attested.

   Kubernetes' app containers join their pod sandbox's network, IPC, UTS
   (and, with shareProcessNamespace, PID) namespaces by path
   (/proc/PAUSEPID/ns/TYPE).  A path is only a claim, and so are the
   io.kubernetes.cri.* annotations and a --root ending in /k8s.io: anyone who
   can call the runtime can write them.  What policyrun trusts is its own
   record, STATE/ROOTKEY/SANDBOXID/sandbox in the sandbox's private bundle
   (0600, root's, written atomically, removed with the bundle on delete),
   written when the sandbox's start attestation succeeded: the identities
   (st_dev, st_ino) of the pause process's net, ipc, uts and pid namespaces,
   its pid and its start time.  An app container may join a namespace by
   path only when the path's namespace is the one recorded for the sandbox
   named by its io.kubernetes.cri.sandbox-id under the same ROOTKEY, and the
   recorded pause process is still alive and in it.

   The sandbox itself may join one network namespace by path (the one CNI
   prepared) only when that namespace is fresh: a real network namespace,
   not the host's or policyrun's own, holding only "lo", no socket, and no
   process (a namespace another process is in would be a channel between
   tenants).  */
#ifndef POLICYRUN_SANDBOX_H
#define POLICYRUN_SANDBOX_H

#include <stdbool.h>
#include <stdint.h>

#include "json.h"
#include "policy.h"

/* The namespaces an app container may share with its sandbox.  */
enum sandbox_ns
{
  SANDBOX_NS_NET,
  SANDBOX_NS_IPC,
  SANDBOX_NS_UTS,
  SANDBOX_NS_PID,
  SANDBOX_NS_COUNT
};

/* The runtime-spec's type of k ("network", "ipc", "uts", "pid").  */
const char *sandbox_ns_type (enum sandbox_ns k);
/* k for a runtime-spec type (compared exactly, as runc does), or -1.  */
int sandbox_ns_of_type (const char *type);

struct ns_identity
{
  uint64_t dev, ino;
};

struct sandbox_record
{
  long pid;                      /* the pause process */
  unsigned long long start_time; /* its start time (/proc/PID/stat, field 22) */
  struct ns_identity ns[SANDBOX_NS_COUNT];
};

/* The config's annotations io.kubernetes.cri.container-type and
   io.kubernetes.cri.sandbox-id (exact map keys, as Go reads a map), or NULL
   when absent or not a string.  Point into config.  */
const char *sandbox_cri_type (const json_value *config);
const char *sandbox_cri_sandbox_id (const json_value *config);

/* The record of the process whose /proc directory is procfd: its
   namespaces, pid and start time.  Returns 0, or -1 with *err.  */
int sandbox_record_of_process (int procfd, long pid, struct sandbox_record *r, char **err);

/* Write r as the record of sandbox id, in its private bundle (which must
   exist and be policyrun's own) under root (the delegate's --root; NULL is
   its default).  Returns 0, or -1 with *err.  */
int sandbox_record_write (const struct policy *p, const char *root, const char *id,
                          const struct sandbox_record *r, char **err);

/* The record of sandbox id under root.  Returns 1 with *r, 0 when there is
   none (*why says what is missing), -1 when it exists but cannot be read or
   is not policyrun's own (*why).  */
int sandbox_record_read (const struct policy *p, const char *root, const char *id,
                         struct sandbox_record *r, char **why);

/* create: may a pod sandbox join the network namespace at path?  It must
   resolve (symlinks followed, as runc opens it) to a file outside /proc
   (under /proc a path means another process for runc than for policyrun),
   be a network namespace (nsfs), not policyrun's own nor init's, hold only
   "lo" and no socket, and no process may be in it.  Returns 0 when it may,
   1 with *why (malloc'd) when it may not.  */
int sandbox_netns_fresh (const char *path, char **why);

/* create: may an app container join the namespace of kind k at path?  Only
   when sandbox_id names a record under root, the recorded pause process is
   alive with its recorded start time and still in the recorded namespace,
   and path's namespace is that one.  Returns 0 when it may, 1 with *why. */
int sandbox_join_allowed (const struct policy *p, const char *root, const char *sandbox_id,
                          enum sandbox_ns k, const char *path, char **why);

/* start of a sandbox: no task but pid's own is in the network namespace of
   the process whose /proc directory is procfd.  Returns 0 when none is, 1
   with *why when one is, -1 with *why when it cannot be told.  */
int sandbox_netns_alone (int procfd, long pid, char **why);

/* start of an app container: each namespace of joined[] of the created
   process (procfd) is the one recorded for sandbox_id, whose pause process
   is still alive.  Returns 0, 1 with *why.  */
int sandbox_joined_check (const struct policy *p, const char *root, const char *sandbox_id,
                          int procfd, const bool joined[SANDBOX_NS_COUNT], char **why);

#endif
