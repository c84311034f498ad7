"""Rendering: the library in, generated pages (path -> text) out. Pure: no files, no MkDocs."""

from peerkb.render.site import GeneratedSite, render_site

__all__ = ["GeneratedSite", "render_site"]
