// The supervisor of a run: see agentmon_spawn.h. Everything after fork() here is async-signal-safe.
#define _GNU_SOURCE
#include "agentmon_spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef SYS_close_range
#define SYS_close_range 436
#endif
#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

enum { FD_LIFELINE = 3, FD_ERROR = 4 };

static void close_from(int lowest) {
    if (syscall(SYS_close_range, (unsigned)lowest, ~0U, 0) == 0) return;
    long max = 65536;
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < (rlim_t)max) max = (long)rl.rlim_cur;
    for (long fd = lowest; fd < max; fd++) close((int)fd);
}

static void report_errno(int fd, int err) {
    ssize_t n;
    do { n = write(fd, &err, sizeof err); } while (n < 0 && errno == EINTR);
}

static void set_handler(int sig, void (*handler)(int)) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = handler;
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, NULL);
}

// Inside the supervisor: 0 stdin, 1 and 2 the output pipe, 3 the lifeline, 4 the error pipe; nothing else.
static int place_fds(int stdin_fd, int out_fd, int lifeline_fd, int err_fd) {
    // Lifted above 10 first, so that no dup2 below overwrites a descriptor still to be placed.
    int in = fcntl(stdin_fd, F_DUPFD, 10), out = fcntl(out_fd, F_DUPFD, 10);
    int life = fcntl(lifeline_fd, F_DUPFD, 10), err = fcntl(err_fd, F_DUPFD, 10);
    if (in < 0 || out < 0 || life < 0 || err < 0) return errno ? errno : EMFILE;
    if (dup2(err, FD_ERROR) < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(out, 2) < 0 || dup2(life, FD_LIFELINE) < 0)
        return errno;
    fcntl(FD_ERROR, F_SETFD, FD_CLOEXEC);  // closed by a successful execve: the worker's read sees EOF
    close_from(5);
    return 0;
}

static void start_program(pid_t supervisor, const char *path, char *const argv[], char *const envp[], const char *cwd) {
    for (int s = 1; s < NSIG; s++) {
        if (s != SIGKILL && s != SIGSTOP) set_handler(s, SIG_DFL);
    }
    // If the supervisor is killed, the program goes too (checked after the call, in case it already died).
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != supervisor) _exit(127);
    close(FD_LIFELINE);
    if (cwd && chdir(cwd) != 0) { report_errno(FD_ERROR, errno); _exit(127); }
    execve(path, argv, envp);
    report_errno(FD_ERROR, errno);
    _exit(127);
}

static void supervise(const char *path, char *const argv[], char *const envp[], const char *cwd,
                      int stdin_fd, int out_fd, int lifeline_fd, int err_fd) {
    setpgid(0, 0);
    // A signal to the group (a cancel's SIGTERM) is for the program; the supervisor stays to report its end.
    const int ignored[] = {SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGPIPE, SIGUSR1, SIGUSR2, SIGTSTP, SIGTTIN, SIGTTOU, SIGALRM};
    for (unsigned i = 0; i < sizeof ignored / sizeof ignored[0]; i++) set_handler(ignored[i], SIG_IGN);
    set_handler(SIGCHLD, SIG_DFL);  // an ignored SIGCHLD would make waitpid fail
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);

    int err = place_fds(stdin_fd, out_fd, lifeline_fd, err_fd);
    if (err) { report_errno(err_fd, err); _exit(127); }

    pid_t self = getpid();
    // Not fork(): that runs the atfork handlers the worker's libraries registered (libdispatch, the Swift
    // runtime), whose locks may have been held by a thread of the worker at the first fork and are held
    // forever here. A bare clone runs nothing but the kernel's copy.
    pid_t child = (pid_t)syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0);
    if (child < 0) { report_errno(FD_ERROR, errno); _exit(127); }
    if (child == 0) start_program(self, path, argv, envp, cwd);
    close(FD_ERROR);

    // Sleep until the program ends (its pidfd) or the worker dies (the lifeline closes); without pidfds
    // (Linux before 5.3) look every 50 ms.
    int pidfd = (int)syscall(SYS_pidfd_open, child, 0);
    for (;;) {
        struct pollfd p[2] = {{FD_LIFELINE, POLLIN, 0}, {pidfd, POLLIN, 0}};
        int n = poll(p, pidfd >= 0 ? 2 : 1, pidfd >= 0 ? -1 : 50);
        if (n > 0 && (p[0].revents & (POLLIN | POLLHUP | POLLERR))) {
            // The worker is gone: nobody reads the output or records the end, so nothing of the run may live on.
            kill(-self, SIGKILL);
            _exit(137);
        }
        int status;
        pid_t r = waitpid(child, &status, WNOHANG);
        if (r == child) {
            if (WIFEXITED(status)) _exit(WEXITSTATUS(status));
            int sig = WTERMSIG(status);
            struct rlimit no_core = {0, 0};
            setrlimit(RLIMIT_CORE, &no_core);
            set_handler(sig, SIG_DFL);
            kill(self, sig);  // mirror the program's end, so the worker reads the same signal
            _exit(128 + sig);
        }
        if (r < 0 && errno != EINTR) _exit(127);
    }
}

pid_t agentmon_spawn_supervised(const char *path, char *const argv[], char *const envp[], const char *cwd,
                                int stdin_fd, int out_fd, int lifeline_fd, int *error_out) {
    int errpipe[2];
    if (pipe2(errpipe, O_CLOEXEC) != 0) { *error_out = errno; return -1; }
    pid_t sup = fork();
    if (sup < 0) {
        *error_out = errno;
        close(errpipe[0]); close(errpipe[1]);
        return -1;
    }
    if (sup == 0) {
        supervise(path, argv, envp, cwd, stdin_fd, out_fd, lifeline_fd, errpipe[1]);
        _exit(127);
    }
    close(errpipe[1]);
    int err = 0;
    ssize_t n;
    do { n = read(errpipe[0], &err, sizeof err); } while (n < 0 && errno == EINTR);
    close(errpipe[0]);
    if (n == (ssize_t)sizeof err) {
        int status;
        while (waitpid(sup, &status, 0) < 0 && errno == EINTR) {}
        *error_out = err;
        return -1;
    }
    return sup;
}
