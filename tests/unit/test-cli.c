/* The command line, read as runc reads it.  */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cli-helpers.h"
#include "cli.h"
#include "tap.h"
#include "util.h"

/* "policyrun" followed by the words of LINE.  */
static struct parsed *
parse_words (const char *line)
{
  return parse_as ("policyrun", line);
}

static int
index_of (const struct parsed *p, const char *arg)
{
  for (int i = 0; i < p->argc; i++)
    if (p->argv[i] == arg)
      return i;
  return -1;
}

/* Parses, with the given kind.  */
static void
accepts (const char *line, enum cmd_kind kind)
{
  struct parsed *p = parse_words (line);
  ok (p->ret == 0 && p->c.kind == kind, "accepted with kind %d: %s", kind, line);
  if (p->ret != 0)
    diag ("error: %s", p->err);
  else if (p->c.kind != kind)
    diag ("kind %d", p->c.kind);
  parsed_free (p);
}

/* Refused, with a message that contains NEEDLE.  */
static void
refuses (const char *line, const char *needle)
{
  struct parsed *p = parse_words (line);
  ok (p->ret < 0 && p->err != NULL, "refused: %s", line);
  if (p->ret < 0)
    has_str (p->err, needle, "  ... saying \"%s\"", needle);
  else
    ok (0, "  ... saying \"%s\" (it was accepted, kind %d)", needle, p->c.kind);
  parsed_free (p);
}

/* Container id and bundle (NULL: none given, the working directory).  */
static void
takes (const char *line, const char *id, const char *bundle)
{
  struct parsed *p = parse_words (line);
  ok (p->ret == 0, "accepted: %s", line);
  if (p->ret != 0)
    diag ("error: %s", p->err);
  is_str (cli_container_id (&p->c), id, "  ... container id");
  is_str (cli_flag_value (&p->c, "bundle"), bundle, "  ... bundle");
  parsed_free (p);
}

static void
test_go_flag_forms (void)
{
  diag ("Go's flag package: -x is --x, =v and a separate value, booleans");
  takes ("create -b /b1 ID", "ID", "/b1");
  takes ("create --bundle /b1 ID", "ID", "/b1");
  takes ("create -bundle /b1 ID", "ID", "/b1");
  takes ("create --bundle=/b1 ID", "ID", "/b1");
  takes ("create -b=/b1 ID", "ID", "/b1");
  takes ("create --b=/b1 ID", "ID", "/b1");
  /* A value is the next word whatever it looks like.  */
  takes ("create --pid-file --bundle ID", "ID", NULL);
  takes ("create --pid-file -b -b /b1 ID", "ID", "/b1");
  takes ("create --bundle= ID", "ID", "");
  takes ("create ID", "ID", NULL);

  struct parsed *p = parse_words ("create --pid-file --bundle ID");
  is_str (cli_flag_value (&p->c, "pid-file"), "--bundle",
          "--pid-file took \"--bundle\" as its value");
  ok (!cli_flag_set (&p->c, "bundle"), "  ... and no bundle was set");
  parsed_free (p);

  /* A boolean never takes the next word.  */
  p = parse_words ("create --no-pivot ID");
  ok (p->ret == 0 && cli_flag_true (&p->c, "no-pivot"), "--no-pivot alone is true");
  is_str (cli_container_id (&p->c), "ID", "  ... and ID stays the container id");
  parsed_free (p);
  p = parse_words ("create --no-pivot=false ID");
  ok (p->ret == 0 && cli_flag_set (&p->c, "no-pivot") && !cli_flag_true (&p->c, "no-pivot"),
      "--no-pivot=false is set and false");
  parsed_free (p);
  p = parse_words ("create --no-pivot=T --no-new-keyring=0 ID");
  is_str (cli_flag_value (&p->c, "no-pivot"), "true", "boolean values are stored as true/false");
  is_str (cli_flag_value (&p->c, "no-new-keyring"), "false", "  ... and 0 as false");
  parsed_free (p);
  refuses ("create --no-pivot=yes ID", "invalid boolean value \"yes\" for --no-pivot");
  refuses ("create --no-pivot= ID", "invalid boolean value");

  /* Last repeat wins; every occurrence is recorded in order.  */
  takes ("create --bundle /b1 --bundle /b2 ID", "ID", "/b2");
  takes ("create -b /b1 -b /b2 ID", "ID", "/b2");
  takes ("create --bundle=/b1 --bundle /b2 ID", "ID", "/b2");
  p = parse_words ("create --bundle /b1 --bundle /b2 ID");
  ok (p->c.nflags == 2 && strcmp (p->c.flags[0].value, "/b1") == 0
          && strcmp (p->c.flags[1].value, "/b2") == 0,
      "both --bundle occurrences recorded, in order");
  parsed_free (p);
  /* urfave's normalizeFlags refuses the long and the short form together.  */
  refuses ("create -b /b1 --bundle /b2 ID", "two forms of the same flag");
  refuses ("exec -e A=1 --env B=2 ID true", "two forms of the same flag");
  refuses ("-h --help=false", "two forms of the same flag");

  /* Slices accumulate.  */
  p = parse_words ("exec --cap CAP_A --cap CAP_B --env X=1 --env Y=2 -u 0 ID sh");
  ok (p->ret == 0, "exec with repeated --cap and --env");
  size_t caps = 0, envs = 0;
  for (size_t i = 0; i < p->c.nflags; i++)
    {
      caps += strcmp (p->c.flags[i].name, "cap") == 0;
      envs += strcmp (p->c.flags[i].name, "env") == 0;
    }
  ok (caps == 2 && envs == 2, "  ... every --cap and --env occurrence is kept");
  is_str (cli_flag_value (&p->c, "user"), "0", "  ... -u is user");
  parsed_free (p);
  p = parse_words ("exec -c CAP_A -c CAP_B -e X=1 -g 5 -g 6 ID sh");
  caps = 0;
  size_t gids = 0;
  for (size_t i = 0; i < p->c.nflags; i++)
    {
      caps += strcmp (p->c.flags[i].name, "cap") == 0;
      gids += strcmp (p->c.flags[i].name, "additional-gids") == 0;
    }
  ok (p->ret == 0 && caps == 2 && gids == 2,
      "short forms -c and -g are named cap and additional-gids");
  parsed_free (p);

  /* Go's syntax errors.  */
  refuses ("create ---bundle /b1 ID", "bad flag syntax ---bundle");
  refuses ("create -=x ID", "bad flag syntax");
  refuses ("create --bundle", "needs a value");
  /* --pid-file takes ID, leaving no container id.  */
  refuses ("create ID --pid-file", "requires exactly 1 argument");
  refuses ("--root", "needs a value");
  refuses ("create --frobnicate ID", "unknown flag --frobnicate for create");
  refuses ("create -frob ID", "unknown flag -frob for create");
  refuses ("--frobnicate create ID", "unknown flag --frobnicate");
  refuses ("frobnicate ID", "unknown command frobnicate");
  refuses ("exec --pid-file", "needs a value");
}

static void
test_values (void)
{
  diag ("values Go's flag types refuse");
  accepts ("create --preserve-fds 3 ID", CMD_CREATE);
  accepts ("create --preserve-fds=+3 ID", CMD_CREATE);
  accepts ("update --pids-limit=-1 ID", CMD_UPDATE);
  accepts ("update --pids-limit 9223372036854775807 ID", CMD_UPDATE);
  accepts ("update --pids-limit=-9223372036854775808 ID", CMD_UPDATE);
  refuses ("update --pids-limit 9223372036854775808 ID", "not a plain decimal integer");
  refuses ("update --pids-limit x ID", "invalid value \"x\" for --pids-limit for update");
  refuses ("update --pids-limit \"\" ID", "not a plain decimal integer");
  /* Go accepts these (base 0); a reader with strtoll would not agree.  */
  refuses ("update --pids-limit 0x10 ID", "not a plain decimal integer");
  refuses ("update --pids-limit 010 ID", "not a plain decimal integer");
  refuses ("update --pids-limit 1_000 ID", "not a plain decimal integer");
  refuses ("update --blkio-weight 0b1 ID", "not a plain decimal integer");
  refuses ("create --preserve-fds -b /b ID", "invalid value \"-b\" for --preserve-fds");
  refuses ("exec -g 0x10 ID sh", "invalid value \"0x10\" for -g for exec");
  refuses ("checkpoint --status-fd x ID", "invalid value");
  /* Most of update's numbers are strings that runc converts later.  */
  accepts ("update --memory 100m --memory-swap=-1 --cpu-quota 50000 ID", CMD_UPDATE);
  {
    struct parsed *q = parse_words ("update --memory-swap -1 --pids-limit -1 ID");
    is_str (cli_flag_value (&q->c, "memory-swap"), "-1",
            "--memory-swap -1: a value may start with '-'");
    is_str (cli_flag_value (&q->c, "pids-limit"), "-1", "  ... --pids-limit -1 too");
    is_str (cli_container_id (&q->c), "ID", "  ... and ID is the container");
    parsed_free (q);
  }
  accepts ("events --interval 5s ID", CMD_PASSTHROUGH);
  accepts ("events --interval 1h2m3.5s ID", CMD_PASSTHROUGH);
  accepts ("events --interval 0 ID", CMD_PASSTHROUGH);
  accepts ("events --interval=-1.5ms ID", CMD_PASSTHROUGH);
  accepts ("events --interval .5us ID", CMD_PASSTHROUGH);
  accepts ("events --interval 1\xc2\xb5s ID", CMD_PASSTHROUGH);
  refuses ("events --interval 5 ID", "not a Go duration");
  refuses ("events --interval 5x ID", "not a Go duration");
  refuses ("events --interval . ID", "not a Go duration");
  refuses ("events --interval 3000000h ID", "not a Go duration");
  refuses ("events --interval \"\" ID", "not a Go duration");
}

static void
test_reordering (void)
{
  diag ("urfave/cli: a command's flags may follow the container id, except for exec and ps");
  takes ("create ID --bundle /b2", "ID", "/b2");
  takes ("create ID -b /b2", "ID", "/b2");
  takes ("run ID --bundle /b2", "ID", "/b2");
  takes ("restore ID --bundle /b2", "ID", "/b2");
  takes ("create --bundle /b1 ID --bundle /b2", "ID", "/b2");
  takes ("create ID --bundle /b2 --no-pivot", "ID", "/b2");
  takes ("run ID -d --bundle /b2", "ID", "/b2");

  struct parsed *p = parse_words ("delete ID --force");
  ok (p->ret == 0 && p->c.kind == CMD_DELETE && cli_flag_true (&p->c, "force"),
      "delete ID --force: force is read");
  parsed_free (p);
  p = parse_words ("update ID --memory 1g -r /res.json");
  ok (p->ret == 0 && p->c.kind == CMD_UPDATE, "update ID --memory 1g -r FILE");
  is_str (cli_flag_value (&p->c, "memory"), "1g", "  ... memory read after the id");
  is_str (cli_flag_value (&p->c, "resources"), "/res.json", "  ... -r is resources");
  is_str (cli_container_id (&p->c), "ID", "  ... id");
  parsed_free (p);

  /* The quirk: after any flag without "=", the next word that is not a
     flag moves with it, even after a boolean.  */
  p = parse_words ("kill ID --all KILL");
  ok (p->ret == 0 && p->c.nargs == 2, "kill ID --all KILL: two arguments");
  is_str (p->c.args[0], "KILL", "  ... KILL moved with --all and became the container id");
  is_str (p->c.args[1], "ID", "  ... and ID the signal");
  parsed_free (p);
  refuses ("run -d ID --bundle /b2", "requires exactly 1 argument");
  refuses ("create ID --no-pivot X", "requires exactly 1 argument");
  refuses ("restore --detach ID -b /b2", "requires exactly 1 argument");
  takes ("create --no-pivot=true X", "X", NULL);

  /* Indices point into the original argv, whatever the reordering did.  */
  p = parse_words ("create ID --console-socket /s -b /b2");
  ok (p->ret == 0 && p->c.nflags == 2, "create ID --console-socket /s -b /b2");
  const struct cli_flag *b = cli_flag_last (&p->c, "bundle");
  const struct cli_flag *s = cli_flag_last (&p->c, "console-socket");
  ok (b != NULL && b->name_index == 5 && b->value_index == 6, "  ... -b at 5, its value at 6");
  ok (s != NULL && s->name_index == 3 && s->value_index == 4, "  ... --console-socket at 3 and 4");
  ok (p->c.command_index == 1 && p->c.runc_start == 1, "  ... command at 1, runc from 1");
  ok (index_of (p, p->c.args[0]) == 2, "  ... the id is argv[2]");
  ok (s != NULL && s->value == p->argv[4], "  ... values point into argv");
  parsed_free (p);
  p = parse_words ("create --bundle=/b1 ID");
  b = cli_flag_last (&p->c, "bundle");
  ok (b != NULL && b->name_index == 2 && b->value_index == -1, "an inline value has no value word");
  parsed_free (p);

  /* exec and ps: everything after the id belongs to the command.  */
  p = parse_words ("exec ID --user 0 --cap CAP_SYS_ADMIN sh -c id");
  ok (p->ret == 0 && p->c.kind == CMD_EXEC, "exec ID --user 0 ...");
  ok (!cli_flag_set (&p->c, "user") && !cli_flag_set (&p->c, "cap"),
      "  ... --user and --cap after the id are not exec's flags");
  ok (p->c.nargs == 8 && strcmp (p->c.args[1], "--user") == 0 && strcmp (p->c.args[7], "id") == 0,
      "  ... they are the process's arguments");
  parsed_free (p);
  p = parse_words ("exec --user 0 ID sh");
  is_str (cli_flag_value (&p->c, "user"), "0", "exec --user 0 ID: user is read before the id");
  parsed_free (p);
  p = parse_words ("exec -p /proc.json ID");
  ok (p->ret == 0 && p->c.nargs == 1, "exec -p FILE ID: no command needed");
  parsed_free (p);
  p = parse_words ("ps ID -ef --format json");
  ok (p->ret == 0 && p->c.kind == CMD_PASSTHROUGH && p->c.nargs == 4
          && !cli_flag_set (&p->c, "format"),
      "ps ID -ef --format json: all ps's arguments");
  parsed_free (p);
  p = parse_words ("exec ID -- ls");
  ok (p->ret == 0 && p->c.nargs == 3 && strcmp (p->c.args[1], "--") == 0,
      "exec ID -- ls: runc keeps \"--\" in the process's arguments");
  parsed_free (p);

  diag ("\"--\" and the runc builds that disagree about it");
  takes ("create -- ID", "ID", NULL);
  takes ("create -b /b1 -- ID", "ID", "/b1");
  takes ("create --bundle -- ID", "ID", "--");
  refuses ("create -b /b1 -- --bundle /b2 ID", "requires exactly 1 argument");
  /* urfave/cli <= 1.22.5 reads "create ID -- " as two arguments, later
     versions as one; "ID --bundle -- X" as bundle ID, or as an error.  */
  refuses ("create ID --", "read this command line differently");
  refuses ("create ID --bundle -- /b2", "read this command line differently");
  takes ("create ID --pid-file -x", "ID", NULL);
  /* urfave/cli 1.22.1 moves every word starting with '-', known or not.  */
  refuses ("state ID --frob", "read this command line differently");
  refuses ("kill ID 9 --frob", "read this command line differently");
  refuses ("create ID --bundle -", "read this command line differently");
  accepts ("-- list", CMD_PASSTHROUGH);
  accepts ("-- create ID", CMD_CREATE);
}

static void
test_globals (void)
{
  diag ("global flags, policyrun's own first");
  struct parsed *p = parse_words ("--policy /p.json --delegate=/usr/bin/runc --root /r --debug "
                                  "--log /l.json --log-format json --systemd-cgroup "
                                  "--rootless true --criu /c create ID");
  ok (p->ret == 0 && p->c.kind == CMD_CREATE, "every global flag");
  is_str (p->c.policy, "/p.json", "  ... policy");
  is_str (p->c.delegate, "/usr/bin/runc", "  ... delegate");
  ok (p->c.runc_start == 4, "  ... runc's words start at argv[4]");
  is_str (p->c.root, "/r", "  ... root");
  is_str (p->c.log, "/l.json", "  ... log");
  is_str (p->c.log_format, "json", "  ... log-format");
  is_str (p->c.rootless, "true", "  ... rootless");
  is_str (p->c.criu, "/c", "  ... criu");
  ok (p->c.debug && p->c.systemd_cgroup, "  ... debug and systemd-cgroup");
  is_str (p->c.command, "create", "  ... command");
  ok (p->c.command_index == 16, "  ... at argv[16]");
  parsed_free (p);

  p = parse_words ("-policy /a -policy=/b --delegate x --delegate=/d --root=/r state ID");
  ok (p->ret == 0, "own flags Go style, repeated");
  is_str (p->c.policy, "/b", "  ... last --policy wins");
  is_str (p->c.delegate, "/d", "  ... last --delegate wins");
  is_str (p->c.root, "/r", "  ... --root=/r");
  ok (p->c.runc_start == 7, "  ... runc from argv[7]");
  parsed_free (p);
  p = parse_words ("--root /a --root /b --debug=false state ID");
  is_str (p->c.root, "/b", "last --root wins");
  ok (!p->c.debug, "--debug=false is false");
  ok (p->c.runc_start == 1 && p->c.policy == NULL && p->c.delegate == NULL,
      "no own flags: runc from argv[1], policy and delegate NULL");
  parsed_free (p);
  p = parse_words ("--policy --delegate state ID");
  is_str (p->c.policy, "--delegate", "--policy takes the next word as Go would");
  parsed_free (p);

  refuses ("--root /r --policy /p create ID", "--policy must come before runc's global flags");
  refuses ("--debug -delegate=/d state ID", "--delegate must come before");
  refuses ("create --policy /p ID", "unknown flag --policy for create");
  refuses ("--policy", "needs a value");
  refuses ("--policy=", "non-empty");
  refuses ("--log-format yaml create ID", "invalid log-format: yaml");
  refuses ("--log-format yaml", "invalid log-format");
  accepts ("--log-format text create ID", CMD_CREATE);
  accepts ("--log-format= create ID", CMD_CREATE);

  /* Even a refused command line names the log it should be reported to.  */
  p = parse_words ("--log /l.json --log-format json --frob create ID");
  ok (p->ret < 0, "refused after --log");
  is_str (p->c.log, "/l.json", "  ... log still known");
  is_str (p->c.log_format, "json", "  ... log-format still known");
  parsed_free (p);
  p = parse_words ("--log /l.json create --frob ID");
  ok (p->ret < 0 && p->c.log != NULL, "refused by create, log still known");
  parsed_free (p);
}

static void
test_commands (void)
{
  diag ("commands and their kinds");
  accepts ("create ID", CMD_CREATE);
  accepts ("run ID", CMD_RUN);
  accepts ("restore ID", CMD_RESTORE);
  accepts ("exec ID sh", CMD_EXEC);
  accepts ("update -r - ID", CMD_UPDATE);
  accepts ("start ID", CMD_START);
  accepts ("delete ID", CMD_DELETE);
  accepts ("delete -f ID", CMD_DELETE);
  const char *passthrough[] = {
    "state ID",
    "kill ID",
    "kill ID 9",
    "kill -a ID KILL",
    "ps ID",
    "ps -f json ID",
    "pause ID",
    "resume ID",
    "events ID",
    "events --stats ID",
    "list",
    "list -q -f json",
    "features",
    "spec",
    "spec --rootless -b /b",
    "checkpoint --image-path /i --leave-running ID",
    "checkpoint --tcp-skip-in-flight --link-remap ID",
    "help",
    "help create",
    "h",
  };
  for (size_t i = 0; i < sizeof passthrough / sizeof passthrough[0]; i++)
    accepts (passthrough[i], CMD_PASSTHROUGH);
  struct parsed *p = parse_words ("h create");
  is_str (p->c.command, "help", "h is the help command");
  parsed_free (p);
  refuses ("init", "init is runc's internal command");
  refuses ("--root /r init", "init");
  refuses ("--policy /p init", "init");
  refuses ("help --frob", "unknown flag --frob for help");

  diag ("every flag of every command is known");
  accepts ("create --bundle /b --console-socket /s --pidfd-socket /p --pid-file /f --no-pivot "
           "--no-new-keyring --preserve-fds 2 ID",
           CMD_CREATE);
  accepts ("run --bundle /b --console-socket /s --pidfd-socket /p --detach --keep --pid-file /f "
           "--no-subreaper --no-pivot --no-new-keyring --preserve-fds 1 ID",
           CMD_RUN);
  accepts ("restore --console-socket /s --image-path /i --work-path /w --tcp-established "
           "--ext-unix-sk --shell-job --file-locks --manage-cgroups-mode soft --bundle /b "
           "--detach --pid-file /f --no-subreaper --no-pivot --empty-ns network --auto-dedup "
           "--lazy-pages --lsm-profile apparmor:x --lsm-mount-context ctx ID",
           CMD_RESTORE);
  accepts ("exec --console-socket /s --pidfd-socket /p --cwd / --env A=1 --tty --user 1:1 "
           "--additional-gids 5 --process /p.json --detach --pid-file /f --process-label l "
           "--apparmor a --no-new-privs --cap CAP_CHOWN --preserve-fds 0 --cgroup sub "
           "--ignore-paused ID",
           CMD_EXEC);
  accepts ("exec -e A=1 -t -u 1 -g 2 -p /p.json -d -c CAP_CHOWN ID", CMD_EXEC);
  accepts ("update --resources /r --blkio-weight 500 --cpu-period 1 --cpu-quota 1 --cpu-burst 1 "
           "--cpu-share 1 --cpu-rt-period 1 --cpu-rt-runtime 1 --cpuset-cpus 0 --cpuset-mems 0 "
           "--kernel-memory 1 --kernel-memory-tcp 1 --memory 1 --cpu-idle 1 "
           "--memory-reservation 1 --memory-swap 1 --pids-limit 1 --l3-cache-schema x "
           "--mem-bw-schema y ID",
           CMD_UPDATE);
  accepts ("checkpoint --image-path /i --work-path /w --parent-path p --leave-running "
           "--tcp-established --tcp-skip-in-flight --link-remap --ext-unix-sk --shell-job "
           "--lazy-pages --status-fd 3 --page-server h:1 --file-locks --pre-dump "
           "--manage-cgroups-mode full --empty-ns network --auto-dedup ID",
           CMD_PASSTHROUGH);
  accepts ("events --interval 1s --stats ID", CMD_PASSTHROUGH);
  accepts ("list --format json --quiet", CMD_PASSTHROUGH);
  accepts ("kill --all ID", CMD_PASSTHROUGH);
  accepts ("delete --force ID", CMD_DELETE);
  accepts ("spec --bundle /b --rootless", CMD_PASSTHROUGH);
  refuses ("create --config /c.json ID", "unknown flag --config for create");
  refuses ("run --config=/c.json ID", "unknown flag --config for run");
  refuses ("restore --keep ID", "unknown flag --keep for restore");
  refuses ("exec --bundle /b ID sh", "unknown flag --bundle for exec");
  refuses ("start --force ID", "unknown flag --force for start");

  diag ("the checked commands: runc's argument counts and container id rule");
  refuses ("create", "requires exactly 1 argument");
  refuses ("create A B", "requires exactly 1 argument");
  refuses ("start A B", "requires exactly 1 argument");
  refuses ("delete A B", "requires exactly 1 argument");
  refuses ("update", "requires exactly 1 argument");
  refuses ("exec", "requires a minimum of 1 argument");
  refuses ("create ..", "invalid container id");
  refuses ("delete ../x", "invalid container id");
  refuses ("exec a/b sh", "invalid container id");
  refuses ("start \"\"", "invalid container id");
  accepts ("create a,b+c-d.e_F9", CMD_CREATE);
  /* Passthrough commands are runc's to refuse.  */
  accepts ("kill", CMD_PASSTHROUGH);
  accepts ("state ../x", CMD_PASSTHROUGH);
}

/* What Docker, containerd (go-runc) and the CRI send must never be
   ambiguous.  */
static void
test_engine_lines (void)
{
  diag ("engine command lines");
  const struct
  {
    const char *line;
    enum cmd_kind kind;
  } lines[] = {
    { "--root /run/docker/runtime-runc/moby --log /b/log.json --log-format json create "
      "--bundle /b --pid-file /b/init.pid 0123abc",
      CMD_CREATE },
    { "--root /run/containerd/runc/k8s.io --log /b/log.json --log-format json create --bundle /b "
      "--pid-file /b/init.pid --console-socket /tmp/pty.sock --no-pivot --no-new-keyring "
      "--preserve-fds 2 0123abc",
      CMD_CREATE },
    { "--root /r --log /l --log-format json --systemd-cgroup start 0123abc", CMD_START },
    { "--root /r --log /l --log-format json exec --process /tmp/runc-process123 --detach "
      "--pid-file /b/x.pid 0123abc",
      CMD_EXEC },
    { "--root /r --log /l --log-format json exec --process /tmp/p.json --console-socket /s "
      "--detach --pid-file /p 0123abc",
      CMD_EXEC },
    { "--root /r --log /l --log-format json update --resources - 0123abc", CMD_UPDATE },
    { "--root /r --log /l --log-format json update --resources=- 0123abc", CMD_UPDATE },
    { "--root /r --log /l --log-format json delete 0123abc", CMD_DELETE },
    { "--root /r --log /l --log-format json delete --force 0123abc", CMD_DELETE },
    { "--root /r --log /l --log-format json kill 0123abc 9", CMD_PASSTHROUGH },
    { "--root /r --log /l --log-format json kill --all 0123abc 15", CMD_PASSTHROUGH },
    { "--root /r --log /l --log-format json state 0123abc", CMD_PASSTHROUGH },
    { "--root /r --log /l --log-format json ps --format json 0123abc", CMD_PASSTHROUGH },
    { "--root /r --log /l --log-format json pause 0123abc", CMD_PASSTHROUGH },
    { "--root /r --log /l --log-format json resume 0123abc", CMD_PASSTHROUGH },
    { "--root /r --log /l --log-format json events --stats 0123abc", CMD_PASSTHROUGH },
    { "--root /r events --interval=5s 0123abc", CMD_PASSTHROUGH },
    { "--root /r --log /l --log-format json checkpoint --image-path /i --work-path /w "
      "--leave-running 0123abc",
      CMD_PASSTHROUGH },
    { "--root /r --log /l --log-format json restore --image-path /i --work-path /w --bundle /b "
      "--detach --pid-file /p --no-subreaper 0123abc",
      CMD_RESTORE },
    { "--root /r --log /l --log-format json run --bundle /b --pid-file /p --detach 0123abc",
      CMD_RUN },
    { "features", CMD_PASSTHROUGH },
    { "--version", CMD_VERSION },
  };
  for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
    accepts (lines[i].line, lines[i].kind);
  struct parsed *p = parse_words ("--root /r update --resources - 0123abc");
  is_str (cli_flag_value (&p->c, "resources"), "-",
          "update --resources - ID: resources from stdin");
  is_str (cli_container_id (&p->c), "0123abc", "  ... for container ID");
  parsed_free (p);
}

static void
test_help_version (void)
{
  diag ("help and version");
  accepts ("", CMD_HELP);
  accepts ("--help", CMD_HELP);
  accepts ("-h", CMD_HELP);
  accepts ("--debug", CMD_HELP);
  accepts ("--help=false", CMD_HELP);
  accepts ("\"\"", CMD_HELP);
  accepts ("\"\" create", CMD_HELP);
  accepts ("--version", CMD_VERSION);
  accepts ("-v", CMD_VERSION);
  accepts ("-version", CMD_VERSION);
  accepts ("--policy /p --version", CMD_VERSION);
  accepts ("--version=false", CMD_HELP);
  /* runc looks at -h and -v before it runs any command.  */
  accepts ("--version create ID", CMD_VERSION);
  accepts ("-h create ID", CMD_HELP);
  accepts ("-h -v", CMD_HELP);
  accepts ("-v -h", CMD_HELP);
  refuses ("--help --frob=1 create", "unknown flag --frob");
  struct parsed *p = parse_words ("--version create ID");
  ok (p->c.command == NULL && p->c.command_index == -1, "--version create ID runs no command");
  parsed_free (p);

  /* A command's --help only prints help: nothing to check.  */
  accepts ("create --help", CMD_PASSTHROUGH);
  accepts ("create -h ID", CMD_PASSTHROUGH);
  accepts ("create ID --help", CMD_PASSTHROUGH);
  accepts ("exec --help", CMD_PASSTHROUGH);
  accepts ("update --help=true", CMD_PASSTHROUGH);
  accepts ("delete -h=1 ../x", CMD_PASSTHROUGH);
  accepts ("create --help=false ID", CMD_CREATE);
  accepts ("create --help --help=false ID", CMD_CREATE);
  accepts ("create -h=0 ID", CMD_CREATE);
  refuses ("create -h --help ID", "two forms of the same flag");
  /* After the id, exec's --help is the process's.  */
  accepts ("exec ID --help", CMD_EXEC);
}

static void
test_check (void)
{
  diag ("policyrun check");
  struct parsed *p = parse_words ("check --json /bundle");
  ok (p->ret == 0 && p->c.kind == CMD_CHECK && p->c.check_json, "check --json BUNDLE");
  ok (p->c.nargs == 1 && strcmp (p->c.args[0], "/bundle") == 0, "  ... one argument");
  is_str (p->c.command, "check", "  ... command");
  ok (p->c.command_index == 1, "  ... at argv[1]");
  parsed_free (p);
  p = parse_words ("--policy /p check /config.json --json=false");
  ok (p->ret == 0 && p->c.kind == CMD_CHECK && !p->c.check_json, "check FILE --json=false");
  is_str (p->c.policy, "/p", "  ... with --policy");
  parsed_free (p);
  p = parse_words ("check -- --json");
  ok (p->ret == 0 && !p->c.check_json && p->c.nargs == 1, "check -- --json: a path named --json");
  parsed_free (p);
  refuses ("check", "exactly one argument");
  refuses ("check a b", "exactly one argument");
  refuses ("check --frob a", "unknown flag --frob for check");
  refuses ("check --json=maybe a", "invalid boolean value");
  /* After runc's globals: --root names the runtime root whose rules apply
     (containerd's CRI namespace), as for create.  */
  p = parse_words ("--root /run/containerd/runc/k8s.io --log-format json check --json /b");
  ok (p->ret == 0 && p->c.kind == CMD_CHECK && p->c.check_json && p->c.nargs == 1
          && strcmp (p->c.args[0], "/b") == 0,
      "--root R --log-format json check --json B: check, after runc's globals");
  ok (p->ret == 0 && p->c.root != NULL && strcmp (p->c.root, "/run/containerd/runc/k8s.io") == 0,
      "  ... and --root is kept");
  parsed_free (p);
  accepts ("--policy /p --root /r check /b", CMD_CHECK);
  refuses ("--root /r check", "exactly one argument");
  refuses ("--root /r check --frob /b", "unknown flag --frob for check");
}

static void
test_container_id (void)
{
  diag ("container ids: ^[\\w+-\\.]+$ (a range from '+' to '.'), not . or ..");
  const char *good[] = { "a", "A-b_c.d", "1", "a+b", "a,b", "...", ".a", "a..b", "-", "+" };
  const char *bad[]
      = { "", ".", "..", "a/b", "a b", "a\nb", "a:b", "a*b", "\xc3\xa9", "a/", "a=b" };
  for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
    ok (cli_valid_container_id (good[i]), "valid id \"%s\"", good[i]);
  const char *bad_names[]
      = { "empty",         ".",  "..", "a/b", "a space b", "a newline b", "a:b", "a*b",
          "e-acute UTF-8", "a/", "a=b" };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    ok (!cli_valid_container_id (bad[i]), "invalid id: %s", bad_names[i]);
  ok (!cli_valid_container_id (NULL), "NULL is no id");

  /* An id longer than CLI_MAX_ID_LEN says so, and shows only its start.  */
  char longest[CLI_MAX_ID_LEN + 2];
  memset (longest, 'a', CLI_MAX_ID_LEN);
  longest[CLI_MAX_ID_LEN] = '\0';
  ok (cli_valid_container_id (longest), "an id of %d bytes is valid", CLI_MAX_ID_LEN);
  cleanup_free char *line = xasprintf ("delete %s", longest);
  accepts (line, CMD_DELETE);
  strcat (longest, "a");
  ok (!cli_valid_container_id (longest), "an id of %d bytes is not", CLI_MAX_ID_LEN + 1);
  free (line);
  line = xasprintf ("start %s", longest);
  refuses (line, "start: the container id is too long (201 bytes, at most 200)");
  struct parsed *p = parse_words (line);
  ok (p->err != NULL && strlen (p->err) < 120, "  ... in a short message");
  parsed_free (p);
  char *err = NULL;
  ok (cli_check_container_id ("exec", "a\x01b", &err) < 0 && err != NULL
          && strstr (err, "exec: invalid container id") != NULL,
      "a control byte: invalid container id (report_error escapes it on stderr)");
  free (err);
  err = NULL;
  ok (cli_check_container_id ("exec", "", &err) < 0 && err != NULL && strstr (err, "empty") != NULL,
      "an empty id says so");
  free (err);
}

/* A refused command line still reaches the caller's log: where --log and
   --log-format are found when the parser gave up.  */
/* A command line parsed as if run under the name ARGV0.  */
static struct parsed *
parse_named (const char *argv0, const char *line)
{
  struct parsed *p = xcalloc (1, sizeof *p);
  p->buf = xstrdup (line);
  p->argv[p->argc++] = (char *)argv0;
  for (char *s = p->buf, *save = NULL, *w; (w = strtok_r (s, " ", &save)) != NULL; s = NULL)
    p->argv[p->argc++] = w;
  p->argv[p->argc] = NULL;
  p->ret = cli_parse (p->argc, p->argv, &p->c, &p->err);
  return p;
}

static void
test_gvisor (void)
{
  diag ("--gvisor and the name policyrun-gvisor");
  static const struct
  {
    const char *argv0, *line;
    int gvisor; /* 1, 0, or -1: refused */
    const char *needle;
  } cases[] = {
    { "policyrun", "state ID", 0, NULL },
    { "policyrun", "--gvisor state ID", 1, NULL },
    { "policyrun", "-gvisor state ID", 1, NULL },
    { "policyrun", "--gvisor=true state ID", 1, NULL },
    { "policyrun", "--gvisor=1 state ID", 1, NULL },
    { "policyrun", "--gvisor=T state ID", 1, NULL },
    { "policyrun", "--gvisor=false state ID", 0, NULL },
    { "policyrun", "--gvisor=0 state ID", 0, NULL },
    { "policyrun", "--gvisor --gvisor=false state ID", 0, NULL },
    { "policyrun", "--policy /p --gvisor --policy=/q state ID", 1, NULL },
    { "/usr/sbin/policyrun-gvisor", "state ID", 1, NULL },
    { "policyrun-gvisor", "--gvisor state ID", 1, NULL },
    { "/x/policyrun-gvisor.sh", "state ID", 0, NULL },
    { "policyrun", "--gvisor=yes state ID", -1, "invalid boolean value \"yes\" for --gvisor" },
    { "policyrun", "--gvisor= state ID", -1, "invalid boolean value" },
    { "policyrun", "--gvisor --delegate /usr/bin/runc state ID", -1,
      "--gvisor and --delegate both choose the delegate" },
    { "policyrun", "--delegate=runsc -gvisor=true state ID", -1,
      "--gvisor and --delegate both choose the delegate" },
    { "policyrun-gvisor", "--delegate runc state ID", -1,
      "--gvisor and --delegate both choose the delegate (policyrun-gvisor means --gvisor)" },
    { "policyrun-gvisor", "--gvisor=false state ID", -1, "contradicts the name policyrun-gvisor" },
    { "policyrun", "--root /r --gvisor state ID", -1, "--gvisor must come before runc's global" },
    { "policyrun", "state --gvisor ID", -1, "unknown flag --gvisor for state" },
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    {
      struct parsed *p = parse_named (cases[i].argv0, cases[i].line);
      if (cases[i].gvisor < 0)
        {
          ok (p->ret < 0, "%s %s: refused", cases[i].argv0, cases[i].line);
          has_str (p->err, cases[i].needle, "  ... saying \"%s\"", cases[i].needle);
        }
      else
        {
          ok (p->ret == 0 && p->c.gvisor == (cases[i].gvisor == 1), "%s %s: gvisor %s",
              cases[i].argv0, cases[i].line, cases[i].gvisor ? "true" : "false");
          if (p->ret < 0)
            diag ("error: %s", p->err);
        }
      parsed_free (p);
    }
  /* A boolean never takes the next word: "true" is runc's command.  */
  struct parsed *p = parse_named ("policyrun", "--gvisor true");
  ok (p->ret < 0 && p->err != NULL && strstr (p->err, "unknown command true") != NULL,
      "--gvisor true: \"true\" is not its value");
  parsed_free (p);
  p = parse_named ("policyrun", "--gvisor --policy /p --root /r state ID");
  ok (p->ret == 0 && p->c.runc_start == 4 && p->c.gvisor,
      "--gvisor among own flags: runc at argv[4]");
  parsed_free (p);
}

static void
test_engine_flags (void)
{
  diag ("runsc's global flags among runc's: recorded, not judged");
  struct parsed *p = parse_words ("--gvisor --debug-log=/tmp/x/ --root /r --network host "
                                  "-net-raw --strace-log-size 10 --debug --log /l "
                                  "--oci-seccomp=false --gvisor-gro=1ms create --bundle /b ID");
  ok (p->ret == 0 && p->c.kind == CMD_CREATE, "accepted: cli.c refuses none of them");
  if (p->ret < 0)
    diag ("error: %s", p->err);
  ok (p->c.nengine_flags == 6, "  ... 6 engine flags (%zu)", p->c.nengine_flags);
  static const struct
  {
    const char *name, *value;
    int name_index, value_index;
  } want[] = {
    { "debug-log", "/tmp/x/", 2, -1 },  { "network", "host", 5, 6 },
    { "net-raw", "true", 7, -1 },       { "strace-log-size", "10", 8, 9 },
    { "oci-seccomp", "false", 13, -1 }, { "gvisor-gro", "1ms", 14, -1 },
  };
  for (size_t i = 0; i < p->c.nengine_flags && i < sizeof want / sizeof want[0]; i++)
    {
      const struct cli_flag *f = &p->c.engine_flags[i];
      ok (strcmp (f->name, want[i].name) == 0 && strcmp (f->value, want[i].value) == 0
              && f->name_index == want[i].name_index && f->value_index == want[i].value_index,
          "  ... %s=%s at %d/%d", want[i].name, want[i].value, want[i].name_index,
          want[i].value_index);
    }
  /* Names runc also has stay runc's.  */
  is_str (p->c.root, "/r", "  ... --root is runc's");
  is_str (p->c.log, "/l", "  ... --log is runc's");
  ok (p->c.debug, "  ... --debug is runc's");
  is_str (cli_flag_value (&p->c, "bundle"), "/b", "  ... the command is read on");
  parsed_free (p);

  p = parse_words ("--systemd-cgroup --rootless false --log-format json state ID");
  ok (p->ret == 0 && p->c.nengine_flags == 0 && p->c.systemd_cgroup,
      "systemd-cgroup, rootless and log-format are runc's, not engine flags");
  parsed_free (p);
  p = parse_words ("--version");
  ok (p->ret == 0 && p->c.kind == CMD_VERSION && p->c.nengine_flags == 0, "--version is runc's");
  parsed_free (p);

  /* Go's flag rules for them: no aliases, booleans take no next word, a
     value flag takes the next word whatever it looks like, types checked.  */
  p = parse_words ("--net-raw state ID");
  ok (p->ret == 0 && p->c.nengine_flags == 1 && strcmp (cli_container_id (&p->c), "ID") == 0,
      "--net-raw takes no value: state is the command");
  parsed_free (p);
  p = parse_words ("--platform --debug state ID");
  ok (p->ret == 0 && p->c.nengine_flags == 1 && strcmp (p->c.engine_flags[0].value, "--debug") == 0
          && !p->c.debug,
      "--platform takes the next word, even --debug");
  parsed_free (p);
  refuses ("--net-raw=maybe state ID", "invalid boolean value \"maybe\" for --net-raw");
  refuses ("--fdlimit=0x10 state ID", "not a plain decimal integer");
  refuses ("--strace-log-size=-1 state ID", "not a plain unsigned decimal integer");
  refuses ("--strace-log-size=+1 state ID", "not a plain unsigned decimal integer");
  refuses ("--gvisor-gro=1 state ID", "not a Go duration");
  refuses ("--platform", "needs a value");
  refuses ("--TESTONLY-frobnicate state ID", "unknown flag --TESTONLY-frobnicate");
  refuses ("--network-x=none state ID", "unknown flag --network-x");
  refuses ("--user-log=/x state ID", "unknown flag --user-log");
  /* Only among the global flags.  */
  refuses ("create --network none ID", "unknown flag --network for create");
  /* Recorded even when the command line is refused later.  */
  p = parse_words ("--network host --frob state ID");
  ok (p->ret < 0 && p->c.nengine_flags == 0 && p->c.engine_flags == NULL,
      "refused: nothing left to free");
  parsed_free (p);
}

static void
test_prescan_log (void)
{
  diag ("--log and --log-format of a refused command line");
  static const struct
  {
    const char *line;
    const char *log, *format; /* NULL: not found */
  } cases[] = {
    { "--log /l --log-format json frobnicate ID", "/l", "json" },
    { "--log=/l --log-format=json frobnicate ID", "/l", "json" },
    { "-log /l -log-format=text create --bogus ID", "/l", "text" },
    { "--root /r --log /l create --bogus ID", "/l", NULL },
    /* The value of another global is not a flag, even when it looks like one.  */
    { "--root --log --log-format json create ID", NULL, "json" },
    { "--policy /p --delegate /d --criu --log --rootless true --log /l x", "/l", NULL },
    { "--root=/r --log /l x", "/l", NULL },
    /* The last one wins, as in Go's flag package.  */
    { "--log /a --log /b x", "/b", NULL },
    /* The globals end at the first word that is not a flag.  */
    { "create --log /l ID", NULL, NULL },
    { "--debug create --log-format json ID", NULL, NULL },
    /* A flag without its value.  */
    { "--log", NULL, NULL },
    /* --gvisor and runsc's booleans take no value; runsc's other flags do.  */
    { "--gvisor --debug-log /d --log /l --log-format json x", "/l", "json" },
    { "--gvisor --debug-log --log --log-format json x", NULL, "json" },
    { "--gvisor=true --net-raw --log /l x", "/l", NULL },
    { "--root /r --platform kvm --log=/l --oci-seccomp --log-format text x", "/l", "text" },
    { "--network host --log /l --frob x", "/l", NULL },
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    {
      struct parsed *p = parse_words (cases[i].line);
      const char *log = NULL, *format = NULL;
      cli_prescan_log_flags (p->argc, p->argv, &log, &format);
      is_str (log, cases[i].log, "log of: %s", cases[i].line);
      is_str (format, cases[i].format, "log format of: %s", cases[i].line);
      parsed_free (p);
    }
  const char *log = "/kept", *format = "text";
  char *argv[] = { (char *)"policyrun", (char *)"state", NULL };
  cli_prescan_log_flags (2, argv, &log, &format);
  ok (strcmp (log, "/kept") == 0 && strcmp (format, "text") == 0,
      "what was not found is left as it was");
}

/* Measured with runc 1.1.5+ds1 (Debian 12, built with urfave/cli 1.22.9)
   by tests/integration/cli-vs-runc.sh: which bundle and which container id
   runc took, or whether it refused the command line ("help": it only
   printed help).  policyrun must agree, except where it refuses on purpose
   (POLICYRUN_REFUSES: runc builds with urfave/cli <= 1.22.5 read the line
   differently, or a number not in plain decimal).  */
#define CWD NULL
#define REFUSED "refused"
#define HELP "help"
#define POLICYRUN_REFUSES "policyrun refuses"
static const struct
{
  const char *line;
  const char *outcome; /* NULL: accepted; else REFUSED or HELP */
  const char *bundle;
  const char *id;
  const char *policyrun; /* NULL: same as runc; else POLICYRUN_REFUSES */
} measured[] = {
  { "create -b /b1 ID", NULL, "/b1", "ID", NULL },
  { "create --bundle /b1 ID", NULL, "/b1", "ID", NULL },
  { "create --bundle=/b1 ID", NULL, "/b1", "ID", NULL },
  { "create -bundle /b1 ID", NULL, "/b1", "ID", NULL },
  { "create -b=/b1 ID", NULL, "/b1", "ID", NULL },
  { "create ID --bundle /b2", NULL, "/b2", "ID", NULL },
  { "create ID -b /b2", NULL, "/b2", "ID", NULL },
  { "create --bundle /b1 ID --bundle /b2", NULL, "/b2", "ID", NULL },
  { "create -b /b1 -b /b2 ID", NULL, "/b2", "ID", NULL },
  { "create --bundle=/b1 --bundle /b2 ID", NULL, "/b2", "ID", NULL },
  { "create --bundle /b1 ID --bundle=/b2", NULL, "/b2", "ID", NULL },
  { "create -b /b1 --bundle /b2 ID", REFUSED, NULL, NULL, NULL },
  { "create ID", NULL, CWD, "ID", NULL },
  { "create --no-pivot ID", NULL, CWD, "ID", NULL },
  { "create ID --no-pivot", NULL, CWD, "ID", NULL },
  { "create ID --bundle /b2 --no-pivot", NULL, "/b2", "ID", NULL },
  { "create ID --no-pivot X", REFUSED, NULL, NULL, NULL },
  { "create --no-pivot X --bundle /b1", REFUSED, NULL, NULL, NULL },
  { "create --no-pivot=true X", NULL, CWD, "X", NULL },
  { "create ID --pid-file --bundle /b1", REFUSED, NULL, NULL, NULL },
  { "create --pid-file /p --bundle /b1 ID", NULL, "/b1", "ID", NULL },
  { "create -- ID", NULL, CWD, "ID", NULL },
  { "create ID --", NULL, CWD, "ID", POLICYRUN_REFUSES },
  { "create ID --bundle -- /b2", REFUSED, NULL, NULL, NULL },
  { "create -b /b1 -- --bundle /b2 ID", REFUSED, NULL, NULL, NULL },
  { "create --console-socket=/s ID -b /b2", NULL, "/b2", "ID", NULL },
  { "create --bundle /b1 --help ID", HELP, NULL, NULL, NULL },
  { "create ID -h", HELP, NULL, NULL, NULL },
  { "create --help=false -b /b1 ID", NULL, "/b1", "ID", NULL },
  { "create ID --frobnicate", REFUSED, NULL, NULL, NULL },
  { "create --frobnicate ID", REFUSED, NULL, NULL, NULL },
  { "create ID --bundle", REFUSED, NULL, NULL, NULL },
  { "create --bundle /b1 ID --pid-file", REFUSED, NULL, NULL, NULL },
  { "create ID -", REFUSED, NULL, NULL, NULL },
  { "create --bundle /b1 a,b", NULL, "/b1", "a,b", NULL },
  { "create --bundle /b1 ..", REFUSED, NULL, NULL, NULL },
  { "create ---bundle /b1 ID", REFUSED, NULL, NULL, NULL },
  { "create --no-pivot=yes ID", REFUSED, NULL, NULL, NULL },
  { "create --preserve-fds -b /b1 ID", REFUSED, NULL, NULL, NULL },
  { "create --preserve-fds 0x0 -b /b1 ID", NULL, "/b1", "ID", POLICYRUN_REFUSES },
  { "run -d ID --bundle /b2", REFUSED, NULL, NULL, NULL },
  { "run ID -d --bundle /b2", NULL, "/b2", "ID", NULL },
  { "run ID --detach=false -b /b2", NULL, "/b2", "ID", NULL },
  { "restore ID -b /b2", NULL, "/b2", "ID", NULL },
  { "restore --bundle=/b1 ID", NULL, "/b1", "ID", NULL },
  { "restore --detach ID -b /b2", REFUSED, NULL, NULL, NULL },
  { "--debug create -b /b1 ID", NULL, "/b1", "ID", NULL },
  { "-- create -b /b1 ID", NULL, "/b1", "ID", NULL },
  { "--log-format bad create -b /b1 ID", REFUSED, NULL, NULL, NULL },
  { "create -b /b1 ID ID2", REFUSED, NULL, NULL, NULL },
  { "frobnicate ID", REFUSED, NULL, NULL, NULL },
};

static void
test_measured (void)
{
  diag ("command lines measured with runc 1.1.5");
  for (size_t i = 0; i < sizeof measured / sizeof measured[0]; i++)
    {
      struct parsed *p = parse_words (measured[i].line);
      const char *line = measured[i].line;
      if (measured[i].policyrun != NULL
          || (measured[i].outcome != NULL && strcmp (measured[i].outcome, REFUSED) == 0))
        {
          ok (p->ret < 0, "%s: refused%s", line,
              measured[i].policyrun != NULL ? " (runc accepts it; policyrun on purpose not)" : "");
          if (p->ret == 0)
            diag ("accepted with id %s", cli_container_id (&p->c));
        }
      else if (measured[i].outcome != NULL && strcmp (measured[i].outcome, HELP) == 0)
        ok (p->ret == 0 && p->c.kind == CMD_PASSTHROUGH && cli_flag_true (&p->c, "help"),
            "%s: only help, passed through", line);
      else
        {
          ok (p->ret == 0, "%s: accepted", line);
          if (p->ret < 0)
            diag ("error: %s", p->err);
          is_str (cli_flag_value (&p->c, "bundle"), measured[i].bundle, "  ... bundle");
          is_str (cli_container_id (&p->c), measured[i].id, "  ... container id");
        }
      parsed_free (p);
    }
}

int
main (void)
{
  test_go_flag_forms ();
  test_values ();
  test_reordering ();
  test_globals ();
  test_commands ();
  test_engine_lines ();
  test_help_version ();
  test_check ();
  test_container_id ();
  test_prescan_log ();
  test_gvisor ();
  test_engine_flags ();
  test_measured ();
  return done_testing ();
}
