/* policyrun: the floor.  Every rule is one function in the file of its
   layer (network.c, namespaces.c, filesystem.c, resources.c,
   capabilities.c, privileges.c, kernel.c, hooks.c, annotations.c,
   seccomp.c), with its rule id, the field it reads and the docker flag its
   message recommends in plain sight.

   A rule reads the configuration through oci-spec's typed accessors and
   reports through floor_violation (refused: the container would run below
   the floor) or floor_tightened (an absent limit filled in, a deny-listed
   syscall taken out of an allow rule: the configuration was changed in
   place, towards the floor).  */
#ifndef POLICYRUN_FLOOR_H
#define POLICYRUN_FLOOR_H

#include <stdbool.h>
#include <stddef.h>

#include "../../oci-spec/json.h"
#include "../../oci-spec/spec.h"
#include "../policy.h"

enum finding_kind
{
  FINDING_VIOLATION,
  FINDING_TIGHTENED,
};

struct finding
{
  enum finding_kind kind;
  const char *rule; /* static: "memory", "capabilities", ... */
  char *field;      /* "linux.resources.memory.limit" */
  char *detail;     /* what was found or done: "is 209715200, above 104857600" */
  const char *fix;  /* static: the docker flag, "--memory 100m"; may be NULL */
};

struct verdict
{
  struct finding *items;
  size_t len, cap;
};

void verdict_free (struct verdict *v);
size_t verdict_violations (const struct verdict *v);

/* Facts about the host, and about this invocation, that some rules need.
   Paths left NULL mean the real file; unit tests point them at fixtures.  */
struct host_facts
{
  bool swap_accounting;  /* memory+swap limits are settable (memsw / memory.swap.max) */
  bool cri_caller;       /* called by containerd's CRI (runtime root in the "k8s.io" namespace) */
  bool apparmor_enabled; /* the host confines with AppArmor */
  bool apparmor_docker_default;       /* ... and has Docker's "docker-default" profile loaded */
  bool selinux_enforcing;             /* the host enforces SELinux */
  const char *container_id;           /* the container being created; NULL for check */
  bool systemd_cgroup;                /* --systemd-cgroup: cgroupsPath is "slice:prefix:name" */
  const char *mountinfo_path;         /* NULL: /proc/self/mountinfo (where the cgroup trees are) */
  const char *proc_cgroup_path;       /* NULL: /proc/self/cgroup (the delegate's own cgroups) */
  const json_value *container_config; /* exec: the container's private config.json, for the
                                         process rules that read its root and mounts */
};
void host_facts_probe (struct host_facts *h);

struct floor_ctx
{
  json_value *config; /* config.json, process.json or resources; rules may tighten it */
  const struct policy *policy;
  const struct host_facts *host;
  struct verdict *verdict;
  const char *field_prefix; /* "process." for config.json, "" for exec's process.json */
  const json_value *spec;   /* the whole config.json the process runs in (NULL if unknown) */
};

void floor_violation (struct floor_ctx *ctx, const char *rule, const char *field, const char *fix,
                      const char *fmt, ...) __attribute__ ((format (printf, 5, 6)));
void floor_tightened (struct floor_ctx *ctx, const char *rule, const char *field, const char *fmt,
                      ...) __attribute__ ((format (printf, 4, 5)));

/* Report a field at path (relative to ctx->config) that is null (s ==
   SPEC_NULL) or not of the type want names ("an integer"), naming the first
   step of the path that is unusable; findings below one null object are
   reported once.  */
void floor_report_unusable (struct floor_ctx *ctx, const char *rule, const char *path,
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

/* The rules.  Process rules take the Process object (config's "process" or
   exec's file) as ctx->config with ctx->field_prefix set accordingly.  */
void floor_check_network (struct floor_ctx *ctx);      /* network.c */
void floor_check_namespaces (struct floor_ctx *ctx);   /* namespaces.c */
void floor_check_root (struct floor_ctx *ctx);         /* filesystem.c */
void floor_check_mounts (struct floor_ctx *ctx);       /* filesystem.c */
void floor_check_memory (struct floor_ctx *ctx);       /* resources.c */
void floor_check_cpu (struct floor_ctx *ctx);          /* resources.c */
void floor_check_pids (struct floor_ctx *ctx);         /* resources.c */
void floor_check_unified (struct floor_ctx *ctx);      /* resources.c */
void floor_check_capabilities (struct floor_ctx *ctx); /* capabilities.c (process) */
void floor_check_no_new_privs (struct floor_ctx *ctx); /* privileges.c (process) */
void floor_check_user (struct floor_ctx *ctx);         /* privileges.c (process) */
void floor_check_process_misc (struct floor_ctx *ctx); /* privileges.c (process): oomScoreAdj,
                                                          scheduler, cwd, rlimits, apparmor */
void floor_check_cwd_in_root (
    struct floor_ctx *ctx); /* privileges.c (config): cwd through the image's symlinks */
void floor_check_devices (struct floor_ctx *ctx);      /* kernel.c */
void floor_check_masked_paths (struct floor_ctx *ctx); /* kernel.c */
void floor_check_sysctl (struct floor_ctx *ctx);       /* kernel.c */
void
floor_check_kernel_misc (struct floor_ctx *ctx); /* kernel.c: intelRdt, personality, cgroupsPath */
void floor_check_hooks (struct floor_ctx *ctx);  /* hooks.c */
void floor_check_annotations (struct floor_ctx *ctx); /* annotations.c */
void floor_check_seccomp (struct floor_ctx *ctx);     /* seccomp.c */

#endif
