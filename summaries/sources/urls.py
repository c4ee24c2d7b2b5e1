"""Canonical URLs, so one article reached by several addresses is stored once.

Tracking parameters (utm_*, fbclid, ...) and fragments say how a reader arrived, not what
they read; the host is case-insensitive, default ports are noise, and query order is
arbitrary. Paths are kept as they are: servers may treat them case-sensitively.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Exact names and prefixes of parameters that only track the reader.
_TRACKING = {
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "igshid",
    "mc_cid", "mc_eid", "_hsenc", "_hsmi", "mkt_tok", "ocid", "cmpid", "s_cid", "ito",
    "ref_src", "ref_url", "spm", "at_medium", "at_campaign", "guccounter", "__twitter_impression",
}  # fmt: skip
_TRACKING_PREFIX = re.compile(r"(utm_|mc_|pk_|piwik_|hsa_|at_|oly_|vero_|_ga)")
_DEFAULT_PORTS = {"http": 80, "https": 443}


def is_tracking(name: str) -> bool:
    """Whether a query parameter only says how the reader arrived."""
    lower = name.lower()
    return lower in _TRACKING or bool(_TRACKING_PREFIX.match(lower))


def canonical_url(url: str) -> str:
    """The URL without tracking parameters or fragment, lowercase scheme and host,
    no default port, query sorted. Not-HTTP strings (e.g. a "tag:" GUID) come back
    stripped but otherwise unchanged."""
    url = url.strip()
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        return url
    host = parts.hostname.lower().rstrip(".")
    if parts.port is not None and parts.port != _DEFAULT_PORTS[scheme]:
        host = f"{host}:{parts.port}"
    if parts.username or parts.password:
        host = f"{parts.username or ''}{':' + parts.password if parts.password else ''}@{host}"
    query = sorted(
        (name, value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
        if not is_tracking(name)
    )
    return urlunsplit((scheme, host, parts.path or "/", urlencode(query), ""))


def is_http_url(text: str) -> bool:
    """Whether `text` is an http(s) address (how the CLI tells URLs from paths)."""
    parts = urlsplit(text.strip())
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)
