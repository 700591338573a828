"""Telemetry Inspector: saves, telemetry exports and benchmark history of The Memory Syndicate."""

__version__ = "0.1.0"
