/* policyrun: the floor.  Every rule is one function in the file of its
   layer, declared once in rules.def (its id, file, field and docker flag),
   and reports under its constant (RULE_MEMORY, ...).  Where they live:
     network.c       network
     namespaces.c    namespaces
     filesystem.c    root, mounts (mount-options.c: options as runc reads them)
     bind-sockets.c  host unix sockets below bind sources
     resources.c     memory, cpu, pids, unified
     update.c        update's LinuxResources (with resources.c's value checks)
     devices.c       devices (linux.devices, the device cgroup)
     kernel.c        masked and read-only paths, sysctl, intelRdt, personality,
                     rootfsPropagation
     cgroups.c       cgroupsPath
     hooks.c         hooks
     annotations.c   annotations
     seccomp.c       seccomp (seccomp-clone-socket.c: argument conditions, the
                     clone and socket pins)
     capabilities.c  capabilities
     privileges.c    no-new-privileges, oomScoreAdj, scheduler, ioPriority, cwd,
                     LSM labels, args, cwd through the image's symlinks
     groups.c        user and additionalGids (host groups, the container's
                     /etc/group read through view.c)
     rlimits.c       rlimits
     invocation.c    the command's facts: restore, run with hooks, --rootless,
                     --no-pivot, --manage-cgroups-mode, --lsm-profile,
                     --preserve-fds, stdio descriptors, exec's flags
   floor.c holds the rule tables (the order rules run in), the entry points
   and the verdict.

   A rule reads the configuration through oci-spec's typed accessors and
   reports through floor_violation (refused: the container would run below
   the floor) or floor_tightened (an absent limit filled in, a deny-listed
   syscall taken out of an allow rule: the configuration was changed in
   place, towards the floor).  */
#ifndef POLICYRUN_FLOOR_H
#define POLICYRUN_FLOOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../oci-spec/json.h"
#include "../../oci-spec/spec.h"
#include "../policy.h"

enum finding_kind
{
  FINDING_VIOLATION,
  FINDING_TIGHTENED,
};

/* The rules, declared once in rules.def.  */
enum floor_rule
{
#define RULE(name, id, file, field, flag) RULE_##name,
#include "rules.def"
#undef RULE
  RULE_COUNT
};

struct floor_rule_info
{
  const char *id;    /* what the user reads: "memory", "process", ... */
  const char *file;  /* where the rule lives: "resources.c" */
  const char *field; /* what it reads: "linux.resources.memory" */
  const char *flag;  /* the docker flag that fixes it, or NULL */
};
extern const struct floor_rule_info floor_rules[RULE_COUNT];

/* A finding owns its field, detail and fix (verdict_free frees them); rule
   points into floor_rules (static).  */
struct finding
{
  enum finding_kind kind;
  const char *rule; /* the rule's id: "memory", "capabilities", ... */
  char *field;      /* "linux.resources.memory.limit" */
  char *detail;     /* what was found or done: "is 209715200, above 104857600" */
  char *fix;        /* "run with --memory 100m" or "remove --privileged"; may be NULL */
};

struct verdict
{
  struct finding *items;
  size_t len, cap;
};

void verdict_free (struct verdict *v);
size_t verdict_violations (const struct verdict *v);
/* Add a finding made of copies of field, fix (may be NULL) and detail; rule
   must outlive the verdict.  The floor adds through floor_violation and
   floor_tightened; this is for findings made elsewhere (tests of report.c).  */
void verdict_add (struct verdict *v, enum finding_kind kind, const char *rule, const char *field,
                  const char *fix, const char *detail);

/* Facts about the host, and about this invocation, that some rules need.
   Paths left NULL mean the real file; unit tests point them at fixtures.  */
struct host_facts
{
  bool swap_accounting; /* memory+swap limits are settable (memsw / memory.swap.max) */
  bool cri_caller;      /* called by containerd's CRI (runtime root in the "k8s.io" namespace) */
  bool gvisor;          /* the delegate is runsc: the container runs in a gVisor sandbox */
  bool podman_caller;   /* conmon or podman started policyrun */
  const char *runtime_root;     /* the caller's --root, absolute (NULL: the delegate's default):
                                   where policyrun's record of a CRI sandbox is kept */
  bool apparmor_enabled;        /* the host confines with AppArmor */
  bool apparmor_docker_default; /* ... and has Docker's "docker-default" profile loaded */
  bool selinux_enforcing;       /* the host enforces SELinux */
  const char *container_id;     /* the container being created; NULL for check */
  bool systemd_cgroup;          /* --systemd-cgroup: cgroupsPath is "slice:prefix:name" */
  const char *mountinfo_path;   /* NULL: /proc/self/mountinfo (where the cgroup trees are) */
  const char *proc_cgroup_path; /* NULL: /proc/self/cgroup (the delegate's own cgroups) */
  const json_value *container_config; /* exec: the container's private config.json, for the
                                         process rules that read its root and mounts */
  int inherited_oom_score_adj;        /* policyrun's own oom_score_adj, which the delegate
                                         inherits and runc leaves to a container whose
                                         oomScoreAdj is absent */
};
void host_facts_probe (struct host_facts *h);

struct invocation;

struct floor_ctx
{
  json_value *config; /* config.json, process.json or resources; rules may tighten it */
  const struct policy *policy;
  const struct host_facts *host;
  struct verdict *verdict;
  const char *field_prefix; /* "process." for config.json, "" for exec's process.json */
  const json_value *spec;   /* the whole config.json the process runs in (NULL if unknown) */
  const struct invocation *invocation; /* the command's facts (NULL for check and update) */
};

/* fix is copied (the finding owns it); field is prefixed with
   ctx->field_prefix.  */
void floor_violation (struct floor_ctx *ctx, enum floor_rule rule, const char *field,
                      const char *fix, const char *fmt, ...)
    __attribute__ ((format (printf, 5, 6)));
void floor_tightened (struct floor_ctx *ctx, enum floor_rule rule, const char *field,
                      const char *fmt, ...) __attribute__ ((format (printf, 4, 5)));

/* Report a field at path (relative to ctx->config) that is null (s ==
   SPEC_NULL) or not of the type want names ("an integer"), naming the first
   step of the path that is unusable; findings below one null object are
   reported once.  */
void floor_report_unusable (struct floor_ctx *ctx, enum floor_rule rule, const char *path,
                            const char *fix, spec_status s, const char *want);

/* Entry points.  Each runs every rule that applies and records every finding
   (never only the first).  They return the number of violations.  */
size_t floor_check_config (json_value *config, const struct policy *p, const struct host_facts *h,
                           struct verdict *out);
/* exec's process.json (already merged with exec's flags by the caller).  */
size_t floor_check_exec_process (json_value *process, const struct policy *p,
                                 const struct host_facts *h, struct verdict *out);
/* update's LinuxResources (already merged with update's flags).  */
size_t floor_check_update (json_value *resources, const struct policy *p,
                           const struct host_facts *h, struct verdict *out);

/* The facts of one invocation that rules read besides the configuration:
   which command, the flags that change what the container gets, and the
   descriptors it inherits.  The command fills them in (cmd_create.c,
   cmd_exec.c); invocation.c holds the rules.  */
struct invocation_flag
{
  const char *name;  /* as runc spells it, without "--": "apparmor" */
  const char *value; /* for booleans "true" or "false" */
};

struct invocation
{
  const char *command;                 /* "create", "run", "restore", "exec" */
  bool restore;                        /* restore: the process comes from checkpoint images */
  bool starts_at_once;                 /* run, restore: no start between create and the process */
  bool rootless;                       /* --rootless true */
  bool no_pivot;                       /* --no-pivot */
  const char *manage_cgroups_mode;     /* --manage-cgroups-mode, or NULL */
  const char *lsm_profile;             /* --lsm-profile, or NULL */
  const char *preserve_fds;            /* --preserve-fds, or NULL */
  bool process_file;                   /* exec --process FILE */
  const struct invocation_flag *flags; /* exec: its flags in the order runc applies them */
  size_t nflags;
  const int *stdio; /* the descriptors the container gets as 0, 1, 2; NULL: not checked */
};

/* What refuses the command whatever its files say (restore); run before
   anything is read.  */
size_t floor_check_command (const struct invocation *inv, const struct policy *p,
                            const struct host_facts *h, struct verdict *out);
/* create, run: config.json's rules, then the invocation's (hooks without a
   start, flags, descriptors).  */
size_t floor_check_create (json_value *config, const struct invocation *inv, const struct policy *p,
                           const struct host_facts *h, struct verdict *out);
/* exec: exec's flags, the process's rules (h->container_config is the
   container's private config.json), its cwd in the container's image, its
   descriptors.  */
size_t floor_check_exec (json_value *process, const struct invocation *inv, const struct policy *p,
                         const struct host_facts *h, struct verdict *out);

/* Harden mode.  Each layer's floor_harden_* function, beside its rules,
   rewrites ctx->config where the rules would refuse it, to the floor's
   value, and records every change with floor_tightened (what it was, what
   it is now).  It changes nothing the rules accept.  Then the floor's
   checks run over the result, and what they still find refuses: what
   cannot be made safe (a host device, a bind of a denied host path, a
   malformed field).  The checks stay the only judge of what reaches the
   delegate.  */
/* check: config.json alone, as floor_check_config.  */
size_t floor_harden_config (json_value *config, const struct policy *p, const struct host_facts *h,
                            struct verdict *out);
size_t floor_harden_create (json_value *config, const struct invocation *inv,
                            const struct policy *p, const struct host_facts *h,
                            struct verdict *out);
size_t floor_harden_exec (json_value *process, const struct invocation *inv, const struct policy *p,
                          const struct host_facts *h, struct verdict *out);

/* The harden functions, in the order floor.c runs them: config.json's ... */
void floor_harden_network (struct floor_ctx *ctx);        /* network.c */
void floor_harden_namespaces (struct floor_ctx *ctx);     /* namespaces.c */
void floor_harden_root (struct floor_ctx *ctx);           /* filesystem.c */
void floor_harden_mounts (struct floor_ctx *ctx);         /* filesystem.c */
void floor_harden_devices (struct floor_ctx *ctx);        /* devices.c */
void floor_harden_memory (struct floor_ctx *ctx);         /* resources.c */
void floor_harden_cpu (struct floor_ctx *ctx);            /* resources.c */
void floor_harden_pids (struct floor_ctx *ctx);           /* resources.c */
void floor_harden_unified (struct floor_ctx *ctx);        /* resources.c */
void floor_harden_masked_paths (struct floor_ctx *ctx);   /* kernel.c */
void floor_harden_sysctl (struct floor_ctx *ctx);         /* kernel.c */
void floor_harden_kernel (struct floor_ctx *ctx);         /* kernel.c: intelRdt, personality,
                                                             rootfsPropagation */
void floor_harden_cgroups_path (struct floor_ctx *ctx);   /* cgroups.c */
void floor_harden_hooks (struct floor_ctx *ctx);          /* hooks.c */
void floor_harden_annotations (struct floor_ctx *ctx);    /* annotations.c */
void floor_harden_seccomp (struct floor_ctx *ctx);        /* seccomp.c */
void floor_harden_user_namespace (struct floor_ctx *ctx); /* userns.c: runc only */
/* ... and a Process's (config.json's "process", exec's file).  */
void floor_harden_capabilities (struct floor_ctx *ctx);   /* capabilities.c */
void floor_harden_no_new_privs (struct floor_ctx *ctx);   /* privileges.c */
void floor_harden_user (struct floor_ctx *ctx);           /* groups.c */
void floor_harden_process_extras (struct floor_ctx *ctx); /* privileges.c: oomScoreAdj,
                                                             scheduler, ioPriority, LSM */
void floor_harden_rlimits (struct floor_ctx *ctx);        /* rlimits.c */

/* The rules, in the order the tables of floor.c run them.  Process rules
   take the Process object (config's "process" or exec's file) as
   ctx->config with ctx->field_prefix set accordingly.  */
void floor_check_network (struct floor_ctx *ctx);            /* network.c */
void floor_check_namespaces (struct floor_ctx *ctx);         /* namespaces.c */
void floor_check_root (struct floor_ctx *ctx);               /* filesystem.c */
void floor_check_mounts (struct floor_ctx *ctx);             /* filesystem.c */
void floor_check_memory (struct floor_ctx *ctx);             /* resources.c */
void floor_check_cpu (struct floor_ctx *ctx);                /* resources.c */
void floor_check_pids (struct floor_ctx *ctx);               /* resources.c */
void floor_check_unified (struct floor_ctx *ctx);            /* resources.c */
void floor_check_devices (struct floor_ctx *ctx);            /* devices.c */
void floor_check_masked_paths (struct floor_ctx *ctx);       /* kernel.c */
void floor_check_sysctl (struct floor_ctx *ctx);             /* kernel.c */
void floor_check_intel_rdt (struct floor_ctx *ctx);          /* kernel.c */
void floor_check_personality (struct floor_ctx *ctx);        /* kernel.c */
void floor_check_cgroups_path (struct floor_ctx *ctx);       /* cgroups.c */
void floor_check_rootfs_propagation (struct floor_ctx *ctx); /* kernel.c */
void floor_check_hooks (struct floor_ctx *ctx);              /* hooks.c */
void floor_check_annotations (struct floor_ctx *ctx);        /* annotations.c */
void floor_check_sandbox_join (struct floor_ctx *ctx);       /* annotations.c */

/* Per-container tightening (annotations.c): the policyrun.* annotations of
   a config.json, each 0 when absent.  The floor's rules check them at
   create (POLICYRUN_ANNOTATIONS, LOWERED_LIMITS); update and start read
   them again from the container's private config.json.  */
struct floor_lowering
{
  int64_t memory_bytes;    /* policyrun.memory */
  int64_t cpu_nanos;       /* policyrun.cpus, in billionths of a CPU */
  int64_t pids_limit;      /* policyrun.pids */
  int64_t timeout_seconds; /* policyrun.timeout */
};
/* 0 and *out, or -1 and *err for the first policyrun.* annotation that
   is unknown or does not read (the rules report every one).  */
int floor_lowering_read (const json_value *config, struct floor_lowering *out, char **err);
/* The container's deadline: policy_seconds (0: none), brought forward by
   its policyrun.timeout.  */
int64_t floor_lowering_deadline (const struct floor_lowering *l, int64_t policy_seconds);
void floor_check_policyrun_annotations (struct floor_ctx *ctx); /* annotations.c */
void floor_check_lowered_limits (struct floor_ctx *ctx);        /* resources.c */
/* The caller is Podman (engine-binds.c): Podman's own defaults are
   tightened where Docker's would be refused, and fixes name its flags.  */
bool floor_caller_podman (const struct floor_ctx *ctx);
/* The caller is Kubernetes' CRI (engine-binds.c): host->cri_caller, or the
   CRI's io.kubernetes.cri.container-type annotation (its value, or NULL,
   from floor_cri_container_type).  Only tightenings and the wording of
   fixes depend on it.  */
bool floor_caller_cri (const struct floor_ctx *ctx);
const char *floor_cri_container_type (const struct floor_ctx *ctx);
void floor_check_kubelet_binds (struct floor_ctx *ctx); /* engine-binds.c */
void floor_check_seccomp (struct floor_ctx *ctx);       /* seccomp.c */
void floor_check_cwd_in_root (struct floor_ctx *ctx);   /* privileges.c: cwd through the image */

/* Whether host ids [first, first + count) hold a privileged group's gid
   (uids false) or a member's uid (uids true): the first in *id, its group
   in *group (groups.c).  The user namespace's mappings are held to it.  */
bool floor_host_range_privileged (const struct policy *p, bool uids, int64_t first, int64_t count,
                                  int64_t *id, const char **group);

void floor_check_capabilities (struct floor_ctx *ctx);  /* capabilities.c */
void floor_check_no_new_privs (struct floor_ctx *ctx);  /* privileges.c */
void floor_check_user (struct floor_ctx *ctx);          /* groups.c: uid, gid, additionalGids */
void floor_check_oom_score_adj (struct floor_ctx *ctx); /* privileges.c */
void floor_check_scheduler (struct floor_ctx *ctx);     /* privileges.c */
void floor_check_io_priority (struct floor_ctx *ctx);   /* privileges.c */
void floor_check_cwd (struct floor_ctx *ctx);           /* privileges.c */
void floor_check_lsm (struct floor_ctx *ctx);           /* privileges.c */
void floor_check_args (struct floor_ctx *ctx);          /* privileges.c */
void floor_check_rlimits (struct floor_ctx *ctx);       /* rlimits.c */

/* The invocation's rules (invocation.c); ctx->invocation is set.  */
void floor_check_restore (struct floor_ctx *ctx);
void floor_check_hooks_without_start (struct floor_ctx *ctx);
void floor_check_rootless (struct floor_ctx *ctx);
void floor_check_no_pivot (struct floor_ctx *ctx);
void floor_check_manage_cgroups_mode (struct floor_ctx *ctx);
void floor_check_lsm_profile (struct floor_ctx *ctx);
void floor_check_preserve_fds (struct floor_ctx *ctx);
void floor_check_stdio (struct floor_ctx *ctx);
void floor_check_exec_flags (struct floor_ctx *ctx);
void floor_check_process_file_flags (struct floor_ctx *ctx);

#endif
