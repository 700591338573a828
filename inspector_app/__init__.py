"""Telemetry Inspector: saves, telemetry exports and benchmark history of The Memory Syndicate."""

__version__ = "0.1.0"

# The freedesktop application id: the .desktop and metainfo file names (packaging/desktop/) and
# QGuiApplication.desktopFileName, so the desktop groups the window with its launcher and icon.
APP_ID = "com.memorysyndicate.TelemetryInspector"
