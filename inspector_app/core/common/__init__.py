"""One home per cross-cutting concern of the Qt-free core.

- :mod:`.progress` — progress callbacks, cancellation checks and the one ``Cancelled`` base.
- :mod:`.timefmt` — human-readable time stamps, durations and playtime (one format app-wide).
- (others land here as they are consolidated: JS-compatible formatting, JSON paths, file
  output, user directories.)
"""
