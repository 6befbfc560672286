// Package neo4jtest gives tests a real Neo4j 5.26 Community without
// Docker: the server runs embedded in a small Java launcher (launcher/),
// with jars fetched once from Maven Central by
// `mvn dependency:copy-dependencies` and cached, Bolt on 127.0.0.1 and a
// free port.
//
// Tests use a server in this order: APTGRAPH_TEST_NEO4J_URI if set; else
// one started here (needs java and mvn); else they skip with a visible
// message — unless APTGRAPH_REQUIRE_NEO4J=1 (set by .ci/run), where a
// missing Neo4j fails the run.
package neo4jtest

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aptgraph/aptgraph/internal/javatool"
)

// Version is the Neo4j version the launcher runs; docker-compose.yml pins
// the same one, and a test checks that they agree.
const Version = "5.26.30"

// StartTimeout bounds how long a server may take to start.
const StartTimeout = 3 * time.Minute

// javaFlags are the JVM options Neo4j needs on Java 17.
var javaFlags = []string{
	"-Xms256m", "-Xmx1g", "-XX:+UseG1GC",
	"--add-opens=java.base/java.lang=ALL-UNNAMED",
	"--add-opens=java.base/java.nio=ALL-UNNAMED",
	"--add-opens=java.base/java.io=ALL-UNNAMED",
	"--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
	"--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
	"--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
	"-Dio.netty.tryReflectionSetAccessible=true",
	"-Dfile.encoding=UTF-8",
}

// Server is a running Neo4j started by Start.
type Server struct {
	URI     string
	DataDir string
	cmd     *exec.Cmd
	stdin   io.WriteCloser
	log     string
	exited  chan struct{}
}

// Options tune Start.
type Options struct {
	// Password turns auth on with this password for user "neo4j". It is
	// handed to the JVM in the environment, never as an argument.
	Password string
	// DataDir reuses a data directory (to restart a server on the same
	// data); empty means a new temporary one, removed by Stop.
	DataDir string
	// TLSDir holds private.key (PKCS#8 PEM) and public.crt; when set,
	// Bolt requires TLS with that certificate.
	TLSDir string
	// ImportDir is where LOAD CSV reads file:/// URLs from.
	ImportDir string
	// HeapMB and PageCacheMB size the JVM heap (default 1024) and Neo4j's
	// page cache (default 256); benchmarks give it more.
	HeapMB, PageCacheMB int
}

func launcherDir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "launcher")
}

// Prepare fetches the Neo4j jars and compiles the launcher, once (see
// package javatool). It returns the Java class path.
func Prepare(ctx context.Context) (string, error) {
	return javatool.Prepare(ctx, launcherDir())
}

// Start starts a Neo4j server and waits until Bolt accepts connections.
func Start(ctx context.Context, o Options) (*Server, error) {
	cp, err := Prepare(ctx)
	if err != nil {
		return nil, err
	}
	s := &Server{DataDir: o.DataDir, exited: make(chan struct{})}
	if s.DataDir == "" {
		if s.DataDir, err = os.MkdirTemp("", "aptgraph-neo4j-"); err != nil {
			return nil, err
		}
	}
	flags := append([]string(nil), javaFlags...)
	if o.HeapMB > 0 {
		for i, f := range flags {
			if strings.HasPrefix(f, "-Xmx") {
				flags[i] = fmt.Sprintf("-Xmx%dm", o.HeapMB)
			}
		}
	}
	args := append(flags, "-cp", cp, "Launcher", s.DataDir)
	cmd := exec.Command("java", args...)
	cmd.Env = append(os.Environ(), "APTGRAPH_LAUNCHER_PASSWORD="+o.Password, "APTGRAPH_LAUNCHER_TLS_DIR="+o.TLSDir,
		"APTGRAPH_LAUNCHER_IMPORT_DIR="+o.ImportDir, fmt.Sprintf("APTGRAPH_LAUNCHER_PAGECACHE_MB=%d", max(o.PageCacheMB, 0)))
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	s.log = filepath.Join(s.DataDir, "launcher.log")
	logf, err := os.Create(s.log)
	if err != nil {
		return nil, err
	}
	cmd.Stderr = logf
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if s.stdin, err = cmd.StdinPipe(); err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start java: %w", err)
	}
	s.cmd = cmd
	ready := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if uri, ok := strings.CutPrefix(sc.Text(), "READY "); ok {
				ready <- uri
			}
		}
	}()
	go func() {
		_ = cmd.Wait()
		logf.Close()
		close(s.exited)
	}()
	select {
	case s.URI = <-ready:
		return s, nil
	case <-s.exited:
		return nil, fmt.Errorf("neo4j exited before it was ready:\n%s", s.Log())
	case <-time.After(StartTimeout):
		_ = s.Kill()
		return nil, fmt.Errorf("neo4j not ready after %s:\n%s", StartTimeout, s.Log())
	case <-ctx.Done():
		_ = s.Kill()
		return nil, ctx.Err()
	}
}

// Log returns the end of the server's log.
// CPU is the processor time the server's JVM has used so far (user and
// system), read from /proc: how the benchmark tells the server's share of
// a load from the client's on the same machine.
func (s *Server) CPU() (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", s.cmd.Process.Pid))
	if err != nil {
		return 0, err
	}
	// Fields after the command name, which is in parentheses and may hold
	// spaces: utime and stime are the 12th and 13th, in clock ticks (100
	// a second on Linux).
	_, rest, ok := strings.Cut(string(b), ") ")
	f := strings.Fields(rest)
	if !ok || len(f) < 13 {
		return 0, fmt.Errorf("unexpected /proc stat line %q", b)
	}
	var ticks int64
	for _, v := range f[11:13] {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("unexpected /proc stat line %q", b)
		}
		ticks += n
	}
	return time.Duration(ticks) * 10 * time.Millisecond, nil
}

func (s *Server) Log() string {
	b, _ := os.ReadFile(s.log)
	return javatool.Tail(string(b), 30)
}

// Stop shuts the server down cleanly (by closing its stdin), and removes
// a temporary data directory.
func (s *Server) Stop(removeData bool) error {
	if s.stdin != nil {
		s.stdin.Close()
	}
	select {
	case <-s.exited:
	case <-time.After(60 * time.Second):
		_ = s.Kill()
	}
	if removeData {
		return os.RemoveAll(s.DataDir)
	}
	return nil
}

// Kill ends the server at once (SIGKILL), as a crash would.
func (s *Server) Kill() error {
	if s.cmd == nil || s.cmd.Process == nil {
		return nil
	}
	err := syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
	<-s.exited
	return err
}

// Env is the Neo4j a test binary uses, set up once in TestMain.
type Env struct {
	URI    string
	Reason string // why there is none
	server *Server
}

// Setup finds or starts the Neo4j for a test binary. Call Close after the
// tests.
func Setup() *Env {
	if uri := os.Getenv("APTGRAPH_TEST_NEO4J_URI"); uri != "" {
		return &Env{URI: uri}
	}
	if os.Getenv("APTGRAPH_TEST_NEO4J") == "off" {
		return &Env{Reason: "APTGRAPH_TEST_NEO4J=off"}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	s, err := Start(ctx, Options{})
	if err != nil {
		return &Env{Reason: err.Error()}
	}
	return &Env{URI: s.URI, server: s}
}

// Close stops a server that Setup started.
func (e *Env) Close() {
	if e.server != nil {
		_ = e.server.Stop(true)
	}
}

// Require returns the URI, or skips the test with the reason — or fails
// it when APTGRAPH_REQUIRE_NEO4J=1, so that CI never passes by skipping.
func (e *Env) Require(t testing.TB) string {
	t.Helper()
	if e.URI != "" {
		return e.URI
	}
	if os.Getenv("APTGRAPH_REQUIRE_NEO4J") == "1" {
		t.Fatalf("Neo4j is required (APTGRAPH_REQUIRE_NEO4J=1) but not available: %s", e.Reason)
	}
	t.Skipf("SKIP: no Neo4j for this test (%s); set APTGRAPH_TEST_NEO4J_URI or install java and mvn", firstLine(e.Reason))
	return ""
}

// CanStart reports whether this machine can start its own servers (for
// tests that need a second, private one).
func (e *Env) CanStart(t testing.TB) {
	t.Helper()
	if why := javatool.Available(); why != "" {
		if os.Getenv("APTGRAPH_REQUIRE_NEO4J") == "1" {
			t.Fatalf("Neo4j is required but %s", why)
		}
		t.Skipf("SKIP: cannot start a private Neo4j: %s", why)
	}
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// WriteCert makes a self-signed certificate for 127.0.0.1 and localhost in
// dir, as private.key and public.crt for Options.TLSDir; the certificate
// is also its own CA, so public.crt can be trusted as a root.
func WriteCert(dir string) error {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(61419),
		Subject:               pkix.Name{CommonName: "aptgraph test Neo4j"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		IPAddresses:           []net.IP{net.ParseIP("127.0.0.1")},
		DNSNames:              []string{"localhost"},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return err
	}
	pk, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "private.key"), pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pk}), 0o600); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "public.crt"), pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644)
}
