"""Small keyed records beside the archive: a chat's settings, later its subscription.

Each kind lives in its own TinyDB table file (see `Store.table`), keyed by an integer
such as a Telegram chat id (negative for groups), so a lookup is a dictionary access.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from tinydb.table import Document, Table


class Records:
    """Documents keyed by an integer, merged on update."""

    def __init__(self, table: Table) -> None:
        self._table = table

    def get(self, key: int) -> dict[str, Any] | None:
        found = self._table.get(doc_id=key)
        return dict(found) if found is not None else None

    def update(self, key: int, **fields: Any) -> dict[str, Any]:
        """Merge `fields` into the record (creating it) and return the whole record."""
        self._table.upsert(Document(fields, doc_id=key))
        return self.get(key) or {}

    def update_many(self, records: dict[int, dict[str, Any]]) -> None:
        """Merge many records in one write of the file (TinyDB rewrites it per call)."""
        def merge(table: dict[int, Mapping[Any, Any]]) -> None:
            for key, fields in records.items():
                table[key] = {**table.get(key, {}), **fields}

        # _update_table is TinyDB's own single read-modify-write; its public upsert
        # would rewrite the whole file once per record.
        self._table._update_table(merge)

    def remove(self, key: int) -> None:
        if self._table.contains(doc_id=key):
            self._table.remove(doc_ids=[key])

    def count(self) -> int:
        return len(self._table)

    def __iter__(self) -> Iterator[tuple[int, dict[str, Any]]]:
        for document in self._table.all():
            yield document.doc_id, dict(document)
