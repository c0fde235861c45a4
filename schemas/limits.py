"""Every bound on a record, in one place. Validation enforces each with a file:line problem,
so no record, however large or odd, can make a command or the site build hang or crash."""

from __future__ import annotations

#: A record file larger than this is refused before it is parsed.
MAX_FILE_BYTES = 100_000
#: Any list in a record (tags, sources, related, milestones, ...).
MAX_LIST_ITEMS = 200
#: Mappings and lists inside one another.
MAX_NESTING = 12
#: Digits of a YAML integer (parameter counts need 13).
MAX_INTEGER_DIGITS = 20
#: A summary.
MAX_SUMMARY_CHARS = 4_000
#: Quotes, holdings and other passages.
MAX_PASSAGE_CHARS = 2_000
#: Titles, names and other one-line text.
MAX_LINE_CHARS = 500
#: A URL.
MAX_URL_CHARS = 2_000
#: Problems listed for one file; the rest are counted in one last problem.
MAX_PROBLEMS_PER_FILE = 20
