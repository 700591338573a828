"""One home per cross-cutting concern of the Qt-free core (docs/architecture.md lists them).

- :mod:`.jsfmt` — JavaScript-compatible text: ``toISOString``, ``String(number)``, ``toFixed``,
  ``Math.round``, ``Number.isFinite``.
- :mod:`.jsonpath` — the one JSON-path formatter and parser.
- :mod:`.jsontext` — pretty JSON of any parsed value, at any depth.
- :mod:`.timefmt` — human-readable time stamps, durations and playtime (one format app-wide),
  and which numbers in save data are times.
- :mod:`.userdirs` — the user's config/data/cache folders (``platformdirs`` + overrides).
- :mod:`.progress` — progress callbacks, cancellation checks and the one ``Cancelled`` base.
- :mod:`.fileio` — atomic, no-overwrite file output.
- :mod:`.textsafe` — showing untrusted text safely.
"""
