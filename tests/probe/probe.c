/* probe: a static program run inside a container that reports, one
   "NAME VALUE" line each, what the container lets a process do.  The
   integration tests run it in a policyrun container and in a loose one and
   compare the two tables, so every line must be able to tell them apart.

     probe [table] [-p PORT] [-r PATH]   the table (PORT: a loopback listener
                                         to connect to; PATH: a read-only bind)
     probe mem [MAX_MIB]                 allocate and touch 1 MiB at a time
     probe cpu SECONDS [WORKERS]         burn CPU in WORKERS processes
     probe fork [MAX]                    fork until fork fails (or MAX)
     probe listen [PORT]                 on the host: listen on 127.0.0.1

   Values are "ok" when the operation succeeded, the errno name (EPERM,
   EROFS, ...) when it failed, or "killed-by-SIGNAL" when the process died
   trying.  Every check that could change the probe's own state (its uid,
   its namespaces, its tracer) runs in a child of its own so that one check
   never colours the next.

   Under gVisor (runsc) the table is read from the sandbox's own kernel,
   which answers some questions differently from Linux; each row that needs
   it says how it is read there and why (look for "gVisor").  Whatever
   Linux answers, the probe prints exactly what it printed before.  */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/io_uring.h>
#include <linux/keyctl.h>
#include <linux/sched.h>
#include <net/if.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <mntent.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *
errname (int e)
{
  const char *n = strerrorname_np (e);
  return n != NULL ? n : "EUNKNOWN";
}

static void
row (const char *name, const char *value)
{
  printf ("%s %s\n", name, value);
  fflush (stdout);
}

/* A check returns 0 on success or an errno value.  */
typedef int (*check_fn) (const void *arg);

/* Run fn in a child so its side effects (a new uid, a new namespace) stay
   there, and turn the outcome into a table value.  */
static void
row_check (const char *name, check_fn fn, const void *arg)
{
  pid_t pid = fork ();
  if (pid < 0)
    {
      printf ("%s fork-%s\n", name, errname (errno));
      fflush (stdout);
      return;
    }
  if (pid == 0)
    _exit (fn (arg) & 0xff);
  int status = 0;
  while (waitpid (pid, &status, 0) < 0 && errno == EINTR)
    ;
  char buf[64];
  if (WIFSIGNALED (status))
    {
      const char *s = sigabbrev_np (WTERMSIG (status));
      snprintf (buf, sizeof buf, "killed-by-SIG%s", s != NULL ? s : "UNKNOWN");
    }
  else if (WEXITSTATUS (status) == 0)
    snprintf (buf, sizeof buf, "ok");
  else
    snprintf (buf, sizeof buf, "%s", errname (WEXITSTATUS (status)));
  row (name, buf);
}

static int
result (long ret)
{
  return ret < 0 ? errno : 0;
}

/* NoNewPrivs from prctl(2), for a kernel whose /proc/self/status leaves
   the line out; value stays "absent" when prctl cannot answer either.  */
static void
no_new_privs_fallback (char *value, size_t size)
{
  int r = prctl (PR_GET_NO_NEW_PRIVS, 0UL, 0UL, 0UL, 0UL);
  if (r >= 0)
    snprintf (value, size, "%d", r);
}

/* Fields of /proc/self/status are read, not computed, so the probe reports
   what the kernel holds for the process.  */
static void
status_rows (void)
{
  static const struct
  {
    const char *field, *name;
  } fields[] = {
    { "CapEff:", "cap_eff" },  { "CapPrm:", "cap_prm" }, { "CapBnd:", "cap_bnd" },
    { "CapInh:", "cap_inh" },  { "CapAmb:", "cap_amb" }, { "NoNewPrivs:", "no_new_privs" },
    { "Seccomp:", "seccomp" },
  };
  FILE *f = fopen ("/proc/self/status", "re");
  char line[512];
  const size_t n = sizeof fields / sizeof fields[0];
  char values[sizeof fields / sizeof fields[0]][128];
  for (size_t i = 0; i < n; i++)
    strcpy (values[i], "absent");
  while (f != NULL && fgets (line, sizeof line, f) != NULL)
    for (size_t i = 0; i < n; i++)
      {
        size_t len = strlen (fields[i].field);
        if (strncmp (line, fields[i].field, len) != 0)
          continue;
        char *v = line + len;
        v += strspn (v, " \t");
        v[strcspn (v, "\n")] = '\0';
        snprintf (values[i], sizeof values[i], "%s", v);
      }
  if (f != NULL)
    fclose (f);
  /* gVisor's /proc/self/status has no NoNewPrivs: line (Linux has it since
     4.10), so there the same fact is asked of prctl(2), which gVisor
     implements.  Linux always has the line, so a table read under runc never
     changes.  gVisor (20221219) also has no CapAmb: line and no
     PR_CAP_AMBIENT (EINVAL), so cap_amb reads "absent" there: the ambient
     set is a subset of the permitted and inheritable ones, and the cap_prm
     and cap_inh rows show those empty.  */
  for (size_t i = 0; i < n; i++)
    if (strcmp (fields[i].field, "NoNewPrivs:") == 0 && strcmp (values[i], "absent") == 0)
      no_new_privs_fallback (values[i], sizeof values[i]);
  for (size_t i = 0; i < n; i++)
    row (fields[i].name, values[i]);
}

static void
id_rows (void)
{
  char buf[512];
  snprintf (buf, sizeof buf, "%u", (unsigned)getuid ());
  row ("uid", buf);
  snprintf (buf, sizeof buf, "%u", (unsigned)getgid ());
  row ("gid", buf);
  gid_t groups[64];
  int n = getgroups (64, groups);
  size_t off = 0;
  buf[0] = '\0';
  for (int i = 0; i < n && off < sizeof buf - 16; i++)
    off += (size_t)snprintf (buf + off, sizeof buf - off, "%s%u", i ? "," : "",
                             (unsigned)groups[i]);
  row ("groups", n > 0 ? buf : "none");
}

/* /proc/self/uid_map or gid_map compacted to one value: each line's three
   numbers (id inside, id outside, count) joined by ':', lines by ','.  The
   initial user namespace reads "0:0:4294967295"; a container in a user
   namespace of its own shows where its ids land on the host.  */
static void
id_map_row (const char *name, const char *path)
{
  char buf[512] = "";
  size_t off = 0;
  FILE *f = fopen (path, "re");
  if (f == NULL)
    {
      snprintf (buf, sizeof buf, "error-%s", errname (errno));
      row (name, buf);
      return;
    }
  unsigned long inside, outside, count;
  while (off < sizeof buf - 40 && fscanf (f, "%lu %lu %lu", &inside, &outside, &count) == 3)
    off += (size_t)snprintf (buf + off, sizeof buf - off, "%s%lu:%lu:%lu", off ? "," : "", inside,
                             outside, count);
  fclose (f);
  row (name, off ? buf : "empty");
}

static void
interface_row (void)
{
  struct if_nameindex *ifs = if_nameindex ();
  if (ifs == NULL)
    {
      char buf[64];
      snprintf (buf, sizeof buf, "error-%s", errname (errno));
      row ("interfaces", buf);
      return;
    }
  char buf[1024];
  size_t off = 0;
  buf[0] = '\0';
  for (struct if_nameindex *i = ifs; i->if_index != 0 && i->if_name != NULL; i++)
    if (off < sizeof buf - IF_NAMESIZE - 2)
      off += (size_t)snprintf (buf + off, sizeof buf - off, "%s%s", off ? "," : "", i->if_name);
  if_freenameindex (ifs);
  row ("interfaces", off ? buf : "none");
}

/* Reads the container's own cgroup (v1 layout, as runc mounts it) so the
   table shows the limits the process lives under.  */
static void
cgroup_row (const char *name, const char *path)
{
  char buf[128] = "absent";
  FILE *f = fopen (path, "re");
  if (f != NULL)
    {
      if (fgets (buf, sizeof buf, f) == NULL)
        strcpy (buf, "empty");
      buf[strcspn (buf, "\n")] = '\0';
      fclose (f);
    }
  row (name, buf);
}

static int
check_tcp_connect (const void *arg)
{
  int port = *(const int *)arg;
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0)
    return errno;
  struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons ((uint16_t)port) };
  sa.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  if (connect (fd, (struct sockaddr *)&sa, sizeof sa) == 0)
    return 0;
  if (errno != EINPROGRESS)
    return errno;
  struct pollfd p = { .fd = fd, .events = POLLOUT };
  int r = poll (&p, 1, 3000);
  if (r == 0)
    return ETIMEDOUT;
  if (r < 0)
    return errno;
  int soerr = 0;
  socklen_t len = sizeof soerr;
  if (getsockopt (fd, SOL_SOCKET, SO_ERROR, &soerr, &len) < 0)
    return errno;
  return soerr;
}

static int
check_setuid (const void *arg)
{
  return result (setuid (*(const uid_t *)arg));
}

static int
check_raw_socket (const void *arg)
{
  (void)arg;
  return result (socket (AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMP));
}

/* gVisor checks a directory's permissions before its mount's read-only
   flag, so a create in a directory the process may not write (an image's
   "/", root's 0755) fails with EACCES there even on a read-only mount.
   Linux checks the mount first (lookup_open() answers EROFS without asking
   may_o_create()), so on Linux a create never meets EACCES on a read-only
   mount and this changes nothing under runc.  The row is about the mount:
   an EACCES in a directory whose mount is read-only reads EROFS.  gVisor's
   statvfs() leaves ST_RDONLY out, so the mount's options are read from
   /proc/self/mounts: those of the deepest mount directory holding dir, the
   last of equals (a later mount on the same directory hides an earlier).  */
static int
readonly_or_eacces (const char *dir)
{
  FILE *f = setmntent ("/proc/self/mounts", "re");
  if (f == NULL)
    return EACCES;
  bool readonly = false;
  size_t best = 0;
  struct mntent *m;
  while ((m = getmntent (f)) != NULL)
    {
      size_t len = strlen (m->mnt_dir);
      bool holds
          = strcmp (m->mnt_dir, "/") == 0
            || (strncmp (dir, m->mnt_dir, len) == 0 && (dir[len] == '\0' || dir[len] == '/'));
      if (holds && len >= best)
        {
          best = len;
          readonly = hasmntopt (m, "ro") != NULL;
        }
    }
  endmntent (f);
  return readonly ? EROFS : EACCES;
}

/* Creates a file in a directory, or opens an existing file for writing
   (without changing it): both are refused by a read-only mount.  */
static int
check_write (const void *arg)
{
  const char *path = arg;
  struct stat st;
  if (stat (path, &st) < 0)
    return errno;
  char file[4096];
  if (S_ISDIR (st.st_mode))
    {
      snprintf (file, sizeof file, "%s/.probe-write-%d", strcmp (path, "/") ? path : "",
                (int)getpid ());
      int fd = open (file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
      if (fd < 0)
        return errno == EACCES ? readonly_or_eacces (path) : errno;
      close (fd);
      unlink (file);
      return 0;
    }
  int fd = open (path, O_WRONLY | O_APPEND | O_CLOEXEC);
  if (fd < 0)
    return errno;
  close (fd);
  return 0;
}

static int
check_mount (const void *arg)
{
  (void)arg;
  static const char *const targets[] = { "/mnt", "/tmp", "/" };
  const char *target = "/";
  struct stat st;
  for (size_t i = 0; i < sizeof targets / sizeof targets[0]; i++)
    if (stat (targets[i], &st) == 0 && S_ISDIR (st.st_mode))
      {
        target = targets[i];
        break;
      }
  if (mount ("probe", target, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=64k") < 0)
    return errno;
  umount2 (target, MNT_DETACH);
  return 0;
}

static int
check_unshare (const void *arg)
{
  return result (unshare (*(const int *)arg));
}

/* A new user namespace (with the full capability set inside it) through
   clone(2) and clone3(2), the ways around a filter on unshare(2).  The child
   leaves at once; only whether the kernel made it counts.  */
static int
check_clone (const void *arg)
{
  long flags = *(const int *)arg | SIGCHLD;
  long pid = syscall (SYS_clone, flags, NULL, NULL, NULL, NULL);
  if (pid == 0)
    _exit (0);
  if (pid < 0)
    return errno;
  waitpid ((pid_t)pid, NULL, 0);
  return 0;
}

static int
check_clone3 (const void *arg)
{
  struct clone_args ca;
  memset (&ca, 0, sizeof ca);
  ca.flags = (uint64_t) * (const int *)arg;
  ca.exit_signal = SIGCHLD;
  long pid = syscall (SYS_clone3, &ca, sizeof ca);
  if (pid == 0)
    _exit (0);
  if (pid < 0)
    return errno;
  waitpid ((pid_t)pid, NULL, 0);
  return 0;
}

/* AF_VSOCK ignores network namespaces.  Only the socket is made: nothing is
   sent anywhere.  */
static int
check_vsock (const void *arg)
{
  (void)arg;
  return result (socket (40 /* AF_VSOCK */, SOCK_STREAM | SOCK_CLOEXEC, 0));
}

static int
check_setns (const void *arg)
{
  (void)arg;
  int fd = open ("/proc/self/ns/uts", O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return errno;
  return result (setns (fd, CLONE_NEWUTS));
}

static int
check_keyctl (const void *arg)
{
  (void)arg;
  return result (syscall (SYS_keyctl, KEYCTL_GET_KEYRING_ID, KEY_SPEC_SESSION_KEYRING, 1));
}

static int
check_bpf (const void *arg)
{
  (void)arg;
  union bpf_attr attr;
  memset (&attr, 0, sizeof attr);
  attr.map_type = BPF_MAP_TYPE_ARRAY;
  attr.key_size = 4;
  attr.value_size = 4;
  attr.max_entries = 1;
  return result (syscall (SYS_bpf, BPF_MAP_CREATE, &attr, sizeof attr));
}

static int
check_ptrace (const void *arg)
{
  (void)arg;
  pid_t child = fork ();
  if (child < 0)
    return errno;
  if (child == 0)
    {
      pause ();
      _exit (0);
    }
  int ret = result (ptrace (PTRACE_ATTACH, child, NULL, NULL));
  kill (child, SIGKILL);
  waitpid (child, NULL, 0);
  return ret;
}

static int
check_io_uring (const void *arg)
{
  (void)arg;
  struct io_uring_params params;
  memset (&params, 0, sizeof params);
  return result (syscall (SYS_io_uring_setup, 1, &params));
}

static int
mode_table (int argc, char **argv)
{
  int port = -1;
  const char *ro_path = NULL;
  for (int i = 0; i < argc; i++)
    {
      if (strcmp (argv[i], "-p") == 0 && i + 1 < argc)
        port = atoi (argv[++i]);
      else if (strcmp (argv[i], "-r") == 0 && i + 1 < argc)
        ro_path = argv[++i];
      else
        {
          fprintf (stderr, "probe: unknown argument %s\n", argv[i]);
          return 2;
        }
    }

  id_rows ();
  id_map_row ("uid_map", "/proc/self/uid_map");
  id_map_row ("gid_map", "/proc/self/gid_map");
  status_rows ();
  interface_row ();
  /* gVisor (20221219) does not mount the spec's cgroup filesystem:
     /sys/fs/cgroup is an empty directory and these rows read "absent".  runsc
     applies the limits on the host, to the cgroup of the sandbox; the tests
     read them there (and see them at work with the mem/cpu/fork modes).  */
  cgroup_row ("cg_memory_limit", "/sys/fs/cgroup/memory/memory.limit_in_bytes");
  cgroup_row ("cg_memsw_limit", "/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes");
  cgroup_row ("cg_cpu_quota", "/sys/fs/cgroup/cpu/cpu.cfs_quota_us");
  cgroup_row ("cg_cpu_period", "/sys/fs/cgroup/cpu/cpu.cfs_period_us");
  cgroup_row ("cg_pids_max", "/sys/fs/cgroup/pids/pids.max");
  if (port > 0)
    row_check ("tcp_connect", check_tcp_connect, &port);
  uid_t root = 0, other = 4242;
  row_check ("setuid_0", check_setuid, &root);
  row_check ("setuid_other", check_setuid, &other);
  row_check ("raw_socket", check_raw_socket, NULL);
  row_check ("write_root", check_write, "/");
  if (ro_path != NULL)
    row_check ("write_bind", check_write, ro_path);
  row_check ("mount", check_mount, NULL);
  int ns_mount = CLONE_NEWNS, ns_user = CLONE_NEWUSER;
  row_check ("unshare", check_unshare, &ns_mount);
  row_check ("unshare_user", check_unshare, &ns_user);
  row_check ("clone_user", check_clone, &ns_user);
  /* gVisor has no clone3 (ENOSYS), no AF_VSOCK (EAFNOSUPPORT) and no
     /proc/self/ns/uts (setns reads ENOENT): refused all the same, before
     any filter is asked.  */
  row_check ("clone3_user", check_clone3, &ns_user);
  row_check ("vsock", check_vsock, NULL);
  row_check ("setns", check_setns, NULL);
  row_check ("keyctl", check_keyctl, NULL);
  row_check ("bpf", check_bpf, NULL);
  row_check ("ptrace", check_ptrace, NULL);
  row_check ("io_uring", check_io_uring, NULL);
  row ("end", "table");
  return 0;
}

/* Touches every page so the memory is charged to the cgroup, and reports
   each step before taking the next so the last line shows where the
   process was killed.  */
static int
mode_mem (int argc, char **argv)
{
  long max = argc > 0 ? atol (argv[0]) : 400;
  const size_t step = 1024 * 1024;
  for (long mib = 1; mib <= max; mib++)
    {
      char *p = mmap (NULL, step, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
      if (p == MAP_FAILED)
        {
          printf ("mem_failed %ld %s\n", mib, errname (errno));
          return 1;
        }
      memset (p, 0x5a, step);
      printf ("mem %ld\n", mib);
      fflush (stdout);
    }
  printf ("mem_done %ld\n", max);
  return 0;
}

static double
now_seconds (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Written so the busy loop is not optimized away.  */
static volatile unsigned long cpu_sink;

/* Several busy processes, so that a limit below one CPU is visible even on
   a machine where one process alone could not use more than one.  */
static int
mode_cpu (int argc, char **argv)
{
  double seconds = argc > 0 ? atof (argv[0]) : 5;
  int workers = argc > 1 ? atoi (argv[1]) : 2;
  double start = now_seconds ();
  for (int i = 0; i < workers; i++)
    {
      pid_t pid = fork ();
      if (pid < 0)
        {
          printf ("cpu_fork_failed %s\n", errname (errno));
          return 1;
        }
      if (pid == 0)
        {
          while (now_seconds () - start < seconds)
            for (int j = 0; j < 100000; j++)
              cpu_sink += (unsigned long)j;
          _exit (0);
        }
    }
  while (wait (NULL) > 0 || errno == EINTR)
    ;
  double wall = now_seconds () - start;
  struct rusage ru;
  getrusage (RUSAGE_CHILDREN, &ru);
  double cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6
               + (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
  printf ("cpu_seconds %.3f\nwall_seconds %.3f\ncpu_ratio %.3f\n", cpu, wall, cpu / wall);
  return 0;
}

/* Children wait in pause() so the count is of live processes, the thing a
   pids limit bounds; they are all killed before the probe exits.  */
static int
mode_fork (int argc, char **argv)
{
  long max = argc > 0 ? atol (argv[0]) : 1000;
  pid_t *pids = calloc ((size_t)max + 1, sizeof *pids);
  if (pids == NULL)
    return 1;
  long n = 0;
  const char *why = "max";
  while (n < max)
    {
      pid_t pid = fork ();
      if (pid < 0)
        {
          why = errname (errno);
          break;
        }
      if (pid == 0)
        {
          pause ();
          _exit (0);
        }
      pids[n++] = pid;
    }
  for (long i = 0; i < n; i++)
    kill (pids[i], SIGKILL);
  while (wait (NULL) > 0 || errno == EINTR)
    ;
  printf ("fork %ld %s\n", n, why);
  free (pids);
  return 0;
}

/* The host-side listener for tcp_connect: accepts and closes until killed.  */
static int
mode_listen (int argc, char **argv)
{
  int port = argc > 0 ? atoi (argv[0]) : 0;
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return 1;
  int one = 1;
  setsockopt (fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons ((uint16_t)port) };
  sa.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  if (bind (fd, (struct sockaddr *)&sa, sizeof sa) < 0 || listen (fd, 64) < 0)
    {
      fprintf (stderr, "probe: listen: %s\n", strerror (errno));
      return 1;
    }
  socklen_t len = sizeof sa;
  getsockname (fd, (struct sockaddr *)&sa, &len);
  printf ("port %d\n", ntohs (sa.sin_port));
  fflush (stdout);
  for (;;)
    {
      int c = accept4 (fd, NULL, NULL, SOCK_CLOEXEC);
      if (c >= 0)
        close (c);
    }
}

int
main (int argc, char **argv)
{
  if (argc < 2 || argv[1][0] == '-')
    return mode_table (argc - 1, argv + 1);
  const char *mode = argv[1];
  if (strcmp (mode, "table") == 0)
    return mode_table (argc - 2, argv + 2);
  if (strcmp (mode, "mem") == 0)
    return mode_mem (argc - 2, argv + 2);
  if (strcmp (mode, "cpu") == 0)
    return mode_cpu (argc - 2, argv + 2);
  if (strcmp (mode, "fork") == 0)
    return mode_fork (argc - 2, argv + 2);
  if (strcmp (mode, "listen") == 0)
    return mode_listen (argc - 2, argv + 2);
  fprintf (stderr, "probe: unknown mode %s\n", mode);
  return 2;
}
