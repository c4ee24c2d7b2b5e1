from __future__ import annotations

import subprocess
import sys


def test_sources_load_no_telegram_or_scheduler_and_config_loads_no_feedparser() -> None:
    code = (
        "import sys, bot.config\n"
        "early = sorted(m for m in ('feedparser', 'trafilatura') if m in sys.modules)\n"
        "import summaries.sources.poll, summaries.sources.opml\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in {'telegram', 'apscheduler'})\n"
        "print(','.join(early + bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""
