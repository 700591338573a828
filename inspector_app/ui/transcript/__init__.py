"""Tutorial transcript timeline (issue 5): the panel the main window docks."""
from inspector_app.ui.transcript.panel import TranscriptPanel

__all__ = ["TranscriptPanel"]
