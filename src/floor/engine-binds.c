/* policyrun floor: the binds engines make from their own state
   directories, which are on the deny-list yet safe as the engine makes
   them (filesystem.c's mounts rule asks here).  */
#include "config.h"
#include "floor.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "filesystem.h"
#include "spec.h"
#include "util.h"

/* Until floor.h declares them (the lead's file): the CRI caller and the
   rule that brings kubelet's and containerd's binds to the floor.  */
bool floor_caller_cri (const struct floor_ctx *ctx);
const char *floor_cri_container_type (const struct floor_ctx *ctx);
void floor_check_kubelet_binds (struct floor_ctx *ctx);

static const struct engine_bind engine_binds[] = {
  { "docker", "/etc/hosts", "containers/*/hosts", false },
  { "docker", "/etc/hostname", "containers/*/hostname", false },
  { "docker", "/etc/resolv.conf", "containers/*/resolv.conf", false },
  { "docker", "/dev/shm", "containers/*/mounts/shm", true },
  { "containerd", "/etc/hosts", "io.containerd.grpc.v1.cri/sandboxes/*/hosts", false },
  { "containerd", "/etc/hostname", "io.containerd.grpc.v1.cri/sandboxes/*/hostname", false },
  { "containerd", "/etc/resolv.conf", "io.containerd.grpc.v1.cri/sandboxes/*/resolv.conf", false },
  { "containerd", "/dev/shm", "io.containerd.grpc.v1.cri/sandboxes/*/shm", true },
  { "kubelet", "/etc/hosts", "pods/*/etc-hosts", false },
  /* kubelet's file for the container's termination message:
     PODDIR/containers/NAME/RANDOM, at terminationMessagePath.  */
  { "kubelet", "/dev/termination-log", "pods/*/containers/*/*", false },
  /* Podman (containers/storage): ROOT/DRIVER-containers/ID/userdata, ROOT
     being "storage" by default and anything under --root; DRIVER is
     overlay, vfs, btrfs, zfs...  /run/.containerenv is Podman's note to the
     container that it runs in one.  */
  { "containers", "/etc/hosts", "*/*-containers/*/userdata/hosts", false },
  { "containers", "/etc/hostname", "*/*-containers/*/userdata/hostname", false },
  { "containers", "/etc/resolv.conf", "*/*-containers/*/userdata/resolv.conf", false },
  { "containers", "/dev/shm", "*/*-containers/*/userdata/shm", true },
  { "containers", "/run/.containerenv", "*/*-containers/*/userdata/.containerenv", false },
};

/* One component of rel (length rn) matches one of a pattern (length pn):
   "*" is any component, "*SUFFIX" any that ends in SUFFIX and has more
   before it, anything else only itself.  */
static bool
component_match (const char *rel, size_t rn, const char *pattern, size_t pn)
{
  if (pn > 0 && pattern[0] == '*')
    return rn > pn - 1 && memcmp (rel + rn - (pn - 1), pattern + 1, pn - 1) == 0;
  return rn == pn && memcmp (rel, pattern, rn) == 0;
}

/* rel (clean, relative, no "..") matches pattern component by component.  */
static bool
pattern_match (const char *rel, const char *pattern)
{
  for (;;)
    {
      const char *re = strchrnul (rel, '/');
      const char *pe = strchrnul (pattern, '/');
      size_t rn = (size_t)(re - rel), pn = (size_t)(pe - pattern);
      if (rn == 0)
        return false;
      if (!component_match (rel, rn, pattern, pn))
        return false;
      if (*re == '\0' || *pe == '\0')
        return *re == '\0' && *pe == '\0';
      rel = re + 1;
      pattern = pe + 1;
    }
}

const char *
last_component (const char *p)
{
  const char *s = strrchr (p, '/');
  return s ? s + 1 : p;
}

/* The engine bind that a bind of src (clean, absolute) onto destination
   (clean) is, judged by where src lies in a deny-listed engine directory;
   NULL when it is none.  */
const struct engine_bind *
engine_bind_by_layout (const struct denylist *deny, const char *destination, const char *src)
{
  for (size_t i = 0; i < deny->len; i++)
    {
      const char *d = deny->items[i];
      if (strcmp (d, "/") == 0 || !path_within (src, d) || strcmp (src, d) == 0)
        continue;
      const char *rel = src + strlen (d) + 1;
      for (size_t k = 0; k < sizeof engine_binds / sizeof engine_binds[0]; k++)
        if (strcmp (engine_binds[k].destination, destination) == 0
            && strcmp (engine_binds[k].engine, last_component (d)) == 0
            && pattern_match (rel, engine_binds[k].pattern))
          return &engine_binds[k];
    }
  return NULL;
}

/* The engine bind that a bind of path onto destination looks like by the
   tail of path alone, wherever the engine keeps its state (docker's
   --data-root); NULL when none.  Not proof that it is the engine's.  */
const struct engine_bind *
engine_bind_by_tail (const char *destination, const char *path)
{
  for (size_t k = 0; k < sizeof engine_binds / sizeof engine_binds[0]; k++)
    {
      if (strcmp (engine_binds[k].destination, destination) != 0)
        continue;
      size_t want = 1;
      for (const char *c = engine_binds[k].pattern; *c; c++)
        want += *c == '/';
      const char *tail = path + strlen (path);
      size_t got = 0;
      while (tail > path && got < want)
        if (*--tail == '/')
          got++;
      if (got == want && pattern_match (tail + 1, engine_binds[k].pattern))
        return &engine_binds[k];
    }
  return NULL;
}

/* An engine whose state lives elsewhere binds /dev/shm from a directory
   that is not on the deny-list; it is still the engine's when it is what
   the engine makes it: a tmpfs mounted right there, noexec, with a size.
   Nobody but root can mount one.  */
bool
shm_is_engine_tmpfs (const char *destination, const char *resolved)
{
  if (resolved == NULL)
    return false;
  const struct engine_bind *eb = engine_bind_by_tail (destination, resolved);
  if (eb == NULL || !eb->shm)
    return false;
  struct statfs sfs;
  struct statvfs svfs;
  struct stat here, parent;
  cleanup_free char *up = xasprintf ("%s/..", resolved);
  return statfs (resolved, &sfs) == 0 && sfs.f_type == TMPFS_MAGIC && statvfs (resolved, &svfs) == 0
         && (svfs.f_flag & ST_NOEXEC) && svfs.f_blocks > 0 && stat (resolved, &here) == 0
         && S_ISDIR (here.st_mode) && stat (up, &parent) == 0 && here.st_dev != parent.st_dev;
}

/* The string value of annotation key in the configuration being checked,
   else in the container's (a Process rule, exec), or NULL: the first
   configuration that has annotations answers.  */
static const char *
engine_annotation (const struct floor_ctx *ctx, const char *key)
{
  const json_value *candidates[3]
      = { ctx->spec, ctx->config, ctx->host != NULL ? ctx->host->container_config : NULL };
  for (size_t i = 0; i < 3; i++)
    {
      const json_value *c = candidates[i];
      if (c == NULL || c->type != JSON_OBJECT)
        continue;
      const json_value *a = json_object_get (c, "annotations");
      if (a == NULL || a->type != JSON_OBJECT)
        continue;
      const json_value *v = json_object_get_exact (a, key);
      return v != NULL && v->type == JSON_STRING ? v->u.string.s : NULL;
    }
  return NULL;
}

/* The caller is Podman: policyrun was started by conmon or podman
   (host->podman_caller, see cmd_support.c), or the configuration is the
   one libpod writes (its "io.container.manager" annotation is "libpod").
   Only tightenings of Podman's own defaults and the wording of fixes
   depend on it, so a caller that merely claims to be Podman gets a
   container that holds the same floor.  The annotations are read from
   the configuration being checked, else from the container's (a Process
   rule, exec).  */
bool
floor_caller_podman (const struct floor_ctx *ctx)
{
  if (ctx->host != NULL && ctx->host->podman_caller)
    return true;
  const char *manager = engine_annotation (ctx, "io.container.manager");
  return manager != NULL && strcmp (manager, "libpod") == 0;
}

/* The value of containerd's io.kubernetes.cri.container-type annotation
   ("sandbox" for a pod's pause container, "container" for the others), or
   NULL; read like floor_caller_podman's annotation.  Only a claim:
   floor_check_annotations refuses io.kubernetes.cri.* from callers whose
   runtime root is not containerd's k8s.io namespace, and what depends on
   it here only tightens.  */
const char *
floor_cri_container_type (const struct floor_ctx *ctx)
{
  return engine_annotation (ctx, "io.kubernetes.cri.container-type");
}

/* The caller is Kubernetes' CRI (containerd's): the runtime root is its
   k8s.io namespace (host->cri_caller), or the configuration carries the
   CRI's container-type annotation.  Tightenings of what CRI cannot leave
   out and the wording of fixes (the pod's fields) depend on it.  */
bool
floor_caller_cri (const struct floor_ctx *ctx)
{
  return (ctx->host != NULL && ctx->host->cri_caller) || floor_cri_container_type (ctx) != NULL;
}

/* Append opt to options and apply it to o: runc applies options in order,
   so an appended one has the last word.  */
static void
options_add (json_value *options, struct mount_opts *o, const char *opt)
{
  json_array_append (options, json_new_string (opt));
  parse_option (o, opt);
}

/* The pod's /dev/shm bind (options, o applied) made noexec, nosuid and
   nodev; the mounts rule's harden (filesystem.c) writes the same.  */
void
pod_shm_tighten (json_value *options, struct mount_opts *o)
{
  options_add (options, o, "noexec");
  if (!(o->flags & MS_NOSUID))
    options_add (options, o, "nosuid");
  if (!(o->flags & MS_NODEV))
    options_add (options, o, "nodev");
}

/* One bind of a CRI container: kubelet's /etc/hosts and termination log,
   containerd's hosts, hostname and resolv.conf (writable unless the pod
   asks for a read-only root) are made read-only; the pod's /dev/shm bind
   of containerd's sandbox tmpfs gets noexec, nosuid and nodev.  Each is
   recognised by its destination and the tail of its source, which is no
   proof that it is kubelet's or containerd's: it needs none, since only
   options that take something away are added, and the mounts rule still
   judges the source.  */
static void
tighten_kubelet_bind (struct floor_ctx *ctx, json_value *m, size_t i)
{
  const char *destination = NULL, *source = NULL, *type = "";
  json_value *options = NULL;
  if (m->type != JSON_OBJECT || spec_get_string (m, "destination", &destination) != SPEC_OK
      || spec_get_string (m, "source", &source) != SPEC_OK || source[0] != '/'
      || spec_get (m, "options", JSON_ARRAY, &options) != SPEC_OK)
    return; /* the mounts rule judges what is malformed */
  spec_status st = spec_get_string (m, "type", &type);
  if (st != SPEC_OK && st != SPEC_ABSENT)
    return;
  struct mount_opts o = { 0 };
  for (size_t k = 0; k < options->u.array.len; k++)
    {
      const json_value *opt = options->u.array.items[k];
      if (opt->type != JSON_STRING)
        return;
      parse_option (&o, opt->u.string.s);
    }
  if (!(o.flags & MS_BIND) && strcmp (type, "bind") != 0)
    return;
  cleanup_free char *dest = path_clean (destination);
  cleanup_free char *src = path_clean (source);
  const struct engine_bind *eb = engine_bind_by_tail (dest, src);
  /* kubelet binds the termination log wherever terminationMessagePath
     says; its source has the same shape.  */
  if (eb == NULL)
    eb = engine_bind_by_tail ("/dev/termination-log", src);
  if (eb == NULL)
    return;
  char field[80];
  snprintf (field, sizeof field, "mounts[%zu].options", i);
  if (eb->shm)
    {
      if (opts_noexec (&o) || (o.rec_clr & REC_NOEXEC))
        return; /* already noexec, or "rexec": the mounts rule refuses it */
      pod_shm_tighten (options, &o);
      floor_tightened (ctx, RULE_KUBELET_BINDS, field,
                       "bound the pod's /dev/shm (%s) without \"noexec\"; added noexec, nosuid, "
                       "nodev",
                       eb->engine);
      return;
    }
  if (opts_readonly (&o) || (o.rec_clr & REC_RDONLY))
    return; /* read-only, or "rrw": the mounts rule refuses it */
  options_add (options, &o, "ro");
  bool elsewhere = strcmp (eb->destination, dest) != 0; /* terminationMessagePath */
  floor_tightened (ctx, RULE_KUBELET_BINDS, field,
                   "made a writable bind of %s's %s%s%s; added \"ro\"", eb->engine, eb->destination,
                   elsewhere ? " at " : "", elsewhere ? dest : "");
}

/* Rule KUBELET_BINDS ("mounts"), before the mounts rule.
   Fields: mounts[i].options of binds onto /etc/hosts, /etc/hostname,
   /etc/resolv.conf, /dev/termination-log and /dev/shm.
   For a CRI caller only (floor_caller_cri).  kubelet binds /etc/hosts
   (PODDIR/etc-hosts) and the termination log (PODDIR/containers/NAME/ID)
   writable into every container, containerd its hosts, hostname and
   resolv.conf writable unless the pod's root is read-only, and the pod's
   /dev/shm (containerd's noexec tmpfs under its CRI state directory,
   sandboxes/ID/shm) without noexec: a bind that runc remounts (the
   sandbox's "ro") would then be executable.  None of this can be changed
   from the pod's spec, so it is tightened, not refused.
   Tightened: "ro" added to the file binds; "noexec", "nosuid", "nodev"
   to the shm bind.  The container's termination message then stays empty
   (terminationMessagePolicy: FallbackToLogsOnError reads its log
   instead).
   Docker flag: none (never a Docker caller).  */
void
floor_check_kubelet_binds (struct floor_ctx *ctx)
{
  json_value *mounts = NULL;
  if (!floor_caller_cri (ctx) || spec_get (ctx->config, "mounts", JSON_ARRAY, &mounts) != SPEC_OK)
    return;
  for (size_t i = 0; i < mounts->u.array.len; i++)
    tighten_kubelet_bind (ctx, mounts->u.array.items[i], i);
}
