from __future__ import annotations

import subprocess
import sys


def test_summaries_loads_no_telegram_or_scheduler() -> None:
    code = (
        "import sys, summaries, summaries.ingest, summaries.store, summaries.summarize\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in {'telegram', 'apscheduler'})\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""
