/* policyrun floor: kernel surfaces.  Devices, the device cgroup, the /proc
   and /sys paths Docker masks or makes read-only, sysctls, and the odd
   kernel knobs (intelRdt, personality, cgroupsPath, rootfsPropagation).  */
#include "config.h"
#include "floor.h"

#include <inttypes.h>
#include <string.h>

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
   Docker flags: remove --device, --device-cgroup-rule, --privileged.  */
void
floor_check_devices (struct floor_ctx *ctx)
{
  check_linux_devices (ctx);

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
        floor_violation (ctx, "devices", field, "remove --privileged",
                         "is \"%s %s\"; the first rule must deny every device",
                         r.allow ? "allow" : "deny", text);
      else if (i == 0 || !r.allow)
        continue;
      else if (r.type == 'a' || (r.major == -1 && r.minor == -1))
        floor_violation (ctx, "devices", field, "remove --privileged", "allows every %sdevice (%s)",
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

/* The oldest supported Docker's (20.10) defaults; newer ones add more.  */
static const char *const docker_masked_paths[] = {
  "/proc/asound",     "/proc/acpi",        "/proc/kcore",       "/proc/keys", "/proc/latency_stats",
  "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware",
};
static const char *const docker_readonly_paths[] = {
  "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger",
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

static void
check_path_list (struct floor_ctx *ctx, const char *name, const char *const *defaults, size_t n)
{
  json_value *list = NULL;
  spec_status st = spec_get (ctx->config, name, JSON_ARRAY, &list);
  const char *fix = "remove --security-opt systempaths=unconfined and --privileged";
  if (st == SPEC_ABSENT)
    {
      json_value *fill = json_new_array ();
      for (size_t k = 0; k < n; k++)
        json_array_append (fill, json_new_string (defaults[k]));
      cleanup_free char *err = NULL;
      if (spec_set (ctx->config, name, fill, &err) < 0)
        floor_violation (ctx, "masked-paths", name, fix, "is absent and cannot be filled in: %s",
                         err);
      else
        floor_tightened (ctx, "masked-paths", name, "was absent; set to Docker's %zu defaults", n);
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
}

/* Rule "masked-paths".
   Fields: linux.maskedPaths, linux.readonlyPaths.
   Refused: lists that lack any of Docker 20.10's defaults (masked
   /proc/asound, /proc/acpi, /proc/kcore, /proc/keys, /proc/latency_stats,
   /proc/timer_list, /proc/timer_stats, /proc/sched_debug, /proc/scsi,
   /sys/firmware; read-only /proc/bus, /proc/fs, /proc/irq, /proc/sys,
   /proc/sysrq-trigger), null, or entries that are not strings.  More
   entries are welcome.
   Filled in: an absent list gets the defaults (Docker leaves the lists out
   with --privileged or systempaths=unconfined, which other rules refuse).
   Docker flags: remove --security-opt systempaths=unconfined, --privileged.  */
void
floor_check_masked_paths (struct floor_ctx *ctx)
{
  check_path_list (ctx, "linux.maskedPaths", docker_masked_paths,
                   sizeof docker_masked_paths / sizeof docker_masked_paths[0]);
  check_path_list (ctx, "linux.readonlyPaths", docker_readonly_paths,
                   sizeof docker_readonly_paths / sizeof docker_readonly_paths[0]);
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

/* Rule "sysctl".
   Field: linux.sysctl.
   Refused: any key that is not a plain "net." key (only those live in the
   container's own network namespace; Docker sends
   net.ipv4.ip_unprivileged_port_start and net.ipv4.ping_group_range), values
   that are not strings, null or a non-object.
   Filled in: nothing.
   Docker flag: remove --sysctl KEY.  */
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
  for (size_t i = 0; i < sysctl->u.object.len; i++)
    {
      const struct json_member *m = &sysctl->u.object.members[i];
      cleanup_free char *field = xasprintf ("linux.sysctl.%s", m->key);
      if (!sysctl_key_is_net (m->key))
        floor_violation (ctx, "sysctl", field, "remove that --sysctl",
                         "is set; only net.* sysctls, which stay in the container's network "
                         "namespace, are allowed");
      else if (m->value->type != JSON_STRING)
        floor_violation (ctx, "sysctl", field, "remove that --sysctl", "is %s, not a string",
                         m->value->type == JSON_NULL ? "null" : json_type_name (m->value->type));
    }
}

/* ---- the rest ------------------------------------------------------------------ */

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

  const char *cgroups_path = NULL;
  st = spec_get_string (ctx->config, "linux.cgroupsPath", &cgroups_path);
  if (st == SPEC_OK && cgroups_path_is_root (cgroups_path))
    floor_violation (ctx, "kernel", "linux.cgroupsPath", "remove --cgroup-parent",
                     "is \"%s\", the root cgroup, which the floor's limits cannot hold",
                     cgroups_path);
  else if (st == SPEC_OK && cgroups_path_climbs (cgroups_path))
    floor_violation (ctx, "kernel", "linux.cgroupsPath", "remove --cgroup-parent",
                     "is \"%s\"; a \"..\" component climbs to another cgroup", cgroups_path);
  else if (st != SPEC_OK && st != SPEC_ABSENT)
    floor_violation (ctx, "kernel", "linux.cgroupsPath", NULL, "is %s", spec_status_text (st));

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
