/* TEMPORARY (removed before commit): weak no-op harden functions so the
   tree links while each layer writes its own.  */
#include "config.h"
#include "floor.h"

__attribute__ ((weak)) void
floor_harden_network (struct floor_ctx *ctx)
{
  (void)ctx;
}

__attribute__ ((weak)) void
floor_harden_namespaces (struct floor_ctx *ctx)
{
  (void)ctx;
}

__attribute__ ((weak)) void
floor_harden_root (struct floor_ctx *ctx)
{
  (void)ctx;
}

__attribute__ ((weak)) void
floor_harden_mounts (struct floor_ctx *ctx)
{
  (void)ctx;
}

__attribute__ ((weak)) void
floor_harden_devices (struct floor_ctx *ctx)
{
  (void)ctx;
}

__attribute__ ((weak)) void
floor_harden_memory (struct floor_ctx *ctx)
{
  (void)ctx;
}

__attribute__ ((weak)) void
floor_harden_cpu (struct floor_ctx *ctx)
{
  (void)ctx;
}

__attribute__ ((weak)) void
floor_harden_pids (struct floor_ctx *ctx)
{
  (void)ctx;
}

__attribute__ ((weak)) void
floor_harden_unified (struct floor_ctx *ctx)
{
  (void)ctx;
}

__attribute__ ((weak)) void
floor_harden_masked_paths (struct floor_ctx *ctx)
{
  (void)ctx;
}

__attribute__ ((weak)) void
floor_harden_sysctl (struct floor_ctx *ctx)
{
  (void)ctx;
}

__attribute__ ((weak)) void
floor_harden_kernel (struct floor_ctx *ctx)
{
  (void)ctx;
}

__attribute__ ((weak)) void
floor_harden_cgroups_path (struct floor_ctx *ctx)
{
  (void)ctx;
}

__attribute__ ((weak)) void
floor_harden_hooks (struct floor_ctx *ctx)
{
  (void)ctx;
}

__attribute__ ((weak)) void
floor_harden_annotations (struct floor_ctx *ctx)
{
  (void)ctx;
}

__attribute__ ((weak)) void
floor_harden_seccomp (struct floor_ctx *ctx)
{
  (void)ctx;
}

__attribute__ ((weak)) void
floor_harden_user_namespace (struct floor_ctx *ctx)
{
  (void)ctx;
}

__attribute__ ((weak)) void
floor_harden_capabilities (struct floor_ctx *ctx)
{
  (void)ctx;
}

__attribute__ ((weak)) void
floor_harden_no_new_privs (struct floor_ctx *ctx)
{
  (void)ctx;
}

__attribute__ ((weak)) void
floor_harden_user (struct floor_ctx *ctx)
{
  (void)ctx;
}

__attribute__ ((weak)) void
floor_harden_process_extras (struct floor_ctx *ctx)
{
  (void)ctx;
}

__attribute__ ((weak)) void
floor_harden_rlimits (struct floor_ctx *ctx)
{
  (void)ctx;
}

