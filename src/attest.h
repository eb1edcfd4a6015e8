/* policyrun: start-time attestation.  No config field tells
   "--network none" from a bridged network (both are a fresh network
   namespace); what tells them apart is what the engine put into that
   namespace after create.  Under gVisor the process the delegate reports
   is the sandbox itself, and what the floor asked of the config must be
   read back from it: its network, its credentials and user namespace, and
   the limits of the cgroups runsc made for it.  */
#ifndef POLICYRUN_ATTEST_H
#define POLICYRUN_ATTEST_H

#include <stdbool.h>
#include <stdint.h>

#include "json.h"
#include "policy.h"

/* The network interfaces other than "lo" in the network namespace of the
   process whose /proc directory is procfd, as a malloc'd comma-separated
   list in *found (NULL when there are none).  Also fails when it shares
   policyrun's own (the host's) namespace.  Returns 0 when the namespace
   holds loopback only, 1 when it holds more (with *found), -1 when it
   cannot be inspected.  */
int attest_network_namespace (int procfd, char **found, char **err);

/* The refusal of a container whose network namespace holds found (the
   container has been killed), as users read it: "refused by floor (1
   violation): network: ...".  Returns a malloc'd message.  */
char *attest_refusal (const char *found);

/* Where the gVisor attestation reads the host's side; NULL fields (or a
   NULL struct) mean the real files.  Unit tests point them at fixtures.  */
struct attest_host
{
  const char *mountinfo_path; /* /proc/self/mountinfo: where the cgroup trees are */
  const char *userns_path;    /* /proc/self/ns/user: policyrun's own user namespace */
};

/* The ceilings the sandbox's cgroups are held to: the policy's memory and
   CPU, and the policy's gvisor_pids_limit (the host's pids cgroup counts the
   sandbox's own threads and ptrace stubs, see floor/resources.c).  */
struct attest_ceilings
{
  int64_t memory_bytes; /* memory limit, and memory+swap (no swap) */
  int64_t cpu_quota;    /* quota/period at most cpu_quota/cpu_period */
  int64_t cpu_period;
  int64_t pids; /* pids.max */
};
void attest_ceilings_of (const struct policy *p, struct attest_ceilings *c);

/* The gVisor sandbox whose /proc directory is procfd (the pid runsc's
   state reports), before the user's process runs: only "lo" in a network
   namespace that is not policyrun's own; no host uid or gid 0 (real,
   effective, saved, filesystem); a user namespace that is not policyrun's
   own; and the limits of its own cgroups (memory, memory+swap where swap is
   accounted, CPU quota, pids; v1 hierarchies first, else cgroup v2) no
   looser than c.  A limit that cannot be read fails the attestation.
   Returns 0 when all hold, 1 when one does not (*found: a malloc'd
   "ID: what was found", ID being the floor's rule id), -1 when the sandbox
   cannot be inspected (*err).  */
int attest_gvisor_sandbox (int procfd, const struct attest_ceilings *c, const struct attest_host *h,
                           char **found, char **err);

/* The refusal of a sandbox that failed the attestation with found; what
   was done about it ("the container was killed and removed") follows.
   Returns a malloc'd message.  */
char *attest_sandbox_refusal (const char *found, const char *aftermath);

/* ---- Kubernetes' CRI: pod sandboxes and their app containers ----------- */

/* What a created container of a pod must be before it starts, by its
   private config's io.kubernetes.cri.container-type (not under gVisor; the
   network attestation has already held):
   - "sandbox": no task but its own (pid) in its network namespace (a
     namespace another process is in is a channel out of the pod); *sandbox
     is set, and the caller records it (sandbox.h) before it starts;
   - "container": every namespace it joined by path (network, ipc, uts,
     pid) is the one recorded for the sandbox its io.kubernetes.cri.sandbox-id
     names under root, whose pause process is still alive.
   Returns 0 when it holds, 1 when not (*found: a malloc'd "ID: what was
   found", ID being the floor rule's id), -1 when it cannot be told (*err).  */
int attest_cri_container (const struct policy *p, const char *root, const json_value *config,
                          int procfd, long pid, bool *sandbox, char **found, char **err);

#endif
