"""The delivery ledger's files: their text format, parsing and appending.

One append-only text file per local date of the digests, DATA/ledger/YYYY-MM-DD.log:

    newsbot-ledger 1                               the format, first line
    B <chat> <part> <parts> <since> <until>        first begin of a chat's digest that day
    B <chat> <part>                                a later part begins
    S <chat> <part> <message id>                   sent: Telegram accepted it
    E <chat> <part> <reason>                       no delivery confirmed: may be sent again
    U <chat> <part>                                uncertain: Telegram may or may not have it
    F <chat> <reason>                              failed for good (blocked, chat not found)
    M <chat> <new chat>                            the group became a supergroup

`since`/`until` are epoch seconds (microseconds after a dot), so a restarted bot can
compose the identical digest again. Parts count from 0.

A torn last line (a power cut mid-write) is cut off on load; any other unreadable line is
skipped with a warning.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from pathlib import Path

from summaries.errors import StoreFormatError
from summaries.storage import fsync_dir

HEADER = b"newsbot-ledger 1\n"
SUFFIX = ".log"
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_LOG = logging.getLogger(__name__)


class ChatState:
    """A chat's digest while loaded; parts as bit masks to stay small at 100,000 chats."""

    __slots__ = ("failed", "moved", "open", "parts", "sent", "since", "uncertain", "until")

    def __init__(self, parts: int, since: dt.datetime, until: dt.datetime) -> None:
        self.parts, self.since, self.until = parts, since, until
        self.sent = self.uncertain = self.open = 0
        self.failed: str | None = None
        self.moved: int | None = None


class DayFile:
    """One day's file: its chats, migration aliases and (once written to) its descriptor."""

    def __init__(self, path: Path, chats: dict[int, ChatState], aliases: dict[int, int]) -> None:
        self.path, self.chats, self.aliases = path, chats, aliases
        self.fd: int | None = None
        self.dirty = False  # lines appended since the last fdatasync

    def find(self, chat_id: int) -> tuple[int, ChatState] | None:
        state = self.chats.get(chat_id)
        if state is not None:
            return chat_id, state
        original = self.aliases.get(chat_id)
        if original is not None:
            return original, self.chats[original]
        return None


def open_for_append(path: Path) -> int:
    """The file's O_APPEND descriptor, created with its header (and made durable) if new."""
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o644)
    if os.fstat(fd).st_size == 0:
        os.write(fd, HEADER)
        os.fdatasync(fd)
        fsync_dir(path.parent)
    return fd


def load_day(path: Path) -> DayFile:
    """Parse a day's file; cut a torn last line off so the next append starts clean."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return DayFile(path, {}, {})
    end = data.rfind(b"\n") + 1
    if end < len(data):
        _LOG.warning("%s: cutting off a torn last line (%d bytes)", path, len(data) - end)
        os.truncate(path, end)
        data = data[:end]
    if data and not data.startswith(HEADER):
        raise StoreFormatError(f"ledger file {path} is not a newsbot ledger of format 1")
    chats: dict[int, ChatState] = {}
    aliases: dict[int, int] = {}
    stamps: dict[bytes, dt.datetime] = {}
    lines = data.split(b"\n")
    for number, line in enumerate(lines[1:-1], 2):
        try:
            _apply(line, chats, aliases, stamps)
        except (ValueError, KeyError, IndexError):
            _LOG.warning("%s:%d: skipping an unreadable line %r", path, number, line[:80])
    day = DayFile(path, chats, aliases)
    if data:
        day.fd = open_for_append(path)
    return day


def _apply(line: bytes, chats: dict[int, ChatState], aliases: dict[int, int],
           stamps: dict[bytes, dt.datetime]) -> None:
    fields = line.split(b" ", 3)
    kind, chat_id = fields[0], int(fields[1])
    if kind == b"B":
        state = chats.get(chat_id)
        if state is None:
            parts, since, until = fields[3].split(b" ")
            state = chats[chat_id] = ChatState(int(parts), _cached(since, stamps),
                                           _cached(until, stamps))
        state.open |= 1 << int(fields[2])
    elif kind == b"S":
        state, bit = chats[chat_id], 1 << int(fields[2])
        state.open &= ~bit
        state.sent |= bit
    elif kind == b"F":
        chats[chat_id].failed = line.split(b" ", 2)[2].decode(errors="replace")
    elif kind == b"U" or kind == b"E":
        state, bit = chats[chat_id], 1 << int(fields[2])
        state.open &= ~bit
        if kind == b"U":
            state.uncertain |= bit
    elif kind == b"M":
        new_chat_id = int(fields[2])
        chats[chat_id].moved = new_chat_id
        aliases[new_chat_id] = chat_id
    else:
        raise ValueError(f"unknown record {kind!r}")


def _cached(raw: bytes, stamps: dict[bytes, dt.datetime]) -> dt.datetime:
    # Most digests of a day share a few windows: parse each instant once.
    moment = stamps.get(raw)
    if moment is None:
        moment = stamps[raw] = _parse_stamp(raw)
    return moment


def stamp(moment: dt.datetime) -> str:
    """Exact epoch seconds: integer arithmetic, since a float loses microseconds."""
    if moment.tzinfo is None:
        raise ValueError("since/until must be timezone-aware")
    delta = moment - _EPOCH
    seconds = delta.days * 86_400 + delta.seconds
    return f"{seconds}.{delta.microseconds:06d}" if delta.microseconds else str(seconds)


def _parse_stamp(raw: bytes) -> dt.datetime:
    seconds, _, micro = raw.partition(b".")
    return _EPOCH + dt.timedelta(seconds=int(seconds), microseconds=int(micro or b"0"))


def one_line(reason: str) -> str:
    return " ".join(reason.split()) or "-"


def day_of(name: str) -> dt.date | None:
    if not name.endswith(SUFFIX):
        return None
    try:
        return dt.date.fromisoformat(name.removesuffix(SUFFIX))
    except ValueError:
        return None
