/* policyrun: the policy, the floor's values and lists.  The compiled-in
   defaults are the floor; POLICY_DEFAULT_PATH (config.h, /etc/policyrun/policy.json unless
   configured otherwise) or --policy may change
   them through explicit keys.  A policy file that exists but cannot be read,
   parsed or understood refuses everything.  */
#ifndef POLICYRUN_POLICY_H
#define POLICYRUN_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum policy_mode
{
  MODE_ENFORCE = 0,
  MODE_HARDEN,
  MODE_AUDIT,
};

/* The rlimits runc 1.1 knows (rlimit_linux.go); runc refuses any other
   type.  */
#define POLICY_RLIMITS 16
#define POLICY_RLIMIT_UNLIMITED UINT64_MAX

struct policy_rlimit_info
{
  const char *name;   /* "RLIMIT_RTPRIO" */
  const char *ulimit; /* Docker's --ulimit name: "rtprio" */
};
extern const struct policy_rlimit_info policy_rlimit_info[POLICY_RLIMITS];

#define POLICY_TRAIL_FILE "/var/log/policyrun/decisions.jsonl"

/* Watchdog deadlines are whole seconds in a timerfd: ten years at most.  */
#define POLICY_TIMEOUT_MAX 315360000

/* Harden's user namespace maps container ids [0, userns_size) to
   [userns_host_id, userns_host_id + userns_size): far above login ids and
   the /etc/subuid ranges that start at 100000, never host id 0, and wide
   enough for 65534 (nobody), which harden runs the process as.  */
#define POLICY_USERNS_HOST_ID 1000000000
#define POLICY_USERNS_SIZE 65536
/* The last id a mapping may reach: 4294967295 is (uid_t)-1, "no id".  */
#define POLICY_USERNS_ID_MAX 4294967294

struct string_list
{
  char **items;
  size_t len;
};

struct policy
{
  char *source; /* the file it came from, or "built-in" */
  enum policy_mode mode;
  char *delegate;        /* path of the real runtime; default "runc" */
  char *gvisor_delegate; /* runsc, for --gvisor / policyrun-gvisor; default "runsc" */
  char *state_dir;       /* where private bundles live; default /run/policyrun */
  char *trail_file;      /* the decision trail (trail.c); "" = none (syslog only);
                            default POLICY_TRAIL_FILE */

  int64_t memory_bytes;                /* linux.resources.memory.limit ceiling (and swap) */
  int64_t cpu_quota;                   /* the floor as a quota ... */
  int64_t cpu_period;                  /* ... over a period: 50000/100000 is half a CPU */
  int64_t pids_limit;                  /* linux.resources.pids.limit ceiling */
  int64_t gvisor_pids_limit;           /* the same under gVisor, where the host's pids
                                          cgroup also counts the sandbox's own threads */
  int64_t nofile;                      /* RLIMIT_NOFILE ceiling, filled in when absent */
  int64_t timeout_seconds;             /* wall-clock deadline from start; 0 = none; at most
                                          POLICY_TIMEOUT_MAX */
  uint64_t rlimit_max[POLICY_RLIMITS]; /* ceilings for hard and soft, by policy_rlimit_info
                                          index; RLIMIT_NOFILE's is nofile */

  bool require_non_root;                  /* uid, gid, additionalGids != 0 */
  struct string_list syscall_denylist;    /* names (libseccomp), e.g. "io_uring_setup" */
  struct string_list hook_allowlist;      /* absolute paths of allowed hook binaries */
  struct string_list mount_denylist;      /* host paths that may never be bind sources */
  struct string_list annotation_denylist; /* prefixes, e.g. "org.systemd.property." */
  struct string_list privileged_groups;   /* host group names whose gids (and members' uids)
                                             a container may not run as */
  int64_t bind_scan_max_entries;          /* directory entries a bind's tree may have for the
                                             host-socket scan; more is refused */
  int64_t userns_host_id;                 /* harden under runc: container id 0 is this host id */
  int64_t userns_size;                    /* ... and container ids [0, size) are mapped */
};

/* The compiled-in floor.  */
void policy_defaults (struct policy *p);

/* Load path over the defaults.  When path is NULL, load POLICY_DEFAULT_PATH
   if it exists (absence means the built-in floor).  An explicit path that does
   not exist, or any file that cannot be read or understood, fails with *err
   naming the file and the problem.  */
int policy_load (struct policy *p, const char *path, char **err);

void policy_free (struct policy *p);

/* The index of an rlimit type in policy_rlimit_info, or -1 when runc does
   not know it.  Exact: runc looks types up in a Go map.  */
int policy_rlimit_index (const char *name);
/* The ceiling of the rlimit at index (POLICY_RLIMIT_UNLIMITED: none).  */
uint64_t policy_rlimit_ceiling (const struct policy *p, int index);

bool string_list_contains (const struct string_list *l, const char *s);

#endif
