//go:build !unix

package render

// locking is false where builds do not lock their output: leftovers of
// killed builds are then told by their process ID (processAlive).
const locking = false

// lockOutput does nothing where flock(2) is missing.
func lockOutput(path string, warn func(string)) (unlock func(), err error) { return func() {}, nil }
