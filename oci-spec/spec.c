#include "config.h"
#include "spec.h"
#include "ospec-util.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* ---- accessors --------------------------------------------------------- */

/* Walk path (dot-separated struct fields) from root.  Returns the status of
   the first step that fails, or SPEC_OK with *out the value at path.  */
static spec_status
walk (const json_value *root, const char *path, json_value **out)
{
  const json_value *cur = root;
  if (cur == NULL)
    return SPEC_ABSENT;
  const char *p = path;
  while (p != NULL && *p != '\0')
    {
      const char *dot = strchr (p, '.');
      size_t n = dot ? (size_t)(dot - p) : strlen (p);
      if (cur->type == JSON_NULL)
        return SPEC_NULL;
      if (cur->type != JSON_OBJECT)
        return SPEC_BAD_TYPE;
      char small[64];
      cleanup_free char *big = NULL;
      char *field = small;
      if (n >= sizeof small)
        field = big = xmalloc (n + 1);
      memcpy (field, p, n);
      field[n] = '\0';
      cur = json_object_get (cur, field);
      if (cur == NULL)
        return SPEC_ABSENT;
      p = dot ? dot + 1 : NULL;
    }
  *out = (json_value *)cur;
  return SPEC_OK;
}

spec_status
spec_get (const json_value *root, const char *path, json_type want, json_value **out)
{
  json_value *v = NULL;
  spec_status s = walk (root, path, &v);
  if (s != SPEC_OK)
    return s;
  if (v->type == JSON_NULL && want != JSON_NULL)
    return SPEC_NULL;
  if (v->type != want)
    return SPEC_BAD_TYPE;
  if (out)
    *out = v;
  return SPEC_OK;
}

spec_status
spec_get_int (const json_value *root, const char *path, int64_t min, int64_t max, int64_t *out)
{
  json_value *v = NULL;
  spec_status s = spec_get (root, path, JSON_NUMBER, &v);
  if (s != SPEC_OK)
    return s;
  if (!v->u.number.is_int || v->u.number.i < min || v->u.number.i > max)
    return SPEC_BAD_TYPE;
  if (out)
    *out = v->u.number.i;
  return SPEC_OK;
}

spec_status
spec_get_bool (const json_value *root, const char *path, bool *out)
{
  json_value *v = NULL;
  spec_status s = spec_get (root, path, JSON_BOOL, &v);
  if (s == SPEC_OK && out)
    *out = v->u.boolean;
  return s;
}

spec_status
spec_get_string (const json_value *root, const char *path, const char **out)
{
  json_value *v = NULL;
  spec_status s = spec_get (root, path, JSON_STRING, &v);
  if (s == SPEC_OK && out)
    *out = v->u.string.s;
  return s;
}

json_value *
spec_ensure_object (json_value *root, const char *path, char **err)
{
  if (root == NULL || root->type != JSON_OBJECT)
    {
      fail (err, "cannot reach %s: the document is %s, not an object", path,
            root ? json_type_name (root->type) : "missing");
      return NULL;
    }
  json_value *cur = root;
  const char *p = path;
  while (p != NULL && *p != '\0')
    {
      const char *dot = strchr (p, '.');
      size_t n = dot ? (size_t)(dot - p) : strlen (p);
      cleanup_free char *field = xstrndup (p, n);
      json_value *next = json_object_get (cur, field);
      if (next == NULL)
        next = json_object_set (cur, field, json_new_object ());
      else if (next->type != JSON_OBJECT)
        {
          size_t upto = (size_t)(p - path) + n;
          fail (err, "cannot reach %s: %.*s is %s, not an object", path, (int)upto, path,
                next->type == JSON_NULL ? "null" : json_type_name (next->type));
          return NULL;
        }
      cur = next;
      p = dot ? dot + 1 : NULL;
    }
  return cur;
}

int
spec_set (json_value *root, const char *path, json_value *v, char **err)
{
  const char *dot = strrchr (path, '.');
  cleanup_free char *parent_path = dot ? xstrndup (path, (size_t)(dot - path)) : xstrdup ("");
  const char *field = dot ? dot + 1 : path;
  if (*field == '\0')
    {
      json_free (v);
      return fail (err, "cannot set %s: empty field name", path);
    }
  json_value *parent = spec_ensure_object (root, parent_path, err);
  if (parent == NULL)
    {
      json_free (v);
      return -1;
    }
  json_object_set (parent, field, v);
  return 0;
}

const char *
spec_status_text (spec_status s)
{
  switch (s)
    {
    case SPEC_OK:
      return "present";
    case SPEC_ABSENT:
      return "absent";
    case SPEC_NULL:
      return "null";
    case SPEC_BAD_TYPE:
      return "of the wrong type";
    }
  return "unknown";
}

char *
spec_describe (const json_value *v)
{
  if (v == NULL)
    return xstrdup ("absent");
  char *s = NULL;
  size_t len = 0;
  cleanup_free char *e = NULL;
  if (json_write (v, &s, &len, &e) < 0)
    return xasprintf ("(unprintable %s)", json_type_name (v->type));
  if (len <= 60)
    return s;
  size_t cut = 57;
  /* Never cut inside a UTF-8 sequence.  */
  while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80)
    cut--;
  memcpy (s + cut, "...", 4);
  return s;
}

/* ---- type checks (Go's view of the runtime-spec types) ------------------ */

/* The runtime-spec's Go types as runc 1.1-1.5 decode them (runtime-spec
   1.0.2 to 1.3): every field that any of those versions knows, with its Go
   type.  Go accepts null for every type, and ignores unknown keys, so both
   pass here; a key that matches a field under Go's folding must carry a
   value of that field's type, or Go's decoder and the floor would disagree
   about it (or runc would fail half-way).  */

enum kind
{
  K_BOOL,
  K_STRING,
  K_INT,               /* signed Go integer, range [min, max] */
  K_UINT,              /* unsigned Go integer, range [0, umax] */
  K_STRUCT,            /* fields */
  K_ARRAY,             /* elem */
  K_MAP,               /* map[string]elem */
  K_ANY,               /* interface{} */
  K_STRING_OR_STRINGS, /* intelRdt.schemata: string before runtime-spec 1.3, []string since */
};

struct field;

struct gotype
{
  enum kind kind;
  const char *name; /* Go's name of a numeric type, for messages */
  int64_t min, max;
  uint64_t umax;
  const struct field *fields;
  const struct gotype *elem;
};

struct field
{
  const char *name;
  const struct gotype *type;
};

static const struct gotype t_bool = { .kind = K_BOOL };
static const struct gotype t_string = { .kind = K_STRING };
static const struct gotype t_any = { .kind = K_ANY };
static const struct gotype t_schemata = { .kind = K_STRING_OR_STRINGS };
static const struct gotype t_int32
    = { .kind = K_INT, .name = "int32", .min = INT32_MIN, .max = INT32_MAX };
/* Go's int and uint are as wide as a pointer, on the host runc runs on
   like here.  */
static const struct gotype t_int
    = { .kind = K_INT, .name = "int", .min = INTPTR_MIN, .max = INTPTR_MAX };
static const struct gotype t_int64
    = { .kind = K_INT, .name = "int64", .min = INT64_MIN, .max = INT64_MAX };
static const struct gotype t_uint16 = { .kind = K_UINT, .name = "uint16", .umax = UINT16_MAX };
static const struct gotype t_uint32 = { .kind = K_UINT, .name = "uint32", .umax = UINT32_MAX };
static const struct gotype t_uint64 = { .kind = K_UINT, .name = "uint64", .umax = UINT64_MAX };
static const struct gotype t_uint = { .kind = K_UINT, .name = "uint", .umax = UINTPTR_MAX };

#define STRUCT(f) (&(const struct gotype){ .kind = K_STRUCT, .fields = (f) })
#define ARRAY(t) (&(const struct gotype){ .kind = K_ARRAY, .elem = (t) })
#define MAP(t) (&(const struct gotype){ .kind = K_MAP, .elem = (t) })
#define END                                                                                        \
  {                                                                                                \
    NULL, NULL                                                                                     \
  }

static const struct field f_id_mapping[] = {
  { "containerID", &t_uint32 },
  { "hostID", &t_uint32 },
  { "size", &t_uint32 },
  END,
};
#define T_ID_MAPPINGS ARRAY (STRUCT (f_id_mapping))

static const struct field f_box[] = { { "height", &t_uint }, { "width", &t_uint }, END };

static const struct field f_user[] = {
  { "uid", &t_uint32 },      { "gid", &t_uint32 },
  { "umask", &t_uint32 },    { "additionalGids", ARRAY (&t_uint32) },
  { "username", &t_string }, END,
};

static const struct field f_capabilities[] = {
  { "bounding", ARRAY (&t_string) },    { "effective", ARRAY (&t_string) },
  { "inheritable", ARRAY (&t_string) }, { "permitted", ARRAY (&t_string) },
  { "ambient", ARRAY (&t_string) },     END,
};

static const struct field f_rlimit[] = {
  { "type", &t_string },
  { "hard", &t_uint64 },
  { "soft", &t_uint64 },
  END,
};

static const struct field f_scheduler[] = {
  { "policy", &t_string },  { "nice", &t_int32 },
  { "priority", &t_int32 }, { "flags", ARRAY (&t_string) },
  { "runtime", &t_uint64 }, { "deadline", &t_uint64 },
  { "period", &t_uint64 },  END,
};

static const struct field f_io_priority[] = { { "class", &t_string }, { "priority", &t_int }, END };

static const struct field f_cpu_affinity[]
    = { { "initial", &t_string }, { "final", &t_string }, END };

static const struct field f_process[] = {
  { "terminal", &t_bool },
  { "consoleSize", STRUCT (f_box) },
  { "user", STRUCT (f_user) },
  { "args", ARRAY (&t_string) },
  { "commandLine", &t_string },
  { "env", ARRAY (&t_string) },
  { "cwd", &t_string },
  { "capabilities", STRUCT (f_capabilities) },
  { "rlimits", ARRAY (STRUCT (f_rlimit)) },
  { "noNewPrivileges", &t_bool },
  { "apparmorProfile", &t_string },
  { "oomScoreAdj", &t_int },
  { "scheduler", STRUCT (f_scheduler) },
  { "selinuxLabel", &t_string },
  { "ioPriority", STRUCT (f_io_priority) },
  { "execCPUAffinity", STRUCT (f_cpu_affinity) },
  END,
};

static const struct field f_root[] = { { "path", &t_string }, { "readonly", &t_bool }, END };

static const struct field f_mount[] = {
  { "destination", &t_string },
  { "type", &t_string },
  { "source", &t_string },
  { "options", ARRAY (&t_string) },
  { "uidMappings", T_ID_MAPPINGS },
  { "gidMappings", T_ID_MAPPINGS },
  END,
};

static const struct field f_hook[] = {
  { "path", &t_string },
  { "args", ARRAY (&t_string) },
  { "env", ARRAY (&t_string) },
  { "timeout", &t_int },
  END,
};
#define T_HOOKS ARRAY (STRUCT (f_hook))

static const struct field f_hooks[] = {
  { "prestart", T_HOOKS },
  { "createRuntime", T_HOOKS },
  { "createContainer", T_HOOKS },
  { "startContainer", T_HOOKS },
  { "poststart", T_HOOKS },
  { "poststop", T_HOOKS },
  END,
};

static const struct field f_device_cgroup[] = {
  { "allow", &t_bool },  { "type", &t_string },   { "major", &t_int64 },
  { "minor", &t_int64 }, { "access", &t_string }, END,
};

static const struct field f_memory[] = {
  { "limit", &t_int64 },
  { "reservation", &t_int64 },
  { "swap", &t_int64 },
  { "kernel", &t_int64 },
  { "kernelTCP", &t_int64 },
  { "swappiness", &t_uint64 },
  { "disableOOMKiller", &t_bool },
  { "useHierarchy", &t_bool },
  { "checkBeforeUpdate", &t_bool },
  END,
};

static const struct field f_cpu[] = {
  { "shares", &t_uint64 },
  { "quota", &t_int64 },
  { "burst", &t_uint64 },
  { "period", &t_uint64 },
  { "realtimeRuntime", &t_int64 },
  { "realtimePeriod", &t_uint64 },
  { "cpus", &t_string },
  { "mems", &t_string },
  { "idle", &t_int64 },
  END,
};

static const struct field f_pids[] = { { "limit", &t_int64 }, END };

static const struct field f_weight_device[] = {
  { "major", &t_int64 },
  { "minor", &t_int64 },
  { "weight", &t_uint16 },
  { "leafWeight", &t_uint16 },
  END,
};

static const struct field f_throttle_device[] = {
  { "major", &t_int64 },
  { "minor", &t_int64 },
  { "rate", &t_uint64 },
  END,
};
#define T_THROTTLE ARRAY (STRUCT (f_throttle_device))

static const struct field f_block_io[] = {
  { "weight", &t_uint16 },
  { "leafWeight", &t_uint16 },
  { "weightDevice", ARRAY (STRUCT (f_weight_device)) },
  { "throttleReadBpsDevice", T_THROTTLE },
  { "throttleWriteBpsDevice", T_THROTTLE },
  { "throttleReadIOPSDevice", T_THROTTLE },
  { "throttleWriteIOPSDevice", T_THROTTLE },
  END,
};

static const struct field f_hugepage_limit[]
    = { { "pageSize", &t_string }, { "limit", &t_uint64 }, END };

static const struct field f_interface_priority[] = {
  { "name", &t_string },
  { "priority", &t_uint32 },
  END,
};

static const struct field f_network[] = {
  { "classID", &t_uint32 },
  { "priorities", ARRAY (STRUCT (f_interface_priority)) },
  END,
};

static const struct field f_rdma[]
    = { { "hcaHandles", &t_uint32 }, { "hcaObjects", &t_uint32 }, END };

static const struct field f_resources[] = {
  { "devices", ARRAY (STRUCT (f_device_cgroup)) },
  { "memory", STRUCT (f_memory) },
  { "cpu", STRUCT (f_cpu) },
  { "pids", STRUCT (f_pids) },
  { "blockIO", STRUCT (f_block_io) },
  { "hugepageLimits", ARRAY (STRUCT (f_hugepage_limit)) },
  { "network", STRUCT (f_network) },
  { "rdma", MAP (STRUCT (f_rdma)) },
  { "unified", MAP (&t_string) },
  END,
};

static const struct field f_namespace[] = { { "type", &t_string }, { "path", &t_string }, END };

/* linux.devices, and zos.devices with the same shape; fileMode is Go's
   os.FileMode, a uint32.  */
static const struct field f_device[] = {
  { "path", &t_string },     { "type", &t_string }, { "major", &t_int64 }, { "minor", &t_int64 },
  { "fileMode", &t_uint32 }, { "uid", &t_uint32 },  { "gid", &t_uint32 },  END,
};

static const struct field f_seccomp_arg[] = {
  { "index", &t_uint }, { "value", &t_uint64 }, { "valueTwo", &t_uint64 }, { "op", &t_string }, END,
};

static const struct field f_syscall[] = {
  { "names", ARRAY (&t_string) },
  { "action", &t_string },
  { "errnoRet", &t_uint },
  { "args", ARRAY (STRUCT (f_seccomp_arg)) },
  END,
};

static const struct field f_seccomp[] = {
  { "defaultAction", &t_string },
  { "defaultErrnoRet", &t_uint },
  { "architectures", ARRAY (&t_string) },
  { "flags", ARRAY (&t_string) },
  { "listenerPath", &t_string },
  { "listenerMetadata", &t_string },
  { "syscalls", ARRAY (STRUCT (f_syscall)) },
  END,
};

static const struct field f_intel_rdt[] = {
  { "closID", &t_string },         { "schemata", &t_schemata },
  { "l3CacheSchema", &t_string },  { "memBwSchema", &t_string },
  { "enableCMT", &t_bool },        { "enableMBM", &t_bool },
  { "enableMonitoring", &t_bool }, END,
};

static const struct field f_personality[]
    = { { "domain", &t_string }, { "flags", ARRAY (&t_string) }, END };

static const struct field f_time_offset[]
    = { { "secs", &t_int64 }, { "nanosecs", &t_uint32 }, END };

static const struct field f_net_device[] = { { "name", &t_string }, END };

static const struct field f_memory_policy[] = {
  { "mode", &t_string },
  { "nodes", &t_string },
  { "flags", ARRAY (&t_string) },
  END,
};

static const struct field f_linux[] = {
  { "uidMappings", T_ID_MAPPINGS },
  { "gidMappings", T_ID_MAPPINGS },
  { "sysctl", MAP (&t_string) },
  { "resources", STRUCT (f_resources) },
  { "cgroupsPath", &t_string },
  { "namespaces", ARRAY (STRUCT (f_namespace)) },
  { "devices", ARRAY (STRUCT (f_device)) },
  { "seccomp", STRUCT (f_seccomp) },
  { "rootfsPropagation", &t_string },
  { "maskedPaths", ARRAY (&t_string) },
  { "readonlyPaths", ARRAY (&t_string) },
  { "mountLabel", &t_string },
  { "intelRdt", STRUCT (f_intel_rdt) },
  { "personality", STRUCT (f_personality) },
  { "timeOffsets", MAP (STRUCT (f_time_offset)) },
  { "netDevices", MAP (STRUCT (f_net_device)) },
  { "memoryPolicy", STRUCT (f_memory_policy) },
  END,
};

static const struct field f_solaris_anet[] = {
  { "linkname", &t_string },       { "lowerLink", &t_string },
  { "allowedAddress", &t_string }, { "configureAllowedAddress", &t_string },
  { "defrouter", &t_string },      { "linkProtection", &t_string },
  { "macAddress", &t_string },     END,
};

static const struct field f_solaris_capped_cpu[] = { { "ncpus", &t_string }, END };
static const struct field f_solaris_capped_memory[] = {
  { "physical", &t_string },
  { "swap", &t_string },
  END,
};

static const struct field f_solaris[] = {
  { "milestone", &t_string },
  { "limitpriv", &t_string },
  { "maxShmMemory", &t_string },
  { "anet", ARRAY (STRUCT (f_solaris_anet)) },
  { "cappedCPU", STRUCT (f_solaris_capped_cpu) },
  { "cappedMemory", STRUCT (f_solaris_capped_memory) },
  END,
};

static const struct field f_windows_device[]
    = { { "id", &t_string }, { "idType", &t_string }, END };
static const struct field f_windows_memory[] = { { "limit", &t_uint64 }, END };
static const struct field f_windows_cpu[] = {
  { "count", &t_uint64 },
  { "shares", &t_uint16 },
  { "maximum", &t_uint16 },
  END,
};
static const struct field f_windows_storage[] = {
  { "iops", &t_uint64 },
  { "bps", &t_uint64 },
  { "sandboxSize", &t_uint64 },
  END,
};
static const struct field f_windows_resources[] = {
  { "memory", STRUCT (f_windows_memory) },
  { "cpu", STRUCT (f_windows_cpu) },
  { "storage", STRUCT (f_windows_storage) },
  END,
};
static const struct field f_windows_hyperv[] = { { "utilityVMPath", &t_string }, END };
static const struct field f_windows_network[] = {
  { "endpointList", ARRAY (&t_string) },  { "allowUnqualifiedDNSQuery", &t_bool },
  { "DNSSearchList", ARRAY (&t_string) }, { "networkSharedContainerName", &t_string },
  { "networkNamespace", &t_string },      END,
};
static const struct field f_windows[] = {
  { "layerFolders", ARRAY (&t_string) },
  { "devices", ARRAY (STRUCT (f_windows_device)) },
  { "resources", STRUCT (f_windows_resources) },
  { "credentialSpec", &t_any },
  { "servicing", &t_bool },
  { "ignoreFlushesDuringBoot", &t_bool },
  { "hyperv", STRUCT (f_windows_hyperv) },
  { "network", STRUCT (f_windows_network) },
  END,
};

static const struct field f_vm_hypervisor[] = {
  { "path", &t_string },
  { "parameters", ARRAY (&t_string) },
  END,
};
static const struct field f_vm_kernel[] = {
  { "path", &t_string },
  { "parameters", ARRAY (&t_string) },
  { "initrd", &t_string },
  END,
};
static const struct field f_vm_image[] = { { "path", &t_string }, { "format", &t_string }, END };
static const struct field f_vm[] = {
  { "hypervisor", STRUCT (f_vm_hypervisor) },
  { "kernel", STRUCT (f_vm_kernel) },
  { "image", STRUCT (f_vm_image) },
  END,
};

static const struct field f_zos[] = { { "devices", ARRAY (STRUCT (f_device)) }, END };

static const struct field f_spec[] = {
  { "ociVersion", &t_string },       { "process", STRUCT (f_process) },
  { "root", STRUCT (f_root) },       { "hostname", &t_string },
  { "domainname", &t_string },       { "mounts", ARRAY (STRUCT (f_mount)) },
  { "hooks", STRUCT (f_hooks) },     { "annotations", MAP (&t_string) },
  { "linux", STRUCT (f_linux) },     { "solaris", STRUCT (f_solaris) },
  { "windows", STRUCT (f_windows) }, { "vm", STRUCT (f_vm) },
  { "zos", STRUCT (f_zos) },         END,
};

static const char *
found_text (const json_value *v)
{
  switch (v->type)
    {
    case JSON_NULL:
      return "null";
    case JSON_BOOL:
      return "a boolean";
    case JSON_NUMBER:
      return "a number";
    case JSON_STRING:
      return "a string";
    case JSON_ARRAY:
      return "an array";
    case JSON_OBJECT:
      return "an object";
    }
  return "a value";
}

/* Go's strconv.ParseUint on the number's text: digits only (no sign, not
   even "-0"), at most umax.  */
static bool
uint_in_range (const char *text, uint64_t umax)
{
  if (*text == '\0')
    return false;
  uint64_t acc = 0;
  for (const char *p = text; *p; p++)
    {
      if (*p < '0' || *p > '9')
        return false;
      unsigned d = (unsigned)(*p - '0');
      if (acc > (UINT64_MAX - d) / 10)
        return false;
      acc = acc * 10 + d;
    }
  return acc <= umax;
}

/* The path to the value being checked, as segments; rendered only for a
   message, so that a config that passes costs no string building.  */
struct segment
{
  const char *field; /* a struct field, or NULL */
  const char *key;   /* a map key, or NULL */
  size_t index;      /* an array index when both are NULL */
};

struct walk
{
  struct segment seg[JSON_MAX_DEPTH + 2];
  size_t depth;
  char **err;
};

/* A map key for a field path, quoted as JSON: sysctl["net.ipv4.ip_forward"].  */
static char *
spec_describe_key (const char *key)
{
  json_value *k = json_new_string (key);
  char *s = spec_describe (k);
  json_free (k);
  return s;
}

static char *
render_path (const struct walk *w)
{
  struct strbuf b = { 0 };
  strbuf_add (&b, "");
  for (size_t i = 0; i < w->depth; i++)
    {
      const struct segment *s = &w->seg[i];
      if (s->field)
        {
          if (b.len > 0)
            strbuf_add (&b, ".");
          strbuf_add (&b, s->field);
        }
      else if (s->key)
        {
          cleanup_free char *q = spec_describe_key (s->key);
          strbuf_addf (&b, "[%s]", q);
        }
      else
        strbuf_addf (&b, "[%zu]", s->index);
    }
  if (b.len == 0)
    strbuf_add (&b, "(document)");
  return b.s;
}

static int __attribute__ ((format (printf, 2, 3)))
walk_fail (const struct walk *w, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  cleanup_free char *m = xvasprintf (fmt, ap);
  va_end (ap);
  cleanup_free char *path = render_path (w);
  return fail (w->err, "%s: %s", path, m);
}

static int
type_fail (const struct walk *w, const char *expected, const json_value *v)
{
  if (v->type == JSON_NUMBER || v->type == JSON_BOOL)
    {
      cleanup_free char *desc = spec_describe (v);
      return walk_fail (w, "expected %s, found %s %s", expected, found_text (v), desc);
    }
  return walk_fail (w, "expected %s, found %s", expected, found_text (v));
}

static int check_value (const json_value *v, const struct gotype *t, struct walk *w);

static int
push (struct walk *w, const char *field, const char *key, size_t index)
{
  if (w->depth >= sizeof w->seg / sizeof w->seg[0])
    return walk_fail (w, "nested too deeply");
  w->seg[w->depth++] = (struct segment){ .field = field, .key = key, .index = index };
  return 0;
}

static int
check_struct (const json_value *v, const struct field *fields, struct walk *w)
{
  for (const struct field *f = fields; f->name != NULL; f++)
    {
      const json_value *m = json_object_get (v, f->name);
      if (m == NULL || m->type == JSON_NULL)
        continue;
      if (push (w, f->name, NULL, 0) < 0 || check_value (m, f->type, w) < 0)
        return -1;
      w->depth--;
    }
  return 0;
}

static const struct gotype t_strings = { .kind = K_ARRAY, .elem = &t_string };

static int
check_value (const json_value *v, const struct gotype *t, struct walk *w)
{
  if (v->type == JSON_NULL || t->kind == K_ANY)
    return 0;
  switch (t->kind)
    {
    case K_BOOL:
      return v->type == JSON_BOOL ? 0 : type_fail (w, "a boolean", v);
    case K_STRING:
      return v->type == JSON_STRING ? 0 : type_fail (w, "a string", v);
    case K_STRING_OR_STRINGS:
      if (v->type == JSON_STRING)
        return 0;
      if (v->type != JSON_ARRAY)
        return type_fail (w, "a string or an array of strings", v);
      return check_value (v, &t_strings, w);
    case K_INT:
    case K_UINT:
      {
        if (v->type != JSON_NUMBER)
          return type_fail (w, "an integer", v);
        bool in_range;
        if (t->kind == K_INT)
          in_range = v->u.number.is_int && v->u.number.i >= t->min && v->u.number.i <= t->max;
        else
          in_range = uint_in_range (v->u.number.text, t->umax);
        if (in_range)
          return 0;
        if (strpbrk (v->u.number.text, ".eE") != NULL)
          return walk_fail (w, "expected an integer, found the number %s", v->u.number.text);
        if (t->kind == K_INT)
          return walk_fail (w,
                            "expected an integer from %" PRId64 " to %" PRId64 " (Go %s), found %s",
                            t->min, t->max, t->name, v->u.number.text);
        return walk_fail (w, "expected an integer from 0 to %" PRIu64 " (Go %s), found %s", t->umax,
                          t->name, v->u.number.text);
      }
    case K_STRUCT:
      if (v->type != JSON_OBJECT)
        return type_fail (w, "an object", v);
      return check_struct (v, t->fields, w);
    case K_ARRAY:
      if (v->type != JSON_ARRAY)
        return type_fail (w, "an array", v);
      for (size_t i = 0; i < v->u.array.len; i++)
        {
          if (push (w, NULL, NULL, i) < 0 || check_value (v->u.array.items[i], t->elem, w) < 0)
            return -1;
          w->depth--;
        }
      return 0;
    case K_MAP:
      if (v->type != JSON_OBJECT)
        return type_fail (w, "an object", v);
      for (size_t i = 0; i < v->u.object.len; i++)
        {
          const struct json_member *m = &v->u.object.members[i];
          if (push (w, NULL, m->key, 0) < 0 || check_value (m->value, t->elem, w) < 0)
            return -1;
          w->depth--;
        }
      return 0;
    case K_ANY:
      return 0;
    }
  return walk_fail (w, "unknown type in the schema");
}

static int
check_root (const json_value *root, const struct field *fields, const char *what, char **err)
{
  if (root == NULL || root->type != JSON_OBJECT)
    return fail (err, "%s: expected an object, found %s", what,
                 root ? found_text (root) : "nothing");
  struct walk w = { .depth = 0, .err = err };
  return check_struct (root, fields, &w);
}

int
spec_check_types_config (const json_value *root, char **err)
{
  return check_root (root, f_spec, "config", err);
}

int
spec_check_types_process (const json_value *process, char **err)
{
  return check_root (process, f_process, "process", err);
}

int
spec_check_types_resources (const json_value *resources, char **err)
{
  return check_root (resources, f_resources, "resources", err);
}
