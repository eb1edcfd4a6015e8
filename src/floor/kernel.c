/* policyrun floor: kernel surfaces.  The /proc and /sys paths Docker masks
   or makes read-only, sysctls, and the odd kernel knobs (intelRdt,
   personality, rootfsPropagation).  */
#include "config.h"
#include "floor.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "spec.h"
#include "util.h"

/* ---- masked and read-only paths --------------------------------------------- */

struct strv_list
{
  char **items;
  size_t len, cap;
};

static void
strv_list_add (struct strv_list *l, char *s)
{
  if (l->len == l->cap)
    {
      l->cap = l->cap ? l->cap * 2 : 8;
      l->items = xrealloc (l->items, l->cap * sizeof *l->items);
    }
  l->items[l->len++] = s;
}

static void
strv_list_free (struct strv_list *l)
{
  for (size_t i = 0; i < l->len; i++)
    free (l->items[i]);
  free (l->items);
}

/* The oldest supported Docker's (20.10) defaults: each is required.  */
static const char *const docker_masked_paths[] = {
  "/proc/asound",     "/proc/acpi",        "/proc/kcore",       "/proc/keys", "/proc/latency_stats",
  "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware",
};
static const char *const docker_readonly_paths[] = {
  "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger",
};
/* What current Docker (moby's oci/defaults.go) masks besides: filled in
   when missing, as Docker 20.10 does not send them (runc skips a masked
   path that does not exist).  Also every CPU's thermal_throttle directory
   (see masked_extras).  */
static const char *const newer_masked_paths[] = {
  "/proc/interrupts",
  "/sys/devices/virtual/powercap",
};

/* p without duplicate, trailing or "." components ("/proc//kcore/" is
   /proc/kcore), for harden to find a default spelled otherwise.  ".." is
   left alone: an entry with it is simply another path.  */
static char *
squeeze (const char *p)
{
  char *out = xmalloc (strlen (p) + 2);
  size_t len = 0;
  for (const char *s = p; *s != '\0';)
    {
      if (*s == '/')
        {
          s++;
          continue;
        }
      const char *e = strchrnul (s, '/');
      if (!(e - s == 1 && s[0] == '.'))
        {
          out[len++] = '/';
          memcpy (out + len, s, (size_t)(e - s));
          len += (size_t)(e - s);
        }
      s = e;
    }
  if (len == 0)
    out[len++] = '/';
  out[len] = '\0';
  return out;
}

/* The newer masked paths, with /sys/devices/system/cpu/cpuN/thermal_throttle
   for each CPU of this host that has one (newer Docker masks them).  */
static void
masked_extras (struct strv_list *out)
{
  for (size_t i = 0; i < sizeof newer_masked_paths / sizeof newer_masked_paths[0]; i++)
    strv_list_add (out, xstrdup (newer_masked_paths[i]));
  DIR *d = opendir ("/sys/devices/system/cpu");
  if (d == NULL)
    return;
  struct dirent *e;
  while ((e = readdir (d)) != NULL)
    {
      if (strncmp (e->d_name, "cpu", 3) != 0 || e->d_name[3] == '\0'
          || e->d_name[3 + strspn (e->d_name + 3, "0123456789")] != '\0')
        continue;
      char *p = xasprintf ("/sys/devices/system/cpu/%s/thermal_throttle", e->d_name);
      if (access (p, F_OK) == 0)
        strv_list_add (out, p);
      else
        free (p);
    }
  closedir (d);
}

/* list (an array) holds p, exactly as written: runc hands each entry to
   mount(2) as it is, where "/proc/keys/" fails (ENOTDIR) and the container
   does not start, and what counts is what the engine's decoder reads.  */
static bool
list_has_path (const json_value *list, const char *p)
{
  for (size_t i = 0; i < list->u.array.len; i++)
    {
      const json_value *e = list->u.array.items[i];
      if (e->type == JSON_STRING && strcmp (e->u.string.s, p) == 0)
        return true;
    }
  return false;
}

/* Docker takes every masked and read-only path away with
   systempaths=unconfined; Podman (which has no such option) with
   --security-opt unmask=ALL or unmask=PATH:PATH.  */
static const char *
path_list_fix (struct floor_ctx *ctx)
{
  return floor_caller_podman (ctx)
             ? "remove --security-opt unmask and --privileged"
             : "remove --security-opt systempaths=unconfined and --privileged";
}

/* A path that Docker masks but the engine only made read-only (Podman's
   default lists have /proc/asound in readonlyPaths): the engine meant to
   confine it, and masking is what the floor asks, so it is masked too.
   Returns whether path was added to list (maskedPaths).  */
static bool
mask_readonly_default (struct floor_ctx *ctx, json_value *list, const char *path)
{
  json_value *readonly = NULL;
  if (spec_get (ctx->config, "linux.readonlyPaths", JSON_ARRAY, &readonly) != SPEC_OK
      || !list_has_path (readonly, path))
    return false;
  json_array_append (list, json_new_string (path));
  return true;
}

static void
check_path_list (struct floor_ctx *ctx, const char *name, const char *const *defaults, size_t n,
                 const struct strv_list *extras)
{
  json_value *list = NULL;
  spec_status st = spec_get (ctx->config, name, JSON_ARRAY, &list);
  const char *fix = path_list_fix (ctx);
  bool masked = strcmp (name, "linux.maskedPaths") == 0;
  if (st == SPEC_ABSENT)
    {
      json_value *fill = json_new_array ();
      for (size_t k = 0; k < n; k++)
        json_array_append (fill, json_new_string (defaults[k]));
      for (size_t k = 0; k < extras->len; k++)
        json_array_append (fill, json_new_string (extras->items[k]));
      cleanup_free char *err = NULL;
      if (spec_set (ctx->config, name, fill, &err) < 0)
        floor_violation (ctx, RULE_MASKED_PATHS, name, fix, "is absent and cannot be filled in: %s",
                         err);
      else
        floor_tightened (ctx, RULE_MASKED_PATHS, name, "was absent; set to Docker's %zu defaults",
                         n + extras->len);
      return;
    }
  if (st != SPEC_OK)
    {
      floor_violation (ctx, RULE_MASKED_PATHS, name, fix, "is %s", spec_status_text (st));
      return;
    }

  bool ok = true;
  for (size_t i = 0; i < list->u.array.len; i++)
    if (list->u.array.items[i]->type != JSON_STRING)
      {
        cleanup_free char *field = xasprintf ("%s[%zu]", name, i);
        cleanup_free char *value = spec_describe (list->u.array.items[i]);
        floor_violation (ctx, RULE_MASKED_PATHS, field, fix, "is %s, not a path", value);
        ok = false;
      }
  if (!ok)
    return;

  struct strbuf missing = { 0 }, masked_too = { 0 };
  size_t n_missing = 0, n_masked_too = 0;
  for (size_t k = 0; k < n; k++)
    {
      if (list_has_path (list, defaults[k]))
        continue;
      if (masked && mask_readonly_default (ctx, list, defaults[k]))
        strbuf_addf (&masked_too, "%s%s", n_masked_too++ ? ", " : "", defaults[k]);
      else
        strbuf_addf (&missing, "%s%s", n_missing++ ? ", " : "", defaults[k]);
    }
  if (n_masked_too > 0)
    floor_tightened (ctx, RULE_MASKED_PATHS, name,
                     "lacked %s, which linux.readonlyPaths only makes read-only; added",
                     masked_too.s);
  if (n_missing > 0)
    floor_violation (ctx, RULE_MASKED_PATHS, name, fix, "lacks %s", missing.s);
  strbuf_free (&missing);
  strbuf_free (&masked_too);
  if (n_missing > 0)
    return;

  /* Newer Docker's additions: filled in, not required.  */
  struct strbuf added = { 0 };
  size_t n_added = 0;
  for (size_t k = 0; k < extras->len; k++)
    {
      if (list_has_path (list, extras->items[k]))
        continue;
      json_array_append (list, json_new_string (extras->items[k]));
      strbuf_addf (&added, "%s%s", n_added++ ? ", " : "", extras->items[k]);
    }
  if (n_added > 0)
    floor_tightened (ctx, RULE_MASKED_PATHS, name, "lacked newer Docker's %s; added", added.s);
  strbuf_free (&added);
}

/* Rule MASKED_PATHS ("masked-paths").
   Fields: linux.maskedPaths, linux.readonlyPaths.
   Refused: lists that lack any of Docker 20.10's defaults (masked
   /proc/asound, /proc/acpi, /proc/kcore, /proc/keys, /proc/latency_stats,
   /proc/timer_list, /proc/timer_stats, /proc/sched_debug, /proc/scsi,
   /sys/firmware; read-only /proc/bus, /proc/fs, /proc/irq, /proc/sys,
   /proc/sysrq-trigger), null, or entries that are not strings.  More
   entries are welcome.
   Tightened: a path Docker masks that readonlyPaths holds instead (Podman
   sends /proc/asound read-only) is masked too.
   Filled in: current Docker's newer masked paths (/proc/interrupts,
   /sys/devices/virtual/powercap, each CPU's thermal_throttle) when the
   list lacks them; an absent list gets all the defaults (Docker leaves the
   lists out with --privileged or systempaths=unconfined, which other rules
   refuse).
   Docker flags: remove --security-opt systempaths=unconfined, --privileged;
   Podman: remove --security-opt unmask=..., --privileged.  */
void
floor_check_masked_paths (struct floor_ctx *ctx)
{
  struct strv_list extras = { 0 }, none = { 0 };
  masked_extras (&extras);
  check_path_list (ctx, "linux.maskedPaths", docker_masked_paths,
                   sizeof docker_masked_paths / sizeof docker_masked_paths[0], &extras);
  check_path_list (ctx, "linux.readonlyPaths", docker_readonly_paths,
                   sizeof docker_readonly_paths / sizeof docker_readonly_paths[0], &none);
  strv_list_free (&extras);
}

/* Harden one list: add each default it lacks (the caller's own entries
   stay).  A masked default that readonlyPaths holds is the rule's own
   tightening; an absent list is the rule's to fill in; null, another type
   or an entry that is not a string stays for it to refuse.  */
static void
harden_path_list (struct floor_ctx *ctx, const char *name, const char *const *defaults, size_t n)
{
  json_value *list = NULL;
  if (spec_get (ctx->config, name, JSON_ARRAY, &list) != SPEC_OK)
    return;
  for (size_t i = 0; i < list->u.array.len; i++)
    if (list->u.array.items[i]->type != JSON_STRING)
      return;
  bool masked = strcmp (name, "linux.maskedPaths") == 0;
  json_value *readonly = NULL;
  if (masked && spec_get (ctx->config, "linux.readonlyPaths", JSON_ARRAY, &readonly) != SPEC_OK)
    readonly = NULL;
  /* A default spelled otherwise ("/proc//kcore", "/proc/keys/") becomes
     the default itself: runc would mount it as written.  */
  struct strbuf respelled = { 0 };
  size_t n_respelled = 0;
  for (size_t i = 0; i < list->u.array.len; i++)
    {
      const char *was = list->u.array.items[i]->u.string.s;
      cleanup_free char *entry = squeeze (was);
      for (size_t k = 0; k < n; k++)
        if (strcmp (entry, defaults[k]) == 0 && strcmp (was, defaults[k]) != 0)
          {
            strbuf_addf (&respelled, "%s\"%s\"", n_respelled++ ? ", " : "", was);
            json_free (list->u.array.items[i]);
            list->u.array.items[i] = json_new_string (defaults[k]);
            break;
          }
    }
  if (n_respelled > 0)
    floor_tightened (ctx, RULE_MASKED_PATHS, name, "spelled %s otherwise; written as the defaults",
                     respelled.s);
  strbuf_free (&respelled);
  struct strbuf added = { 0 };
  size_t n_added = 0;
  for (size_t k = 0; k < n; k++)
    {
      if (list_has_path (list, defaults[k])
          || (readonly != NULL && list_has_path (readonly, defaults[k])))
        continue;
      json_array_append (list, json_new_string (defaults[k]));
      strbuf_addf (&added, "%s%s", n_added++ ? ", " : "", defaults[k]);
    }
  if (n_added > 0)
    floor_tightened (ctx, RULE_MASKED_PATHS, name, "lacked %s; added", added.s);
  strbuf_free (&added);
}

/* Harden MASKED_PATHS: the defaults either list lacks are added.  */
void
floor_harden_masked_paths (struct floor_ctx *ctx)
{
  harden_path_list (ctx, "linux.maskedPaths", docker_masked_paths,
                    sizeof docker_masked_paths / sizeof docker_masked_paths[0]);
  harden_path_list (ctx, "linux.readonlyPaths", docker_readonly_paths,
                    sizeof docker_readonly_paths / sizeof docker_readonly_paths[0]);
}

/* ---- sysctl -------------------------------------------------------------------- */

/* A key runc writes below /proc/sys/net (it turns dots into slashes) and
   nothing else: "net." and then components of letters, digits, "_" and "-"
   separated by dots.  A "/" is refused: runc does not read it as sysctl(8)
   does (an interface name's "."), so the key never means what it says.  */
static bool
sysctl_key_is_net (const char *key)
{
  if (strncmp (key, "net.", 4) != 0)
    return false;
  const char *s = key + 4;
  if (*s == '\0' || *s == '.')
    return false;
  for (const char *c = s; *c != '\0'; c++)
    {
      bool sep = *c == '.';
      if (!(sep || (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9')
            || *c == '_' || *c == '-'))
        return false;
      /* No empty components: "net..x", a trailing dot.  */
      if (sep && (c[1] == '\0' || c[1] == '.'))
        return false;
    }
  return true;
}

/* The IPC-namespaced sysctls that Docker's --sysctl and runc's validator
   allow when the container has its own IPC namespace (besides fs.mqueue.*).  */
static const char *const ipc_sysctls[] = {
  "kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem",
  "kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced",
};

/* "fs.mqueue." and one plain name (runc turns dots into slashes, so
   anything else could reach another file below /proc/sys).  */
static bool
sysctl_key_is_mqueue (const char *key)
{
  if (strncmp (key, "fs.mqueue.", 10) != 0 || key[10] == '\0')
    return false;
  for (const char *c = key + 10; *c != '\0'; c++)
    if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_'))
      return false;
  return true;
}

/* The container gets a namespace of this type of its own: an entry
   without a path (one with a path is the namespaces rule's to refuse).  */
static bool
has_own_namespace (const struct floor_ctx *ctx, const char *type)
{
  json_value *namespaces = NULL;
  if (spec_get (ctx->config, "linux.namespaces", JSON_ARRAY, &namespaces) != SPEC_OK)
    return false;
  bool own = false;
  for (size_t i = 0; i < namespaces->u.array.len; i++)
    {
      const json_value *ns = namespaces->u.array.items[i];
      const char *t = NULL;
      if (ns->type != JSON_OBJECT || spec_get_string (ns, "type", &t) != SPEC_OK
          || strcmp (t, type) != 0)
        continue;
      json_value *path = json_object_get (ns, "path");
      if (path != NULL && !(path->type == JSON_STRING && path->u.string.s[0] == '\0'))
        return false;
      own = true;
    }
  return own;
}

/* Why key is refused (and *fix), or NULL when it is allowed with these
   namespaces: the rule's and harden's one reading.  */
static const char *
sysctl_key_refused (const char *key, bool own_ipc, bool own_uts, const char **fix)
{
  bool ipc = sysctl_key_is_mqueue (key);
  for (size_t k = 0; !ipc && k < sizeof ipc_sysctls / sizeof ipc_sysctls[0]; k++)
    ipc = strcmp (key, ipc_sysctls[k]) == 0;
  bool uts = strcmp (key, "kernel.domainname") == 0;
  if (ipc && !own_ipc)
    {
      *fix = "remove --ipc host";
      return "is set without an ipc namespace of the container's own: it would change the "
             "host's";
    }
  if (uts && !own_uts)
    {
      *fix = "remove --uts host";
      return "is set without a uts namespace of the container's own: it would change the "
             "host's";
    }
  if (!ipc && !uts && !sysctl_key_is_net (key))
    {
      *fix = "remove that --sysctl";
      return "is set; only net.*, the IPC sysctls (kernel.shm*, kernel.msg*, kernel.sem, "
             "fs.mqueue.*) and kernel.domainname, which stay in the container's own "
             "namespaces, are allowed";
    }
  return NULL;
}

/* Rule SYSCTL ("sysctl").
   Field: linux.sysctl.
   Allowed: plain "net." keys (the network namespace's own; Docker sends
   net.ipv4.ip_unprivileged_port_start and net.ipv4.ping_group_range); the
   IPC sysctls Docker and runc allow (kernel.msgmax, kernel.msgmnb,
   kernel.msgmni, kernel.sem, kernel.shmall, kernel.shmmax, kernel.shmmni,
   kernel.shm_rmid_forced, fs.mqueue.NAME) when the container has its own
   ipc namespace; kernel.domainname (docker's --domainname) when it has its
   own uts namespace.  Shared memory and message queues it makes are
   charged to its memory cgroup.
   Refused: every other key (it would change the host's kernel), those
   above without their own namespace, values that are not strings, null or
   a non-object.
   Filled in: nothing.
   Docker flags: remove that --sysctl (remove --ipc host / --uts host to
   keep an IPC or UTS one).  */
void
floor_check_sysctl (struct floor_ctx *ctx)
{
  json_value *sysctl = NULL;
  spec_status st = spec_get (ctx->config, "linux.sysctl", JSON_OBJECT, &sysctl);
  if (st == SPEC_ABSENT)
    return;
  if (st != SPEC_OK)
    {
      floor_violation (ctx, RULE_SYSCTL, "linux.sysctl", NULL, "is %s", spec_status_text (st));
      return;
    }
  bool own_ipc = has_own_namespace (ctx, "ipc");
  bool own_uts = has_own_namespace (ctx, "uts");
  for (size_t i = 0; i < sysctl->u.object.len; i++)
    {
      const struct json_member *m = &sysctl->u.object.members[i];
      cleanup_free char *field = xasprintf ("linux.sysctl.%s", m->key);
      const char *fix = NULL;
      const char *why = sysctl_key_refused (m->key, own_ipc, own_uts, &fix);
      if (why != NULL)
        floor_violation (ctx, RULE_SYSCTL, field, fix, "%s", why);
      else if (m->value->type != JSON_STRING)
        floor_violation (ctx, RULE_SYSCTL, field, "remove that --sysctl", "is %s, not a string",
                         m->value->type == JSON_NULL ? "null" : json_type_name (m->value->type));
    }
}

/* Harden SYSCTL: each key the rule refuses (a host sysctl, an IPC or UTS
   one without the container's own namespace, which the namespaces layer
   has settled before this runs) is taken out; the keys it accepts stay.  A
   value that is not a string, and a sysctl that is null or not an object,
   stay for the rule to refuse.  */
void
floor_harden_sysctl (struct floor_ctx *ctx)
{
  json_value *sysctl = NULL;
  if (spec_get (ctx->config, "linux.sysctl", JSON_OBJECT, &sysctl) != SPEC_OK)
    return;
  bool own_ipc = has_own_namespace (ctx, "ipc");
  bool own_uts = has_own_namespace (ctx, "uts");
  for (size_t i = 0; i < sysctl->u.object.len;)
    {
      const struct json_member *m = &sysctl->u.object.members[i];
      const char *fix = NULL;
      const char *why = sysctl_key_refused (m->key, own_ipc, own_uts, &fix);
      if (why == NULL || m->value->type != JSON_STRING)
        {
          i++;
          continue;
        }
      cleanup_free char *field = xasprintf ("linux.sysctl.%s", m->key);
      cleanup_free char *value = spec_describe (m->value);
      cleanup_free char *key = xstrdup (m->key);
      /* The loader keeps one member per key under Go's folding, so this is
         member i.  */
      json_object_remove (sysctl, key);
      floor_tightened (ctx, RULE_SYSCTL, field, "was %s; removed (it %s)", value, why);
    }
}

/* Rule INTEL_RDT: linux.intelRdt present is refused (null too: no caller
   sends it).  No docker flag sets it.  */
void
floor_check_intel_rdt (struct floor_ctx *ctx)
{
  json_value *v = NULL;
  spec_status st = spec_get (ctx->config, "linux.intelRdt", JSON_OBJECT, &v);
  if (st != SPEC_ABSENT)
    floor_violation (ctx, RULE_INTEL_RDT, "linux.intelRdt", NULL, "is %s; Intel RDT is not allowed",
                     st == SPEC_OK ? "present" : spec_status_text (st));
}

/* Rule PERSONALITY: linux.personality's domain must be "LINUX" and it may
   have no flags.  No docker flag sets it.  */
void
floor_check_personality (struct floor_ctx *ctx)
{
  json_value *v = NULL;
  spec_status st = spec_get (ctx->config, "linux.personality", JSON_OBJECT, &v);
  if (st == SPEC_OK)
    {
      const char *domain = NULL;
      json_value *flags = NULL;
      spec_status sd = spec_get_string (v, "domain", &domain);
      spec_status sf = spec_get (v, "flags", JSON_ARRAY, &flags);
      if (sd != SPEC_OK || strcmp (domain, "LINUX") != 0)
        {
          cleanup_free char *value = spec_describe (json_object_get (v, "domain"));
          floor_violation (ctx, RULE_PERSONALITY, "linux.personality.domain", NULL,
                           "is %s; only \"LINUX\" is allowed", value);
        }
      if (sf != SPEC_ABSENT && !(sf == SPEC_OK && flags->u.array.len == 0))
        floor_violation (ctx, RULE_PERSONALITY, "linux.personality.flags", NULL,
                         "is %s; no personality flags are allowed",
                         sf == SPEC_OK ? "not empty" : spec_status_text (sf));
    }
  else if (st != SPEC_ABSENT)
    floor_violation (ctx, RULE_PERSONALITY, "linux.personality", NULL, "is %s",
                     spec_status_text (st));
}

/* A rootfsPropagation that keeps the container's mounts from the host's.  */
static bool
propagation_accepted (const char *propagation)
{
  static const char *const known[]
      = { "", "private", "rprivate", "slave", "rslave", "unbindable", "runbindable" };
  for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
    if (strcmp (known[i], propagation) == 0)
      return true;
  return false;
}

/* Rule ROOTFS_PROPAGATION: "shared"/"rshared" (mounts made in the
   container would reach the host) or a value runc does not know is
   refused.  Docker flag: remove shared propagation from -v.  */
void
floor_check_rootfs_propagation (struct floor_ctx *ctx)
{
  const char *propagation = NULL;
  spec_status st = spec_get_string (ctx->config, "linux.rootfsPropagation", &propagation);
  if (st == SPEC_OK)
    {
      if (!propagation_accepted (propagation))
        floor_violation (ctx, RULE_ROOTFS_PROPAGATION, "linux.rootfsPropagation",
                         "remove the shared/rshared propagation from -v/--mount",
                         "is \"%s\"; only private, slave and unbindable propagation are allowed",
                         propagation);
    }
  else if (st != SPEC_ABSENT)
    floor_violation (ctx, RULE_ROOTFS_PROPAGATION, "linux.rootfsPropagation", NULL, "is %s",
                     spec_status_text (st));
}

/* Harden INTEL_RDT, PERSONALITY and ROOTFS_PROPAGATION.
   linux.intelRdt (an object) is taken out: no caller needs it, and runc
   then leaves resctrl alone.  linux.personality with another domain than
   "LINUX", or flags, is taken out: runc then leaves the personality as it
   is, LINUX with no flags (a domain that is not a string, or flags that are
   not an array, stay for the rule to refuse).  A rootfsPropagation the rule
   refuses (shared, rshared, unknown) is taken out: runc then makes the root
   rslave, its default, so no mount made in the container reaches the host.
   null and other types stay for the rules to refuse.  */
void
floor_harden_kernel (struct floor_ctx *ctx)
{
  json_value *linux_obj = NULL;
  if (spec_get (ctx->config, "linux", JSON_OBJECT, &linux_obj) != SPEC_OK)
    return;

  json_value *v = NULL;
  if (spec_get (ctx->config, "linux.intelRdt", JSON_OBJECT, &v) == SPEC_OK)
    {
      cleanup_free char *was = spec_describe (v);
      json_object_remove (linux_obj, "intelRdt");
      floor_tightened (ctx, RULE_INTEL_RDT, "linux.intelRdt", "was %s; removed", was);
    }

  if (spec_get (ctx->config, "linux.personality", JSON_OBJECT, &v) == SPEC_OK)
    {
      const char *domain = NULL;
      json_value *flags = NULL;
      spec_status sd = spec_get_string (v, "domain", &domain);
      spec_status sf = spec_get (v, "flags", JSON_ARRAY, &flags);
      bool well_typed
          = (sd == SPEC_OK || sd == SPEC_ABSENT) && (sf == SPEC_OK || sf == SPEC_ABSENT);
      bool refused = sd != SPEC_OK || strcmp (domain, "LINUX") != 0
                     || (sf == SPEC_OK && flags->u.array.len > 0);
      if (well_typed && refused)
        {
          cleanup_free char *was = spec_describe (v);
          json_object_remove (linux_obj, "personality");
          floor_tightened (ctx, RULE_PERSONALITY, "linux.personality",
                           "was %s; removed (the personality stays LINUX, without flags)", was);
        }
    }

  const char *propagation = NULL;
  if (spec_get_string (ctx->config, "linux.rootfsPropagation", &propagation) == SPEC_OK
      && !propagation_accepted (propagation))
    {
      cleanup_free char *was = xstrdup (propagation);
      json_object_remove (linux_obj, "rootfsPropagation");
      floor_tightened (ctx, RULE_ROOTFS_PROPAGATION, "linux.rootfsPropagation",
                       "was \"%s\"; removed (runc then makes the root rslave)", was);
    }
}
