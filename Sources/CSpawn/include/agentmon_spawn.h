#ifndef AGENTMON_SPAWN_H
#define AGENTMON_SPAWN_H

#include <sys/types.h>

/// Starts `path` with `argv` and `envp` under a supervisor, so that a run never outlives its worker.
///
/// The supervisor is a fork of the worker that leads a new process group and runs no code but this file's
/// (only async-signal-safe calls: the worker is multithreaded). It starts the program in its group, waits
/// for it, and exits with its status (a program killed by a signal is mirrored by the same signal). It
/// also watches `lifeline_fd`, the read end of a pipe whose write end only the worker holds: when the
/// worker dies, however it dies, the pipe closes and the supervisor kills the whole group. The program
/// itself gets PR_SET_PDEATHSIG, so it dies if the supervisor is killed.
///
/// stdin comes from `stdin_fd`, stdout and stderr go to `out_fd`; every other descriptor is closed; signal
/// dispositions are reset to their defaults and the mask emptied; `cwd` (if not NULL) is entered first.
///
/// Returns the supervisor's pid (which is also the group id), or -1 with `*error_out` set to the errno of
/// what failed (fork, chdir or execve: these are reported synchronously through a close-on-exec pipe).
pid_t agentmon_spawn_supervised(const char *path, char *const argv[], char *const envp[], const char *cwd,
                                int stdin_fd, int out_fd, int lifeline_fd, int *error_out);

#endif
