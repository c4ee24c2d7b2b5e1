"""The writer lock: one process at a time may change a data folder.

An exclusive `flock` on DATA/.lock, taken without waiting and held until close. The
kernel drops it when the process dies, even by SIGKILL, so a crash never leaves a stale
lock. The holder writes its pid into the file so a refused process can say who holds it.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from summaries.errors import StoreLocked

LOCK_NAME = ".lock"


class WriterLock:
    """An exclusive, non-blocking lock on a data folder, released by `release` or death."""

    def __init__(self, fd: int, path: Path) -> None:
        self._fd: int | None = fd
        self.path = path

    @classmethod
    def acquire(cls, data_dir: Path) -> WriterLock:
        """Take the lock now or raise StoreLocked naming the holder's pid."""
        path = data_dir / LOCK_NAME
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
            os.close(fd)
            who = f" (pid {holder})" if holder.isdigit() else ""
            raise StoreLocked(
                f"data folder {data_dir} is in use by another newsbot process{who}"
            ) from None
        except BaseException:
            os.close(fd)
            raise
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        return cls(fd, path)

    def release(self) -> None:
        """Give the lock up; the file stays, since deleting it would race a new holder."""
        if self._fd is None:
            return
        try:
            os.ftruncate(self._fd, 0)
        finally:
            os.close(self._fd)  # closing the last descriptor releases the flock
            self._fd = None
