"""OPML 2.0 import and export of the source list (what feed readers exchange).

Each source is an `<outline type="rss" text=NAME xmlUrl=URL/>`; the language goes in
OPML's `language` attribute and the poll interval in a `newsbot:interval` attribute
other readers ignore. Nested outlines (folders) are flattened on import.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from collections.abc import Iterable

from summaries.errors import InputError
from summaries.sources.registry import (
    DEFAULT_INTERVAL_MINUTES,
    Source,
    check_source,
    name_from_url,
)

_NS = "https://github.com/newsbot/newsbot/opml"
_INTERVAL = f"{{{_NS}}}interval"
_TIMEZONE = f"{{{_NS}}}timezone"


def export_opml(sources: Iterable[Source], title: str = "newsbot sources") -> bytes:
    """An OPML document listing `sources`."""
    ElementTree.register_namespace("newsbot", _NS)
    root = ElementTree.Element("opml", version="2.0")
    head = ElementTree.SubElement(root, "head")
    ElementTree.SubElement(head, "title").text = title
    body = ElementTree.SubElement(root, "body")
    for source in sources:
        outline = ElementTree.SubElement(body, "outline", type="rss", text=source.name,
                                         title=source.name, xmlUrl=source.url)
        if source.language:
            outline.set("language", source.language)
        outline.set(_INTERVAL, str(source.interval_minutes))
        if source.timezone:
            outline.set(_TIMEZONE, source.timezone)
    ElementTree.indent(root)
    document: bytes = ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)
    return document + b"\n"


def import_opml(data: bytes, origin: str = "OPML") -> list[Source]:
    """The feeds an OPML document lists; InputError when it is not OPML or a value is bad.

    Python's expat refuses entity-expansion bombs, so an untrusted file is safe to read.
    """
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as error:
        raise InputError(f"not valid XML ({error})", origin) from None
    if root.tag != "opml":
        raise InputError("not an OPML file (no <opml> root)", origin)
    sources: list[Source] = []
    for outline in root.iter("outline"):
        url = (outline.get("xmlUrl") or "").strip()
        if not url:
            continue  # a folder, or a link that is not a feed
        name = (outline.get("text") or outline.get("title") or "").strip() or name_from_url(url)
        interval = outline.get(_INTERVAL, "")
        sources.append(check_source(Source(
            name=name, url=url, language=(outline.get("language") or "").strip().lower() or None,
            interval_minutes=int(interval) if interval.isdigit() else DEFAULT_INTERVAL_MINUTES,
            timezone=outline.get(_TIMEZONE, ""), origin="chat",
        )))
    return sources
