"""What runs projections: the engine, its runners and the operator actions on them.

:mod:`~projections.machinery.base` says what a projection is (tables, topics, a
``handle`` per event) and :mod:`~projections.machinery.engine` folds events into
it, a batch and its tracked position in one transaction
(:mod:`~projections.machinery.tracking`). The runners are the embedded thread
(:mod:`~projections.machinery.embedded`) and the PostgreSQL worker
(:mod:`~projections.machinery.worker`); :mod:`~projections.machinery.runtime`
wires the ones a process needs. Around them: the safe event-store head, progress
notifications and read-your-writes waiting, status, rebuild/switch and verify.
"""
