//go:build unix

package content

import (
	"io/fs"
	"os"
	"syscall"
)

// openFile opens the file at the resolved path real for reading and
// returns it with its information, taken from the open file. It opens
// with O_NONBLOCK, so that a FIFO put there after the file was checked
// does not wait for a writer, and O_NOFOLLOW, so that a link put there is
// not followed; it refuses what it opened unless it is a regular file or
// a directory, then clears O_NONBLOCK.
func openFile(real string) (*os.File, fs.FileInfo, error) {
	var fd int
	var err error
	for {
		fd, err = syscall.Open(real, syscall.O_RDONLY|syscall.O_NONBLOCK|syscall.O_NOFOLLOW|syscall.O_CLOEXEC, 0)
		if err != syscall.EINTR {
			break
		}
	}
	if err == syscall.ELOOP || err == syscall.EMLINK {
		// O_NOFOLLOW's error for a link (EMLINK on FreeBSD); real has
		// no link left in it as resolved.
		return nil, nil, irregular(fs.ModeSymlink)
	}
	if err == syscall.ENXIO {
		// A socket, which open refuses so.
		if info, lerr := os.Lstat(real); lerr == nil && !info.Mode().IsRegular() && !info.IsDir() {
			return nil, nil, irregular(info.Mode())
		}
	}
	if err != nil {
		return nil, nil, err
	}
	var st syscall.Stat_t
	if err := syscall.Fstat(fd, &st); err != nil {
		syscall.Close(fd)
		return nil, nil, err
	}
	var mode fs.FileMode
	switch uint32(st.Mode) & syscall.S_IFMT {
	case syscall.S_IFREG:
	case syscall.S_IFDIR:
		mode = fs.ModeDir
	case syscall.S_IFIFO:
		mode = fs.ModeNamedPipe
	case syscall.S_IFSOCK:
		mode = fs.ModeSocket
	case syscall.S_IFCHR:
		mode = fs.ModeDevice | fs.ModeCharDevice
	case syscall.S_IFBLK:
		mode = fs.ModeDevice
	default:
		mode = fs.ModeIrregular
	}
	if mode != 0 && mode != fs.ModeDir {
		syscall.Close(fd)
		return nil, nil, irregular(mode)
	}
	if err := syscall.SetNonblock(fd, false); err != nil {
		syscall.Close(fd)
		return nil, nil, err
	}
	f := os.NewFile(uintptr(fd), real)
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	return f, info, nil
}
