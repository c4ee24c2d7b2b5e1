"""The configuration: one TOML file, read once by the composition root.

Nothing else reads the file or the environment; everything else gets plain values.
Relative paths in the file are taken from the file's own folder, so a config works
whatever the current directory is.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from summaries.errors import NewsbotError
from summaries.summarize import ALGORITHMS, DEFAULT_ALGORITHM

DEFAULT_CONFIG = Path("newsbot.toml")  # read when it exists and no --config is given


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
class Config:
    store: StoreConfig = field(default_factory=StoreConfig)
    summaries: SummariesConfig = field(default_factory=SummariesConfig)
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
        return Config()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read the config file ({error})") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML ({error})") from None
    unknown = sorted(set(data) - {"store", "summaries"})
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
        path=path,
    )
