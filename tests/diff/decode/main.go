// Command decode reads a config.json exactly as runc 1.1 reads it (one
// encoding/json Decoder, one Decode into the runtime-spec Go types, anything
// after the first document ignored) and checks the floor in that view.
//
//	decode [-bundle DIR] [-orig FILE] [-caller] CONFIG
//
// It prints "ok" and exits 0 when the floor holds, otherwise one line per
// violation ("FIELD: DETAIL") and exits 1.  A document runc could not decode
// is also reported (exit 1): the delegate must be handed something it reads.
// With -orig, the caller's file is decoded the same way and what the floor
// never changes (args, env, cwd, hostname, annotations) must have come
// through the hand-off unchanged.  With -caller, CONFIG is a caller's file,
// not a hand-off: what policyrun fills in or takes out (absent limits,
// device rules, masked and read-only paths, RLIMIT_NOFILE, deny-listed
// syscalls in allow rules) is not held against it.
//
// The bytes are never pre-processed: what encoding/json makes of duplicate
// keys (the last wins), keys equal under its case folding ("READONLY",
// "ſeccomp", the Kelvin sign), null (a reset pointer, a zero value) and
// trailing data is exactly what is checked.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"

	specs "github.com/opencontainers/runtime-spec/specs-go"
)

const (
	memoryCeiling = 100 * 1024 * 1024
	cpuQuota      = 50000 // over cpuPeriod: half a CPU
	cpuPeriod     = 100000
	pidsCeiling   = 256
	nofileCeiling = 1024
)

// Allowed by no seccomp rule whose action lets the call through.
var deniedSyscalls = []string{
	"ptrace", "mount", "unshare", "setns", "bpf", "keyctl", "add_key",
	"io_uring_setup", "io_uring_enter", "io_uring_register", "kexec_load",
	"kexec_file_load", "init_module", "finit_module", "open_by_handle_at",
	"userfaultfd", "perf_event_open", "umount2", "pivot_root",
	// The new mount API mounts without mount(2).
	"fsopen", "fsconfig", "fsmount", "fspick", "move_mount", "open_tree", "mount_setattr",
}

// Never a bind source, nor anything under them (symlinks resolved).
var deniedSources = []string{
	"/proc", "/sys", "/dev", "/etc", "/boot", "/var/lib/docker",
	"/var/lib/containerd", "/run/containerd", "/run/docker.sock",
	"/var/run/docker.sock", "/run/runc",
}

// The oldest Docker's defaults; newer Dockers send supersets.
var requiredMasked = []string{
	"/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys",
	"/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats",
	"/proc/sched_debug", "/proc/scsi", "/sys/firmware",
}
var requiredReadonly = []string{
	"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger",
}

var hookAllowed = []string{"/usr/bin/dockerd", "/usr/sbin/dockerd", "/usr/local/bin/dockerd"}
var procExe = regexp.MustCompile(`^/proc/[0-9]+/exe$`)

var deniedAnnotations = []string{"org.systemd.property.", "dev.gvisor.", "org.criu.config", "run.oci."}

var problems []string
var caller bool

// harden: the hand-off comes from harden mode, which may drop annotations.
var harden bool

// fillable: absent in a caller's file, policyrun fills it in.
func fillable(absent bool) bool { return caller && absent }

func bad(field, format string, args ...interface{}) {
	problems = append(problems, field+": "+fmt.Sprintf(format, args...))
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func under(p, dir string) bool {
	return p == dir || strings.HasPrefix(p, dir+"/")
}

// resolve follows symlinks as far as the path exists on this host, the way
// the kernel will when runc mounts it.
func resolve(p string) string {
	p = filepath.Clean(p)
	rest := ""
	for cur := p; ; cur = filepath.Dir(cur) {
		if r, err := filepath.EvalSymlinks(cur); err == nil {
			return filepath.Join(r, rest)
		}
		if cur == "/" || cur == "." {
			return p
		}
		rest = filepath.Join(filepath.Base(cur), rest)
	}
}

func main() {
	bundle := flag.String("bundle", "", "directory relative paths resolve against (default: the config's directory)")
	orig := flag.String("orig", "", "the caller's config.json, to compare what the floor never changes")
	flag.BoolVar(&caller, "caller", false, "CONFIG is a caller's file: forgive what policyrun tightens")
	flag.BoolVar(&harden, "harden", false, "harden mode: the hand-off may drop the caller's annotations (never add or change one)")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: decode [-bundle DIR] [-orig FILE] [-caller] CONFIG")
		os.Exit(2)
	}
	path := flag.Arg(0)
	if *bundle == "" {
		*bundle = filepath.Dir(path)
	}
	f, err := os.Open(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, "decode:", err)
		os.Exit(2)
	}
	defer f.Close()

	// runc 1.1.5 loadSpec, verbatim in effect.
	var spec *specs.Spec
	if err := json.NewDecoder(f).Decode(&spec); err != nil {
		fmt.Println("decode: runc cannot read it:", err)
		os.Exit(1)
	}
	if spec == nil {
		bad("config", "is null")
	} else {
		check(spec, *bundle)
		if *orig != "" {
			compare(spec, *orig)
		}
	}
	if len(problems) == 0 {
		fmt.Println("ok")
		return
	}
	for _, p := range problems {
		fmt.Println(p)
	}
	os.Exit(1)
}

func check(s *specs.Spec, bundle string) {
	checkRoot(s.Root, bundle)
	checkProcess(s.Process)
	checkMounts(s.Mounts, bundle)
	checkHooks(s.Hooks)
	for k := range s.Annotations {
		for _, p := range deniedAnnotations {
			if strings.HasPrefix(k, p) {
				bad("annotations", "has %q", k)
			}
		}
	}
	if s.Linux == nil {
		bad("linux", "is absent or null")
		return
	}
	checkLinux(s.Linux)
}

// compare reports what the hand-off changed that the floor never changes.  An
// original runc cannot decode has nothing to compare.
func compare(s *specs.Spec, path string) {
	f, err := os.Open(path)
	if err != nil {
		bad("orig", "%v", err)
		return
	}
	defer f.Close()
	var o *specs.Spec
	if json.NewDecoder(f).Decode(&o) != nil || o == nil {
		return
	}
	if s.Hostname != o.Hostname {
		bad("hostname", "is %q, the caller's is %q", s.Hostname, o.Hostname)
	}
	if harden {
		// Harden drops what the floor refuses; what it keeps is the caller's.
		for k, v := range s.Annotations {
			if ov, ok := o.Annotations[k]; !ok || ov != v {
				bad("annotations", "has %q=%q, the caller's has %q", k, v, ov)
			}
		}
	} else if len(s.Annotations)+len(o.Annotations) != 0 && !reflect.DeepEqual(s.Annotations, o.Annotations) {
		bad("annotations", "are %q, the caller's are %q", s.Annotations, o.Annotations)
	}
	if s.Process == nil || o.Process == nil {
		return
	}
	if !reflect.DeepEqual(s.Process.Args, o.Process.Args) {
		bad("process.args", "are %q, the caller's are %q", s.Process.Args, o.Process.Args)
	}
	if !reflect.DeepEqual(s.Process.Env, o.Process.Env) {
		bad("process.env", "is %q, the caller's is %q", s.Process.Env, o.Process.Env)
	}
	if s.Process.Cwd != o.Process.Cwd {
		bad("process.cwd", "is %q, the caller's is %q", s.Process.Cwd, o.Process.Cwd)
	}
}

func checkRoot(r *specs.Root, bundle string) {
	if r == nil {
		bad("root", "is absent or null")
		return
	}
	if !r.Readonly {
		bad("root.readonly", "is false")
	}
	// runc joins a relative root.path to its bundle: policyrun must have
	// made it absolute against the caller's.
	path := r.Path
	if !filepath.IsAbs(path) {
		if !caller {
			bad("root.path", "%q is not absolute", r.Path)
		}
		path = filepath.Join(bundle, path)
	}
	if p := resolve(path); contains([]string{"/", "/proc", "/sys", "/dev", "/etc", "/boot"}, p) {
		bad("root.path", "%q is the host's %s", r.Path, p)
	}
}

func checkProcess(p *specs.Process) {
	if p == nil {
		bad("process", "is absent or null")
		return
	}
	if !p.NoNewPrivileges {
		bad("process.noNewPrivileges", "is false")
	}
	if p.User.UID == 0 {
		bad("process.user.uid", "is 0")
	}
	if p.User.GID == 0 {
		bad("process.user.gid", "is 0")
	}
	for i, g := range p.User.AdditionalGids {
		if g == 0 {
			bad(fmt.Sprintf("process.user.additionalGids[%d]", i), "is 0")
		}
	}
	c := p.Capabilities
	if c == nil {
		bad("process.capabilities", "is absent or null (no capability is dropped)")
	} else {
		names := []string{"bounding", "effective", "inheritable", "permitted", "ambient"}
		for i, set := range [][]string{c.Bounding, c.Effective, c.Inheritable, c.Permitted, c.Ambient} {
			if len(set) != 0 {
				bad("process.capabilities."+names[i], "has %v", set)
			}
		}
	}
	nofile := false
	for i, r := range p.Rlimits {
		if r.Type == "RLIMIT_NOFILE" {
			nofile = true
			if r.Hard > nofileCeiling || r.Soft > r.Hard {
				bad(fmt.Sprintf("process.rlimits[%d]", i), "RLIMIT_NOFILE is %d/%d", r.Soft, r.Hard)
			}
		}
	}
	if !nofile && !fillable(true) {
		bad("process.rlimits", "has no RLIMIT_NOFILE")
	}
	for i, r := range p.Rlimits {
		// A real-time priority escapes the CPU quota; nice 20-N is a raised priority.
		if r.Type == "RLIMIT_RTPRIO" && (r.Hard > 0 || r.Soft > 0) ||
			r.Type == "RLIMIT_NICE" && (r.Hard > 20 || r.Soft > 20) {
			bad(fmt.Sprintf("process.rlimits[%d]", i), "%s is %d/%d", r.Type, r.Soft, r.Hard)
		}
	}
	if p.OOMScoreAdj != nil && *p.OOMScoreAdj < 0 {
		bad("process.oomScoreAdj", "is %d", *p.OOMScoreAdj)
	}
	cwd := filepath.Clean(p.Cwd)
	if !filepath.IsAbs(p.Cwd) || under(cwd, "/proc") || under(cwd, "/sys") || under(cwd, "/dev") && !under(cwd, "/dev/shm") {
		bad("process.cwd", "is %q", p.Cwd)
	}
}

func optionsOf(m specs.Mount) (bind, ro, shared bool) {
	bind = m.Type == "bind"
	for _, o := range m.Options {
		switch o {
		case "shared", "rshared":
			shared = true
		case "bind", "rbind":
			bind = true
		case "ro", "rro":
			ro = true
		case "rw", "rrw":
			ro = false
		}
	}
	return
}

func checkMounts(mounts []specs.Mount, bundle string) {
	special := map[string]string{"proc": "/proc", "sysfs": "/sys", "cgroup": "/sys/fs/cgroup", "cgroup2": "/sys/fs/cgroup"}
	seen := map[string]int{}
	for i, m := range mounts {
		field := fmt.Sprintf("mounts[%d]", i)
		dest := filepath.Clean(m.Destination)
		bind, ro, shared := optionsOf(m)
		if shared {
			bad(field+".options", "propagates mounts to the host (%v)", m.Options)
		}
		if !bind {
			if want, ok := special[m.Type]; ok {
				seen[m.Type]++
				if dest != want || seen[m.Type] > 1 {
					bad(field, "is an extra %s mount at %q", m.Type, m.Destination)
				}
			}
			if m.Type == "tmpfs" && dest != "/dev" {
				noexec, size := false, false
				for _, o := range m.Options {
					noexec = noexec || o == "noexec"
					size = size || strings.HasPrefix(o, "size=")
				}
				if !noexec || !size {
					bad(field+".options", "tmpfs at %q lacks noexec or size= (%v)", m.Destination, m.Options)
				}
			}
			continue
		}
		src := m.Source
		if !filepath.IsAbs(src) {
			// runc joins it to the bundle it was given: policyrun must
			// have made it absolute against the caller's.
			if !caller {
				bad(field+".source", "%q is relative", m.Source)
			}
			src = filepath.Join(bundle, src)
		}
		src = filepath.Clean(src)
		real := resolve(src)
		base := filepath.Base(dest)
		engineFile := ro && contains([]string{"/etc/hosts", "/etc/hostname", "/etc/resolv.conf"}, dest) &&
			filepath.Base(src) == base && strings.Contains(src, "/containers/")
		dockerShm := dest == "/dev/shm" && filepath.Base(src) == "shm" &&
			filepath.Base(filepath.Dir(src)) == "mounts" && strings.Contains(src, "/containers/")
		if !ro && !dockerShm {
			bad(field+".options", "bind of %q at %q is writable (%v)", m.Source, m.Destination, m.Options)
		}
		paths := []string{src}
		if real != src {
			paths = append(paths, real)
		}
		for _, p := range paths {
			if p == "/" {
				bad(field+".source", "%q is the host's /", m.Source)
				break
			}
			if engineFile || dockerShm {
				if under(p, "/etc") || under(p, "/proc") || under(p, "/sys") || under(p, "/dev") {
					bad(field+".source", "%q is under a host system directory (%s)", m.Source, p)
				}
				continue
			}
			for _, d := range deniedSources {
				if under(p, d) {
					bad(field+".source", "%q is under %s (%s)", m.Source, d, p)
				}
			}
		}
	}
}

func checkHooks(h *specs.Hooks) {
	if h == nil {
		return
	}
	kinds := []string{"prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop"}
	lists := [][]specs.Hook{h.Prestart, h.CreateRuntime, h.CreateContainer, h.StartContainer, h.Poststart, h.Poststop}
	for k, hooks := range lists {
		for i, hk := range hooks {
			field := fmt.Sprintf("hooks.%s[%d]", kinds[k], i)
			setkey := len(hk.Args) > 0 && hk.Args[0] == "libnetwork-setkey" && len(hk.Env) == 0
			// Docker's libnetwork-setkey: the daemon re-executed, by its
			// path or through /proc/PID/exe; a dead PID runs nothing.  The
			// daemon run with other arguments would be a second root daemon,
			// with an environment (LD_PRELOAD) anything at all.
			if contains(hookAllowed, hk.Path) && setkey {
				continue
			}
			if procExe.MatchString(hk.Path) && setkey {
				exe, err := os.Readlink(hk.Path)
				if err != nil || contains(hookAllowed, exe) {
					continue
				}
				bad(field, "%q is %q, not the Docker daemon", hk.Path, exe)
				continue
			}
			bad(field, "runs %q, args %q, env %q", hk.Path, hk.Args, hk.Env)
		}
	}
}

func checkLinux(l *specs.Linux) {
	if l.RootfsPropagation == "shared" || l.RootfsPropagation == "rshared" {
		bad("linux.rootfsPropagation", "is %q", l.RootfsPropagation)
	}
	count := map[specs.LinuxNamespaceType]int{}
	for i, ns := range l.Namespaces {
		count[ns.Type]++
		if ns.Path != "" {
			bad(fmt.Sprintf("linux.namespaces[%d]", i), "joins %s namespace %q", ns.Type, ns.Path)
		}
	}
	if count[specs.NetworkNamespace] != 1 {
		bad("linux.namespaces", "has %d network namespaces, want exactly 1", count[specs.NetworkNamespace])
	}
	for _, t := range []specs.LinuxNamespaceType{specs.PIDNamespace, specs.IPCNamespace, specs.UTSNamespace, specs.MountNamespace} {
		if count[t] == 0 {
			bad("linux.namespaces", "has no %s namespace", t)
		}
	}
	for _, m := range l.UIDMappings {
		if m.HostID == 0 {
			bad("linux.uidMappings", "maps container uid %d to host uid 0", m.ContainerID)
		}
	}
	for _, m := range l.GIDMappings {
		if m.HostID == 0 {
			bad("linux.gidMappings", "maps container gid %d to host gid 0", m.ContainerID)
		}
	}
	if len(l.Devices) != 0 {
		bad("linux.devices", "has %d devices", len(l.Devices))
	}
	own := map[specs.LinuxNamespaceType]bool{}
	for _, ns := range l.Namespaces {
		own[ns.Type] = own[ns.Type] || ns.Path == ""
	}
	for k := range l.Sysctl {
		switch {
		case strings.Contains(k, "/"):
			bad("linux.sysctl", "sets %q", k)
		case strings.HasPrefix(k, "net."):
		case ipcSysctl(k) && own[specs.IPCNamespace]:
		case k == "kernel.domainname" && own[specs.UTSNamespace]:
		default:
			bad("linux.sysctl", "sets %q", k)
		}
	}
	if l.IntelRdt != nil {
		bad("linux.intelRdt", "is set")
	}
	if l.Personality != nil && l.Personality.Domain != specs.PerLinux {
		bad("linux.personality", "is %q", l.Personality.Domain)
	}
	if l.CgroupsPath != "" && filepath.Clean("/"+l.CgroupsPath) == "/" {
		bad("linux.cgroupsPath", "%q is the root cgroup", l.CgroupsPath)
	}
	for _, p := range requiredMasked {
		if !contains(l.MaskedPaths, p) && !fillable(l.MaskedPaths == nil) {
			bad("linux.maskedPaths", "lacks %s", p)
		}
	}
	for _, p := range requiredReadonly {
		if !contains(l.ReadonlyPaths, p) && !fillable(l.ReadonlyPaths == nil) {
			bad("linux.readonlyPaths", "lacks %s", p)
		}
	}
	checkResources(l.Resources)
	checkSeccomp(l.Seccomp)
}

// ipcSysctl: the sysctls of the IPC namespace (runc's validator, Docker's).
func ipcSysctl(k string) bool {
	switch k {
	case "kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem", "kernel.shmall",
		"kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced":
		return true
	}
	return regexp.MustCompile(`^fs\.mqueue\.[a-z0-9_]+$`).MatchString(k)
}

func wildcard(p *int64) bool { return p == nil || *p == -1 }

func checkResources(r *specs.LinuxResources) {
	if r == nil {
		if !fillable(true) {
			bad("linux.resources", "is absent or null")
		}
		return
	}
	if len(r.Unified) != 0 {
		bad("linux.resources.unified", "has %v", r.Unified)
	}

	m := r.Memory
	switch {
	case fillable(m == nil || m.Limit == nil):
	case m == nil:
		bad("linux.resources.memory", "is absent or null")
	case m.Limit == nil:
		bad("linux.resources.memory.limit", "is absent or null")
	case *m.Limit <= 0 || *m.Limit > memoryCeiling:
		bad("linux.resources.memory.limit", "is %d", *m.Limit)
	}
	if m != nil && m.Limit != nil && m.Swap != nil && *m.Swap != *m.Limit {
		bad("linux.resources.memory.swap", "is %d, limit is %d", *m.Swap, *m.Limit)
	}
	if m != nil && m.DisableOOMKiller != nil && *m.DisableOOMKiller {
		bad("linux.resources.memory.disableOOMKiller", "is true")
	}

	c := r.CPU
	switch {
	case fillable(c == nil || c.Quota == nil):
	case c == nil:
		bad("linux.resources.cpu", "is absent or null")
	case c.Quota == nil || *c.Quota <= 0:
		bad("linux.resources.cpu.quota", "is absent, null or not positive")
	default:
		period := uint64(cpuPeriod)
		if c.Period != nil && *c.Period != 0 {
			period = *c.Period
		}
		lhs := new(big.Int).Mul(big.NewInt(*c.Quota), big.NewInt(cpuPeriod))
		rhs := new(big.Int).Mul(big.NewInt(cpuQuota), new(big.Int).SetUint64(period))
		if lhs.Cmp(rhs) > 0 {
			bad("linux.resources.cpu", "quota %d over period %d is above half a CPU", *c.Quota, period)
		}
	}
	if c != nil && c.RealtimeRuntime != nil && *c.RealtimeRuntime != 0 {
		bad("linux.resources.cpu.realtimeRuntime", "is %d", *c.RealtimeRuntime)
	}

	if fillable(r.Pids == nil) {
	} else if r.Pids == nil {
		bad("linux.resources.pids", "is absent or null")
	} else if r.Pids.Limit <= 0 || r.Pids.Limit > pidsCeiling {
		bad("linux.resources.pids.limit", "is %d", r.Pids.Limit)
	}

	// The device cgroup starts from allow-all unless the first rule denies all.
	d := r.Devices
	if fillable(len(d) == 0) {
	} else if len(d) == 0 || d[0].Allow || (d[0].Type != "" && d[0].Type != "a") ||
		!wildcard(d[0].Major) || !wildcard(d[0].Minor) ||
		!(strings.Contains(d[0].Access, "r") && strings.Contains(d[0].Access, "w") && strings.Contains(d[0].Access, "m")) {
		bad("linux.resources.devices", "does not start with deny-all")
	}
	for i, rule := range d {
		if rule.Allow && (rule.Type == "" || rule.Type == "a" || wildcard(rule.Major) || wildcard(rule.Minor)) {
			bad(fmt.Sprintf("linux.resources.devices[%d]", i), "allows a wildcard (%s %v:%v %s)",
				rule.Type, rule.Major, rule.Minor, rule.Access)
		}
	}
}

func checkSeccomp(s *specs.LinuxSeccomp) {
	if s == nil {
		bad("linux.seccomp", "is absent or null")
		return
	}
	switch s.DefaultAction {
	case specs.ActKill, specs.ActKillProcess, specs.ActKillThread, specs.ActTrap, specs.ActErrno:
	default:
		bad("linux.seccomp.defaultAction", "is %q", s.DefaultAction)
	}
	if s.ListenerPath != "" {
		bad("linux.seccomp.listenerPath", "is %q", s.ListenerPath)
	}
	x86 := contains(archNames(s.Architectures), "SCMP_ARCH_X86")
	for i, rule := range s.Syscalls {
		// policyrun takes deny-listed names out of allow rules, and
		// rewrites the rules that let clone, clone3 and socket run.
		if caller || !letsRun(rule.Action) {
			continue
		}
		field := fmt.Sprintf("linux.seccomp.syscalls[%d]", i)
		for _, n := range rule.Names {
			switch {
			case contains(deniedSyscalls, n):
				bad(field, "%s %s", rule.Action, n)
			case n == "clone3":
				bad(field, "%s clone3 (a namespace flag no filter can see)", rule.Action)
			case n == "clone" && !everyBranchPins(rule.Args, cloneWithoutNamespaces):
				bad(field, "%s clone with namespace flags", rule.Action)
			case n == "socket" && !everyBranchPins(rule.Args, excludesVsock):
				bad(field, "%s socket(AF_VSOCK)", rule.Action)
			case n == "socketcall" && x86:
				bad(field, "%s socketcall on SCMP_ARCH_X86 (socket families no filter can see)", rule.Action)
			}
		}
	}
}

func archNames(a []specs.Arch) []string {
	out := make([]string, len(a))
	for i, x := range a {
		out[i] = string(x)
	}
	return out
}

// letsRun: what runc 1.1 loads as an action that lets the call run.
func letsRun(a specs.LinuxSeccompAction) bool {
	switch a {
	case specs.ActKill, specs.ActKillProcess, specs.ActKillThread, specs.ActTrap, specs.ActErrno:
		return false
	}
	return true
}

// everyBranchPins: runc 1.1 ANDs a rule's conditions in one libseccomp rule,
// unless two are on the same argument: then each condition is a rule of its
// own, and the call runs when any of them matches.  Every rule runc loads
// must hold a condition that pins.
func everyBranchPins(args []specs.LinuxSeccompArg, pins func(specs.LinuxSeccompArg) bool) bool {
	seen := map[uint]bool{}
	split := false
	for _, a := range args {
		split = split || seen[a.Index]
		seen[a.Index] = true
	}
	branches := [][]specs.LinuxSeccompArg{args}
	if split {
		branches = nil
		for _, a := range args {
			branches = append(branches, []specs.LinuxSeccompArg{a})
		}
	}
	for _, b := range branches {
		pinned := false
		for _, a := range b {
			pinned = pinned || pins(a)
		}
		if !pinned {
			return false
		}
	}
	return true
}

const namespaceFlags = 0x7E020000 // CLONE_NEWNS|NEWCGROUP|NEWUTS|NEWIPC|NEWUSER|NEWPID|NEWNET

func cloneWithoutNamespaces(a specs.LinuxSeccompArg) bool {
	if a.Index != 0 {
		return false
	}
	switch a.Op {
	case specs.OpMaskedEqual: // (flags & Value) == ValueTwo
		return a.Value&namespaceFlags == namespaceFlags && a.ValueTwo&namespaceFlags == 0
	case specs.OpEqualTo:
		return a.Value&namespaceFlags == 0
	case specs.OpLessThan:
		return a.Value <= 0x20000
	case specs.OpLessEqual:
		return a.Value < 0x20000
	}
	return false
}

// excludesVsock: the condition is false for socket's family AF_VSOCK (40).
func excludesVsock(a specs.LinuxSeccompArg) bool {
	if a.Index != 0 {
		return false
	}
	const x = 40
	switch a.Op {
	case specs.OpNotEqual:
		return a.Value == x
	case specs.OpEqualTo:
		return a.Value != x
	case specs.OpLessThan:
		return x >= a.Value
	case specs.OpLessEqual:
		return x > a.Value
	case specs.OpGreaterThan:
		return x <= a.Value
	case specs.OpGreaterEqual:
		return x < a.Value
	case specs.OpMaskedEqual:
		return x&a.Value != a.ValueTwo
	}
	return false
}
