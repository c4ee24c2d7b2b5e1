"""The bot's HTTP client as it meets the real Bot API: over TLS, and through a proxy.

The fake serves HTTPS with a self-signed certificate for 127.0.0.1; the bot trusts it only
when SSL_CERT_FILE names it, the way an operator trusts the CA of a self-hosted Bot API.
As a proxy, the fake answers requests for any host (a forward proxy's request names the
whole URL), so a bot that ignored the proxy would not reach its made-up API host.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.bot.harness import ADMIN, BotHarness, make_config, with_telegram
from tests.conftest import ROOT
from tests.fakes import FakeBotApi
from tests.fakes.botapi import TLS_CERTIFICATE

GUARD = 60  # seconds; a failure guard, never waited out by a passing test


@pytest.fixture
def tls_fake() -> Iterator[FakeBotApi]:
    with FakeBotApi(tls=True) as server:
        assert server.url.startswith("https://127.0.0.1:")
        yield server


def test_polling_replies_and_downloads_over_tls(data: Path, tls_fake: FakeBotApi,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(TLS_CERTIFICATE))
    bot = BotHarness(make_config(data, tls_fake), tls_fake).start()
    try:
        (day,) = bot.say("/date 2026-02-23")
        assert day.text.startswith("Monday, 23 February 2026")
        # An admin's upload is fetched with getFile and a download over the same TLS.
        story = b"date 2026-03-03 ELM CITY, March 3. The ferry terminal opened on Tuesday."
        (reply,) = bot.upload("ferry.txt", story, ADMIN)
        assert reply.text == "ferry.txt: added 1, already present 0, rejected 0"
        (added,) = bot.say("/date 2026-03-03")
        assert "The ferry terminal opened on Tuesday" in added.text
    finally:
        bot.stop()


def test_an_untrusted_certificate_is_one_line(tmp_path: Path, tls_fake: FakeBotApi) -> None:
    config = tmp_path / "newsbot.toml"
    config.write_text(f'[store]\ndata_dir = "data"\n[telegram]\napi_base_url = "{tls_fake.url}"\n')
    env = {k: v for k, v in os.environ.items() if k not in ("SSL_CERT_FILE", "SSL_CERT_DIR")}
    env["TELEGRAM_BOT_TOKEN"] = tls_fake.token
    process = subprocess.run([sys.executable, "-m", "bot", "run", "--config", str(config)],
                             cwd=ROOT, env=env, capture_output=True, text=True, timeout=GUARD)
    assert process.returncode == 2
    (line,) = process.stderr.strip().splitlines()
    assert line.startswith(f"newsbot: cannot reach the Bot API at {tls_fake.url} ")
    assert "CERTIFICATE_VERIFY_FAILED" in line
    assert tls_fake.calls() == []  # nothing reached the server without a trusted handshake


def test_a_proxy_from_the_environment_is_used(data: Path, fake: FakeBotApi,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy", "http_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTP_PROXY", fake.url)
    config = with_telegram(make_config(data, fake), api_base_url="http://api.telegram.invalid")
    bot = BotHarness(config, fake).start()
    try:
        (day,) = bot.say("/date 2026-02-23")
        assert day.text.startswith("Monday, 23 February 2026")
    finally:
        bot.stop()
    assert fake.calls("getMe")  # answered by the fake, standing in as the proxy
