"""The configuration: one TOML file, read once by the composition root.

Nothing else reads the file or the environment; everything else gets plain values.
Relative paths in the file are taken from the file's own folder, so a config works
whatever the current directory is.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.subscriptions import canonical_zone, parse_time
from summaries.errors import InputError, NewsbotError
from summaries.sources.http import USER_AGENT, FetchSettings
from summaries.sources.registry import DEFAULT_INTERVAL_MINUTES, Source, check_source
from summaries.summarize import ALGORITHMS, DEFAULT_ALGORITHM

DEFAULT_CONFIG = Path("newsbot.toml")  # read when it exists and no --config is given
TOKEN_ENV = "TELEGRAM_BOT_TOKEN"
TELEGRAM_API = "https://api.telegram.org"
_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")


class ConfigError(NewsbotError):
    """The config file is missing, unreadable or holds a wrong value."""


@dataclass(frozen=True, slots=True)
class StoreConfig:
    data_dir: Path = Path("data")


@dataclass(frozen=True, slots=True)
class SummariesConfig:
    algorithm: str = DEFAULT_ALGORITHM
    sentences: int = 3


@dataclass(frozen=True, slots=True)
class WebhookConfig:
    listen: str = "127.0.0.1"
    port: int = 8443
    url: str = ""  # the public HTTPS address Telegram posts updates to
    secret_token: str = ""


@dataclass(frozen=True, slots=True)
class TelegramConfig:
    token: str = ""
    api_base_url: str = TELEGRAM_API
    admins: frozenset[int] = frozenset()
    mode: str = "polling"  # or "webhook"
    upload_max_bytes: int = 2_000_000
    page_size: int = 5
    webhook: WebhookConfig = field(default_factory=WebhookConfig)


@dataclass(frozen=True, slots=True)
class DigestConfig:
    time: dt.time = dt.time(8, 0)  # a new subscription's local time when none is given
    timezone: str = "UTC"
    articles: int = 5
    grace_hours: float = 6.0  # a digest missed while the bot was down is sent this late at most
    rate: float = 30.0  # messages per second in all, Telegram's bulk limit
    paid_broadcast: bool = False  # allow_paid_broadcast: up to 1,000/s, paid per message
    quiet: bool = False  # when nothing is new: no message instead of a short note


@dataclass(frozen=True, slots=True)
class Config:
    store: StoreConfig = field(default_factory=StoreConfig)
    summaries: SummariesConfig = field(default_factory=SummariesConfig)
    telegram: TelegramConfig = field(default_factory=TelegramConfig)
    digest: DigestConfig = field(default_factory=DigestConfig)
    sources: tuple[Source, ...] = ()  # [[sources]]; admins add more in chat
    fetch: FetchSettings = field(default_factory=FetchSettings)
    path: Path | None = None  # the file it was read from, None for the defaults


def _section(data: dict[str, Any], name: str, keys: set[str], where: Path) -> dict[str, Any]:
    section = data.get(name, {})
    if not isinstance(section, dict):
        raise ConfigError(f"{where}: [{name}] must be a table")
    unknown = sorted(set(section) - keys)
    if unknown:
        raise ConfigError(f"{where}: unknown key '{unknown[0]}' in [{name}]")
    return section


def _typed(section: dict[str, Any], key: str, kind: type | tuple[type, ...], default: Any,
           where: str) -> Any:
    value = section.get(key, default)
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if not isinstance(value, kinds) or isinstance(value, bool) and bool not in kinds:
        raise ConfigError(f"{where}: '{key}' must be a {' or '.join(k.__name__ for k in kinds)}")
    return value


def load_config(path: Path | None) -> Config:
    """Read the config file; None means ./newsbot.toml when present, else the defaults."""
    explicit = path is not None
    path = path or DEFAULT_CONFIG
    if not path.exists():
        if explicit:
            raise ConfigError(f"{path}: no such config file")
        return Config(telegram=TelegramConfig(token=os.environ.get(TOKEN_ENV, "").strip()))
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read the config file ({error})") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML ({error})") from None
    unknown = sorted(set(data) - {"store", "summaries", "telegram", "digest", "sources", "fetch"})
    if unknown:
        raise ConfigError(f"{path}: unknown section [{unknown[0]}]")
    base = path.resolve().parent
    store = _section(data, "store", {"data_dir"}, path)
    summaries = _section(data, "summaries", {"algorithm", "sentences"}, path)
    data_dir = Path(_typed(store, "data_dir", str, "data", f"{path} [store]"))
    algorithm = _typed(summaries, "algorithm", str, DEFAULT_ALGORITHM, f"{path} [summaries]")
    if algorithm not in ALGORITHMS:
        raise ConfigError(
            f"{path}: unknown summary algorithm '{algorithm}' (one of: {', '.join(ALGORITHMS)})"
        )
    sentences = _typed(summaries, "sentences", int, 3, f"{path} [summaries]")
    if not 1 <= sentences <= 5:
        raise ConfigError(f"{path}: [summaries] sentences must be from 1 to 5")
    return Config(
        store=StoreConfig(data_dir=data_dir if data_dir.is_absolute() else base / data_dir),
        summaries=SummariesConfig(algorithm=algorithm, sentences=sentences),
        telegram=_telegram(data, path),
        digest=_digest(data, path),
        sources=_sources(data, path),
        fetch=_fetch(data, path),
        path=path,
    )


def _digest(data: dict[str, Any], path: Path) -> DigestConfig:
    keys = {"time", "timezone", "articles", "grace_hours", "rate", "paid_broadcast", "quiet"}
    section = _section(data, "digest", keys, path)
    where = f"{path} [digest]"
    at = parse_time(_typed(section, "time", str, "08:00", where))
    if at is None:
        raise ConfigError(f"{where}: time must be HH:MM, e.g. 07:30")
    zone = canonical_zone(_typed(section, "timezone", str, "UTC", where))
    if zone is None:
        raise ConfigError(f"{where}: timezone must be an IANA name like Europe/Berlin or UTC+3")
    articles = _typed(section, "articles", int, 5, where)
    if not 1 <= articles <= 20:
        raise ConfigError(f"{where}: articles must be from 1 to 20")
    grace = float(_typed(section, "grace_hours", (int, float), 6.0, where))
    rate = float(_typed(section, "rate", (int, float), 30.0, where))
    paid = _typed(section, "paid_broadcast", bool, False, where)
    if not 0 < rate <= (1000 if paid else 30):
        raise ConfigError(f"{where}: rate must be above 0 and at most 30 messages/s "
                          "(1000 with paid_broadcast = true)")
    return DigestConfig(time=at, timezone=zone, articles=articles, grace_hours=grace, rate=rate,
                        paid_broadcast=paid, quiet=_typed(section, "quiet", bool, False, where))

def _telegram(data: dict[str, Any], path: Path) -> TelegramConfig:
    keys = {"token", "api_base_url", "admins", "mode", "upload_max_bytes", "page_size", "webhook"}
    section = _section(data, "telegram", keys, path)
    where = f"{path} [telegram]"
    # The environment wins so a token can stay out of a config file kept in git.
    token = os.environ.get(TOKEN_ENV, "").strip() or _typed(section, "token", str, "", where)
    base = _typed(section, "api_base_url", str, TELEGRAM_API, where).rstrip("/")
    if not base.startswith(("http://", "https://")):
        raise ConfigError(f"{where}: api_base_url must start with http:// or https://")
    admins = _typed(section, "admins", list, [], where)
    if not all(isinstance(a, int) and not isinstance(a, bool) for a in admins):
        raise ConfigError(f"{where}: admins must be a list of Telegram user ids (numbers)")
    mode = _typed(section, "mode", str, "polling", where)
    if mode not in ("polling", "webhook"):
        raise ConfigError(f"{where}: mode must be 'polling' or 'webhook'")
    upload = _typed(section, "upload_max_bytes", int, 2_000_000, where)
    page_size = _typed(section, "page_size", int, 5, where)
    if not 1 <= page_size <= 8:
        raise ConfigError(f"{where}: page_size must be from 1 to 8")
    hook = _section(section, "webhook", {"listen", "port", "url", "secret_token"}, path)
    hook_where = f"{path} [telegram.webhook]"
    secret = _typed(hook, "secret_token", str, "", hook_where)
    if secret and not _SECRET.fullmatch(secret):
        raise ConfigError(f"{hook_where}: secret_token must be 1-256 characters of A-Z a-z 0-9 _ -")
    webhook = WebhookConfig(
        listen=_typed(hook, "listen", str, "127.0.0.1", hook_where),
        port=_typed(hook, "port", int, 8443, hook_where),
        url=_typed(hook, "url", str, "", hook_where),
        secret_token=secret,
    )
    if mode == "webhook" and not webhook.url.startswith("https://"):
        raise ConfigError(f"{hook_where}: webhook mode needs url = 'https://...' (the public address)")
    return TelegramConfig(token=token, api_base_url=base, admins=frozenset(admins), mode=mode,
                          upload_max_bytes=upload, page_size=page_size, webhook=webhook)


def _sources(data: dict[str, Any], path: Path) -> tuple[Source, ...]:
    """The [[sources]] array of tables: name, url, language, interval_minutes, timezone."""
    entries = data.get("sources", [])
    if not isinstance(entries, list):
        raise ConfigError(f"{path}: sources must be written [[sources]] (an array of tables)")
    keys = {"name", "url", "language", "interval_minutes", "timezone"}
    sources: list[Source] = []
    for number, entry in enumerate(entries, 1):
        where = f"{path} [[sources]] #{number}"
        if not isinstance(entry, dict):
            raise ConfigError(f"{where}: must be a table")
        unknown = sorted(set(entry) - keys)
        if unknown:
            raise ConfigError(f"{where}: unknown key '{unknown[0]}'")
        language = _typed(entry, "language", str, "", where).strip().lower()
        try:
            source = check_source(Source(
                name=_typed(entry, "name", str, "", where).strip(),
                url=_typed(entry, "url", str, "", where).strip(),
                language=language or None,
                interval_minutes=_typed(entry, "interval_minutes", int,
                                        DEFAULT_INTERVAL_MINUTES, where),
                timezone=_typed(entry, "timezone", str, "", where),
            ))
        except InputError as error:
            raise ConfigError(f"{where}: {error}") from None
        if any(s.key == source.key or s.name == source.name for s in sources):
            raise ConfigError(f"{where}: '{source.name}' repeats an earlier source")
        sources.append(source)
    return tuple(sources)


def _fetch(data: dict[str, Any], path: Path) -> FetchSettings:
    section = _section(data, "fetch", {"timeout_seconds", "max_bytes", "user_agent"}, path)
    where = f"{path} [fetch]"
    timeout = float(_typed(section, "timeout_seconds", (int, float), 20, where))
    max_bytes = _typed(section, "max_bytes", int, 5_000_000, where)
    agent = _typed(section, "user_agent", str, USER_AGENT, where).strip()
    if not 0 < timeout <= 300 or max_bytes < 10_000 or not agent:
        raise ConfigError(f"{where}: timeout_seconds must be 0-300, max_bytes at least 10000, "
                          "user_agent not empty")
    return FetchSettings(timeout_seconds=timeout, max_bytes=max_bytes, user_agent=agent)
