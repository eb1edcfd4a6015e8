/* policyrun floor: kernel surfaces.  Devices, the device cgroup, the /proc
   and /sys paths Docker masks or makes read-only, sysctls, and the odd
   kernel knobs (intelRdt, personality, cgroupsPath, rootfsPropagation).  */
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

/* ---- devices --------------------------------------------------------------- */

/* Rule "devices", part 1.
   Field: linux.devices.
   Refused: any device node created in the container (Docker's --device
   sends one entry each, --privileged every host device; the default is
   []), null or not an array.  One finding names the first few.
   Filled in: nothing.
   Docker flag: remove --device.  */
static void
check_linux_devices (struct floor_ctx *ctx)
{
  json_value *devices = NULL;
  spec_status st = spec_get (ctx->config, "linux.devices", JSON_ARRAY, &devices);
  if (st == SPEC_ABSENT)
    return;
  if (st != SPEC_OK)
    {
      floor_violation (ctx, "devices", "linux.devices", "remove --device", "is %s",
                       spec_status_text (st));
      return;
    }
  if (devices->u.array.len == 0)
    return;
  /* One finding for the list: --privileged sends a hundred entries.  */
  struct strbuf names = { 0 };
  size_t shown = 0;
  for (size_t i = 0; i < devices->u.array.len && shown < 4; i++, shown++)
    {
      const char *path = NULL;
      if (spec_get_string (devices->u.array.items[i], "path", &path) == SPEC_OK)
        strbuf_addf (&names, "%s\"%s\"", shown ? ", " : "", path);
      else
        {
          cleanup_free char *value = spec_describe (devices->u.array.items[i]);
          strbuf_addf (&names, "%s%s", shown ? ", " : "", value);
        }
    }
  size_t n = devices->u.array.len;
  floor_violation (ctx, "devices", "linux.devices", "remove --device",
                   "adds %zu device%s to the container: %s%s", n, n == 1 ? "" : "s", names.s,
                   n > shown ? ", ..." : "");
  strbuf_free (&names);
}

/* The character devices every container may use: what Docker's default
   rules and runc's own defaults allow (null, zero, full, random, urandom,
   tty, console, ptmx, and the pseudo-terminals, major 136).  minor -1
   stands for any.  */
static const struct
{
  int64_t major, minor;
} allowed_char_devices[] = {
  { 1, 3 }, { 1, 5 }, { 1, 7 }, { 1, 8 }, { 1, 9 }, { 5, 0 }, { 5, 1 }, { 5, 2 }, { 136, -1 },
};

struct dev_rule
{
  bool allow;
  char type;     /* 'a', 'b' or 'c' */
  int64_t major; /* -1: any */
  int64_t minor; /* -1: any */
  const char *access;
};

/* Read one LinuxDeviceCgroup as runc does: type "" is 'a', a missing major
   or minor is -1 (any).  Returns false, with a violation, when a field has
   the wrong type or a value runc would not take.  */
static bool
read_dev_rule (struct floor_ctx *ctx, const json_value *r, size_t i, struct dev_rule *out)
{
  cleanup_free char *field = xasprintf ("linux.resources.devices[%zu]", i);
  if (r->type != JSON_OBJECT)
    {
      cleanup_free char *value = spec_describe (r);
      floor_violation (ctx, "devices", field, NULL, "is %s, not a device rule", value);
      return false;
    }
  *out = (struct dev_rule){ .allow = false, .type = 'a', .major = -1, .minor = -1, .access = "" };
  spec_status st = spec_get_bool (r, "allow", &out->allow);
  if (st != SPEC_OK && st != SPEC_ABSENT)
    {
      floor_violation (ctx, "devices", field, NULL, "has an \"allow\" that is %s",
                       spec_status_text (st));
      return false;
    }
  const char *type = "";
  st = spec_get_string (r, "type", &type);
  if ((st != SPEC_OK && st != SPEC_ABSENT)
      || !(type[0] == '\0'
           || ((type[0] == 'a' || type[0] == 'b' || type[0] == 'c') && type[1] == '\0')))
    {
      floor_violation (ctx, "devices", field, NULL, "has a type that is not \"a\", \"b\" or \"c\"");
      return false;
    }
  if (type[0] != '\0')
    out->type = type[0];
  static const char *const numbers[] = { "major", "minor" };
  for (size_t k = 0; k < 2; k++)
    {
      int64_t n = -1;
      st = spec_get_int (r, numbers[k], -1, SPEC_INT64_MAX, &n);
      if (st != SPEC_OK && st != SPEC_ABSENT)
        {
          floor_violation (ctx, "devices", field, NULL, "has a %s that is %s (or below -1)",
                           numbers[k], spec_status_text (st));
          return false;
        }
      if (k == 0)
        out->major = n;
      else
        out->minor = n;
    }
  st = spec_get_string (r, "access", &out->access);
  if ((st != SPEC_OK && st != SPEC_ABSENT) || out->access[strspn (out->access, "rwm")] != '\0')
    {
      floor_violation (ctx, "devices", field, NULL,
                       "has an access that is not made of \"r\", \"w\" and \"m\"");
      return false;
    }
  return true;
}

static bool
dev_rule_is_deny_all (const struct dev_rule *r)
{
  return !r->allow && r->type == 'a' && r->major == -1 && r->minor == -1 && strchr (r->access, 'r')
         && strchr (r->access, 'w') && strchr (r->access, 'm');
}

static bool
dev_rule_allowed (const struct dev_rule *r)
{
  if (r->type != 'c' || r->major == -1 || r->access[0] == '\0')
    return false;
  for (size_t i = 0; i < sizeof allowed_char_devices / sizeof allowed_char_devices[0]; i++)
    if (allowed_char_devices[i].major == r->major
        && (allowed_char_devices[i].minor == -1
                ? true
                : (r->minor != -1 && allowed_char_devices[i].minor == r->minor)))
      return true;
  return false;
}

static char *
dev_rule_text (const struct dev_rule *r)
{
  char major[24], minor[24];
  if (r->major == -1)
    strcpy (major, "*");
  else
    snprintf (major, sizeof major, "%" PRId64, r->major);
  if (r->minor == -1)
    strcpy (minor, "*");
  else
    snprintf (minor, sizeof minor, "%" PRId64, r->minor);
  return xasprintf ("%c %s:%s %s", r->type, major, minor, r->access);
}

static void
fill_deny_all (struct floor_ctx *ctx, const char *was)
{
  json_value *rules = json_new_array ();
  json_value *deny = json_new_object ();
  json_object_set (deny, "allow", json_new_bool (false));
  json_object_set (deny, "access", json_new_string ("rwm"));
  json_array_append (rules, deny);
  cleanup_free char *err = NULL;
  if (spec_set (ctx->config, "linux.resources.devices", rules, &err) < 0)
    floor_violation (ctx, "devices", "linux.resources.devices", NULL,
                     "%s and cannot be filled in: %s", was, err);
  else
    floor_tightened (ctx, "devices", "linux.resources.devices",
                     "%s; set to deny every device ([{\"allow\":false,\"access\":\"rwm\"}])", was);
}

/* Signs that the config is docker run --privileged's: host devices in
   linux.devices, CAP_SYS_ADMIN in the bounding set, or no masked paths.
   Without them, an allow-all device rule came from --device-cgroup-rule
   (Docker puts those after its deny-all; --privileged sends allow-all
   alone).  */
static bool
looks_privileged (const struct floor_ctx *ctx)
{
  json_value *v = NULL;
  if (spec_get (ctx->config, "linux.devices", JSON_ARRAY, &v) == SPEC_OK && v->u.array.len > 0)
    return true;
  if (spec_get (ctx->config, "linux.maskedPaths", JSON_ARRAY, &v) == SPEC_ABSENT)
    return true;
  if (spec_get (ctx->config, "process.capabilities.bounding", JSON_ARRAY, &v) == SPEC_OK)
    for (size_t i = 0; i < v->u.array.len; i++)
      if (v->u.array.items[i]->type == JSON_STRING
          && strcmp (v->u.array.items[i]->u.string.s, "CAP_SYS_ADMIN") == 0)
        return true;
  return false;
}

/* Rule "devices".
   Fields: linux.devices, linux.resources.devices.
   Refused: any linux.devices entry; device cgroup rules that do not start
   with deny-all ({"allow":false,"access":"rwm"}, type "a" or none, no
   major/minor), and any allow rule other than the character devices every
   container has (1:3 null, 1:5 zero, 1:7 full, 1:8 random, 1:9 urandom,
   5:0 tty, 5:1 console, 5:2 ptmx, 136:* pts): block devices, allow-all
   (--privileged), fuse, ...; null, or rules runc would not take.
   Filled in: absent or empty resources.devices becomes deny-all (runc
   appends its own allow rules for the devices above).
   Docker flags: remove --device, --device-cgroup-rule, --privileged (an
   allow-all rule is --privileged's only with its other signs, see
   looks_privileged).  */
void
floor_check_devices (struct floor_ctx *ctx)
{
  check_linux_devices (ctx);
  const char *allow_all_fix
      = looks_privileged (ctx) ? "remove --privileged" : "remove --device-cgroup-rule";

  json_value *rules = NULL;
  spec_status st = spec_get (ctx->config, "linux.resources.devices", JSON_ARRAY, &rules);
  if (st == SPEC_ABSENT)
    {
      /* Only when resources is absent or an object: a null or mistyped
         resources is the resource rules' to report.  */
      fill_deny_all (ctx, "was absent");
      return;
    }
  if (st != SPEC_OK)
    {
      floor_violation (ctx, "devices", "linux.resources.devices", "remove --privileged", "is %s",
                       spec_status_text (st));
      return;
    }
  if (rules->u.array.len == 0)
    {
      fill_deny_all (ctx, "was empty");
      return;
    }
  for (size_t i = 0; i < rules->u.array.len; i++)
    {
      struct dev_rule r;
      if (!read_dev_rule (ctx, rules->u.array.items[i], i, &r))
        continue;
      cleanup_free char *field = xasprintf ("linux.resources.devices[%zu]", i);
      cleanup_free char *text = dev_rule_text (&r);
      if (i == 0 && !dev_rule_is_deny_all (&r))
        floor_violation (ctx, "devices", field, allow_all_fix,
                         "is \"%s %s\"; the first rule must deny every device",
                         r.allow ? "allow" : "deny", text);
      else if (i == 0 || !r.allow)
        continue;
      else if (r.type == 'a' || (r.major == -1 && r.minor == -1))
        floor_violation (ctx, "devices", field, "remove --device-cgroup-rule",
                         "allows every %sdevice (%s)",
                         r.type == 'b'   ? "block "
                         : r.type == 'c' ? "character "
                                         : "",
                         text);
      else if (!dev_rule_allowed (&r))
        floor_violation (ctx, "devices", field, "remove --device and --device-cgroup-rule",
                         "allows the device %s", text);
    }
}

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

/* p without duplicate, trailing or "." components, for comparing list
   entries the way runc resolves them ("/proc//kcore/" is /proc/kcore).
   ".." is left alone: an entry with it simply does not count.  */
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

static void
check_path_list (struct floor_ctx *ctx, const char *name, const char *const *defaults, size_t n,
                 const struct strv_list *extras)
{
  json_value *list = NULL;
  spec_status st = spec_get (ctx->config, name, JSON_ARRAY, &list);
  const char *fix = "remove --security-opt systempaths=unconfined and --privileged";
  if (st == SPEC_ABSENT)
    {
      json_value *fill = json_new_array ();
      for (size_t k = 0; k < n; k++)
        json_array_append (fill, json_new_string (defaults[k]));
      for (size_t k = 0; k < extras->len; k++)
        json_array_append (fill, json_new_string (extras->items[k]));
      cleanup_free char *err = NULL;
      if (spec_set (ctx->config, name, fill, &err) < 0)
        floor_violation (ctx, "masked-paths", name, fix, "is absent and cannot be filled in: %s",
                         err);
      else
        floor_tightened (ctx, "masked-paths", name, "was absent; set to Docker's %zu defaults",
                         n + extras->len);
      return;
    }
  if (st != SPEC_OK)
    {
      floor_violation (ctx, "masked-paths", name, fix, "is %s", spec_status_text (st));
      return;
    }

  bool ok = true;
  for (size_t i = 0; i < list->u.array.len; i++)
    if (list->u.array.items[i]->type != JSON_STRING)
      {
        cleanup_free char *field = xasprintf ("%s[%zu]", name, i);
        cleanup_free char *value = spec_describe (list->u.array.items[i]);
        floor_violation (ctx, "masked-paths", field, fix, "is %s, not a path", value);
        ok = false;
      }
  if (!ok)
    return;

  struct strbuf missing = { 0 };
  size_t n_missing = 0;
  for (size_t k = 0; k < n; k++)
    {
      bool found = false;
      for (size_t i = 0; i < list->u.array.len && !found; i++)
        {
          cleanup_free char *entry = squeeze (list->u.array.items[i]->u.string.s);
          found = strcmp (entry, defaults[k]) == 0;
        }
      if (!found)
        {
          strbuf_addf (&missing, "%s%s", n_missing ? ", " : "", defaults[k]);
          n_missing++;
        }
    }
  if (n_missing > 0)
    floor_violation (ctx, "masked-paths", name, fix, "lacks %s", missing.s);
  strbuf_free (&missing);
  if (n_missing > 0)
    return;

  /* Newer Docker's additions: filled in, not required.  */
  struct strbuf added = { 0 };
  size_t n_added = 0;
  for (size_t k = 0; k < extras->len; k++)
    {
      bool found = false;
      for (size_t i = 0; i < list->u.array.len && !found; i++)
        {
          cleanup_free char *entry = squeeze (list->u.array.items[i]->u.string.s);
          found = strcmp (entry, extras->items[k]) == 0;
        }
      if (found)
        continue;
      json_array_append (list, json_new_string (extras->items[k]));
      strbuf_addf (&added, "%s%s", n_added++ ? ", " : "", extras->items[k]);
    }
  if (n_added > 0)
    floor_tightened (ctx, "masked-paths", name, "lacked newer Docker's %s; added", added.s);
  strbuf_free (&added);
}

/* Rule "masked-paths".
   Fields: linux.maskedPaths, linux.readonlyPaths.
   Refused: lists that lack any of Docker 20.10's defaults (masked
   /proc/asound, /proc/acpi, /proc/kcore, /proc/keys, /proc/latency_stats,
   /proc/timer_list, /proc/timer_stats, /proc/sched_debug, /proc/scsi,
   /sys/firmware; read-only /proc/bus, /proc/fs, /proc/irq, /proc/sys,
   /proc/sysrq-trigger), null, or entries that are not strings.  More
   entries are welcome.
   Filled in: current Docker's newer masked paths (/proc/interrupts,
   /sys/devices/virtual/powercap, each CPU's thermal_throttle) when the
   list lacks them; an absent list gets all the defaults (Docker leaves the
   lists out with --privileged or systempaths=unconfined, which other rules
   refuse).
   Docker flags: remove --security-opt systempaths=unconfined, --privileged.  */
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

/* ---- sysctl -------------------------------------------------------------------- */

/* A key runc writes below /proc/sys/net (it turns dots into slashes) and
   nothing else: "net." and then components of letters, digits, "_" and "-"
   (interface names may also hold "." as "/", as sysctl(8) writes them).  */
static bool
sysctl_key_is_net (const char *key)
{
  if (strncmp (key, "net.", 4) != 0)
    return false;
  const char *s = key + 4;
  if (*s == '\0' || *s == '.' || *s == '/')
    return false;
  for (const char *c = s; *c != '\0'; c++)
    {
      bool sep = *c == '.' || *c == '/';
      if (!(sep || (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9')
            || *c == '_' || *c == '-'))
        return false;
      /* No empty components: "net..x", "net./x", a trailing separator.  */
      if (sep && (c[1] == '\0' || c[1] == '.' || c[1] == '/'))
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

/* Rule "sysctl".
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
      floor_violation (ctx, "sysctl", "linux.sysctl", NULL, "is %s", spec_status_text (st));
      return;
    }
  bool own_ipc = has_own_namespace (ctx, "ipc");
  bool own_uts = has_own_namespace (ctx, "uts");
  for (size_t i = 0; i < sysctl->u.object.len; i++)
    {
      const struct json_member *m = &sysctl->u.object.members[i];
      cleanup_free char *field = xasprintf ("linux.sysctl.%s", m->key);
      bool ipc = sysctl_key_is_mqueue (m->key);
      for (size_t k = 0; !ipc && k < sizeof ipc_sysctls / sizeof ipc_sysctls[0]; k++)
        ipc = strcmp (m->key, ipc_sysctls[k]) == 0;
      bool uts = strcmp (m->key, "kernel.domainname") == 0;
      if (ipc && !own_ipc)
        floor_violation (ctx, "sysctl", field, "remove --ipc host",
                         "is set without an ipc namespace of the container's own: it would "
                         "change the host's");
      else if (uts && !own_uts)
        floor_violation (ctx, "sysctl", field, "remove --uts host",
                         "is set without a uts namespace of the container's own: it would "
                         "change the host's");
      else if (!ipc && !uts && !sysctl_key_is_net (m->key))
        floor_violation (ctx, "sysctl", field, "remove that --sysctl",
                         "is set; only net.*, the IPC sysctls (kernel.shm*, kernel.msg*, "
                         "kernel.sem, fs.mqueue.*) and kernel.domainname, which stay in the "
                         "container's own namespaces, are allowed");
      else if (m->value->type != JSON_STRING)
        floor_violation (ctx, "sysctl", field, "remove that --sysctl", "is %s, not a string",
                         m->value->type == JSON_NULL ? "null" : json_type_name (m->value->type));
    }
}

/* ---- cgroupsPath -------------------------------------------------------------- */

/* Where policyrun looks for systemd's unit files; a test seam.  */
extern const char *floor_systemd_root;
const char *floor_systemd_root = "";

static const char *const cgroup_fix = "remove --cgroup-parent";

/* cgroupsPath "a/b/c" or systemd's "slice:prefix:name": a ".." component
   climbs to another cgroup, "/" alone is the root cgroup.  */
static bool
cgroups_path_climbs (const char *p)
{
  for (const char *s = p; *s != '\0';)
    {
      size_t n = strcspn (s, "/:");
      if (n == 2 && s[0] == '.' && s[1] == '.')
        return true;
      s += n;
      if (*s != '\0')
        s++;
    }
  return false;
}

static bool
cgroups_path_is_root (const char *p)
{
  if (p[0] != '/')
    return false;
  for (const char *s = p; *s != '\0';)
    {
      size_t n = strcspn (s, "/");
      if (!(n == 0 || (n == 1 && s[0] == '.')))
        return false;
      s += n;
      if (*s != '\0')
        s++;
    }
  return true;
}

/* One cgroup hierarchy as /proc/self/mountinfo shows it.  */
struct cg_mount
{
  char *mountpoint;
  char *root;      /* the cgroup the mount shows as its top ("/" on the host) */
  char *superopts; /* v1: "rw,memory", "rw,cpu,cpuacct", "rw,name=systemd" */
  bool v2;         /* cgroup2 */
};

struct cg_mounts
{
  struct cg_mount *items;
  size_t len;
};

static void
cg_mounts_free (struct cg_mounts *m)
{
  for (size_t i = 0; i < m->len; i++)
    {
      free (m->items[i].mountpoint);
      free (m->items[i].root);
      free (m->items[i].superopts);
    }
  free (m->items);
  m->items = NULL;
  m->len = 0;
}

/* A mountinfo field with the kernel's octal escapes (\040) undone.  */
static char *
mountinfo_unescape (const char *s, size_t n)
{
  char *out = xmalloc (n + 1);
  size_t len = 0;
  for (size_t i = 0; i < n; i++)
    if (s[i] == '\\' && i + 3 < n && s[i + 1] >= '0' && s[i + 1] <= '3' && s[i + 2] >= '0'
        && s[i + 2] <= '7' && s[i + 3] >= '0' && s[i + 3] <= '7')
      {
        out[len++] = (char)(((s[i + 1] - '0') << 6) | ((s[i + 2] - '0') << 3) | (s[i + 3] - '0'));
        i += 3;
      }
    else
      out[len++] = s[i];
  out[len] = '\0';
  return out;
}

/* The i-th space-separated field of line (0-based), or NULL.  */
static const char *
field_at (const char *line, size_t i, size_t *n)
{
  const char *s = line;
  for (size_t k = 0; k < i; k++)
    {
      s = strchr (s, ' ');
      if (s == NULL)
        return NULL;
      s++;
    }
  *n = strcspn (s, " \n");
  return s;
}

/* Every cgroup and cgroup2 mount.  Returns false when the file cannot be
   read or a cgroup line cannot be parsed.  */
static bool
cg_mounts_load (const char *path, struct cg_mounts *out)
{
  cleanup_fclose FILE *f = fopen (path, "re");
  if (f == NULL)
    return false;
  cleanup_free char *line = NULL;
  size_t cap = 0;
  size_t alloc = 0;
  while (getline (&line, &cap, f) > 0)
    {
      /* ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTS [OPTIONAL...] - FSTYPE SOURCE SUPEROPTS */
      const char *dash = strstr (line, " - ");
      if (dash == NULL)
        return false;
      size_t tn = 0, sn = 0, rn = 0, mn = 0;
      const char *type = field_at (dash + 3, 0, &tn);
      const char *super = field_at (dash + 3, 2, &sn);
      if (type == NULL)
        return false;
      bool v1 = tn == 6 && strncmp (type, "cgroup", 6) == 0;
      bool v2 = tn == 7 && strncmp (type, "cgroup2", 7) == 0;
      if (!v1 && !v2)
        continue;
      const char *root = field_at (line, 3, &rn);
      const char *mnt = field_at (line, 4, &mn);
      if (root == NULL || mnt == NULL || super == NULL || mnt > dash)
        return false;
      if (out->len == alloc)
        {
          alloc = alloc ? alloc * 2 : 16;
          out->items = xrealloc (out->items, alloc * sizeof *out->items);
        }
      out->items[out->len++] = (struct cg_mount){
        .mountpoint = mountinfo_unescape (mnt, mn),
        .root = mountinfo_unescape (root, rn),
        .superopts = xstrndup (super, sn),
        .v2 = v2,
      };
    }
  return !ferror (f);
}

/* item is one of the comma-separated items of list.  */
static bool
list_has (const char *list, const char *item, size_t n)
{
  for (const char *s = list; *s != '\0';)
    {
      size_t k = strcspn (s, ",");
      if (k == n && memcmp (s, item, n) == 0)
        return true;
      s += k;
      if (*s == ',')
        s++;
    }
  return false;
}

/* The cgroup that the /proc/PID/cgroup file at path gives for the
   hierarchy of m ("4:memory:/a/b" for v1 controllers, "0::/a/b" for v2),
   or NULL.  */
static char *
own_cgroup (const char *path, const struct cg_mount *m)
{
  cleanup_fclose FILE *f = fopen (path, "re");
  if (f == NULL)
    return NULL;
  cleanup_free char *line = NULL;
  size_t cap = 0;
  ssize_t len;
  while ((len = getline (&line, &cap, f)) > 0)
    {
      if (line[len - 1] == '\n')
        line[--len] = '\0';
      char *c1 = strchr (line, ':');
      char *c2 = c1 ? strchr (c1 + 1, ':') : NULL;
      if (c2 == NULL || c2[1] != '/')
        continue;
      const char *ctl = c1 + 1;
      size_t ctl_len = (size_t)(c2 - ctl);
      bool match;
      if (m->v2)
        match = ctl_len == 0 && strncmp (line, "0:", 2) == 0;
      else
        {
          /* Every controller of the line is one of the mount's.  */
          match = ctl_len > 0;
          for (const char *s = ctl; match && s < c2;)
            {
              size_t k = strcspn (s, ",:");
              match = list_has (m->superopts, s, k);
              s += k + 1;
            }
        }
      if (match)
        return xstrdup (c2 + 1);
    }
  return NULL;
}

/* cg (absolute) as seen below mount root root: "" for root itself, "a/b"
   below it; NULL when the mount does not show it.  */
static const char *
below_root (const char *cg, const char *root)
{
  if (strcmp (root, "/") == 0)
    return cg + 1;
  size_t n = strlen (root);
  if (strncmp (cg, root, n) != 0 || (cg[n] != '\0' && cg[n] != '/'))
    return NULL;
  return cg[n] == '/' ? cg + n + 1 : cg + n;
}

/* What is at a cgroup path: 0 nothing, 1 something, -1 cannot tell.  */
static int
cg_exists (const char *path)
{
  struct stat sb;
  if (lstat (path, &sb) == 0)
    return 1;
  return errno == ENOENT ? 0 : -1;
}

struct cg_check
{
  struct floor_ctx *ctx;
  const char *what; /* "is \"/docker\"", for the message */
  const char *fix;
  bool refused;
};

/* Refuse once when path (dir + "/" + a + "/" + b, cleaned) exists.  */
static void
cg_probe (struct cg_check *c, const char *dir, const char *a, const char *b)
{
  if (c->refused)
    return;
  cleanup_free char *joined = xasprintf ("%s/%s/%s", dir, a, b);
  cleanup_free char *path = path_clean (joined);
  int r = cg_exists (path);
  if (r == 0)
    return;
  c->refused = true;
  if (r > 0)
    floor_violation (c->ctx, "kernel", "linux.cgroupsPath", c->fix,
                     "%s, which names the existing cgroup %s: runc would join it and write the "
                     "container's limits into it",
                     c->what, path);
  else
    floor_violation (c->ctx, "kernel", "linux.cgroupsPath", c->fix,
                     "%s; whether the cgroup %s exists cannot be checked (%s)", c->what, path,
                     strerror (errno));
}

static bool
cg_load_or_refuse (struct cg_check *c, struct cg_mounts *mounts)
{
  const char *mi = c->ctx->host && c->ctx->host->mountinfo_path ? c->ctx->host->mountinfo_path
                                                                : "/proc/self/mountinfo";
  if (!cg_mounts_load (mi, mounts) || mounts->len == 0)
    {
      floor_violation (c->ctx, "kernel", "linux.cgroupsPath", NULL,
                       "%s; the cgroup hierarchies cannot be read from %s", c->what, mi);
      return false;
    }
  return true;
}

static const char *
proc_cgroup (const struct floor_ctx *ctx)
{
  return ctx->host && ctx->host->proc_cgroup_path ? ctx->host->proc_cgroup_path
                                                  : "/proc/self/cgroup";
}

/* cgroupfs driver: inner is runc's innerPath (absolute, or relative to the
   delegate's own cgroup, which is policyrun's: it execs the delegate).  */
static void
check_cgroupfs_path (struct cg_check *c, const char *inner)
{
  cleanup_free char *clean = path_clean (inner);
  struct cg_mounts mounts = { 0 };
  if (!cg_load_or_refuse (c, &mounts))
    return;
  for (size_t i = 0; i < mounts.len && !c->refused; i++)
    {
      const struct cg_mount *m = &mounts.items[i];
      if (clean[0] == '/')
        {
          cg_probe (c, m->mountpoint, clean, "");
          continue;
        }
      cleanup_free char *own = own_cgroup (proc_cgroup (c->ctx), m);
      if (own == NULL)
        {
          floor_violation (c->ctx, "kernel", "linux.cgroupsPath", c->fix,
                           "%s, relative to the runtime's own cgroup, which %s does not give "
                           "for the hierarchy at %s",
                           c->what, proc_cgroup (c->ctx), m->mountpoint);
          c->refused = true;
          break;
        }
      const char *rel = below_root (own, m->root);
      if (rel == NULL)
        continue; /* this mount does not show that part of the tree */
      cg_probe (c, m->mountpoint, rel, clean);
      if (m->v2)
        {
          /* runc's v2 driver goes one level up from its own cgroup.  */
          cleanup_free char *up = xasprintf ("%s/..", rel);
          cleanup_free char *parent = path_clean (up);
          if (strncmp (parent, "..", 2) != 0)
            cg_probe (c, m->mountpoint, parent, clean);
        }
    }
  cg_mounts_free (&mounts);
}

/* systemd's slice name to its cgroup path, as runc's ExpandSlice:
   "a-b.slice" is /a.slice/a-b.slice, "-.slice" is /.  NULL when systemd
   and runc would not take it.  */
static char *
expand_slice (const char *slice)
{
  size_t n = strlen (slice);
  if (n <= 6 || strcmp (slice + n - 6, ".slice") != 0 || strchr (slice, '/') != NULL)
    return strcmp (slice, "-.slice") == 0 ? xstrdup ("/") : NULL;
  if (strcmp (slice, "-.slice") == 0)
    return xstrdup ("/");
  struct strbuf path = { 0 };
  size_t base = n - 6;
  for (size_t s = 0; s <= base;)
    {
      size_t e = s;
      while (e < base && slice[e] != '-')
        e++;
      if (e == s)
        {
          strbuf_free (&path);
          return NULL;
        }
      strbuf_addf (&path, "/%.*s.slice", (int)e, slice);
      s = e + 1;
    }
  return path.s;
}

/* Units systemd always has, whether or not a file names them.  */
static const char *const builtin_units[]
    = { "-.slice", "system.slice", "user.slice", "machine.slice", "init.scope" };

/* Where unit files and transient units live.  */
static const char *const unit_dirs[] = {
  "/etc/systemd/system",    "/run/systemd/system",           "/run/systemd/transient",
  "/run/systemd/generator", "/usr/local/lib/systemd/system", "/usr/lib/systemd/system",
  "/lib/systemd/system",
};

static void
check_unit_exists (struct cg_check *c, const char *unit)
{
  for (size_t i = 0; i < sizeof builtin_units / sizeof builtin_units[0]; i++)
    if (strcmp (unit, builtin_units[i]) == 0)
      {
        floor_violation (c->ctx, "kernel", "linux.cgroupsPath", c->fix,
                         "%s, which names the systemd unit %s, which always exists: runc would "
                         "join it, and delete would stop it",
                         c->what, unit);
        c->refused = true;
        return;
      }
  for (size_t i = 0; i < sizeof unit_dirs / sizeof unit_dirs[0]; i++)
    {
      cleanup_free char *path = xasprintf ("%s%s/%s", floor_systemd_root, unit_dirs[i], unit);
      int r = cg_exists (path);
      if (r != 0)
        {
          floor_violation (c->ctx, "kernel", "linux.cgroupsPath", c->fix,
                           r > 0 ? "%s, which names the existing systemd unit %s (%s): runc "
                                   "would join it, and delete would stop it"
                                 : "%s; whether the systemd unit %s exists cannot be checked "
                                   "(%s)",
                           c->what, unit, path);
          c->refused = true;
          return;
        }
    }
}

/* systemd driver: "slice:prefix:name" (absent: runc's own default,
   "system.slice", prefix "runc", the container's id).  */
static void
check_systemd_path (struct cg_check *c, const char *raw, const char *id)
{
  cleanup_free char *parent = NULL, *prefix = NULL, *name = NULL;
  if (raw == NULL)
    {
      prefix = xstrdup ("runc");
      name = xstrdup (id);
    }
  else
    {
      const char *c1 = strchr (raw, ':');
      const char *c2 = c1 ? strchr (c1 + 1, ':') : NULL;
      if (c2 == NULL || strchr (c2 + 1, ':') != NULL)
        {
          floor_violation (c->ctx, "kernel", "linux.cgroupsPath", c->fix,
                           "%s, not \"slice:prefix:name\", which --systemd-cgroup needs", c->what);
          return;
        }
      parent = xstrndup (raw, (size_t)(c1 - raw));
      prefix = xstrndup (c1 + 1, (size_t)(c2 - c1 - 1));
      name = xstrdup (c2 + 1);
    }
  if (strchr (prefix, '/') != NULL || strchr (name, '/') != NULL || name[0] == '\0')
    {
      floor_violation (c->ctx, "kernel", "linux.cgroupsPath", c->fix,
                       "%s; the prefix and name of \"slice:prefix:name\" must be plain names",
                       c->what);
      return;
    }
  cleanup_free char *slice_path
      = parent == NULL || parent[0] == '\0' ? xstrdup ("/system.slice") : expand_slice (parent);
  if (slice_path == NULL)
    {
      floor_violation (c->ctx, "kernel", "linux.cgroupsPath", c->fix,
                       "%s; \"%s\" is not a systemd slice name (NAME.slice, no \"/\", no empty "
                       "\"-\" part)",
                       c->what, parent);
      return;
    }
  size_t nl = strlen (name);
  bool is_slice = nl >= 6 && strcmp (name + nl - 6, ".slice") == 0;
  cleanup_free char *unit = is_slice ? xstrdup (name) : xasprintf ("%s-%s.scope", prefix, name);
  cleanup_free char *unit_slice = is_slice ? expand_slice (name) : NULL;
  if (is_slice && unit_slice == NULL)
    {
      floor_violation (c->ctx, "kernel", "linux.cgroupsPath", c->fix,
                       "%s; \"%s\" is not a systemd slice name", c->what, name);
      return;
    }
  check_unit_exists (c, unit);
  if (c->refused)
    return;

  /* The cgroup of the unit: below the slice, on v1 also below pid 1's
     cgroup (runc's getSubsystemPath); a slice unit also has its own.  */
  struct cg_mounts mounts = { 0 };
  if (!cg_load_or_refuse (c, &mounts))
    return;
  const char *init_file = c->ctx->host && c->ctx->host->proc_cgroup_path
                              ? c->ctx->host->proc_cgroup_path
                              : "/proc/1/cgroup";
  for (size_t i = 0; i < mounts.len && !c->refused; i++)
    {
      const struct cg_mount *m = &mounts.items[i];
      cg_probe (c, m->mountpoint, slice_path, unit);
      if (unit_slice != NULL)
        cg_probe (c, m->mountpoint, unit_slice, "");
      if (m->v2)
        continue;
      cleanup_free char *init = own_cgroup (init_file, m);
      const char *rel = init ? below_root (init, m->root) : NULL;
      if (rel != NULL)
        {
          cleanup_free char *base = xstrdup (rel);
          size_t bl = strlen (base);
          if (bl >= 10 && strcmp (base + bl - 10, "init.scope") == 0)
            base[bl - 10] = '\0';
          cleanup_free char *dir = xasprintf ("%s/%s", m->mountpoint, base);
          cg_probe (c, dir, slice_path, unit);
        }
    }
  cg_mounts_free (&mounts);
}

/* Rule "kernel", cgroupsPath part.  runc 1.1 joins a cgroup (or systemd
   unit) that already exists, with a warning, and writes the container's
   limits into it: a host service's cgroup gets the container's limits, a
   shared parent pools containers under one budget, and delete stops a
   unit it did not start.  */
static void
check_cgroups_path (struct floor_ctx *ctx)
{
  const char *raw = NULL;
  spec_status st = spec_get_string (ctx->config, "linux.cgroupsPath", &raw);
  if (st != SPEC_OK && st != SPEC_ABSENT)
    {
      floor_violation (ctx, "kernel", "linux.cgroupsPath", NULL, "is %s", spec_status_text (st));
      return;
    }
  if (st == SPEC_OK && raw[0] == '\0')
    raw = NULL; /* runc treats "" as absent */
  const char *id = ctx->host ? ctx->host->container_id : NULL;
  bool systemd = ctx->host && ctx->host->systemd_cgroup;
  cleanup_free char *what
      = raw ? xasprintf ("is \"%s\"", raw)
            : xasprintf ("is absent, so runc uses %s%s%s",
                         systemd ? "the unit runc-" : "the cgroup ", id ? id : "",
                         systemd ? ".scope in system.slice" : " below its own cgroup");
  struct cg_check c = { .ctx = ctx, .what = what, .fix = raw ? cgroup_fix : NULL };

  if (raw != NULL && !systemd && cgroups_path_is_root (raw))
    {
      floor_violation (ctx, "kernel", "linux.cgroupsPath", cgroup_fix,
                       "is \"%s\", the root cgroup, which the floor's limits cannot hold", raw);
      return;
    }
  if (raw != NULL && cgroups_path_climbs (raw))
    {
      floor_violation (ctx, "kernel", "linux.cgroupsPath", cgroup_fix,
                       "is \"%s\"; a \"..\" component climbs to another cgroup", raw);
      return;
    }
  if (raw == NULL && id == NULL)
    return; /* policyrun check: no container, no name to look for */
  if (systemd)
    check_systemd_path (&c, raw, id);
  else
    check_cgroupfs_path (&c, raw ? raw : id);
}

/* Rule "kernel".
   Fields: linux.intelRdt, linux.personality, linux.cgroupsPath,
   linux.rootfsPropagation.
   Refused: intelRdt present (null too: no caller sends it); a personality
   whose domain is not "LINUX" or that has flags; a cgroupsPath that is not a
   string, is the root cgroup ("/", "//", "/."), or has a ".." component;
   rootfsPropagation "shared"/"rshared" (mounts made in the container would
   reach the host) or a value runc does not know.
   Filled in: nothing.
   Docker flags: none for intelRdt and personality; remove --cgroup-parent
   for a cgroupsPath; remove shared propagation from -v for rootfsPropagation.  */
void
floor_check_kernel_misc (struct floor_ctx *ctx)
{
  json_value *v = NULL;
  spec_status st = spec_get (ctx->config, "linux.intelRdt", JSON_OBJECT, &v);
  if (st != SPEC_ABSENT)
    floor_violation (ctx, "kernel", "linux.intelRdt", NULL, "is %s; Intel RDT is not allowed",
                     st == SPEC_OK ? "present" : spec_status_text (st));

  st = spec_get (ctx->config, "linux.personality", JSON_OBJECT, &v);
  if (st == SPEC_OK)
    {
      const char *domain = NULL;
      json_value *flags = NULL;
      spec_status sd = spec_get_string (v, "domain", &domain);
      spec_status sf = spec_get (v, "flags", JSON_ARRAY, &flags);
      if (sd != SPEC_OK || strcmp (domain, "LINUX") != 0)
        {
          cleanup_free char *value = spec_describe (json_object_get (v, "domain"));
          floor_violation (ctx, "kernel", "linux.personality.domain", NULL,
                           "is %s; only \"LINUX\" is allowed", value);
        }
      if (sf != SPEC_ABSENT && !(sf == SPEC_OK && flags->u.array.len == 0))
        floor_violation (ctx, "kernel", "linux.personality.flags", NULL,
                         "is %s; no personality flags are allowed",
                         sf == SPEC_OK ? "not empty" : spec_status_text (sf));
    }
  else if (st != SPEC_ABSENT)
    floor_violation (ctx, "kernel", "linux.personality", NULL, "is %s", spec_status_text (st));

  check_cgroups_path (ctx);

  const char *propagation = NULL;
  st = spec_get_string (ctx->config, "linux.rootfsPropagation", &propagation);
  static const char *const known[]
      = { "", "private", "rprivate", "slave", "rslave", "unbindable", "runbindable" };
  if (st == SPEC_OK)
    {
      bool ok = false;
      for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        ok = ok || strcmp (known[i], propagation) == 0;
      if (!ok)
        floor_violation (ctx, "kernel", "linux.rootfsPropagation",
                         "remove the shared/rshared propagation from -v/--mount",
                         "is \"%s\"; only private, slave and unbindable propagation are allowed",
                         propagation);
    }
  else if (st != SPEC_ABSENT)
    floor_violation (ctx, "kernel", "linux.rootfsPropagation", NULL, "is %s",
                     spec_status_text (st));
}
