"""Where the newsletter's feed lives and how long to wait for it.

Kept apart from ``importai_tui.fetch`` (urllib, http.client and the package
metadata for its User-Agent: ~50 ms of imports) so that building the CLI's
parser, which shows these defaults in ``importai fetch --help``, stays cheap
for every other command and for opening the reader.
"""

from __future__ import annotations

DEFAULT_FEED_URL = "https://importai.substack.com/feed"
DEFAULT_TIMEOUT = 30.0

# ``importai fetch --all``: the complete archive (WordPress pages ``?paged=N``,
# from 2016) and the pause between two of its requests.
DEFAULT_ARCHIVE_URL = "https://jack-clark.net/feed/"
DEFAULT_ARCHIVE_DELAY = 1.0
