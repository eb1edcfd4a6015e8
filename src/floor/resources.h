/* policyrun floor: what resources.c (create) shares with update.c, so
   that both hold a memory, cpu or pids value to the floor the same way.  */
#ifndef POLICYRUN_FLOOR_RESOURCES_H
#define POLICYRUN_FLOOR_RESOURCES_H

#include <stdbool.h>
#include <stdint.h>

#include "floor.h"

/* The CFS period runc leaves in place when a config sets a quota and no
   period: the kernel's default, and runc's on cgroup v2.  */
#define RUNC_DEFAULT_CPU_PERIOD INT64_C (100000)

/* The fixes naming the policy's values; the caller frees them.  */
char *memory_fix (const struct policy *p);
char *cpu_fix (const struct policy *p);
char *pids_fix (const struct policy *p);
extern const char *const swap_fix;

/* given is appended to the finding's detail: "" or " (given by --memory)".  */
bool check_memory_limit (struct floor_ctx *ctx, const char *path, int64_t limit, const char *given);
void check_memory_swap (struct floor_ctx *ctx, const char *path, int64_t swap, int64_t limit,
                        const char *given);
void check_oom_killer (struct floor_ctx *ctx, const char *path);
void check_pids_limit (struct floor_ctx *ctx, const char *path, int64_t limit, const char *given);
/* lead starts the detail: "" or "cpu.quota/cpu.period is ".  */
bool check_cpu_ratio (struct floor_ctx *ctx, const char *path, const char *lead, int64_t quota,
                      int64_t period);
void check_cpu_extras (struct floor_ctx *ctx, const char *base);
void check_unified_at (struct floor_ctx *ctx, const char *path);

#endif
