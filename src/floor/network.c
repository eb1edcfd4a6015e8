/* policyrun floor: the network layer.  The container gets a network
   namespace of its own, created for it, and no host interface moved in.

   No config field tells `--network none` from Docker's default bridge (both
   are {"type":"network"}); start looks into the created namespace for that.
   This rule refuses what the config itself gives away: the host's network
   (no network entry at all), a namespace joined by path (the host's, another
   container's or a CNI one), and linux.netDevices.  */
#include "config.h"
#include "floor.h"

#include <string.h>

#include "spec.h"
#include "util.h"

static const char *const network_fix = "run with --network none";

/* Rule NETWORK ("network").
   Fields: linux.namespaces (the "network" entry), linux.netDevices.
   Refused: linux or linux.namespaces absent, null or not an array; no
   "network" entry (--network host); more than one; a "path" on it (joins an
   existing namespace: --network container:X, the host's, a CNI netns); a
   linux.netDevices that names any device (runtime-spec 1.2 moves host
   interfaces into the container), null, or of the wrong type.
   Filled in: nothing.
   Docker flag: --network none.  */
void
floor_check_network (struct floor_ctx *ctx)
{
  json_value *namespaces = NULL;
  spec_status st = spec_get (ctx->config, "linux.namespaces", JSON_ARRAY, &namespaces);
  if (st != SPEC_OK)
    floor_violation (ctx, RULE_NETWORK, "linux.namespaces", network_fix,
                     "is %s; without a network namespace the container shares the host's network",
                     spec_status_text (st));
  else
    {
      size_t found = 0;
      for (size_t i = 0; i < namespaces->u.array.len; i++)
        {
          const json_value *ns = namespaces->u.array.items[i];
          /* Entries that are not objects, or have no string type, are the
             namespaces rule's to report; here they simply are not a network
             namespace.  */
          const char *type = NULL;
          if (spec_get_string (ns, "type", &type) != SPEC_OK || strcmp (type, "network") != 0)
            continue;
          found++;
          json_value *path = json_object_get (ns, "path");
          if (path != NULL)
            {
              cleanup_free char *field = xasprintf ("linux.namespaces[%zu].path", i);
              cleanup_free char *value = spec_describe (path);
              floor_violation (ctx, RULE_NETWORK, field, network_fix,
                               "is %s; the container would join an existing network namespace",
                               value);
            }
        }
      if (found == 0)
        floor_violation (ctx, RULE_NETWORK, "linux.namespaces", network_fix,
                         "has no \"network\" entry; the container would share the host's network");
      else if (found > 1)
        floor_violation (ctx, RULE_NETWORK, "linux.namespaces", network_fix,
                         "has %zu \"network\" entries; exactly one is allowed", found);
    }

  /* When linux itself is missing or null, the finding above says so.  */
  json_value *linux_obj = NULL;
  if (spec_get (ctx->config, "linux", JSON_OBJECT, &linux_obj) != SPEC_OK)
    return;
  json_value *devices = NULL;
  st = spec_get (linux_obj, "netDevices", JSON_OBJECT, &devices);
  if (st == SPEC_OK && devices->u.object.len > 0)
    floor_violation (ctx, RULE_NETWORK, "linux.netDevices", network_fix,
                     "moves %zu host interface%s (first \"%s\") into the container",
                     devices->u.object.len, devices->u.object.len == 1 ? "" : "s",
                     devices->u.object.members[0].key);
  else if (st == SPEC_NULL || st == SPEC_BAD_TYPE)
    floor_violation (ctx, RULE_NETWORK, "linux.netDevices", network_fix, "is %s",
                     spec_status_text (st));
}
