// System calls the benchmark needs and Swift cannot make directly: pseudo-terminals (need
// _XOPEN_SOURCE), window size and queued bytes (ioctl is variadic), the calling thread's id.
#ifndef AGENTMON_BENCH_SUPPORT_H
#define AGENTMON_BENCH_SUPPORT_H

#include <stddef.h>

/// A new pseudo-terminal master (O_RDWR | O_NOCTTY), granted and unlocked, its slave's path in `name`;
/// -1 on failure.
int bench_open_pty_master(char *name, size_t len);
/// Sets the terminal size of `fd` (TIOCSWINSZ).
int bench_set_winsize(int fd, int rows, int cols);
/// Bytes waiting to be read on `fd` (FIONREAD), or -1.
int bench_bytes_readable(int fd);
/// The kernel's id of the calling thread.
int bench_gettid(void);
/// Starts `path` in a new session whose controlling terminal (stdin, stdout and, without `stderr_fd`,
/// stderr) is the pseudo-terminal at `slave_path`; every other descriptor is closed in the child.
/// Returns the child's pid, or -1.
int bench_spawn_in_pty(const char *slave_path, int master, const char *path, char *const argv[], char *const envp[],
                       int stderr_fd);

#endif
