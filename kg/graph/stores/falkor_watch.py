"""The embedded server's watchdog: stops the server a process started once that process is gone.

redis-server daemonizes, so it outlives whoever started it (a `kg load` killed -9 left it
running). FalkorStore starts this script next to each server it starts, holding the write end
of its stdin: the read end sees end-of-file when the owner exits, however it exits. From then
on the server is stopped (SHUTDOWN: the append-only file is fsynced, nothing committed is lost)
as soon as no other client uses it; a process that joined it (the API beside a load) keeps it
up until it goes too. The watchdog ends when the server does.

Run as a script (python falkor_watch.py SOCKET PID), so it needs redis only.
"""

from __future__ import annotations

import os
import select
import sys
import time

import redis

POLL_S = 0.5  # how soon a server nobody uses any more is stopped, and a gone one noticed


def _alive(pid: int) -> bool:
    """Whether the process runs (a zombie, dead but not yet reaped, does not)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rpartition(")")[2].split()[0] not in ("Z", "X")
    except OSError:
        return False


def _await_owner(pid: int) -> bool:
    """Block until the owner exits (True) or the server does first (False)."""
    while _alive(pid):
        ready, _, _ = select.select([sys.stdin], [], [], POLL_S)
        if ready and not os.read(sys.stdin.fileno(), 4096):
            return True
    return False


def _stop_when_unused(socket_file: str, pid: int) -> None:
    """SHUTDOWN the server once we are its only client, if it is still the one we watch."""
    while _alive(pid):
        try:
            client = redis.Redis(unix_socket_path=socket_file, socket_timeout=5)
            try:
                if int(client.info("server")["process_id"]) != pid:
                    return  # another server on that socket: not ours to stop
                me = client.client_id()
                if not [c for c in client.client_list() if int(c["id"]) != me]:
                    client.shutdown()
                    return
            finally:
                client.close()
        except redis.ConnectionError:
            return  # stopped meanwhile (its last client closed it) or died
        except redis.RedisError:
            pass  # busy (loading its file): ask again
        time.sleep(POLL_S)


def main(argv: list[str]) -> None:
    socket_file, pid = argv[0], int(argv[1])
    if _await_owner(pid):
        _stop_when_unused(socket_file, pid)


if __name__ == "__main__":
    main(sys.argv[1:])
