/* policyrun floor: annotations.  Some runtimes and engines act on
   annotations (systemd unit properties through runc's systemd driver,
   gVisor's dev.gvisor.*, CRIU's config, crun's run.oci.*); a container
   that may set them changes how the host treats it.  */
#include "config.h"
#include "floor.h"

#include <string.h>
#include <strings.h>

#include "spec.h"
#include "util.h"

/* Rule ANNOTATIONS ("annotations").
   Field: annotations.
   Refused: a key that starts with a prefix on the policy's
   annotation_denylist (compared without regard to ASCII case), a value that
   is not a string, annotations null or not an object.
   Also refused: io.kubernetes.cri.* from a caller that is not containerd's
   CRI (whose runtime root is named after its "k8s.io" namespace): they
   make a container pass for a pod's sandbox or a CRI-managed one.
   Filled in: nothing.
   Docker flag: remove --annotation / --label KEY.  */
void
floor_check_annotations (struct floor_ctx *ctx)
{
  json_value *annotations = NULL;
  spec_status st = spec_get (ctx->config, "annotations", JSON_OBJECT, &annotations);
  if (st == SPEC_ABSENT)
    return;
  if (st != SPEC_OK)
    {
      floor_violation (ctx, RULE_ANNOTATIONS, "annotations", NULL, "is %s", spec_status_text (st));
      return;
    }
  const struct string_list *deny = &ctx->policy->annotation_denylist;
  for (size_t i = 0; i < annotations->u.object.len; i++)
    {
      const struct json_member *m = &annotations->u.object.members[i];
      cleanup_free char *field = xasprintf ("annotations.%s", m->key);
      for (size_t k = 0; k < deny->len; k++)
        if (deny->items[k][0] != '\0'
            && strncasecmp (m->key, deny->items[k], strlen (deny->items[k])) == 0)
          {
            floor_violation (ctx, RULE_ANNOTATIONS, field, "remove that --annotation",
                             "is set; annotations starting with \"%s\" are not allowed",
                             deny->items[k]);
            break;
          }
      if (!ctx->host->cri_caller && strncasecmp (m->key, "io.kubernetes.cri.", 18) == 0)
        floor_violation (ctx, RULE_ANNOTATIONS, field, "remove that --annotation",
                         "is set by a caller that is not Kubernetes' CRI");
      if (m->value->type != JSON_STRING)
        floor_violation (ctx, RULE_ANNOTATIONS, field, NULL, "is %s, not a string",
                         m->value->type == JSON_NULL ? "null" : json_type_name (m->value->type));
    }
}
