"""Read models built from the event store: the projection machinery and the projections.

Start at :class:`~projections.machinery.runtime.ReadSide`, which wires the read store,
the engine and the runner a process needs; concrete projections subclass
:class:`~projections.machinery.base.Projection`.
"""
