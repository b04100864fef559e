"""Runs a command on a new pseudo-terminal, so the command sees a real
terminal (isatty, raw mode, Ctrl-C as a key), while this process's stdin and
stdout are plain pipes a test can drive. Python's standard library only.

Usage: python3 pty-relay.py COLUMNS ROWS -- COMMAND [ARG...]
Relays stdin to the terminal and the terminal's output to stdout; exits with
the command's exit status (128 + N when signal N ended it).
"""

import fcntl
import os
import pty
import select
import struct
import sys
import termios


def main() -> int:
    columns, rows = int(sys.argv[1]), int(sys.argv[2])
    command = sys.argv[sys.argv.index("--") + 1 :]
    pid, master = pty.fork()
    if pid == 0:
        # The child: stdin, stdout and stderr are the terminal; set its size before the command starts.
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        os.execvp(command[0], command)
    reading_stdin = True
    while True:
        readable, _, _ = select.select([master] + ([0] if reading_stdin else []), [], [])
        if master in readable:
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: every process holding the terminal has closed it
                data = b""
            if not data:
                break
            os.write(1, data)
        if 0 in readable:
            data = os.read(0, 65536)
            if data:
                os.write(master, data)
            else:
                reading_stdin = False
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        return 128 + os.WTERMSIG(status)
    return os.WEXITSTATUS(status)


if __name__ == "__main__":
    sys.exit(main())
