/* policyrun: the container's checked seccomp profile compiled into classic
   BPF, as runc 1.1 compiles it (libcontainer/seccomp/seccomp_linux.go and
   specconv's SetupSeccomp), for the loader of processes exec'd into a
   gVisor container (see seccomp-bpf.h).  The profile is read as the floor
   read it: conditions through rule_args_parse (floor/seccomp.h), so what is
   compiled is what was judged.  */
#include "config.h"
#include "seccomp-bpf.h"

#include <errno.h>
#include <limits.h>
#include <linux/filter.h>
#include <seccomp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "floor/seccomp.h"
#include "spec.h"
#include "util.h"

static const enum scmp_compare cmp_of[] = {
  [OP_NE] = SCMP_CMP_NE,
  [OP_LT] = SCMP_CMP_LT,
  [OP_LE] = SCMP_CMP_LE,
  [OP_EQ] = SCMP_CMP_EQ,
  [OP_GE] = SCMP_CMP_GE,
  [OP_GT] = SCMP_CMP_GT,
  [OP_MASKED_EQ] = SCMP_CMP_MASKED_EQ,
};

/* errnoRet (a *uint in runc): absent or null is EPERM; runc hands libseccomp
   int16(value), of which the filter keeps the low 16 bits.  */
static int
errno_ret (const json_value *obj, const char *field, uint16_t *out, char **err)
{
  int64_t v = EPERM;
  spec_status s = spec_get_int (obj, field, 0, INT64_MAX, &v);
  if (s == SPEC_ABSENT || s == SPEC_NULL)
    v = EPERM;
  else if (s != SPEC_OK)
    return fail (err, "seccomp: %s is not an unsigned integer", field);
  *out = (uint16_t)v;
  return 0;
}

/* runc's getAction: the action name and its errnoRet field to libseccomp's
   action.  NOTIFY needs a listener outside the container (the floor refuses
   it) and is refused here too.  */
static int
action_of (const json_value *obj, const char *name_field, const char *errno_field, uint32_t *out,
           char **err)
{
  const char *name = NULL;
  if (spec_get_string (obj, name_field, &name) != SPEC_OK)
    return fail (err, "seccomp: %s is not a string", name_field);
  uint16_t e = EPERM;
  if (strcmp (name, "SCMP_ACT_KILL") == 0 || strcmp (name, "SCMP_ACT_KILL_THREAD") == 0)
    *out = SCMP_ACT_KILL_THREAD;
  else if (strcmp (name, "SCMP_ACT_KILL_PROCESS") == 0)
    *out = SCMP_ACT_KILL_PROCESS;
  else if (strcmp (name, "SCMP_ACT_TRAP") == 0)
    *out = SCMP_ACT_TRAP;
  else if (strcmp (name, "SCMP_ACT_ALLOW") == 0)
    *out = SCMP_ACT_ALLOW;
  else if (strcmp (name, "SCMP_ACT_LOG") == 0)
    *out = SCMP_ACT_LOG;
  else if (strcmp (name, "SCMP_ACT_ERRNO") == 0)
    {
      if (errno_ret (obj, errno_field, &e, err) < 0)
        return -1;
      *out = SCMP_ACT_ERRNO (e);
    }
  else if (strcmp (name, "SCMP_ACT_TRACE") == 0)
    {
      if (errno_ret (obj, errno_field, &e, err) < 0)
        return -1;
      *out = SCMP_ACT_TRACE (e);
    }
  else
    return fail (err, "seccomp: action \"%s\" cannot be compiled for an exec'd process", name);
  return 0;
}

static int
add_architectures (scmp_filter_ctx f, const json_value *seccomp, char **err)
{
  const json_value *arches = json_object_get (seccomp, "architectures");
  if (arches == NULL || arches->type == JSON_NULL)
    return 0;
  if (arches->type != JSON_ARRAY)
    return fail (err, "seccomp: architectures is not an array");
  for (size_t i = 0; i < arches->u.array.len; i++)
    {
      const json_value *a = arches->u.array.items[i];
      uint32_t arch = a->type == JSON_STRING ? seccomp_arch_of_name (a->u.string.s) : 0;
      if (arch == 0)
        return fail (err, "seccomp: architectures[%zu] is not an architecture runc knows", i);
      /* The native one is in every filter already (runc ignores EEXIST).  */
      int r = seccomp_arch_add (f, arch);
      if (r < 0 && r != -EEXIST)
        return fail (err, "seccomp: cannot add architecture %s: %s", a->u.string.s, strerror (-r));
    }
  return 0;
}

/* One name of a rule, as runc's matchCall adds it.  */
static int
add_name (scmp_filter_ctx f, int nr, const char *name, uint32_t action, const json_value *rule,
          char **err)
{
  struct rule_args a;
  rule_args_parse (rule, &a);
  int r = 0;
  if (!a.loadable)
    r = fail (err, "seccomp: a condition of the rule for %s cannot be loaded", name);
  else if (a.n == 0)
    {
      r = seccomp_rule_add_array (f, action, nr, 0, NULL);
      if (r < 0)
        r = fail (err, "seccomp: libseccomp refused the rule for %s: %s", name, strerror (-r));
    }
  else
    {
      struct scmp_arg_cmp *cmp = xcalloc (a.n, sizeof *cmp);
      for (size_t i = 0; i < a.n; i++)
        cmp[i] = (struct scmp_arg_cmp){ .arg = a.conds[i].index,
                                        .op = cmp_of[a.conds[i].op],
                                        .datum_a = a.conds[i].value,
                                        .datum_b = a.conds[i].value_two };
      /* Conditions repeated on one argument: each a rule of its own (OR).  */
      size_t rules = a.or_split ? a.n : 1, per_rule = a.or_split ? 1 : a.n;
      for (size_t i = 0; i < rules && r == 0; i++)
        {
          r = seccomp_rule_add_array (f, action, nr, (unsigned)per_rule, cmp + i);
          if (r < 0)
            r = fail (err, "seccomp: libseccomp refused a rule for %s: %s", name, strerror (-r));
        }
      free (cmp);
    }
  free (a.conds);
  return r;
}

static int
add_rule (scmp_filter_ctx f, const json_value *rule, size_t index, uint32_t default_action,
          size_t *skipped, char **err)
{
  if (rule->type != JSON_OBJECT)
    return fail (err, "seccomp: syscalls[%zu] is not an object", index);
  uint32_t action = 0;
  if (action_of (rule, "action", "errnoRet", &action, err) < 0)
    return -1;
  const json_value *names = json_object_get (rule, "names");
  if (names == NULL || names->type == JSON_NULL)
    return 0;
  if (names->type != JSON_ARRAY)
    return fail (err, "seccomp: syscalls[%zu].names is not an array", index);
  for (size_t k = 0; k < names->u.array.len; k++)
    {
      const json_value *n = names->u.array.items[k];
      if (n->type != JSON_STRING || n->u.string.s[0] == '\0')
        return fail (err, "seccomp: syscalls[%zu].names[%zu] is not a system call name", index, k);
      /* runc: a rule that repeats the default is redundant; a name this
         libseccomp does not know is taken as a call this kernel lacks.  */
      if (action == default_action)
        continue;
      int nr = seccomp_syscall_resolve_name (n->u.string.s);
      if (nr == __NR_SCMP_ERROR)
        {
          (*skipped)++;
          continue;
        }
      if (add_name (f, nr, n->u.string.s, action, rule, err) < 0)
        return -1;
    }
  return 0;
}

/* libseccomp writes the program to a descriptor; a memfd holds it.  */
static int
export_program (scmp_filter_ctx f, struct seccomp_bpf *out, char **err)
{
  cleanup_close int fd = memfd_create ("policyrun-seccomp-bpf", MFD_CLOEXEC);
  if (fd < 0)
    return fail (err, "seccomp: memfd_create: %s", strerror (errno));
  int r = seccomp_export_bpf (f, fd);
  if (r < 0)
    return fail (err, "seccomp: libseccomp cannot export the filter: %s", strerror (-r));
  if (lseek (fd, 0, SEEK_SET) < 0)
    return fail (err, "seccomp: lseek: %s", strerror (errno));
  char *buf = NULL;
  size_t len = 0;
  size_t max = BPF_MAXINSNS * sizeof (struct sock_filter);
  if (read_all_fd (fd, max, &buf, &len, err) < 0)
    return -1;
  if (len == 0 || len % sizeof (struct sock_filter) != 0)
    {
      free (buf);
      return fail (err, "seccomp: libseccomp exported %zu bytes, not a BPF program", len);
    }
  out->program = (unsigned char *)buf;
  out->len = len;
  return 0;
}

int
seccomp_bpf_compile (const json_value *seccomp, struct seccomp_bpf *out, char **err)
{
  *out = (struct seccomp_bpf){ 0 };
  if (seccomp == NULL || seccomp->type != JSON_OBJECT)
    return fail (err, "seccomp: the container has no seccomp profile");
  const char *listener = NULL;
  if (spec_get_string (seccomp, "listenerPath", &listener) == SPEC_OK && listener[0] != '\0')
    return fail (err, "seccomp: a notify listener cannot serve an exec'd process");
  uint32_t default_action = 0;
  if (action_of (seccomp, "defaultAction", "defaultErrnoRet", &default_action, err) < 0)
    return -1;
  scmp_filter_ctx f = seccomp_init (default_action);
  if (f == NULL)
    return fail (err, "seccomp: libseccomp refused the default action");
  int r = add_architectures (f, seccomp, err);
  const json_value *syscalls = json_object_get (seccomp, "syscalls");
  if (r == 0 && syscalls != NULL && syscalls->type != JSON_NULL && syscalls->type != JSON_ARRAY)
    r = fail (err, "seccomp: syscalls is not an array");
  for (size_t i = 0;
       r == 0 && syscalls != NULL && syscalls->type == JSON_ARRAY && i < syscalls->u.array.len; i++)
    r = add_rule (f, syscalls->u.array.items[i], i, default_action, &out->skipped, err);
  if (r == 0)
    r = export_program (f, out, err);
  seccomp_release (f);
  return r;
}

void
seccomp_bpf_free (struct seccomp_bpf *b)
{
  free (b->program);
  b->program = NULL;
  b->len = 0;
}

char *
seccomp_bpf_hex (const struct seccomp_bpf *b)
{
  static const char digits[] = "0123456789abcdef";
  char *hex = xmalloc (2 * b->len + 1);
  for (size_t i = 0; i < b->len; i++)
    {
      hex[2 * i] = digits[b->program[i] >> 4];
      hex[2 * i + 1] = digits[b->program[i] & 0xf];
    }
  hex[2 * b->len] = '\0';
  return hex;
}

/* A loader anyone but root (or policyrun's user) could replace would run
   first in every exec'd process, before any filter.  */
static int
loader_usable (const char *path, char **err)
{
  struct stat st;
  if (stat (path, &st) < 0)
    return errno == ENOENT ? 0 : fail (err, "cannot inspect %s: %s", path, strerror (errno));
  if (!S_ISREG (st.st_mode) || (st.st_mode & 0111) == 0)
    return fail (err, "%s is not an executable regular file", path);
  if (st.st_uid != 0 && st.st_uid != geteuid ())
    return fail (err, "%s is not trusted: it is owned by uid %u, not by root", path,
                 (unsigned)st.st_uid);
  if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0)
    return fail (err, "%s is not trusted: it is writable by %s (mode %04o)", path,
                 (st.st_mode & S_IWOTH) ? "others" : "its group", (unsigned)(st.st_mode & 07777));
  /* The container's user, whoever it is, runs it.  */
  if ((st.st_mode & (S_IROTH | S_IXOTH)) != (S_IROTH | S_IXOTH))
    return fail (err, "%s cannot be run by the container's user (mode %04o, needs o+rx)", path,
                 (unsigned)(st.st_mode & 07777));
  return 1;
}

int
exec_seccomp_loader (char **path, char **err)
{
  cleanup_free char *self = realpath ("/proc/self/exe", NULL);
  cleanup_free char *beside = NULL;
  if (self != NULL)
    {
      char *slash = strrchr (self, '/');
      if (slash != NULL)
        *slash = '\0';
      beside = xasprintf ("%s/" EXEC_SECCOMP_LOADER_NAME, self);
    }
  const char *candidates[] = {
    beside,
#ifdef POLICYRUN_PKGLIBEXECDIR
    POLICYRUN_PKGLIBEXECDIR "/" EXEC_SECCOMP_LOADER_NAME,
#endif
  };
  for (size_t i = 0; i < sizeof candidates / sizeof candidates[0]; i++)
    {
      if (candidates[i] == NULL)
        continue;
      int r = loader_usable (candidates[i], err);
      if (r < 0)
        return -1;
      if (r == 1)
        {
          *path = xstrdup (candidates[i]);
          return 0;
        }
    }
  return fail (err,
               "gVisor: policyrun's exec loader " EXEC_SECCOMP_LOADER_NAME
               " is not installed (looked beside %s%s); without it a process exec'd into "
               "the container would run without its seccomp filter",
               self ? self : "policyrun",
#ifdef POLICYRUN_PKGLIBEXECDIR
               " and in " POLICYRUN_PKGLIBEXECDIR
#else
               ""
#endif
  );
}
