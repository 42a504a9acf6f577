package render

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// exchange swaps two directories in one step, so readers of the output
// never see it missing.
func exchange(a, b string) error {
	return unix.Renameat2(unix.AT_FDCWD, a, unix.AT_FDCWD, b, unix.RENAME_EXCHANGE)
}

// isMountPoint reports whether dir is a mount point, which rename cannot
// move: its device differs from its parent's, or /proc/self/mountinfo
// lists it (a bind mount of the same file system). The whole path is
// resolved first, so a symbolic link anywhere in it is followed to the
// directory it leads to.
func isMountPoint(dir string) bool {
	dir, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return false
	}
	var st, pst unix.Stat_t
	if unix.Lstat(dir, &st) != nil || unix.Stat(filepath.Dir(dir), &pst) != nil {
		return false
	}
	if st.Dev != pst.Dev {
		return true
	}
	data, err := os.ReadFile("/proc/self/mountinfo")
	if err != nil {
		return false
	}
	for line := range strings.SplitSeq(string(data), "\n") {
		// ID PARENT MAJOR:MINOR ROOT MOUNTPOINT …, with spaces and the
		// like in MOUNTPOINT written as octal escapes.
		if f := strings.Fields(line); len(f) > 4 && unescapeMount(f[4]) == dir {
			return true
		}
	}
	return false
}

// unescapeMount undoes the octal escapes (\040 for a space) of a path in
// /proc/self/mountinfo.
func unescapeMount(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+3 < len(s) {
			if n, err := strconv.ParseUint(s[i+1:i+4], 8, 8); err == nil {
				b.WriteByte(byte(n))
				i += 3
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// fsTopDirFlag is FS_TOPDIR_FL of linux/fs.h, chattr's "T".
const fsTopDirFlag = 0x00020000

// markTopDir marks dir as the top of a directory hierarchy (chattr +T).
// ext2/3/4 then place a directory made in it as they place those of the
// file system's root: in a block group with room and few directories,
// searched from a hash of its name, rather than next to dir. The output
// tree is made under a new name in such a directory, so it does not
// land where the last output was: on ext4 without a journal, inodes
// deleted in the last minutes are skipped one by one at every
// allocation, which made building after `rm -rf public` take twice as
// long. Elsewhere the flag is refused or ignored, and nothing changes.
func markTopDir(dir string) {
	f, err := os.Open(dir)
	if err != nil {
		return
	}
	defer f.Close()
	fd := int(f.Fd())
	flags, err := unix.IoctlGetUint32(fd, unix.FS_IOC_GETFLAGS)
	if err != nil || flags&fsTopDirFlag != 0 {
		return
	}
	_ = unix.IoctlSetPointerInt(fd, unix.FS_IOC_SETFLAGS, int(flags|fsTopDirFlag))
}
