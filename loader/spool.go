package loader

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// MaxSpool bounds what is copied from a pipe, a FIFO, a device or
// standard input: the copy is read twice (checked, then loaded), so it is
// kept in a private file, and /dev/zero must not fill the disk.
const MaxSpool = 8 << 30

// Spooler gives every input a path that can be read more than once: a
// regular file is its own path; standard input ("-"), pipes, FIFOs and
// devices are copied into a private directory first (mode 0700, files
// 0600), with the copy bounded by MaxSpool and stopped by ctx. Close
// removes the copies.
type Spooler struct {
	dir   string
	given map[string]string // copy's path → the name the user gave
	// Remote fetches inputs that are not files (TAXII collections); nil
	// for none.
	Remote Remote
}

// Remote reads inputs named by URL into a private copy.
type Remote interface {
	// Handles reports whether name is an input this Remote reads.
	Handles(name string) bool
	// Fetch writes the input into w, at most limit bytes, and returns
	// the base name its copy should have (the dataset of a STIX bundle
	// is named after it).
	Fetch(ctx context.Context, name string, w io.Writer, limit int64) (base string, err error)
}

// NewSpooler returns an empty Spooler; it creates its directory only when
// an input needs copying.
func NewSpooler() *Spooler { return &Spooler{given: map[string]string{}} }

// Path returns a readable path for name, copying it when it is not a
// regular file. Errors name the input as the user gave it.
func (s *Spooler) Path(ctx context.Context, name string) (string, error) {
	if s.Remote != nil && s.Remote.Handles(name) {
		return s.fetch(ctx, name)
	}
	if name != "-" {
		fi, err := os.Stat(name)
		if err != nil {
			return "", fmt.Errorf("read dataset: %w", err)
		}
		if fi.IsDir() {
			return "", fmt.Errorf("read dataset %s: is a directory; give the dataset files inside it", name)
		}
		if fi.Mode().IsRegular() {
			return name, nil
		}
	}
	if err := s.makeDir(name); err != nil {
		return "", err
	}
	f, err := os.CreateTemp(s.dir, "input-*")
	if err != nil {
		return "", fmt.Errorf("read dataset %s: a private copy is needed: %w", name, err)
	}
	path := f.Name()
	s.given[path] = name
	// Opening a FIFO blocks until a writer comes and reading blocks
	// while it is silent: the copy runs on its own goroutine so that
	// ctx (Ctrl-C, --timeout) can stop waiting for it.
	done := make(chan error, 1)
	go func() { done <- copyBounded(f, name) }()
	select {
	case err = <-done:
	case <-ctx.Done():
		err = ctx.Err()
	}
	if err != nil {
		return "", fmt.Errorf("read dataset %s: %w", name, err)
	}
	return path, nil
}

func (s *Spooler) makeDir(name string) error {
	if s.dir != "" {
		return nil
	}
	dir, err := os.MkdirTemp("", "aptgraph-input-")
	if err != nil {
		return fmt.Errorf("read dataset %s: a private copy is needed: %w", name, err)
	}
	s.dir = dir
	return nil
}

// fetch copies a remote input into a private file named as the Remote
// says, bounded by what a file may hold (it is parsed whole).
func (s *Spooler) fetch(ctx context.Context, name string) (string, error) {
	if err := s.makeDir(name); err != nil {
		return "", err
	}
	sub, err := os.MkdirTemp(s.dir, "remote-")
	if err != nil {
		return "", fmt.Errorf("read dataset %s: a private copy is needed: %w", name, err)
	}
	tmp, err := os.CreateTemp(sub, "fetch-*")
	if err != nil {
		return "", fmt.Errorf("read dataset %s: a private copy is needed: %w", name, err)
	}
	base, err := s.Remote.Fetch(ctx, name, tmp, MaxFileSize)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", fmt.Errorf("read dataset %s: %w", name, err)
	}
	path := filepath.Join(sub, filepath.Base(base))
	if err := os.Rename(tmp.Name(), path); err != nil {
		return "", fmt.Errorf("read dataset %s: %w", name, err)
	}
	s.given[path] = name
	return path, nil
}

func copyBounded(to *os.File, name string) (err error) {
	defer func() {
		if cerr := to.Close(); err == nil {
			err = cerr
		}
	}()
	from := os.Stdin
	if name != "-" {
		if from, err = os.Open(name); err != nil {
			return err
		}
		defer from.Close()
	}
	// Only JSON Lines is read in parts; any other input is parsed whole,
	// so its copy stops at what a file may hold (check /dev/zero once
	// filled the disk, and a 1 GB YAML through a pipe took 4.8 GB of
	// memory). The first line tells them apart.
	r := bufio.NewReaderSize(from, MaxLine+1)
	head, err := r.Peek(MaxLine + 1)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return err
	}
	limit, what := int64(MaxFileSize), fmt.Sprintf("the %d MiB a dataset file may hold; split it, or write a big graph as JSON Lines", MaxFileSize>>20)
	if looksLikeLines(head) {
		limit, what = MaxSpool, fmt.Sprintf("the %d GiB an input may hold", MaxSpool>>30)
	}
	n, err := io.Copy(to, io.LimitReader(r, limit+1))
	if err != nil {
		return err
	}
	if n > limit {
		return fmt.Errorf("more than %s", what)
	}
	return nil
}

// looksLikeLines reports whether the start of an input is JSON Lines: a
// first line that is a whole JSON object, then another line that starts
// like one.
func looksLikeLines(head []byte) bool {
	lines := bytes.Split(bytes.TrimPrefix(head, bom), []byte("\n"))
	first := -1
	for i, l := range lines[:len(lines)-1] { // the last may be cut short
		l = bytes.TrimSpace(l)
		if len(l) == 0 {
			continue
		}
		if first < 0 {
			if l[0] != '{' || !json.Valid(l) {
				return false
			}
			first = i
			continue
		}
		return l[0] == '{'
	}
	return false
}

// Given is the name the user gave for path (path itself when it was not
// copied).
func (s *Spooler) Given(path string) string {
	if g, ok := s.given[path]; ok {
		return g
	}
	return path
}

// renameText replaces copies' paths in a text by the given names.
func (s *Spooler) renameText(msg string) string {
	for p, g := range s.given {
		msg = strings.ReplaceAll(msg, p, g)
	}
	return msg
}

// rename replaces copies' paths in an error's text by the given names.
func (s *Spooler) rename(err error) error {
	if err == nil || len(s.given) == 0 {
		return err
	}
	msg := s.renameText(err.Error())
	if msg == err.Error() {
		return err
	}
	return renamedError{msg, err}
}

type renamedError struct {
	msg string
	err error
}

func (e renamedError) Error() string { return e.msg }
func (e renamedError) Unwrap() error { return e.err }

// Close removes the copies.
func (s *Spooler) Close() error {
	if s == nil || s.dir == "" {
		return nil
	}
	return os.RemoveAll(s.dir)
}

// isStream tells a JSON Lines dataset by its content, whatever its name:
// the first non-blank line is one whole JSON object and another line
// follows it. A .jsonl or .ndjson name is taken at its word. Reading
// JSON Lines as YAML (which accepts the first line as a flow mapping and
// ignores the rest) once lost every line but the header.
func isStream(path string) (bool, error) {
	if IsStream(path) {
		return true, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return false, fmt.Errorf("read dataset: %w", err)
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 64<<10)
	var first []byte
	for {
		line, err := readLine(r)
		if err != nil && !errors.Is(err, io.EOF) {
			return false, fmt.Errorf("read dataset: %w", err)
		}
		line = bytes.TrimSpace(bytes.TrimPrefix(line, bom))
		if first == nil {
			if len(line) > 0 {
				if line[0] != '{' || !json.Valid(line) {
					return false, nil
				}
				first = line
			}
		} else if len(line) > 0 {
			return true, nil
		}
		if err != nil {
			return false, nil
		}
	}
}

var bom = []byte("\xef\xbb\xbf")

// readLine reads one line of at most MaxLine bytes (a longer one is cut:
// it cannot be a JSON Lines item anyway).
func readLine(r *bufio.Reader) ([]byte, error) {
	var line []byte
	for {
		chunk, err := r.ReadSlice('\n')
		if len(line)+len(chunk) <= MaxLine {
			line = append(line, chunk...)
		}
		if !errors.Is(err, bufio.ErrBufferFull) {
			return line, err
		}
	}
}

// isJSON tells whether data is to be parsed as JSON rather than YAML: a
// .json name, or (unless named .yaml or .yml) a text that is one valid
// JSON value.
func isJSON(name string, data []byte) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".json":
		return true
	case ".yaml", ".yml":
		return false
	}
	t := bytes.TrimSpace(data)
	return len(t) > 0 && (t[0] == '{' || t[0] == '[') && json.Valid(t)
}
