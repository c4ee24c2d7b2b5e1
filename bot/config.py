"""The configuration: one TOML file, read once by the composition root.

Nothing else reads the file or the environment; everything else gets plain values.
Relative paths in the file are taken from the file's own folder, so a config works
whatever the current directory is.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from summaries.errors import NewsbotError
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
class Config:
    store: StoreConfig = field(default_factory=StoreConfig)
    summaries: SummariesConfig = field(default_factory=SummariesConfig)
    telegram: TelegramConfig = field(default_factory=TelegramConfig)
    path: Path | None = None  # the file it was read from, None for the defaults


def _section(data: dict[str, Any], name: str, keys: set[str], where: Path) -> dict[str, Any]:
    section = data.get(name, {})
    if not isinstance(section, dict):
        raise ConfigError(f"{where}: [{name}] must be a table")
    unknown = sorted(set(section) - keys)
    if unknown:
        raise ConfigError(f"{where}: unknown key '{unknown[0]}' in [{name}]")
    return section


def _typed(section: dict[str, Any], key: str, kind: type, default: Any, where: str) -> Any:
    value = section.get(key, default)
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        raise ConfigError(f"{where}: '{key}' must be a {kind.__name__}")
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
    unknown = sorted(set(data) - {"store", "summaries", "telegram"})
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
        path=path,
    )


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
