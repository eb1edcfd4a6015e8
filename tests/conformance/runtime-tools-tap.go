// Package tap: the Test Anything Protocol writer the runtime-tools
// validation programs import as github.com/mndrix/tap-go.  Debian does not
// package that library, so runtime-tools.sh puts this file in its place.
// It is written for this test suite from the calls the validation
// programs make (New, Header, Ok, Pass, Fail, Skip, Todo, Count, AutoPlan,
// Diagnostic, Diagnosticf, YAML) and prints TAP version 13.
package tap

import (
	"fmt"
	"io"
	"os"
	"strings"

	"gopkg.in/yaml.v2"
)

// T writes one TAP stream.
type T struct {
	TODO   bool
	Writer io.Writer
	c      *counter
}

// counter is shared by a stream and its Todo() copies.
type counter struct {
	next int
	plan bool
}

// New starts a stream on standard output.
func New() *T {
	return &T{Writer: os.Stdout, c: &counter{next: 1}}
}

func (t *T) printf(format string, a ...interface{}) {
	fmt.Fprintf(t.Writer, format, a...)
}

// Header prints the version line and, for a known count, the plan.
func (t *T) Header(testCount int) {
	t.printf("TAP version 13\n")
	if testCount > 0 {
		t.printf("1..%d\n", testCount)
		t.c.plan = true
	}
}

// Ok prints one test point.
func (t *T) Ok(test bool, description string) {
	word := "ok"
	if !test {
		word = "not ok"
	}
	directive := ""
	if t.TODO {
		directive = " # TODO"
	}
	t.printf("%s %d - %s%s\n", word, t.c.next, description, directive)
	t.c.next++
}

// Pass is Ok(true, description).
func (t *T) Pass(description string) { t.Ok(true, description) }

// Fail is Ok(false, description).
func (t *T) Fail(description string) { t.Ok(false, description) }

// Count is the number of test points printed so far.
func (t *T) Count() int { return t.c.next - 1 }

// AutoPlan prints the plan after the last test point.
func (t *T) AutoPlan() {
	if !t.c.plan {
		t.printf("1..%d\n", t.Count())
		t.c.plan = true
	}
}

// Todo is a stream whose next points are marked TODO.
func (t *T) Todo() *T {
	todo := *t
	todo.TODO = true
	return &todo
}

// Skip prints count skipped test points.
func (t *T) Skip(count int, description string) {
	for i := 0; i < count; i++ {
		t.printf("ok %d # SKIP %s\n", t.c.next, description)
		t.c.next++
	}
}

// Diagnostic prints a comment line per line of message.
func (t *T) Diagnostic(message string) {
	for _, line := range strings.Split(strings.TrimRight(message, "\n"), "\n") {
		t.printf("# %s\n", line)
	}
}

// Diagnosticf is Diagnostic with a format.
func (t *T) Diagnosticf(format string, a ...interface{}) {
	t.Diagnostic(fmt.Sprintf(format, a...))
}

// YAML prints a YAML block attached to the last test point.
func (t *T) YAML(message interface{}) error {
	out, err := yaml.Marshal(message)
	if err != nil {
		return err
	}
	t.printf("  ---\n")
	for _, line := range strings.Split(strings.TrimRight(string(out), "\n"), "\n") {
		t.printf("  %s\n", line)
	}
	t.printf("  ...\n")
	return nil
}
