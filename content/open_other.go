//go:build !unix

package content

import (
	"io/fs"
	"os"
)

// openFile opens the file at the resolved path real for reading and
// returns it with its information, taken from the open file: what it
// opened is refused unless it is a regular file or a directory. (These
// systems have no FIFO that an open waits on.)
func openFile(real string) (*os.File, fs.FileInfo, error) {
	f, err := os.Open(real)
	if err != nil {
		return nil, nil, err
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	if !info.Mode().IsRegular() && !info.IsDir() {
		f.Close()
		return nil, nil, irregular(info.Mode())
	}
	return f, info, nil
}
