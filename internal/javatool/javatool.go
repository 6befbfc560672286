// Package javatool builds the small Java programs the tests run (the Neo4j
// launcher, the GraphML checker, the neo4j-admin import check): their jars
// come from Maven Central through `mvn dependency:copy-dependencies`, the
// source is compiled with javac, and both are cached per version so that
// only the first run pays.
package javatool

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/gofrs/flock"
)

// Available reports why the tools cannot be built here ("" when they can).
func Available() string {
	for _, tool := range []string{"java", "javac", "mvn"} {
		if _, err := exec.LookPath(tool); err != nil {
			return tool + " not found on PATH: the Java test tools need Java 17 and Maven"
		}
	}
	return ""
}

// CacheRoot is where tools are cached: $APTGRAPH_JAVA_CACHE, else the
// user cache directory.
func CacheRoot() (string, error) {
	if d := os.Getenv("APTGRAPH_JAVA_CACHE"); d != "" {
		return d, nil
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(d, "aptgraph", "java"), nil
}

// Prepare fetches the dependencies named in dir/pom.xml and compiles the
// .java files in dir, once per content of those files; a file lock keeps
// parallel test binaries from doing it twice. It returns the class path.
func Prepare(ctx context.Context, dir string) (string, error) {
	if why := Available(); why != "" {
		return "", fmt.Errorf("%s", why)
	}
	pom, err := os.ReadFile(filepath.Join(dir, "pom.xml"))
	if err != nil {
		return "", err
	}
	sources, err := filepath.Glob(filepath.Join(dir, "*.java"))
	if err != nil || len(sources) == 0 {
		return "", fmt.Errorf("no Java sources in %s", dir)
	}
	h := sha256.New()
	h.Write(pom)
	for _, s := range sources {
		b, err := os.ReadFile(s)
		if err != nil {
			return "", err
		}
		h.Write(b)
	}
	root, err := CacheRoot()
	if err != nil {
		return "", err
	}
	cache := filepath.Join(root, filepath.Base(dir)+"-"+hex.EncodeToString(h.Sum(nil))[:12])
	if err := os.MkdirAll(cache, 0o755); err != nil {
		return "", err
	}
	lock := flock.New(filepath.Join(cache, ".lock"))
	if err := lock.Lock(); err != nil {
		return "", fmt.Errorf("lock %s: %w", cache, err)
	}
	defer lock.Unlock()
	lib := filepath.Join(cache, "lib")
	classes := filepath.Join(cache, "classes")
	stamp := filepath.Join(cache, "ready")
	if _, err := os.Stat(stamp); err != nil {
		run := func(name string, args ...string) error {
			out, err := exec.CommandContext(ctx, name, args...).CombinedOutput()
			if err != nil {
				return fmt.Errorf("%s %s: %w\n%s", name, strings.Join(args, " "), err, Tail(string(out), 40))
			}
			return nil
		}
		if err := run("mvn", "-B", "-q", "-f", filepath.Join(dir, "pom.xml"),
			"dependency:copy-dependencies", "-DoutputDirectory="+lib, "-DincludeScope=runtime"); err != nil {
			return "", fmt.Errorf("fetch jars: %w", err)
		}
		args := append([]string{"-nowarn", "-cp", filepath.Join(lib, "*"), "-d", classes}, sources...)
		if err := run("javac", args...); err != nil {
			return "", fmt.Errorf("compile %s: %w", dir, err)
		}
		if err := os.WriteFile(stamp, nil, 0o644); err != nil {
			return "", err
		}
	}
	return classes + string(os.PathListSeparator) + filepath.Join(lib, "*"), nil
}

// Tail returns the last n lines of s, for error messages that quote a
// tool's output.
func Tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
