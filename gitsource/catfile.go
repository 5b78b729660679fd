package gitsource

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// ReadBlobs streams the objects named by oids to fn, in order, through one
// `git cat-file --batch` process (one process for any number of blobs; the
// requests are written by another goroutine so neither pipe can fill up and
// block). A blob larger than maxSize (when positive) is passed with nil data
// and its size; a missing object with size -1. fn runs on the calling
// goroutine; it may keep data.
func (r *Repo) ReadBlobs(ctx context.Context, oids []string, maxSize int64, fn func(oid string, data []byte, size int64) error) error {
	if len(oids) == 0 {
		return nil
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	cmd := r.Command(ctx, "cat-file", "--batch", "--buffer")
	in, err := cmd.StdinPipe()
	if err != nil {
		return fmt.Errorf("git cat-file: %w", err)
	}
	outPipe, err := cmd.StdoutPipe()
	if err != nil {
		return fmt.Errorf("git cat-file: %w", err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("git cat-file: %w", err)
	}
	writeErr := make(chan error, 1)
	go func() {
		w := bufio.NewWriterSize(in, 64<<10)
		var err error
		for _, oid := range oids {
			if _, err = w.WriteString(oid + "\n"); err != nil {
				break
			}
		}
		if err == nil {
			err = w.Flush()
		}
		in.Close()
		writeErr <- err
	}()
	readErr := readBatch(bufio.NewReaderSize(outPipe, 256<<10), oids, maxSize, fn)
	if readErr != nil {
		cancel()
		io.Copy(io.Discard, outPipe)
	}
	werr := <-writeErr
	waitErr := cmd.Wait()
	switch {
	case readErr != nil:
		return readErr
	case werr != nil:
		return fmt.Errorf("git cat-file: writing requests: %w", werr)
	case waitErr != nil:
		return fmt.Errorf("git cat-file: %v: %s", waitErr, strings.TrimSpace(stderr.String()))
	}
	return nil
}

func readBatch(br *bufio.Reader, oids []string, maxSize int64, fn func(string, []byte, int64) error) error {
	for _, want := range oids {
		header, err := br.ReadString('\n')
		if err != nil {
			return fmt.Errorf("git cat-file: reading %s: %w", want, err)
		}
		fields := strings.Fields(header)
		if len(fields) == 2 && fields[1] == "missing" {
			if err := fn(want, nil, -1); err != nil {
				return err
			}
			continue
		}
		if len(fields) != 3 {
			return fmt.Errorf("git cat-file: unexpected header %q", header)
		}
		size, err := strconv.ParseInt(fields[2], 10, 64)
		if err != nil {
			return fmt.Errorf("git cat-file: bad size in %q", header)
		}
		var data []byte
		if maxSize > 0 && size > maxSize {
			if _, err := br.Discard(int(size)); err != nil {
				return fmt.Errorf("git cat-file: reading %s: %w", want, err)
			}
		} else {
			data = make([]byte, size)
			if _, err := io.ReadFull(br, data); err != nil {
				return fmt.Errorf("git cat-file: reading %s: %w", want, err)
			}
		}
		if b, err := br.ReadByte(); err != nil || b != '\n' {
			return errors.New("git cat-file: object not followed by a newline")
		}
		if err := fn(want, data, size); err != nil {
			return err
		}
	}
	return nil
}
