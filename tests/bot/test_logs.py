from __future__ import annotations

import logging

import pytest

from bot.logs import setup_logging

TOKEN = "123456:AAH-secret-part"


def test_the_token_never_reaches_the_log(capsys: pytest.CaptureFixture[str]) -> None:
    setup_logging(logging.INFO, TOKEN)
    log = logging.getLogger("some.library")
    log.info("POST https://api.telegram.org/bot%s/getMe", TOKEN)
    try:
        raise RuntimeError(f"failed with {TOKEN}")
    except RuntimeError:
        log.exception("request failed")
    logging.getLogger("httpx").info("HTTP Request: POST https://x/bot%s/getUpdates", TOKEN)
    err = capsys.readouterr().err
    assert "getMe" in err and "request failed" in err and "RuntimeError" in err
    assert TOKEN not in err and "AAH-secret-part" not in err
    assert err.count("<token>") == 2  # the request line and the exception message
    assert "getUpdates" not in err  # per-request chatter from the HTTP client is hidden
    logging.getLogger().handlers.clear()
