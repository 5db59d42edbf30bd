"""Network events: their participants, certificates and the routes they feed.

Importing the package lends the registry its write hook (route_hook), so a
participation saved through any path updates the route and the certificate.
"""
from app.services.events import route_hook as _route_hook
from app.services.registry import write_hooks as _write_hooks

_write_hooks.register(_route_hook.after_write)
