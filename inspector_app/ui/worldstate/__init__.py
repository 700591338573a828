"""Qt views of the world-state domain layer (inspector_app.core.worldstate)."""
from .domain_views import DomainViewsPanel

__all__ = ["DomainViewsPanel"]
