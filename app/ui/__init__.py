"""The PySide6 interface: it calls app.services only, never the storage layer."""
