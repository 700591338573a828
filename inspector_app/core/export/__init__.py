"""The shared telemetry export pipeline (Python counterpart of the game's JS pipeline).

One code path behind the GUI's Export button and the headless ``inspector-export`` CLI:
summary → :func:`artifacts.build_artifacts` → :class:`adapter.WriterAdapter` → writers
(:class:`writers.FileSystemWriter`, :class:`writers.MemoryWriter`) → optional
:class:`publisher.CiArtifactPublisher`; :func:`pipeline.run_export` wires them together and
emits the game's ``telemetry:*`` events on an :class:`events.EventBus`. No Qt here.
"""
