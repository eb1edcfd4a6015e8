/* policyrun floor, harden mode: the container's own user namespace (runc
   only; gVisor's sandbox has its own).

   Container ids [0, userns_size) are mapped onto the policy's host range
   [userns_host_id, +userns_size), never host id 0, so the container's root
   is not the host's root: a file it reaches through a mistake elsewhere is
   judged as an unprivileged host user's.  The namespaces rule (namespaces.c)
   stays the judge of the mappings; this file only writes them.

   What runc 1.1.5 does under a user namespace, and what it forces here:
   - Bind sources are opened by runc's parent as host root (nsexec.c
     send_mountsources, since both a user and a mount namespace are new), so
     Docker's 0710 /var/lib/docker/containers/ID binds still mount.
   - The root is bind-mounted onto itself by the container's init, already
     the mapped root (rootfs_linux.go prepareRoot): every directory on the
     way to root.path must be searchable by the policy's host ids, or runc
     fails with EACCES.  Docker 20.10's data root, vfs/ and overlay2/ are
     0710 root:root, containerd's and Podman's storage root-only: create
     then relocates the root (bundle.h, bundle_enter_relocated_root: a
     bind onto /run/policyrun-userns in a mount namespace runc inherits).
     Only a root that cannot be relocated (no mount namespace of its own,
     policyrun not root, /run or the root directory itself not searchable
     by the mapped root) is left without a user namespace (userns_unfit)
     rather than broken.
   - sysctls are written inside the new namespaces: a net.ipv4.
     ping_group_range naming unmapped gids (Docker's "0 2147483647") is
     EINVAL, so it is clamped to the mapped gids.
   - runc bind-mounts the host's device nodes and reopens /dev/null as
     the mapped root: a host /dev/null that is not 0666 stops it.
   - runc creates a missing mount point as the mapped root, which may not
     write the image's host-owned directories: Docker's -v /code.py:/code.py
     onto an image without /code.py fails with EACCES.  create makes the
     ones that land in the image first, as runc would without a user
     namespace (bundle_make_mount_point); one below a bind of a host
     directory keeps the user namespace out.
   - A namespace joined by path (a CRI app container joins its pod
     sandbox's) is owned by another user namespace, in which the container's
     root has no capability: sysfs and mqueue cannot be mounted there, so
     such a container also stays without one.  */
#include "config.h"
#include "floor.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "bundle.h"
#include "spec.h"
#include "util.h"
#include "view.h"

#define PING_GROUP_RANGE "net.ipv4.ping_group_range"

/* The host's /dev/null (a seam for the unit tests).  */
extern const char *floor_userns_dev_null;
const char *floor_userns_dev_null = "/dev/null";

/* The type of namespace entry ns, or NULL when it is malformed (the
   namespaces rule refuses it).  */
static const char *
ns_type (const json_value *ns)
{
  const char *type = NULL;
  if (ns->type != JSON_OBJECT || spec_get_string (ns, "type", &type) != SPEC_OK)
    return NULL;
  return type;
}

/* id lies in [lo, lo + size).  */
static bool
id_in_range (int64_t id, int64_t lo, int64_t size)
{
  return id >= lo && id - lo < size;
}

/* Every id process.user names lies in [0, size): runc sets them inside the
   namespace, where the others do not exist.  */
static bool
process_ids_mapped (const json_value *config, int64_t size)
{
  int64_t id = 0;
  if (spec_get_int (config, "process.user.uid", 0, SPEC_UINT32_MAX, &id) == SPEC_OK
      && !id_in_range (id, 0, size))
    return false;
  if (spec_get_int (config, "process.user.gid", 0, SPEC_UINT32_MAX, &id) == SPEC_OK
      && !id_in_range (id, 0, size))
    return false;
  json_value *gids = NULL;
  if (spec_get (config, "process.user.additionalGids", JSON_ARRAY, &gids) == SPEC_OK)
    for (size_t i = 0; i < gids->u.array.len; i++)
      {
        const json_value *g = gids->u.array.items[i];
        if (g->type == JSON_NUMBER && g->u.number.is_int && !id_in_range (g->u.number.i, 0, size))
          return false;
      }
  return true;
}

/* Every mount's destination exists when runc mounts it, lands in the image
   itself (create makes it there first, as host root: cmd_create.c), or
   lands in a filesystem runc mounted before it (a tmpfs the mapped root
   owns, or a kernel filesystem).  One below an earlier bind answers no:
   runc would create it as the mapped root in a host directory, which it
   may not write.  What policyrun cannot follow answers no.  */
static bool
mount_points_ready (const json_value *config)
{
  struct view v = { 0 };
  cleanup_free char *why = NULL;
  bool ready = view_build (config, &v, &why) == NULL;
  for (size_t i = 0; ready && i < v.len; i++)
    {
      struct lookup_result r;
      view_resolve (&v, i, v.mounts[i].dest, false, &r);
      if (r.status == LOOKUP_ABSENT)
        {
          const struct view_mount *under = NULL;
          for (size_t j = 0; j < i; j++)
            if (path_at_or_under (r.landed, v.mounts[j].dest))
              under = &v.mounts[j];
          ready = under == NULL || under->kind != PROVIDER_BIND;
        }
      else
        ready = r.status == LOOKUP_FOUND;
      lookup_result_free (&r);
    }
  view_free (&v);
  return ready;
}

/* runc binds the host's device nodes into a user namespace's /dev and
   reopens /dev/null there read-write, as the mapped root, before anything
   else (rootfs_linux.go reOpenDevNull): a host /dev/null that others may
   not read and write (0666 is the norm) stops every container.  */
static bool
dev_null_usable (void)
{
  struct stat st;
  return stat (floor_userns_dev_null, &st) == 0 && S_ISCHR (st.st_mode)
         && (st.st_mode & (S_IROTH | S_IWOTH)) == (S_IROTH | S_IWOTH);
}

/* namespaces has a "mount" entry (one by path has ruled the user
   namespace out already).  */
static bool
has_mount_namespace (const json_value *namespaces)
{
  for (size_t i = 0; i < namespaces->u.array.len; i++)
    {
      const char *type = ns_type (namespaces->u.array.items[i]);
      if (type != NULL && strcmp (type, "mount") == 0)
        return true;
    }
  return false;
}

/* Why a config without a user namespace of its own is left without one
   (the floor holds without it), or NULL when it can have one.  */
static const char *
userns_unfit (struct floor_ctx *ctx, const json_value *namespaces)
{
  for (size_t i = 0; i < namespaces->u.array.len; i++)
    if (json_object_get (namespaces->u.array.items[i], "path") != NULL)
      return "a namespace joined by path belongs to another user namespace";
  /* A pod's containers join its sandbox's namespaces: a user namespace of
     one of them alone would split the pod.  */
  if (floor_cri_container_type (ctx) != NULL)
    return "a Kubernetes pod's containers share one sandbox's namespaces";
  const char *root = NULL;
  if (spec_get_string (ctx->config, "root.path", &root) != SPEC_OK)
    return "root.path is not a string";
  if (!bundle_mapped_root_reaches (root, ctx->policy)
      && !(has_mount_namespace (namespaces) && bundle_root_relocatable (root, ctx->policy)))
    return "the mapped root cannot reach root.path, nor could it once relocated";
  if (!mount_points_ready (ctx->config))
    return "a mount point is missing from the image";
  if (!dev_null_usable ())
    return "the host's /dev/null is not writable by others";
  if (!process_ids_mapped (ctx->config, ctx->policy->userns_size))
    return "process.user names an id outside the mapped range";
  return NULL;
}

/* The policy's mapping: one range, container id 0 at userns_host_id.  */
static json_value *
policy_mapping (const struct policy *p)
{
  json_value *range = json_new_object ();
  json_object_set (range, "containerID", json_new_int (0));
  json_object_set (range, "hostID", json_new_int (p->userns_host_id));
  json_object_set (range, "size", json_new_int (p->userns_size));
  json_value *maps = json_new_array ();
  json_array_append (maps, range);
  return maps;
}

/* maps is exactly the policy's mapping.  */
static bool
is_policy_mapping (const json_value *maps, const struct policy *p)
{
  int64_t c = -1, h = -1, s = -1;
  return maps != NULL && maps->type == JSON_ARRAY && maps->u.array.len == 1
         && spec_get_int (maps->u.array.items[0], "containerID", 0, SPEC_UINT32_MAX, &c) == SPEC_OK
         && spec_get_int (maps->u.array.items[0], "hostID", 0, SPEC_UINT32_MAX, &h) == SPEC_OK
         && spec_get_int (maps->u.array.items[0], "size", 0, SPEC_UINT32_MAX, &s) == SPEC_OK
         && c == 0 && h == p->userns_host_id && s == p->userns_size;
}

/* A range's field as runc reads it: absent is 0 (Go's zero value).  */
static bool
range_field (const json_value *m, const char *key, int64_t *out)
{
  spec_status st = spec_get_int (m, key, 0, SPEC_UINT32_MAX, out);
  if (st == SPEC_ABSENT)
    *out = 0;
  return st == SPEC_OK || st == SPEC_ABSENT;
}

/* The first well-formed range of maps that starts at host id 0 (the
   namespaces rule's refusal; an absent hostID is 0 too), its index in
   *at; -1 when there is none.  A malformed range is left for the rule to
   refuse.  */
static int64_t
mapping_onto_host_root (const json_value *maps, size_t *at)
{
  for (size_t i = 0; i < maps->u.array.len; i++)
    {
      const json_value *m = maps->u.array.items[i];
      int64_t host = -1, container = -1, size = -1;
      if (m->type == JSON_OBJECT && range_field (m, "hostID", &host)
          && range_field (m, "containerID", &container) && range_field (m, "size", &size)
          && host == 0)
        {
          *at = i;
          return container;
        }
    }
  return -1;
}

/* A range of name (linux.uidMappings or linux.gidMappings) onto a
   privileged host group's gid, or a member's uid (rule USER, groups.c):
   the mapping is replaced, all of it, by the policy's.  */
static void
settle_privileged_range (struct floor_ctx *ctx, const char *name, const json_value *maps)
{
  const struct policy *p = ctx->policy;
  bool uids = strcmp (name, "linux.uidMappings") == 0;
  for (size_t i = 0; i < maps->u.array.len; i++)
    {
      const json_value *m = maps->u.array.items[i];
      int64_t c = 0, h = 0, n = 0, id = 0;
      const char *group = NULL;
      if (m->type != JSON_OBJECT || !range_field (m, "containerID", &c)
          || !range_field (m, "hostID", &h) || !range_field (m, "size", &n)
          || !floor_host_range_privileged (p, uids, h, n, &id, &group))
        continue;
      cleanup_free char *err = NULL;
      if (spec_set (ctx->config, name, policy_mapping (p), &err) == 0)
        floor_tightened (ctx, RULE_USER, name,
                         "[%zu] mapped onto host %s %" PRId64 " (the host's privileged group "
                         "\"%s\"); now container ids 0-%" PRId64 " are host ids %" PRId64
                         "-%" PRId64,
                         i, uids ? "uid" : "gid", id, group, p->userns_size - 1, p->userns_host_id,
                         p->userns_host_id + p->userns_size - 1);
      return;
    }
}

/* linux.uidMappings or linux.gidMappings (name) of a config that has a user
   namespace: absent, the policy's mapping is written; a range onto host id
   0 is replaced, mapping and all, by the policy's (absent stays absent
   unless fill_absent).  A well-formed mapping
   that avoids host id 0 is the caller's and stays; a malformed one stays
   for the namespaces rule to refuse.  */
static void
settle_mapping (struct floor_ctx *ctx, const char *name, bool fill_absent)
{
  const struct policy *p = ctx->policy;
  json_value *maps = NULL;
  spec_status st = spec_get (ctx->config, name, JSON_ARRAY, &maps);
  cleanup_free char *err = NULL;
  if (st == SPEC_ABSENT)
    {
      if (fill_absent && spec_set (ctx->config, name, policy_mapping (p), &err) == 0)
        floor_tightened (
            ctx, RULE_NAMESPACES, name,
            "was absent, now container ids 0-%" PRId64 " are host ids %" PRId64 "-%" PRId64,
            p->userns_size - 1, p->userns_host_id, p->userns_host_id + p->userns_size - 1);
      return;
    }
  size_t at = 0;
  int64_t container = st == SPEC_OK ? mapping_onto_host_root (maps, &at) : -1;
  if (container < 0)
    {
      if (st == SPEC_OK)
        settle_privileged_range (ctx, name, maps);
      return;
    }
  if (spec_set (ctx->config, name, policy_mapping (p), &err) == 0)
    floor_tightened (ctx, RULE_NAMESPACES, name,
                     "[%zu] mapped container id %" PRId64 " onto host id 0 (root); now container "
                     "ids 0-%" PRId64 " are host ids %" PRId64 "-%" PRId64,
                     at, container, p->userns_size - 1, p->userns_host_id,
                     p->userns_host_id + p->userns_size - 1);
}

/* The index of the config's first "user" entry, repeats after it removed
   and its path dropped (a joined user namespace's mapping is unknown: it
   may be the host's own).  -1 when there is none.  */
static ssize_t
settle_user_entry (struct floor_ctx *ctx, json_value *namespaces)
{
  ssize_t first = -1;
  for (size_t i = 0; i < namespaces->u.array.len;)
    {
      const char *type = ns_type (namespaces->u.array.items[i]);
      if (type == NULL || strcmp (type, "user") != 0)
        {
          i++;
          continue;
        }
      if (first >= 0)
        {
          json_array_remove (namespaces, i);
          floor_tightened (ctx, RULE_NAMESPACES, "linux.namespaces",
                           "repeated the \"user\" namespace; dropped the repeat");
          continue;
        }
      first = (ssize_t)i;
      json_value *ns = namespaces->u.array.items[i];
      json_value *path = json_object_get (ns, "path");
      if (path != NULL)
        {
          cleanup_free char *value = spec_describe (path);
          json_object_remove (ns, "path");
          cleanup_free char *field = xasprintf ("linux.namespaces[%zu].path", i);
          floor_tightened (ctx, RULE_NAMESPACES, field, "was %s, now a new user namespace", value);
        }
      i++;
    }
  return first;
}

/* Docker's net.ipv4.ping_group_range "0 2147483647" names gids the
   namespace does not map, which the kernel refuses (EINVAL) when runc
   writes it: clamped to the policy's mapped gids, the same groups that
   exist in the container.  Only under the policy's own gid mapping; a
   range that does not read as two ids stays (the sysctl rule judges it).  */
static void
clamp_ping_group_range (struct floor_ctx *ctx)
{
  json_value *maps = NULL, *sysctl = NULL;
  if (spec_get (ctx->config, "linux.gidMappings", JSON_ARRAY, &maps) != SPEC_OK
      || !is_policy_mapping (maps, ctx->policy)
      || spec_get (ctx->config, "linux.sysctl", JSON_OBJECT, &sysctl) != SPEC_OK)
    return;
  json_value *v = json_object_get_exact (sysctl, PING_GROUP_RANGE);
  unsigned long long lo, hi;
  int end = 0;
  if (v == NULL || v->type != JSON_STRING
      || sscanf (v->u.string.s, "%llu %llu%n", &lo, &hi, &end) != 2 || v->u.string.s[end] != '\0')
    return;
  unsigned long long last = (unsigned long long)ctx->policy->userns_size - 1;
  if (lo <= last && hi <= last)
    return;
  /* "1 0", the kernel's default, lets no group ping.  */
  cleanup_free char *now
      = lo > last ? xstrdup ("1 0") : xasprintf ("%llu %llu", lo, hi < last ? hi : last);
  cleanup_free char *was = xstrdup (v->u.string.s);
  for (size_t i = 0; i < sysctl->u.object.len; i++)
    if (strcmp (sysctl->u.object.members[i].key, PING_GROUP_RANGE) == 0)
      {
        json_free (sysctl->u.object.members[i].value);
        sysctl->u.object.members[i].value = json_new_string (now);
      }
  floor_tightened (ctx, RULE_SYSCTL, "linux.sysctl." PING_GROUP_RANGE,
                   "was \"%s\", now \"%s\": the user namespace maps gids 0-%llu only", was, now,
                   last);
}

/* Harden the user namespace (rule NAMESPACES's mappings).  Fields:
   linux.namespaces, linux.uidMappings, linux.gidMappings, and
   linux.sysctl.net.ipv4.ping_group_range.
   - A "user" entry by path loses its path; repeats go.
   - A config without a "user" entry gets one, with the policy's mappings,
     unless userns_unfit says the container could not start in it.
   - With a "user" entry: an absent mapping becomes the policy's; one onto
     host id 0 is replaced by the policy's; another stays as it is.
   - ping_group_range is clamped to the mapped gids.  */
void
floor_harden_user_namespace (struct floor_ctx *ctx)
{
  if (ctx->host->gvisor)
    return;
  json_value *namespaces = NULL;
  if (spec_get (ctx->config, "linux.namespaces", JSON_ARRAY, &namespaces) != SPEC_OK)
    return; /* the namespaces rule refuses it */
  if (settle_user_entry (ctx, namespaces) < 0)
    {
      if (userns_unfit (ctx, namespaces) != NULL)
        {
          /* runc refuses mappings without the namespace; one onto host
             root still goes.  */
          settle_mapping (ctx, "linux.uidMappings", false);
          settle_mapping (ctx, "linux.gidMappings", false);
          return;
        }
      json_value *ns = json_new_object ();
      json_object_set (ns, "type", json_new_string ("user"));
      json_array_append (namespaces, ns);
      floor_tightened (ctx, RULE_NAMESPACES, "linux.namespaces",
                       "had no \"user\" entry (container root was host root); added a new one");
    }
  settle_mapping (ctx, "linux.uidMappings", true);
  settle_mapping (ctx, "linux.gidMappings", true);
  clamp_ping_group_range (ctx);
}
