#define _GNU_SOURCE
#include "bench_support.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

int bench_open_pty_master(char *name, size_t len) {
    int fd = posix_openpt(O_RDWR | O_NOCTTY);
    if (fd < 0) return -1;
    if (grantpt(fd) != 0 || unlockpt(fd) != 0 || ptsname_r(fd, name, len) != 0) { close(fd); return -1; }
    return fd;
}

int bench_set_winsize(int fd, int rows, int cols) {
    struct winsize ws = {0};
    ws.ws_row = (unsigned short)rows; ws.ws_col = (unsigned short)cols;
    return ioctl(fd, TIOCSWINSZ, &ws);
}

int bench_bytes_readable(int fd) {
    int n = 0;
    return ioctl(fd, FIONREAD, &n) == 0 ? n : -1;
}

int bench_gettid(void) { return (int)syscall(SYS_gettid); }

#include <signal.h>
#include <termios.h>

int bench_spawn_in_pty(const char *slave_path, int master, const char *path, char *const argv[], char *const envp[],
                       int stderr_fd) {
    pid_t pid = fork();
    if (pid != 0) return pid;  // the parent (or -1)
    // The child: only async-signal-safe calls until execve.
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    setsid();
    int fd = open(slave_path, O_RDWR);
    if (fd < 0) _exit(126);
    ioctl(fd, TIOCSCTTY, 0);
    dup2(fd, 0); dup2(fd, 1);
    dup2(stderr_fd >= 0 ? stderr_fd : fd, 2);
    for (int i = 3; i < 1024; i++) close(i);
    (void)master;
    execve(path, argv, envp);
    _exit(127);
}
