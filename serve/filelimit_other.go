//go:build !unix

package serve

// RaiseFileLimit does nothing on systems without RLIMIT_NOFILE, and
// returns 0: no limit known.
func RaiseFileLimit() (uint64, error) { return 0, nil }
