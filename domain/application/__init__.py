"""The application service: :class:`Ledger` and the one pipeline every command takes.

- :mod:`~domain.application.commands` — every command as a frozen dataclass;
- :mod:`~domain.application.pipeline` — handlers, results, and how a command's
  target is loaded and owned;
- :mod:`~domain.application.profiles`, :mod:`~domain.application.briefs`,
  :mod:`~domain.application.campaigns` — how each area's commands decide;
- :mod:`~domain.application.ledger` — the :class:`Ledger` itself.

Who may do what is one table, :mod:`domain.access`, enforced by the pipeline.
"""

from domain.application.ledger import Ledger
from domain.application.pipeline import CommandResult

__all__ = ["CommandResult", "Ledger"]
