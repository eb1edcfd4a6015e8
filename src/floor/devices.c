/* policyrun floor: devices.  The device nodes created in the container
   (linux.devices) and the device cgroup's rules (linux.resources.devices).  */
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

/* Rule DEVICES ("devices"), part 1.
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
      floor_violation (ctx, RULE_DEVICES, "linux.devices", "remove --device", "is %s",
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
  floor_violation (ctx, RULE_DEVICES, "linux.devices", "remove --device",
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
   or minor is -1 (any).  Returns NULL, or why runc would not take it (a
   field of the wrong type, a value out of range): a malloc'd text.  */
static char *
dev_rule_parse (const json_value *r, struct dev_rule *out)
{
  if (r->type != JSON_OBJECT)
    {
      cleanup_free char *value = spec_describe (r);
      return xasprintf ("is %s, not a device rule", value);
    }
  *out = (struct dev_rule){ .allow = false, .type = 'a', .major = -1, .minor = -1, .access = "" };
  spec_status st = spec_get_bool (r, "allow", &out->allow);
  if (st != SPEC_OK && st != SPEC_ABSENT)
    return xasprintf ("has an \"allow\" that is %s", spec_status_text (st));
  const char *type = "";
  st = spec_get_string (r, "type", &type);
  if ((st != SPEC_OK && st != SPEC_ABSENT)
      || !(type[0] == '\0'
           || ((type[0] == 'a' || type[0] == 'b' || type[0] == 'c') && type[1] == '\0')))
    return xstrdup ("has a type that is not \"a\", \"b\" or \"c\"");
  if (type[0] != '\0')
    out->type = type[0];
  static const char *const numbers[] = { "major", "minor" };
  for (size_t k = 0; k < 2; k++)
    {
      int64_t n = -1;
      st = spec_get_int (r, numbers[k], -1, SPEC_INT64_MAX, &n);
      if (st != SPEC_OK && st != SPEC_ABSENT)
        return xasprintf ("has a %s that is %s (or below -1)", numbers[k], spec_status_text (st));
      if (k == 0)
        out->major = n;
      else
        out->minor = n;
    }
  st = spec_get_string (r, "access", &out->access);
  if ((st != SPEC_OK && st != SPEC_ABSENT) || out->access[strspn (out->access, "rwm")] != '\0')
    return xstrdup ("has an access that is not made of \"r\", \"w\" and \"m\"");
  return NULL;
}

/* dev_rule_parse, reporting what runc would not take as a violation.  */
static bool
read_dev_rule (struct floor_ctx *ctx, const json_value *r, size_t i, struct dev_rule *out)
{
  cleanup_free char *why = dev_rule_parse (r, out);
  if (why == NULL)
    return true;
  cleanup_free char *field = xasprintf ("linux.resources.devices[%zu]", i);
  floor_violation (ctx, RULE_DEVICES, field, NULL, "%s", why);
  return false;
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

/* The rule at index i is one the floor accepts: the first denies every
   device, a later one denies or allows a device every container has.  */
static bool
dev_rule_accepted (const struct dev_rule *r, size_t i)
{
  return i == 0 ? dev_rule_is_deny_all (r) : !r->allow || dev_rule_allowed (r);
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
    floor_violation (ctx, RULE_DEVICES, "linux.resources.devices", NULL,
                     "%s and cannot be filled in: %s", was, err);
  else
    floor_tightened (ctx, RULE_DEVICES, "linux.resources.devices",
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

/* Rule DEVICES ("devices").
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
      floor_violation (ctx, RULE_DEVICES, "linux.resources.devices", "remove --privileged", "is %s",
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
      if (dev_rule_accepted (&r, i))
        continue;
      if (i == 0)
        floor_violation (ctx, RULE_DEVICES, field, allow_all_fix,
                         "is \"%s %s\"; the first rule must deny every device",
                         r.allow ? "allow" : "deny", text);
      else if (r.type == 'a' || (r.major == -1 && r.minor == -1))
        floor_violation (ctx, RULE_DEVICES, field, "remove --device-cgroup-rule",
                         "allows every %sdevice (%s)",
                         r.type == 'b'   ? "block "
                         : r.type == 'c' ? "character "
                                         : "",
                         text);
      else
        floor_violation (ctx, RULE_DEVICES, field, "remove --device and --device-cgroup-rule",
                         "allows the device %s", text);
    }
}

/* Rule DEVICES, hardened: a device cgroup the rule refuses (--privileged's
   allow-all, --device and --device-cgroup-rule allowances) is rewritten to
   deny every device first, followed by the rules the floor accepts from
   it, in their order: deny rules and the character devices every container
   has; runc appends its own defaults after them.  Absent or empty rules
   are the rule's to fill in.  Left to refuse: linux.devices (a host device
   node in the container cannot be made safe), rules null, mistyped or
   holding a rule runc would not take.  */
void
floor_harden_devices (struct floor_ctx *ctx)
{
  json_value *resources = NULL, *rules = NULL;
  if (spec_get (ctx->config, "linux.resources", JSON_OBJECT, &resources) != SPEC_OK
      || spec_get (resources, "devices", JSON_ARRAY, &rules) != SPEC_OK || rules->u.array.len == 0)
    return;
  size_t n = rules->u.array.len;
  struct dev_rule *parsed = xcalloc (n, sizeof *parsed);
  bool refused = false;
  for (size_t i = 0; i < n; i++)
    {
      cleanup_free char *why = dev_rule_parse (rules->u.array.items[i], &parsed[i]);
      if (why != NULL)
        {
          free (parsed);
          return;
        }
      refused |= !dev_rule_accepted (&parsed[i], i);
    }
  if (!refused)
    {
      free (parsed);
      return;
    }

  json_value *kept = json_new_array ();
  size_t start = 0;
  if (dev_rule_is_deny_all (&parsed[0]))
    {
      json_array_append (kept, json_clone (rules->u.array.items[0]));
      start = 1;
    }
  else
    {
      json_value *deny = json_new_object ();
      json_object_set (deny, "allow", json_new_bool (false));
      json_object_set (deny, "access", json_new_string ("rwm"));
      json_array_append (kept, deny);
    }
  struct strbuf dropped = { 0 };
  for (size_t i = start; i < n; i++)
    if (dev_rule_accepted (&parsed[i], 1)) /* every kept rule follows deny-all */
      json_array_append (kept, json_clone (rules->u.array.items[i]));
    else
      {
        cleanup_free char *text = dev_rule_text (&parsed[i]);
        strbuf_addf (&dropped, "%s\"%s %s\"", dropped.len ? ", " : "",
                     parsed[i].allow ? "allow" : "deny", text);
      }
  floor_tightened (ctx, RULE_DEVICES, "linux.resources.devices",
                   "%s; dropped %s; now %zu rules, the first denying every device",
                   start == 0 ? "did not start by denying every device (added that rule first)"
                              : "started by denying every device",
                   dropped.len ? dropped.s : "nothing", kept->u.array.len);
  json_object_set (resources, "devices", kept);
  strbuf_free (&dropped);
  free (parsed);
}
