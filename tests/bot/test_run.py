"""`newsbot run` and `newsbot chat` as an operator starts them: real processes."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from summaries.store import Store
from tests.conftest import ROOT
from tests.fakes import FakeBotApi

GUARD = 60  # seconds; a failure guard, never waited out by a passing test


def newsbot(*args: str, env: dict[str, str] | None = None, **kwargs: object) -> subprocess.Popen[str]:
    full_env = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"}
    full_env.update(env or {})
    return subprocess.Popen([sys.executable, "-m", "bot", *args], cwd=ROOT, env=full_env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kwargs)  # type: ignore[call-overload]


def write_config(tmp_path: Path, fake: FakeBotApi, extra: str = "") -> Path:
    config = tmp_path / "newsbot.toml"
    config.write_text(f'[store]\ndata_dir = "data"\n[telegram]\napi_base_url = "{fake.url}"\n{extra}')
    return config


def test_chat_through_a_pipe(data: Path) -> None:
    script = "/start\n/date 2026-02-23\n1\n+\n/date 2026-02-30\n/quit\n/help\n"
    process = newsbot("chat", "--data", str(data), stdin=subprocess.PIPE)
    out, err = process.communicate(script, timeout=GUARD)
    assert process.returncode == 0, err
    assert "you> /start\nbot> Hello! I summarize the news." in out
    assert "[1] Latest news  [2] Today" in out
    assert "bot> Monday, 23 February 2026 — 3 articles" in out
    assert "[1] − Shorter  [2] + Longer" in out  # "1" opened the first article
    assert "There is no 30 February 2026." in out
    assert "/help" not in out.split("you> /quit")[-1]  # input after /quit is not read
    assert "Traceback" not in err


def test_run_without_a_token_is_one_line(tmp_path: Path, fake: FakeBotApi) -> None:
    process = newsbot("run", "--config", str(write_config(tmp_path, fake)))
    _, err = process.communicate(timeout=GUARD)
    assert process.returncode == 2
    assert err.strip() == ("newsbot: no bot token: set TELEGRAM_BOT_TOKEN or [telegram] token in "
                           "the config (or try the bot without one: newsbot chat)")


def test_a_rejected_token_is_one_line_and_never_printed(tmp_path: Path, fake: FakeBotApi) -> None:
    token = "999999:WRONG-secret-token"
    process = newsbot("run", "--config", str(write_config(tmp_path, fake)),
                      env={"TELEGRAM_BOT_TOKEN": token})
    out, err = process.communicate(timeout=GUARD)
    assert process.returncode == 2
    assert err.strip().splitlines()[-1] == ("newsbot: Telegram rejected the bot token: check "
                                            "TELEGRAM_BOT_TOKEN or [telegram] token in the config")
    assert "Traceback" not in err
    assert token not in out + err and "WRONG-secret" not in out + err


def test_a_second_instance_refuses_to_start(tmp_path: Path, fake: FakeBotApi) -> None:
    config = write_config(tmp_path, fake)
    with Store.open(tmp_path / "data"):
        process = newsbot("run", "--config", str(config), env={"TELEGRAM_BOT_TOKEN": fake.token})
        _, err = process.communicate(timeout=GUARD)
    assert process.returncode == 2
    assert err.startswith("newsbot: ") and "in use by another newsbot process" in err
    assert len(err.strip().splitlines()) == 1


def test_polling_serves_readers_and_stops_on_interrupt(tmp_path: Path, fake: FakeBotApi) -> None:
    config = write_config(tmp_path, fake)
    process = newsbot("run", "--config", str(config), env={"TELEGRAM_BOT_TOKEN": fake.token})
    try:
        fake.wait_for("setMyCommands", timeout=GUARD)
        fake.send_text(5, "/help")
        fake.wait_for(lambda c: c.method == "sendMessage" and c.chat_id == 5, timeout=GUARD)
        assert "/latest" in fake.last_message(5).text
    finally:
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=GUARD)
    assert process.returncode == 0, err
    assert fake.token not in out + err
    assert fake.token.split(":")[1] not in err


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_listening(port: int, process: subprocess.Popen[str]) -> None:
    """PTB may ask for the webhook before its server accepts connections: wait for both."""
    deadline = time.monotonic() + GUARD
    while time.monotonic() < deadline and process.poll() is None:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise AssertionError(f"the webhook server never listened: {process.communicate()[1]}")


def _post(url: str, update: dict[str, object], secret: str) -> int:
    request = urllib.request.Request(url, data=json.dumps(update).encode(), method="POST", headers={
        "Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": secret})
    try:
        with urllib.request.urlopen(request, timeout=GUARD) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code


def test_webhook_mode_checks_the_secret(tmp_path: Path, fake: FakeBotApi) -> None:
    port = _free_port()
    config = write_config(tmp_path, fake, f'mode = "webhook"\n[telegram.webhook]\nlisten = "127.0.0.1"\n'
                          f'port = {port}\nurl = "https://bot.example.invalid/hook"\n'
                          'secret_token = "s3cret_Token-1"\n')
    process = newsbot("run", "--config", str(config), env={"TELEGRAM_BOT_TOKEN": fake.token})
    try:
        (call,) = fake.wait_for("setWebhook", timeout=GUARD)
        assert call.params["url"] == "https://bot.example.invalid/hook"
        assert call.params["secret_token"] == "s3cret_Token-1"
        update = {"update_id": 1, "message": {
            "message_id": 1, "date": 0, "chat": {"id": 7, "type": "private"},
            "from": {"id": 7, "is_bot": False, "first_name": "W"}, "text": "/help",
            "entities": [{"type": "bot_command", "offset": 0, "length": 5}]}}
        hook = f"http://127.0.0.1:{port}/hook"
        _wait_listening(port, process)
        assert _post(hook, update, "wrong") == 403
        assert _post(hook, update, "s3cret_Token-1") == 200
        fake.wait_for(lambda c: c.method == "sendMessage" and c.chat_id == 7, timeout=GUARD)
        assert "/latest" in fake.last_message(7).text
        assert len(fake.calls("sendMessage")) == 1  # the forged post got nothing
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=GUARD)


@pytest.mark.parametrize("secret", ["has space", "x" * 257])
def test_a_bad_webhook_secret_is_refused_at_start(tmp_path: Path, fake: FakeBotApi, secret: str) -> None:
    config = write_config(tmp_path, fake, f'mode = "webhook"\n[telegram.webhook]\n'
                          f'url = "https://b.example.invalid/h"\nsecret_token = "{secret}"\n')
    process = newsbot("run", "--config", str(config), env={"TELEGRAM_BOT_TOKEN": fake.token})
    _, err = process.communicate(timeout=GUARD)
    assert process.returncode == 2
    assert "secret_token must be 1-256 characters of A-Z a-z 0-9 _ -" in err
