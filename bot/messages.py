"""sendMessage answered with Telegram's JSON, not with PTB's Message object.

`Bot.send_message` builds a Message from the answer, with its entities and buttons:
~0.3 ms of the event loop a message here, a third of a `/date` reply's work on the loop
and of a digest fan-out's CPU at 1,000/s (measured with cProfile on bench/bot_latency.py
and bench/fanout.py). Replies and digests need the message id at most.
"""

from __future__ import annotations

import warnings

from telegram import Bot, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.warnings import PTBUserWarning

__all__ = ["send_html"]

# PTB suggests send_message over do_api_request("sendMessage"); the point here is not to.
warnings.filterwarnings("ignore", message=r"Please use 'Bot\.sendMessage'",
                        category=PTBUserWarning)


async def send_html(bot: Bot, chat_id: int, text: str, markup: InlineKeyboardMarkup | None = None,
                    *, preview: bool = False, paid: bool = False) -> int:
    """Send one Telegram HTML message; returns its id. Errors are PTB's, as send_message's."""
    fields: dict[str, object] = {"chat_id": chat_id, "text": text,
                                 "parse_mode": ParseMode.HTML.value}
    if markup is not None:
        fields["reply_markup"] = markup
    if not preview:
        fields["link_preview_options"] = {"is_disabled": True}
    if paid:
        fields["allow_paid_broadcast"] = True
    answer = await bot.do_api_request("sendMessage", api_kwargs=fields)
    return int(answer["message_id"])
