"""The fake Bot API, checked through python-telegram-bot's real Bot and Application.

Why through PTB: the fake is only worth something if PTB's own HTTP client, error mapping
and Updater accept it as Telegram. No sleeps: tests wait on the fake's events; timeouts
are failure guards only.
"""

from __future__ import annotations

import asyncio
import datetime as dtm
import io
import time
from collections.abc import Awaitable, Callable, Iterator
from typing import Any, TypeVar

import httpx
import pytest
from telegram import Bot, BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import MessageEntityType, ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    RetryAfter,
)
from telegram.ext import (
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
)

from tests.fakes import FakeBotApi, WaitTimeout, utf16_len

T = TypeVar("T")
CHAT = 42


@pytest.fixture
def fake() -> Iterator[FakeBotApi]:
    """A started fake, stopped after the test."""
    with FakeBotApi() as server:
        yield server


def run_with_bot(fake: FakeBotApi, body: Callable[[Bot], Awaitable[T]], token: str = "") -> T:
    """Run ``body`` with a real, initialised Bot pointed at the fake."""

    async def main() -> T:
        bot = Bot(token or fake.token, base_url=fake.base_url, base_file_url=fake.base_file_url)
        async with bot:
            return await body(bot)

    return asyncio.run(main())


def keyboard(*rows: list[tuple[str, str]]) -> InlineKeyboardMarkup:
    """Callback-data buttons, one list per row."""
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(text, callback_data=data) for text, data in row] for row in rows]
    )


def retry_seconds(error: RetryAfter) -> float:
    """retry_after is an int or a timedelta depending on PTB's PTB_TIMEDELTA switch."""
    value: Any = error.retry_after
    return value.total_seconds() if isinstance(value, dtm.timedelta) else float(value)


# PTB 22 warns from inside RetryAfter() that retry_after will become a timedelta.
ignore_retry_after_deprecation = pytest.mark.filterwarnings(
    "ignore:.*retry_after.*:telegram.warnings.PTBDeprecationWarning"
)


# ----------------------------------------------------------------------- basics


def test_get_me_answers_as_the_bot(fake: FakeBotApi) -> None:
    me = run_with_bot(fake, lambda bot: bot.get_me())

    assert me.is_bot and me.username == "newsbot_test_bot" and me.id == 123456
    assert [call.method for call in fake.calls()] == ["getMe", "getMe"]


def test_send_message_round_trip_is_recorded(fake: FakeBotApi) -> None:
    markup = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton("Next", callback_data="page:2")],
            [InlineKeyboardButton("Source", url="https://example.com/a")],
        ]
    )

    async def body(bot: Bot) -> list[Any]:
        first = await bot.send_message(
            CHAT, "<b>Top</b> story &amp; more", parse_mode=ParseMode.HTML, reply_markup=markup
        )
        second = await bot.send_message(CHAT, "plain <text>")
        other = await bot.send_message(7, "elsewhere")
        return [first, second, other]

    first, second, other = run_with_bot(fake, body)

    assert (first.message_id, second.message_id, other.message_id) == (1, 2, 1)
    assert first.text == "Top story & more"
    assert first.from_user is not None and first.from_user.is_bot
    assert first.chat.id == CHAT and first.date is not None
    assert [(e.type, e.offset, e.length) for e in first.entities] == [("bold", 0, 3)]
    assert first.reply_markup == markup

    call = fake.calls("sendMessage")[0]
    assert call.params["chat_id"] == CHAT
    assert call.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "page:2"

    sent = fake.sent_messages(CHAT)
    assert [m.text for m in sent] == ["Top story & more", "plain <text>"]
    assert sent[0].html == "<b>Top</b> story &amp; more"
    assert sent[1].html == "plain &lt;text&gt;"
    assert sent[0].keyboard == [[("Next", "page:2")], [("Source", "https://example.com/a")]]
    assert fake.last_message().chat_id == 7


@pytest.mark.parametrize(
    ("html", "reason"),
    [
        ("<script>alert(1)</script>", 'Unsupported start tag "script" at byte offset 0'),
        ("<b>never closed", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("AT&T results", 'Character "&" at byte offset 2 must be escaped'),
        ("1 < 2", 'Unsupported start tag "" at byte offset 2'),
        ("ends with <", "Unclosed start tag at byte offset 10"),
    ],
)
def test_bad_html_is_a_bad_request(fake: FakeBotApi, html: str, reason: str) -> None:
    with pytest.raises(BadRequest, match="(?i)can't parse entities") as caught:
        run_with_bot(fake, lambda bot: bot.send_message(CHAT, html, parse_mode=ParseMode.HTML))

    # PTB drops the "Bad Request: " prefix and capitalize()s, lowering the rest.
    assert reason.lower() in caught.value.message.lower()
    assert fake.sent_messages() == []
    assert fake.calls("sendMessage")[0].error_code == 400


def test_text_length_counts_utf16_units_after_parsing(fake: FakeBotApi) -> None:
    emoji_4096 = "😀" * 2048  # 2,048 characters, 4,096 UTF-16 units
    assert utf16_len(emoji_4096) == 4096

    async def body(bot: Bot) -> None:
        await bot.send_message(CHAT, emoji_4096)
        await bot.send_message(CHAT, "<b>" + "a" * 4096 + "</b>", parse_mode=ParseMode.HTML)
        await bot.send_message(CHAT, "&lt;" * 4096, parse_mode=ParseMode.HTML)
        for too_long in (emoji_4096 + "a", "a" * 4097):
            with pytest.raises(BadRequest, match="(?i)message is too long"):
                await bot.send_message(CHAT, too_long)
        with pytest.raises(BadRequest, match="(?i)message text is empty"):
            await bot.send_message(CHAT, "<b> </b>", parse_mode=ParseMode.HTML)

    run_with_bot(fake, body)

    assert [len(m.text) for m in fake.sent_messages()] == [2048, 4096, 4096]


def test_callback_data_over_64_bytes_is_rejected(fake: FakeBotApi) -> None:
    async def body(bot: Bot) -> None:
        await bot.send_message(CHAT, "ok", reply_markup=keyboard([("a", "x" * 64)]))
        for data in ("x" * 65, "é" * 33):  # 65 and 66 bytes
            with pytest.raises(BadRequest, match="(?i)BUTTON_DATA_INVALID"):
                await bot.send_message(CHAT, "no", reply_markup=keyboard([("a", data)]))

    run_with_bot(fake, body)

    assert [m.text for m in fake.sent_messages()] == ["ok"]


def test_edit_message_text_and_markup(fake: FakeBotApi) -> None:
    pages = keyboard([("‹", "page:1"), ("›", "page:3")])

    async def body(bot: Bot) -> None:
        sent = await bot.send_message(CHAT, "page 1", reply_markup=keyboard([("›", "page:2")]))
        edited = await bot.edit_message_text(
            "<i>page 2</i>", CHAT, sent.message_id, parse_mode=ParseMode.HTML, reply_markup=pages
        )
        assert not isinstance(edited, bool) and edited.text == "page 2"
        assert edited.edit_date is not None
        with pytest.raises(BadRequest, match="(?i)message is not modified"):
            await bot.edit_message_text("page 2", CHAT, sent.message_id, reply_markup=pages,
                                        entities=edited.entities)  # fmt: skip
        await bot.edit_message_reply_markup(CHAT, sent.message_id, reply_markup=keyboard())
        with pytest.raises(BadRequest, match="(?i)message to edit not found"):
            await bot.edit_message_text("x", CHAT, 999)

    run_with_bot(fake, body)

    message = fake.last_message(CHAT)
    assert (message.text, message.source, message.edit_count) == ("page 2", "<i>page 2</i>", 2)
    assert message.keyboard == []


def test_edit_without_markup_drops_the_keyboard(fake: FakeBotApi) -> None:
    async def body(bot: Bot) -> None:
        sent = await bot.send_message(CHAT, "one", reply_markup=keyboard([("more", "more")]))
        await bot.edit_message_text("two", CHAT, sent.message_id)

    run_with_bot(fake, body)

    assert fake.last_message(CHAT).keyboard == []


# ----------------------------------------------------------------------- updates


def test_get_updates_returns_injected_updates_with_offsets(fake: FakeBotApi) -> None:
    async def body(bot: Bot) -> None:
        sent = await bot.send_message(CHAT, "menu", reply_markup=keyboard([("Go", "go")]))
        await bot.edit_message_text("menu v2", CHAT, sent.message_id,
                                    reply_markup=keyboard([("Go", "go")]))  # fmt: skip
        ids = [
            fake.send_text(CHAT, "/start@newsbot_test_bot now 😀", first_name="Ann"),
            fake.press_button(CHAT, sent.message_id, "go"),
            fake.send_document(CHAT, "notes.txt", b"hello", mime_type="text/plain"),
            fake.send_text(-100123, "/digest", user_id=5, chat_type="supergroup"),
        ]
        assert ids == sorted(ids) and len(set(ids)) == 4

        updates = await bot.get_updates(timeout=0)
        assert [u.update_id for u in updates] == ids

        text = updates[0].message
        assert text is not None and text.text == "/start@newsbot_test_bot now 😀"
        assert text.from_user is not None and text.from_user.first_name == "Ann"
        command = text.entities[0]
        assert (command.type, command.offset, command.length) == (
            MessageEntityType.BOT_COMMAND, 0, len("/start@newsbot_test_bot")
        )  # fmt: skip
        assert text.parse_entities([MessageEntityType.BOT_COMMAND]) == {
            command: "/start@newsbot_test_bot"
        }

        query = updates[1].callback_query
        assert query is not None and query.data == "go"
        assert query.message is not None and query.message.message_id == sent.message_id
        assert getattr(query.message, "text", None) == "menu v2"
        assert await query.answer("done") is True
        with pytest.raises(BadRequest, match="(?i)query is too old"):
            await query.answer()

        document = updates[2].message
        assert document is not None and document.document is not None
        assert document.document.file_name == "notes.txt"
        assert document.document.file_size == 5

        group = updates[3].message
        assert group is not None and group.chat.type == "supergroup"
        assert group.from_user is not None and group.from_user.id == 5

        # Confirming with offset forgets the updates, like Telegram.
        assert await bot.get_updates(offset=ids[1] + 1, timeout=0) == (updates[2], updates[3])
        assert await bot.get_updates(offset=ids[-1] + 1, timeout=0) == ()
        assert fake.pending_updates() == []

    run_with_bot(fake, body)


def test_long_poll_wakes_when_an_update_arrives(fake: FakeBotApi) -> None:
    async def body(bot: Bot) -> tuple[Update, ...]:
        poll = asyncio.create_task(bot.get_updates(timeout=30))
        await asyncio.to_thread(fake.wait_for_poll)
        fake.send_text(CHAT, "hello")
        return await asyncio.wait_for(poll, timeout=10)  # far below the 30 s poll

    updates = run_with_bot(fake, body)

    assert [u.message.text for u in updates if u.message] == ["hello"]


def test_get_file_and_download_return_the_bytes(fake: FakeBotApi) -> None:
    content = bytes(range(256)) * 10

    async def body(bot: Bot) -> tuple[bytes, bytes]:
        fake.send_document(CHAT, "feed.bin", content)
        (update,) = await bot.get_updates(timeout=0)
        assert update.message is not None and update.message.document is not None
        file = await update.message.document.get_file()
        assert file.file_size == len(content) and file.file_path is not None
        buffer = io.BytesIO()
        await file.download_to_memory(buffer)

        sent = await bot.send_document(CHAT, b"a,b\n1,2\n", filename="t.csv", caption="<b>CSV</b>",
                                       parse_mode=ParseMode.HTML)  # fmt: skip
        assert sent.document is not None and sent.caption == "CSV"
        again = await (await bot.get_file(sent.document.file_id)).download_as_bytearray()
        return buffer.getvalue(), bytes(again)

    downloaded, uploaded = run_with_bot(fake, body)

    assert downloaded == content
    assert uploaded == b"a,b\n1,2\n"
    stored = fake.last_message(CHAT).document
    assert stored is not None and (stored.file_name, stored.content) == ("t.csv", uploaded)
    assert fake.calls("sendDocument")[0].files["document"].filename == "t.csv"


# ----------------------------------------------------------------------- failures


@ignore_retry_after_deprecation
def test_injected_failures_become_ptb_exceptions(fake: FakeBotApi) -> None:
    fake.fail_next("sendMessage", 429, retry_after=3)
    fake.fail_next("sendMessage", 403, "Forbidden: bot was blocked by the user", chat_id=8)
    fake.fail_next("sendmessage", 400, migrate_to_chat_id=-100777, chat_id=9)

    async def body(bot: Bot) -> None:
        with pytest.raises(RetryAfter) as flood:
            await bot.send_message(CHAT, "a")
        assert retry_seconds(flood.value) == 3
        await bot.send_message(CHAT, "b")  # times=1: the next call goes through
        await bot.send_message(7, "c")  # chat_id rules leave other chats alone
        with pytest.raises(Forbidden, match="blocked by the user"):
            await bot.send_message(8, "d")
        with pytest.raises(ChatMigrated) as migrated:
            await bot.send_message(9, "e")
        assert migrated.value.new_chat_id == -100777

    run_with_bot(fake, body)

    assert [m.text for m in fake.sent_messages()] == ["b", "c"]
    assert [(c.ok, c.error_code) for c in fake.calls("sendMessage")] == [
        (False, 429), (True, None), (True, None), (False, 403), (False, 400)
    ]  # fmt: skip


@ignore_retry_after_deprecation
def test_rate_limit_answers_429_with_retry_after(fake: FakeBotApi) -> None:
    fake.rate_limit(2, retry_after=5)

    async def body(bot: Bot) -> None:
        await bot.send_message(CHAT, "1")
        await bot.send_message(CHAT, "2")
        with pytest.raises(RetryAfter) as flood:
            await bot.send_message(CHAT, "3")
        assert retry_seconds(flood.value) == 5
        fake.rate_limit(None)
        await bot.send_message(CHAT, "4")

    run_with_bot(fake, body)

    assert [m.text for m in fake.sent_messages()] == ["1", "2", "4"]


def test_slow_delays_answers(fake: FakeBotApi) -> None:
    fake.slow("sendMessage", 0.2)

    async def body(bot: Bot) -> float:
        started = time.monotonic()
        await bot.send_message(CHAT, "late")
        return time.monotonic() - started

    assert run_with_bot(fake, body) >= 0.2
    fake.slow("sendMessage", 0)
    assert run_with_bot(fake, lambda bot: bot.send_message(CHAT, "soon")).text == "soon"


def test_wrong_token_and_unknown_method(fake: FakeBotApi) -> None:
    with pytest.raises(InvalidToken):
        run_with_bot(fake, lambda bot: bot.get_me(), token="999:wrong")
    assert fake.calls()[-1].error_code == 401

    with pytest.raises(EndPointNotFound):
        run_with_bot(fake, lambda bot: bot.do_api_request("sendTelepathy"))
    assert fake.calls()[-1].error_code == 404


def test_webhook_blocks_get_updates_until_deleted(fake: FakeBotApi) -> None:
    async def body(bot: Bot) -> None:
        assert await bot.set_webhook("https://example.com/hook", secret_token="s3cret")
        info = await bot.get_webhook_info()
        assert info.url == "https://example.com/hook"
        with pytest.raises(Conflict):
            await bot.get_updates(timeout=0)
        assert await bot.delete_webhook()
        assert await bot.get_updates(timeout=0) == ()

    run_with_bot(fake, body)


def test_commands_and_chat_action(fake: FakeBotApi) -> None:
    async def body(bot: Bot) -> None:
        await bot.set_my_commands([BotCommand("start", "Start"), BotCommand("digest", "Digest")])
        assert [c.command for c in await bot.get_my_commands()] == ["start", "digest"]
        assert await bot.get_my_commands(language_code="de") == ()
        with pytest.raises(BadRequest, match="(?i)BOT_COMMAND_INVALID"):
            await bot.set_my_commands([BotCommand("Bad-Name", "x")])
        assert await bot.send_chat_action(CHAT, "typing")
        assert await bot.delete_my_commands()
        assert await bot.get_my_commands() == ()

    run_with_bot(fake, body)

    assert fake.commands() == []


def test_wait_for_times_out_with_a_useful_message(fake: FakeBotApi) -> None:
    with pytest.raises(WaitTimeout, match="sendMessage"):
        fake.wait_for("sendMessage", timeout=0.05)
    with pytest.raises(ValueError, match="no method"):
        fake.wait_for("sendTelepathy")


def test_json_and_query_string_requests_are_understood(fake: FakeBotApi) -> None:
    with httpx.Client(base_url=f"{fake.base_url}{fake.token}") as client:
        sent = client.post("/sendMessage", json={"chat_id": "5", "text": "123"}).json()
        me = client.get("/getMe").json()
        missing = client.get(f"{fake.url}/nowhere")

    assert sent["ok"] and sent["result"]["text"] == "123"
    assert fake.calls("sendMessage")[0].params == {"chat_id": 5, "text": "123"}
    assert me["result"]["username"] == "newsbot_test_bot"
    assert missing.status_code == 404
    assert missing.json() == {"ok": False, "error_code": 404, "description": "Not Found"}


# ----------------------------------------------------------------------- application


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Reply to /start with a button, as the smallest real handler."""
    assert update.effective_message is not None
    await update.effective_message.reply_text("hi", reply_markup=keyboard([("More", "more")]))


async def more(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer the button and edit its message, as paging handlers will."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    await query.edit_message_text(f"<b>more</b> ({query.data})", parse_mode=ParseMode.HTML)


def test_application_polls_the_fake_and_replies(fake: FakeBotApi) -> None:
    async def main() -> None:
        app = (
            ApplicationBuilder()
            .token(fake.token)
            .base_url(fake.base_url)
            .base_file_url(fake.base_file_url)
            .build()
        )
        app.add_handler(CommandHandler("start", start))
        app.add_handler(CallbackQueryHandler(more))
        await app.initialize()
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=1)
        try:
            fake.send_text(CHAT, "/start")
            fake.send_text(-5, "/start@newsbot_test_bot", chat_type="group")
            fake.send_text(-5, "/start@other_bot", chat_type="group")
            replies = await fake.wait_for_async("sendMessage", count=2)
            assert [call.params["text"] for call in replies] == ["hi", "hi"]

            since = fake.mark()
            fake.press_button(CHAT, fake.last_message(CHAT).message_id, "more")
            await fake.wait_for_async("editMessageText", since=since)
        finally:
            await app.updater.stop()
            await app.stop()
            await app.shutdown()

    asyncio.run(main())

    (reply,) = fake.sent_messages(CHAT)
    assert (reply.text, reply.html, reply.keyboard) == ("more (more)", "<b>more</b> (more)", [])
    assert [c.ok for c in fake.calls("answerCallbackQuery")] == [True]
    assert fake.pending_updates() == []  # the Updater confirmed what it fetched
    # /start@other_bot is for another bot: PTB ignores it, so no third reply.
    assert len(fake.calls("sendMessage")) == 2

