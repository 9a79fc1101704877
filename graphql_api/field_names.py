"""Error ``field`` paths in the API's own spelling.

The domain names the field at fault in snake_case (``terms.deliverables[0].due_on``);
clients sent camelCase (``terms.deliverables[0].dueOn``), so that is what they get back.
"""

from __future__ import annotations

import re

_SNAKE = re.compile(r"_([a-z0-9])")


def api_field(field: str | None) -> str | None:
    if field is None:
        return None
    return _SNAKE.sub(lambda match: match.group(1).upper(), field)
