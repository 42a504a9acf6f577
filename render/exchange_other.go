//go:build !linux

package render

import "errors"

func exchange(a, b string) error { return errors.ErrUnsupported }

// isMountPoint is false where it is not known: a rename of a mount point
// fails, and Publish reports it.
func isMountPoint(dir string) bool { return false }

// markTopDir is a hint to Linux's ext file systems only.
func markTopDir(dir string) {}
