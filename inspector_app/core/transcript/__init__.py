"""Tutorial transcript: one model fed from every source, the game's recorder, snapshot diffs.

Public API (no Qt):

* :mod:`.model` — :class:`EventKind`, :class:`TranscriptEntry`, :class:`Transcript`, :class:`StepSpan`, :class:`StepStat`
* :mod:`.sources` — readers (summary DTOs, CSV/MD artifacts, save tutorial slices, documents)
* :mod:`.recorder` — :class:`TranscriptRecorder`, :class:`JsonLinesFollower`
* :mod:`.snapshot_diff` — :func:`world_state`, :func:`structural_diff`
* :mod:`.export` — visible-range transcript CSV/Markdown export
"""
