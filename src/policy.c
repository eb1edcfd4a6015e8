/* policyrun: the policy.  policy_defaults() is the compiled-in floor;
   policy_load() reads a policy file over it, strictly: whoever can change
   this file can switch the floor off, so a file that is not plainly the
   administrator's, or that says anything this code does not understand,
   refuses everything instead of being half-read.  */
#include "config.h"
#include "policy.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <seccomp.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "json.h"
#include "util.h"

static void
list_set (struct string_list *l, const char *const *items)
{
  size_t n = 0;
  while (items[n] != NULL)
    n++;
  l->items = xcalloc (n + 1, sizeof *l->items);
  for (size_t i = 0; i < n; i++)
    l->items[i] = xstrdup (items[i]);
  l->len = n;
}

/* System calls that no untrusted process needs and that have a history of
   kernel escapes or of reaching outside the container.  */
static const char *const default_syscall_denylist[] = {
  "mount",
  "umount",
  "umount2",
  "pivot_root",
  "chroot",
  "unshare",
  "setns",
  "bpf",
  "keyctl",
  "add_key",
  "request_key",
  "ptrace",
  "process_vm_readv",
  "process_vm_writev",
  "kexec_load",
  "kexec_file_load",
  "init_module",
  "finit_module",
  "delete_module",
  "open_by_handle_at",
  "name_to_handle_at",
  "userfaultfd",
  "perf_event_open",
  "io_uring_setup",
  "io_uring_enter",
  "io_uring_register",
  "fsopen",
  "fsconfig",
  "fsmount",
  "fspick",
  "move_mount",
  "open_tree",
  "mount_setattr",
  "swapon",
  "swapoff",
  "reboot",
  "syslog",
  "acct",
  "quotactl",
  "lookup_dcookie",
  "vhangup",
  "iopl",
  "ioperm",
  "create_module",
  "get_kernel_syms",
  "query_module",
  "nfsservctl",
  "uselib",
  "settimeofday",
  "clock_settime",
  "clock_adjtime",
  "adjtimex",
  "stime",
  "sethostname",
  "setdomainname",
  "kcmp",
  "fanotify_init",
  "pidfd_getfd",
  NULL,
};

/* Hooks run as root on the host before the container starts.  Docker's own
   libnetwork-setkey hook is the daemon binary re-executed.  */
static const char *const default_hook_allowlist[] = {
  "/usr/bin/dockerd",
  "/usr/sbin/dockerd",
  "/usr/local/bin/dockerd",
  NULL,
};

/* Host paths that no container may see, even read-only.  */
static const char *const default_mount_denylist[] = {
  "/",
  "/proc",
  "/sys",
  "/dev",
  "/boot",
  "/etc",
  "/root",
  "/home",
  "/var/lib/docker",
  "/var/lib/containerd",
  "/var/lib/kubelet",
  "/var/run/docker",
  "/run/docker",
  "/var/run/docker.sock",
  "/run/docker.sock",
  "/run/containerd",
  "/var/run/containerd",
  "/run/runc",
  "/run/policyrun",
  "/var/lib/policyrun",
  "/etc/policyrun",
  "/run/systemd",
  "/var/run/crio",
  "/run/crio",
  "/var/lib/containers",
  "/run/containers",
  "/var/run/containers",
  "/lib/modules",
  "/usr/lib/modules",
  NULL,
};

/* Annotations that change how the runtime or the host treats the container.  */
static const char *const default_annotation_denylist[] = {
  "org.systemd.property.", "dev.gvisor.", "org.criu.config", "run.oci.", NULL,
};

/* Host groups that grant more than an unprivileged user has: devices and
   disks, logs, password hashes, container engines, virtual machines.  */
static const char *const default_privileged_groups[] = {
  "root",    "sudo", "wheel", "adm",   "disk", "shadow",          "kmem", "docker", "kvm",
  "libvirt", "lxd",  "incus", "staff", "tty",  "systemd-journal", NULL,
};

const struct policy_rlimit_info policy_rlimit_info[POLICY_RLIMITS] = {
  { "RLIMIT_AS", "as" },
  { "RLIMIT_CORE", "core" },
  { "RLIMIT_CPU", "cpu" },
  { "RLIMIT_DATA", "data" },
  { "RLIMIT_FSIZE", "fsize" },
  { "RLIMIT_LOCKS", "locks" },
  { "RLIMIT_MEMLOCK", "memlock" },
  { "RLIMIT_MSGQUEUE", "msgqueue" },
  { "RLIMIT_NICE", "nice" },
  { "RLIMIT_NOFILE", "nofile" },
  { "RLIMIT_NPROC", "nproc" },
  { "RLIMIT_RSS", "rss" },
  { "RLIMIT_RTPRIO", "rtprio" },
  { "RLIMIT_RTTIME", "rttime" },
  { "RLIMIT_SIGPENDING", "sigpending" },
  { "RLIMIT_STACK", "stack" },
};

int
policy_rlimit_index (const char *name)
{
  for (int i = 0; i < POLICY_RLIMITS; i++)
    if (strcmp (policy_rlimit_info[i].name, name) == 0)
      return i;
  return -1;
}

uint64_t
policy_rlimit_ceiling (const struct policy *p, int index)
{
  if (strcmp (policy_rlimit_info[index].name, "RLIMIT_NOFILE") == 0)
    return p->nofile > 0 ? (uint64_t)p->nofile : POLICY_RLIMIT_UNLIMITED;
  return p->rlimit_max[index];
}

/* The rlimits that reach past the container get a ceiling; the rest only
   restrict the process itself (its memory is bounded by the cgroup, its
   time by the deadline), and a process without them inherits the
   runtime's, which is usually unlimited anyway.  */
static void
rlimit_defaults (struct policy *p)
{
  for (int i = 0; i < POLICY_RLIMITS; i++)
    p->rlimit_max[i] = POLICY_RLIMIT_UNLIMITED;
  /* SCHED_FIFO/SCHED_RR for an unprivileged process: not throttled by the
     CPU quota without RT group scheduling.  */
  p->rlimit_max[policy_rlimit_index ("RLIMIT_RTPRIO")] = 0;
  /* The raw value is 20 - the lowest nice allowed: 20 is nice 0.  */
  p->rlimit_max[policy_rlimit_index ("RLIMIT_NICE")] = 20;
  /* Counted per user across the host (uid 65534 is shared by every
     container and the host's nobody): the kernel's defaults.  */
  p->rlimit_max[policy_rlimit_index ("RLIMIT_MSGQUEUE")] = 819200;
  p->rlimit_max[policy_rlimit_index ("RLIMIT_SIGPENDING")] = 65536;
  /* Locked memory cannot be reclaimed; 64 MiB as in recent kernels'
     default for an ordinary user is 8 MiB, room for a database.  */
  p->rlimit_max[policy_rlimit_index ("RLIMIT_MEMLOCK")] = 67108864;
}

void
policy_defaults (struct policy *p)
{
  memset (p, 0, sizeof *p);
  p->source = xstrdup ("built-in");
  p->mode = MODE_ENFORCE;
  p->delegate = xstrdup (DEFAULT_DELEGATE);
  p->gvisor_delegate = xstrdup ("runsc");
  p->state_dir = xstrdup ("/run/policyrun");
  p->trail_file = xstrdup (POLICY_TRAIL_FILE);
  p->memory_bytes = 100 * 1024 * 1024;
  p->cpu_quota = 50000;
  p->cpu_period = 100000;
  p->pids_limit = 256;
  p->gvisor_pids_limit = 1024;
  p->nofile = 1024;
  p->timeout_seconds = 3600;
  p->require_non_root = true;
  list_set (&p->syscall_denylist, default_syscall_denylist);
  list_set (&p->hook_allowlist, default_hook_allowlist);
  list_set (&p->mount_denylist, default_mount_denylist);
  list_set (&p->annotation_denylist, default_annotation_denylist);
  list_set (&p->privileged_groups, default_privileged_groups);
  p->bind_scan_max_entries = 10000;
  p->userns_host_id = POLICY_USERNS_HOST_ID;
  p->userns_size = POLICY_USERNS_SIZE;
  rlimit_defaults (p);
}

static void
list_free (struct string_list *l)
{
  for (size_t i = 0; i < l->len; i++)
    free (l->items[i]);
  free (l->items);
  l->items = NULL;
  l->len = 0;
}

void
policy_free (struct policy *p)
{
  free (p->source);
  free (p->delegate);
  free (p->gvisor_delegate);
  free (p->state_dir);
  free (p->trail_file);
  list_free (&p->syscall_denylist);
  list_free (&p->hook_allowlist);
  list_free (&p->mount_denylist);
  list_free (&p->annotation_denylist);
  list_free (&p->privileged_groups);
  memset (p, 0, sizeof *p);
}

bool
string_list_contains (const struct string_list *l, const char *s)
{
  for (size_t i = 0; i < l->len; i++)
    if (strcmp (l->items[i], s) == 0)
      return true;
  return false;
}

/* ---- loading a policy file --------------------------------------------- */

static void
list_copy (struct string_list *dst, const struct string_list *src)
{
  dst->items = xcalloc (src->len + 1, sizeof *dst->items);
  for (size_t i = 0; i < src->len; i++)
    dst->items[i] = xstrdup (src->items[i]);
  dst->len = src->len;
}

static void
policy_copy (struct policy *dst, const struct policy *src)
{
  *dst = *src;
  dst->source = xstrdup (src->source ? src->source : "built-in");
  dst->delegate = src->delegate ? xstrdup (src->delegate) : NULL;
  dst->gvisor_delegate = src->gvisor_delegate ? xstrdup (src->gvisor_delegate) : NULL;
  dst->state_dir = src->state_dir ? xstrdup (src->state_dir) : NULL;
  dst->trail_file = src->trail_file ? xstrdup (src->trail_file) : NULL;
  list_copy (&dst->syscall_denylist, &src->syscall_denylist);
  list_copy (&dst->hook_allowlist, &src->hook_allowlist);
  list_copy (&dst->mount_denylist, &src->mount_denylist);
  list_copy (&dst->annotation_denylist, &src->annotation_denylist);
  list_copy (&dst->privileged_groups, &src->privileged_groups);
}

enum key_kind
{
  KEY_MODE,
  KEY_PROGRAM,  /* an absolute path, or a bare name looked up in PATH */
  KEY_ABS_PATH, /* an absolute path */
  KEY_TRAIL,    /* an absolute path that names a file, or "" (none) */
  KEY_INT,      /* an integer in [min, max] */
  KEY_BOOL,
  KEY_LIST,    /* an array of non-empty strings, each checked by item */
  KEY_RLIMITS, /* {"RLIMIT_X": integer >= 0 or "unlimited", ...} over the defaults */
};

enum item_kind
{
  ITEM_ANY,
  ITEM_ABS_PATH,
  ITEM_SYSCALL,
};

struct policy_key
{
  const char *name;
  enum key_kind kind;
  size_t offset;
  int64_t min, max;    /* KEY_INT */
  enum item_kind item; /* KEY_LIST */
};

#define FIELD(f) offsetof (struct policy, f)

/* Every key a policy file may hold.  Anything else is an error: a key
   misspelt by an administrator would otherwise leave the floor at a value
   they believe they changed.  */
static const struct policy_key policy_keys[] = {
  { "mode", KEY_MODE, FIELD (mode), 0, 0, ITEM_ANY },
  { "delegate", KEY_PROGRAM, FIELD (delegate), 0, 0, ITEM_ANY },
  { "gvisor_delegate", KEY_PROGRAM, FIELD (gvisor_delegate), 0, 0, ITEM_ANY },
  { "state_dir", KEY_ABS_PATH, FIELD (state_dir), 0, 0, ITEM_ANY },
  { "trail_file", KEY_TRAIL, FIELD (trail_file), 0, 0, ITEM_ANY },
  { "memory_bytes", KEY_INT, FIELD (memory_bytes), 1, INT64_MAX, ITEM_ANY },
  { "cpu_quota", KEY_INT, FIELD (cpu_quota), 1, INT64_MAX, ITEM_ANY },
  /* The kernel's bounds for cpu.cfs_period_us.  */
  { "cpu_period", KEY_INT, FIELD (cpu_period), 1000, 1000000, ITEM_ANY },
  { "pids_limit", KEY_INT, FIELD (pids_limit), 1, INT64_MAX, ITEM_ANY },
  { "gvisor_pids_limit", KEY_INT, FIELD (gvisor_pids_limit), 1, INT64_MAX, ITEM_ANY },
  { "nofile", KEY_INT, FIELD (nofile), 1, INT64_MAX, ITEM_ANY },
  /* The watchdog counts whole seconds in a timerfd; beyond ten years a
     deadline is a mistake, and far beyond it overflows.  */
  { "timeout_seconds", KEY_INT, FIELD (timeout_seconds), 0, POLICY_TIMEOUT_MAX, ITEM_ANY },
  { "require_non_root", KEY_BOOL, FIELD (require_non_root), 0, 0, ITEM_ANY },
  { "syscall_denylist", KEY_LIST, FIELD (syscall_denylist), 0, 0, ITEM_SYSCALL },
  { "hook_allowlist", KEY_LIST, FIELD (hook_allowlist), 0, 0, ITEM_ABS_PATH },
  { "mount_denylist", KEY_LIST, FIELD (mount_denylist), 0, 0, ITEM_ABS_PATH },
  { "annotation_denylist", KEY_LIST, FIELD (annotation_denylist), 0, 0, ITEM_ANY },
  { "privileged_groups", KEY_LIST, FIELD (privileged_groups), 0, 0, ITEM_ANY },
  { "bind_scan_max_entries", KEY_INT, FIELD (bind_scan_max_entries), 1, 10000000, ITEM_ANY },
  { "rlimits", KEY_RLIMITS, FIELD (rlimit_max), 0, 0, ITEM_ANY },
  /* Never 0: container root must not be host root.  */
  { "userns_host_id", KEY_INT, FIELD (userns_host_id), 1, POLICY_USERNS_ID_MAX, ITEM_ANY },
  { "userns_size", KEY_INT, FIELD (userns_size), POLICY_USERNS_SIZE, POLICY_USERNS_ID_MAX,
    ITEM_ANY },
};

static const struct policy_key *
policy_key_find (const char *name)
{
  for (size_t i = 0; i < sizeof policy_keys / sizeof policy_keys[0]; i++)
    if (strcmp (policy_keys[i].name, name) == 0)
      return &policy_keys[i];
  return NULL;
}

static int
wrong_type (const char *file, const char *key, const char *want, const json_value *v, char **err)
{
  return fail (err, "cannot load policy %s: \"%s\" must be %s, not %s", file, key, want,
               json_type_name (v->type));
}

static bool
is_absolute_path (const char *s)
{
  return s[0] == '/' && strlen (s) < PATH_MAX;
}

static int
check_list_item (const char *file, const struct policy_key *k, size_t i, const json_value *item,
                 char **err)
{
  if (item->type != JSON_STRING)
    return fail (err, "cannot load policy %s: \"%s\"[%zu] must be a string, not %s", file, k->name,
                 i, json_type_name (item->type));
  const char *s = item->u.string.s;
  if (s[0] == '\0')
    return fail (err, "cannot load policy %s: \"%s\"[%zu] is an empty string", file, k->name, i);
  switch (k->item)
    {
    case ITEM_ABS_PATH:
      if (!is_absolute_path (s))
        return fail (err, "cannot load policy %s: \"%s\"[%zu] is \"%s\", not an absolute path",
                     file, k->name, i, s);
      break;
    case ITEM_SYSCALL:
      /* A name libseccomp does not know would never match anything: the
         administrator's deny-list would silently deny less than it says.  */
      if (seccomp_syscall_resolve_name (s) == __NR_SCMP_ERROR)
        return fail (
            err,
            "cannot load policy %s: \"%s\"[%zu] is \"%s\", not a system call known to libseccomp",
            file, k->name, i, s);
      break;
    case ITEM_ANY:
      break;
    }
  return 0;
}

static void
list_from_json (struct string_list *l, const json_value *arr)
{
  list_free (l);
  l->items = xcalloc (arr->u.array.len + 1, sizeof *l->items);
  for (size_t i = 0; i < arr->u.array.len; i++)
    l->items[i] = xstrdup (arr->u.array.items[i]->u.string.s);
  l->len = arr->u.array.len;
}

/* "rlimits": ceilings by rlimit name, each an integer >= 0 or "unlimited";
   names not given keep their defaults.  RLIMIT_NOFILE has its own key.  */
static int
apply_rlimits (struct policy *p, const char *file, const json_value *v, char **err)
{
  if (v->type != JSON_OBJECT)
    return wrong_type (file, "rlimits", "an object", v, err);
  for (size_t i = 0; i < v->u.object.len; i++)
    {
      const struct json_member *m = &v->u.object.members[i];
      const json_value *val = m->value;
      int idx = policy_rlimit_index (m->key);
      if (idx < 0)
        return fail (err,
                     "cannot load policy %s: \"rlimits\" names \"%s\", not an rlimit runc knows",
                     file, m->key);
      if (strcmp (m->key, "RLIMIT_NOFILE") == 0)
        return fail (err,
                     "cannot load policy %s: \"rlimits\" names RLIMIT_NOFILE; its ceiling is "
                     "the key \"nofile\"",
                     file);
      if (val->type == JSON_STRING && strcmp (val->u.string.s, "unlimited") == 0)
        p->rlimit_max[idx] = POLICY_RLIMIT_UNLIMITED;
      else if (val->type == JSON_NUMBER && val->u.number.is_int && val->u.number.i >= 0)
        p->rlimit_max[idx] = (uint64_t)val->u.number.i;
      else
        {
          cleanup_free char *shown = val->type == JSON_NUMBER ? xstrdup (val->u.number.text)
                                     : val->type == JSON_STRING
                                         ? xasprintf ("\"%s\"", val->u.string.s)
                                         : xstrdup (json_type_name (val->type));
          return fail (err,
                       "cannot load policy %s: \"rlimits\".\"%s\" is %s, must be an integer "
                       "from 0 to %" PRId64 " or \"unlimited\"",
                       file, m->key, shown, INT64_MAX);
        }
    }
  return 0;
}

/* Check one member and store it in p.  */
static int
policy_apply_key (struct policy *p, const char *file, const struct policy_key *k,
                  const json_value *v, char **err)
{
  char *base = (char *)p + k->offset;
  switch (k->kind)
    {
    case KEY_MODE:
      {
        if (v->type != JSON_STRING)
          return wrong_type (file, k->name, "a string", v, err);
        const char *s = v->u.string.s;
        if (strcmp (s, "enforce") == 0)
          p->mode = MODE_ENFORCE;
        else if (strcmp (s, "audit") == 0)
          /* Judge, record, and let the caller's command run unchanged
             (cmd_audit.c).  */
          p->mode = MODE_AUDIT;
        else if (strcmp (s, "harden") == 0)
          /* Rewrite what falls short to the floor, refuse only what cannot
             be made safe (floor_harden_create).  */
          p->mode = MODE_HARDEN;
        else
          return fail (
              err, "cannot load policy %s: \"mode\" is \"%s\", not one of enforce, harden, audit",
              file, s);
        return 0;
      }
    case KEY_TRAIL:
      {
        if (v->type != JSON_STRING)
          return wrong_type (file, k->name, "a string", v, err);
        const char *s = v->u.string.s;
        size_t n = strlen (s);
        /* "" turns the file off (syslog only); otherwise a file's absolute
           name: not a directory's ("/x/"), not "/".  */
        if (n > 0 && (!is_absolute_path (s) || s[n - 1] == '/' || n >= PATH_MAX))
          return fail (err,
                       "cannot load policy %s: \"%s\" is \"%s\", not an absolute file name "
                       "(or \"\" for none)",
                       file, k->name, s);
        char **slot = (char **)base;
        free (*slot);
        *slot = xstrdup (s);
        return 0;
      }
    case KEY_PROGRAM:
    case KEY_ABS_PATH:
      {
        if (v->type != JSON_STRING)
          return wrong_type (file, k->name, "a string", v, err);
        const char *s = v->u.string.s;
        if (s[0] == '\0')
          return fail (err, "cannot load policy %s: \"%s\" is an empty string", file, k->name);
        if (k->kind == KEY_ABS_PATH && !is_absolute_path (s))
          return fail (err, "cannot load policy %s: \"%s\" is \"%s\", not an absolute path", file,
                       k->name, s);
        /* "bin/runc" would be looked up against whatever directory the
           caller happens to run policyrun from.  */
        if (k->kind == KEY_PROGRAM && s[0] != '/' && strchr (s, '/') != NULL)
          return fail (
              err,
              "cannot load policy %s: \"%s\" is \"%s\", neither an absolute path nor a bare "
              "program name",
              file, k->name, s);
        if (k->kind == KEY_PROGRAM && strlen (s) >= PATH_MAX)
          return fail (err, "cannot load policy %s: \"%s\" is longer than %d bytes", file, k->name,
                       PATH_MAX - 1);
        char **slot = (char **)base;
        free (*slot);
        *slot = xstrdup (s);
        return 0;
      }
    case KEY_INT:
      {
        if (v->type != JSON_NUMBER)
          return wrong_type (file, k->name, "an integer", v, err);
        if (!v->u.number.is_int)
          return fail (err, "cannot load policy %s: \"%s\" is %s, not an integer", file, k->name,
                       v->u.number.text);
        int64_t n = v->u.number.i;
        if (n < k->min || n > k->max)
          {
            if (k->max == INT64_MAX)
              return fail (err, "cannot load policy %s: \"%s\" is %s, must be at least %" PRId64,
                           file, k->name, v->u.number.text, k->min);
            return fail (err,
                         "cannot load policy %s: \"%s\" is %s, must be between %" PRId64
                         " and %" PRId64,
                         file, k->name, v->u.number.text, k->min, k->max);
          }
        *(int64_t *)base = n;
        return 0;
      }
    case KEY_BOOL:
      if (v->type != JSON_BOOL)
        return wrong_type (file, k->name, "true or false", v, err);
      *(bool *)base = v->u.boolean;
      return 0;
    case KEY_LIST:
      if (v->type != JSON_ARRAY)
        return wrong_type (file, k->name, "an array of strings", v, err);
      for (size_t i = 0; i < v->u.array.len; i++)
        if (check_list_item (file, k, i, v->u.array.items[i], err) < 0)
          return -1;
      list_from_json ((struct string_list *)base, v);
      return 0;
    case KEY_RLIMITS:
      return apply_rlimits (p, file, v, err);
    }
  return fail (err, "cannot load policy %s: internal error on \"%s\"", file, k->name);
}

/* Whoever can write the file, or replace it through its directory, decides
   the floor.  As root only root may; otherwise root or the user running
   policyrun.  A sticky directory (such as /tmp) keeps others from replacing
   a file they do not own.  */
static int
check_owner_and_mode (const char *file, const char *what, const struct stat *st, bool dir,
                      char **err)
{
  uid_t me = geteuid ();
  if (st->st_uid != 0 && (me == 0 || st->st_uid != me))
    return fail (err, "cannot load policy %s: %s is owned by uid %ju, not by root%s", file, what,
                 (uintmax_t)st->st_uid, me == 0 ? "" : " or the current user");
  if ((st->st_mode & (S_IWGRP | S_IWOTH)) != 0 && !(dir && (st->st_mode & S_ISVTX) != 0))
    return fail (err, "cannot load policy %s: %s is writable by %s (mode %04o)", file, what,
                 (st->st_mode & S_IWOTH) ? "others" : "its group", (unsigned)(st->st_mode & 07777));
  return 0;
}

static int
check_parent_dir (const char *file, char **err)
{
  cleanup_free char *real = realpath (file, NULL);
  if (real == NULL)
    return fail (err, "cannot load policy %s: cannot resolve its path: %s", file, strerror (errno));
  char *slash = strrchr (real, '/');
  if (slash == real)
    slash[1] = '\0';
  else
    *slash = '\0';
  struct stat st;
  if (stat (real, &st) < 0)
    return fail (err, "cannot load policy %s: cannot inspect its directory %s: %s", file, real,
                 strerror (errno));
  cleanup_free char *what = xasprintf ("its directory %s", real);
  return check_owner_and_mode (file, what, &st, true, err);
}

/* open(2)'s reasons, without the C library's wording for ENOENT and
   EACCES: callers map those phrases to "command not found" exit codes.  */
static const char *
open_problem (int e)
{
  switch (e)
    {
    case ENOENT:
      return "does not exist";
    case EACCES:
    case EPERM:
      return "cannot be opened (access refused)";
    case ELOOP:
      return "has too many levels of symbolic links";
    default:
      return strerror (e);
    }
}

int
policy_load (struct policy *p, const char *path, char **err)
{
  const char *file = path != NULL ? path : POLICY_DEFAULT_PATH;

  /* O_NONBLOCK: a FIFO planted at the path must not hang every container
     start; it is refused below as not a regular file.  */
  cleanup_close int fd = open (file, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0)
    {
      int e = errno;
      struct stat lst;
      /* No policy file at the default place is the built-in floor; a
         dangling symbolic link there is a file someone meant to exist.  */
      if (path == NULL && e == ENOENT && lstat (file, &lst) < 0 && errno == ENOENT)
        return 0;
      if (e == ENOENT && lstat (file, &lst) == 0)
        return fail (err, "cannot load policy %s: is a dangling symbolic link", file);
      return fail (err, "cannot load policy %s: %s", file, open_problem (e));
    }

  struct stat st;
  if (fstat (fd, &st) < 0)
    return fail (err, "cannot load policy %s: cannot inspect it: %s", file, strerror (errno));
  if (!S_ISREG (st.st_mode))
    return fail (err, "cannot load policy %s: is not a regular file", file);
  if (check_owner_and_mode (file, "the file", &st, false, err) < 0)
    return -1;
  if (check_parent_dir (file, err) < 0)
    return -1;

  cleanup_json json_value *root = NULL;
  cleanup_free char *jerr = NULL;
  if (json_load_fd (fd, &root, &jerr) < 0)
    return fail (err, "cannot load policy %s: %s", file, jerr);
  if (root->type != JSON_OBJECT)
    return fail (err, "cannot load policy %s: must hold a JSON object, not %s", file,
                 json_type_name (root->type));

  /* Work on a copy so that a refused file leaves nothing half-applied.  */
  struct policy next;
  policy_copy (&next, p);
  for (size_t i = 0; i < root->u.object.len; i++)
    {
      const struct json_member *m = &root->u.object.members[i];
      const struct policy_key *k = policy_key_find (m->key);
      int r = k == NULL ? fail (err, "cannot load policy %s: unknown key \"%s\"", file, m->key)
                        : policy_apply_key (&next, file, k, m->value, err);
      if (r < 0)
        {
          policy_free (&next);
          return -1;
        }
    }
  if (next.userns_host_id + next.userns_size - 1 > POLICY_USERNS_ID_MAX)
    {
      policy_free (&next);
      return fail (err,
                   "cannot load policy %s: \"userns_host_id\" %" PRId64
                   " and \"userns_size\" %" PRId64 " reach past host id %" PRId64,
                   file, next.userns_host_id, next.userns_size, (int64_t)POLICY_USERNS_ID_MAX);
    }
  free (next.source);
  next.source = xstrdup (file);
  policy_free (p);
  *p = next;
  return 0;
}
